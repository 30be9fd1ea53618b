"""Chinese and Arabic numerals, measure words and qualifiers (pure).

``find_quantities`` (numerals read by govcase.tagging.numerals) finds every number
with a measure word in a text, as written, with its offsets. What is *not* a
quantity at all (dates, clock times, addresses, phone numbers, ordinals,
codes such as 5G or 1+2+3+N) is masked here; deciding which quantities are
outcomes (no durations, ages, names ...) is govcase.tagging.outcomes' job.

Conventions (spec/export-contract.md):
* 万/亿 are multiplied into the value: 4.5万平方米 -> 45000 平方米, 200万元 -> 2000000 元.
* 成, 一半 and fractions are shares in %: 四成 -> 40 %, 八成五 -> 85 %, 一半 -> 50 %, 三分之二 -> 66.67 %,
  百分之五十 -> 50 %, 1/3 -> 33.33 % (an Arabic fraction of a whole up to 10 only).
* ``approx`` is the qualifier as written (余, 多, 近, 超过, 以上 ...), or None.
* A range (6-10个, 三至五个, 七八个, 10元至15元) is its lower bound, and ``approx`` is
  the range as written ("6-10", "七八", "10元至15元"), so a range never reads as exact.
* 万/亿 with no measure word after them stay the unit: 投资2000万 -> 2000 万.
"""
from __future__ import annotations

import re
from functools import lru_cache
from pathlib import Path

from govcase import regexcache
from govcase.tagging.alternation import longest_first
from govcase.tagging.numerals import BIG_UNITS, CAPITALS, CN_DIGITS, NUMERAL, parse_number, skip_to_digits
from govcase.records import Quantity
from govcase.datafiles import data_rows
from govcase.settings import default_data_dir

_FRACTION = regexcache.compile(r"/(\d{1,2})(?![\d/.])")
_RANGE_LINK = regexcache.compile(r"\s?(?:[-~～—–]+|至|到)\s?")
_ROUND = set("十百千万亿拾佰仟萬億")
LONGEST_NUMERAL = 24  # 九千九百九十九万九千九百九十九 is 15 characters; longer runs are no numeral


# ---------------------------------------------------------------- lexicons


def read_table(name: str) -> list[list[str]]:
    """The rows of a tab-separated data file under data/ (comments and blank lines skipped)."""
    path = Path(default_data_dir()) / name
    return [cells for _, cells in data_rows(path.read_text(encoding="utf-8"))]


class WordSet:
    """A word list that answers "which word starts (or ends) here?", longest first, in O(longest word)."""

    def __init__(self, words) -> None:
        self.words = frozenset(w for w in words if w)
        self.lengths = sorted({len(w) for w in self.words}, reverse=True)
        self.pattern = regexcache.compile(longest_first(self.words))
        # the first and last characters of the words: most places start or end none (the rules
        # ask ~20,000 times over 500 c1000 articles), which one lookup then says
        self._firsts = frozenset(w[0] for w in self.words)
        self._lasts = frozenset(w[-1] for w in self.words)

    def within(self, text: str, start: int, end: int) -> bool:
        """Does a word occur in text[start:end]?"""
        return self.pattern.search(text, start, end) is not None

    def __contains__(self, word: str) -> bool:
        return word in self.words

    def starting(self, text: str, i: int) -> str | None:
        if text[i:i + 1] not in self._firsts:
            return None
        for k in self.lengths:
            if text[i:i + k] in self.words and i + k <= len(text):
                return text[i:i + k]
        return None

    def ending(self, text: str, i: int, lo: int = 0) -> str | None:
        if text[i - 1:i] not in self._lasts and i <= len(text):  # (past the end, a slice is shorter)
            return None
        for k in self.lengths:
            if i - k >= lo and text[i - k:i] in self.words:
                return text[i - k:i]
        return None

    def spans(self, text: str) -> list[tuple[int, int]]:
        """Where the words occur, longest first, left to right."""
        return [m.span() for m in self.pattern.finditer(text)]


