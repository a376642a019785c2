"""Our harder speech set: 84 synthesised answers whose words, fillers and pauses are known exactly.

    uv run python bench/speech_set.py        # writes every clip and manifest.json to bench/out/

44 answers with fillers (f01-f44) and 40 without (n01-n40), each spoken by one of 13 voices
(espeak-ng accents and variants, flite's slt, rms, awb and kal) at its own rate and pitch,
and each made under five conditions: clean, white or pink noise at 20 and 10 dB SNR (as the
product hears it, after the voice-note codec), a telephone line (300-3400 Hz through 8 kHz)
and a quiet recording (peak at -30 dBFS). Every clip is OGG/Opus at 32 kbit/s, like a voice
note.

An answer is written in a small markup:
  `|`       a pause; drawn per answer from 0.3-0.8 s or (at least one per answer) 1.1-2.2 s
  `{um}`    a filled pause (um, uh, er, hmm) set off by commas: spoken on its own as "um,",
            drawn out (rate setting 85-115: 0.3-0.6 s, as hesitations last), with a
            comma-like 0.12-0.25 s of silence either side
  `{um>}`   the same run into the next word: spoken on its own, drawn out, and joined to the
            next part with no silence at all, edge to edge. (espeak-ng reads an "um" inside a
            phrase as "I'm"; on its own it says a clean "um", which Whisper writes as um.)
  `{like}`  a discourse filler (like, you know, I mean), set off like `{um}`
Every filler is thus its own part, so its time is known to the sample. "I like music",
"do you know him", "I mean it" are plain words, and "I I think" a plain repetition.
flite spells "hmm" out (H, M, M), so flite answers say "um" where the markup says hmm.

Split: odd-numbered answers (f01, f03, ..., n01, ...) are held out, even-numbered ones are
for tuning. Voices go round a list of 13 (odd), so both halves hear every voice; rates,
pitches, pauses and noise colour are drawn from a generator seeded by the answer's id.
"""

from __future__ import annotations

import dataclasses
import json
import random
import re
import sys
import wave
import zlib
from dataclasses import dataclass
from pathlib import Path

import numpy as np

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from domain.speech import Interval
from tests.synth import SAMPLE_RATE, Paced, Silence, Synth, decode_pcm, synthesize, tokenize
from tests.synth.conditions import Colour, noisy, quiet, speech_power, telephone
from tests.synth.truth import FILLED_PAUSES
from tests.synth.voices import encode, speak

OUT = Path(__file__).resolve().parent / "out" / "speech-set"
CONDITIONS = ("clean", "snr20", "snr10", "phone", "quiet")
SNR_DB = {"snr20": 20.0, "snr10": 10.0}
SET_OFF, RUN_IN, DISCOURSE = "set-off", "run-in", "discourse"
FIRST_PAUSE_S = 0.3  # the first silence this long ends the first sentence
VOICED_GAP_S = 0.3  # quieter stretches shorter than this stay inside a voiced stretch
VOICED_LEVEL = 0.01  # of full scale (-40 dBFS), over 20 ms frames of the clean clip

# (voice, pitch range, words per minute spoken per unit of its rate setting), in turn; pitch
# is espeak-ng's -p or flite's mean F0 in Hz (flite's rms voice has a fixed pitch)
VOICES: tuple[tuple[str, tuple[int, int] | None, float], ...] = (
    ("espeak/en-us", (40, 60), 1.30),
    ("flite/slt", (150, 200), 1.26),
    ("espeak/en-gb", (35, 60), 1.32),
    ("flite/rms", None, 1.11),
    ("espeak/en-us+f3", (45, 70), 1.29),
    ("flite/awb", (105, 140), 1.34),
    ("espeak/en+m3", (30, 55), 1.39),
    ("flite/kal", (95, 125), 1.47),
    ("espeak/en-gb-scotland", (40, 60), 1.39),
    ("espeak/en-us+f2", (45, 70), 1.26),
    ("espeak/en-029+m5", (35, 55), 1.28),
    ("espeak/en-gb-x-rp+f4", (45, 65), 1.31),
    ("espeak/en-us-nyc", (35, 55), 1.39),
)
TARGET_WPM = (135.0, 205.0)  # drawn per answer: words per minute over the answer, pauses included
SPOKEN_WPM = (130.0, 300.0)  # bounds on the pace within the spoken parts
LONG_FIRST_WORDS = 30  # a first sentence this long is a long first window: 13-14.5 s of it
LONG_FIRST_S = (13.0, 14.5)
FILLED_PAUSE_RATE = (85, 115)  # um, uh are drawn out: ~0.3-0.6 s at these rate settings
FILLED_PAUSE_S = 0.45

