"""The shortcuts that make place finding fast give the answers of the plain code they replace.

Each shortcut (a regex instead of a loop per character, a trie instead of an alternation,
a remembered jieba guess, a faster search for it) is checked against the plain version on
generated text.
"""
from __future__ import annotations

import re

from hypothesis import given, settings
from hypothesis import strategies as st

from govcase.placenames.hmm import Viterbi
from govcase.placenames.names import MAX_RUN, name_char, run_start
from govcase.placenames.scan import longest_first
from govcase.placenames.segment import _tokenizer

# Han characters at the edges of is_han's ranges and just outside them, digits, hyphens,
# lost characters, punctuation and a newline: everything the run of a name may stop at.
RUN_CHARS = "徐汇区一\u4e00\u9fff\u3400\u4dbf\uf900\ufaff\u4dc0\ufb00a 1２-－?\ufffd\n，"


def walked_start(text: str, floor: int, end: int) -> int:
    lo = end
    while lo > floor and end - lo < MAX_RUN and name_char(text, lo - 1):
        lo -= 1
    return lo


@settings(max_examples=500, deadline=None)
@given(st.text(RUN_CHARS, max_size=40), st.data())
def test_run_start_is_the_walk_to_the_left(text, data):
    end = data.draw(st.integers(0, len(text)))
    floor = data.draw(st.integers(0, len(text) + 2))
    assert run_start(text, floor, end) == walked_start(text, floor, end)


@settings(max_examples=600, deadline=None)
@given(st.data())
def test_longest_first_matches_as_the_alternation_longest_first(data):
    shortest = data.draw(st.sampled_from([1, 2]))  # words of two characters or more are guarded
    words = data.draw(st.sets(st.text("abc", min_size=shortest, max_size=4), min_size=1, max_size=8))
    text = data.draw(st.text("abcx", max_size=30))
    alternation = re.compile("|".join(re.escape(w) for w in sorted(words, key=len, reverse=True)))
    assert [(m.span(), m.group(0)) for m in longest_first(words).finditer(text)] == \
        [(m.span(), m.group(0)) for m in alternation.finditer(text)]


# Common and rare Han characters, characters of place names, and ones jieba's tables lack.
HMM_CHARS = "的和在某徐汇天平嘉澜梧桐龙潭坂田五社区街道新村长桥向阳乐山华滨楼园罗秀二村䶮鿏丨乂"


@settings(max_examples=400, deadline=None)
@given(st.text(HMM_CHARS, min_size=1, max_size=12))
def test_faster_hmm_search_finds_what_jieba_finds(text):
    import jieba.posseg
    from jieba.posseg.viterbi import viterbi

    tables = (jieba.posseg.char_state_tab_P, jieba.posseg.start_P, jieba.posseg.trans_P, jieba.posseg.emit_P)
    prob, states = viterbi(text, *tables)
    assert Viterbi(*tables)(text) == (prob, list(states))


def test_remembered_guesses_cut_as_jieba_does():
    import jieba.posseg

    pos = _tokenizer()
    fresh = jieba.posseg.POSTokenizer(pos.tokenizer)
    for text in ("和嘉澜", "在某某某小区", "向龙新村长桥街道", "坂田街道五和社区", "和嘉澜", "某某某"):
        for _ in range(2):  # the second time from memory
            assert [(p.word, p.flag) for p in pos.cut(text)] == [(p.word, p.flag) for p in fresh.cut(text)]
