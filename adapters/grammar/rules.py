"""Our own grammar rules, for frequent learner errors that Harper does not catch.

Each rule is a pattern over the words of one clause, firing only on words it knows
(adapters.grammar.lexicon), so that it is right when it speaks: "three evening a week" ->
"three evenings a week", "should to invest" -> "should invest", "I don't know what is it"
-> "what it is". bench/grammar.py measures their precision and recall with Harper's on a
set of learner sentences.
"""

from __future__ import annotations

import itertools
import re
from collections.abc import Callable, Iterator
from dataclasses import dataclass

from adapters.grammar import lexicon as lx
from domain.grammar import (
    ARTICLES,
    PLURALS,
    PREPOSITIONS,
    TENSE,
    VERB_FORM,
    WORD_CHOICE,
    WORD_ORDER,
    Correction,
)

_TOKEN = re.compile(r"[A-Za-z][A-Za-z'’-]*|\d+|[.!?;:,]")
_BREAK = frozenset(".!?;:")
PRONOUNS = frozenset(["i", "you", "he", "she", "it", "we", "they"])
CLAUSE_OPENERS = frozenset(
    ["and", "but", "because", "so", "that", "when", "if", "while", "although", "then"]
)
WEEKDAYS = frozenset(["monday", "tuesday", "wednesday", "thursday", "friday", "saturday", "sunday"])
MONTHS = frozenset(
    [
        "january",
        "february",
        "march",
        "april",
        "may",
        "june",
        "july",
        "august",
        "september",
        "october",
        "november",
        "december",
    ]
)
FINISHED_TIME = frozenset(["yesterday", "ago"])


@dataclass(frozen=True)
class Tok:
    text: str
    low: str
    start: int
    end: int

    @property
    def is_word(self) -> bool:
        return self.low[0].isalnum()


class Clause:
    """The words of a text between sentence ends, with helpers to read them."""

    def __init__(self, text: str, toks: list[Tok]) -> None:
        self.text, self.toks = text, toks

    def low(self, i: int) -> str:
        return self.toks[i].low if 0 <= i < len(self.toks) else ""

    def opens_clause(self, i: int) -> bool:
        """Whether the word at i begins a clause: first, or after a comma or a conjunction."""
        return i == 0 or self.low(i - 1) in CLAUSE_OPENERS or self.low(i - 1) == ","

    def fix(self, first: int, last: int, after: str, reason: str, category: str) -> Correction:
        """Words first..last (inclusive) replaced by `after`."""
        start, end = self.toks[first].start, self.toks[last].end
        return Correction(self.text[start:end], after, reason, category, start, end, "rules")

    def words(self, first: int, last: int) -> str:
        return self.text[self.toks[first].start : self.toks[last].end]


Rule = Callable[[Clause], Iterator[Correction]]


def _clauses(text: str) -> Iterator[Clause]:
    toks: list[Tok] = []
    for found in _TOKEN.finditer(text):
        token = found.group().replace("’", "'")
        if token in _BREAK:
            if toks:
                yield Clause(text, toks)
            toks = []
            continue
        toks.append(Tok(token, token.lower(), found.start(), found.end()))
    if toks:
        yield Clause(text, toks)


def _cased(model: str, word: str) -> str:
    """`word` capitalised as `model` is (a fix at the start of a sentence keeps its capital)."""
    return word[:1].upper() + word[1:] if model[:1].isupper() else word


def _number(low: str) -> bool:
    return low in lx.NUMBERS or (low.isdigit() and 1 < int(low) < 1000)


# Plurals and countability


def number_and_singular(c: Clause) -> Iterator[Correction]:
    for i in range(len(c.toks) - 1):
        noun = c.low(i + 1)
        if _number(c.low(i)) and noun in lx.PLURAL and c.low(i + 2) not in lx.PLURAL:
            plural = lx.PLURAL[noun]
            yield c.fix(
                i,
                i + 1,
                f"{c.toks[i].text} {plural}",
                f"After '{c.toks[i].text}', the noun takes its plural: '{plural}'.",
                PLURALS,
            )


