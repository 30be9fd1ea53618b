"""govcase.dictionary answers as jieba's own dictionary does: frequencies with prefixes, tags,
the DAG of a sentence, and the words search indexes."""
from __future__ import annotations

import re

import jieba
import jieba.posseg
import pytest
from hypothesis import given, settings, strategies as st

from govcase import dictionary as dic


@pytest.fixture(scope="module")
def jieba_own():
    tk = jieba.Tokenizer()
    tk.initialize()
    tags = jieba.posseg.POSTokenizer.__new__(jieba.posseg.POSTokenizer)
    tags.load_word_tag(tk.get_dict_file())
    return tk, tags.word_tag_tab


@pytest.fixture(scope="module")
def ours():
    return dic.dictionary()


def test_the_total_and_every_word_and_prefix_match_jieba(jieba_own, ours):
    tk, tag_tab = jieba_own
    freq, tags = dic.Frequencies(ours), dic.Tags(ours)
    assert ours.total == tk.total
    for word, value in tk.FREQ.items():  # every word and every prefix of a word
        assert word in freq and freq.get(word) == value and freq[word] == value
    for word, tag in tag_tab.items():
        assert tags.get(word, "x") == tag and word in tags
    assert freq.get("没有这个词语吧") is None and "没有这个词语吧" not in freq
    assert tags.get("没有这个词语吧", "x") == "x"


# sentences from dictionary words, their pieces and other characters
_SAMPLE = [w for i, w in enumerate(jieba.dt.get_dict_file().read().decode("utf-8").split("\n")) if i % 97 == 0]
_WORDS = [line.split(" ")[0] for line in _SAMPLE if line]
PIECE = st.one_of(st.sampled_from(_WORDS), st.sampled_from(_WORDS).map(lambda w: w[:-1] or w),
                  st.text(alphabet="的了是在和区街道社居委会小号路ab1,。 \ue000\ue001", max_size=4))


@settings(max_examples=300, deadline=None)
@given(st.lists(PIECE, max_size=12).map("".join))
def test_the_dag_is_jiebas(jieba_own, ours, sentence):
    tk, _ = jieba_own
    assert dic.dag(ours, sentence) == tk.get_DAG(sentence)


@settings(max_examples=200, deadline=None)
@given(st.lists(PIECE, max_size=12).map("".join))
def test_search_words_are_the_contained_dictionary_words(jieba_own, ours, text):
    tk, _ = jieba_own
    expected = {text[i:j] for i in range(len(text)) for j in range(i + 2, min(len(text), i + 40) + 1)
                if tk.FREQ.get(text[i:j]) is not None and _in_file(text[i:j])}
    expected = {w for w in expected if re.search(r"[\w\u3400-\u9fff]", w)}
    assert set(dic.search_words(text)) == expected


def test_search_words_come_once_in_order_of_their_end_whatever_surrounds_them():
    # punctuation and digits (in no search word) and the sentinel's own characters neither
    # hide a word nor make one
    text = "停车难，加装电梯1号楼\ue000\ue001\ue000电梯。停车"
    assert dic.search_words(text) == ["停车", "停车难", "加装", "电梯"]


_FILE_WORDS = None


def _in_file(word: str) -> bool:
    global _FILE_WORDS
    if _FILE_WORDS is None:
        _FILE_WORDS = {line.split(" ")[0] for line in
                       jieba.dt.get_dict_file().read().decode("utf-8").split("\n") if line}
    return word in _FILE_WORDS


def test_the_automaton_is_cached_per_user_and_a_damaged_cache_is_rebuilt(tmp_path, monkeypatch):
    monkeypatch.setenv("XDG_CACHE_HOME", str(tmp_path))
    dic.dictionary.cache_clear()
    try:
        built = dic.dictionary()
        (cache,) = (tmp_path / "govcase").glob("dictionary-*.pickle")
        dic.dictionary.cache_clear()
        assert dic.dictionary().total == built.total  # read back from the cache
        cache.write_bytes(b"not a pickle")
        dic.dictionary.cache_clear()
        assert dic.search_words("加装电梯") == ["加装", "电梯"]  # rebuilt
        # nothing left beside it (the folder of govcase.regexcache aside)
        assert [p.name for p in (tmp_path / "govcase").iterdir() if p.name != "regex"] == [cache.name]
    finally:
        dic.dictionary.cache_clear()