FILLER_ANSWERS = (
    "Well, {um}, I think working from home is better for me | because {uh>} I save almost an"
    " hour every day | and, {you know}, I can start early when I feel fresh | I like tea in"
    " the morning and then I read my email",
    "My favorite place in the city is the old market near the river | it is, {like}, full of"
    " small shops and friendly people | {Uh}, on Sundays there is music | and I {um>} often"
    " meet my friends there | {I mean}, it feels like the heart of the town",
    "In my last job I had to finish a difficult report for a client in a very short time"
    " while my manager was away on holiday | {Um}, so I split the work into small parts | and"
    " asked a colleague for help | as a result we {uh>} finished on time | and the manager"
    " was very happy",
    "I I think the best teacher I ever had was my history teacher | she told us stories"
    " instead of reading from the book | and {um>} we remembered everything | {Er}, she also"
    " gave us time to ask questions | do you know how rare that is",
    "When I was a child my family lived in a small village near the mountains and every"
    " summer we walked to a lake that was about an hour away from our house and we swam there"
    " all afternoon | {Hmm}, I still remember the cold water | and the smell of {uh>} the"
    " pine trees | it was, {you know}, the best part of the year",
    "I would rather study in a group than alone | because other people explain things in a"
    " different way | {uh>} when I am stuck | someone always {um>} has an idea | {Um},"
    " sometimes we talk too much | but I like the energy of a group",
    "The most useful invention in my life is the bicycle | it is cheap and quiet and {um>} it"
    " keeps me healthy | {Uh}, I ride to school every morning | and I I never wait for the"
    " bus | {I mean}, why would I sit in traffic",
    "If I could change one thing in my town I would build more parks | right now there are"
    " only streets and parking lots | {Er}, children have nowhere to play | and {uh>} old"
    " people have nowhere to sit | {you know}, a park makes a town feel alive",
    "I prefer to read books on paper | {Um}, screens make my eyes tired after an hour | and I"
    " like the feeling of turning the pages | {Uh}, also I remember more | when I can {uh>}"
    " see where the words are on the page",
    "Last year I learned to cook | at first I burned almost everything | {Hmm}, but my"
    " roommate was patient with me | and {um>} she showed me some simple dishes | now I cook"
    " dinner for us twice a week",
    "Some people say that homework is useless and that students should rest in the evening"
    " after a long day at school instead of sitting at a desk again | {Er}, I do not agree |"
    " homework gives students {um>} time to practice alone | {uh>} without a teacher | and,"
    " {like}, you find out what you really understand",
    "The best trip I ever took was a train journey along the coast with my older brother and"
    " we stopped in every small town on the way to try the local food and talk to people in"
    " the markets | {Um}, we had no plan at all | and {uh>} that was the fun of it | I would"
    " love to {um>} do it again",
    "I think public transport should be free | {Uh}, more people would leave their cars at"
    " home | and the air in the city would be cleaner | {Um}, of course someone has to pay"
    " for it | but {er>} the city already pays for roads",
    "My grandmother taught me how to grow vegetables | we had a small garden behind her house"
    " | {Um}, every spring we planted tomatoes and beans | and {uh>} I watered them every"
    " evening | {you know}, food tastes better when you grow it yourself",
    "I like music a lot | {Uh}, mostly old jazz and some classical pieces | I play the piano"
    " a little | {Um}, not very well | but {um>} it helps me relax after a long day",
    "A good friend is someone who tells you the truth even when it is hard to hear and even"
    " when it would be easier to stay quiet | {Er}, my best friend told me once that I {um>}"
    " talk too much | {Uh}, I was angry at first | but, {I mean}, she was right",
    "Technology has changed the way we study | {Um}, I can watch a lecture at home | and"
    " {uh>} pause it when I need to | do you know anyone who still uses a paper dictionary |"
    " {Hmm}, I do not",
    "The hardest decision I made was to move to another city for university | {Uh}, I had to"
    " leave my family and friends | and {er>} start again from nothing | {Um}, the first"
    " month was lonely | but then I joined a sports club",
    "I think every student should learn to manage money before they finish school because"
    " many young people get their first credit card and they have no idea how interest works"
    " or how quickly a small debt can grow | {Um}, my cousin learned that {er>} the hard way"
    " | {uh>} he is still paying it back",
    "My favorite season is autumn | {Uh}, the weather is cool | and the trees turn {uh>} red"
    " and yellow | {Um}, I like long walks in the park | and, {you know}, the light in the"
    " evening is beautiful",
    "When I have a problem I usually talk to my father | {Er}, he listens without judging |"
    " and {uh>} he asks good questions | {Um}, he never tells me what to do | he helps me"
    " find the answer myself",
    "I believe that sports teach children important lessons that they cannot learn in a"
    " classroom or from a book however good the teacher is | {Uh}, they learn to work in a"
    " team | and {um>} they learn to lose | {like}, nobody wins every game | and that is fine",
    "Online classes have good and bad sides | {Um}, you can study from anywhere | but {uh>}"
    " it is easy to lose focus | {Hmm}, I think the best is a mix | some classes online and"
    " some in a real room",
    "My dream job is to be an architect | {Uh}, I love drawing buildings | and I I often"
    " imagine how a street could look better | {Um}, I know it takes many years of study |"
    " but {er>} I am ready for that",
    "I do not like big parties | {Um}, they are too loud for me | I prefer a quiet dinner"
    " with a {um>} few friends | {Uh}, we can actually talk | and, {I mean}, that is the"
    " point of meeting people",
    "The person I admire most is my mother because she worked full time and still found the"
    " energy to help me with my homework every evening and she never complained about being"
    " tired even when she clearly was | {Uh}, I did not understand that as a child | {um>}"
    " now I do",
    "Learning a second language opens many doors | {Er}, you can travel more easily | and"
    " {uh>} read books in the original | {Um}, it also helps you think in a different way |"
    " do you know what I mean",
    "I think cities should ban cars from the center | {Uh}, the streets would be safer for"
    " children | and {um>} shops would have more customers | {you know}, people spend more"
    " when they walk | than when they drive past",
    "My first day at a new school was difficult because I had just moved from another country"
    " and I did not speak the language very well yet | {Um}, I did not know anyone | and"
    " {uh>} I got lost twice | {Hmm}, then a girl in my class showed me around | we are still"
    " friends today",
    "A hobby I enjoy is photography | {Er}, I take pictures of {um>} old doors and windows |"
    " {uh>} every city has different ones | {Um}, I like how they show the history of a place"
    " | it looks like a small museum on every street",
    "Some people think children should start school at four | {Uh}, I think that is too early"
    " | children need time to play | and {um>} learn by themselves | {I mean}, there is"
    " plenty of time for school later",
    "The best advice I ever got was to ask for help early | {Um}, I used to wait until a"
    " problem was huge | {uh>} and then I panicked | {Er}, now I ask as soon as I am stuck |"
    " it saves a lot of time",
    "In my opinion the most important quality of a leader is the ability to listen because"
    " people will follow someone who understands their problems much more willingly than"
    " someone who only gives orders from an office | {Um}, I saw this in my last team | {uh>}"
    " our manager asked us before every decision",
    "I like to spend weekends outside the city | {Uh}, we drive to the hills with some"
    " friends | and {er>} walk for a few hours | {Um}, the fresh air helps me sleep | and,"
    " {you know}, there is no phone signal",
    "My favorite food is soup because it is simple and warm and you can make it in many ways"
    " | {Um}, you can put almost anything in it | and {uh>} it is always cheap | {Hmm}, my"
    " grandmother makes the best one | I mean it nobody makes it better",
    "I think zoos should exist but they need to change | {Er}, animals need much more space |"
    " {um>} and natural places to hide | {Uh}, a good zoo can protect animals | that are in"
    " danger in the wild",
    "The last book I read was about the ocean | {Uh}, it explained how currents carry heat"
    " around the planet | and {um>} why that matters for the weather | {like}, I never knew"
    " that | I read it in {uh>} two evenings",
    "Team projects at university taught me a lot | {Um}, one person always does too much |"
    " and {uh>} someone else does nothing | {Er}, so now I split the tasks on the first day |"
    " and we check them every week",
    "I prefer trains to planes | {Uh}, you can see the country | and {um>} walk around during"
    " the trip | {Hmm}, it takes longer of course but I like the slow pace",
    "Most people in my country start work very early in the morning and finish in the"
    " afternoon which means that the evenings are long and families can eat dinner together"
    " and spend time with each other | {Um}, I think that is a good system | {er>} it keeps"
    " families close",
    "If I had more free time I would learn to paint | {Uh}, my aunt is a painter | and {um>}"
    " her house is full of color | {you know}, she paints every single morning | and she is"
    " {er>} never bored",
    "A skill everyone should learn is cooking | {Er}, it saves money | {uh>} and it is"
    " healthier than fast food | {Um}, I cook with fresh vegetables | and I I try a new"
    " recipe every week",
    "I think social media has made people lonely | {Um}, we see photos of friends every day |"
    " but {uh>} we rarely meet them | {I mean}, a message is not the same as a visit | do you"
    " know what I do now | I call people instead",
    "The place I would most like to visit is the desert | {Uh}, I have never seen so much"
    " empty space | and {er>} I want to see the stars at night | {Um}, people say the {um>}"
    " silence is amazing | and I like silence",
)

