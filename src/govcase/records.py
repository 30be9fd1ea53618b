"""Frozen records passed between the pipeline stages.

ingest -> RawDocument -> clean -> CleanArticle -> tag -> TaggedArticle -> load.
Every span (start, end) is a half-open offset into CleanArticle.body, so
``body[start:end] == text`` holds for every span the taggers return.
"""
from __future__ import annotations

import json
from dataclasses import dataclass, field

import orjson

STAGES = ("ingest", "clean", "tag", "load")  # an article goes through them in this order
# the search tokens' kinds: the columns of article_words, in this order (govcase.search)
TOKEN_KINDS = ("word", "measure", "mechanism", "place")
# Where a counted thing stands (outcomes.status), a closed set (docs/schema.md, govcase.statuses);
# migration 0006 writes the same list into the column's CHECK constraint (govcase.models).
OUTCOME_STAGES = ("planned", "started", "added", "completed", "in_use", "signed", "remaining", "total",
                  "reached", "done", "other")


@dataclass(frozen=True)
class RawDocument:
    """One input document as it arrived: the bytes are kept untouched."""

    source: str  # path or URL as given at ingest; its stem names the article
    data: bytes
    media_type: str  # "text" | "html"
    sha256: str
    encoding: str | None = None  # detected (or declared) encoding, None if undecidable
    # hints that came with the document (JSONL fields): url, title, published, outlet
    hints: tuple[tuple[str, str], ...] = ()

    def hint(self, key: str) -> str | None:
        return dict(self.hints).get(key)


@dataclass(frozen=True)
class CleanArticle:
    """What clean() makes of a RawDocument: the body an analyst would read."""

    body: str  # simplified Chinese, boilerplate removed, paragraphs joined by "\n"
    title: str | None = None
    published: str | None = None  # ISO 8601: "2023-10-17T11:05", "2023-10-17", "--12-16"
    published_precision: str | None = None  # "minute" | "day" | "month-day" | None
    outlet: str | None = None  # 来源
    author: str | None = None
    editor: str | None = None
    url: str | None = None
    script: str = "simplified"  # script of the *input*: simplified | traditional | mixed
    encoding: str | None = None  # the encoding the text was decoded with
    flags: tuple[str, ...] = ()  # e.g. "mojibake-repaired", "mojibake-unrepaired", "truncated"


@dataclass(frozen=True)
class Sentence:
    start: int
    end: int
    text: str


# The codebook's place levels, top down; estates and areas are both below communities.
PLACE_LEVELS = ("province", "city", "district", "street", "community", "estate", "area")
LEVEL_DEPTH = {"province": 0, "city": 1, "district": 2, "street": 3, "community": 4, "estate": 5, "area": 5}


@dataclass(frozen=True)
class Place:
    """A place the article names, resolved into its hierarchy.

    ``key`` identifies the place within one TaggedArticle (the chain of names
    from the top, e.g. "上海市/徐汇区/徐家汇街道"); ``parent`` is the key of the
    place directly above it, or None.
    """

    key: str
    name: str  # canonical full name (official where known)
    level: str  # province | city | district | street | community | estate | area
    parent: str | None = None
    code: str | None = None  # official division code where known
    aliases: tuple[str, ...] = ()


@dataclass(frozen=True)
class PlaceMention:
    place: str  # Place.key
    surface: str  # the form the article used
    start: int
    end: int


@dataclass(frozen=True)
class CodeMention:
    """A measure or mechanism from the codebook, found at a span."""

    kind: str  # "measure" | "mechanism"
    code: str
    surface: str
    start: int
    end: int
    pattern_id: str = ""  # the lexicon entry that matched


@dataclass(frozen=True)
class Quantity:
    """A number as written with its unit, before it is judged an outcome."""

    value: float
    unit: str  # measure word as written ("个", "平方米", "%"); 成 is folded into %
    unit_class: str  # count | households | people | area | length | money | share | time | other
    approx: str | None  # 余, 多, 近 ... or None
    surface: str  # the text as written, e.g. "100余个"
    start: int
    end: int


@dataclass(frozen=True)
class Outcome:
    value: float
    unit: str
    unit_class: str
    approx: str | None
    surface: str  # number (with qualifier and unit) as written
    start: int
    end: int
    metric: str | None = None  # what is counted, in the article's words
    status: str | None = None  # 新增, 完成, 签约, 投入使用, 剩余 ...
    place: str | None = None  # Place.key
    measure: str | None = None  # measure code in the same clause
    project: str | None = None  # Project.name


@dataclass(frozen=True)
class Project:
    name: str
    start: int
    end: int
    place: str | None = None  # Place.key
    measures: tuple[str, ...] = ()


@dataclass(frozen=True)
class TaggedArticle:
    places: tuple[Place, ...] = ()
    place_mentions: tuple[PlaceMention, ...] = ()
    measures: tuple[CodeMention, ...] = ()
    mechanisms: tuple[CodeMention, ...] = ()
    outcomes: tuple[Outcome, ...] = ()
    projects: tuple[Project, ...] = ()
    sentences: tuple[Sentence, ...] = field(default=(), repr=False)


# --- staging: a TaggedArticle as JSON (tag writes it, load reads it) -------------

_TAGGED_PARTS = {
    "places": Place,
    "place_mentions": PlaceMention,
    "measures": CodeMention,
    "mechanisms": CodeMention,
    "outcomes": Outcome,
    "projects": Project,
    "sentences": Sentence,
}


def tagged_to_json(tagged: TaggedArticle) -> str:
    """The staged form of a tag result (sentences left out: load splits the body again).

    Each record's own ``__dict__``, which holds its fields and nothing else (the records are
    frozen), rather than ``dataclasses.asdict``, whose deep copies cost more than tagging a
    short article; every field is a scalar or a tuple of strings. orjson writes it, keys
    sorted, in a sixth of the json module's time (compact: no spaces after separators).
    """
    return orjson.dumps({name: [vars(item) for item in getattr(tagged, name)] for name in _STAGED_PARTS},
                        option=orjson.OPT_SORT_KEYS).decode()


_STAGED_PARTS = tuple(name for name in _TAGGED_PARTS if name != "sentences")


def tagged_from_json(payload: str) -> TaggedArticle:
    data = json.loads(payload)
    parts = {}
    for name, cls in _TAGGED_PARTS.items():
        parts[name] = tuple(cls(**{k: tuple(v) if isinstance(v, list) else v for k, v in item.items()})
                            for item in data.get(name, ()))
    return TaggedArticle(**parts)