def uncountable_plural(c: Clause) -> Iterator[Correction]:
    for i, tok in enumerate(c.toks):
        if tok.low in lx.UNCOUNTABLE_PLURALS:
            noun = lx.UNCOUNTABLE_PLURALS[tok.low]
            why = f"'{noun.capitalize()}' is uncountable: it has no plural."
            before = c.low(i - 1)
            if before in ("many", "these", "those") or _number(before):
                fixed = {"many": "much", "these": "this", "those": "that"}.get(before)
                after = f"{fixed} {noun}" if fixed else f"{c.toks[i - 1].text} pieces of {noun}"
                yield c.fix(i - 1, i, _cased(c.toks[i - 1].text, after), why, PLURALS)
            else:
                yield c.fix(i, i, noun, why, PLURALS)
        elif tok.low in ("these", "those") and c.low(i + 1) in lx.UNCOUNTABLE:
            noun = c.toks[i + 1].text
            this = "this" if tok.low == "these" else "that"
            yield c.fix(
                i,
                i + 1,
                _cased(tok.text, f"{this} {noun}"),
                f"'{noun}' is uncountable: '{this} {noun}', singular.",
                PLURALS,
            )
        elif tok.low == "many" and c.low(i + 1) in ("money", "water", "information", "advice"):
            noun = c.toks[i + 1].text
            yield c.fix(
                i,
                i + 1,
                _cased(tok.text, f"much {noun}"),
                f"'{noun}' is uncountable: 'much', not 'many'.",
                PLURALS,
            )


def a_with_uncountable(c: Clause) -> Iterator[Correction]:
    nouns = ("advice", "information", "furniture", "homework", "equipment", "luggage")
    for i, tok in enumerate(c.toks):
        if tok.low not in ("a", "an"):
            continue
        for gap in (1, 2):
            if c.low(i + gap) in nouns:
                yield c.fix(
                    i,
                    i + gap,
                    c.words(i + 1, i + gap),
                    f"'{c.toks[i + gap].text}' is uncountable: no 'a'.",
                    PLURALS,
                )
                break


# Verb forms and agreement


def modal_then_to(c: Clause) -> Iterator[Correction]:
    for i in range(len(c.toks) - 2):
        modal = c.low(i)
        if modal in lx.MODALS and c.low(i + 1) == "to" and c.toks[i + 2].is_word:
            if modal in ("will", "may") and c.low(i - 1) in lx.DETERMINERS:
                continue  # "the will to live"
            yield c.fix(
                i,
                i + 2,
                f"{c.toks[i].text} {c.toks[i + 2].text}",
                f"After '{modal}', the verb follows directly, without 'to'.",
                VERB_FORM,
            )


def be_agree(c: Clause) -> Iterator[Correction]:
    for i in range(len(c.toks) - 1):
        if c.low(i) in ("am", "is", "are", "'m") and c.low(i + 1) == "agree":
            agree = "agrees" if c.low(i) == "is" else "agree"
            yield c.fix(
                i, i + 1, agree, "'Agree' is a verb: 'I agree', not 'I am agree'.", VERB_FORM
            )


def modal_then_form(c: Clause) -> Iterator[Correction]:
    for i in range(len(c.toks) - 1):
        form = c.low(i + 1)
        if c.low(i) in lx.MODALS and form in lx.NOT_BASE and form not in lx.ALSO_NOUNS:
            if c.low(i) in ("will", "may") and c.low(i - 1) in lx.DETERMINERS:
                continue
            base = lx.NOT_BASE[form]
            yield c.fix(
                i,
                i + 1,
                f"{c.toks[i].text} {base}",
                f"After '{c.low(i)}', the verb stays in its base form: '{base}'.",
                VERB_FORM,
            )


_DO_NOT = {"don't", "doesn't", "didn't"}
# After these, "he go" is a base form on purpose ("does he go", "can she come", "let him go").
_NOT_A_SUBJECT_BEFORE = frozenset({*lx.MODALS, "do", "does", "did", *_DO_NOT, "to", "let"})


def do_then_form(c: Clause) -> Iterator[Correction]:
    for i in range(len(c.toks) - 1):
        low = c.low(i)
        if low in _DO_NOT or (low in ("do", "does", "did") and c.low(i + 1) == "not"):
            verb = i + 1 if low in _DO_NOT else i + 2
        elif low in ("do", "does", "did") and c.low(i + 1) in PRONOUNS:
            verb = i + 2
        else:
            continue
        form = c.low(verb)
        if form in lx.NOT_BASE and form not in lx.ALSO_NOUNS:
            base = lx.NOT_BASE[form]
            tense = TENSE if low.startswith("did") else VERB_FORM
            yield c.fix(
                i,
                verb,
                c.words(i, verb - 1) + f" {base}",
                f"After '{low}', the verb stays in its base form: '{base}'.",
                tense,
            )


def _subject_verb(c: Clause, i: int) -> str | None:
    """The known verb at i, if the word before could not make it a base form on purpose
    (a modal, 'do', 'to', 'let' ...)."""
    return c.low(i) if c.low(i) in lx.VERBS and c.low(i) not in lx.ALSO_NOUNS else None