FREE_ANSWERS = (
    "I think the best way to learn is by doing | reading helps but practice is what really"
    " counts | when I started my job I made many mistakes | and each one taught me something"
    " new",
    "My hometown is a small town by the sea | in summer it is full of tourists | and in"
    " winter it is very quiet | I like both seasons for different reasons",
    "Do you know why people enjoy cooking shows | I think they like watching someone create"
    " something from simple ingredients | it looks like magic | but it is just practice",
    "I believe that every city should have a public library because it gives everyone the"
    " same chance to read and study no matter how much money they have and it is also a warm"
    " quiet place where people can meet | my town library changed my life | I went there"
    " every day after school",
    "The most important thing in a job is the people you work with | a good team makes hard"
    " work feel easy | and a bad team makes easy work feel hard",
    "I usually wake up early on weekdays | I have breakfast and check the news | then I walk"
    " to the station | the train ride is quite long | so I read a book on the way",
    "I like animals very much | we have two cats at home | they sleep most of the day | and"
    " they play at night when we want to sleep",
    "Some people prefer to live alone but I would rather share a flat with two or three"
    " friends who like the same things as me | it is cheaper and you always have someone to"
    " talk to | I mean that in a good way",
    "My favorite subject was math | I liked that every problem had a clear answer | my"
    " teacher gave us hard puzzles on Fridays | and we worked on them in pairs",
    "Traveling teaches you more than any classroom | you learn to plan and to solve problems"
    " | and you meet people who see the world differently",
    "The best gift I ever received was a simple notebook from my grandfather who told me to"
    " write down one good thing that happened every day and I have done that for many years"
    " now without missing more than a few days | when I feel sad I read it | and it always"
    " helps",
    "I think uniforms in schools are a good idea | students do not have to worry about"
    " clothes | and nobody feels poor or rich | it makes the school feel like one big team",
    "Do you know him | that is my neighbor | he repairs old radios in his garage | and he"
    " sells them at the market on Saturdays",
    "Exercise is part of my daily routine | I go running three times a week | and I swim on"
    " Sundays | it keeps my mind clear",
    "I prefer small shops to big supermarkets | the people who work there know their products"
    " | and they remember what you like",
    "Children today spend too much time on screens | they should play outside more | climb"
    " trees and get dirty | that is how I grew up",
    "The most beautiful building in my city is the old train station which was built a very"
    " long time ago by a famous engineer | it has a huge glass roof | and the light inside"
    " changes all day",
    "Many people think that working from home is easier than working in an office but in my"
    " experience it needs much more discipline because nobody sees you and it is very easy to"
    " start late or to take long breaks | I had to make a strict plan | and I still follow it",
    "My brother and I are very different | he loves football and loud music | I I prefer"
    " books and quiet evenings | but we get along very well",
    "Good sleep is the secret of good grades | when I sleep well I remember everything | when"
    " I stay up late I forget half of what I read",
    "I would like to live in another country for a year or two after I finish my studies and"
    " before I start a real job | it would be hard at first | but I would learn the language"
    " much faster | and I would make new friends",
    "Volunteering is a great way to help your community | I help at a food bank every month |"
    " we sort boxes and give meals to families | it feels good to be useful",
    "Do you know what I like most about my job | I get to solve a new problem every day | and"
    " nobody tells me how to do it",
    "Museums should be free for students | art and history belong to everyone | and young"
    " people need places to learn outside school",
    "When I finished school I did not know what I wanted to study so I took a year off and"
    " worked in a bakery where I learned to get up before dawn and to work quickly and"
    " carefully with my hands | that year taught me patience | and I still bake bread at home",
    "My phone is useful but I try not to use it too much | I turn it off during dinner | and"
    " I never take it to bed",
    "The weather in my country changes very quickly | it can be sunny in the morning | and"
    " rainy in the afternoon | so we always carry an umbrella",
    "I think everyone should learn to swim | it is a skill that can save your life | and it"
    " is also a lot of fun",
    "I like to plan my holidays carefully | I read about the places before I go | and I make"
    " a list of things to see | but I also leave some days free",
    "A good manager listens to the team and gives clear goals and then trusts people to do"
    " their work without checking on them every hour | I had a manager like that once | and"
    " it was the best job I ever had",
    "Art classes are as important as science classes | they teach children to be creative |"
    " and to see the world in new ways",
    "The biggest change in my life was when my family moved from a farm to a busy city and I"
    " had to get used to the noise and the crowds and the fact that nobody said hello to each"
    " other in the street | it took me a long time | but now I love the energy of the city",
    "My best friend lives far away now | we talk on the phone every Sunday | and we visit"
    " each other in the summer | distance does not change a real friendship",
    "I think shops should close on Sundays | workers need a day of rest | and families need"
    " time together | the world will not stop if we cannot buy things for one day",
    "When I feel stressed I go for a long walk | I leave my phone at home | and I just look"
    " at the trees and the sky | after an hour I feel much better",
    "I mean what I say | when I promise something I do it | my parents taught me that a"
    " promise is important | and people trust me because of that",
    "Learning to drive was harder than I expected | there are so many things to watch at once"
    " | but after a few months it became natural",
    "My favorite holiday is the new year | the whole family gets together | we cook a big"
    " dinner | and we stay up until midnight",
    "I think that the most important skill for the future will be the ability to keep"
    " learning because jobs are changing so fast that what you study at university may be old"
    " news by the time you finish your degree | so I try to learn something new every month |"
    " even if it is small",
    "I like quiet mornings | I make coffee and sit by the window | and I watch the street"
    " wake up | it is the calmest part of my day",
)

