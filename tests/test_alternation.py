"""alternation.longest_first gives what the plain alternation of the words, longest first, gives:
the same spans for search, match and finditer, inside a lookahead too, within any bounds."""
from __future__ import annotations

import re

from hypothesis import given, settings
from hypothesis import strategies as st

from govcase.tagging.alternation import NEVER, longest_first


def plain(words) -> re.Pattern[str]:
    """The alternation as the matchers wrote it before: the longest word first."""
    return re.compile("|".join(map(re.escape, sorted(words, key=len, reverse=True))) if words else NEVER)


def span(m: re.Match | None) -> tuple[int, int] | None:
    return None if m is None else m.span()


# "." and "*" check the escaping; words share prefixes ("a", "ab", "abc"), as 老化 and 老化严重 do
WORDS = st.sets(st.text("ab.*社区", min_size=1, max_size=4), max_size=8)
TEXT = st.text("ab.*社区x", max_size=30)


@settings(max_examples=600, deadline=None)
@given(WORDS, TEXT, st.data())
def test_same_spans_as_the_alternation(words, text, data):
    lo = data.draw(st.integers(0, len(text)))
    hi = data.draw(st.integers(lo, len(text)))
    trie, alternation = re.compile(longest_first(words)), plain(words)
    assert [m.span() for m in trie.finditer(text)] == [m.span() for m in alternation.finditer(text)]
    assert span(trie.search(text, lo, hi)) == span(alternation.search(text, lo, hi))
    assert span(trie.match(text, lo, hi)) == span(alternation.match(text, lo, hi))


@settings(max_examples=300, deadline=None)
@given(WORDS, TEXT)
def test_same_starts_inside_a_lookahead(words, text):
    """codes' negators: where a word starts, overlapping ones too."""
    trie = re.compile("(?=(?:%s))" % longest_first(words))
    alternation = re.compile("(?=(?:%s))" % plain(words).pattern)
    assert [m.start() for m in trie.finditer(text)] == [m.start() for m in alternation.finditer(text)]


def test_no_words_never_match_and_an_empty_word_always_does():
    assert longest_first([]) == NEVER
    assert re.compile(longest_first([])).search("abc") is None
    assert re.compile(longest_first(["", "ab"])).match("abc").span() == (0, 2)
    assert re.compile(longest_first(["", "ab"])).match("xbc").span() == (0, 0)


def test_a_trie_not_a_list_of_words():
    """One branch per next character: 老化 and 老化严重 share their first two."""
    assert longest_first(["老化", "老化严重", "破损"]) == "(?:破损|老化(?:严重)?)"
