"""jieba's dictionary as one Aho-Corasick automaton: frequencies, part-of-speech tags and the
words search indexes, in C memory.

jieba keeps its dictionary in two Python dicts (word frequencies with every prefix, and the
tag table): half a million strings, about 90 MB in every process, whose reference counts
copy their pages into each worker that touches them. Here each dictionary word is one key of
a pyahocorasick automaton whose value is the word's number in two flat arrays (frequency;
tag, length and whether search indexes it). It serves:

- ``Frequencies`` and ``Tags``, which stand in for jieba's ``FREQ`` and ``word_tag_tab``
  with the same answers (a prefix of a word is "in" FREQ with frequency 0, as jieba's own
  prefix dictionary has it), and ``dag``, jieba's ``get_DAG`` from one automaton pass;
- ``search_words``, the words of two characters or more that the search tokens are made of,
  from a second automaton of those words alone (matching every single character too, and
  skipping them in Python, took twice as long).

pyahocorasick finds a node's child by scanning its children in the order they were added,
and nearly every character of a text is looked up among the root's ~5,600 children. So the
search automaton adds its words most frequent first (common characters then come early in
every node), and ``search_words`` first turns each character that no search word contains
(punctuation, digits: one in eight of an article) into a sentinel, the root's first child:
together they cut the matching from 0.55 to 0.2 ms an article.

The automaton is built once (1.5 s) and cached in the user's cache folder (0.15 s to load;
govcase.diskcache).
"""
from __future__ import annotations

import re
from array import array
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path

MAX_TOKEN = 128  # longer words and hits are no search tokens (search finds them by LIKE)
# info[word number] = tag << TAG_SHIFT | SEARCHABLE? | length
_LENGTH = 0xFF
SEARCHABLE = 0x100  # two characters or more, up to MAX_TOKEN, with a letter, digit or CJK character
TAG_SHIFT = 9
_TAG = 0x7F << TAG_SHIFT
_WORDY = re.compile(r"[\w\u3400-\u9fff]")
# The characters no search word contains become SENTINEL before matching. The search automaton's
# first word, SENTINEL + a second such character, puts SENTINEL first among the root's children
# and never matches (that second character, too, becomes SENTINEL).
SENTINEL = "\ue000"  # private use: in no dictionary word
_SENTINEL_WORD = SENTINEL + "\ue001"


@dataclass(frozen=True)
class Dictionary:
    automaton: object  # ahocorasick.Automaton (STORE_INTS): word -> its number
    freq: array  # word number -> frequency
    info: array  # word number -> tag, SEARCHABLE, length (see above)
    search: object  # ahocorasick.Automaton (STORE_LENGTH) of the SEARCHABLE words, and _SENTINEL_WORD
    outside: re.Pattern  # a character that no SEARCHABLE word contains
    total: int  # the sum of all frequencies, as jieba computes it (every line counts)
    tags: tuple[str, ...]  # tag number -> tag

    def __reduce__(self):
        # pickled (govcase.diskcache) with its pattern's source: unpickled, a re.Pattern is
        # compiled again, and this class of ~5,600 characters took 8.7 ms at every start
        return _dictionary, (self.automaton, self.freq, self.info, self.search, self.outside.pattern,
                             self.total, self.tags)


def _dictionary(automaton, freq, info, search, outside: str, total, tags) -> Dictionary:
    from govcase import regexcache

    return Dictionary(automaton, freq, info, search, regexcache.compile(outside), total, tags)


def _dictionary_file() -> Path:
    import importlib.util  # found, not imported: the cached build needs none of jieba's modules

    return Path(importlib.util.find_spec("jieba").origin).with_name("dict.txt")


def build(path: Path) -> Dictionary:
    """Read jieba's dictionary file the way jieba does: a later line for the same word wins,
    and the total counts every line."""
    import ahocorasick

    entries: dict[str, tuple[int, str]] = {}
    total = 0
    with path.open("rb") as lines:
        for line in lines:
            text = line.strip().decode("utf-8")
            if not text:
                continue
            word, freq, tag = text.split(" ")
            entries[word] = (int(freq), tag)
            total += int(freq)
    tags = tuple(sorted({tag for _, tag in entries.values()}))
    if len(tags) > _TAG >> TAG_SHIFT:
        raise ValueError(f"{path}: {len(tags)} part-of-speech tags, more than the packing holds")
    number = {tag: i for i, tag in enumerate(tags)}
    automaton = ahocorasick.Automaton(ahocorasick.STORE_INTS)
    freqs, info = array("q"), array("H")
    searchable_words = []
    for i, (word, (freq, tag)) in enumerate(entries.items()):
        if len(word) > _LENGTH:
            raise ValueError(f"{path}: the word {word[:20]}... is longer than the packing holds")
        searchable = SEARCHABLE if 2 <= len(word) <= MAX_TOKEN and _WORDY.search(word) else 0
        automaton.add_word(word, i)
        if searchable:
            searchable_words.append(word)
        freqs.append(freq)
        info.append(number[tag] << TAG_SHIFT | searchable | len(word))
    automaton.make_automaton()
    search, outside = _search_automaton(path, searchable_words, entries)
    return Dictionary(automaton, freqs, info, search, outside, total, tags)


