"""Headline and date of a page, from evidence weighed in one place (pure).

A site puts its own name, channels, menus, bylines and clocks around an
article, so no single cue finds the headline. Each line near the start of the
article text is scored on what the page says about it: its share of the
page's <title>, being a heading or the og:title, a dateline right below it,
its words repeated next to the article, its place above the first paragraph,
and against it site and byline vocabulary or the shape of a sentence. The
weights and vocabularies are in data/clean/headline.yaml.

The date is then read where a reader looks for it: the dateline next to the
headline (a date and little else: 2021-06-03 08:15 某某晚报), else the stamp a
blog or forum puts under the post (发表于 2005-07-31 12:30). A page with
neither gets no date from here: nothing is guessed.
"""
from __future__ import annotations

import re
from dataclasses import dataclass
from functools import lru_cache

from govcase import regexcache
from govcase.cleaning.hanzi import han_count
from govcase.cleaning.lines import CONTENT, META, NAV, PARA, Line, classify, ends_sentence
from govcase.cleaning.metadata import DATE, URL, Date, parse_meta_line
from govcase.cleaning.resources import cues, load_yaml

ABOVE = 12  # lines above the article container where its headline may stand
BELOW = 6  # ... and lines into it, before the first paragraph
DATELINE_REACH = 3  # a dateline stands within this many lines below the headline
STAMP_REACH = 3  # a post stamp stands within this many lines below the article container
MIN_HEADLINE_HAN = 4
MAX_HEADLINE = 80
DATELINE_REST_HAN = 10  # characters besides the date a dateline may carry (an outlet, a user name)
DATELINE_REST = 40
STAMP_REST = 80
LIST_ITEM = 10  # characters of an item in a column of links
TITLE_PART_HAN = 8  # characters of a part of the <title> that names a story
_TITLE_PARTS = regexcache.compile(r"\s*(?:_+|\||｜|--+|\s-\s|—+|::|»|>)\s*")
MAX_DATELINE = 160  # characters of a dateline or stamp line at most
_KEY = regexcache.compile(r"[\s\W_]+")
_TRAIL = regexcache.compile(r"\s*(?:[|｜»›→]|>{1,2}|-{1,2}>|＞{1,2}|::)\s*")
_SECTION = regexcache.compile(r"^[一二三四五六七八九十]{1,3}\s*[、.．]")  # 四、规范理论: a section of the article
_CLAUSE = regexcache.compile(r"[，。！？；,;!?]")
_DOMAIN = regexcache.compile(r"(?:https?://)?(?:[a-z0-9-]+\.)+(?:com|cn|net|org|gov|edu|hk|tw|info)(?:/\S*)?", re.IGNORECASE)
_MONTHS = {name: i + 1 for i, name in enumerate(
    ["jan", "feb", "mar", "apr", "may", "jun", "jul", "aug", "sep", "oct", "nov", "dec"])}
# 7/5/2005 9:23:57 PM (month first, as US forum software writes it)
_US_DATE = regexcache.compile(r"(?<![\d/])(?P<m>\d{1,2})/(?P<d>\d{1,2})/(?P<y>(?:19|20)\d{2})(?![\d/])"
                      r"(?:\s+(?P<H>\d{1,2}):(?P<M>\d{2})(?::\d{2})?\s*(?P<ap>[ap]\.?m\.?)?)?", re.IGNORECASE)
# 2022 10/05 20:08:34 (a year, then month/day)
_SPACED_DATE = regexcache.compile(r"(?<!\d)(?P<y>(?:19|20)\d{2})\s+(?P<m>\d{1,2})\s*/\s*(?P<d>\d{1,2})(?![\d/])"
                          r"(?:\s+(?P<H>\d{1,2}):(?P<M>\d{2})(?::\d{2})?)?")
# Saturday, September 10th, 2005 10:56 am
_EN_DATE = regexcache.compile(r"\b(?P<mon>jan|feb|mar|apr|may|jun|jul|aug|sep|oct|nov|dec)[a-z]*\.?\s+(?P<d>\d{1,2})"
                      r"(?:st|nd|rd|th)?,?\s+(?P<y>(?:19|20)\d{2})\b"
                      r"(?:\s+(?P<H>\d{1,2}):(?P<M>\d{2})(?::\d{2})?\s*(?P<ap>[ap]\.?m\.?)?)?", re.IGNORECASE)


