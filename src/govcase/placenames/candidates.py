"""What the scan finds: candidate place names in a text (pure data).

Kept apart from govcase.placenames.scan so that the rules that use the gazetteer
(govcase.placenames.edges) can make candidates without importing the scanner.
"""
from __future__ import annotations

from dataclasses import dataclass, field
from typing import Callable

from govcase.placenames.lexicon import LEVEL_DEPTH, Division


@dataclass
class Candidate:
    """A place name found at [start, end) of a text; ``name`` is canonical (街办 -> 街道)."""

    start: int
    end: int
    base: str  # the name before the suffix, as written (徐汇 of 徐汇区)
    suffix: str  # the suffix as written, "" for a division found by its full name
    level: str
    name: str
    source: str  # suffix | division | list
    strength: str = "strong"
    chained_to: int | None = None  # index (in the scan's list) of the place it is written inside
    division: Division | None = None
    cue: bool = False  # a weak suffix (or a district) whose place the context confirms
    dropped: bool = False
    floor: int = 0  # where the run of this name could have started

    @property
    def depth(self) -> int:
        return LEVEL_DEPTH[self.level]


@dataclass
class Scan:
    text: str
    candidates: list[Candidate] = field(default_factory=list)
    # short forms of places the article names elsewhere: 徐汇 -> (徐汇区, district)
    known_prefixes: dict[str, tuple[str, str]] = field(default_factory=dict)
    # known(name, level, loose): the gazetteer has a district or street of that name (or None);
    # loose: or one the name may stand for (天平街道 for 天平路街道)
    known: Callable[..., bool] | None = None
