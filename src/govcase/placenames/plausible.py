"""Whether the text before a level suffix looks like a real name (pure after loading).

A word's share of the words of real place names (the gazetteer's 660k communities,
villages, streets and districts; data/places/name_words.tsv.xz, built by
scripts/build_name_words.py) is weighed against its share of ordinary text (jieba's
frequencies). Words common in text and absent from names (基层, 信用, 不少, 巧妙, 利用,
协商) make a name implausible: 基层社区 and 巧妙利用社区 are phrases, not places; words
frequent in names (阳光, 幸福, 建设, 团结) and words jieba does not know (顺江, 五交化) do
not. The log-odds of each word are what ``explain`` reports.
"""
from __future__ import annotations

import lzma
import math
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path

from govcase.placenames.lexicon import PlaceDataError
from govcase.placenames.segment import cut, frequency, total_frequency

FILE_NAME = "name_words.tsv.xz"
HEADER = "#govcase-name-words\t1\t"
# A word whose log-odds (names against text) fall below this is a word of text, not of names:
# measured on the gazetteer, 服务 -2.7, 基层 -3.8, 不少 -5.2 fall below; 世纪 -0.6, 国际 -0.9,
# 中央 -1.4, 城市 -1.4, which real estates carry, stay above.
TEXT_WORD = -2.0
# jieba's tags of proper names (places, people, organisations, other names).
PROPER_TAGS = ("ns", "nr", "nt", "nz")
# jieba's tags of positions and locations.
POSITION_TAGS = ("f", "s")
# Words shorter than this say nothing either way (single characters begin too many names).
MIN_WORD = 2


@dataclass(frozen=True, eq=False)
class NameWords:
    """How many real names hold each word (words of two characters or more)."""

    counts: dict[str, int]
    names: int  # how many names were counted

    def log_odds(self, word: str) -> float | None:
        """log P(word | names) - log P(word | text), or None for a word jieba does not know."""
        freq = frequency(word)
        if not freq:
            return None
        return math.log((self.counts.get(word, 0) + 0.5) / self.names) - math.log((freq + 0.5) / total_frequency())

    def text_words(self, base: str) -> list[tuple[str, float]]:
        """The words of ``base`` that belong to ordinary text rather than to names, with their
        log-odds (a compound of two text words counts as text: 普通住宅 is 普通 + 住宅)."""
        return _text_words(self, base)


@lru_cache(maxsize=8192)
def _text_words(words: NameWords, base: str) -> list[tuple[str, float]]:
    out = []
    for word, tag in cut(base):
        if len(word) < MIN_WORD or tag.startswith(PROPER_TAGS):
            continue  # 北京西路社区: a name in the dictionary is a name, however common
        if tag in POSITION_TAGS and word != base:
            continue  # 金钟河大街南侧片区: a side of a named place names an area
        score = words.log_odds(word)
        if score is None:
            continue
        parts = _halves(words, word) if len(word) >= 4 else None
        if parts is not None and (score >= TEXT_WORD or words.counts.get(word, 0) == 0):
            score = min(score, *parts)  # 普通住宅: a rare compound is judged by its words
        if score < TEXT_WORD:
            out.append((word, round(score, 1)))
    return out


def _halves(words: NameWords, word: str) -> tuple[float, float] | None:
    """The log-odds of the two dictionary words ``word`` splits into, if it does."""
    for i in range(MIN_WORD, len(word) - MIN_WORD + 1):
        left, right = words.log_odds(word[:i]), words.log_odds(word[i:])
        if left is not None and right is not None:
            return left, right
    return None


def name_words_path(folder: Path) -> Path:
    return Path(folder) / FILE_NAME


@lru_cache(maxsize=2)
def load_name_words(path: Path) -> NameWords:
    path = Path(path)
    if not path.is_file():
        raise PlaceDataError(f"{path} is missing: rebuild it with `python scripts/build_name_words.py`")
    lines = lzma.decompress(path.read_bytes()).decode("utf-8").split("\n")
    if not lines[0].startswith(HEADER):
        raise PlaceDataError(f"{path}: no '{HEADER.strip()}' header: rebuild it with scripts/build_name_words.py")
    counts = {}
    for line in lines[1:]:
        if line:
            word, _, n = line.partition("\t")
            counts[word] = int(n)
    return NameWords(counts, int(lines[0][len(HEADER):]))
