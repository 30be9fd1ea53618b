"""Zones of a page: header (headline, dateline), body, footer; duplicates (pure).

A page reads top to bottom as furniture and headline, metadata (来源, dates),
the article, then the footer: related lists, copyright, disclaimers. The
header ends at the first prose after the metadata; the footer starts at a
footer heading (猜你喜欢, 相关文章), a copyright or disclaimer line, or a
run of list items. Inside the body only furniture lines are dropped: short
subheads stay.
"""
from __future__ import annotations

import re
from dataclasses import dataclass, field

from govcase.cleaning.headline import is_site_furniture
from govcase.cleaning.lines import (
    BLANK, CONTENT, END, FOOTER, META, NAV, PARA, RELATED, SHORT, Line, classify, end_markers, ends_sentence,
    split_dated_title, split_leading_date,
)

MIN_TITLE_HAN = 4
MAX_TITLE = 80
MAX_TITLE_PARA = 60  # a headline long enough to look like prose is still a headline when metadata follows it
SHORT_END_LINE = 120  # a furniture phrase opens the footer in a line this short (or with two phrases)
LIST_RUN = 3  # this many list items in a row are a list, not the article
BULLET_ITEM = 20  # bulleted lines this short, next to other bulleted lines, are a link list
MIN_TRUNCATED = 15  # a repeat cut short is dropped when at least this long (shorter ones may be subheads)
LIST_RESUME = 2  # full paragraphs after a list that show the article goes on below it
BOX_LINES = 15  # lines of a box of links inside an article
BOX_RESUME = 3  # full paragraphs after such a box that show the article goes on
_KEY = re.compile(r"[\s\W_]+")  # what is left of a line to compare: letters, digits, characters
_WORD = re.compile(r"\w+")  # the same, found rather than left over (and "_" then dropped): 40 % faster
FULL_PARA = 40  # characters of a full prose paragraph (ending a sentence too)


@dataclass
class Zones:
    title: str | None = None
    header_meta: list[dict[str, str]] = field(default_factory=list)  # in page order, title onwards first
    body: list[Line] = field(default_factory=list)
    tail_meta: list[dict[str, str]] = field(default_factory=list)  # metadata lines in body and footer


def classify_page(text: str) -> list[Line]:
    """Every line of ``text`` with its kind; short bulleted lines in a run become NAV."""
    lines = [classify(raw) for raw in text.split("\n")]
    _mark_bullet_runs(lines)
    return lines


def _mark_bullet_runs(lines: list[Line]) -> None:
    items = [i for i, line in enumerate(lines) if line.kind != BLANK]
    for pos, i in enumerate(items):
        line = lines[i]
        if not line.bulleted or line.kind not in CONTENT or len(line.text) > BULLET_ITEM:
            continue
        neighbours = [lines[items[p]] for p in (pos - 1, pos + 1) if 0 <= p < len(items)]
        if any(n.bulleted for n in neighbours):
            line.kind, line.listed = NAV, True


def text_zones(lines: list[Line], known_title: str | None = None) -> Zones:
    """Zones of a plain-text page.

    ``known_title`` (a JSONL hint, say): only a line that is this headline is taken for
    the headline; other short lines at the top are the article's.
    """
    zones = Zones()
    start, candidates, metas = _scan_header(lines)
    if known_title is None:
        title_at = _pick_title(candidates, metas)
    else:
        title_at = next((c for c in candidates if _same_title(c[1].text, known_title)), None)
        if title_at is None and not metas and candidates:
            start = candidates[0][0]
    if title_at is not None:
        zones.title = title_at[1].text
    after_title = [m for i, m in metas if title_at is None or i > title_at[0]]
    before_title = [m for i, m in metas if title_at is not None and i < title_at[0]]
    zones.header_meta = after_title + before_title
    if start is None or (not metas and title_at is not None):
        # without metadata the body starts right below the headline: short lines there are
        # the article's (a WeChat-style text breaks its sentences into lines)
        start = max([i for i, _ in metas] + [title_at[0] if title_at else -1]) + 1
    zones.body, lead, zones.tail_meta = body_zone(lines[start:])
    zones.header_meta += lead
    return zones