@dataclass(frozen=True)
class PageText:
    """What the headline evidence is read from: normalised lines and the page's own labels."""

    lines: list[str]
    start: int  # lines[start:end] are the article container's
    end: int
    doc_title: str | None = None  # the <title>
    meta_title: str | None = None  # og:title, JSON-LD headline
    headings: tuple[str, ...] = ()  # <h1>-<h3>


@lru_cache(maxsize=None)
def _rules() -> tuple[dict[str, float], float, re.Pattern[str], re.Pattern[str], re.Pattern[str], re.Pattern[str],
                      re.Pattern[str]]:
    data = load_yaml("headline.yaml")
    alternation = lambda key: "|".join(f"(?:{p})" for p in data[key])  # noqa: E731
    labels = sorted((l for values in cues()["meta_labels"].values() for l in values if len(l) > 1), key=len, reverse=True)
    labelled = "|".join(re.escape(l) for l in labels)
    return (data["weights"], float(data["accept"]), regexcache.compile(alternation("furniture"), re.IGNORECASE),
            regexcache.compile(alternation("dateline_words"), re.IGNORECASE), regexcache.compile(alternation("post_stamp"), re.IGNORECASE),
            regexcache.compile(rf"(?:{labelled})\s*[:：]\s*[^\s|｜]{{0,20}}", re.IGNORECASE),
            regexcache.compile(alternation("clock"), re.IGNORECASE))


def find_date(text: str) -> tuple[Date, int, int] | None:
    """The first full date in ``text`` in any of the shapes pages print, with its span."""
    if "19" not in text and "20" not in text:  # every shape has a year 19xx or 20xx
        return None
    found = []
    for pattern in (DATE, _US_DATE, _SPACED_DATE, _EN_DATE):
        for match in pattern.finditer(text):
            date = _date_of(match)
            if date:
                found.append((match.start(), match.end(), date))
                break
    if not found:
        return None
    start, end, date = min(found, key=lambda f: f[0])
    return date, start, end


def _date_of(match: re.Match[str]) -> Date | None:
    groups = match.groupdict()
    month = _MONTHS[groups["mon"][:3].lower()] if groups.get("mon") else int(groups["m"])
    year, day = int(groups["y"]), int(groups["d"])
    if not (1 <= month <= 12 and 1 <= day <= 31):
        return None
    if groups.get("H") is not None and int(groups["H"]) < 24 and int(groups["M"]) < 60:
        hour = int(groups["H"])
        if (groups.get("ap") or "").lower().startswith("p") and hour < 12:
            hour += 12
        return Date(f"{year:04d}-{month:02d}-{day:02d}T{hour:02d}:{groups['M']}", "minute")
    return Date(f"{year:04d}-{month:02d}-{day:02d}", "day")


def dateline_date(text: str) -> Date | None:
    """The date of a dateline: a line that is a date with an outlet, a time, a label or a counter."""
    found = _date_rest(text)
    if found is None:
        return None
    date, rest = found
    return date if han_count(rest) <= DATELINE_REST_HAN and len(rest) <= DATELINE_REST else None


def stamp_date(text: str) -> Date | None:
    """The date a blog or forum stamps under a post (发表于 2005-07-31 12:30, 由某某于...发表)."""
    found = _date_rest(text, stamp=True)
    if found is None:
        return None
    date, rest = found
    return date if len(rest) <= STAMP_REST and _rules()[4].search(text) else None


def _date_rest(text: str, stamp: bool = False) -> tuple[Date, str] | None:
    """The date of ``text`` and what is left once date, links, labels and dateline words are out."""
    if len(text) > MAX_DATELINE or _rules()[6].search(text):
        return None
    found = find_date(text)
    if found is None:
        return None
    date, start, end = found
    _, _, _, words, stamps, labelled, _ = _rules()
    rest = _DOMAIN.sub(" ", URL.sub(" ", text[:start] + " " + text[end:]))
    rest = labelled.sub(" ", rest)
    rest = (stamps if stamp else words).sub(" ", rest)
    rest = re.sub(r"[\s()（）\[\]【】|｜:：/·•\-—_.<>@]+", " ", rest).strip()
    if _CLAUSE.search(rest.rstrip("。.")):
        return None
    return date, rest


