"""The words our own grammar rules know: verbs with their forms, countable and uncountable
nouns, people's roles. Small on purpose: a rule fires only on words it knows, so what it
says is right (a correct phrase called wrong is the worst thing a coach can do)."""

from __future__ import annotations

# base: (past, past participle)
IRREGULAR = {
    "be": ("was", "been"), "become": ("became", "become"), "begin": ("began", "begun"),
    "break": ("broke", "broken"), "bring": ("brought", "brought"),
    "build": ("built", "built"), "buy": ("bought", "bought"), "catch": ("caught", "caught"),
    "choose": ("chose", "chosen"), "come": ("came", "come"), "cost": ("cost", "cost"),
    "cut": ("cut", "cut"), "do": ("did", "done"), "draw": ("drew", "drawn"),
    "drink": ("drank", "drunk"), "drive": ("drove", "driven"), "eat": ("ate", "eaten"),
    "fall": ("fell", "fallen"), "feel": ("felt", "felt"), "fight": ("fought", "fought"),
    "find": ("found", "found"), "fly": ("flew", "flown"), "forget": ("forgot", "forgotten"),
    "get": ("got", "got"), "give": ("gave", "given"), "go": ("went", "gone"),
    "grow": ("grew", "grown"), "have": ("had", "had"), "hear": ("heard", "heard"),
    "hold": ("held", "held"), "keep": ("kept", "kept"), "know": ("knew", "known"),
    "leave": ("left", "left"), "lend": ("lent", "lent"), "let": ("let", "let"),
    "lose": ("lost", "lost"), "make": ("made", "made"), "mean": ("meant", "meant"),
    "meet": ("met", "met"), "pay": ("paid", "paid"), "put": ("put", "put"),
    "read": ("read", "read"), "ride": ("rode", "ridden"), "ring": ("rang", "rung"),
    "run": ("ran", "run"), "say": ("said", "said"), "see": ("saw", "seen"),
    "sell": ("sold", "sold"), "send": ("sent", "sent"), "sing": ("sang", "sung"),
    "sit": ("sat", "sat"), "sleep": ("slept", "slept"), "speak": ("spoke", "spoken"),
    "spend": ("spent", "spent"), "stand": ("stood", "stood"), "swim": ("swam", "swum"),
    "take": ("took", "taken"), "teach": ("taught", "taught"), "tell": ("told", "told"),
    "think": ("thought", "thought"), "throw": ("threw", "thrown"),
    "understand": ("understood", "understood"), "wake": ("woke", "woken"),
    "wear": ("wore", "worn"), "win": ("won", "won"), "write": ("wrote", "written"),
}  # fmt: skip
REGULAR = [
    "agree",
    "answer",
    "arrive",
    "ask",
    "believe",
    "call",
    "change",
    "clean",
    "close",
    "cook",
    "dance",
    "decide",
    "depend",
    "enjoy",
    "explain",
    "finish",
    "happen",
    "help",
    "hope",
    "invest",
    "join",
    "like",
    "listen",
    "live",
    "look",
    "love",
    "move",
    "need",
    "open",
    "plan",
    "play",
    "prefer",
    "remember",
    "seem",
    "start",
    "stay",
    "stop",
    "study",
    "suggest",
    "talk",
    "travel",
    "try",
    "use",
    "visit",
    "wait",
    "walk",
    "want",
    "watch",
    "work",
    "worry",
]


def third_person(base: str) -> str:
    """The -s form: works, watches, studies, goes, has."""
    if base == "have":
        return "has"
    if base == "be":
        return "is"
    if base.endswith(("s", "sh", "ch", "x", "z", "o")):
        return base + "es"
    if base.endswith("y") and base[-2:-1] not in "aeiou":
        return base[:-1] + "ies"
    return base + "s"


def regular_past(base: str) -> str:
    if base.endswith("e"):
        return base + "d"
    if base.endswith("y") and base[-2:-1] not in "aeiou":
        return base[:-1] + "ied"
    if base in ("plan", "stop", "prefer"):
        return base + base[-1] + "ed"
    return base + "ed"