def pronoun_agreement(c: Clause) -> Iterator[Correction]:
    for i in range(len(c.toks) - 1):
        subject, verb = c.low(i), c.low(i + 1)
        fixed = None
        if subject == "i" and verb == "has":
            fixed = "have"
        elif subject == "i" and verb == "is":
            fixed = "am"
        elif subject in ("we", "you", "they") and verb == "was":
            fixed = "were"
        elif subject in ("we", "you", "they") and verb == "has":
            fixed = "have"
        elif (
            (subject == "it" and c.opens_clause(i))
            or subject in ("everybody", "everyone", "nobody", "somebody", "someone", "anyone")
            or (
                subject in ("he", "she")
                and c.low(i - 1) not in _NOT_A_SUBJECT_BEFORE
                and not _subjunctive(c, i)
            )
        ) and _subject_verb(c, i + 1):
            fixed = lx.THIRD[verb]
        if fixed:
            yield c.fix(
                i,
                i + 1,
                f"{c.toks[i].text} {fixed}",
                f"With '{c.toks[i].text}', the verb is '{fixed}'.",
                VERB_FORM,
            )


_MANDATIVE = frozenset(
    [
        "suggest",
        "suggested",
        "suggests",
        "insist",
        "insisted",
        "recommend",
        "recommended",
        "demand",
        "demanded",
        "require",
        "required",
        "propose",
        "proposed",
        "important",
        "essential",
        "vital",
        "necessary",
    ]
)


def _subjunctive(c: Clause, i: int) -> bool:
    """'She suggested that he go': after a word of demand, the base form is right."""
    return c.low(i - 1) == "that" and any(c.low(j) in _MANDATIVE for j in range(i - 1))


_PLURAL_SUBJECTS = frozenset({*lx.SINGULAR, "people"})
_AFTER_VERB = frozenset(
    ["in", "at", "on", "with", "to", "near", "every", "here", "there", "very", "a", "the"]
)


def noun_agreement(c: Clause) -> Iterator[Correction]:
    """A subject at the start of a clause ('my sister', 'many people') and its verb."""
    for i in range(len(c.toks) - 1):
        noun, verb = c.low(i), c.low(i + 1)
        det = c.low(i - 1)
        if det not in (*lx.DETERMINERS, "many", "most", "some", "all", "these", "those"):
            if not (noun == "people" and c.opens_clause(i)):
                continue
        elif not c.opens_clause(i - 1):
            continue
        fixed = None
        if noun in _PLURAL_SUBJECTS and det not in ("this", "that"):
            if verb in ("is", "was", "has"):
                fixed = {"is": "are", "was": "were", "has": "have"}[verb]
            elif (
                verb in lx.NOT_BASE
                and lx.THIRD.get(lx.NOT_BASE[verb]) == verb
                and (verb not in lx.ALSO_NOUNS or c.low(i + 2) in _AFTER_VERB)
            ):
                fixed = lx.NOT_BASE[verb]
        elif (
            noun in lx.PLURAL
            and det not in ("these", "those", "many", "some", "all", "most")
            and (
                _subject_verb(c, i + 1)
                or (verb in lx.ALSO_NOUNS and verb in lx.VERBS and c.low(i + 2) in _AFTER_VERB)
            )
        ):
            fixed = lx.THIRD[verb]
        if fixed:
            yield c.fix(
                i,
                i + 1,
                f"{c.toks[i].text} {fixed}",
                f"The verb agrees with '{c.words(i - 1, i) if det else noun}': '{fixed}'.",
                VERB_FORM,
            )


_ED_WRONG = {"borned": "born"}


def made_up_forms(c: Clause) -> Iterator[Correction]:
    for i, tok in enumerate(c.toks):
        if tok.low in _ED_WRONG:
            yield c.fix(
                i, i, _ED_WRONG[tok.low], f"'{_ED_WRONG[tok.low]}' is already the form.", VERB_FORM
            )
        elif tok.low in ("have", "has", "had") and c.low(i + 1) == "be":
            yield c.fix(
                i,
                i + 1,
                f"{tok.text} been",
                "After 'have', use the past participle: 'been'.",
                VERB_FORM,
            )
        elif tok.low in _REGULARISED:
            base = _REGULARISED[tok.low]
            perfect = c.low(i - 1) in ("have", "has", "had", "'ve", "'s")
            form = lx.PARTICIPLE[base] if perfect else lx.PAST[base]
            yield c.fix(
                i,
                i,
                form,
                f"'{base}' is irregular: its {'participle' if perfect else 'past'} is '{form}'.",
                VERB_FORM,
            )


# "runned", "teached": an irregular verb given the regular -ed (with its last consonant
# doubled, as learners do, too); not words of their own ("bed", "seed", "singed", "sited").
_REAL_WORDS = frozenset(
    ["bed", "seed", "ringed", "sited", "wined", "costed", "singed", "flied", "leaved", "putted"]
)
_REGULARISED = {
    made: base
    for base in lx.IRREGULAR
    for made in (lx.regular_past(base), base + base[-1] + "ed")
    if made not in (lx.PAST[base], lx.PARTICIPLE[base], *_REAL_WORDS)
}


