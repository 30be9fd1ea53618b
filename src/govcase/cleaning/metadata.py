"""Metadata of an article: dates, bylines and sources, headlines (pure).

Works on normalised lines (simplified script, half-width digits).
"""
from __future__ import annotations

import re
from dataclasses import dataclass
from functools import lru_cache

from govcase import regexcache
from govcase.cleaning.resources import cues, title_rules

# 2023-05-11 23:02:14 / 2023年10月17日 11:05 / 2017年12月25日17:46 / 2023/05/11 / 2023-05-11T23:02:14+08:00
DATE = regexcache.compile(
    r"(?<!\d)(?P<y>(?:19|20)\d{2})\s*[-/.年]\s*(?P<m>\d{1,2})\s*[-/.月]\s*(?P<d>\d{1,2})(?!\d)\s*日?"
    r"(?:\s*T?\s*(?P<H>\d{1,2})\s*[:：时]\s*(?P<M>\d{2})(?:\s*[:：分]\s*\d{2}(?:\.\d+)?)?(?!\d))?"
)
# 新华社太原8月25日电 / 四川新闻网成都12月16日讯 / 深圳新闻网2023年6月2日讯
DATELINE = regexcache.compile(
    r"^[^，。,:：]{0,30}?(?:(?P<y>(?:19|20)\d{2})年)?(?P<m>\d{1,2})月(?P<d>\d{1,2})日\s*(?:电|讯)"
)
# (记者 李丹) right after a dateline
NAME = r"[\u4e00-\u9fff·]{2,4}"
NAMES = rf"{NAME}(?:[\s、,，和]+{NAME})*"
_ROLE = r"(?:通讯员|实习生|特约记者|记者|摄影|摄)"
_PERSON = rf"(?!{_ROLE})[\u4e00-\u9fff·]{{2,4}}"
DATELINE_AUTHOR = regexcache.compile(
    rf"^\s*[(（]\s*[\u4e00-\u9fff]{{0,10}}?记者\s*(?P<names>{_PERSON}(?:[\s、,，和]+{_PERSON})*)(?=\s*(?:[)）]|{_ROLE}))"
)
# 新华社记者陈春园 / 记者 罗伟 / 深圳特区报记者 彭军 华智超
BYLINE = regexcache.compile(rf"^[\u4e00-\u9fff·]{{0,12}}?(?:记者|通讯员)\s*[:：]?\s*(?P<names>{NAMES})$")
# 人民网 李士燕 胡苇杭: an outlet then names (or three names or more), separated by spaces;
# names of 2-3 characters, so that two four-character phrases are not taken for names
SHORT_NAME = r"[\u4e00-\u9fff·]{2,3}"
NAME_LIST = regexcache.compile(
    rf"^(?:[\u4e00-\u9fff]{{2,8}}(?:网|社|报|台|站)\s+(?P<names>{SHORT_NAME}(?:\s+{SHORT_NAME})*)"
    rf"|(?P<more>{SHORT_NAME}(?:\s+{SHORT_NAME}){{2,}}))$"
)
# (崔寿伟) alone on a line
PAREN_NAMES = regexcache.compile(rf"^[(（](?P<names>{NAMES})[)）]$")
_WEEKDAY = regexcache.compile(r"^\s*[(（]?(?:星期|周|礼拜)[一二三四五六日天][)）]?")
_LABELLED_PAIRS = regexcache.compile(r"^(?:[^:：\s]{1,8}[:：]\s*[^:：\s]{0,16}\s*)+$")
URL = regexcache.compile(r"https?://[^\s<>\"'，。]+")
MAX_VALUE = 40  # characters of a metadata value; more is a sentence
MAX_BYLINE_WORDS = 6  # words around a date in a byline such as 原创 某某发布 上海徐汇 ... 发表于上海
BYLINE_WORD = 8  # characters of one such word; a headline is longer
_WORDS = regexcache.compile(r"\s*[|｜]\s*|\s+")
_OUTLET = regexcache.compile(r"(?:网|报|社|台|站|频道|客户端|新闻|楼主|更新|发布)$")
_NOT_BYLINE = regexcache.compile(r"[，。！？；：,;!?:“”\"《》]")
_GAPS = " \t|｜/·•-—_"
_SEPARATORS = " \t|｜/·•-—_【】[]()（）:：,，;；"