_ARABIC_ONLY: set[str] = set()  # units.tsv rows flagged "arabic": 78分 is a score, 十分满意 no figure


@lru_cache(maxsize=1)
def _units() -> tuple[re.Pattern, dict[str, tuple[str, str]]]:
    """surface -> (class, reported unit); the regex tries longer surfaces first."""
    table = {}
    for row in read_table("units.tsv"):
        surface, cls = row[0], row[1]
        table[surface] = (cls, row[2] if len(row) > 2 and row[2] else surface)
        if len(row) > 3 and row[3] == "arabic":
            _ARABIC_ONLY.add(surface)
    pattern = regexcache.compile(longest_first(table))
    return pattern, table


def measure_word_class(word: str) -> str | None:
    """The unit class of a measure word (个 -> count, 户 -> households), None if it is none."""
    cls = _units()[1].get(word, ("-",))[0]
    return None if cls == "-" else cls


@lru_cache(maxsize=1)
def _qualifiers() -> dict[str, tuple[str, ...]]:
    out: dict[str, list[str]] = {"before": [], "mid": [], "after": [], "link": [], "not": []}
    for position, word in read_table("outcomes/qualifiers.tsv"):
        out[position].append(word)
    return {k: tuple(sorted(v, key=len, reverse=True)) for k, v in out.items()}


@lru_cache(maxsize=1)
def _qualifier_sets() -> dict[str, WordSet]:
    """The qualifier lists as WordSets: which one ends here is a lookup per length, not a loop
    over every word (the longest first, as in _qualifiers' order)."""
    return {k: WordSet(v) for k, v in _qualifiers().items()}


# ---------------------------------------------------------------- masks

