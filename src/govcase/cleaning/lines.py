"""What one line of a page is, judged from how it looks (pure).

A line is prose (PARA), a short line (SHORT: a headline, a subhead, a caption
fragment), metadata (META) or one kind of furniture. The judgement uses the
shape of the line (length, sentence punctuation, separators, a trailing date)
and the generic furniture phrases in data/clean/boilerplate.yaml, never the
strings of particular sites.
"""
from __future__ import annotations

import re
from dataclasses import dataclass, field
from functools import lru_cache

from govcase import regexcache
from govcase.cleaning.guarded import guarded_regex
from govcase.cleaning.hanzi import han_count
from govcase.cleaning.metadata import parse_meta_line, starts_with_label
from govcase.cleaning.resources import cue_regex, cues

BLANK, JUNK, NAV, SPAM, WIDGET, CAPTION, SUMMARY = "blank", "junk", "nav", "spam", "widget", "caption", "summary"
FOOTER, END, RELATED, META, PARA, SHORT = "footer", "end", "related", "meta", "para", "short"
CONTENT = (PARA, SHORT)  # kinds an article body is made of

MIN_SPAM_TERMS = 3  # distinct spam words that make a line spam
KEYWORD_SPAM_HAN = 50  # a run of this many characters without any punctuation is a keyword list
KEYWORD_LIST_HAN = 150  # ... and a line this long with fewer than one mark per PROSE_PUNCT_GAP characters
PROSE_PUNCT_GAP = 40  # prose has a punctuation mark every 10-20 characters
NAV_ITEM = 15  # menu items are at most this long
WIDGET_SLACK = 6  # characters a widget line may have besides its cue phrases
MIN_PARA = 40  # a line this long with punctuation is prose
MIN_SENTENCE = 25  # ... or this long and ending a sentence
MENTION_LINE = 40  # a furniture phrase inside prose this long, with this many clauses,
MENTION_CLAUSES = 3
MENTION_START = 20  # ... and this far into it, is the article's own words

_TAG = regexcache.compile(r"</?[a-zA-Z][^<>]{0,300}>")
_BROKEN_TAG = regexcache.compile(r"(?<=\?)/?[a-z][a-z0-9]{0,9}>")  # "</p>" whose "<" went with a lost byte
_BULLET = regexcache.compile(r"^(?:[•·▪►◆■●◇○\-*]|\d{1,2}[.、．)）])\s*")
_BULLET_MARKS = "•·▪►◆■●◇○-*"  # what a bullet starts with, besides a digit
_FILENAME = regexcache.compile(r"^\S+\.(?:jpe?g|png|gif|bmp|webp|pdf|docx?|xlsx?|mp4)$", re.IGNORECASE)
_NAV_SPLIT = regexcache.compile(r"\s*(?:[|｜•»›→]|>{1,2}|-{1,2}>|＞{1,2})\s*")  # menus and breadcrumb trails
_PUNCT = regexcache.compile(r"[，。！？；：、,;:!?]")
# the line-end patterns are searched from every position of a line: guarded, a position without
# a sentence mark (nearly all of them) is passed over in one test (2-3x faster on prose lines)
SENTENCE_END = guarded_regex(r"(?:[。！？!?；;]|……|(?<=[\u4e00-\u9fff])[.．])[”’」』)）\]】\"']*$")
SENTENCE_TAIL = 16  # the end-anchored patterns need only this much of a line: its mark and closing quotes


def ends_sentence(text: str) -> bool:
    """``text`` ends a sentence (searched in its tail only: a long line is not walked through)."""
    return bool(SENTENCE_END.search(text[-SENTENCE_TAIL:]))


