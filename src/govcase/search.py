"""Search every article's title and whole body for terms of any length, simplified or
traditional, on SQLite and PostgreSQL; and the search words load writes for analysts' SQL.

``search`` finds the articles whose title or body contains every term (a quoted phrase is
one term), each term converted to simplified script as the bodies were (OpenCC t2s, by the
cleaner's own converter), by a plain substring test in the database (``instr`` / ``strpos``:
no wildcards, no case folding, so it finds exactly what a substring scan finds, two-character
words included). Issue 18: the token index below covers titles and the sentences that hold a
fact only, so a search through it missed words said elsewhere in a body (出租率); a scan of
20,000 bodies takes well under a second (benchmarks/views.py).

Load also writes each article's search tokens (``article_words``): every word of jieba's
dictionary (two characters or more) that its title or evidence sentences contain, plus
lexicon hits (the surfaces of measure, mechanism and place mentions and canonical place
names), indexed (FTS5 on SQLite, GIN on PostgreSQL) for the documented token query.

The words are found by Aho-Corasick matching against the dictionary, not by
segmenting: every dictionary word the text contains is a token, so a token
lookup finds exactly what LIKE finds, and it costs a fraction of a segmentation
(issue 7; benchmarks/tokens.py).
"""
from __future__ import annotations

import re
from dataclasses import dataclass
from typing import Iterable, Sequence

from govcase.dictionary import MAX_TOKEN, search_words
from govcase.cleaning.script import to_simplified
from govcase.errors import GovcaseError
from govcase.records import TOKEN_KINDS
from govcase.text import split_sentences

KINDS = TOKEN_KINDS
# how an article_words column on SQLite joins its tokens; no token holds a line break (the
# dictionary words of lines joined by one, and the lexicon hits inside a sentence)
SEPARATOR = "\n"


def token_columns(title: str | None, sentences: Iterable[str],
                  hits: Iterable[tuple[str, str]]) -> tuple[str, ...]:
    """An article's search tokens as its ``article_words`` row holds them (pure): for each of
    ``KINDS``, the tokens joined by ``SEPARATOR``, each once. Kind "word" is the dictionary
    words in its title and evidence sentences; ``hits`` (surface, kind: measure, mechanism or
    place) come from the lexicons and gazetteer. Four strings: a load plan crosses from a
    worker process to the writer, and hundreds of small strings would cost more to unpickle
    than to write."""
    lines = "\n".join([title or "", *sentences])  # no dictionary word spans a line break
    columns: dict[str, dict[str, None]] = {kind: {} for kind in KINDS[1:]}
    for surface, kind in hits:
        if surface and len(surface) <= MAX_TOKEN:
            columns[kind][surface] = None
    return (SEPARATOR.join(search_words(lines)), *(SEPARATOR.join(columns[kind]) for kind in KINDS[1:]))


def token_rows(title: str | None, sentences: Iterable[str],
               hits: Iterable[tuple[str, str]]) -> tuple[tuple[str, str], ...]:
    """The same tokens as (token, kind) rows, each once."""
    return tuple((token, kind) for kind, column in zip(KINDS, token_columns(title, sentences, hits))
                 for token in column.split(SEPARATOR) if token)


def write_tokens(conn, rows: Sequence[tuple]) -> None:
    """Insert ``article_words`` rows (article id, *token_columns): on PostgreSQL as arrays; on
    SQLite into the FTS5 index too, by the same rows (a trigger doing it made the index 2.5
    times as costly to write: FTS5 flushed its buffer after every row; migration 0005)."""
    if not rows:
        return
    from govcase import models as m  # here: the workers that compute tokens do without SQLAlchemy
    from govcase.db import bulk_insert

    columns = ("article_id", *KINDS)
    driver = conn.connection.driver_connection
    if conn.dialect.name == "postgresql":
        # the joined strings travel and the server splits them: psycopg quoting each of the
        # ~300 words of an article into an array literal cost more than the rest of the row
        split = ", ".join(f"string_to_array(v.{kind}, %s)" for kind in KINDS)  # '' gives {}
        with driver.cursor() as cursor:
            cursor.execute(f"INSERT INTO article_words ({', '.join(columns)}) "
                           f"SELECT v.article_id, {split} FROM unnest(%s::integer[], "
                           f"{', '.join(['%s::text[]'] * len(KINDS))}) AS v({', '.join(columns)})",
                           [*[SEPARATOR] * len(KINDS), *map(list, zip(*rows))])
        return
    bulk_insert(conn, m.ArticleWords, rows, columns)
    driver.executemany(f"INSERT INTO article_words_fts (rowid, {', '.join(KINDS)}) VALUES (?, ?, ?, ?, ?)", rows)