_D = r"[\d〇零一二三四五六七八九十两]"
# bounded, so that a long run of digits costs linear time; written X then X{0,11} rather than
# X{1,12} (the same matches, tried in the same order) so that the regex engine skips ahead to
# the next digit instead of trying the whole pattern at every character. Every mask below is
# written so that it begins with one character or class (a repeat, a group of alternatives
# or a lookbehind in front leaves the engine no character to skip to: the mask then costs
# about twice as much, ~200 instructions a character of text, and the masks were a twelfth
# of the tag stage)
_DN = _D + _D + "{0,11}"
# A numeral's last character and the character that follows it (after at most one space): the
# masks below that start with a number match only where one of their characters follows one (of
# some kind, below), so one pass of this says which of them can match in a text at all. The second
# branch gives "" as the follower of the eighth digit of a run of nine or more Arabic digits (and of
# every later one but the last): what the phone mask needs where no - follows a digit. It matches
# only where the first cannot (a digit follows) and takes one character, as a failed try skips one:
# the followers found are those the first branch alone finds, and "" where such a run is.
_FOLLOWER = regexcache.compile(rf"({skip_to_digits(_D)})(?:\s?([^\d〇零一二三四五六七八九十两\s])|(?<=\d{{8}})(?=\d))")
# The kinds of numeral a mask's "after" characters must follow: any (""), an Arabic digit ("arabic":
# a date's 2023年 and 10月, a time's 23:02; 一年, 十月 are no sign of one) or one of these
# ("chinese": 一九九四年).
_CN_YEAR_DIGITS = "〇零一二三四五六七八九"
# (pattern, words of which one must occur in a text, the kind of numeral and the characters of which
# one must follow such a numeral there): a text without them is not scanned for the pattern at all.
# A pattern that begins with a digit is compiled as skip_to_digits writes it.
_MASKS = [(regexcache.compile(skip_to_digits(p)), required, kind, after) for p, required, kind, after in (
    # 2023-10-17, 2023年10月17日: the month's digits are followed by one of -/.月
    (r"\d\d{3}\s?[-/.年]\s?\d{1,2}\s?[-/.月]\s?\d{1,2}\s?[日号]?", "", "arabic", "-/.月"),
    # (?<![\d.])\d{4}\s?年 with its first digit taken out in front (so the engine skips to digits)
    (r"\d(?<![\d.]\d)\d{3}\s?年", "", "arabic", "年"),  # 2018年
    (r"[〇零一二三四五六七八九][〇零一二三四五六七八九]{1,3}年(?!级)", "", "chinese", "年"),  # 一九九四年
    # (?:上|本|[\d一二三四五六七八九十]{1,12})?世纪(?:...)?, written to begin with one class (上, 本,
    # a digit or 世), the branch then chosen by a lookbehind at what it was: the branches begin
    # with different characters, so at any start at most one can match, as in the alternation
    (r"[上本世\d一二三四五六七八九十](?:(?<=[上本])世纪|(?<=[\d一二三四五六七八九十])[\d一二三四五六七八九十]{0,11}世纪"
     r"|(?<=世)纪)(?:\s?[\d〇零一二三四五六七八九十]{1,12}\s?年代)?", ("世纪",), "", ""),
    (r"[\d〇零一二三四五六七八九十][\d〇零一二三四五六七八九十]{0,11}\s?年代", ("年代",), "", "年"),
    # (?<!个){_DN}: the lookbehind after the first digit, so that the pattern begins with a digit
    (rf"{_D}(?<!个{_D}){_D}{{0,11}}\s?月(?:\s?{_DN}\s?[日号]|份|初|底|末|中旬|上旬|下旬|中)?", "", "", "月"),  # 5月11日
    (rf"{_DN}\s?[日号]", "", "", "日号"),  # 26日, 8号院, 550弄17号
    (r"\d\d?\s?[:：]\s?\d{2}(?:\s?[:：]\s?\d{2})?", "", "arabic", ":："),  # 23:02
    (rf"(?:上午|下午|晚上|早上|凌晨|中午|傍晚|夜里|夜间|早晨)\s?{_DN}\s?[点时](?:半|钟|整|{_DN}分)?", "", "", "点时"),
    (rf"{_DN}\s?点(?:钟|半|整|{_DN}分|以后|以前|之前|之后|后|前|起)", "", "", "点"),
    (rf"{_DN}\s?时(?:许|整|{_DN}分)", "", "", "时"),
    # phones, ids: \d{3,4}-\d{7,8}|(?<!\d)1[3-9]\d{9}(?!\d)|\d{3}-\d{3}-\d{4}|\d{9,}, with the first
    # digit taken out in front (so the engine skips to digits); (?<=1)(?<!\d1) is (?<!\d)1. It needs
    # an Arabic digit followed by - or a run of nine Arabic digits (a follower "")
    (r"\d(?:\d{2,3}-\d{7,8}|(?<=1)(?<!\d1)[3-9]\d{9}(?!\d)|\d{2}-\d{3}-\d{4}|\d{8,})", "", "arabic", ("-", "")),
    (rf"{_DN}\s?(?:弄|室|单元|号楼|楼栋号)", "", "", "弄室单号楼"),  # addresses
    (rf"第\s?{_DN}[百千万]?", "第", "", ""),  # ordinals
    (r"周[一二三四五六日天]|星期[一二三四五六日天]|礼拜[一二三四五六日天]|初[一二三四五六七八九十]",
     ("周", "星期", "礼拜", "初"), "", ""),
    # {_DN}届{_DN}(?:中全会|次)|[一二三四五六七八九十]中全会, the first numeral taken out in front;
    # 十九届四中全会: the one branch needs 届, the other 中全会
    (rf"{_D}(?:{_D}{{0,11}}届{_DN}(?:中全会|次)|(?<=[一二三四五六七八九十])中全会)", ("届", "中全会"), "", "届中"),
    (rf"{_D}(?:\s?[+＋×]\s?(?:{_D}|[A-Za-z])+)+", "", "", "+＋×"),  # 1+2+3+N, 5+2
    (rf"{_DN}对{_DN}", "", "", "对"),  # 1对1帮扶
)]