_MARK = re.compile(r"\{([^}]+?)(>?)\}|\|")


@dataclass(frozen=True)
class Answer:
    id: str  # "f07": with fillers, "n07": without
    markup: str
    voice: str
    rate_wpm: int
    pitch: int | None
    noise: str  # "white" or "pink"
    parts: tuple[str | Silence | Paced, ...]
    filler_kinds: tuple[str, ...]  # SET_OFF, RUN_IN or DISCOURSE, one per filler in order

    @property
    def held_out(self) -> bool:
        return held_out(self.id)


@dataclass(frozen=True)
class Clip:
    """One answer under one condition: the encoded clip and its truth."""

    answer: Answer
    condition: str
    synth: Synth  # its path is the conditioned OGG/Opus clip
    voiced: tuple[Interval, ...]  # where the clean clip is voiced (short gaps bridged)

    @property
    def name(self) -> str:
        return f"{self.answer.id} {self.condition}"


def held_out(answer_id: str) -> bool:
    """The split: odd-numbered answers are held out, even-numbered ones are for tuning."""
    return int(answer_id[1:]) % 2 == 1


def answers() -> list[Answer]:
    """Every answer of the set, fillers first, in id order."""
    made = [_answer(f"f{n:02}", text) for n, text in enumerate(FILLER_ANSWERS, 1)]
    return made + [_answer(f"n{n:02}", text) for n, text in enumerate(FREE_ANSWERS, 1)]