def _scan_header(lines: list[Line]) -> tuple[int | None, list[tuple[int, Line]], list[tuple[int, dict]]]:
    """Where the body starts, headline candidates and metadata lines above it.

    Lines may be split in place (a leading date, a headline with its date).
    """
    candidates: list[tuple[int, Line]] = []
    metas: list[tuple[int, dict]] = []
    i = 0
    while i < len(lines):
        line = lines[i]
        if line.kind == META:
            metas.append((i, line.meta))
        elif line.kind == RELATED and not metas and _alone(lines, i):
            parts = split_dated_title(line)
            if parts:
                lines[i:i + 1] = parts
                continue
        elif line.kind in CONTENT:
            parts = split_leading_date(line) if line.kind == PARA else None
            if parts:
                lines[i:i + 1] = parts
                continue
            if line.kind == SHORT and candidates and metas and candidates[0][0] < metas[-1][0]:
                return i, candidates, metas  # headline, metadata, then short lines: the body begins
            if line.kind == SHORT or (not metas and _headline_before_meta(lines, i)):
                if _title_like(line):
                    candidates.append((i, line))
            else:
                return i, candidates, metas
        i += 1
    return None, candidates, metas


def _alone(lines: list[Line], i: int) -> bool:
    """No other list item directly above or below line i (blank lines aside)."""
    for step in (-1, 1):
        j = i + step
        while 0 <= j < len(lines) and lines[j].kind == BLANK:
            j += step
        if 0 <= j < len(lines) and lines[j].kind == RELATED:
            return False
    return True


def _headline_before_meta(lines: list[Line], i: int) -> bool:
    """A prose-looking line that is a headline: not ending a sentence, metadata right below."""
    line = lines[i]
    if len(line.text) > MAX_TITLE_PARA or line.text.endswith(("。", "”", ".")):
        return False
    j = i + 1
    while j < len(lines) and lines[j].kind == BLANK:
        j += 1
    return j < len(lines) and lines[j].kind == META


def _title_like(line: Line) -> bool:
    """Long enough, not too long, and not a label (a headline does not end with a colon)."""
    han = sum(1 for c in line.text if "\u4e00" <= c <= "\u9fff")
    return han >= MIN_TITLE_HAN and len(line.text) <= MAX_TITLE and not line.text.endswith((":", "：")) \
        and not is_site_furniture(line.text)


def _same_title(line: str, title: str) -> bool:
    a, b = _KEY.sub("", line), _KEY.sub("", title)
    return bool(a and b) and (a in b or b in a)


def _pick_title(candidates: list[tuple[int, Line]], metas: list[tuple[int, dict]]) -> tuple[int, Line] | None:
    """The headline: the candidate nearest above the first metadata line, else the first candidate."""
    if not candidates:
        return None
    if metas:
        above = [c for c in candidates if c[0] < metas[0][0]]
        if above:
            return above[-1]
    return candidates[0]


def body_zone(lines: list[Line]) -> tuple[list[Line], list[dict[str, str]], list[dict[str, str]]]:
    """Content lines of the body zone (up to the footer) and its metadata lines.

    Returns (body, lead, tail): ``lead`` is the metadata above the first prose line (a
    dateline block inside an HTML article container), ``tail`` all other metadata.
    """
    body: list[Line] = []
    lead: list[dict[str, str]] = []
    tail: list[dict[str, str]] = []
    begin, end = body_bounds(lines)
    prose_seen = False
    lead += [line.meta for line in lines[:begin] if line.kind == META]
    for line in lines[begin:end]:
        if line.kind == META:
            (tail if prose_seen else lead).append(line.meta)
        elif line.kind in CONTENT:
            body.append(line)
            prose_seen = prose_seen or line.kind == PARA
    tail += [line.meta for line in lines[end:] if line.kind == META]
    return body, lead, tail