def mask_spans(text: str) -> list[tuple[int, int]]:
    """Spans of text that hold numbers which are no quantity (dates, times, addresses ...)."""
    pairs = set(_FOLLOWER.findall(text))  # (numeral character, follower): findall makes them in C
    followers = {"": {f for _, f in pairs}, "arabic": {f for d, f in pairs if d.isdecimal()},
                 "chinese": {f for d, f in pairs if d in _CN_YEAR_DIGITS}}
    return sorted(m.span() for pattern, required, kind, after in _MASKS
                  if (not required or any(w in text for w in required))
                  and (not after or not followers[kind].isdisjoint(after))
                  for m in pattern.finditer(text) if m.end() > m.start())


# ---------------------------------------------------------------- quantities


def _cn_pair(run: str) -> tuple[float, float] | None:
    """七八 -> (7, 8), 十七八 -> (17, 18), 两三百 -> (200, 300), 三五 -> (3, 5): a spoken range."""
    for i in range(len(run) - 1):
        a, b = run[i], run[i + 1]
        if a in CN_DIGITS and b in CN_DIGITS:
            va, vb = CN_DIGITS[a], CN_DIGITS[b]
            if va and (vb == va + 1 or (va, vb) == (3, 5)):
                low = parse_number(run[:i] + a + run[i + 2:])
                high = parse_number(run[:i] + b + run[i + 2:])
                if low is not None and high is not None:
                    return low, high
    return None


def _read_numeral(text: str, start: int, end: int) -> tuple[int, float, str | None] | None:
    """(start, value, range-approx) of the numeral text[start:end]; a Chinese run that does not
    read whole is read from a later start (唯一一个 -> 一个). Digit strings (一九九四) are no count."""
    start = max(start, end - LONGEST_NUMERAL)
    read = _read_run(text[start:end])
    return None if read is None else (start + read[0], read[1], read[2])


@lru_cache(maxsize=4096)  # the same few numerals (一, 两, 10 ...) come back in every article
def _read_run(numeral: str) -> tuple[int, float, str | None] | None:
    """_read_numeral of a whole text, with the start as an offset into it."""
    start, end = 0, len(numeral)
    while start < end:
        run = numeral[start:]
        if run[0] in "0０" and len(run) > 1 and run[1].isdigit():
            return None  # 014中心社区: a code, not a count
        if not run[0].isdigit():
            pair = _cn_pair(run)
            if pair:
                return start, pair[0], run
            digit_string = len(run) > 1 and all(c in CN_DIGITS for c in run)
            value = None if digit_string else parse_number(run)
        else:
            value = parse_number(run)
        if value is not None:
            return start, value, None
        if run[0].isdigit():
            return None
        start += 1
    return None


def _match_word(text: str, pos: int, words: tuple[str, ...]) -> str | None:
    """The first of ``words`` that ``text`` has at ``pos``, or None."""
    if not text.startswith(words, pos):  # one C call tests them all: most calls find none
        return None
    for word in words:
        if text.startswith(word, pos):
            return word
    return None


@lru_cache(maxsize=1)
def _qualifier_ends() -> frozenset[str]:
    """The characters _qualifier_before can find right before a number: the last one of a
    qualifier, a linking verb (one character: it is read from one), and 的 or a newline (_SHARE_OF
    ends in 的$, and $ matches before a final newline too)."""
    quals = _qualifiers()
    return frozenset([w[-1] for w in quals["before"]] + [w for w in quals["link"] if len(w) == 1] + ["的", "\n"])


# 约占总人口的38%, 约为小区总数的56%: the qualifier stands before 占 or 为 and the whole it is a share of.
_SHARE_OF = regexcache.compile(r"(?:将近|接近|大约|约|近|超过|不到|不足|逾)(?:占|为)[\u4e00-\u9fff]{1,8}的$")
# What may follow 一半 that is a share: the end of its clause, a qualifier or a copula (少了一半。, 一半以上,
# 一半左右, 其中一半是上班族); not a noun (一半的居民是退休职工 describes the residents, 近了一半路程 a
# distance, 一半天 a time)
_HALF_FOLLOWERS = frozenset(("", *"，,。；;！!？?、）)\n以左多是都还"))
# 三成员, 一成不变: 成 after a number is no share when these follow it
_SHARE_BLOCK = set("员本功果效绩立就长熟型交都群为年不")