# Tense


_LAST = frozenset(["week", "month", "year", "night", "summer", "winter", "weekend", *WEEKDAYS])


def _segment(c: Clause, i: int) -> range:
    """The words around i up to a comma or a conjunction: one clause of a sentence."""
    start = i
    while start > 0 and c.low(start - 1) not in (",", *CLAUSE_OPENERS):
        start -= 1
    end = i
    while end + 1 < len(c.toks) and c.low(end + 1) not in (",", *CLAUSE_OPENERS):
        end += 1
    return range(start, end + 1)


def _finished_time(c: Clause, around: range) -> bool:
    """A finished time (yesterday, ago, last week, in 2019) among the words `around`."""
    lows = [c.low(j) for j in around]
    return (
        any(w in FINISHED_TIME for w in lows)
        or any(a == "last" and b in _LAST for a, b in itertools.pairwise(lows))
        or any(a == "in" and b.isdigit() and len(b) == 4 for a, b in itertools.pairwise(lows))
    )


_PARTICIPLE_BASE = {form: base for base, form in lx.PARTICIPLE.items()}


def perfect_with_finished_time(c: Clause) -> Iterator[Correction]:
    """'I have seen him yesterday' -> 'saw'; not when the finished time belongs to another
    clause ('I have seen it twice, and yesterday I watched it again')."""
    for i in range(len(c.toks) - 1):
        if c.low(i) in ("have", "has") and c.low(i + 1) in _PARTICIPLE_BASE:
            if c.low(i - 1) in lx.MODALS or c.low(i - 1) == "to":
                continue  # "should have seen"
            if not _finished_time(c, _segment(c, i)):
                continue
            past = lx.PAST[_PARTICIPLE_BASE[c.low(i + 1)]]
            yield c.fix(
                i,
                i + 1,
                past,
                "With a finished time (yesterday, last year), use the past simple.",
                TENSE,
            )


def present_with_past_time(c: Clause) -> Iterator[Correction]:
    for i in range(len(c.toks) - 2):
        marker = c.low(i) == "yesterday" or (
            c.low(i) == "last"
            and c.low(i + 1) in ("week", "month", "year", "night", "summer", "weekend")
        )
        if not marker or i:
            continue
        subject = i + (1 if c.low(i) == "yesterday" else 2)
        if c.low(subject) in PRONOUNS and _subject_verb(c, subject + 1):
            past = lx.PAST[c.low(subject + 1)]
            yield c.fix(
                subject,
                subject + 1,
                f"{c.toks[subject].text} {past}",
                "It happened in the past: use the past simple.",
                TENSE,
            )


def if_will(c: Clause) -> Iterator[Correction]:
    for i in range(len(c.toks) - 3):
        if c.low(i) == "if" and c.low(i + 1) in PRONOUNS and c.low(i + 2) == "will":
            verb = c.low(i + 3)
            fixed = lx.THIRD.get(verb, verb) if c.low(i + 1) in ("he", "she", "it") else verb
            yield c.fix(
                i,
                i + 3,
                f"{c.toks[i].text} {c.toks[i + 1].text} {fixed}",
                "After 'if', use the present for the future: no 'will'.",
                TENSE,
            )


def be_since(c: Clause) -> Iterator[Correction]:
    for i in range(len(c.toks) - 2):
        subject, be = c.low(i), c.low(i + 1)
        if subject not in PRONOUNS - {"it"} or be not in ("am", "is", "are"):
            continue
        for j in range(i + 2, min(i + 8, len(c.toks))):
            if c.low(j) == "since":
                has = "has" if subject in ("he", "she") else "have"
                rest = c.words(i + 2, j) if j > i + 2 else "since"
                yield c.fix(
                    i + 1,
                    j,
                    f"{has} been {rest}" if j > i + 2 else f"{has} been since",
                    "From a point in the past until now: 'have been ... since'.",
                    TENSE,
                )
                break


_STATIVE = {
    "knowing": "know",
    "believing": "believe",
    "understanding": "understand",
    "wanting": "want",
    "needing": "need",
    "owning": "own",
    "belonging": "belong",
    "meaning": "mean",
    "preferring": "prefer",
    "seeming": "seem",
}


def stative_progressive(c: Clause) -> Iterator[Correction]:
    for i in range(len(c.toks) - 1):
        if c.low(i) in ("am", "is", "are") and c.low(i + 1) in _STATIVE:
            base = _STATIVE[c.low(i + 1)]
            fixed = lx.third_person(base) if c.low(i) == "is" else base
            yield c.fix(
                i,
                i + 1,
                fixed,
                f"'{base}' names a state, not an action: it is rarely used with -ing.",
                TENSE,
            )


