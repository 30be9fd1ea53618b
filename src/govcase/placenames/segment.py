"""Word cuts with part-of-speech tags for the short runs of text before a level suffix.

jieba is loaded once, lazily, into a private tokenizer whose dictionary is
govcase.dictionary's automaton (the same frequencies and tags in a fraction of
the memory); no word is added to it, and no word found in one article is
remembered for the next (same input, same output).
"""
from __future__ import annotations

import logging
import threading
from functools import lru_cache, partial

from govcase.dictionary import Frequencies, Tags, dag, dictionary, import_posseg
from govcase.placenames.hmm import Viterbi, cut_unknown

_lock = threading.Lock()
_pos_tokenizer = None


def _tokenizer():
    global _pos_tokenizer
    if _pos_tokenizer is None:
        with _lock:
            if _pos_tokenizer is None:
                import_posseg()  # without the tag table it would read (see govcase.dictionary)
                import jieba
                import jieba.posseg

                jieba.setLogLevel(logging.WARNING)
                d = dictionary()
                # jieba's own dictionary dicts (~90 MB a process) are replaced by the automaton,
                # which gives the same frequencies, prefixes, DAG and tags (govcase.dictionary)
                tk = jieba.Tokenizer()
                tk.FREQ, tk.total, tk.initialized = Frequencies(d), d.total, True
                tk.get_DAG = partial(dag, d)
                pos = jieba.posseg.POSTokenizer.__new__(jieba.posseg.POSTokenizer)
                pos.tokenizer = tk
                # importing jieba.posseg has just read the tag table into its global tokenizer:
                # the same answers from the automaton, and that copy freed
                pos.word_tag_tab = jieba.posseg.dt.word_tag_tab = Tags(d)
                _search_faster(pos)
                _remember_guesses(pos)
                _pos_tokenizer = pos
    return _pos_tokenizer


def _search_faster(pos) -> None:
    """Give the tokenizer's HMM guess the faster search of govcase.placenames.hmm (same cuts).
    Should jieba rename the method, it keeps its own search."""
    import jieba.posseg

    if not hasattr(pos, "_POSTokenizer__cut"):
        return
    viterbi = Viterbi(jieba.posseg.char_state_tab_P, jieba.posseg.start_P, jieba.posseg.trans_P,
                      jieba.posseg.emit_P)
    pos._POSTokenizer__cut = partial(cut_unknown, viterbi, jieba.posseg.pair)


# Stretches of unknown characters whose HMM guess is remembered (~400 B an entry: under 2 MB
# when full).
GUESS_CACHE = 4096


def _remember_guesses(pos) -> None:
    """Remember the tokenizer's HMM guesses per stretch of characters it does not know.

    The guess (a Viterbi search in pure Python) is most of the cost of cutting a new run,
    and the same stretch (某某某, a street's name) comes back inside other runs; it depends
    on the stretch alone (jieba's fixed probability tables), so remembering it changes no
    cut. Should jieba rename the method, cuts are just not remembered."""
    guess = getattr(pos, "_POSTokenizer__cut_detail", None)
    if guess is None:
        return
    remembered = lru_cache(maxsize=GUESS_CACHE)(lambda stretch: tuple(guess(stretch)))
    pos._POSTokenizer__cut_detail = lambda stretch: iter(remembered(stretch))


@lru_cache(maxsize=20000)
def cut(text: str) -> tuple[tuple[str, str], ...]:
    """(word, tag) pairs for ``text``; the words concatenate back to ``text``."""
    if not text:
        return ()
    pairs = tuple((p.word, p.flag) for p in _tokenizer().cut(text, HMM=True))
    if "".join(w for w, _ in pairs) != text:  # jieba drops nothing, but never trust offsets blindly
        return tuple((ch, "x") for ch in text)
    return pairs


# Words whose dictionary answer is remembered (~150 B an entry): the suffix rules ask about the
# same few names (徐汇区, 天平街道) for every mention, and an automaton lookup costs more.
WORD_CACHE = 8192


@lru_cache(maxsize=WORD_CACHE)
def in_dictionary(word: str) -> bool:
    """True when jieba knows ``word`` (as opposed to a word its HMM guessed, like 和嘉澜)."""
    return bool(_tokenizer().tokenizer.FREQ.get(word))


@lru_cache(maxsize=WORD_CACHE)
def place_word(word: str, strict: bool = False) -> bool:
    """True when jieba's dictionary has ``word`` as one word tagged as a place or a name
    (徐汇区/nr, 渝中区/nt); ``strict`` asks for the place tag ns alone (昆山市)."""
    if not in_dictionary(word):
        return False
    tag = _tokenizer().word_tag_tab.get(word, "")
    return tag == "ns" if strict else tag.startswith(("ns", "nr", "nt", "nz"))


def frequency(word: str) -> int:
    """jieba's frequency of ``word``, 0 when its dictionary does not hold it."""
    return _tokenizer().tokenizer.FREQ.get(word) or 0


def total_frequency() -> int:
    """The sum of the frequencies of jieba's dictionary."""
    return _tokenizer().tokenizer.total
