"""A set of learner-like sentences of our own, each error marked, for measuring grammar
checkers: precision (a correct phrase called wrong is the worst thing a coach can do),
recall, and how often a correct sentence is given any correction.

Each line: the sentence, then for each error ` | before -> after | category`. `before` is
the learner's words exactly as they stand in the sentence; categories:
V verb form and agreement, T tense, A articles, P plurals and countability,
R prepositions, O word order, W word choice. A line with no error is a correct sentence,
many of them with forms that are tricky but right. Every third sentence is also spoken
(synthesised, then transcribed) to see what speech-to-text tidies away.
"""

from __future__ import annotations

from dataclasses import dataclass

CATEGORIES = {
    "V": "verb form and agreement",
    "T": "tense",
    "A": "articles",
    "P": "plurals and countability",
    "R": "prepositions",
    "O": "word order",
    "W": "word choice",
}

_LINES = """
My friend worked in a cafe three evening a week. | three evening -> three evenings | P
She go to school by bus every morning. | She go -> She goes | V
He buyed a new phone last month. | buyed -> bought | V
I have went to London twice. | have went -> have gone | T
We was very tired after the trip. | We was -> We were | V
He don't like spicy food. | He don't -> He doesn't | V
My brother prefer tea to coffee. | brother prefer -> brother prefers | V
I have lived here since five years. | since five years -> for five years | T
I am agree with this idea. | am agree -> agree | V
We should to invest more in public transport. | should to invest -> should invest | V
Governments spend a lot on educations. | educations -> education | P
My sister work in a hospital near the station. | sister work -> sister works | V
She can speaks three languages. | can speaks -> can speak | V
I didn't went to the party. | didn't went -> didn't go | T
Did you saw the match yesterday? | Did you saw -> Did you see | T
He is more taller than his father. | more taller -> taller | W
I look forward to meet you. | to meet you -> to meeting you | V
There is many reasons for this. | There is many -> There are many | V
I need some informations about the course. | informations -> information | P
She gave me a good advice. | a good advice -> good advice | P
We discussed about the problem for an hour. | discussed about -> discussed | R
It depends of the weather. | depends of -> depends on | R
I am married with a teacher. | married with -> married to | R
I arrived to the airport late. | arrived to -> arrived at | R
I like listening music in the evening. | listening music -> listening to music | R
She is good in mathematics. | good in -> good at | R
I don't know what is it. | what is it -> what it is | O
Can you tell me where is the station? | where is the station -> where the station is | O
I like very much this city. | like very much this city -> like this city very much | O
He made a mistake and did a photo of it. | did a photo -> took a photo | W
Please explain me the rules. | explain me -> explain to me | R
He said me that he was busy. | said me -> told me | W
I am student at a university in Madrid. | I am student -> I am a student | A
She is an university teacher. | an university -> a university | A
He has a umbrella in his bag. | a umbrella -> an umbrella | A
I went to the bed very late. | to the bed -> to bed | A
Many people is worried about the future. | people is -> people are | V
The children plays in the garden after school. | children plays -> children play | V
My parents lives in a small village. | parents lives -> parents live | V
I have two brother and one sister. | two brother -> two brothers | P
We stayed there for four day. | four day -> four days | P
I bought three book at the market. | three book -> three books | P
He has many money in the bank. | many money -> much money | P
There are a lot of furnitures in the room. | furnitures -> furniture | P
The teacher gave us a lot of homeworks. | homeworks -> homework | P
Yesterday I go to the cinema with my friends. | Yesterday I go -> Yesterday I went | T
When I was child I lived in the countryside. | I was child -> I was a child | A
I am living here since 2019. | am living here since -> have been living here since | T
If I will have time, I will call you. | If I will have -> If I have | T
She has finished it yesterday. | has finished it yesterday -> finished it yesterday | T
He must to leave early today. | must to leave -> must leave | V
They can't to come tomorrow. | can't to come -> can't come | V
I enjoy to play football on weekends. | enjoy to play -> enjoy playing | V
She suggested to go to the beach. | suggested to go -> suggested going | V
He doesn't likes his new job. | doesn't likes -> doesn't like | V
Does she knows the answer? | Does she knows -> Does she know | V
I has a big family. | I has -> I have | V
They was late for the meeting. | They was -> They were | V
Everybody know the rules of the game. | Everybody know -> Everybody knows | V
It make me happy when people smile. | It make -> It makes | V
My city have a beautiful old bridge. | city have -> city has | V
The news are very bad today. | news are -> news is | V
He teached me how to swim. | teached -> taught | V
I thinked about it for a long time. | thinked -> thought | V
She runned to catch the bus. | runned -> ran | V
We have be friends for ten years. | have be -> have been | V
I was borned in a small town. | was borned -> was born | V
I have seen him yesterday. | have seen him yesterday -> saw him yesterday | T
Last year we have visited Rome. | we have visited -> we visited | T
He said that he will come, but he didn't. | he will come -> he would come | T
I am knowing the answer. | am knowing -> know | T
I am here since Monday. | am here since -> have been here since | T
The life in the city is expensive. | The life in the city -> Life in the city | A
I love the nature and the mountains. | love the nature -> love nature | A
She plays a piano very well. | plays a piano -> plays the piano | A
I usually go to work by the bus. | by the bus -> by bus | A
It was a interesting film. | a interesting -> an interesting | A
He is a honest man. | a honest -> an honest | A
She is engineer in a big company. | She is engineer -> She is an engineer | A
We went at home after the lesson. | went at home -> went home | R
I am interested for history. | interested for -> interested in | R
She is afraid from dogs. | afraid from -> afraid of | R
We talked about it in the phone. | in the phone -> on the phone | R
I will see you in Monday. | in Monday -> on Monday | R
He was born on 1995. | born on 1995 -> born in 1995 | R
It is similar with the system in my country. | similar with -> similar to | R
I am responsible of the team. | responsible of -> responsible for | R
She always is late for class. | always is -> is always | O
I have visited never Paris. | have visited never -> have never visited | O
We go often to the park. | go often -> often go | O
He speaks very well English. | speaks very well English -> speaks English very well | O
I don't know where does she live. | where does she live -> where she lives | O
I do my homework always after dinner. | do my homework always -> always do my homework | O
Let me do a question. | do a question -> ask a question | W
I want to make a party for my birthday. | make a party -> have a party | W
I did a lot of friends at university. | did a lot of friends -> made a lot of friends | W
Can you borrow me your pen? | borrow me -> lend me | W
I learned him to ride a bike. | learned him -> taught him | W
Smoking is very dangerous to the health. | to the health -> to health | A
The exam was very easy, so I passed it easy. | passed it easy -> passed it easily | W
He speaks English very good. | very good -> very well | W
She sings beautiful. | sings beautiful -> sings beautifully | W
I feel myself tired today. | feel myself tired -> feel tired | W
This is the most biggest house in the street. | most biggest -> biggest | W
Both of my parent are doctors. | my parent are -> my parents are | P
I have a lot of works to do this week. | a lot of works -> a lot of work | P
Several student were absent today. | Several student -> Several students | P
These information are very useful. | These information are -> This information is | P
He gave me two advices about my essay. | two advices -> two pieces of advice | P
Children should use smartphones. Smartphones can distract them from homework and sleep.
I think she goes to school every day.
She has lived here for three years and she enjoys it.
The data shows a clear trend.
Everyone in my family likes music.
Neither of my brothers plays football.
The police are looking for the thief.
My family is big, and we often eat together.
Physics is my favourite subject.
I have been studying English for five years.
If I had more time, I would travel more.
I wish I were taller.
She suggested that he go home early.
I used to live in a small village.
I am used to getting up early.
He stopped to buy some bread on the way home.
I would rather stay at home tonight.
It's time we left.
Hardly had I arrived when it started to rain.
The number of students has grown.
A number of students have complained.
I have two brothers and one sister.
We stayed there for four days.
She gave me some good advice.
There are many reasons for this.
I look forward to meeting you.
I agree with this idea.
We should invest more in public transport.
He doesn't like spicy food.
Can you tell me where the station is?
I don't know what it is.
I went to bed very late.
I usually go to work by bus.
She plays the piano very well.
We went home after the lesson.
He was born in 1995.
I will see you on Monday.
She is always late for class.
I have never visited Paris.
He speaks English very well.
Let me ask a question.
Can you lend me your pen?
This is the biggest house in the street.
Three weeks is a long time to wait.
Ten dollars is not much money.
The committee has made its decision.
Each of the students has a book.
The people I met were friendly.
What I need is a holiday.
The news is very bad today.
My friend and I went to the cinema.
Between you and me, the plan is weak.
I saw a two-year-old girl in the park.
We rented a three-bedroom flat.
It was a five-minute walk from the station.
He has been a teacher since 2010.
Whoever wins will get a prize.
Not only did she win, but she also broke the record.
""".strip().splitlines()

