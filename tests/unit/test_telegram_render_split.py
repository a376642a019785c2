"""Splitting Telegram HTML: every part fits, parses alone, and nothing is lost between parts."""

from __future__ import annotations

import re
from html.parser import HTMLParser

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from adapters.telegram.text.html import text as escaped
from adapters.telegram.text.html import utf16_len
from adapters.telegram.text.render import TELEGRAM_LIMIT, split_html

TELEGRAM_TAGS = {
    "b", "strong", "i", "em", "u", "ins", "s", "strike", "del", "span", "a", "code", "pre",
    "blockquote", "tg-spoiler",
}  # fmt: skip
_ENTITY_OR_AMP = re.compile(r"&(?:#\d+|#x[0-9a-fA-F]+|[A-Za-z]\w*);|&")


class _Telegram(HTMLParser):
    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.stack: list[str] = []
        self.text: list[str] = []
        self.problems: list[str] = []

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        if tag not in TELEGRAM_TAGS:
            self.problems.append(f"tag <{tag}> is not allowed")
        self.stack.append(tag)

    def handle_endtag(self, tag: str) -> None:
        if not self.stack or self.stack.pop() != tag:
            self.problems.append(f"</{tag}> closes nothing open")

    def handle_data(self, data: str) -> None:
        self.text.append(data)


def parse_telegram_html(markup: str) -> str:
    """The text a reader sees; fails the test if Telegram would reject the markup."""
    raw_text = re.sub(r"<[^>]*>", "", markup)
    stray = [m.group() for m in _ENTITY_OR_AMP.finditer(raw_text) if m.group() == "&"]
    assert not stray, f"unescaped & in {markup!r}"
    parser = _Telegram()
    parser.feed(markup)
    parser.close()
    assert not parser.problems, parser.problems
    assert not parser.stack, f"left open: {parser.stack}"
    return "".join(parser.text)


_INLINE = ["b", "i", "u", "s", "code", "blockquote", "tg-spoiler"]
_plain = st.text(
    st.characters(blacklist_categories=("Cs", "Cc")) | st.sampled_from(["\n", " ", "&", "<", "😀"]),
    max_size=80,
).map(escaped)


def _element(inner: st.SearchStrategy[str]) -> st.SearchStrategy[str]:
    def wrap(tag: str, body: str) -> str:
        if tag == "tg-spoiler":
            return f'<span class="tg-spoiler">{body}</span>'
        if tag == "blockquote":
            return f"<blockquote expandable>{body}</blockquote>"
        return f"<{tag}>{body}</{tag}>"

    link = st.builds(
        lambda body: f'<a href="https://example.com/?a=1&amp;b=&quot;2">{body}</a>', inner
    )
    return st.builds(wrap, st.sampled_from(_INLINE), inner) | link


def _level(inner: st.SearchStrategy[str]) -> st.SearchStrategy[str]:
    return st.lists(_element(inner) | inner, min_size=1, max_size=6).map("".join)


# Three levels of nesting at most, so a 300-unit part always has room for its open tags.
markup = _level(_level(_level(_plain)))


@settings(max_examples=80, deadline=None)
@given(markup=markup, limit=st.integers(min_value=300, max_value=900))
def test_every_part_fits_parses_alone_and_together_they_keep_the_text(
    markup: str, limit: int
) -> None:
    parts = split_html(markup, limit)
    for part in parts:
        assert utf16_len(part) <= limit
        parse_telegram_html(part)
    assert "".join(parse_telegram_html(p) for p in parts) == parse_telegram_html(markup)


@given(
    words=st.lists(st.sampled_from(["tea", "&amp;", "&lt;b&gt;", "😀", "\n", "\n\n"]), max_size=400)
)
def test_no_part_ends_or_starts_inside_an_entity(words: list[str]) -> None:
    for part in split_html(" ".join(words), 200):
        assert re.fullmatch(r"(?:[^&]|&(?:amp|lt|gt);)*", part), part


def test_short_markup_is_one_part_unchanged() -> None:
    markup = "<b>Score</b>: 4 &amp; <i>good</i>"
    assert split_html(markup) == [markup]


def test_a_cut_falls_on_a_paragraph_break_when_one_is_in_the_second_half() -> None:
    first, second = "a " * 70 + "end.", "b " * 70
    parts = split_html(f"<b>{first}\n\n{second}</b>", 200)
    assert [parse_telegram_html(p).strip() for p in parts] == [first, second.strip()]


def test_a_tag_open_at_the_cut_is_closed_and_opened_again() -> None:
    parts = split_html("<blockquote><i>" + "word " * 100 + "</i></blockquote>", 200)
    assert len(parts) > 1
    assert all(p.startswith("<blockquote><i>") and p.endswith("</i></blockquote>") for p in parts)


def test_an_emoji_counts_twice_as_telegram_counts_it() -> None:
    parts = split_html("😀" * TELEGRAM_LIMIT)
    assert len(parts) == 2


def test_a_limit_too_small_for_the_open_tags_is_refused() -> None:
    with pytest.raises(ValueError, match="too small"):
        split_html('<a href="https://example.com/very/long/path">' + "x" * 50 + "</a>", 40)