VERBS = sorted({*IRREGULAR, *REGULAR})
PAST = {base: IRREGULAR[base][0] if base in IRREGULAR else regular_past(base) for base in VERBS}
PARTICIPLE = {
    base: IRREGULAR[base][1] if base in IRREGULAR else regular_past(base) for base in VERBS
}
THIRD = {base: third_person(base) for base in VERBS}
# Any form of a known verb that is not its base: its base.
NOT_BASE = {
    **{form: base for base, form in THIRD.items()},
    **{form: base for base, form in PAST.items() if form != base},
    **{form: base for base, form in PARTICIPLE.items() if form != base},
    # forms learners make by rule for irregular verbs
    **{regular_past(base): base for base in IRREGULAR if regular_past(base) != PAST[base]},
}
# Words that are also common nouns: a rule that needs a verb does not take them alone.
ALSO_NOUNS = frozenset(
    [
        "answer",
        "call",
        "change",
        "cost",
        "cut",
        "dance",
        "drink",
        "fall",
        "fight",
        "help",
        "hope",
        "lives",
        "love",
        "plan",
        "plays",
        "play",
        "run",
        "stay",
        "study",
        "talk",
        "use",
        "visit",
        "wait",
        "walk",
        "watch",
        "work",
        "works",
    ]
)

_COUNTABLE = [
    "apple",
    "bag",
    "bank",
    "bed",
    "bike",
    "book",
    "bottle",
    "box",
    "boy",
    "brother",
    "bus",
    "car",
    "cat",
    "chair",
    "child",
    "city",
    "class",
    "computer",
    "country",
    "day",
    "dog",
    "dollar",
    "door",
    "evening",
    "euro",
    "exam",
    "family",
    "father",
    "flat",
    "friend",
    "game",
    "girl",
    "glass",
    "hour",
    "house",
    "idea",
    "job",
    "kilometre",
    "kilometer",
    "language",
    "lesson",
    "letter",
    "man",
    "meeting",
    "minute",
    "month",
    "morning",
    "mother",
    "night",
    "page",
    "parent",
    "party",
    "person",
    "phone",
    "picture",
    "place",
    "problem",
    "question",
    "reason",
    "room",
    "school",
    "second",
    "shop",
    "sister",
    "song",
    "student",
    "subject",
    "teacher",
    "team",
    "thing",
    "ticket",
    "time",
    "town",
    "tree",
    "trip",
    "week",
    "weekend",
    "woman",
    "word",
    "year",
]
_IRREGULAR_PLURALS = {
    "child": "children", "man": "men", "woman": "women", "person": "people",
    "box": "boxes", "bus": "buses", "class": "classes", "glass": "glasses",
    "city": "cities", "country": "countries", "family": "families", "party": "parties",
}  # fmt: skip
PLURAL = {noun: _IRREGULAR_PLURALS.get(noun, noun + "s") for noun in _COUNTABLE}
SINGULAR = {plural: noun for noun, plural in PLURAL.items()}
UNCOUNTABLE_PLURALS = {
    "informations": "information", "advices": "advice", "furnitures": "furniture",
    "homeworks": "homework", "knowledges": "knowledge", "equipments": "equipment",
    "luggages": "luggage", "baggages": "baggage", "educations": "education",
    "feedbacks": "feedback", "softwares": "software", "researches": "research",
    "evidences": "evidence", "traffics": "traffic", "sceneries": "scenery",
}  # fmt: skip
UNCOUNTABLE = frozenset(UNCOUNTABLE_PLURALS.values()) | {"money", "water", "time", "work"}
NUMBERS = frozenset(
    [
        "two",
        "three",
        "four",
        "five",
        "six",
        "seven",
        "eight",
        "nine",
        "ten",
        "eleven",
        "twelve",
        "fifteen",
        "twenty",
        "thirty",
        "forty",
        "fifty",
        "hundred",
        "several",
        "many",
        "few",
        "both",
        "these",
        "those",
        "various",
        "numerous",
    ]
)
ROLES = frozenset(
    [
        "student",
        "teacher",
        "doctor",
        "nurse",
        "engineer",
        "lawyer",
        "manager",
        "child",
        "designer",
        "driver",
        "farmer",
        "programmer",
        "developer",
        "waiter",
        "waitress",
        "cook",
        "musician",
        "writer",
        "artist",
        "scientist",
    ]
)
SUBJECTS = {"i": "have", "you": "have", "we": "have", "they": "have", "he": "has",
            "she": "has", "it": "has"}  # fmt: skip
MODALS = frozenset(
    [
        "can",
        "can't",
        "cannot",
        "could",
        "couldn't",
        "should",
        "shouldn't",
        "must",
        "mustn't",
        "will",
        "won't",
        "would",
        "wouldn't",
        "might",
        "may",
    ]
)
DETERMINERS = frozenset(["my", "your", "his", "her", "our", "their", "the", "this", "that"])