def body_bounds(lines: list[Line]) -> tuple[int, int]:
    """Where the body starts and ends.

    A link box or comment bar right under the headline or byline looks like a footer;
    when it comes before any prose and full paragraphs follow it, it is a box to skip:
    the body starts at the first paragraph after it.
    """
    begin = 0
    while True:
        end = begin + footer_start(lines[begin:])
        if end >= len(lines) or any(lines[i].kind == PARA for i in range(begin, end)):
            return begin, end
        after = next((i for i in range(end + 1, len(lines)) if is_full_paragraph(lines[i])), None)
        if after is None:
            return begin, end
        begin = after


def is_full_paragraph(line: Line) -> bool:
    return line.kind == PARA and len(line.text) >= FULL_PARA and ends_sentence(line.text)


def footer_start(lines: list[Line]) -> int:
    """Index of the first footer line: a footer heading, a furniture line, or a run of list items.

    A furniture line (a disclaimer, say) with article prose after it is only dropped: the
    article goes on below it. So is a box (延伸阅读 and its links) after which most of the
    article still comes, and a list the article resumes after (a table of contents, the
    numbered steps of a lesson): bulleted items of such a list stay in the body.
    """
    run, run_start, tolerated = 0, 0, False
    i = 0
    while i < len(lines):
        line = lines[i]
        if line.kind == FOOTER:
            resume = _box_end(lines, i)
            if resume is None:
                return i
            i = resume
            continue
        if line.kind == END and (len(line.text) <= SHORT_END_LINE or end_markers(line.text) >= 2) \
                and not _prose_follows(lines, i + 1):
            return i
        if line.kind in (RELATED, NAV):
            run_start = i if run == 0 else run_start
            run += 1
            if run >= LIST_RUN and not tolerated:
                if not _prose_follows(lines, i + 1, LIST_RESUME):
                    return run_start
                tolerated = True
                for item in lines[run_start:i]:
                    item.kind = SHORT if item.listed else item.kind
            if tolerated and line.listed:
                line.kind = SHORT
        elif line.kind != BLANK:
            run, tolerated = 0, False
        i += 1
    return len(lines)


def _box_end(lines: list[Line], heading: int) -> int | None:
    """Where the article resumes after a box of links that a footer heading opens, if it does.

    It does when, after at most BOX_LINES lines, BOX_RESUME full paragraphs follow before
    the next footer heading, and they hold more prose than the article above the box.
    The box's lines become RELATED (dropped).
    """
    first = next((j for j in range(heading + 1, min(len(lines), heading + 2 + BOX_LINES))
                  if is_full_paragraph(lines[j])), None)
    if first is None:
        return None
    prose_before = sum(len(line.text) for line in lines[:heading] if is_full_paragraph(line))
    paragraphs = chars = 0
    for line in lines[first:]:
        if line.kind == FOOTER:
            break
        if is_full_paragraph(line):
            paragraphs += 1
            chars += len(line.text)
    if paragraphs < BOX_RESUME or chars < prose_before:
        return None
    for line in lines[heading:first]:
        line.kind = RELATED if line.kind in CONTENT else line.kind
    return first


def _prose_follows(lines: list[Line], start: int, need: int = 1) -> bool:
    """``need`` full prose paragraphs follow before the next footer heading."""
    found = 0
    for line in lines[start:]:
        if line.kind == FOOTER:
            return False
        if is_full_paragraph(line):
            found += 1
            if found >= need:
                return True
    return False



def _key(text: str) -> str:
    """``_KEY.sub("", text)``, computed faster."""
    return "".join(_WORD.findall(text)).replace("_", "")


def dedupe(paragraphs: list[str], title: str | None) -> list[str]:
    """Drop repeats: a paragraph seen before, a truncated copy of one, the headline itself."""
    kept: list[str] = []
    by_start: dict[str, list[str]] = {}  # kept keys by their first MIN_TRUNCATED characters
    seen = {_key(title or "")}
    for paragraph in paragraphs:
        key = _key(paragraph)
        if not key or key in seen or (len(key) >= MIN_TRUNCATED and
                                      any(k.startswith(key) for k in by_start.get(key[:MIN_TRUNCATED], ()))):
            continue
        kept.append(paragraph)
        by_start.setdefault(key[:MIN_TRUNCATED], []).append(key)
        seen.add(key)
    return kept
