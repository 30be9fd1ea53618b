"""RawDocument -> CleanArticle: the body an analyst would read, and its metadata (pure).

One article goes: decode -> normalise the script (pinyin glosses out, GBK
mojibake re-read, traditional -> simplified, full-width letters and digits
to ASCII, brand names injected by content farms out) -> lines of the page
(HTML: the article container; text: header, body and footer zones) ->
furniture and repeats dropped -> metadata: the headline and its dateline
weighed on the page's evidence (cleaning.headline), labelled dates, a post
stamp as the last resort; never a date the page does not give.
All normalisation happens before the body is final, so offsets into
CleanArticle.body stay valid. The parts live in ``govcase.cleaning``.
"""
from __future__ import annotations

from dataclasses import dataclass, field
from itertools import islice

from govcase.cleaning.boilerplate import Zones, body_zone, classify_page, dedupe, is_full_paragraph, text_zones
from govcase.cleaning.headline import PageText, choose_headline, headline_date, post_stamp_date, same_headline
from govcase.cleaning.lines import PARA, classify, strip_injected
from govcase.cleaning.metadata import Date, clean_title, normalize_date, parse_dateline
from govcase.cleaning.mojibake import repair_mojibake
from govcase.cleaning.script import detect_script, normalize_spaces, normalize_width, remove_glosses, to_simplified
from govcase.decode import MAX_LINE_CHARS, check_lines, check_size, decode_text, detect_encoding
from govcase.errors import RejectedDocument
from govcase.records import CleanArticle, RawDocument

DATELINE_PARAGRAPHS = 3  # a news dateline (新华社太原8月25日电) opens one of the first prose paragraphs
MIN_BODY_HAN = 30  # an article without a prose line needs at least this many characters


@dataclass
class Normalised:
    text: str
    script: str
    flags: tuple[str, ...] = ()


def normalise(text: str) -> Normalised:
    """Spaces, pinyin glosses, GBK mojibake, traditional script and full-width letters; line breaks kept."""
    text = remove_glosses(normalize_spaces(text))
    text, flags = repair_mojibake(text)
    script = detect_script(text)
    return Normalised(strip_injected(normalize_width(to_simplified(text, script))), script, flags)


@dataclass
class _Facts:
    """Metadata gathered from the page, best source first in each list."""

    title: list[str] = field(default_factory=list)
    labelled_title: list[str] = field(default_factory=list)  # 标题:X in the page's metadata table
    published: list[Date] = field(default_factory=list)
    fields: dict[str, list[str]] = field(default_factory=dict)

    def add(self, meta: dict[str, str]) -> None:
        for key, value in meta.items():
            if key == "title":
                self.labelled_title.append(value.strip())
            elif key == "published":
                date = normalize_date(value)
                if date:
                    self.published.append(date)
            elif value:
                self.fields.setdefault(key, []).append(value.strip())

    def first(self, key: str) -> str | None:
        values = self.fields.get(key)
        return values[0] if values else None


def clean(doc: RawDocument) -> CleanArticle:
    """Clean one document. Raises RejectedDocument (empty, binary, undecodable, huge-line, no-body ...)."""
    if doc.encoding:
        check_size(doc.data)
        if doc.media_type != "html":
            check_lines(doc.data, doc.encoding)
        encoding = doc.encoding
    else:
        encoding = detect_encoding(doc.data, doc.media_type)
    decoded = decode_text(doc.data, encoding)
    if not decoded.text.strip():
        raise RejectedDocument("empty", "nothing but whitespace after decoding")
    flags = (("truncated",) if decoded.truncated else ()) + (("replaced-characters",) if decoded.replaced else ())
    facts = _Facts()
    _add_hints(doc, facts)
    if doc.media_type == "html":
        zones, normalised, evidence = _html_zones(decoded.text, facts)
    else:
        normalised = normalise(decoded.text)
        zones = text_zones(classify_page(normalised.text), facts.title[0] if facts.title else None)
    _add_zone_facts(zones, facts)
    if doc.media_type == "html":
        stamp = None if facts.published else post_stamp_date(evidence)  # the last resort
        facts.published += [stamp] if stamp else []
    else:  # after the page's labelled dates: it gives a date where they have none, a year where they lack it
        facts.published += _text_evidence(normalised.text, zones, facts)
    title = next((t for t in (clean_title(t) for t in facts.labelled_title + facts.title) if t), None)
    paragraphs = dedupe([line.text for line in zones.body], title)
    if any(len(p) > MAX_LINE_CHARS for p in paragraphs):
        raise RejectedDocument("huge-line", f"a paragraph over {MAX_LINE_CHARS} characters; not an article")
    if not paragraphs or (not any(line.kind == PARA for line in zones.body)
                          and sum(len(p) for p in paragraphs) < MIN_BODY_HAN):
        raise RejectedDocument("no-body", "no article text left once page furniture was removed")
    published = _most_precise(facts.published)
    return CleanArticle(
        body="\n".join(paragraphs),
        title=title,
        published=published.iso if published else None,
        published_precision=published.precision if published else None,
        outlet=facts.first("outlet"),
        author=facts.first("author"),
        editor=facts.first("editor"),
        url=facts.first("url"),
        script=normalised.script,
        encoding=encoding,
        flags=flags + normalised.flags,
    )


