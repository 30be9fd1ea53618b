"""Writing-system normalisation: pinyin glosses, full-width letters, traditional -> simplified.

Every function maps text to text and never adds or removes a line break, so
the line structure of a page survives normalisation.
"""
from __future__ import annotations

import re
from functools import lru_cache
from pathlib import Path

import opencc

from govcase import regexcache


# vowels with tone marks (and ü) that make a parenthesised Latin run pinyin, not English
_TONED = "āáǎàēéěèīíǐìōóǒòūúǔùǖǘǚǜńňǹḿü"
_PINYIN = f"[a-z{_TONED}]*[{_TONED}][a-z{_TONED}]*"
# 區(qū): a gloss right after the character it reads; ?zhí) is one whose "(" was lost with a byte.
# Each begins with the bracket or "?" it needs, the lookbehind after it: re then skips to those
# characters in one fast scan, not trying a lookbehind at every position of the text.
GLOSS = regexcache.compile(rf"[(（](?<=[^\s(（][(（]){_PINYIN}[)）]")
BROKEN_GLOSS = regexcache.compile(rf"\?{_PINYIN}\)")  # replaced by the "?" alone

# full-width digits and Latin letters -> ASCII; full-width punctuation stays as written
_WIDTH = {code: code - 0xFEE0 for code in [*range(0xFF10, 0xFF1A), *range(0xFF21, 0xFF3B), *range(0xFF41, 0xFF5B)]}
_FULL_WIDTH = regexcache.compile("[\uff10-\uff19\uff21-\uff3a\uff41-\uff5a]")
# a run of spaces of any width, but not a single plain space: it stays as it is (most of them are).
# The pattern begins with its class, so re skips to a space in one fast scan (3x faster on c1000).
_SPACES = regexcache.compile(r"[ \t\u00a0\u2002-\u200a\u3000\u202f\u205f]"
                     r"(?:[ \t\u00a0\u2002-\u200a\u3000\u202f\u205f]+|(?<=[\t\u00a0\u2002-\u200a\u3000\u202f\u205f]))")
_INVISIBLE = regexcache.compile(r"[\u200b-\u200d\u2060\ufeff\u00ad]")

# a text is traditional when this share of the characters that differ between the scripts are traditional ones
TRADITIONAL_SHARE = 0.8
MIN_TRADITIONAL = 3  # fewer traditional-only characters than this are stray variants, not a script


def remove_glosses(text: str) -> str:
    """Drop pinyin glosses such as 區(qū) and remains like ``?zhí)``; Han characters are never touched."""
    if "(" not in text and ")" not in text and "（" not in text:
        return text
    return BROKEN_GLOSS.sub("?", GLOSS.sub("", text))


def normalize_width(text: str) -> str:
    """Full-width ASCII letters and digits become half-width (ＡＢ１２ -> AB12)."""
    return text.translate(_WIDTH) if _FULL_WIDTH.search(text) else text


def normalize_spaces(text: str) -> str:
    """Line breaks to \\n, invisible characters out, runs of spaces (any width) to one space."""
    text = text.replace("\r\n", "\n").replace("\r", "\n").replace("\u2028", "\n").replace("\u2029", "\n")
    return _SPACES.sub(" ", _INVISIBLE.sub("", text))


@lru_cache(maxsize=None)
def _script_chars() -> tuple[re.Pattern[str], re.Pattern[str]]:
    """Characters only traditional text uses, and characters only simplified text uses (from OpenCC's tables)."""
    folder = Path(opencc.__file__).parent / "dictionary"

    def keys(name: str) -> dict[str, set[str]]:
        table = {}
        for line in (folder / name).read_text(encoding="utf-8").splitlines():
            key, _, values = line.partition("\t")
            table[key] = set(values.split())
        return table

    t2s, s2t = keys("TSCharacters.txt"), keys("STCharacters.txt")
    traditional = {c for c, simple in t2s.items() if c not in simple and c not in s2t}
    simplified = {c for c, trad in s2t.items() if c not in trad and c not in t2s}
    # characters beyond the BMP are left out: one of them makes the regex engine test the
    # class member by member, 100 times slower, and they are too rare to matter here
    return (regexcache.compile("[" + re.escape("".join(sorted(c for c in traditional if c <= "\uffff"))) + "]"),
            regexcache.compile("[" + re.escape("".join(sorted(c for c in simplified if c <= "\uffff"))) + "]"))


def detect_script(text: str) -> str:
    """``simplified``, ``traditional`` or ``mixed``, from characters that exist in one script only."""
    traditional_re, simplified_re = _script_chars()
    traditional = len(traditional_re.findall(text))
    if traditional < MIN_TRADITIONAL:
        return "simplified"
    simplified = len(simplified_re.findall(text))
    return "traditional" if traditional >= TRADITIONAL_SHARE * (traditional + simplified) else "mixed"


@lru_cache(maxsize=None)
def _t2s() -> opencc.OpenCC:
    return opencc.OpenCC("t2s")


@lru_cache(maxsize=None)
def _t2s_tables() -> tuple[re.Pattern[str], dict[int, str]]:
    """OpenCC t2s as data: its phrases, and its character table as a ``str.translate`` mapping.

    OpenCC splits the text at separators (spaces, punctuation), then in each segment replaces
    the phrases of TSPhrases (longest first) and the characters of TSCharacters in what is
    left, each by its first reading. A segment with no phrase in it therefore converts
    character by character, which ``str.translate`` does in C; separators are never
    converted, so they are left out of the mapping.
    """
    folder = Path(opencc.__file__).parent / "dictionary"

    def table(name: str) -> dict[str, str]:  # read as OpenCC reads it: a later line wins
        entries = {}
        for line in (folder / name).read_text(encoding="utf-8").splitlines():
            if line.strip():
                key, value = line.strip().split("\t")
                entries[key] = value.split(" ")[0]
        return entries

    separator = _t2s().split_chars_re
    phrases = sorted(table("TSPhrases.txt"), key=len, reverse=True)
    chars = {ord(c): value for c, value in table("TSCharacters.txt").items() if not separator.fullmatch(c)}
    return regexcache.compile("|".join(map(re.escape, phrases))), chars


def to_simplified(text: str, script: str) -> str:
    """OpenCC t2s, run only on traditional or mixed text.

    OpenCC itself converts ~0.5 MB/s; the segments without a TSPhrases phrase (nearly all)
    go through its character table with ``str.translate`` instead, with the same result.
    """
    if script == "simplified":
        return text
    phrase, chars = _t2s_tables()
    if not phrase.search(text):
        return text.translate(chars)
    converter = _t2s()
    parts = converter.split_chars_re.split(text)  # segments at even indices, separators between them
    for i in range(0, len(parts), 2):
        parts[i] = converter.convert(parts[i]) if phrase.search(parts[i]) else parts[i].translate(chars)
    return "".join(parts)