def _search_automaton(path: Path, words: list[str], entries: dict[str, tuple[int, str]]):
    """The automaton of the search words, most frequent first after _SENTINEL_WORD, and the
    pattern of the characters they do not contain (see the module's docstring)."""
    import ahocorasick

    alphabet = set().union(*words)
    if alphabet & set(_SENTINEL_WORD):
        raise ValueError(f"{path}: a word contains {_SENTINEL_WORD!r}, which search_words keeps for itself")
    search = ahocorasick.Automaton(ahocorasick.STORE_LENGTH)
    search.add_word(_SENTINEL_WORD)
    for word in sorted(words, key=lambda w: entries[w][0], reverse=True):
        search.add_word(word)
    search.make_automaton()
    return search, re.compile(f"[^{''.join(map(re.escape, sorted(alphabet)))}]")


@lru_cache(maxsize=1)
def dictionary() -> Dictionary:
    """jieba's default dictionary, from the cache when it is there and current."""
    from importlib.metadata import version

    from govcase.diskcache import cached, file_key

    path = _dictionary_file()
    # the cache is this module's build of this dictionary file with this pyahocorasick
    key = file_key(path, __name__) + version("pyahocorasick").encode()
    return cached("dictionary", key, lambda: build(path), Dictionary)


def search_words(text: str) -> list[str]:
    """Every dictionary word of two characters or more that ``text`` contains, once each, in
    order of where it ends (停车难 gives 停车 and 停车难)."""
    d = dictionary()
    found = d.search.iter(d.outside.sub(SENTINEL, text))  # the same offsets: one character for one
    return list({text[end - length + 1:end + 1]: None for end, length in found})


class Frequencies:
    """jieba's ``Tokenizer.FREQ``, read-only: a word's frequency, 0 for a prefix of a word
    that is no word itself, absent otherwise."""

    __slots__ = ("_automaton", "_freq")

    def __init__(self, d: Dictionary):
        self._automaton, self._freq = d.automaton, d.freq

    def __contains__(self, key: str) -> bool:
        return self._automaton.match(key)

    def get(self, key: str, default=None):
        i = self._automaton.get(key, None)
        if i is not None:
            return self._freq[i]
        return 0 if self._automaton.match(key) else default

    def __getitem__(self, key: str) -> int:
        value = self.get(key)
        if value is None:
            raise KeyError(key)
        return value


class Tags:
    """jieba.posseg's ``word_tag_tab``, read-only: a dictionary word's part-of-speech tag."""

    __slots__ = ("_automaton", "_info", "_tags")

    def __init__(self, d: Dictionary):
        self._automaton, self._info, self._tags = d.automaton, d.info, d.tags

    def get(self, word: str, default=None):
        i = self._automaton.get(word, None)
        return default if i is None else self._tags[(self._info[i] & _TAG) >> TAG_SHIFT]

    def __contains__(self, word: str) -> bool:
        return self._automaton.exists(word)

    def __getitem__(self, word: str) -> str:
        tag = self.get(word)
        if tag is None:
            raise KeyError(word)
        return tag


def dag(d: Dictionary, sentence: str) -> dict[int, list[int]]:
    """jieba's ``Tokenizer.get_DAG``: for each start k, the ends i (ascending) of the words
    sentence[k:i+1] with a frequency, or [k] when there is none, from one automaton pass
    (matches come in order of their end, so each start's ends ascend)."""
    freq, info = d.freq, d.info
    out: dict[int, list[int]] = {k: [] for k in range(len(sentence))}
    for end, i in d.automaton.iter(sentence):
        if freq[i]:
            out[end - (info[i] & _LENGTH) + 1].append(end)
    for k, ends in out.items():
        if not ends:
            ends.append(k)
    return out


def import_posseg():
    """jieba.posseg, imported without its global tokenizer reading jieba's tag table.

    Importing jieba.posseg builds ``jieba.posseg.dt``, which reads the 350,000 (word, tag)
    pairs of dict.txt into a dict: 0.15 s of CPU and ~30 MB in every process that imports
    it, for a table ``Tags`` answers from the automaton. That one read is handed an empty
    file; the module is otherwise the same.
    """
    import sys

    if "jieba.posseg" in sys.modules:
        return sys.modules["jieba.posseg"]
    import io

    jieba = import_jieba()

    jieba.dt.get_dict_file = io.BytesIO  # an instance attribute shadows the method meanwhile
    try:
        import jieba.posseg
    finally:
        del jieba.dt.get_dict_file
    return jieba.posseg


def import_jieba():
    """jieba, imported without pkg_resources: jieba reads its model files through it when it
    can, and importing pkg_resources (setuptools' scan of every installed distribution) took
    longer than the rest of jieba's import, 0.1 s of every process's start. Without it jieba
    opens the same files by their path beside its modules."""
    from govcase.lazyimport import import_without

    return import_without("jieba", "pkg_resources")
