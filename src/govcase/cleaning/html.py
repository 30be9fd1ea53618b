"""An HTML page as lines of text, with its article container and metadata (pure).

The article is the element whose paragraphs hold the most text that is not
link text; everything outside it is header or footer. Headline and date come
from the page's own metadata (og:title, article:published_time, <time>) or
its <h1>, not from the <title> with its site suffix.
"""
from __future__ import annotations

import json
import re
from collections import defaultdict
from dataclasses import dataclass, field
from functools import lru_cache

from bs4 import BeautifulSoup, Comment, NavigableString, Tag

from govcase.cleaning.resources import cues

_JUNK_TAGS = ["script", "style", "noscript", "template", "iframe", "svg", "canvas", "select", "button", "input",
              "textarea", "object", "embed", "video", "audio", "map"]
# inside the article container these are furniture; <header> and <footer> there hold its headline,
# date and signature, which the line kinds sort out
_FURNITURE_TAGS = {"nav", "aside", "form"}
_BLOCK = {"p", "div", "section", "article", "main", "h1", "h2", "h3", "h4", "h5", "h6", "li", "ul", "ol", "dl", "dt",
          "dd", "table", "thead", "tbody", "tr", "td", "th", "blockquote", "pre", "figure", "figcaption", "center",
          "header", "footer", "nav", "aside", "form", "hr", "address", "fieldset", "caption", "title"}
_DATE_META = ("article:published_time", "og:release_date", "pubdate", "publishdate", "publish_date", "publish_time",
              "publishtime", "pubtime", "datepublished", "dc.date", "dc.date.issued", "date", "og:updated_time")
_SPACES = re.compile(r"\s+")
TITLE_SHARE = 0.5  # a heading this much of the <title> is its headline part (the rest is the site's name)
MIN_CONTAINER_TEXT = 50  # characters of paragraph text below which no element is an article container


@dataclass
class HtmlPage:
    lines: list[str] = field(default_factory=list)  # the text of the page, one block per line
    body_start: int = 0  # lines[body_start:body_end] are the article container's
    body_end: int = 0
    has_container: bool = False  # False: no element held enough paragraph text; lines are the whole page
    title: str | None = None
    published: str | None = None  # as the page states it (metadata.normalize_date reads it)
    url: str | None = None
    author: str | None = None
    outlet: str | None = None


@lru_cache(maxsize=None)
def _furniture_words() -> frozenset[str]:
    return frozenset(w.lower() for w in cues()["html_furniture"])


def parse_html(html: str) -> HtmlPage:
    soup = BeautifulSoup(html, "html.parser")
    page = HtmlPage()
    _read_head(soup, page)
    for tag in soup.find_all(_JUNK_TAGS):
        tag.decompose()
    for comment in soup.find_all(string=lambda s: isinstance(s, Comment)):
        comment.extract()
    page.title = page.title or _headline(soup) or _title_tag(soup)
    root = soup.body or soup
    container = _container(root)
    page.has_container = container is not None
    if container is not None:
        for tag in container.find_all(True):
            if not tag.decomposed and (tag.name in _FURNITURE_TAGS or _is_furniture(tag)):
                tag.decompose()
    lines, marks = _block_lines(root, container)
    inside = [i for i, mark in enumerate(marks) if mark]
    page.lines = lines
    page.body_start, page.body_end = (inside[0], inside[-1] + 1) if inside else (0, len(lines))
    return page


def _read_head(soup: BeautifulSoup, page: HtmlPage) -> None:
    metas = {}
    for meta in soup.find_all("meta"):
        key = (meta.get("property") or meta.get("name") or meta.get("itemprop") or "").strip().lower()
        if key and meta.get("content") and key not in metas:
            metas[key] = meta["content"].strip()
    linked = _linked_data(soup)
    page.title = metas.get("og:title") or metas.get("twitter:title") or linked.get("headline")
    page.published = next((metas[k] for k in _DATE_META if metas.get(k)), None) or linked.get("datePublished")
    if page.published is None:
        time = soup.find("time", attrs={"datetime": True})
        page.published = time["datetime"] if time else None
    canonical = soup.find("link", rel="canonical")
    page.url = metas.get("og:url") or (canonical.get("href") if canonical else None)
    page.author = metas.get("author") or metas.get("article:author")
    page.outlet = metas.get("source") or metas.get("contentsource")