_PERIOD_END = guarded_regex(r"(?:[。]|(?<=[\u4e00-\u9fff])[.．])[”’」』)）\]】\"']*$")
# an item of a related-article list: a headline (often cut short with ...) and its date
_DATED_ITEM = regexcache.compile(r"^(?P<head>.{2,60}?)\s*(?:\.{2,}|…)?\s*(?P<date>(?:19|20)\d{2}-\d{1,2}-\d{1,2}(?:\s+\d{1,2}:\d{2}(?::\d{2})?)?)$")
_TEASER = guarded_regex(r"(?:\.{3}|…)\s*(?:更多|查看全文|阅读全文|全文)?\s*(?:>>|»)?$|(?:更多|more)\s*(?:>>|»)$", re.IGNORECASE)
_TEASER_ENDS = ".…多文>»"  # the last character of a teaser's match, when it is not a space
_LEADING_DATE = regexcache.compile(
    r"^(?:(?:date|日期|发布时间|时间)\s*[:：]?\s*)?(?P<date>(?:19|20)\d{2}[-/.]\d{1,2}[-/.]\d{1,2}(?:\s+\d{1,2}:\d{2}(?::\d{2})?)?)\s+(?P<rest>\S.{19,})$",
    re.IGNORECASE,
)


def _dated_item(text: str) -> re.Match[str] | None:
    """_DATED_ITEM's match; only a line that ends with a digit (its date's) is tried: the lazy
    headline part costs up to 60 tries on every other line."""
    return _DATED_ITEM.match(text) if text[-1:].isdecimal() else None


def _teaser(text: str) -> re.Match[str] | None:
    """_TEASER's search, only on a line that ends as a teaser does: the end-anchored pattern is
    otherwise tried at every position of the line for nothing."""
    last = text[-1:]
    return _TEASER.search(text) if last in _TEASER_ENDS or last.isspace() else None


@dataclass
class Line:
    text: str  # the line as it will appear in the body (stripped, tags removed)
    kind: str
    meta: dict[str, str] = field(default_factory=dict)
    bulleted: bool = False
    listed: bool = False  # a short bulleted item made NAV for standing in a run of them


@lru_cache(maxsize=None)
def _patterns() -> dict[str, re.Pattern[str]]:
    """Caption and summary-label patterns, each list as one alternation: a line is one when any of
    them matches (one search walks the line once, not once per pattern)."""
    data = cues()
    return {key: regexcache.compile("|".join(f"(?:{p})" for p in data[key]), re.IGNORECASE)
            for key in ("captions", "summary_labels")}


def classify(raw: str) -> Line:
    """The kind of one line of a page."""
    text = raw.strip()
    if not text:
        return Line("", BLANK)
    if ">" in text:
        untagged = _BROKEN_TAG.sub("", _TAG.sub("", text)).strip()
        if untagged != text and not han_count(untagged):
            return Line(untagged, JUNK)
        text = untagged
    first = text[:1]
    bullet = _BULLET.match(text) if first in _BULLET_MARKS or first.isdecimal() else None
    content = text[bullet.end():].strip() if bullet else text
    bulleted = bool(bullet) and bool(content)
    kind, meta = (_remembered_kind if len(content) <= REMEMBERED_LINE else _kind)(content)
    return Line(text, kind, dict(meta), bulleted)  # a copy: a remembered one serves the next page too


def _kind(text: str) -> tuple[str, dict[str, str]]:
    han = han_count(text)
    if not han or ("." in text and _FILENAME.match(text)):
        meta = parse_meta_line(text)
        return (META, meta) if meta else (JUNK, {})
    if is_spam(text):
        return SPAM, {}
    if is_menu(text):
        meta = parse_meta_line(text) if starts_with_label(text) else None  # 来源｜某某 编辑｜某某: a byline
        return (META, meta) if meta is not None else (NAV, {})
    if is_keyword_list(text, han):
        return SPAM, {}
    if _covered(text, cue_regex("widgets")):
        return WIDGET, {}
    if is_footer_heading(text):
        return FOOTER, {}
    if _patterns()["captions"].search(text):
        return CAPTION, {}
    if _patterns()["summary_labels"].match(text):
        return SUMMARY, {}
    meta = parse_meta_line(text)  # before END: 责任编辑:X is a signature worth reading
    if meta is not None:
        return META, meta
    if end_markers(text) and not _prose_mention(text):
        return END, {}
    if _dated_item(text) or (_teaser(text) and not ends_sentence(text)):
        return RELATED, {}
    return (PARA if is_prose(text, han) else SHORT), {}


