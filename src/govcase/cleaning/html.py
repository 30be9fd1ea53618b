"""An HTML page as lines of text, with its article container and metadata (pure).

The article is the element whose paragraphs hold the most text that is not
link text (a <div> per paragraph counts for its parent; on a page of posts,
the first post); everything outside it is header or footer. The page's own
labels are kept for the headline evidence (og:title, the <title>, <h1>-<h3>:
cleaning.headline weighs them), and its dates (article:published_time, <time>).
"""
from __future__ import annotations

import json
import re
from collections import defaultdict
from dataclasses import dataclass, field
from functools import lru_cache
from typing import Callable

from govcase.cleaning.resources import cues
from govcase.lazyimport import import_without


# bs4 without soupsieve, which it imports for CSS selectors (``select``), unused here: soupsieve
# compiles its regular expressions at import, which doubled bs4's import (0.072-0.081 s of CPU
# against 0.036-0.043 s without it) in every process that reads a page
_bs4 = import_without("bs4", "soupsieve", warning="The soupsieve package is not installed")
BeautifulSoup, Comment, NavigableString, PageElement, Tag = (
    _bs4.BeautifulSoup, _bs4.Comment, _bs4.NavigableString, _bs4.PageElement, _bs4.Tag)

_JUNK_TAGS = {"script", "style", "noscript", "template", "iframe", "svg", "canvas", "select", "button", "input",
              "textarea", "object", "embed", "video", "audio", "map"}
_HEADINGS = {"h1", "h2", "h3"}
_TEXT_BLOCKS = {"div", "td", "section", "article"}  # elements whose own text, between <br>s, may be the article
# inside the article container these are furniture; <header> and <footer> there hold its headline,
# date and signature, which the line kinds sort out
_FURNITURE_TAGS = {"nav", "aside", "form"}
_BLOCK = {"p", "div", "section", "article", "main", "h1", "h2", "h3", "h4", "h5", "h6", "li", "ul", "ol", "dl", "dt",
          "dd", "table", "thead", "tbody", "tr", "td", "th", "blockquote", "pre", "figure", "figcaption", "center",
          "header", "footer", "nav", "aside", "form", "hr", "address", "fieldset", "caption", "title"}
_DATE_META = ("article:published_time", "og:release_date", "pubdate", "publishdate", "publish_date", "publish_time",
              "publishtime", "pubtime", "datepublished", "dc.date", "dc.date.issued", "date", "og:updated_time")
_SPACES = re.compile(r"\s+")
# what _SPACES.sub(" ", ...) changes: runs of spaces and single spaces other than " " (begins with \s:
# re skips to a space in one scan, and leaves the single spaces between words alone)
_SPACE_RUNS = re.compile(r"\s(?:\s+|(?<=[^ ]))")
TITLE_SHARE = 0.5  # a heading this much of the <title> is its headline part (the rest is the site's name)
BLOCK_PARENT = 0.75  # share of a text block's own text that counts for its parent
MIN_CONTAINER_TEXT = 50
POST_SHARE = 0.2  # a post of a page of posts holds at least this share of the longest one's text  # characters of paragraph text below which no element is an article container


@dataclass
class HtmlPage:
    lines: list[str] = field(default_factory=list)  # the text of the page, one block per line
    body_start: int = 0  # lines[body_start:body_end] are the article container's
    body_end: int = 0
    has_container: bool = False  # False: no element held enough paragraph text; lines are the whole page
    title: str | None = None
    doc_title: str | None = None  # the <title>, site name and all
    meta_title: str | None = None  # og:title or the JSON-LD headline
    headings: list[str] = field(default_factory=list)  # <h1>-<h3> with Chinese in them
    heading_in_title: bool = False  # a heading makes up most of the <title>: the headline, no need to weigh lines
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
    _read_head(_tags(soup), page)
    _prune(soup, _is_junk)
    tags = _tags(soup)
    title = _title_text(next((tag for tag in tags if tag.name == "title"), None))
    heads = [tag for tag in tags if tag.name in _HEADINGS]
    page.doc_title, page.meta_title = title, page.title
    page.headings = [text for text in (h.get_text(" ", strip=True) for h in heads) if _has_han(text)]
    page.heading_in_title = _heading_in_title(page.headings, title) is not None
    page.title = page.title or _headline(heads, title) or title
    root = next((tag for tag in tags if tag.name == "body"), soup)
    container = _container(root)
    page.has_container = container is not None
    if container is not None:
        _prune(container, _is_container_furniture)
    lines, marks = _block_lines(root, container)
    inside = [i for i, mark in enumerate(marks) if mark]
    page.lines = lines
    page.body_start, page.body_end = (inside[0], inside[-1] + 1) if inside else (0, len(lines))
    return page