# Written after the rules, and never used to change them: the figures on these sentences
# say how the checkers do on errors nobody tuned them for.
_HELD_OUT = """
My mother cook dinner for all of us every evening. | mother cook -> mother cooks | V
Our teacher give us too much homework. | teacher give -> teacher gives | V
She have two cats and a dog. | She have -> She has | V
He go to the gym three times a week. | He go -> He goes | V
They is my best friends. | They is -> They are | V
I can to swim very fast. | can to swim -> can swim | V
You must finishes the report today. | must finishes -> must finish | V
He didn't knew the answer. | didn't knew -> didn't know | T
Did she went to the meeting? | Did she went -> Did she go | T
I have finished it last week. | have finished it last week -> finished it last week | T
Two years ago I have started a new job. | I have started -> I started | T
I am working here since 2020. | am working here since -> have been working here since | T
I bringed my laptop to the class. | bringed -> brought | V
She writed a long letter to her aunt. | writed -> wrote | V
I saw five dog in the street. | five dog -> five dogs | P
We need more informations before we decide. | informations -> information | P
He has got a lot of knowledges about history. | knowledges -> knowledge | P
My grandfather gave me many advices. | many advices -> much advice | P
I waited for twenty minute at the stop. | twenty minute -> twenty minutes | P
She is a architect in a small office. | a architect -> an architect | A
My father is doctor in the city hospital. | is doctor -> is a doctor | A
We travelled to Spain by the train last summer. | by the train -> by train | A
I was waiting an hour for a bus in the rain, it was an horrible day. | an horrible -> a horrible | A
I want to talk about the happiness of people. | the happiness of people -> people's happiness | W
We are going to discuss about the new plan tomorrow. | discuss about -> discuss | R
Everything depends of the price. | depends of -> depends on | R
My cousin is married with a French man. | married with -> married to | R
She is very good in drawing. | good in -> good at | R
We arrived to the hotel at midnight. | arrived to -> arrived at | R
I am not interested about politics. | interested about -> interested in | R
I don't remember where did I put my keys. | where did I put -> where I put | O
Could you tell me what time is it? | what time is it -> what time it is | O
He plays very well the guitar. | plays very well the guitar -> plays the guitar very well | O
They usually are at home on Sundays. | usually are -> are usually | O
I have seen never a film like that. | have seen never -> have never seen | O
Can you say me the answer? | say me -> tell me | W
I made a lot of photos on holiday. | made a lot of photos -> took a lot of photos | W
She speaks French very bad. | very bad -> very badly | W
It was the most cheapest hotel in town. | most cheapest -> cheapest | W
He lent me his car because I wanted to borrow him money. | borrow him -> lend him | W
My brother works in a bank and he likes it.
Our teacher gives us a lot of homework.
She has two cats and a dog.
They are my best friends.
I can swim very fast.
He didn't know the answer.
I finished it last week.
I have been working here since 2020.
I brought my laptop to the class.
I saw five dogs in the street.
She is an architect in a small office.
We travelled to Spain by train last summer.
It depends on the price.
Could you tell me what time it is?
They are usually at home on Sundays.
I have never seen a film like that.
He plays the guitar very well.
It was the cheapest hotel in town.
Everyone was tired, so we went home early.
The team has won three games this season.
""".strip().splitlines()


