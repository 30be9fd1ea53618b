"""numbers._qualifier_before looks qualifiers up by length: the same answers as reading the
word lists longest first, as it did before (a reference copy of that loop is kept here)."""
from hypothesis import given, settings, strategies as st

from govcase.tagging.numbers import _SHARE_OF, _match_word, _qualifier_before, _qualifiers


def _reference(text: str, start: int, bare_round: bool) -> str | None:
    quals = _qualifiers()
    ends = [start]
    link = _match_word(text[start - 1:start], 0, quals["link"]) if start else None
    if link:
        ends.append(start - len(link))
    share = _SHARE_OF.search(text, max(0, start - 14), start)
    if share:
        return text[share.start():start]
    for end in ends:
        for word in quals["before"]:
            if text.endswith(word, 0, end):
                if word == "上" and (not bare_round or end != start):
                    continue
                if len(word) == 1 and any(text.endswith(w, 0, end) for w in quals["not"]):
                    return None
                return text[end - len(word):start]
    return None


_PIECES = sorted({w for words in _qualifiers().values() for w in words}) + list("的占人口总\n，。5三万")


@settings(max_examples=3000, deadline=None)
@given(st.lists(st.sampled_from(_PIECES), max_size=8), st.booleans(), st.data())
def test_same_as_reading_the_lists(pieces, bare_round, data):
    text = "".join(pieces) + "三百"
    start = data.draw(st.integers(0, len(text)))
    assert _qualifier_before(text, start, bare_round) == _reference(text, start, bare_round)


def test_examples():
    assert _qualifier_before("约占总人口的38%", 6, False) == "约占总人口的"
    assert _qualifier_before("签约14台", 2, False) is None
    assert _qualifier_before("近400平方米", 1, False) == "近"
    assert _qualifier_before("上百人", 1, True) == "上"
    assert _qualifier_before("上百人", 1, False) is None
    assert _qualifier_before("约有500户", 2, False) == "约有"
    assert _qualifier_before("约占总人口的\n38%", 7, False) == "约占总人口的\n"  # $ before a final newline
