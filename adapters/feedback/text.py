"""Small text helpers the rule-based coach shares: normalising, quoting, the prompt's topic."""

from __future__ import annotations

import re

from domain.prompts import find_by_text

_EDGE_PUNCTUATION = ".,!?;:\"'“”‘’()[]…-"
_MAX_QUOTE_CHARS = 60
PRONOUN_I = re.compile(r"^i(?=$|['’])")

_STOPWORD_TEXT = """a an the and or but so because if then than that this these those it its is
    are was were be been being am do does did done have has had having i me my mine we us our
    you your yours he him his she her they them their what which who whom whose when where why
    how there here of in on at to for from by with about as into over under up down out off
    again not no yes can could would should will shall may might must just also too very really
    all any some many much more most other others such own same few one each every both kind
    sort lot lots get got go going went make made way thing things while before after now ever
    still well away far else nobody something someone i'm it's don't"""
STOPWORDS = frozenset(_STOPWORD_TEXT.split())

_INSTRUCTION_TEXT = """describe talk tell think explain agree disagree prefer people person
    others use using reasons reason examples example specific details detail support answer
    choice view say should usually normally often like best why which whether rather better
    following statement time times"""
_INSTRUCTION_WORDS = frozenset(_INSTRUCTION_TEXT.split())
_DETERMINERS = frozenset({"a", "an", "the", "your", "my", "our"})


def normalise(token: str) -> str:
    """Lowercase word without surrounding punctuation, for counting and comparing."""
    return token.strip().strip(_EDGE_PUNCTUATION).lower()


def quote(text: str) -> str:
    """The learner's own words, marked as a quote so they never read as our claim."""
    cleaned = " ".join(PRONOUN_I.sub("I", w) for w in text.split()).strip(_EDGE_PUNCTUATION + " ")
    if len(cleaned) > _MAX_QUOTE_CHARS:
        cleaned = cleaned[:_MAX_QUOTE_CHARS].rsplit(" ", 1)[0] + "…"
    return f"'{cleaned}'"


def times(count: int) -> str:
    """'once', 'twice', '3 times'."""
    return {1: "once", 2: "twice"}.get(count, f"{count} times")


def is_content_word(word: str) -> bool:
    """A normalised word that carries meaning: not a stopword, not a prompt instruction."""
    return bool(word) and word not in STOPWORDS and word not in _INSTRUCTION_WORDS


def topic_of(prompt_text: str) -> str:
    """The prompt's subject as a noun phrase that fits into a sentence ("a community garden").

    Bank prompts carry a written topic. For any other prompt, the longest run of meaningful
    words right after a determiner in its first line ("a tight deadline"), else "this topic".
    """
    known = find_by_text(prompt_text)
    if known is not None and known.topic:
        return known.topic
    tokens = prompt_text.strip().splitlines()[0].split() if prompt_text.strip() else []
    best = ""
    for index, token in enumerate(tokens[:-1]):
        if normalise(token) not in _DETERMINERS:
            continue
        run = [normalise(token)]
        for follower in tokens[index + 1 :]:
            if not is_content_word(normalise(follower)):
                break
            run.append(normalise(follower))
            if follower.endswith((",", ".", "?", ";", ":")):
                break
        if len(run) > 1 and len(run) > len(best.split()):
            best = " ".join(run)
    return best or "this topic"