def _answer(answer_id: str, markup: str) -> Answer:
    rng = random.Random(f"speech-set:{answer_id}")
    voice, pitches, per_setting = VOICES[(int(answer_id[1:]) - 1) % len(VOICES)]
    pitch = rng.randint(*pitches) if pitches else None
    noise = rng.choice(["white", "pink"])
    parts, kinds = parse(markup, rng, flite=voice.startswith("flite"))
    first = next(p for p in parts if isinstance(p, str))
    if len(first.split()) < LONG_FIRST_WORDS:
        setting = round(_spoken_wpm(parts, rng) / per_setting)
    else:  # a voice's pace varies with the words, so time the sentence once and correct
        wanted_s = rng.uniform(*LONG_FIRST_S)
        guess = round(len(first.split()) * 60 / wanted_s / per_setting)
        said_s = speak(first, voice, guess, pitch).size / SAMPLE_RATE
        setting = round(guess * said_s / wanted_s)
    return Answer(answer_id, markup, voice, setting, pitch, noise, parts, kinds)


def _spoken_wpm(parts: tuple[str | Silence | Paced, ...], rng: random.Random) -> float:
    """The pace within the spoken parts that gives the answer its drawn rate, pauses included."""
    said = [w for p in parts if isinstance(p, str) for w in tokenize(p)[0]]
    words = sum(w not in FILLED_PAUSES for w in said)
    paused_s = sum(p.seconds for p in parts[1:-1] if isinstance(p, Silence))
    paused_s += FILLED_PAUSE_S * sum(isinstance(p, Paced) for p in parts)
    minutes = words / rng.uniform(*TARGET_WPM) - paused_s / 60
    low, high = SPOKEN_WPM
    return min(max(len(said) / minutes, low), high) if minutes > 0 else high


