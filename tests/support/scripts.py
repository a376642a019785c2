"""Hand-made word timings for tests that measure and coach without audio."""

from __future__ import annotations

from domain.speech import Word

WORD_S, GAP_S, LEAD_S = 0.3, 0.1, 0.5


def scripted_words(script: str) -> tuple[list[Word], float]:
    """One word every 0.4 s (150 a minute) from 0.5 s on; a token |1.8| inserts that silence.

    Returns the words and the time just after the last word's gap.
    """
    words: list[Word] = []
    t = LEAD_S
    for token in script.split():
        if token.startswith("|"):
            t += float(token.strip("|"))
            continue
        words.append(Word(" " + token, round(t, 3), round(t + WORD_S, 3)))
        t += WORD_S + GAP_S
    return words, t