# A site repeats its furniture on every page (copyright line, menus, related headlines), so short
# lines are remembered with their kind: 1,024 lines of at most 200 characters (under 1 MB) spare
# 60 % of the lines of a 1,500-page crawl (bench corpus c5000) being judged again.
KIND_CACHE = 1024
REMEMBERED_LINE = 200
_remembered_kind = lru_cache(maxsize=KIND_CACHE)(_kind)


def strip_injected(text: str) -> str:
    """``text`` without the brand names and keywords content farms inject into sentences."""
    return cue_regex("injected_terms").sub("", text)


def is_prose(text: str, han: int | None = None) -> bool:
    han = han_count(text) if han is None else han
    if han >= 6 and _PERIOD_END.search(text[-SENTENCE_TAIL:]):  # end-anchored: the tail is enough
        return True
    return (len(text) >= MIN_PARA and _PUNCT.search(text) is not None) or \
        (len(text) >= MIN_SENTENCE and ends_sentence(text))


def is_spam(text: str) -> bool:
    """Porn or gambling spam: several spam words, and not in a sentence."""
    hits = {m.group().lower() for m in _spam_terms().finditer(text)}
    return len(hits) >= MIN_SPAM_TERMS and ("。" not in text or len(hits) >= 2 * MIN_SPAM_TERMS)


# ASCII letters that match only their two cases under re.IGNORECASE (i, k and s also match
# ı, K and ſ: the Kelvin sign and the long s)
_TWO_CASED = frozenset("abcdefghjlmnopqrtuvwxyzABCDEFGHJLMNOPQRTUVWXYZ")


@lru_cache(maxsize=None)
def _spam_terms() -> re.Pattern[str]:
    """``cue_regex("spam_terms")`` without re.IGNORECASE: each plain word is spelt in every case
    of its letters (av, aV, Av, AV), so the engine skips quickly to where a word can begin.
    The case-insensitive pattern is 6x slower on every line of a page: one word that begins
    with a letter (a片, av) turns that skipping off. The matches are the same: each of these
    characters matches only itself or its other case; with a word that is no such plain
    word, the pattern is cue_regex's."""
    words = sorted(cues()["spam_terms"], key=len, reverse=True)  # cue_regex's order
    if not all(re.escape(w) == w and all(c in _TWO_CASED or c.lower() == c.upper() == c for c in w)
               for w in words):
        return cue_regex("spam_terms")
    # one flat alternation of literals: a group around a word's spellings would turn it off again
    return regexcache.compile("|".join(re.escape(s) for w in words for s in _spellings(w)))


def _spellings(word: str) -> list[str]:
    """Every spelling of ``word`` in lower and upper case letters: av -> av, aV, Av, AV."""
    out = [""]
    for c in word:
        cases = dict.fromkeys((c.lower(), c.upper()))
        out = [head + case for head in out for case in cases]
    return out


def is_keyword_list(text: str, han: int) -> bool:
    """Keyword stuffing: a long run of words with no punctuation, or hardly any in a very long line."""
    if han < KEYWORD_SPAM_HAN or "。" in text:
        return False
    punct = len(_PUNCT.findall(text))
    if not punct:
        return not re.search(r"[“”\"'《》()（）]", text)
    return han >= KEYWORD_LIST_HAN and punct * PROSE_PUNCT_GAP < len(text)