def parse(
    markup: str, rng: random.Random, flite: bool = False
) -> tuple[tuple[str | Silence | Paced, ...], tuple[str, ...]]:
    """Parts to synthesise, and the kind of each filler, from an answer's markup."""
    pauses = markup.count("|")
    long_ones = {rng.randrange(pauses)} | {i for i in range(pauses) if rng.random() < 0.3}
    lengths = iter(
        round(rng.uniform(1.1, 2.2) if i in long_ones else rng.uniform(0.3, 0.8), 2)
        for i in range(pauses)
    )
    parts: list[str | Silence | Paced] = [Silence(round(rng.uniform(0.3, 0.7), 2))]
    kinds: list[str] = []
    position = 0
    for match in _MARK.finditer(markup):
        _text(parts, markup[position : match.start()])
        position = match.end()
        if match[0] == "|":
            parts.append(Silence(next(lengths)))
            continue
        filler, run_in = match[1], bool(match[2])
        if flite and filler.lower() == "hmm":
            filler = "Um" if filler[0].isupper() else "um"
        filled = filler.lower() in FILLED_PAUSES
        drawn_out = rng.randint(*FILLED_PAUSE_RATE)
        if run_in and filled:
            parts.append(Paced(filler, drawn_out))
            kinds.append(RUN_IN)
            continue
        said = Paced(f"{filler},", drawn_out) if filled else f"[{filler}],"
        comma = round(rng.uniform(0.12, 0.25), 2), round(rng.uniform(0.12, 0.25), 2)
        parts += [Silence(comma[0]), said, Silence(comma[1])]
        kinds.append(SET_OFF if filled else DISCOURSE)
    _text(parts, markup[position:])
    parts.append(Silence(round(rng.uniform(0.4, 0.8), 2)))
    return tuple(parts), tuple(kinds)


def _text(parts: list[str | Silence | Paced], text: str) -> None:
    text = text.strip().removeprefix(",").strip()  # "Well," keeps its comma, ", I think" not
    if text:
        parts.append(text)


def make(answer: Answer, condition: str, folder: Path = OUT) -> Clip:
    """The answer's clip under `condition` (OGG/Opus, like a voice note), made afresh."""
    clean = synthesize(
        answer.parts,
        folder / f"{answer.id}.wav",
        voice=answer.voice,
        rate_wpm=answer.rate_wpm,
        fmt="wav",
        pitch=answer.pitch,
    )
    samples = read_wav(clean.path)
    target = folder / f"{answer.id}-{condition}.ogg"
    if condition in SNR_DB:
        _noisy_voice_note(samples, clean, answer, SNR_DB[condition], target)
    else:
        shape = {"clean": lambda x: x, "phone": telephone, "quiet": quiet}[condition]
        encode(shape(samples), target, "ogg")
    synth = dataclasses.replace(clean, path=target)
    return Clip(answer, condition, synth, voiced_stretches(samples, clean))