def is_site_furniture(text: str) -> bool:
    """The line names the site, a channel, an app, a page of the paper or a byline, not a story."""
    return bool(_rules()[2].search(text.strip()))


def key(text: str) -> str:
    """What is compared of a line: its letters, digits and characters."""
    return _short_key(text) if len(text) <= MAX_DATELINE else _KEY.sub("", text).lower()


@lru_cache(maxsize=4096)  # a site repeats its short lines (menus, its name) on every page
def _short_key(text: str) -> str:
    return _KEY.sub("", text).lower()


def choose_headline(page: PageText) -> str | None:
    """The line with the most evidence of being the headline, if it has enough."""
    weights, accept, *_ = _rules()
    scored = score_lines(page)
    if not scored:
        return None
    best = max(scored, key=lambda item: (item[1], item[0]))
    if best[1] < accept or (not best[2] and _titled(page.doc_title)):
        return None  # a <title> that names a story no line repeats is a better headline than a guess
    return page.lines[best[0]]


def _titled(title: str | None) -> bool:
    """The <title> has a part long enough to be a headline, not only the site's name."""
    parts = _TITLE_PARTS.split(title or "")
    return any(han_count(part) >= TITLE_PART_HAN and not is_site_furniture(part) for part in parts)


def score_lines(page: PageText) -> list[tuple[int, float, bool]]:
    """(line index, score, whether the page's labels back it) of every line that could be the headline."""
    weights = _rules()[0]
    lines = page.lines
    text_at = _first_text(page)
    window = range(max(0, page.start - ABOVE), min(text_at, page.start + BELOW, len(lines)))
    # only lines short enough to be a headline or a dateline are worth judging
    kinds = {i: classify(lines[i]) for i in range(max(0, page.start - ABOVE), min(len(lines), text_at + 1))
             if len(lines[i]) <= MAX_DATELINE}
    candidates = [i for i in window if i in kinds and _eligible(kinds[i])]
    plain = [i for i in candidates if not is_site_furniture(lines[i])]
    longest = 2 * max((len(lines[i]) for i in candidates), default=0) + 10
    near = range(max(0, page.start - ABOVE), min(len(lines), page.start + BELOW + 4))
    keys = {j: key(lines[j]) for j in near if len(lines[j]) <= longest}  # lines that may repeat a candidate
    labels = (key(page.doc_title or ""), key(page.meta_title or ""), {key(h) for h in page.headings})
    scored = []
    for i in candidates:
        labelled = _label_score(keys.get(i) or key(lines[i]), labels, weights)
        score = labelled + _place_score(i, plain, page, weights) + _neighbour_score(i, lines, kinds, keys, weights)
        if _in_list(i, lines, kinds):
            score += weights["in_list"]
        if i not in plain:
            score += weights["furniture"]
        if lines[i].rstrip().endswith(("。", ".")) or len(_CLAUSE.findall(lines[i])) >= 2:
            score += weights["sentence"]
        scored.append((i, score, labelled > 0))
    return scored


def _in_list(i: int, lines: list[str], kinds: dict[int, Line]) -> bool:
    """Short items above and below: the line is one of a column of links, not a headline standing alone."""
    return all(j in kinds and kinds[j].kind in CONTENT + (NAV,) and len(lines[j]) <= LIST_ITEM for j in (i - 1, i + 1))


def _first_text(page: PageText) -> int:
    """Index of the article's first paragraph (prose long enough to be one)."""
    for i in range(page.start, min(page.end, len(page.lines))):
        line = page.lines[i]
        # a sentence, or a long line of clauses: the headline stands above it
        if not (ends_sentence(line) or (len(line) >= 40 and len(_CLAUSE.findall(line)) >= 2)):
            continue
        # a long line of clauses that ends a sentence is prose: only shorter ones need judging
        if (len(line) > MAX_DATELINE and ends_sentence(line)) or classify(line).kind == PARA:
            return i
    return min(page.end, len(page.lines))


def _eligible(line: Line) -> bool:
    text = line.text
    if line.kind not in CONTENT or line.bulleted or text.startswith(("—", "-", "(", "（")) or _SECTION.match(text):
        return False
    if "。" in text or text.endswith(("，", ",", "、", "；")):  # a sentence, or a line of one wrapped
        return False
    if han_count(text) < MIN_HEADLINE_HAN or len(text) > MAX_HEADLINE or text.endswith((":", "：")):
        return False
    return len(_TRAIL.findall(text)) < 2 and find_date(text) is None


