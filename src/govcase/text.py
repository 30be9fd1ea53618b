"""Sentences and clauses of a clean body, as offsets (pure)."""
from __future__ import annotations

import re

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


def sentence_at(sentences: tuple[Sentence, ...], offset: int) -> Sentence | None:
    """The sentence that contains ``offset`` (sentences are sorted and disjoint)."""
    lo, hi = 0, len(sentences)
    while lo < hi:
        mid = (lo + hi) // 2
        if sentences[mid].end <= offset:
            lo = mid + 1
        else:
            hi = mid
    if lo < len(sentences) and sentences[lo].start <= offset < sentences[lo].end:
        return sentences[lo]
    return None


def clause_bounds(body: str, start: int, end: int, breaks: str = CLAUSE_BREAKS,
                  limit: int | None = None) -> tuple[int, int]:
    """The clause around [start, end): up to the nearest clause break on each side, and at
    most ``limit`` characters beyond the span when a limit is given."""
    lo = 0 if limit is None else max(0, start - limit)
    hi = len(body) if limit is None else min(len(body), end + limit)
    left = max(body.rfind(ch, lo, start) for ch in breaks)
    right = min((i for ch in breaks if (i := body.find(ch, end, hi)) >= 0), default=hi)
    return (left + 1 if left >= 0 else lo), right
