"""Word cuts with part-of-speech tags for the short runs of text before a level suffix.

jieba is loaded once, lazily, into a private tokenizer: the global jieba
dictionary that other modules may use is never changed, and no word found in
one article is remembered for the next (same input, same output).
"""
from __future__ import annotations

import logging
import sys
import threading
from functools import lru_cache

_lock = threading.Lock()
_pos_tokenizer = None


def _tokenizer():
    global _pos_tokenizer
    if _pos_tokenizer is None:
        with _lock:
            if _pos_tokenizer is None:
                import jieba
                import jieba.posseg

                jieba.setLogLevel(logging.WARNING)
                tk = jieba.Tokenizer()
                tk.initialize()
                # POSTokenizer(tk) would read the tag table again (0.7 s): share the one that
                # importing jieba.posseg has just read from the same default dictionary
                pos = jieba.posseg.POSTokenizer.__new__(jieba.posseg.POSTokenizer)
                pos.tokenizer = tk
                pos.word_tag_tab = jieba.posseg.dt.word_tag_tab = _shared_tags(
                    tk.FREQ, jieba.posseg.dt.word_tag_tab)
                _remember_guesses(pos)
                _pos_tokenizer = pos
    return _pos_tokenizer


def _shared_tags(freq: dict[str, int], tags: dict[str, str]) -> dict[str, str]:
    """The same word -> tag table, keyed by the dictionary's own word strings, its few dozen
    tags interned: jieba reads the words twice (dictionary and tags), and half a million
    strings held twice by every worker is ~50 MB."""
    shared = {word: sys.intern(tag) for word in freq if (tag := tags.get(word)) is not None}
    for word, tag in tags.items():
        if word not in shared:
            shared[word] = sys.intern(tag)
    return shared


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


def in_dictionary(word: str) -> bool:
    """True when jieba knows ``word`` (as opposed to a word its HMM guessed, like 和嘉澜)."""
    return bool(_tokenizer().tokenizer.FREQ.get(word))


def place_word(word: str, strict: bool = False) -> bool:
    """True when jieba's dictionary has ``word`` as one word tagged as a place or a name
    (徐汇区/nr, 渝中区/nt); ``strict`` asks for the place tag ns alone (昆山市)."""
    if not in_dictionary(word):
        return False
    tag = _tokenizer().word_tag_tab.get(word, "")
    return tag == "ns" if strict else tag.startswith(("ns", "nr", "nt", "nz"))
