"""Chinese and Arabic numerals: one numeral read to its value (pure).

``parse_number`` reads 12, 1,200, 3.5, 十三, 一千二 (1200), 两万五 (25000), 1.5万,
壹佰贰拾叁, 廿三 and digit strings such as 一九九四; it returns None for what is
no single numeral (三四 is a spoken range, read by govcase.tagging.numbers). ``NUMERAL``
finds numerals as they stand in running text. govcase.tagging.numbers builds quantities
(numeral + measure word + qualifier) on top of these.
"""
from __future__ import annotations

import re
import unicodedata
from functools import lru_cache

CN_DIGITS = {"零": 0, "〇": 0, "一": 1, "二": 2, "两": 2, "三": 3, "四": 4, "五": 5, "六": 6, "七": 7,
             "八": 8, "九": 9, "壹": 1, "贰": 2, "貳": 2, "叁": 3, "參": 3, "肆": 4, "伍": 5, "陆": 6,
             "陸": 6, "柒": 7, "捌": 8, "玖": 9, "兩": 2}
SMALL_UNITS = {"十": 10, "拾": 10, "百": 100, "佰": 100, "千": 1000, "仟": 1000}
# The capital (anti-forgery) numerals of CN_DIGITS and SMALL_UNITS, also parts of everyday words
# (队伍, 陆续, 收拾, 肆意): read as numbers only where they stand as one (numbers.find_quantities).
CAPITALS = frozenset("壹贰貳叁參肆伍陆陸柒捌玖拾佰仟")
BIG_UNITS = {"万": 10_000, "萬": 10_000, "亿": 100_000_000, "億": 100_000_000}
TENS = {"廿": 20, "卅": 30}  # 廿三 = 23
_CN = "".join(CN_DIGITS) + "".join(SMALL_UNITS) + "".join(BIG_UNITS) + "".join(TENS)
_ARABIC = r"\d{1,3}(?:,\d{3}(?!\d))+(?:\.\d+)?|\d+(?:\.\d+)?"
_TOKEN = re.compile(rf"({_ARABIC})|([{_CN}])")
# Ranges that hold every character \d matches (tests/test_outcomes_speed checks them against
# str.isdecimal) and leave out most of a Chinese body: ASCII but 0-9, general punctuation (“”—…,
# U+2000-2BFF), CJK punctuation and ideographs (U+3000-9FFF) and full-width punctuation. The regex
# engine skips ahead to the first character of a pattern by a table lookup when that character is
# a class of plain ranges, but tests \d against Unicode's digit table at every character of the
# text: a pattern that begins with these ranges and then checks \d by a lookbehind finds the same
# matches in about 60 % of the time (skip_to_digits).
_DIGIT_RANGES = r"0-9\u0080-\u1fff\u2c00-\u2fff\ua000-\ufeff\uff10-\uff19\uff21-\U0010ffff"


def skip_to_digits(pattern: str) -> str:
    """``pattern`` with its first character class, if that is \\d or a class that holds it (and
    no ]) and is not repeated, written as [_DIGIT_RANGES and its other characters] then a
    lookbehind at the class itself: the same matches, found faster (see _DIGIT_RANGES)."""
    if pattern.startswith("\\d"):
        first, rest = "\\d", pattern[2:]
    elif pattern.startswith("[") and "\\d" in pattern[:pattern.find("]") + 1]:
        first, rest = pattern[:pattern.find("]") + 1], pattern[pattern.find("]") + 1:]
    else:
        return pattern
    if rest[:1] in ("{", "*", "+", "?"):
        return pattern  # a repeated class: the lookbehind would be repeated instead
    others = first[1:-1].replace("\\d", "") if first.startswith("[") else ""
    return f"[{_DIGIT_RANGES}{others}](?<={first}){rest}"


