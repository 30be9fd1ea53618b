"""The index a sweep's claims read the article's mentions through (placenames.sweep._Mentions):
it must find what reading every mention of every place finds, as mentions come and go."""
from __future__ import annotations

from hypothesis import given
from hypothesis import strategies as st

from govcase.placenames.resolve import Entity
from govcase.placenames.sweep import _Mentions


class _Article:
    """What the index reads of an Article: its places by name."""

    def __init__(self, entities: dict[str, Entity]):
        self.entities = entities


def _places(mentions: list[list[tuple[int, int]]]) -> dict[str, Entity]:
    return {f"甲{i}社区": Entity(f"甲{i}社区", "community", f"甲{i}", "社区", mentions=list(spans))
            for i, spans in enumerate(mentions)}


def _read_all(places: dict[str, Entity], s: int, e: int) -> dict[Entity, list[tuple[int, int]]]:
    found = {ent: [(a, b) for a, b in ent.mentions if not (b <= s or a >= e)] for ent in places.values()}
    return {ent: spans for ent, spans in found.items() if spans}


def _same(got: dict, want: dict) -> bool:
    return {id(k): sorted(v) for k, v in got.items()} == {id(k): sorted(v) for k, v in want.items()}


_spans = st.lists(st.tuples(st.integers(0, 60), st.integers(0, 12)).map(lambda t: (t[0], t[0] + t[1])), max_size=10)


@given(st.lists(_spans, min_size=1, max_size=5), st.integers(0, 70), st.integers(1, 15))
def test_overlapping_finds_what_reading_every_mention_finds(mentions, s, length):
    places = _places(mentions)
    assert _same(_Mentions(_Article(places)).overlapping(s, s + length), _read_all(places, s, s + length))


@given(st.lists(_spans, min_size=1, max_size=4), _spans, st.integers(0, 70), st.integers(1, 15))
def test_mentions_added_and_removed_through_it_are_found(mentions, added, s, length):
    places = _places(mentions)
    index = _Mentions(_Article(places))
    first = next(iter(places.values()))
    for a, b in added:  # a long mention added later widens the reach of the next questions
        index.add(first, a, b + 20)
    for ent in places.values():
        for a, b in list(ent.mentions)[::2]:
            index.remove(ent, a, b)
    assert _same(index.overlapping(s, s + length), _read_all(places, s, s + length))
    assert all(index.has(ent, a, b) for ent in places.values() for a, b in ent.mentions)


def test_a_place_mentioned_twice_at_one_span_is_found_twice():
    places = _places([[(3, 7), (3, 7)], [(20, 24)]])
    found = _Mentions(_Article(places)).overlapping(5, 9)
    assert list(found.values()) == [[(3, 7), (3, 7)]]
