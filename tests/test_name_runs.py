"""run_start: where the run of name characters before a suffix starts, as a walk over
name_char would find it."""
from __future__ import annotations

from hypothesis import given, settings, strategies as st

from govcase.placenames.names import MAX_RUN, name_char, run_start


def walk(text: str, floor: int, end: int) -> int:
    lo = end
    while lo > floor and end - lo < MAX_RUN and name_char(text, lo - 1):
        lo -= 1
    return lo


@settings(max_examples=500, deadline=None)
@given(st.text("徐汇区在，,1２aＢ-－?\ufffd\n。路 ", max_size=45), st.data())
def test_run_start_is_the_walk_over_name_characters(text, data):
    end = data.draw(st.integers(0, len(text)))
    floor = data.draw(st.integers(0, end))
    assert run_start(text, floor, end) == walk(text, floor, end)


def test_a_run_stops_at_a_comma_and_at_max_run():
    assert run_start("在徐汇区，天平街道", 0, 7) == 5
    long = "徐" * (MAX_RUN + 5)
    assert run_start(long, 0, len(long)) == 5