def _noisy_voice_note(
    samples: np.ndarray, clean: Synth, answer: Answer, snr_db: float, target: Path
) -> None:
    """Noise at `snr_db` as the product hears it: after Opus, which drops ~3 dB of white noise.

    Encoded once, the noise measured in the inserted silences (digital zero before it was
    added), and encoded again with the level corrected by what the codec took.
    """
    spoken = [(round(p.start_s * SAMPLE_RATE), round(p.end_s * SAMPLE_RATE)) for p in clean.parts]
    pauses = [
        (round(s.start_s * SAMPLE_RATE), round(s.end_s * SAMPLE_RATE)) for s in clean.silences
    ]
    seed = zlib.crc32(f"{answer.id} {snr_db}".encode())
    colour: Colour = "pink" if answer.noise == "pink" else "white"

    def encoded_at(asked_db: float) -> float:
        encode(noisy(samples, asked_db, seed, colour, spoken), target, "ogg")
        heard = np.frombuffer(decode_pcm(target), np.int16)[: samples.size]
        return 10 * float(np.log10(speech_power(samples, spoken) / speech_power(heard, pauses)))

    encoded_at(2 * snr_db - encoded_at(snr_db))


def read_wav(path: Path) -> np.ndarray:
    with wave.open(str(path), "rb") as reader:
        return np.frombuffer(reader.readframes(reader.getnframes()), np.int16)


def voiced_stretches(samples: np.ndarray, clip: Synth) -> tuple[Interval, ...]:
    """Stretches of the spoken parts louder than -40 dBFS, gaps under VOICED_GAP_S bridged."""
    frame = SAMPLE_RATE // 50
    count = samples.size // frame
    frames = samples[: count * frame].astype(np.float64).reshape(count, frame)
    loud = np.sqrt(np.mean(frames**2, axis=1)) > VOICED_LEVEL * 32768
    stretches: list[list[float]] = []
    for index in np.flatnonzero(loud):
        start, end = index / 50, (index + 1) / 50
        if stretches and start - stretches[-1][1] < VOICED_GAP_S:
            stretches[-1][1] = end
        else:
            stretches.append([start, end])
    spoken = [(p.start_s, p.end_s) for p in clip.parts]
    return tuple(
        Interval(round(a, 3), round(b, 3))
        for a, b in stretches
        if any(a < end and b > start for start, end in spoken)
    )


def first_sentence_s(clip: Synth) -> float:
    """From the first voiced sample to the first inserted silence of FIRST_PAUSE_S or more."""
    onset = clip.parts[0].start_s
    pause = next(
        (s for s in clip.silences if s.start_s > onset and s.duration_s >= FIRST_PAUSE_S), None
    )
    return (pause.start_s if pause else clip.parts[-1].end_s) - onset


def main() -> None:
    OUT.mkdir(parents=True, exist_ok=True)
    manifest = []
    for answer in answers():
        for condition in CONDITIONS:
            clip = make(answer, condition)
            print(f"{clip.name}: {clip.synth.path.name}", file=sys.stderr)
        truth = clip.synth
        manifest.append(
            {
                "id": answer.id,
                "split": "held-out" if answer.held_out else "tune",
                "voice": answer.voice,
                "rate_setting": answer.rate_wpm,
                "pitch": answer.pitch,
                "noise": answer.noise,
                "wpm": round(truth.wpm, 1),
                "first_sentence_s": round(first_sentence_s(truth), 2),
                "duration_s": round(truth.duration_s, 2),
                "text": truth.text,
                "fillers": [
                    {"text": f.text, "kind": kind, "part": f.part_index}
                    for f, kind in zip(truth.fillers, answer.filler_kinds, strict=True)
                ],
                "long_pauses": [round(p.duration_s, 2) for p in truth.pauses if p.duration_s >= 1],
            }
        )
    (OUT / "manifest.json").write_text(json.dumps(manifest, indent=1) + "\n")
    print(f"{len(manifest)} answers x {len(CONDITIONS)} conditions in {OUT}", file=sys.stderr)


if __name__ == "__main__":
    main()