# Articles


def missing_article_role(c: Clause) -> Iterator[Correction]:
    for i in range(len(c.toks) - 1):
        if c.low(i) in ("am", "is", "was", "'m") and c.low(i + 1) in lx.ROLES:
            role = c.toks[i + 1].text
            if c.low(i + 2) in lx.PLURAL or c.low(i + 2).endswith("'s"):
                continue  # "student union", "teacher's"
            article = "an" if role[0].lower() in "aeiou" else "a"
            yield c.fix(
                i,
                i + 1,
                f"{c.toks[i].text} {article} {role}",
                f"A job or role takes 'a' or 'an': '{article} {role}'.",
                ARTICLES,
            )


# Nouns that also stand alone in general statements ("School is important").
_BARE_OK = frozenset(
    [
        "school",
        "time",
        "work",
        "class",
        "bed",
        "home",
        "town",
        "family",
        "church",
        "hospital",
        "university",
        "college",
        "lunch",
        "dinner",
        "breakfast",
    ]
)


def bare_singular_subject(c: Clause) -> Iterator[Correction]:
    """'Of course, job should not take many hours' -> 'a job should'."""
    for i in range(len(c.toks) - 1):
        noun = c.low(i)
        if noun not in lx.PLURAL or noun in _BARE_OK or not c.opens_clause(i):
            continue
        if c.low(i + 1) in (*lx.MODALS, "is", "was", "has", "does") and c.toks[i].text[0].islower():
            article = "an" if noun[0] in "aeiou" else "a"
            yield c.fix(
                i,
                i,
                f"{article} {c.toks[i].text}",
                f"A single {noun} needs an article: '{article} {noun}' (or 'the {noun}').",
                ARTICLES,
            )


_TRANSPORT = frozenset(
    ["bus", "car", "train", "plane", "taxi", "bike", "boat", "metro", "subway", "tram"]
)


def fixed_article_phrases(c: Clause) -> Iterator[Correction]:
    for i in range(len(c.toks) - 2):
        a, b, d = c.low(i), c.low(i + 1), c.low(i + 2)
        if (
            a == "by"
            and b == "the"
            and d in _TRANSPORT
            and c.low(i + 3) not in lx.PLURAL
            and (c.low(i + 3) not in ("stop", "station", "driver"))
        ):
            yield c.fix(
                i,
                i + 2,
                f"by {c.toks[i + 2].text}",
                "Travelling by a means of transport: 'by bus', no article.",
                ARTICLES,
            )
        elif (
            a == "to"
            and b == "the"
            and d == "bed"
            and c.low(i - 1) in ("go", "goes", "went", "going", "gone")
        ):
            yield c.fix(i, i + 2, "to bed", "Going to sleep is 'go to bed', no article.", ARTICLES)
        elif (
            a in ("play", "plays", "played", "playing")
            and b == "a"
            and d in ("piano", "guitar", "violin", "flute", "cello", "drums")
        ):
            yield c.fix(
                i + 1,
                i + 2,
                f"the {c.toks[i + 2].text}",
                "Playing an instrument: 'the piano'.",
                ARTICLES,
            )
    for i in range(len(c.toks) - 1):
        if c.low(i) == "the" and c.low(i + 1) == "nature" and c.low(i + 2) != "of":
            yield c.fix(i, i + 1, "nature", "'Nature' in general takes no article.", ARTICLES)


_AN_BEFORE = frozenset(["honest", "hour", "hours", "honour", "honor", "heir"])


def silent_h(c: Clause) -> Iterator[Correction]:
    for i in range(len(c.toks) - 1):
        if c.low(i) == "a" and c.low(i + 1) in _AN_BEFORE:
            yield c.fix(
                i,
                i + 1,
                _cased(c.toks[i].text, f"an {c.toks[i + 1].text}"),
                "The 'h' is silent: 'an' goes before a vowel sound.",
                ARTICLES,
            )


# Prepositions


_PREP_PAIRS = {
    ("depend", "of"): "on",
    ("depends", "of"): "on",
    ("depended", "of"): "on",
    ("married", "with"): "to",
    ("interested", "for"): "in",
    ("interested", "about"): "in",
    ("afraid", "from"): "of",
    ("responsible", "of"): "for",
    ("similar", "with"): "to",
}
_OBJECTS = frozenset(["me", "him", "her", "us", "them"])


