"""Scope words and the place of an outcome (pure after loading data/places/scope_words.tsv).

全市累计改造老旧小区8689个, 兴旺社区被确定为全市8个试点社区之一: a figure whose sentence puts a
scope word (全市, 全区, 全省, 全国, 市级 ...) between the last place it names and the number
counts the whole city, district or province, not the street or estate the story is about.
The place is the one of that level above the outcome's place (or the article's main
place); a 直辖市 (重庆市, a province by level) is the city of 全市. 全国 leaves no place.
"""
from __future__ import annotations

import re
from bisect import bisect_left
from dataclasses import replace
from functools import lru_cache
from pathlib import Path
from typing import Sequence

from govcase.datafiles import data_rows
from govcase.placenames.lexicon import PlaceDataError
from govcase.records import Outcome, Place, PlaceMention, Sentence
from govcase.text import break_positions, sentence_at

FILE_NAME = "scope_words.tsv"
CLAUSE_BREAKS = "，,；;：:"
LEVELS = ("province", "city", "district", "street", "none")


@lru_cache(maxsize=2)
def load_scope_words(folder: Path) -> tuple[dict[str, str], re.Pattern[str]]:
    path = Path(folder) / FILE_NAME
    if not path.is_file():
        raise PlaceDataError(f"{path} is missing: restore it from the repository (data/places/)")
    words = {}
    for n, (_, cells) in enumerate(data_rows(path.read_text(encoding="utf-8"))):
        if n == 0:
            continue  # the header
        if len(cells) != 2 or cells[1] not in LEVELS:
            raise PlaceDataError(f"{path}: row {cells!r} needs a word and one of {', '.join(LEVELS)}")
        words[cells[0]] = cells[1]
    return words, re.compile("|".join(map(re.escape, sorted(words, key=len, reverse=True))))


def scope_places(body: str, outcomes: Sequence[Outcome], places: Sequence[Place],
                 mentions: Sequence[PlaceMention], sentences: tuple[Sentence, ...],
                 main: str | None, folder: Path) -> list[Outcome]:
    """``outcomes`` with the place of those a scope word governs replaced (see the module)."""
    words, pattern = load_scope_words(folder)
    if not outcomes or pattern.search(body) is None:
        return list(outcomes)  # the usual case: no scope word in the article
    by_key = {p.key: p for p in places}
    out = []
    for o in outcomes:
        level = _scope(body, o, mentions, sentences, words, pattern)
        if level is not None:
            o = replace(o, place=None if level == "none" else _above(o.place or main, level, by_key) or o.place)
        out.append(o)
    return out


def _scope(body: str, o: Outcome, mentions: Sequence[PlaceMention], sentences: tuple[Sentence, ...],
           words: dict[str, str], pattern: re.Pattern[str]) -> str | None:
    """The level of the scope word between the last place named in the sentence and the number:
    anywhere before it when the sentence names no place before (全市累计改造8689个、1.92亿平方米,
    惠及居民202万户), else in the number's own clause (兴旺社区被确定为全市8个试点社区之一, 通过
    ...十项工作: the ten are the community's)."""
    sentence = sentence_at(sentences, o.start)
    start = sentence.start if sentence is not None else 0
    named = [m.end for m in mentions if start <= m.start and m.end <= o.start]
    if named:
        # the last clause break before the number (one rfind per break character read back to the
        # body's start for the characters it lacks: ',', ';' ...; the breaks found once, bisected)
        breaks = break_positions(body, CLAUSE_BREAKS)
        i = bisect_left(breaks, o.start)
        clause = breaks[i - 1] + 1 if i else 0
        start = max(named + [clause])
    found = [m.group() for m in pattern.finditer(body, start, o.start)]
    return words[found[-1]] if found else None


def _above(key: str | None, level: str, by_key: dict[str, Place]) -> str | None:
    """The place of ``level`` at or above ``key`` (a 直辖市 stands for the city)."""
    place = by_key.get(key) if key else None
    while place is not None:
        if place.level == level or (level == "city" and place.level == "province" and place.name.endswith("市")):
            return place.key
        place = by_key.get(place.parent) if place.parent else None
    return None