@dataclass(frozen=True)
class Date:
    iso: str  # 2023-10-17T11:05 | 2023-10-17 | --12-16
    precision: str  # minute | day | month-day


def _valid(month: int, day: int) -> bool:
    return 1 <= month <= 12 and 1 <= day <= 31


def parse_date(text: str) -> Date | None:
    """The first full date in ``text`` (with its time when one follows)."""
    if "19" not in text and "20" not in text:  # no year: most lines; a substring test is far cheaper
        return None
    for match in DATE.finditer(text):
        year, month, day = int(match["y"]), int(match["m"]), int(match["d"])
        if not _valid(month, day):
            continue
        if match["H"] is not None and int(match["H"]) < 24 and int(match["M"]) < 60:
            return Date(f"{year:04d}-{month:02d}-{day:02d}T{int(match['H']):02d}:{match['M']}", "minute")
        return Date(f"{year:04d}-{month:02d}-{day:02d}", "day")
    return None


def parse_dateline(paragraph: str) -> tuple[Date | None, str | None]:
    """Date and reporter of a news dateline opening ``paragraph`` (新华社太原8月25日电(记者吕梦琦)...)."""
    match = DATELINE.match(paragraph) if "月" in paragraph else None  # most paragraphs have no 8月25日
    if not match or not _valid(int(match["m"]), int(match["d"])):
        return None, None
    month, day = int(match["m"]), int(match["d"])
    date = Date(f"{int(match['y']):04d}-{month:02d}-{day:02d}", "day") if match["y"] else \
        Date(f"--{month:02d}-{day:02d}", "month-day")
    author = DATELINE_AUTHOR.match(paragraph[match.end():])
    return date, (author["names"].strip() if author else None)


@lru_cache(maxsize=None)
def _labels() -> tuple[re.Pattern[str], dict[str, str]]:
    field_of = {}
    for field, labels in cues()["meta_labels"].items():
        for label in labels:
            field_of[label.lower()] = field
    long_labels = sorted((l for l in field_of if len(l) > 1), key=len, reverse=True)
    short_labels = [l for l in field_of if len(l) == 1]
    alternation = "|".join(
        [rf"{re.escape(l)}\s*(?:[:：|｜]\s*|\s+|(?=\d)|$)" for l in long_labels]
        + [rf"{re.escape(l)}\s*[:：|｜]\s*" for l in short_labels]
    )
    colon = "|".join(rf"{re.escape(l)}\s*[:：]\s*" for l in long_labels)
    # a label starts the line or follows a space or separator: 编辑 inside a sentence is not a label;
    # a label of two characters or more with its colon also follows a value directly (来源:X浏览次数:5,
    # the text of adjacent <span>s)
    return regexcache.compile(rf"(?P<label>(?:^|(?<=[\s|｜/·【\[(（]))(?:{alternation})|(?:{colon}))", re.IGNORECASE), field_of