class EmptyTerm(GovcaseError):
    pass


# --- search ---------------------------------------------------------------------------

# a phrase in straight or Chinese double quotes (its spaces kept), or a run without spaces
_TERM = re.compile(r'"([^"]*)"|“([^”]*)”|「([^」]*)」|(\S+)')
DEFAULT_LIMIT = 20


def parse_terms(query: str | Sequence[str]) -> tuple[str, ...]:
    """The terms of a query: words separated by spaces, a quoted phrase as one term (pure).
    Several arguments are joined by spaces first (``govcase search 电梯 "加装 电梯"``)."""
    text = query if isinstance(query, str) else " ".join(query)
    terms = [next(g for g in m.groups() if g is not None) for m in _TERM.finditer(text)]
    return tuple(dict.fromkeys(t for t in terms if t.strip()))


def spellings(term: str) -> tuple[str, ...]:
    """The term as given and in simplified script, the script of every stored body (pure)."""
    return tuple(dict.fromkeys((to_simplified(term, "traditional"), term)))


@dataclass(frozen=True)
class Hit:
    article_id: int
    source: str
    title: str | None
    start: int | None  # the sentence's offset in the body; None: the title
    text: str  # the sentence, or the title
    is_canonical: bool


@dataclass(frozen=True)
class SearchResult:
    terms: tuple[str, ...]  # as searched: simplified
    total: int  # articles that match, before --limit
    hits: tuple[Hit, ...]

    @property
    def articles(self) -> list[int]:
        return list(dict.fromkeys(h.article_id for h in self.hits))


def _contains(dialect: str, column, needle: str):
    from sqlalchemy import func

    """``column`` contains ``needle`` as a plain substring (no LIKE wildcards, case counts)."""
    position = func.strpos(column, needle) if dialect == "postgresql" else func.instr(column, needle)
    return func.coalesce(position, 0) > 0


def search(engine: Engine, query: str | Sequence[str], limit: int | None = DEFAULT_LIMIT) -> SearchResult:
    """Articles whose title or body contains every term of ``query`` (any spelling of each),
    by source; for each, the title and the body sentences that contain a term. ``limit``:
    at most that many articles (None or 0: all)."""
    from sqlalchemy import and_, func, or_, select
    from sqlalchemy.orm import Session

    from govcase import models as m

    terms = parse_terms(query)
    if not terms:
        raise EmptyTerm("give a term to search for, e.g. govcase search 电梯 (several terms: all must be there; "
                        "\"a phrase\" in quotes)")
    dialect = engine.dialect.name
    needles = {term: spellings(term) for term in terms}
    every = and_(*(or_(*(_contains(dialect, column, s) for s in forms for column in (m.Article.title, m.Article.body)))
                   for forms in needles.values()))
    found = (select(m.Article.id, m.Source.label, m.Article.title, m.Article.body, m.Article.duplicate_of_id)
             .join(m.Source, m.Source.id == m.Article.source_id).where(every).order_by(m.Source.label, m.Article.id))
    with Session(engine) as session:
        total = session.scalar(select(func.count()).select_from(found.order_by(None).subquery()))
        rows = session.execute(found.limit(limit) if limit else found).all()
    forms = [s for spelled in needles.values() for s in spelled]
    hits = []
    for article_id, label, title, body, duplicate_of in rows:
        canonical = duplicate_of is None
        if title and any(s in title for s in forms):
            hits.append(Hit(article_id, label, title, None, title, canonical))
        hits += [Hit(article_id, label, title, sentence.start, sentence.text, canonical)
                 for sentence in split_sentences(body or "") if any(s in sentence.text for s in forms)]
    return SearchResult(tuple(needles[t][0] for t in terms), total, tuple(hits))
