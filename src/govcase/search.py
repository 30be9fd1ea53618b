"""Search articles for a Chinese term of any length, on SQLite and PostgreSQL.

A trigram full-text index cannot find two-character words (电梯, 停车), so load
writes a token table: jieba's words of the title and of the evidence sentences
(the sentences that hold facts), plus lexicon hits (the surfaces of measure and
mechanism mentions, place mentions and canonical place names). A term that is
a token is looked up there (an index hit); any other string falls back to LIKE
on the evidence sentences and titles.

jieba runs only over titles and evidence sentences, without its HMM for unknown
words (``HMM=False``), because ingest must stay fast (issue 7): see
benchmarks/tokens.py for the cost in characters per second.
"""
from __future__ import annotations

import re
from dataclasses import dataclass
from typing import Iterable

from sqlalchemy import Engine, null, select
from sqlalchemy.orm import Session

from govcase import models as m
from govcase.errors import GovcaseError

# A token worth storing has a letter, digit or CJK character; a single character is
# found by the LIKE fallback, so single-character jieba words are not stored.
_WORDY = re.compile(r"[\w\u3400-\u9fff]")
MAX_TOKEN = 128  # tokens.token is String(128)

_jieba = None


def _tokenizer():
    """jieba's default tokenizer, imported on first use (loading its dictionary takes ~0.7 s)."""
    global _jieba
    if _jieba is None:
        import logging

        import jieba
        jieba.setLogLevel(logging.WARNING)
        _jieba = jieba.dt
    return _jieba


def words(text: str) -> list[str]:
    """jieba's words of ``text`` in search mode (long words also as their dictionary parts:
    停车难 gives 停车 and 停车难), two characters or more, in order of first appearance."""
    out = _tokenizer().lcut_for_search(text, HMM=False)
    return list(dict.fromkeys(w for w in out if len(w) >= 2 and _WORDY.search(w)))


@dataclass(frozen=True)
class TokenRow:
    evidence: int | None  # index into the plan's evidence; None: the title
    token: str
    kind: str  # word | measure | mechanism | place


def token_rows(title: str | None, sentences: Iterable[str],
               hits: Iterable[tuple[int, str, str]]) -> list[TokenRow]:
    """The token rows of one article (pure): jieba words of the title and of each evidence
    sentence, and ``hits`` (evidence index, surface, kind) from the lexicons and gazetteer.
    Each (evidence, token, kind) once."""
    rows: dict[tuple[int | None, str, str], None] = {}
    for word in words(title) if title else ():
        rows[(None, word, "word")] = None
    for i, sentence in enumerate(sentences):
        for word in words(sentence):
            rows[(i, word, "word")] = None
    for i, surface, kind in hits:
        if surface and len(surface) <= MAX_TOKEN:
            rows[(i, surface, kind)] = None
    return [TokenRow(ev, token[:MAX_TOKEN], kind) for ev, token, kind in rows]


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
    with Session(engine) as session:
        is_token = not substring and session.scalar(
            select(m.Token.id).where(m.Token.token == term).limit(1)) is not None
        if is_token:
            matched = (select(m.Token.article_id, m.Token.evidence_id).where(m.Token.token == term)
                       .distinct().subquery())
            rows = session.execute(
                select(*article, *sentence).select_from(matched)
                .join(m.Article, m.Article.id == matched.c.article_id)
                .join(m.Source, m.Source.id == m.Article.source_id)
                .outerjoin(m.Evidence, m.Evidence.id == matched.c.evidence_id)).all()
        else:
            pattern = _like_pattern(term)
            rows = session.execute(
                select(*article, *sentence).join(m.Source, m.Source.id == m.Article.source_id)
                .join(m.Evidence, m.Evidence.article_id == m.Article.id)
                .where(m.Evidence.text.like(pattern, escape="\\"))).all()
            rows += session.execute(
                select(*article, null(), null(), null()).join(m.Source, m.Source.id == m.Article.source_id)
                .where(m.Article.title.like(pattern, escape="\\"))).all()
    hits = sorted(rows, key=lambda r: (r[1], r[0], -1 if r[4] is None else r[6]))
    return SearchResult(term, "tokens" if is_token else "like", tuple(
        Hit(aid, label, title, ev_id, (title or "") if ev_id is None else text, dup is None)
        for aid, label, title, dup, ev_id, text, _start in hits))