def parse_meta_line(line: str) -> dict[str, str] | None:
    """Fields of a metadata line (来源/作者/编辑/dates/bylines), or None when the line is not one.

    Returns e.g. {"outlet": "周到上海", "published": "2023-05-11T23:02"}; an empty dict for a
    metadata line that fills no field (校对 XX).
    """
    text = line.strip()
    match = PAREN_NAMES.match(text)
    if match:
        return {"author": match["names"]}
    text = text.strip(_SEPARATORS)
    if not text or len(text) > 120:
        return None
    fields: dict[str, str] = {}
    date = parse_date(text)
    if date:
        match = next(m for m in DATE.finditer(text) if _valid(int(m["m"]), int(m["d"])))
        fields["published"] = date.iso
        # separators around the date go with it, a label's colon stays (发布时间: 2023-05-11 | 来源: X)
        text = (text[:match.start()].rstrip(_GAPS) + "  " + _WEEKDAY.sub("", text[match.end():]).lstrip(_GAPS)).strip()
        if not text.strip(_SEPARATORS):
            return fields
    for pattern in (BYLINE, NAME_LIST):
        match = pattern.match(text)
        if match:
            fields.setdefault("author", (match["names"] or match.groupdict().get("more") or "").strip())
            return fields
    label_re, field_of = _labels()
    if not label_re.match(text):  # most lines: the labels inside it are only looked for after a date
        # a date with short "label:value" pairs whose labels we cannot read (damaged by the codec, say),
        # or a date among a few short words (原创 某某发布 2023-10-17 11:05 发表于上海)
        return fields if date and (_LABELLED_PAIRS.match(text) or
                                   _dated_words(text, date, label_re.search(text) is not None)) else None
    labels = list(label_re.finditer(text))
    for here, after in zip(labels, labels[1:] + [None]):
        value = text[here.end():after.start() if after else len(text)].strip(_SEPARATORS + " ")
        label = re.sub(r"[\s:：|｜]+$", "", here["label"]).lower()
        field = field_of.get(label, "other")
        url = URL.search(value) if field == "url" else None
        if url:
            value = url.group()
        else:
            value = re.split(r"\s{2,}|\s[|｜]\s?", value)[0].strip(_SEPARATORS)
            if len(value) > MAX_VALUE:  # a sentence, not a value: prose that starts with a label word
                return None
        if field == "published":
            continue  # its date, if any, was read above
        if value and field != "other":
            fields.setdefault(field, value)
    return fields


def starts_with_label(line: str) -> bool:
    """The line opens with a metadata label (来源: , 编辑｜ ...)."""
    match = _labels()[0].match(line.strip().lstrip(_SEPARATORS))
    return match is not None


def _dated_words(rest: str, date: Date, labelled: bool) -> bool:
    """What is left of a dated line is a few short words: a byline of account and place, not a headline.

    A related-article item is one headline and its date; a byline has several words, or a
    label, and its date carries the time of publication.
    """
    words = _WORDS.split(rest.strip())
    if _NOT_BYLINE.search(rest) or len(words) > MAX_BYLINE_WORDS or max(map(len, words)) > BYLINE_WORD:
        return False
    # one word after a date and time is a byline when it names an outlet (2021-06-03 08:15 某某晚报)
    outlet = len(words) == 1 and bool(_OUTLET.search(words[0]))
    return labelled or (date.precision == "minute" and (len(words) >= 2 or outlet))


def normalize_date(value: str) -> Date | None:
    """A date given as metadata (a JSONL hint, an HTML meta tag) in our ISO form."""
    value = value.strip()
    if re.fullmatch(r"--\d{2}-\d{2}", value):
        return Date(value, "month-day")
    return parse_date(value)


@lru_cache(maxsize=None)
def _title_patterns() -> tuple[int, list[re.Pattern[str]], list[re.Pattern[str]]]:
    rules = title_rules()
    compile_all = lambda key: [regexcache.compile(p, re.IGNORECASE) for p in rules[key]]  # noqa: E731
    return rules["min_remaining"], compile_all("prefixes"), compile_all("suffixes")


def clean_title(title: str) -> str | None:
    """A headline without site tags (【环球快播报】, -全球时讯, _社区观察, | 某某网)."""
    title = title.strip()
    minimum, prefixes, suffixes = _title_patterns()
    for patterns in (prefixes, suffixes):
        for pattern in patterns:
            stripped = pattern.sub("", title, count=1).strip()
            if stripped != title and len(stripped) >= minimum:
                title = stripped
    return title or None