def _qualifier_before(text: str, start: int, bare_round: bool) -> str | None:
    """The qualifier written right before the number, or before a linking verb (约占七成)."""
    if not start or text[start - 1] not in _qualifier_ends():
        return None  # the usual case: nothing below can match
    quals = _qualifier_sets()
    ends = [start]
    link = _match_word(text[start - 1:start], 0, _qualifiers()["link"]) if start else None
    if link:
        ends.append(start - len(link))
    # the pattern ends in 的 (before a final newline, as $ allows): no 的, no search
    share = _SHARE_OF.search(text, max(0, start - 14), start) if "的" in text[start - 2:start] else None
    if share:  # 约占总人口的38%
        return text[share.start():start]
    before = quals["before"]
    for end in ends:
        for k in before.lengths:  # longest first; one word at most of each length ends here
            if k > end or text[end - k:end] not in before.words:
                continue
            if k == 1 and text[end - 1] == "上" and (not bare_round or end != start):
                continue  # 上百人, 上千户 only
            if k == 1 and quals["not"].ending(text, end):
                return None
            return text[end - k:start]
    return None


def find_quantities(text: str) -> list[Quantity]:
    """Every number with a measure word in ``text``, in order, with offsets into ``text``."""
    unit_re, units = _units()
    quals = _qualifiers()
    masked = bytearray(len(text) + 1)  # 1 where a mask covers the character
    for s, e in mask_spans(text):
        masked[s:e] = b"\1" * (e - s)
    out: list[Quantity] = []
    taken = 0
    followers = _measure_followers()
    for m in NUMERAL.finditer(text):
        start, end = m.span()
        if start < taken or masked.find(1, start, end) >= 0:  # a masked character in it
            continue
        if end - start == 1 and text[start] in CAPITALS and _in_word(text, start):
            continue  # 队伍|人手, 大陆|3个: the capital numeral ends a word, it counts nothing
        after = text[end:end + 1]
        if after not in followers and not text[start].isdecimal() and text[end - 1] not in BIG_UNITS \
                and not after.isspace():
            continue  # 一起, 进一步, 统一: what follows a Chinese numeral begins no quantity (_measure_followers)
        q = _quantity_at(text, m, unit_re, units, quals, masked)
        if q is not None:
            q = _range_to(text, q, unit_re, units, quals, masked)
            out.append(q)
            taken = q.end
    for i in range(len(out) - 1, 0, -1):  # 提高2.1个和3.4个百分点: the first shares the second's unit
        a, b = out[i - 1], out[i]
        if b.unit.startswith(a.unit) and b.unit != a.unit and re.fullmatch(r"[和、与及]", text[a.end:b.start]):
            out[i - 1] = Quantity(a.value, b.unit, b.unit_class, a.approx, a.surface, a.start, a.end)
    return out


def _in_word(text: str, i: int) -> bool:
    """Whether the character before ``i`` is a Chinese character that is no numeral and no currency
    (人民币伍元 is five yuan): a lone capital numeral after it ends a word."""
    if i == 0:
        return False
    before = text[i - 1]
    return "\u4e00" <= before <= "\u9fff" and before not in CN_DIGITS and before not in _ROUND \
        and before not in "币计"


@lru_cache(maxsize=1)
def _measure_followers() -> frozenset[str]:
    """The characters that may follow a Chinese numeral in a quantity (half of the numerals
    in c1000 stand in words, 一起, 进一步, 统一, and read as none: this skips them, ~0.01 s in
    0.1 s of find_quantities over 500 articles). _quantity_at reads a quantity at the numeral's
    end only from a fraction (/, 分之), a range link, a mid qualifier, 万/亿, a space, 成 or a
    measure word, all starting with one of these characters or a space; the other two ways to
    a quantity are a bare Arabic count (总户数4078) and a numeral that ends in 万/亿, which
    find_quantities never skips. No character of a Chinese numeral is a digit to str.isdigit."""
    _, units = _units()
    words = list(units) + list(_qualifiers()["mid"]) + ["/", "分之", "成", "半", *BIG_UNITS, *"-~～—–至到"]
    return frozenset(w[0] for w in words)


