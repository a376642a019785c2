"""Fillers: filled pauses (um, uh) and the discourse fillers "you know", "I mean", "like".

The word fillers are also ordinary English ("I like tea", "do you know the way",
"I mean it"), so each counts only when it stands apart from the clause: set off
by a comma, a pause or another filler, and not bound to the words around it.
"""

from __future__ import annotations

from domain.metrics.context import Context
from domain.metrics.model import Filler

SUBJECTS = frozenset({"i", "you", "we", "they", "he", "she", "it", "people", "who"})
LIKE_AS_VERB_AFTER = SUBJECTS | frozenset(
    {
        "i'd", "you'd", "we'd", "they'd", "he'd", "she'd", "would", "do", "does", "did",
        "don't", "doesn't", "didn't", "to", "will", "might", "could", "should", "can", "may",
        "must", "really", "also", "not", "never", "always", "still", "just", "kids",
        "look", "looks", "looked", "seem", "seems", "sound", "sounds", "feel", "feels", "felt",
        "something", "anything", "nothing", "more", "much", "exactly", "things", "stuff",
    }
)  # fmt: skip
YOU_KNOW_AS_VERB_AFTER = frozenset(
    {
        "do", "does", "did", "don't", "doesn't", "didn't", "if", "as", "whether", "what",
        "how", "who", "would", "will", "could", "can", "may", "might", "should", "let",
        "because", "cause", "that", "when", "where", "why", "unless",
    }
)  # fmt: skip
I_MEAN_AS_VERB_AFTER = frozenset(
    {"what", "which", "that", "if", "do", "does", "did", "don't", "doesn't", "didn't"}
)
CLAUSE_STARTS = SUBJECTS | frozenset(
    {"and", "but", "so", "because", "like", "the", "there", "it's", "i'm", "that's", "we're"}
)


def _like_is_filler(ctx: Context, i: int) -> bool:
    if not ctx.set_off_before(i) and ctx.norm(i - 1) in LIKE_AS_VERB_AFTER:
        return False
    return ctx.set_off_before(i) or ctx.set_off_after(i)


def _you_know_is_filler(ctx: Context, i: int) -> bool:
    if not ctx.set_off_before(i) and ctx.norm(i - 1) in YOU_KNOW_AS_VERB_AFTER:
        return False
    if ctx.set_off_after(i + 1):
        return True
    following = ctx.norm(i + 2)
    return following in SUBJECTS - {"it"} or following in {"and", "but", "so", "like"}


def _i_mean_is_filler(ctx: Context, i: int) -> bool:
    if not ctx.set_off_before(i) and ctx.norm(i - 1) in I_MEAN_AS_VERB_AFTER:
        return False
    if ctx.set_off_after(i + 1):
        return True
    following = ctx.norm(i + 2)
    return following in CLAUSE_STARTS - {"it", "you", "the"}


def find_fillers(ctx: Context) -> tuple[Filler, ...]:
    """Every filler in time order, with the words either side for quoting."""
    found: list[Filler] = []
    tokens = ctx.tokens
    i = 0
    while i < len(tokens):
        pair = f"{tokens[i].norm} {ctx.norm(i + 1)}"
        width = 0
        if tokens[i].is_filled_pause or (tokens[i].norm == "like" and _like_is_filler(ctx, i)):
            width = 1
        elif (pair == "you know" and _you_know_is_filler(ctx, i)) or (
            pair == "i mean" and _i_mean_is_filler(ctx, i)
        ):
            width = 2
        if width:
            last = i + width - 1
            found.append(
                Filler(
                    text=tokens[i].norm if width == 1 else pair,
                    start_s=tokens[i].start_s,
                    end_s=tokens[last].end_s,
                    word_index=tokens[i].index,
                    next_word=ctx.neighbour(last, 1),
                    previous_word=ctx.neighbour(i, -1),
                )
            )
        i += max(width, 1)
    return tuple(found)