def wrong_preposition(c: Clause) -> Iterator[Correction]:
    for i in range(len(c.toks) - 1):
        a, b = c.low(i), c.low(i + 1)
        right = _PREP_PAIRS.get((a, b))
        if right:
            yield c.fix(
                i, i + 1, f"{c.toks[i].text} {right}", f"We say '{a} {right}'.", PREPOSITIONS
            )
        elif a in ("listen", "listens", "listened", "listening") and b in (
            "music",
            "the",
            "him",
            "her",
            "me",
            "them",
            "my",
            "your",
            "his",
            "our",
            "their",
        ):
            yield c.fix(
                i,
                i + 1,
                f"{c.toks[i].text} to {c.toks[i + 1].text}",
                "We listen to something.",
                PREPOSITIONS,
            )
        elif a in ("explain", "explains", "explained") and b in _OBJECTS:
            yield c.fix(
                i,
                i + 1,
                f"{c.toks[i].text} to {c.toks[i + 1].text}",
                "We explain something to someone.",
                PREPOSITIONS,
            )
        elif a == "in" and b in WEEKDAYS:
            yield c.fix(i, i + 1, f"on {c.toks[i + 1].text}", "Days take 'on'.", PREPOSITIONS)
        elif a == "on" and b.isdigit() and len(b) == 4:
            yield c.fix(i, i + 1, f"in {b}", "Years take 'in'.", PREPOSITIONS)
        elif a == "on" and b in MONTHS and not c.low(i + 2).isdigit():
            yield c.fix(i, i + 1, f"in {c.toks[i + 1].text}", "Months take 'in'.", PREPOSITIONS)
        elif a == "in" and b == "the" and c.low(i + 2) == "phone":
            yield c.fix(i, i + 2, "on the phone", "We talk 'on the phone'.", PREPOSITIONS)
        elif a in ("went", "go", "goes", "going", "came", "come", "arrived", "got") and (
            b in ("at", "to") and c.low(i + 2) == "home"
        ):
            yield c.fix(
                i,
                i + 2,
                f"{c.toks[i].text} home",
                "'Home' after a verb of movement takes no preposition.",
                PREPOSITIONS,
            )


# Word order


_FREQUENCY = frozenset(["always", "usually", "often", "never", "sometimes", "rarely", "seldom"])
_BE = frozenset(["am", "is", "are", "was", "were"])


def frequency_before_be(c: Clause) -> Iterator[Correction]:
    for i in range(len(c.toks) - 2):
        if c.low(i) in PRONOUNS and c.low(i + 1) in _FREQUENCY and c.low(i + 2) in _BE:
            yield c.fix(
                i + 1,
                i + 2,
                f"{c.toks[i + 2].text} {c.toks[i + 1].text}",
                f"'{c.low(i + 1)}' comes after 'be'.",
                WORD_ORDER,
            )


def adverb_after_participle(c: Clause) -> Iterator[Correction]:
    for i in range(len(c.toks) - 2):
        if (
            c.low(i) in ("have", "has", "had")
            and c.low(i + 1) in _PARTICIPLE_BASE
            and (c.low(i + 2) in ("never", "ever", "already", "always", "just"))
        ):
            yield c.fix(
                i,
                i + 2,
                f"{c.toks[i].text} {c.toks[i + 2].text} {c.toks[i + 1].text}",
                f"'{c.low(i + 2)}' goes between 'have' and the verb.",
                WORD_ORDER,
            )


def adverb_after_verb(c: Clause) -> Iterator[Correction]:
    """'We go often to the park' -> 'We often go'; 'I do my homework always' -> 'I always
    do my homework'."""
    for i in range(1, len(c.toks) - 1):
        if c.low(i - 1) not in PRONOUNS or c.low(i) not in lx.VERBS or c.low(i) == "be":
            continue
        if c.low(i + 1) in _FREQUENCY - {"never"} and c.low(i + 2) in (
            "to",
            "the",
            "a",
            "in",
            "at",
            "on",
            "",
        ):
            yield c.fix(
                i,
                i + 1,
                f"{c.toks[i + 1].text} {c.toks[i].text}",
                f"'{c.low(i + 1)}' comes before the verb.",
                WORD_ORDER,
            )
        elif c.low(i + 1) in lx.DETERMINERS and c.low(i + 3) in _FREQUENCY:
            yield c.fix(
                i,
                i + 3,
                f"{c.toks[i + 3].text} {c.words(i, i + 2)}",
                f"'{c.low(i + 3)}' comes before the verb.",
                WORD_ORDER,
            )


_LANGUAGES = frozenset(
    ["english", "french", "spanish", "german", "italian", "chinese", "arabic", "russian"]
)