def _label_score(k: str, labels: tuple[str, str, set[str]], weights: dict[str, float]) -> float:
    """What the page's own labels (keys of its <title>, og:title, headings) say of the line with key ``k``."""
    title, meta, headings = labels
    score = 0.0
    if title and (k in title or (title in k and 2 * len(title) >= len(k))):
        score += weights["in_title"] * min(1.0, 2 * len(k) / len(title))
    if meta and (k == meta or (k in meta and 2 * len(k) >= len(meta))):
        score += weights["meta_title"]
    if k in headings:
        score += weights["heading"]
    return score


def _place_score(i: int, plain: list[int], page: PageText, weights: dict[str, float]) -> float:
    """Near the first paragraph, and at the top of the article container."""
    score = 0.0
    if i in plain:
        rank = len(plain) - 1 - plain.index(i)  # 0: the last headline-like line above the text
        score += weights["near_text"] * 0.5 ** rank
    above = [j for j in plain if j < page.start]
    inside = [j for j in plain if j >= page.start]
    if i == page.start or (above and i == above[-1]) or (inside and i == inside[0]):
        score += weights["top"]
    return score


def _neighbour_score(i: int, lines: list[str], kinds: dict[int, Line], keys: dict[int, str],
                     weights: dict[str, float]) -> float:
    """A dateline below (or right above), and the same words on another line nearby."""
    score = 0.0
    below = range(i + 1, min(i + 1 + DATELINE_REACH, len(lines)))
    if any(_is_dateline(lines[j], kinds.get(j)) for j in below):
        score += weights["dateline"]
    elif i > 0 and _is_dateline(lines[i - 1], kinds.get(i - 1)):
        score += weights["dateline_above"]
    k = keys[i]
    if any(j != i and _similar(k, other) for j, other in keys.items()):
        score += weights["repeated"]
    return score


@lru_cache(maxsize=1024)
def _is_dateline_text(text: str) -> bool:
    return dateline_date(text) is not None


def _is_dateline(text: str, line: Line | None) -> bool:
    if line is not None and line.kind == META and "published" in line.meta:
        return True
    return len(text) <= MAX_DATELINE and _is_dateline_text(text)


def same_headline(line: str, headline: str) -> bool:
    """``line`` is ``headline`` (or most of it)."""
    return _similar(key(line), key(headline))


def _similar(a: str, b: str) -> bool:
    if not a or not b:
        return False
    short, long_ = sorted((a, b), key=len)
    return short in long_ and 10 * len(short) >= 7 * len(long_)


def headline_date(page: PageText, headline: str | None) -> Date | None:
    """The dateline nearest the headline: below it first, then right above it."""
    if not headline:
        return None
    k = key(headline)
    longest = 2 * len(headline) + 10  # a line much longer than the headline is not a copy of it
    spots = [i for i in range(max(0, page.start - ABOVE), min(len(page.lines), page.start + BELOW + 4))
             if len(page.lines[i]) <= longest and _similar(k, key(page.lines[i]))]
    for i in spots:
        for j in range(i + 1, min(i + 1 + DATELINE_REACH, len(page.lines))):
            if _is_text(page.lines[j]):
                break
            date = dateline_date(page.lines[j])
            if date:
                return date
        # right above it; two lines up only past a metadata line (2022-10-05 20:08 / 来源:某某 / headline)
        above = [i - 1] + ([i - 2] if i >= 2 and parse_meta_line(page.lines[i - 1]) is not None else [])
        for j in (j for j in above if j >= 0):
            date = dateline_date(page.lines[j])
            if date:
                return date
    return None


def _is_text(line: str) -> bool:
    return len(line) >= 40 and ends_sentence(line)


def post_stamp_date(page: PageText) -> Date | None:
    """The first post stamp after the article text, within the container or right below it."""
    text_at = _first_text(page)
    end = min(page.end, len(page.lines))
    last = next((i for i in range(end - 1, text_at - 1, -1) if _is_text(page.lines[i])), text_at)
    # from the last sentence on: a stamp with its full stop reads like one (本贴由某某于...发表.)
    for i in range(last, min(len(page.lines), max(page.end, last + 1) + STAMP_REACH)):
        date = stamp_date(page.lines[i])
        if date:
            return date
    return None