# A numeral as it may stand in running text: Arabic (with 万/亿/千/百 after it, and after 万 or 亿 the
# Arabic rest of it: 3万6千 is 36000, 2亿3000万 is 230000000; not a date after it: 5万6月) or a Chinese run.
# 千 before 米/克/瓦 is the prefix of a unit (1.2千米 is 1.2 km as written), not a multiplier.
# As first written: {_ARABIC}(?:[万亿百萬億]|千(?![米克瓦]))*|[{_CN}]+(?:点[CN_DIGITS]+)?; here the
# first character is taken out in front (each branch checks what it was), so that the regex
# engine skips ahead to the next digit or numeral character instead of trying every position
# (and skips there faster as skip_to_digits writes it).
NUMERAL = re.compile(skip_to_digits(rf"[\d{_CN}](?:(?<=\d)\d{{0,2}}(?:,\d{{3}}(?!\d))+(?:\.\d+)?"
                                    rf"|(?<=\d)\d*(?:\.\d+)?(?:[万亿百萬億]|千(?![米克瓦]))*"
                                    rf"(?:(?<=[万亿萬億])\d+(?:\.\d+)?(?![\d.月日号年时点])(?:[万百萬]|千(?![米克瓦]))*)?"
                                    rf"|(?<=[{_CN}])[{_CN}]*(?:点[{''.join(CN_DIGITS)}]+)?)"))


@lru_cache(maxsize=4096)  # the same few numerals (一, 两, 10 ...) come back in every article
def parse_number(text: str) -> float | None:
    """The value of one numeral (12, 1,200, 3.5, 十三, 一千二, 两万, 1.5万, 一九九四), or None."""
    text = unicodedata.normalize("NFKC", text or "").strip()
    if not text:
        return None
    if "点" in text:  # 三点五 = 3.5
        whole, _, frac = text.partition("点")
        head = parse_number(whole)
        if head is None or not frac or any(c not in CN_DIGITS for c in frac):
            return None
        return float(f"{int(head)}.{''.join(str(CN_DIGITS[c]) for c in frac)}")
    tokens = []
    pos = 0
    for m in _TOKEN.finditer(text):
        if m.start() != pos:
            return None
        pos = m.end()
        tokens.append(float(m.group(1).replace(",", "")) if m.group(1) else m.group(2))
    if pos != len(text):
        return None
    if len(tokens) > 1 and all(isinstance(t, str) and t in CN_DIGITS and t not in "两兩" for t in tokens):
        # 一九九四, 二〇二三 read digit by digit; 三四 is a spoken range, no number
        if len(tokens) >= 3 or any(t in "零〇" for t in tokens):
            return float("".join(str(CN_DIGITS[t]) for t in tokens))
        return None
    value = _evaluate(tokens)
    return None if value is None else round(value, 6)  # 2.3亿 is 230000000, not 229999999.99999997


def _evaluate(tokens: list) -> float | None:
    """Positional evaluation: sections of 亿 and 万, each of 千百十; 一千二 = 1200, 一万五 = 15000."""
    high = wan = section = 0.0
    cur: float | None = None
    last_small = 10_000  # smaller units must come in falling order within a section
    last_unit = 0  # the unit just before a trailing bare digit (一千二: 千)
    prev = None  # "digit" | "zero" | "unit"
    for tok in tokens:
        if isinstance(tok, float) or tok in CN_DIGITS:
            if cur is not None:
                return None
            value = tok if isinstance(tok, float) else float(CN_DIGITS[tok])
            if not isinstance(tok, float) and value == 0:
                prev = "zero"
                continue
            cur, prev = value, ("zero-digit" if prev == "zero" else "digit")
        elif tok in TENS:
            if cur is not None or last_small <= 10:
                return None
            section += TENS[tok]
            last_small, last_unit, prev = 10, 10, "unit"
        elif tok in SMALL_UNITS:
            unit = SMALL_UNITS[tok]
            if unit >= last_small:
                return None
            section += (1.0 if cur is None else cur) * unit
            cur, last_small, last_unit, prev = None, unit, unit, "unit"
        else:
            unit = BIG_UNITS[tok]
            if unit == 10_000:
                if wan:
                    return None
                wan = (section + (cur or 0.0)) or 1.0
                wan *= unit
            else:
                high = (high + wan + section + (cur or 0.0)) or 1.0
                high *= unit
                wan = 0.0
            section, cur, last_small, last_unit, prev = 0.0, None, 10_000, unit, "unit"
    if cur is not None:
        if prev == "digit" and last_unit > 10 and isinstance(tokens[-2], str):
            cur *= last_unit / 10  # 一千二 = 1200, 两万五 = 25000
        section += cur
    return high + wan + section
