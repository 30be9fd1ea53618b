"""Every occurrence of a set of surfaces in a text: one Aho-Corasick pass (pure after building).

pyahocorasick finds a node's child by reading its children one by one, in the order they
were added. Built over characters, the lexicon's root has one child per first character of
a surface (525 in December 2026), and nearly every character of a text is looked up there:
one that begins no surface (most of them) is compared with every child. That cost about
1,500 machine instructions a character, nearly a tenth of the whole tag stage.

So surfaces and texts are matched as their UTF-16 code units, each split into its two
bytes (one latin-1 character each): a node then has at most 256 children, the root one per
high byte (74 in December 2026: the CJK block spans 0x4E-0x9F), the node below it those low bytes that
follow it, and a character costs two short reads (over the shadow texts of 250 c1000
articles: 124 M instructions instead of 353 M, the byte split and the skipping included).
A match found this way is a match of the characters when it ends on a character's second
byte (keys are whole characters, so it then starts on a first byte too); the others are
skipped. A text with a character beyond U+FFFF (a surrogate pair: two code units for one
character) would shift offsets, and is matched character by character instead.
"""
from __future__ import annotations

from typing import Iterable

import ahocorasick

_BYTES = "utf-16-be"


def _split(text: str) -> str:
    """One latin-1 character per byte of ``text``'s UTF-16 code units (twice its length in the BMP)."""
    return text.encode(_BYTES).decode("latin-1")


class SurfaceAutomaton:
    """``iter(text)``: (index of the last character, value) of every surface occurring in ``text``,
    by end, the longer first at one end: what ``ahocorasick.Automaton.iter`` yields."""

    def __init__(self, words: Iterable[tuple[str, object]]):
        words = list(words)
        self.by_char = ahocorasick.Automaton()
        self.by_byte = ahocorasick.Automaton()
        for word, value in words:
            self.by_char.add_word(word, value)
            self.by_byte.add_word(_split(word), value)
        self.by_char.make_automaton()
        self.by_byte.make_automaton()

    def iter(self, text: str) -> list[tuple[int, object]]:
        split = _split(text)
        if len(split) != 2 * len(text):  # a character outside the BMP
            return list(self.by_char.iter(text))
        return [(last >> 1, value) for last, value in self.by_byte.iter(split) if last & 1]
