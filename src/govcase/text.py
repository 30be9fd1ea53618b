"""Sentences and clauses of a clean body, as offsets (pure)."""
from __future__ import annotations

import re
from bisect import bisect_left, bisect_right
from functools import lru_cache
from operator import attrgetter

from govcase.records import Sentence

# A sentence ends at 。！？!? ; (or a line break), keeping closing quotes with it.
_SENTENCE = re.compile(r"[^。！？!?；;\n]*(?:[。！？!?；;]+[”’」』)）]*|\n|$)")
# Clause boundaries inside a sentence.
CLAUSE_BREAKS = "，,、：:；;。！？!?\n"


def split_sentences(body: str) -> tuple[Sentence, ...]:
    """Split ``body`` into sentences; surrounding whitespace is trimmed off the spans."""
    out = []
    for m in _SENTENCE.finditer(body):
        start, end = m.start(), m.end()
        while start < end and body[start].isspace():
            start += 1
        while end > start and body[end - 1].isspace():
            end -= 1
        if end > start:
            out.append(Sentence(start, end, body[start:end]))
    return tuple(out)


_END = attrgetter("end")


def sentence_at(sentences: tuple[Sentence, ...], offset: int) -> Sentence | None:
    """The sentence that contains ``offset`` (sentences are sorted and disjoint)."""
    lo = bisect_right(sentences, offset, key=_END)  # the first sentence ending after offset
    if lo < len(sentences) and sentences[lo].start <= offset < sentences[lo].end:
        return sentences[lo]
    return None


def clause_bounds(body: str, start: int, end: int, breaks: str = CLAUSE_BREAKS,
                  limit: int | None = None) -> tuple[int, int]:
    """The clause around [start, end): up to the nearest clause break on each side, and at
    most ``limit`` characters beyond the span when a limit is given."""
    lo = 0 if limit is None else max(0, start - limit)
    hi = len(body) if limit is None else min(len(body), end + limit)
    positions = break_positions(body, breaks)
    i = bisect_left(positions, start)  # the last break before start, if it is at or after lo
    left = positions[i - 1] if i and positions[i - 1] >= lo else -1
    j = bisect_left(positions, end)  # the first break at or after end, if it is before hi
    right = positions[j] if j < len(positions) and positions[j] < hi else hi
    return (left + 1 if left >= 0 else lo), right


_BREAK_CACHE: dict[tuple[str, str], list[int]] = {}
_BREAK_CACHE_SIZE = 8  # the bodies of the article being tagged (and its shadow text); a few is plenty


def break_positions(body: str, breaks: str = CLAUSE_BREAKS) -> list[int]:
    """Offsets of every character of ``breaks`` in ``body``, ascending; computed once per text.

    The finders ask for the clause around every match: a regex pass over the body and a
    bisection per match replaces a find() per break character per match."""
    key = (body, breaks)
    found = _BREAK_CACHE.get(key)
    if found is None:
        if len(_BREAK_CACHE) >= _BREAK_CACHE_SIZE:
            _BREAK_CACHE.pop(next(iter(_BREAK_CACHE)))
        found = [m.start() for m in _break_re(breaks).finditer(body)]
        _BREAK_CACHE[key] = found
    return found


@lru_cache(maxsize=None)
def _break_re(breaks: str) -> re.Pattern[str]:
    return re.compile("[" + re.escape(breaks) + "]")