def _range_to(text, q: Quantity, unit_re, units, quals, masked) -> Quantity:
    """10元至15元, 500元到2000元不等: a range that repeats its unit is one quantity."""
    link = _RANGE_LINK.match(text, q.end)
    if q.approx is not None or link is None:
        return q
    m = NUMERAL.match(text, link.end())
    if m is None or masked.find(1, m.start(), m.end()) >= 0:
        return q
    other = _quantity_at(text, m, unit_re, units, quals, masked)
    if other is None or other.unit != q.unit or other.start != m.start() or other.value <= q.value:
        return q
    return Quantity(q.value, q.unit, q.unit_class, text[q.start:other.end], text[q.start:other.end],
                    q.start, other.end)


def _quantity_at(text, m, unit_re, units, quals, masked) -> Quantity | None:
    read = _read_numeral(text, m.start(), m.end())
    if read is None:
        return None
    start, value, approx = read
    numeral = text[start:m.end()]
    if start and (text[start - 1].isascii() and text[start - 1].isalnum() or text[start - 1] in "+＋.-"):
        return None  # PM2.5, G20, 1+2, 0571-8539
    bare_round = numeral[0] in _ROUND and numeral[0] not in "十拾"
    if numeral[0] in _ROUND and text[start - 1:start] in ("数", "几") and start:
        return None  # 数十个, 几百人: no figure given
    pos = m.end()
    # 1/3, 2/5: an Arabic fraction of a small whole is a share in % (9/22 is no fraction: whole > 10)
    frac = _FRACTION.match(text, pos) if text[start:pos].isdigit() else None
    if frac and 0 < value < int(frac.group(1)) <= 10:
        pct = round(value / int(frac.group(1)) * 100, 2)
        return _finish(text, start, frac.end(), pct, "%", "share", approx, quals, bare_round=False)
    # 三分之二, 百分之五十: a share in %
    if text.startswith("分之", pos):
        num = NUMERAL.match(text, pos + 2)
        part = parse_number(num.group()) if num else None
        if not part or not value or masked.find(1, num.start(), num.end()) >= 0:
            return None
        pct = round(part / value * 100, 2)
        return _finish(text, start, num.end(), pct, "%", "share", approx, quals, bare_round=False)
    if bare_round and not approx:
        # 百姓, 千家万户, 万寿路: a bare 百/千/万 is a number only as 百余, 上千, 近万 ...
        if not (_match_word(text, pos, ("余", "多")) or _qualifier_before(text, start, True)):
            return None
    # ranges: 6-10个, 三至五个
    link = _RANGE_LINK.match(text, pos)
    if link and approx is None:
        other = NUMERAL.match(text, link.end())
        if other and masked.find(1, other.start(), other.end()) < 0:
            upper = parse_number(other.group())
            if upper is not None and upper > value:
                approx = text[start:other.end()]
                pos = other.end()
    found = _match_word(text, pos, quals["mid"])
    for mid in ((found, None) if found else (None,)):  # 十来个, else 十年来; without a mid word, once
        if mid in ("来", "几") and numeral[-1] not in _ROUND:
            continue
        q = _measure_at(text, start, pos + len(mid or ""), value, mid, approx, unit_re, units, quals,
                        bare_round)
        if q is not None:
            return q
    return None


