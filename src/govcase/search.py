"""Search articles for a Chinese term of any length, on SQLite and PostgreSQL.

A trigram full-text index cannot find two-character words (电梯, 停车), so load
writes a token table: for each article, every word of jieba's dictionary (two
characters or more) that its title or evidence sentences contain, plus lexicon
hits (the surfaces of measure, mechanism and place mentions and canonical place
names). A term that is a token is looked up there (an index hit) and the
sentences are then found by LIKE within those articles; any other string is
found by LIKE on all evidence sentences and titles.

The words are found by Aho-Corasick matching against the dictionary, not by
segmenting: every dictionary word the text contains is a token, so a token
lookup finds exactly what LIKE finds, and it costs a fraction of a segmentation
(issue 7; benchmarks/tokens.py).
"""
from __future__ import annotations

from dataclasses import dataclass
from typing import Iterable

from sqlalchemy import Engine, null, select
from sqlalchemy.orm import Session

from govcase import models as m
from govcase.dictionary import MAX_TOKEN, search_words
from govcase.errors import GovcaseError

def token_rows(title: str | None, sentences: Iterable[str],
               hits: Iterable[tuple[str, str]]) -> tuple[tuple[str, str], ...]:
    """The (token, kind) rows of one article (pure): kind "word" for the dictionary words in its
    title and evidence sentences, and ``hits`` (surface, kind: measure, mechanism or place) from
    the lexicons and gazetteer. Each once. Plain tuples: a load plan crosses from a worker
    process to the writer, and thousands of small objects would cost more to unpickle than
    to write."""
    text = "\n".join([title or "", *sentences])  # no dictionary word spans a line break
    rows = dict.fromkeys((word, "word") for word in search_words(text))
    rows.update(((surface, kind), None) for surface, kind in hits if surface and len(surface) <= MAX_TOKEN)
    return tuple(rows)


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


def search(engine: Engine, term: str, substring: bool = False) -> SearchResult:
    """Articles and evidence sentences that contain ``term``: through the token table when the
    term is a stored token, else (or with ``substring``) by LIKE on evidence and titles.
    Titles come first, then sentences in body order, articles by source."""
    term = term.strip()
    if not term:
        raise EmptyTerm("give a term to search for, e.g. govcase search 电梯")
    article = (m.Article.id, m.Source.label, m.Article.title, m.Article.duplicate_of_id)
    sentence = (m.Evidence.id, m.Evidence.text, m.Evidence.char_start)
    pattern = _like_pattern(term)
    with Session(engine) as session:
        is_token = not substring and session.scalar(
            select(m.Token.article_id).where(m.Token.token == term).limit(1)) is not None
        evidence = (select(*article, *sentence).join(m.Source, m.Source.id == m.Article.source_id)
                    .join(m.Evidence, m.Evidence.article_id == m.Article.id)
                    .where(m.Evidence.text.like(pattern, escape="\\")))
        titles = (select(*article, null(), null(), null()).join(m.Source, m.Source.id == m.Article.source_id)
                  .where(m.Article.title.like(pattern, escape="\\")))
        if is_token:  # the index gives the articles; LIKE the sentences within them
            having = select(m.Token.article_id).where(m.Token.token == term).distinct()
            evidence = evidence.where(m.Article.id.in_(having))
            titles = titles.where(m.Article.id.in_(having))
        rows = session.execute(evidence).all() + session.execute(titles).all()
    hits = sorted(rows, key=lambda r: (r[1], r[0], -1 if r[4] is None else r[6]))
    return SearchResult(term, "tokens" if is_token else "like", tuple(
        Hit(aid, label, title, ev_id, (title or "") if ev_id is None else text, dup is None)
        for aid, label, title, dup, ev_id, text, _start in hits))