def is_menu(text: str) -> bool:
    """A row of short links: 首页| 新闻| 民生, 上海分社 • 正文, 人民网>>地方, XML地图 TXT地图 虚拟主机 SEO."""
    crumb = cue_regex("breadcrumb_labels", anchored=True).match(text)
    if crumb:
        text = text[crumb.end():].strip()
        if not text or len(text) <= 2 * NAV_ITEM:
            return True
    if _PUNCT.search(text):
        return False
    items = [item for item in _NAV_SPLIT.split(text) if item]
    if _NAV_SPLIT.search(text) and len(items) >= 2 and max(map(len, items)) <= NAV_ITEM:
        return True
    words = text.split()
    # a menu that starts at the home page is one at three items already (首页 新闻 社会)
    return (len(words) >= 4 or (len(words) >= 3 and words[0] == "首页")) and max(map(len, words)) <= 6


def is_footer_heading(text: str) -> bool:
    """猜你喜欢, 相关文章:, 关键词: a, b -- a line that is (nearly) only a footer heading."""
    match = cue_regex("footer_headings", anchored=True).match(text.lstrip("【[（( -—>»•·"))
    if not match:
        return False
    rest = text.lstrip("【[（( -—>»•·")[match.end():].strip()
    if rest[:1] in (":", "：") or not rest:
        return "。" not in rest and len(rest) <= 40
    return len(rest.strip("】]）)>»:：")) <= 4


def _prose_mention(text: str) -> bool:
    """A sentence of the article that mentions one furniture phrase (版权所有者的许可) in passing.

    A disclaimer or copyright notice opens with its phrase or holds several of them.
    """
    if len(text) < MENTION_LINE or len(_PUNCT.findall(text)) < MENTION_CLAUSES or not ends_sentence(text):
        return False
    matches = list(cue_regex("end_markers").finditer(text))
    return len({m.group().lower() for m in matches}) == 1 and matches[0].start() >= MENTION_START


def end_markers(text: str) -> int:
    """How many different furniture-only phrases (版权所有, 免责声明, ICP备 ...) ``text`` contains."""
    return len({m.group().lower() for m in cue_regex("end_markers").finditer(text)})


def _covered(text: str, pattern: re.Pattern[str]) -> bool:
    """Cue phrases make up most of ``text``: the rest is at most WIDGET_SLACK characters and no longer than they."""
    # at most WIDGET_SLACK characters go uncovered, so the first phrase starts within them: trying
    # those few positions costs half of walking a line through the whole pattern (the pages' lines)
    lead = _leading(pattern).match(text)
    if lead is None:
        return False
    covered = sum(len(match.group()) for match in pattern.finditer(text, lead.start(1)))
    return covered > 0 and len(text) - covered <= min(WIDGET_SLACK, covered)


@lru_cache(maxsize=None)
def _leading(pattern: re.Pattern[str]) -> re.Pattern[str]:
    """``pattern`` at one of the first WIDGET_SLACK + 1 positions of a line, the first it matches at (group 1).

    One match call instead of one per position; ``^`` in the pattern still means the line's start,
    as it does for ``pattern.match(text, i)``. (The cue patterns never match an empty string, so
    the one extra position, the end of a short line, finds nothing.)
    """
    return regexcache.compile(rf"(?s:.){{0,{WIDGET_SLACK}}}?({pattern.pattern})", pattern.flags)


def split_leading_date(line: Line) -> tuple[Line, Line] | None:
    """``date 2024-11-15 “登记车牌...”`` -> a date line and the prose after it."""
    match = _LEADING_DATE.match(line.text)
    if not match:
        return None
    meta = parse_meta_line(match["date"])
    rest = classify(match["rest"])
    return (Line(match["date"], META, meta or {}), rest) if meta and rest.kind == PARA else None


def split_dated_title(line: Line) -> tuple[Line, Line] | None:
    """``某某中心成立 2023-12-29`` at the top of a page -> a headline line and a date line."""
    match = _dated_item(line.text)
    if not match or match["head"].rstrip().endswith(("...", "…")):
        return None
    head = classify(match["head"])
    meta = parse_meta_line(match["date"])
    return (head, Line(match["date"], META, meta)) if meta and head.kind in CONTENT else None