def _measure_at(text, start, pos, value, mid, approx, unit_re, units, quals, bare_round):
    """The rest of a quantity after its numeral (and mid qualifier): 万/亿, 成, a measure word."""
    numeral_end = pos - len(mid or "")
    myriad = text[numeral_end - 1] if text[numeral_end - 1] in BIG_UNITS else None  # 3万余
    if text[pos:pos + 1] in BIG_UNITS:  # 10余万
        myriad = text[pos]
        value *= BIG_UNITS[myriad]
        pos += 1
        if not mid:
            mid = _match_word(text, pos, ("余", "多"))
            pos += len(mid or "")
    if text.startswith(" ", pos) and text[pos + 1:pos + 2] in "%％":
        pos += 1
    elif text.startswith((" ", "\u3000"), pos) and text[numeral_end - 1:numeral_end].isdigit() \
            and unit_re.match(text, pos + 1):
        pos += 1  # 168 户居民: a stray space between an Arabic number and its measure word
    if text.startswith("半", pos) and text[start:pos] == "一" and not mid \
            and text[pos + 1:pos + 2] in _HALF_FOLLOWERS:  # 投诉少了一半, 不到一半: a share, 50 %
        return _finish(text, start, pos + 1, 50.0, "%", "share", approx, quals, bare_round)
    if text.startswith("成", pos) and value <= 10 and text[pos + 1:pos + 2] not in _SHARE_BLOCK:
        tenth = text[pos + 1:pos + 2]  # 八成五 = 85 %
        if tenth and tenth in CN_DIGITS and CN_DIGITS[tenth] and value < 10 and value == int(value):
            return _finish(text, start, pos + 2, value * 10 + CN_DIGITS[tenth], "%", "share", mid or approx,
                           quals, bare_round)
        return _finish(text, start, pos + 1, value * 10, "%", "share", mid or approx, quals, bare_round)
    unit = unit_re.match(text, pos)
    if unit is None and myriad is None and not mid and text[start:numeral_end].isdigit():
        counted = _bare_count_unit(text, start, pos)
        if counted is not None:  # 总户数4078
            return _finish(text, start, pos, value, counted, measure_word_class(counted) or "count",
                           approx, quals, bare_round)
    if unit is None:
        if myriad is None or text[pos:pos + 1].isascii() and text[pos:pos + 1].isalnum() \
                or text[pos:pos + 1].isdigit() or numeral_end - start == 1:
            return None  # 1万5千 has no safe reading; 上万 alone gives no figure
        # 投资2000万, 常住人口近千万: with no measure word after it, 万/亿 stays the unit
        # (2000 万), as analysts write it, since nothing else says what is counted.
        return _finish(text, start, pos, value / BIG_UNITS[myriad], myriad, "other", mid or approx,
                       quals, bare_round)
    cls, reported = units[unit.group()]
    if cls == "-" or unit.group() in _ARABIC_ONLY and not text[numeral_end - 1:numeral_end].isdigit():
        return None
    end = unit.end()
    if cls == "time" and not mid:
        mid = _match_word(text, end, ("多", "余"))  # 一年多
        end += len(mid or "")
    return _finish(text, start, end, value, reported, cls, mid or approx, quals, bare_round)


@lru_cache(maxsize=1)
def _bare_counts() -> tuple[re.Pattern, dict[str, str]]:
    """Attributes before a bare number that say what it counts (data/outcomes/bare_counts.tsv):
    a pattern that finds one ending the text, and each one's unit."""
    units = {row[0]: row[1] for row in read_table("outcomes/bare_counts.tsv")}
    words = "|".join(map(re.escape, sorted(units, key=len, reverse=True)))
    return regexcache.compile("(%s)[为达是有:：]?$" % words if words else r"(?!)"), units


def _bare_count_unit(text: str, start: int, end: int) -> str | None:
    """The unit of a bare Arabic number written after an attribute (总户数4078 -> 户), or None."""
    if text[end:end + 1].isalnum() or text[end:end + 1] in ".．%％":
        return None
    pattern, units = _bare_counts()
    m = pattern.search(text, max(0, start - 8), start)
    return units[m.group(1)] if m else None


def _finish(text, start, end, value, unit, cls, approx, quals, bare_round) -> Quantity:
    """Add the qualifiers around the quantity; one written before the number wins."""
    after = _match_word(text, end, quals["after"])
    if after:
        approx = approx or after
        end += len(after)
    before = _qualifier_before(text, start, bare_round)
    if before:
        start -= len(before)
        approx = _match_word(before, 0, quals["before"])  # 约占七成: approx 约
    return Quantity(value=round(float(value), 6), unit=unit, unit_class=cls, approx=approx,
                    surface=text[start:end], start=start, end=end)