def very_well_before_object(c: Clause) -> Iterator[Correction]:
    for i in range(len(c.toks) - 2):
        if c.low(i) != "very" or c.low(i + 1) not in ("well", "much") or i == 0:
            continue
        first = i + 2
        if c.low(first) in _LANGUAGES:
            last = first
        elif c.low(first) in (*lx.DETERMINERS, "it") and first + 1 < len(c.toks):
            last = first if c.low(first) == "it" else first + 1
        else:
            continue
        yield c.fix(
            i,
            last,
            f"{c.words(first, last)} very {c.toks[i + 1].text}",
            f"'Very {c.low(i + 1)}' goes after the object.",
            WORD_ORDER,
        )


_REPORTING = frozenset(
    [
        "know",
        "knows",
        "knew",
        "wonder",
        "wondered",
        "ask",
        "asked",
        "sure",
        "idea",
        "tell",
        "me",
        "us",
    ]
)
_WH = frozenset(["what", "where", "when", "why", "who", "how"])


def indirect_question(c: Clause) -> Iterator[Correction]:
    for i in range(1, len(c.toks) - 2):
        if c.low(i) not in _WH or c.low(i - 1) not in _REPORTING:
            continue
        verb = c.low(i + 1)
        if verb in ("is", "are", "was", "were"):
            subject_end = (
                i + 2
                if c.low(i + 2) in (*PRONOUNS, "this", "that")
                else (i + 3 if c.low(i + 2) in lx.DETERMINERS else None)
            )
            if subject_end is None or subject_end != len(c.toks) - 1:
                continue  # the subject must end the clause: "what is it."
            yield c.fix(
                i,
                subject_end,
                f"{c.toks[i].text} {c.words(i + 2, subject_end)} {c.toks[i + 1].text}",
                "In a question inside a sentence, the subject comes before the verb.",
                WORD_ORDER,
            )
        elif (
            verb in ("does", "do", "did") and c.low(i + 2) in PRONOUNS and _subject_verb(c, i + 3)
        ) or (
            verb in ("does", "do", "did") and c.low(i + 3) in lx.VERBS and c.low(i + 2) in PRONOUNS
        ):
            base = c.low(i + 3)
            form = (
                lx.PAST[base]
                if verb == "did"
                else (lx.THIRD[base] if c.low(i + 2) in ("he", "she", "it") else base)
            )
            yield c.fix(
                i,
                i + 3,
                f"{c.toks[i].text} {c.toks[i + 2].text} {form}",
                "In a question inside a sentence, no 'do': the subject, then the verb.",
                WORD_ORDER,
            )


_MANY = frozenset(
    [
        "they",
        "them",
        "people",
        "children",
        "everyone",
        "everybody",
        "family",
        "team",
        "group",
        "class",
        "company",
        "friends",
        "parents",
        "students",
        "we",
        "us",
        "you",
    ]
)


def their_for_singular(c: Clause) -> Iterator[Correction]:
    """'she learned to plan their studies' -> 'her studies': nobody plural in between."""
    for i, tok in enumerate(c.toks):
        if tok.low not in ("he", "she") or not c.opens_clause(i) or c.low(i + 1) in ("and", "or"):
            continue
        for j in range(i + 1, len(c.toks)):
            low = c.low(j)
            if low in _MANY or low in lx.SINGULAR or low in CLAUSE_OPENERS or low == ",":
                break
            if (
                low.endswith("s")
                and low not in lx.NOT_BASE
                and low not in ("his", "this", "is", "was", "has")
            ):
                break  # a plural we do not know
            if low == "their":
                own = "her" if tok.low == "she" else "his"
                yield c.fix(
                    j, j, own, f"It belongs to '{tok.low}': '{own}', not 'their'.", WORD_CHOICE
                )
                break


# Word choice


_DO_MAKE = {
    ("do", "photo"): "take",
    ("do", "picture"): "take",
    ("make", "photo"): "take",
    ("make", "picture"): "take",
    ("do", "question"): "ask",
    ("make", "question"): "ask",
    ("make", "party"): "have",
    ("do", "party"): "have",
    ("do", "mistake"): "make",
    ("do", "friends"): "make",
}
_FORMS = {
    "do": ("do", "does", "did", "doing", "done"),
    "make": ("make", "makes", "made", "making"),
}
_FORM_OF = {form: base for base, forms in _FORMS.items() for form in forms}
_IN_TENSE = {
    ("take", "did"): "took",
    ("take", "made"): "took",
    ("ask", "did"): "asked",
    ("ask", "made"): "asked",
    ("have", "did"): "had",
    ("have", "made"): "had",
    ("make", "did"): "made",
    ("take", "does"): "takes",
    ("take", "makes"): "takes",
}