def _most_precise(dates: list[Date]) -> Date | None:
    """The first date found, with the time (or year) a later source gives for the same day."""
    best = dates[0] if dates else None
    for date in dates[1:]:
        if best.precision == "day" and date.precision == "minute" and date.iso[:10] == best.iso:
            best = date
        elif best.precision == "month-day" and date.precision != "month-day" and date.iso[4:10] == best.iso[1:]:
            best = date
    return best


def _add_hints(doc: RawDocument, facts: _Facts) -> None:
    """JSONL hints come first: they are the collector's structured metadata."""
    hints = {key: value for key, value in doc.hints if isinstance(value, str) and value.strip()}
    if "title" in hints:
        facts.title.append(normalise(hints["title"].replace("\n", " ")).text)
    facts.add({key: hints[key] for key in ("published", "url") if key in hints})
    if "outlet" in hints:
        facts.add({"outlet": normalise(hints["outlet"].replace("\n", " ")).text})


def _add_zone_facts(zones: Zones, facts: _Facts) -> None:
    if zones.title:
        facts.title.append(zones.title)
    for meta in zones.header_meta:
        facts.add(meta)
    for paragraph in [line.text for line in zones.body if line.kind == PARA][:DATELINE_PARAGRAPHS]:
        date, author = parse_dateline(paragraph)
        if date:
            facts.published.append(date)
            facts.add({"author": author} if author else {})
            break
    for meta in zones.tail_meta:  # editors and reporters signed below the article; never its dates
        facts.add({key: value for key, value in meta.items() if key != "published"})


LEAD_REACH = 12  # lines above the container where its headline, byline and lead stand
TEXT_HEAD = 40  # lines at the top of a text page where its headline and dateline stand


def _text_evidence(text: str, zones: Zones, facts: _Facts) -> list[Date]:
    """Headline (when the zones found none) and dateline of a text page, from headline.py's evidence."""
    lines = list(islice((line.strip() for line in text.split("\n", TEXT_HEAD * 4) if line.strip()), TEXT_HEAD))
    evidence = PageText(lines, 0, len(lines))
    if not zones.title and not facts.title and not facts.labelled_title:
        zones.title = choose_headline(evidence)
        facts.title += [zones.title] if zones.title else []
    if facts.published and facts.published[0].precision != "month-day":
        return []  # the page's labelled date stands; a dateline would only repeat it
    known = next(iter(facts.labelled_title + facts.title), None)
    date = headline_date(evidence, known)
    return [date] if date else []


def _lead_start(lines: list[str], start: int, headline: str | None) -> int:
    """The article's first line, taking in the lead paragraphs a page sets between headline and container."""
    if not headline:
        return start
    top = next((i for i in range(start - 1, max(-1, start - 1 - LEAD_REACH), -1) if same_headline(lines[i], headline)), None)
    if top is None:
        return start
    first = start
    while first - 1 > top and is_full_paragraph(classify(lines[first - 1])):
        first -= 1
    return first


def _html_zones(html: str, facts: _Facts) -> tuple[Zones, Normalised, PageText]:
    """Zones of an HTML page, and the evidence its headline was chosen on."""
    from govcase.cleaning.html import parse_html  # here: bs4 is ~0.1 s of a start that reads texts only

    page = parse_html(html)
    extra = [page.title or "", page.author or "", page.outlet or "", page.doc_title or "", page.meta_title or ""]
    extra += page.headings
    normalised = normalise("\n".join(page.lines + [value.replace("\n", " ") for value in extra]))
    texts = normalised.text.split("\n")
    lines, rest = texts[:len(page.lines)], texts[len(page.lines):]
    title, author, outlet, doc_title, meta_title = rest[:5]
    evidence = PageText(lines, page.body_start, page.body_end if page.has_container else len(lines),
                        doc_title or None, meta_title or None, tuple(rest[5:]))
    headline = meta_title or (title if page.heading_in_title and not page.meta_title else None) \
        or choose_headline(evidence)
    facts.add({"published": page.published or "", "url": page.url or "", "author": author, "outlet": outlet})
    dateline = None if page.published else headline_date(evidence, headline or title)
    facts.published += [dateline] if dateline else []
    if page.has_container:
        page.body_start = _lead_start(lines, page.body_start, headline)
    if not page.has_container:  # no article element: read the page's text like a text page
        zones = text_zones(classify_page("\n".join(lines)))
        zones.title = headline or title or zones.title
        return zones, normalised, evidence
    header = text_zones(classify_page("\n".join(lines[:page.body_start])))
    body, lead, tail = body_zone(classify_page("\n".join(lines[page.body_start:page.body_end])))
    trailing = [line.meta for line in classify_page("\n".join(lines[page.body_end:])) if line.meta]
    zones = Zones(title=headline or title or header.title, header_meta=header.header_meta + lead, body=body,
                  tail_meta=tail + trailing)
    return zones, normalised, evidence
