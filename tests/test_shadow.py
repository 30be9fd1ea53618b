"""shadow(): the body as the lexicon matcher reads it, and where each of its characters came from."""
from __future__ import annotations

from hypothesis import given, settings, strategies as st

from govcase.tagging.lexicon import IGNORABLE, fold, shadow

ALPHABET = "加装电梯AbＺｑ１“”「」 \u3000\t'\"，。"


def plain(text: str) -> tuple[str, list[int]]:
    kept = [i for i, ch in enumerate(text) if ch not in IGNORABLE]
    return "".join(fold(text[i]) for i in kept), kept


@settings(max_examples=300, deadline=None)
@given(st.text(ALPHABET, max_size=60))
def test_shadow_drops_the_ignorable_characters_and_folds_the_rest(text):
    folded, keep = shadow(text)
    assert (folded, list(keep)) == plain(text)


def test_offsets_hold_for_a_text_longer_than_any_before():
    text = "“加装”电梯 " * 5000  # longer than the texts above: the offsets grow
    folded, keep = shadow(text)
    assert folded == "加装电梯" * 5000
    assert list(keep[:5]) == [1, 2, 4, 5, 8] and keep[-1] == len(text) - 2