def _tags(root: Tag) -> list[Tag]:
    """The tags below ``root`` in document order (what find_all(True) returns).

    One walk, filtered by name where needed: a find_all per name costs a walk
    and a matcher each, and those took half the time of parsing a page.
    """
    return [node for node in root.descendants if isinstance(node, Tag)]


def _prune(root: Tag, unwanted: Callable[[PageElement], bool]) -> None:
    """Take every ``unwanted`` node below ``root`` out of the tree, with what it holds."""
    stack = [root]
    while stack:
        for child in list(stack.pop().contents):
            if unwanted(child):
                child.extract() if isinstance(child, NavigableString) else child.decompose()
            elif isinstance(child, Tag):
                stack.append(child)


def _is_junk(node: PageElement) -> bool:
    """Comments, and elements that hold no text a reader sees (scripts, styles, widgets)."""
    return isinstance(node, Comment) or (isinstance(node, Tag) and node.name in _JUNK_TAGS)


def _is_container_furniture(node: PageElement) -> bool:
    return isinstance(node, Tag) and (node.name in _FURNITURE_TAGS or _is_furniture(node))


def _read_head(tags: list[Tag], page: HtmlPage) -> None:
    metas = {}
    for meta in (tag for tag in tags if tag.name == "meta"):
        key = (meta.get("property") or meta.get("name") or meta.get("itemprop") or "").strip().lower()
        if key and meta.get("content") and key not in metas:
            metas[key] = meta["content"].strip()
    linked = _linked_data([t for t in tags if t.name == "script" and _has_value(t, "type", "application/ld+json")])
    page.title = metas.get("og:title") or metas.get("twitter:title") or linked.get("headline")
    page.published = next((metas[k] for k in _DATE_META if metas.get(k)), None) or linked.get("datePublished")
    if page.published is None:
        time = next((tag for tag in tags if tag.name == "time" and tag.get("datetime") is not None), None)
        page.published = time["datetime"] if time else None
    canonical = next((tag for tag in tags if tag.name == "link" and _has_value(tag, "rel", "canonical")), None)
    page.url = metas.get("og:url") or (canonical.get("href") if canonical else None)
    page.author = metas.get("author") or metas.get("article:author")
    page.outlet = metas.get("source") or metas.get("contentsource")


def _has_value(tag: Tag, attribute: str, value: str) -> bool:
    """``tag``'s attribute is ``value``, or one of its values (rel="canonical alternate")."""
    found = tag.get(attribute)
    return value in found if isinstance(found, list) else found == value


def _linked_data(scripts: list[Tag]) -> dict[str, str]:
    """headline and datePublished of the page's schema.org JSON-LD (NewsArticle), if any."""
    for script in scripts:
        try:
            data = json.loads(script.string or "")
        except ValueError:
            continue
        for item in data if isinstance(data, list) else [data]:
            if isinstance(item, dict) and (item.get("datePublished") or item.get("headline")):
                return {key: item[key] for key in ("headline", "datePublished") if isinstance(item.get(key), str)}
    return {}


def _headline(heads: list[Tag], title: str | None) -> str | None:
    """The heading (<h1> to <h3>) that is the <title> without its site suffix, else the first <h1>.

    Many sites put their logo in an <h1> and the headline in an <h2>; the <title> repeats
    the headline (with the site name), so the heading that covers most of it is the headline.
    """
    texts = [(h.name, h.get_text(" ", strip=True)) for h in heads]
    texts = [(name, text) for name, text in texts if _has_han(text)]
    return _heading_in_title([text for _, text in texts], title) or \
        next((text for name, text in texts if name == "h1"), None)


def _heading_in_title(headings: list[str], title: str | None) -> str | None:
    """The heading that makes up most of the <title>: two labels of the page agree on the headline."""
    title = title or ""
    inside = [text for text in headings if text in title and len(text) >= TITLE_SHARE * len(title)]
    return max(inside, key=len) if inside else None