@dataclass(frozen=True)
class MarkedError:
    before: str
    after: str
    category: str  # one of CATEGORIES' values

    def span(self, sentence: str) -> tuple[int, int]:
        start = sentence.index(self.before)
        return start, start + len(self.before)


@dataclass(frozen=True)
class Sentence:
    text: str
    errors: tuple[MarkedError, ...]
    spoken: bool


def _parse(line: str, spoken: bool) -> Sentence:
    text, *marks = (part.strip() for part in line.split(" | "))
    if len(marks) % 2:
        raise ValueError(f"an error needs 'before -> after' and a category: {line}")
    errors = []
    for change, code in zip(marks[::2], marks[1::2], strict=True):
        before, after = (side.strip() for side in change.split(" -> "))
        if text.count(before) != 1:
            raise ValueError(f"{before!r} must stand once in {text!r}")
        errors.append(MarkedError(before, after, CATEGORIES[code]))
    return Sentence(text, tuple(errors), spoken)


SENTENCES: tuple[Sentence, ...] = tuple(
    _parse(line, spoken=n % 3 == 0) for n, line in enumerate(_LINES) if line.strip()
)
HELD_OUT: tuple[Sentence, ...] = tuple(
    _parse(line, spoken=n % 3 == 0) for n, line in enumerate(_HELD_OUT) if line.strip()
)
