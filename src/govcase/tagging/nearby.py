"""The mentions and spans near an offset, found by bisection (outcomes.find_outcomes).

Reading every place mention of an article for each of its numbers made outcome-finding
quadratic in the article's length (a 6 MB dump took minutes). Each question the
outcome rules ask about mentions concerns a bounded stretch around the number, except
two, answered here from indexes built once: the last place named before an offset, and
the chain of places listed before 等.
"""
from __future__ import annotations

from bisect import bisect_left, bisect_right
from typing import Sequence

from govcase.placenames.gazetteer import base_name
from govcase.records import CodeMention, PlaceMention


class Nearby:
    """Place mentions (sorted by start), measure mentions (sorted by start) and blocked spans."""

    def __init__(self, places: Sequence[PlaceMention], measures: Sequence[CodeMention],
                 blocked: Sequence[tuple[int, int]]) -> None:
        self.places = list(places)
        self._starts = [m.start for m in self.places]
        self._reach = max((m.end - m.start for m in self.places), default=0)
        self._ends = sorted(m.end for m in self.places)
        self.by_end = {m.end: m for m in self.places}  # the last mention ending at each offset
        self.measures = list(measures)
        self._measure_starts = [m.start for m in self.measures]
        self._blocked = sorted(blocked)
        self._blocked_starts = [s for s, _ in self._blocked]
        self._furthest: list[int] = []  # index of the span reaching furthest among the first i + 1
        for i, (_, end) in enumerate(self._blocked):
            self._furthest.append(i if not self._furthest or end > self._blocked[self._furthest[-1]][1]
                                  else self._furthest[-1])
        self._by_endings: dict[tuple[str, ...], tuple[list[int], list[PlaceMention]]] = {}

    def places_around(self, lo: int, hi: int) -> list[PlaceMention]:
        """Every place mention that touches [lo, hi] (and a few more just outside), in order."""
        return self.places[bisect_left(self._starts, lo - self._reach):bisect_right(self._starts, hi)]

    def last_end_upto(self, offset: int) -> list[int]:
        """[the largest end of a place mention ending at or before ``offset``], or []."""
        i = bisect_right(self._ends, offset)
        return [self._ends[i - 1]] if i else []

    def measures_in(self, lo: int, hi: int) -> list[CodeMention]:
        """Measure mentions starting in [lo, hi], in order."""
        return self.measures[bisect_left(self._measure_starts, lo):bisect_right(self._measure_starts, hi)]

    def blocking(self, start: int, end: int) -> list[tuple[int, int]]:
        """[a blocked span overlapping [start, end)], or []."""
        i = bisect_left(self._blocked_starts, end)  # the spans starting before ``end``
        if not i:
            return []
        span = self._blocked[self._furthest[i - 1]]
        return [span] if span[1] > start else []

    def named_between(self, lo: int, at: int) -> list[PlaceMention]:
        """The mentions starting at or after ``lo`` and ending by ``at``, in start order."""
        return [m for m in self.places[bisect_left(self._starts, lo):bisect_left(self._starts, at)] if m.end <= at]

    def last_named(self, at: int, endings: tuple[str, ...]) -> PlaceMention | None:
        """The last mention (in start order) ending by ``at`` whose surface has one of ``endings``,
        and that is no district or street written without its level word (望城 of 望城区 ends with
        城, an estate's ending, and is no estate)."""
        if endings not in self._by_endings:
            chosen = [m for m in self.places if m.surface.endswith(endings) and not _unit_short_form(m)]
            self._by_endings[endings] = ([m.start for m in chosen], chosen)
        starts, chosen = self._by_endings[endings]
        for i in range(bisect_left(starts, at) - 1, -1, -1):  # a mention starting before ``at``...
            if chosen[i].end <= at:  # ...and ending by it; those overlapping ``at`` are few
                return chosen[i]
        return None


def _unit_short_form(m: PlaceMention) -> bool:
    """望城 for 望城区, 良渚 for 良渚街道: a district or street written without its level word."""
    name = m.place.rpartition("/")[2]
    return name != m.surface and m.surface in (base_name(name, "district"), base_name(name, "street"))