def _title_text(title: Tag | None) -> str | None:
    """The text of the page's <title>, if it has Chinese in it."""
    text = title.get_text(" ", strip=True) if title else ""
    return text if _has_han(text) else None


def _has_han(text: str) -> bool:
    return any("\u4e00" <= c <= "\u9fff" for c in text)


def _is_furniture(tag: Tag) -> bool:
    return _furniture_names(tuple(tag.get("class") or ()) + (tag.get("id") or "",))


_NAME_WORDS = re.compile(r"[-_\s]+")


@lru_cache(maxsize=4096)  # a site gives its elements the same few classes on every page
def _furniture_names(names: tuple[str, ...]) -> bool:
    """A class or id of the element (main-nav, side_bar) has a furniture word in it."""
    words = set()
    for value in names:
        words.update(w for w in _NAME_WORDS.split(value.lower()) if w)
    return bool(words & _furniture_words())


def _text_len(tag: Tag) -> int:
    """Characters of ``tag``'s text outside links."""
    text = len(_SPACES.sub("", tag.get_text()))
    links = sum(len(_SPACES.sub("", a.get_text())) for a in _tags(tag) if a.name == "a")
    return text - links


def _container(root: Tag) -> Tag | None:
    """The element whose paragraphs hold the most non-link text (half of it counts for the grandparent)."""
    scores: dict[int, float] = defaultdict(float)
    tags: dict[int, Tag] = {}
    below = _tags(root)
    for p in (tag for tag in below if tag.name == "p"):
        size = _text_len(p)
        parent = p.parent
        if not size or parent is None:
            continue
        for ancestor, weight in ((parent, 1.0), (parent.parent, 0.5)):
            if isinstance(ancestor, Tag) and not _is_furniture(ancestor):
                scores[id(ancestor)] += weight * size
                tags[id(ancestor)] = ancestor
    for block in (tag for tag in below if tag.name in _TEXT_BLOCKS):  # pages that use <br> instead of <p>
        direct = sum(len(s.strip()) for s in block.contents if isinstance(s, NavigableString))
        if not direct or _is_furniture(block):
            continue
        # a <div> per paragraph (government pages): their parent holds the article, and
        # outweighs any one of them once it holds two
        for ancestor, weight in ((block, 1.0), (block.parent, BLOCK_PARENT)):
            if isinstance(ancestor, Tag) and not _is_furniture(ancestor):
                scores[id(ancestor)] += weight * direct
                tags[id(ancestor)] = ancestor
    if not scores:
        return None
    best = max(scores, key=scores.get)
    return _first_post(tags[best], below) if scores[best] >= MIN_CONTAINER_TEXT else None


def _first_post(best: Tag, below: list[Tag]) -> Tag:
    """On a page of posts (a blog archive, a forum thread) the first post, not the longest.

    Posts repeat one element (same tag and class) under different parents, each with
    text of its own; the parts of one article share a parent instead.
    """
    if not best.get("class"):
        return best
    shape = _shape(best)
    alike = [tag for tag in below if tag.name == best.name and tag.get("class") == best.get("class")
             and _shape(tag) == shape]
    if len(alike) < 2:
        return best
    floor = max(MIN_CONTAINER_TEXT, POST_SHARE * _text_len(best))
    posts = [tag for tag in alike if _text_len(tag) >= floor]
    if len({id(tag.parent) for tag in posts}) < len(posts):
        return best
    return posts[0] if posts else best


def _shape(tag: Tag) -> tuple:
    """Tag and class of an element, its parent and grandparent: what the posts of a page share."""
    out = []
    for _ in range(3):
        out.append((tag.name, tuple(tag.get("class") or ())))
        tag = tag.parent
        if not isinstance(tag, Tag):
            break
    return tuple(out)


def _block_lines(root: Tag, container: Tag | None) -> tuple[list[str], list[bool]]:
    """The text of ``root`` split at block elements and <br>; for each line, whether it is in ``container``."""
    lines: list[str] = []
    marks: list[bool] = []
    buffer: list[str] = []

    def flush(inside: bool) -> None:
        text = _SPACE_RUNS.sub(" ", "".join(buffer)).strip()
        buffer.clear()
        if text:
            lines.append(text)
            marks.append(inside)

    def walk(node: Tag, inside: bool) -> None:
        for child in node.contents:
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
