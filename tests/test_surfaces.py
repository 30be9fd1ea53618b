"""SurfaceAutomaton finds what a plain search finds, in the same order, and survives a pickle."""
from __future__ import annotations

import pickle

from hypothesis import given, settings, strategies as st

from govcase.tagging.surfaces import SurfaceAutomaton

# Characters whose bytes repeat or overlap each other's (乎 is 4E 4E, 丏 4E 0F, 一 4E 00 ...), so
# that a byte sequence of one word can occur across two characters of a text; ASCII (high byte
# 0); and one character beyond U+FFFF (a surrogate pair in UTF-16).
ALPHABET = "乎丏一一丁社区加装电梯\u0f4e\u4e0fa N𠀀"


def plain(words: dict[str, int], text: str) -> list[tuple[int, int]]:
    """Every occurrence as (index of its last character, value): by end, the longer first."""
    found = [(i + len(w) - 1, -len(w), v) for w, v in words.items() for i in range(len(text))
             if text.startswith(w, i)]
    return [(last, v) for last, _, v in sorted(found)]


@settings(max_examples=300, deadline=None)
@given(st.lists(st.text(ALPHABET, min_size=1, max_size=4), min_size=1, max_size=8, unique=True),
       st.text(ALPHABET, max_size=40))
def test_the_matches_are_those_of_a_plain_search(word_list, text):
    words = {w: i for i, w in enumerate(word_list)}
    assert SurfaceAutomaton(words.items()).iter(text) == plain(words, text)


def test_a_byte_sequence_across_two_characters_is_no_match():
    # 乎 is the bytes 4E 4E: in 丏乎 (4E 0F 4E 4E) and 一乎 (4E 00 4E 4E) the bytes of 乎 occur
    # once on the character boundary too
    automaton = SurfaceAutomaton([("乎", "hu"), ("\u0f4e", "x")])
    assert automaton.iter("丏乎") == [(1, "hu")]
    assert automaton.iter("丏\u4e4e\u0f4e") == [(1, "hu"), (2, "x")]
    assert automaton.iter("\u4e0f\u4e0f") == []  # 4E 0F 4E 0F holds 0F 4E, the bytes of \u0f4e


def test_offsets_count_characters_when_the_text_has_one_beyond_the_bmp():
    automaton = SurfaceAutomaton([("加装电梯", "lift"), ("电梯", "e")])
    assert automaton.iter("𠀀加装电梯") == [(4, "lift"), (4, "e")]
    assert automaton.iter("加装电梯") == [(3, "lift"), (3, "e")]


def test_a_pickled_automaton_matches_as_the_one_it_was_made_from():
    automaton = SurfaceAutomaton([("加装电梯", "lift"), ("电梯", "e"), ("梯", "t")])
    again = pickle.loads(pickle.dumps(automaton))
    assert again.iter("加装电梯和电梯") == automaton.iter("加装电梯和电梯") == [
        (3, "lift"), (3, "e"), (3, "t"), (6, "e"), (6, "t")]
