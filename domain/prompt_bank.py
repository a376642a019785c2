"""The prompts themselves, in our own words, as (id, topic, text) triples per mode.

Kept apart from `domain.prompts` so the data can grow without touching the logic. Ids
are written out, never derived from position, so reordering the bank cannot change them.
The topic is a short noun phrase the coach can put into a sentence ("a community garden").
IELTS part 2 cue cards keep the "You should say:" bullets on their own lines ("- ..."),
which the coach reads to check that every point was covered.
"""

from __future__ import annotations

BANK: dict[str, tuple[tuple[str, str, str], ...]] = {
    "toefl_interview": (
        (
            "toefl-int-01",
            "learning something new outside a classroom",
            "Think about the last time you learned something new outside a "
            "classroom. What was it, and how did you go about learning it?",
        ),
        (
            "toefl-int-02",
            "planning a holiday",
            "Some people like to plan every day of a holiday, while others decide "
            "as they go. Which do you prefer, and why?",
        ),
        (
            "toefl-int-03",
            "a community garden",
            "Our town wants to turn an empty car park into a community garden. "
            "Would you support that idea? Tell me why.",
        ),
        (
            "toefl-int-04",
            "keeping in touch with distant friends",
            "How do you usually keep in touch with friends who live far away, and "
            "do you think it works well?",
        ),
        (
            "toefl-int-05",
            "a free evening course",
            "If your college offered a free evening course in any subject, which "
            "one would you choose, and why?",
        ),
        (
            "toefl-int-06",
            "part-time jobs for students",
            "Do you think students should have a part-time job while they study? "
            "Explain your view.",
        ),
        (
            "toefl-int-07",
            "a productive habit",
            "What is one habit that helps you stay productive? Describe how it helps you.",
        ),
        (
            "toefl-int-08",
            "reading the news on a phone",
            "Many people now read the news on their phones rather than in print. "
            "Has this changed the way you follow the news?",
        ),
        (
            "toefl-int-09",
            "a favourite place in the city",
            "Tell me about a place in your city where you like to spend time at "
            "the weekend. What makes it special for you?",
        ),
        (
            "toefl-int-10",
            "working in a team",
            "Some say a team produces better results than one person working "
            "alone. Do you agree? Why or why not?",
        ),
    ),
    "toefl_independent": (
        (
            "toefl-ind-01",
            "the best time of day to study",
            "Some students study best early in the morning, while others study "
            "best late at night. Which do you prefer? Use specific reasons and examples.",
        ),
        (
            "toefl-ind-02",
            "close friends",
            "Do you agree or disagree: it is better to have a few close friends "
            "than many casual ones? Use reasons and examples to support your answer.",
        ),
        (
            "toefl-ind-03",
            "art classes at university",
            "Some people think every university student should take an art "
            "class; others think students should choose freely. Which view do you agree with?",
        ),
        (
            "toefl-ind-04",
            "life in a small town or a big city",
            "Would you rather live in a small town or a large city? Explain why, "
            "using specific details.",
        ),
        (
            "toefl-ind-05",
            "homework",
            "Do you agree or disagree: teachers should give less homework so that "
            "students can follow their own interests? Give reasons and examples.",
        ),
        (
            "toefl-ind-06",
            "trying new restaurants",
            "Some people like trying new restaurants, while others return to places "
            "they already know. Which do you prefer, and why?",
        ),
        (
            "toefl-ind-07",
            "learning from videos or from a teacher",
            "Is it better to learn a skill from online videos or from a teacher in "
            "person? Support your choice with reasons and an example.",
        ),
        (
            "toefl-ind-08",
            "working before university",
            "Do you agree or disagree: young people should work for a year before "
            "they start university? Explain your answer.",
        ),
        (
            "toefl-ind-09",
            "choosing a job",
            "When choosing a job, some people value a high salary most, others "
            "value interesting work. Which matters more to you, and why?",
        ),
        (
            "toefl-ind-10",
            "reading on paper or on a screen",
            "Some people prefer reading books on paper, others on a screen. Which "
            "do you prefer? Use reasons and details.",
        ),
    ),
    "ielts_part1": (
        (
            "ielts-p1-01",
            "my work or studies",
            "Do you work or are you a student? What do you enjoy most about it?",
        ),
        ("ielts-p1-02", "the weather", "What kind of weather do you like best, and why?"),
        (
            "ielts-p1-03",
            "cooking at home",
            "How often do you cook at home? What do you usually make?",
        ),
        (
            "ielts-p1-04",
            "walking and cycling",
            "Do you prefer walking or cycling to get around? Why?",
        ),
        (
            "ielts-p1-05",
            "free time in childhood",
            "What did you like to do in your free time when you were a child?",
        ),
        ("ielts-p1-06", "music", "Is there a kind of music you listen to a lot these days?"),
        (
            "ielts-p1-07",
            "taking photos",
            "Do you like taking photos? What do you usually take pictures of?",
        ),
        ("ielts-p1-08", "my mornings", "How do you normally spend your mornings?"),
        (
            "ielts-p1-09",
            "my neighbourhood",
            "Would you like to live in a different neighbourhood? Why or why not?",
        ),
        (
            "ielts-p1-10",
            "shopping for clothes",
            "Do you enjoy shopping for clothes? Why or why not?",
        ),
    ),
    "ielts_part2": (
        (
            "ielts-p2-01",
            "a skill I taught myself",
            "Describe a skill you taught yourself.\nYou should say:\n"
            "- what the skill is\n- how you learned it\n- how long it took you\n"
            "and explain why you decided to learn it.",
        ),
        (
            "ielts-p2-02",
            "a memorable journey",
            "Describe a journey you remember well.\nYou should say:\n"
            "- where you went\n- who you travelled with\n- what happened on the way\n"
            "and explain why you still remember it.",
        ),
        (
            "ielts-p2-03",
            "an important decision",
            "Describe a person who helped you make an important decision.\n"
            "You should say:\n- who the person is\n- what the decision was\n"
            "- how they helped you\nand explain how you feel about the decision now.",
        ),
        (
            "ielts-p2-04",
            "the technology I use every day",
            "Describe a piece of technology you use every day.\nYou should say:\n"
            "- what it is\n- when you started using it\n- what you use it for\n"
            "and explain how your life would change without it.",
        ),
        (
            "ielts-p2-05",
            "someone I am proud of",
            "Describe a time you were proud of a friend or relative.\n"
            "You should say:\n- who the person is\n- what they did\n- how you found out\n"
            "and explain why you felt proud.",
        ),
        (
            "ielts-p2-06",
            "a public place in my town",
            "Describe a public place in your town that could be improved.\n"
            "You should say:\n- where it is\n- what it is like now\n- what you would change\n"
            "and explain why these changes matter.",
        ),
        (
            "ielts-p2-07",
            "a book or film that changed my thinking",
            "Describe a book, film or series that changed the way you think.\n"
            "You should say:\n- what it was\n- when you came across it\n- what it was about\n"
            "and explain how it changed your thinking.",
        ),
        (
            "ielts-p2-08",
            "a celebration",
            "Describe a celebration you enjoyed.\nYou should say:\n"
            "- what was being celebrated\n- where it took place\n- who was there\n"
            "and explain why you enjoyed it.",
        ),
        (
            "ielts-p2-09",
            "my current goal",
            "Describe a goal you are working towards.\nYou should say:\n"
            "- what the goal is\n- why you set it\n- what you have done so far\n"
            "and explain how you will feel when you reach it.",
        ),
        (
            "ielts-p2-10",
            "waiting for something",
            "Describe a time when you had to wait for something.\nYou should say:\n"
            "- what you were waiting for\n- how long you waited\n- what you did while waiting\n"
            "and explain how you felt about the wait.",
        ),
    ),
    "ielts_part3": (
        (
            "ielts-p3-01",
            "learning new skills as an adult",
            "Why do some adults find it easier than others to learn new skills?",
        ),
        (
            "ielts-p3-02",
            "technology and family time",
            "How has technology changed the way families spend time together?",
        ),
        (
            "ielts-p3-03",
            "public transport and roads",
            "Should governments spend more on public transport or on roads? Why?",
        ),
        (
            "ielts-p3-04",
            "cities for young people",
            "What makes a city a good place for young people to live?",
        ),
        (
            "ielts-p3-05",
            "free time today and in the past",
            "Do people today have less free time than people did in the past?",
        ),
        (
            "ielts-p3-06",
            "teaching children about money",
            "How important is it for schools to teach children to manage money?",
        ),
        (
            "ielts-p3-07",
            "large and small companies",
            "Why do some people prefer working for a large company rather than a small one?",
        ),
        (
            "ielts-p3-08",
            "public festivals",
            "What are the advantages and disadvantages of big public festivals?",
        ),
        (
            "ielts-p3-09",
            "protecting the environment",
            "In what ways can ordinary people protect the environment in daily life?",
        ),
        (
            "ielts-p3-10",
            "printed books",
            "Will people still read printed books in twenty years? Why or why not?",
        ),
    ),
    "job_interview": (
        (
            "job-01",
            "a tight deadline",
            "Tell me about a time you had to meet a tight deadline. What did you do, and "
            "what was the result?",
        ),
        (
            "job-02",
            "a disagreement with a colleague",
            "Tell me about a time you disagreed with a colleague. How did you handle it?",
        ),
        (
            "job-03",
            "a mistake",
            "Describe a mistake you made at work or in your studies. What did you learn from it?",
        ),
        (
            "job-04",
            "learning something quickly",
            "Tell me about a time you had to learn something new very quickly.",
        ),
        (
            "job-05",
            "a task nobody else wanted",
            "Give an example of a time you took the lead on a task nobody else wanted.",
        ),
        (
            "job-06",
            "critical feedback",
            "Tell me about a time you received critical feedback. How did you respond?",
        ),
        (
            "job-07",
            "explaining a complicated idea",
            "Describe a time you explained a complicated idea to someone outside your field.",
        ),
        (
            "job-08",
            "improving how the team worked",
            "Tell me about a time you improved the way your team worked.",
        ),
        (
            "job-09",
            "an unhappy customer",
            "Tell me about a time you dealt with an unhappy customer or client.",
        ),
        (
            "job-10",
            "competing priorities",
            "Describe a time you had several priorities at once. How did you decide what "
            "came first?",
        ),
    ),
    "free_talk": (
        (
            "free-01",
            "a small change in my daily life",
            "Talk about a small change that made your everyday life better.",
        ),
        (
            "free-02",
            "a place I want to visit",
            "Talk about a place you would like to visit and what you would do there.",
        ),
        (
            "free-03",
            "changing my mind",
            "Talk about something you changed your mind about in the last few years.",
        ),
        ("free-04", "a hobby", "Talk about a hobby you would recommend to a friend, and why."),
        ("free-05", "good advice", "Talk about the best piece of advice you have ever received."),
        (
            "free-06",
            "a meal that reminds me of home",
            "Talk about a meal that reminds you of home.",
        ),
        (
            "free-07",
            "a problem in my neighbourhood",
            "Talk about a problem in your neighbourhood and how you would solve it.",
        ),
        (
            "free-08",
            "an extra free day",
            "Talk about what you would do with one extra free day every week.",
        ),
        (
            "free-09",
            "a skill everyone should learn",
            "Talk about a skill you think everyone should learn.",
        ),
        (
            "free-10",
            "a tradition I enjoy",
            "Talk about a tradition in your family or country that you enjoy.",
        ),
    ),
}