def _linked_data(soup: BeautifulSoup) -> dict[str, str]:
    """headline and datePublished of the page's schema.org JSON-LD (NewsArticle), if any."""
    for script in soup.find_all("script", type="application/ld+json"):
        try:
            data = json.loads(script.string or "")
        except ValueError:
            continue
        for item in data if isinstance(data, list) else [data]:
            if isinstance(item, dict) and (item.get("datePublished") or item.get("headline")):
                return {key: item[key] for key in ("headline", "datePublished") if isinstance(item.get(key), str)}
    return {}


def _headline(soup: BeautifulSoup) -> str | None:
    """The heading that is the <title> without its site suffix, else the first <h1>.

    Many sites put their logo in an <h1> and the headline in an <h2>; the <title> repeats
    the headline (with the site name), so the heading that covers most of it is the headline.
    """
    heads = [(h.name, h.get_text(" ", strip=True)) for h in soup.find_all(["h1", "h2", "h3"])]
    heads = [(name, text) for name, text in heads if _has_han(text)]
    title = _title_tag(soup) or ""
    inside = [text for _, text in heads if text in title and len(text) >= TITLE_SHARE * len(title)]
    if inside:
        return max(inside, key=len)
    return next((text for name, text in heads if name == "h1"), None)


def _title_tag(soup: BeautifulSoup) -> str | None:
    return soup.title.get_text(" ", strip=True) if soup.title and _has_han(soup.title.get_text()) else None


def _has_han(text: str) -> bool:
    return any("\u4e00" <= c <= "\u9fff" for c in text)


def _is_furniture(tag: Tag) -> bool:
    words = set()
    for value in (tag.get("class") or []) + [tag.get("id") or ""]:
        words.update(w for w in re.split(r"[-_\s]+", value.lower()) if w)
    return bool(words & _furniture_words())


def _text_len(tag: Tag) -> int:
    """Characters of ``tag``'s text outside links."""
    text = len(_SPACES.sub("", tag.get_text()))
    links = sum(len(_SPACES.sub("", a.get_text())) for a in tag.find_all("a"))
    return text - links


def _container(root: Tag) -> Tag | None:
    """The element whose paragraphs hold the most non-link text (half of it counts for the grandparent)."""
    scores: dict[int, float] = defaultdict(float)
    tags: dict[int, Tag] = {}
    for p in root.find_all("p"):
        size = _text_len(p)
        parent = p.parent
        if not size or parent is None:
            continue
        for ancestor, weight in ((parent, 1.0), (parent.parent, 0.5)):
            if isinstance(ancestor, Tag) and not _is_furniture(ancestor):
                scores[id(ancestor)] += weight * size
                tags[id(ancestor)] = ancestor
    for block in root.find_all(["div", "td", "section", "article"]):  # pages that use <br> instead of <p>
        direct = sum(len(s.strip()) for s in block.find_all(string=True, recursive=False))
        if direct and not _is_furniture(block):
            scores[id(block)] += direct
            tags[id(block)] = block
    if not scores:
        return None
    best = max(scores, key=scores.get)
    return tags[best] if scores[best] >= MIN_CONTAINER_TEXT else None


def _block_lines(root: Tag, container: Tag | None) -> tuple[list[str], list[bool]]:
    """The text of ``root`` split at block elements and <br>; for each line, whether it is in ``container``."""
    lines: list[str] = []
    marks: list[bool] = []
    buffer: list[str] = []

    def flush(inside: bool) -> None:
        text = _SPACES.sub(" ", "".join(buffer)).strip()
        buffer.clear()
        if text:
            lines.append(text)
            marks.append(inside)

    def walk(node: Tag, inside: bool) -> None:
        for child in node.children:
            if isinstance(child, NavigableString):
                buffer.append(str(child))
            elif isinstance(child, Tag):
                if child.name == "br":
                    flush(inside)
                elif child.name in _BLOCK or child is container:
                    flush(inside)
                    walk(child, inside or child is container)
                    flush(inside or child is container)
                else:  # inline: its text runs on in the same line
                    walk(child, inside)

    walk(root, container is None)
    flush(container is None)
    return lines, marks
