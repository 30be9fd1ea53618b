"""Search articles for a Chinese term of any length, on SQLite and PostgreSQL.

A trigram full-text index cannot find two-character words (电梯, 停车), so load
writes each article's search tokens (``article_words``): every word of jieba's
dictionary (two characters or more) that its title or evidence sentences
contain, plus lexicon hits (the surfaces of measure, mechanism and place
mentions and canonical place names). A term that is a token is looked up in
their index (FTS5 on SQLite, GIN on PostgreSQL) and the sentences are then
found by LIKE within those articles; any other string is found by LIKE on all
evidence sentences and titles.

The words are found by Aho-Corasick matching against the dictionary, not by
segmenting: every dictionary word the text contains is a token, so a token
lookup finds exactly what LIKE finds, and it costs a fraction of a segmentation
(issue 7; benchmarks/tokens.py).
"""
from __future__ import annotations

from dataclasses import dataclass
from typing import Iterable, Sequence

from sqlalchemy import Engine, Integer, Text, any_, cast, func, literal, null, or_, select, text
from sqlalchemy.dialects import postgresql
from sqlalchemy.orm import Session

from govcase import models as m
from govcase.db import bulk_insert
from govcase.dictionary import MAX_TOKEN, search_words
from govcase.errors import GovcaseError

KINDS = m.TOKEN_KINDS
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


@dataclass(frozen=True)
class Hit:
    article_id: int
    source: str
    title: str | None
    evidence_id: int | None  # None: the term is in the title
    text: str  # the evidence sentence, or the title
    is_canonical: bool


@dataclass(frozen=True)
class SearchResult:
    term: str
    method: str  # "tokens" or "like"
    hits: tuple[Hit, ...]

    @property
    def articles(self) -> list[int]:
        return sorted({h.article_id for h in self.hits})


def _like_pattern(term: str) -> str:
    escaped = term.replace("\\", "\\\\").replace("%", "\\%").replace("_", "\\_")
    return f"%{escaped}%"


def _articles_with_token(dialect: str, term: str):
    """A select of the ids of the articles that have ``term`` as a token, of any kind, through
    the index; None when the index cannot look the term up (it is found by LIKE instead).

    SQLite's index (FTS5, migration 0005) holds each token as one word, A-Z folded to lower
    case, and splits only at control characters: a term with none is one word, quoted as an
    FTS5 string, so quotes, *, AND, parentheses, colons or ^ in it are plain characters. For a
    term with ASCII letters the stored lines are checked too, so that case counts, as it does
    in PostgreSQL's arrays (GIN indexes).
    """
    words = m.ArticleWords
    columns = [getattr(words, kind) for kind in KINDS]
    if dialect == "postgresql":
        token = cast(postgresql.array([term]), postgresql.ARRAY(Text))
        return select(words.article_id).where(or_(*(column.op("@>")(token) for column in columns)))
    if any(c < " " or c == "\x7f" for c in term):
        return None
    matching = text("SELECT rowid FROM article_words_fts WHERE article_words_fts MATCH :query").bindparams(
        query='"' + term.replace('"', '""') + '"').columns(rowid=Integer)
    if not any("A" <= c <= "Z" or "a" <= c <= "z" for c in term):
        return matching
    line = SEPARATOR + term + SEPARATOR
    return select(words.article_id).where(words.article_id.in_(matching), or_(
        *(func.instr(literal(SEPARATOR) + column + SEPARATOR, line) > 0 for column in columns)))


def search(engine: Engine, term: str, substring: bool = False) -> SearchResult:
    """Articles and evidence sentences that contain ``term``: through the token index when the
    term is a stored token, else (or with ``substring``) by LIKE on evidence and titles.
    Titles come first, then sentences in body order, articles by source."""
    term = term.strip()
    if not term:
        raise EmptyTerm("give a term to search for, e.g. govcase search 电梯")
    article = (m.Article.id, m.Source.label, m.Article.title, m.Article.duplicate_of_id)
    sentence = (m.Evidence.id, m.Evidence.text, m.Evidence.char_start)
    pattern = _like_pattern(term)
    having = None if substring else _articles_with_token(engine.dialect.name, term)
    with Session(engine) as session:
        # all of them, not LIMIT 1: with a limit PostgreSQL's planner reads every article's
        # arrays hoping for an early match, rather than ask the GIN index
        ids = session.scalars(having).all() if having is not None else []
        is_token = bool(ids)
        evidence = (select(*article, *sentence).join(m.Source, m.Source.id == m.Article.source_id)
                    .join(m.Evidence, m.Evidence.article_id == m.Article.id)
                    .where(m.Evidence.text.like(pattern, escape="\\")))
        titles = (select(*article, null(), null(), null()).join(m.Source, m.Source.id == m.Article.source_id)
                  .where(m.Article.title.like(pattern, escape="\\")))
        if is_token:  # the index gave the articles; LIKE the sentences within them
            # PostgreSQL gets their ids as one array: its planner, blind to the cost of reading
            # the arrays, would rather read every article's words again than ask the GIN index
            among = (m.Article.id == any_(literal(ids, postgresql.ARRAY(Integer)))
                     if engine.dialect.name == "postgresql" else m.Article.id.in_(having))
            evidence = evidence.where(among)
            titles = titles.where(among)
        rows = session.execute(evidence).all() + session.execute(titles).all()
    hits = sorted(rows, key=lambda r: (r[1], r[0], -1 if r[4] is None else r[6]))
    return SearchResult(term, "tokens" if is_token else "like", tuple(
        Hit(aid, label, title, ev_id, (title or "") if ev_id is None else text, dup is None)
        for aid, label, title, dup, ev_id, text, _start in hits))