def collocations(c: Clause) -> Iterator[Correction]:
    for i, tok in enumerate(c.toks):
        base = _FORM_OF.get(tok.low)
        if base is None:
            continue
        for gap in (1, 2, 3, 4):
            noun = c.low(i + gap)
            if (base, noun) in _DO_MAKE:
                right = _DO_MAKE[(base, noun)]
                verb = _IN_TENSE.get((right, tok.low), right)
                yield c.fix(
                    i,
                    i,
                    _cased(tok.text, verb),
                    f"We say '{right} a {noun.rstrip('s')}'"
                    if noun != "friends"
                    else "We say 'make friends'.",
                    WORD_CHOICE,
                )
                break
            if noun not in ("a", "an", "the", "my", "new", "lot", "of", "some", "good"):
                break
    for i in range(len(c.toks) - 1):
        a, b = c.low(i), c.low(i + 1)
        if a == "borrow" and b in _OBJECTS:
            yield c.fix(
                i,
                i,
                _cased(c.toks[i].text, "lend"),
                "You lend something to someone; you borrow it from them.",
                WORD_CHOICE,
            )
        elif a in ("learn", "learned", "learnt", "learns") and b in _OBJECTS:
            teach = {"learn": "teach", "learns": "teaches"}.get(a, "taught")
            yield c.fix(i, i, teach, "You teach someone; they learn.", WORD_CHOICE)
        elif a in ("say", "says", "said") and b in _OBJECTS:
            tell = {"say": "tell", "says": "tells"}.get(a, "told")
            yield c.fix(
                i,
                i + 1,
                f"{tell} {c.toks[i + 1].text}",
                "You tell someone something; you say something.",
                WORD_CHOICE,
            )
        elif a in ("feel", "feels", "felt") and b in ("myself", "himself", "herself"):
            yield c.fix(
                i, i + 1, c.toks[i].text, "'Feel' takes no 'myself': 'I feel tired'.", WORD_CHOICE
            )
        elif a == "most" and b.endswith("est") and len(b) > 5:
            yield c.fix(
                i,
                i + 1,
                c.toks[i + 1].text,
                f"'{c.toks[i + 1].text}' is already the most: no 'most'.",
                WORD_CHOICE,
            )


_ADVERBS = {
    "good": "well",
    "bad": "badly",
    "beautiful": "beautifully",
    "quick": "quickly",
    "slow": "slowly",
    "careful": "carefully",
    "easy": "easily",
    "quiet": "quietly",
    "perfect": "perfectly",
    "fluent": "fluently",
    "fast": "fast",
}
_ACTIONS = frozenset(
    [
        "speak",
        "speaks",
        "spoke",
        "play",
        "plays",
        "played",
        "sing",
        "sings",
        "sang",
        "swim",
        "swims",
        "swam",
        "cook",
        "cooks",
        "cooked",
        "dance",
        "dances",
        "danced",
        "drive",
        "drives",
        "drove",
        "write",
        "writes",
        "wrote",
        "run",
        "runs",
        "ran",
        "pass",
        "passed",
        "passes",
    ]
)


def adjective_for_adverb(c: Clause) -> Iterator[Correction]:
    for i, tok in enumerate(c.toks):
        if tok.low not in _ACTIONS:
            continue
        for j in range(i + 1, min(i + 5, len(c.toks))):
            word = c.low(j)
            if word in _ADVERBS and word != "fast" and j == len(c.toks) - 1:
                yield c.fix(
                    j,
                    j,
                    _ADVERBS[word],
                    f"It says how someone {tok.low.rstrip('s')}s: the adverb '{_ADVERBS[word]}'.",
                    WORD_CHOICE,
                )
                break
            if word not in (*_LANGUAGES, "it", "them", "very", "really", *lx.DETERMINERS) and (
                word not in lx.PLURAL
            ):
                break


RULES: tuple[Rule, ...] = (
    number_and_singular,
    uncountable_plural,
    a_with_uncountable,
    modal_then_to,
    be_agree,
    modal_then_form,
    do_then_form,
    pronoun_agreement,
    noun_agreement,
    made_up_forms,
    perfect_with_finished_time,
    present_with_past_time,
    if_will,
    be_since,
    stative_progressive,
    missing_article_role,
    bare_singular_subject,
    fixed_article_phrases,
    silent_h,
    their_for_singular,
    wrong_preposition,
    frequency_before_be,
    adverb_after_participle,
    adverb_after_verb,
    very_well_before_object,
    indirect_question,
    collocations,
    adjective_for_adverb,
)


class RuleChecker:
    """The rules above as a GrammarChecker; the first rule to mark a span keeps it."""

    name = "rules"

    def check(self, text: str) -> list[Correction]:
        found: list[Correction] = []
        for clause in _clauses(text):
            for rule in RULES:
                for correction in rule(clause):
                    if not any(correction.overlaps(other) for other in found):
                        found.append(correction)
        return found
