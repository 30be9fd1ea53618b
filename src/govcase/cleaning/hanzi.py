"""How Chinese a string reads, from character frequencies (data/clean/hanzi_freq.tsv).

A character is *common* when it is in GB2312 level 1 (the 3755 characters the
standard orders by frequency of use) or is the traditional form of one.
Text decoded with the wrong codec, or GBK bytes decoded out of step, is full
of characters that are not; that is the whole signal the decoder and the
mojibake repair need.
"""
from __future__ import annotations

import math
import re
from dataclasses import dataclass
from functools import lru_cache
from typing import Iterator

from govcase import regexcache
from govcase.cleaning.resources import hanzi_table

HAN = "\u3400-\u4dbf\u4e00-\u9fff\uf900-\ufaff"
# punctuation and symbols an ordinary Chinese text uses
CJK_PUNCT = "\u3000-\u3011\u2010-\u2027\u00b7\uff01-\uff5e\u2030\u2103\u00d7\u2014"
_BAD = regexcache.compile("[\ufffd\ue000-\uf8ff\x00-\x08\x0b\x0c\x0e-\x1f\x7f-\x9f]")
_HAN_RUN = regexcache.compile(f"[{HAN}]+")
RARE_COST = 12.5  # -log p above which a character is rare: about 1 in 270000 characters of running text


@dataclass(frozen=True)
class _Model:
    cost: dict[str, float]  # -log p of each character in the table
    unknown_cost: float  # of a character outside it: as if it had been seen half a time
    unusual: re.Pattern[str]  # not ASCII, space, punctuation, a common character or a _BAD one
    rare: re.Pattern[str]  # not ASCII, space, punctuation or a character cheaper than RARE_COST
    unknown: re.Pattern[str]  # not ASCII, space, punctuation or a character of the table


def _class_without(chars: str, also: str) -> re.Pattern[str]:
    return regexcache.compile("[^" + re.escape("".join(sorted(chars))) + also + CJK_PUNCT + r"\s]")


@lru_cache(maxsize=None)
def _model() -> _Model:
    table = hanzi_table()
    total = sum(count for count, _ in table.values())
    cost = {c: -math.log(count / total) for c, (count, _) in table.items()}
    common = "".join(c for c, (_, level) in table.items() if level == 1)
    return _Model(
        cost=cost,
        unknown_cost=-math.log(0.5 / total),
        # the characters _BAD counts are left out, so the two counts never overlap
        unusual=_class_without(common, "\x00-\x9f\ufffd\ue000-\uf8ff"),
        rare=_class_without("".join(c for c, value in cost.items() if value < RARE_COST), "\x00-\x7f"),
        unknown=_class_without("".join(cost), "\x00-\x7f"),
    )


def char_cost(char: str) -> float:
    """-log p(char); a character outside the table costs as if it had been seen half a time."""
    model = _model()
    return model.cost.get(char, model.unknown_cost)


def known_chars() -> dict[str, float]:
    """The characters of the table (GB2312 and its traditional forms), with their costs."""
    return _model().cost


def unusual_chars(text: str) -> list[str]:
    """Characters that are neither ASCII, whitespace, common punctuation, common hanzi nor _BAD ones."""
    return _model().unusual.findall(text)


def rare_chars(text: str) -> list[str]:
    """Characters costlier than RARE_COST (or unknown), ASCII and common punctuation aside."""
    return _model().rare.findall(text)


def rare_char_spans(text: str) -> Iterator[re.Match[str]]:
    return _model().rare.finditer(text)


def unknown_char_spans(text: str) -> Iterator[re.Match[str]]:
    """Characters outside the table (neither GB2312 nor a traditional form of it), ASCII and punctuation aside."""
    return _model().unknown.finditer(text)


def han_count(text: str) -> int:
    # what is left once the characters are out: a string (not a list of one-character strings),
    # and a short one in Chinese text (30 % faster than keeping the characters)
    return len(text) - len(_HAN_RUN.sub("", text))


def readability(text: str) -> float:
    """Share of characters an ordinary Chinese (or ASCII) text would contain, 0..1.

    Replacement characters, control characters and private-use code points
    count three times against it: they are what a wrong codec leaves.
    """
    if not text:
        return 0.0
    bad = len(_BAD.findall(text))
    unusual = len(unusual_chars(text))
    return max(0.0, 1.0 - (unusual + 3 * bad) / len(text))
