"""Write a batch of stage results: articles, signatures and clusters, tag results, facts.

Every table gets a few set-based statements per batch (one multi-row INSERT, one
UPDATE with many parameter sets, one DELETE ... IN), whatever the batch size,
so writing keeps up with the workers. The caller owns the transaction; run
inside one, a batch is all-or-nothing, and an article's body, tag result and
facts always change together.
"""
from __future__ import annotations

from collections import Counter
from dataclasses import dataclass
from datetime import datetime
from typing import Sequence

from sqlalchemy import delete, insert, select
from sqlalchemy.orm import Session

from govcase import models as m
from govcase.db import bulk_insert, update_rows
from govcase.clusters import store_and_queue
from govcase.load import apply_plans, delete_facts, plan_rows
from govcase.records import CleanArticle, tagged_from_json
from govcase.work import Result


@dataclass(frozen=True)
class Versions:
    clean: str
    tag: str
    run_id: int
    at: datetime


def _article_values(art: CleanArticle, versions: Versions) -> dict:
    return {"title": art.title, "published": art.published, "published_precision": art.published_precision,
            "outlet": art.outlet, "author": art.author, "editor": art.editor, "url": art.url,
            "body": art.body, "script": art.script, "encoding": art.encoding,
            "flags": " ".join(art.flags) or None, "clean_version": versions.clean,
            "tag_version": None, "load_version": None, "cleaned_at": versions.at, "run_id": versions.run_id}


def write_results(session: Session, results: Sequence[Result], versions: Versions,
                  place_cache: dict[str, int]) -> Counter:
    """Write what the stages made of each result's source; returns counts of what was done.

    Failures are not recorded here (the caller records rejects); a result whose tag
    failed still has its clean article written.
    """
    conn = session.connection()
    done: Counter = Counter()
    existing = dict(conn.execute(select(m.Article.source_id, m.Article.id).where(
        m.Article.source_id.in_([r.task.source_id for r in results]))).all())
    article_of = {r.task.source_id: existing.get(r.task.source_id, r.task.article_id) for r in results}

    # clean: the article row, its signature and its cluster; old facts of a re-cleaned body go
    cleaned = [r for r in results if r.article is not None]
    renewed = [existing[r.task.source_id] for r in cleaned if r.task.source_id in existing]
    if renewed:
        delete_facts(session, renewed)  # their offsets point into the old body
        conn.execute(delete(m.TagResult).where(m.TagResult.article_id.in_(renewed)))
        columns = tuple(_article_values(cleaned[0].article, versions))
        update_rows(conn, m.Article, columns, [
            (existing[r.task.source_id], *_article_values(r.article, versions).values())
            for r in cleaned if r.task.source_id in existing])
    new = [r for r in cleaned if r.task.source_id not in existing]
    factless = set(renewed)  # articles with no facts left to delete before loading
    if new:
        ids = conn.execute(insert(m.Article).returning(m.Article.id, sort_by_parameter_order=True), [
            {"source_id": r.task.source_id, **_article_values(r.article, versions)} for r in new]).scalars()
        article_of.update({r.task.source_id: article_id for r, article_id in zip(new, ids)})
        factless.update(article_of[r.task.source_id] for r in new)
    if cleaned:
        signed = [(article_of[r.task.source_id], r.signature) for r in cleaned]
        store_and_queue(session, signed)  # their clusters are settled after (govcase.clusters)
        done["clean"] = len(cleaned)

    # tag: the staged result, replacing an older one
    tagged = [r for r in results if r.is_tagged and article_of.get(r.task.source_id)]
    if tagged:
        ids = [article_of[r.task.source_id] for r in tagged]
        conn.execute(delete(m.TagResult).where(m.TagResult.article_id.in_(ids)))
        bulk_insert(conn, m.TagResult, [(article_of[r.task.source_id], versions.tag, r.payload, versions.at,
                                         versions.run_id) for r in tagged],
                    ("article_id", "tag_version", "payload", "tagged_at", "run_id"))
        done["tag"] = len(tagged)

    # load: facts from this run's tag result, or from the staged one
    state = {article_of[r.task.source_id]: (versions.tag if r.is_tagged else None, None)
             for r in cleaned + tagged}
    loading = [r for r in results if "load" in r.task.stages and r.failure is None
               and article_of.get(r.task.source_id)]
    if loading:
        done["load"] = _load(session, loading, article_of, factless, versions, state, place_cache)
    if state:
        update_rows(conn, m.Article, ("tag_version", "load_version"),
                    [(a, t, ld) for a, (t, ld) in sorted(state.items())])
    _clear_rejects(session, results, done)
    return done


def _load(session: Session, loading: Sequence[Result], article_of: dict[int, int], factless: set[int],
          versions: Versions, state: dict[int, tuple[str | None, str | None]], place_cache: dict[str, int]) -> int:
    conn = session.connection()
    unplanned = [article_of[r.task.source_id] for r in loading if r.plan is None]
    staged = {row.id: row for row in conn.execute(
        select(m.Article.id, m.Article.body, m.Article.title, m.TagResult.tag_version, m.TagResult.payload)
        .outerjoin(m.TagResult, m.TagResult.article_id == m.Article.id).where(m.Article.id.in_(unplanned)))}
    plans = []
    for r in loading:
        article_id = article_of[r.task.source_id]
        if r.plan is not None:  # made by the worker from this run's tag result
            plans.append((article_id, r.plan))
            state[article_id] = (versions.tag, versions.tag)
            continue
        row = staged[article_id]
        if not r.is_tagged and row.payload is None:  # the tag result is gone: tag this article again
            state[article_id] = (None, None)
            continue
        tagged = tagged_from_json(r.payload if r.is_tagged else row.payload)
        art = r.article or r.task.article
        body, title = (art.body, art.title) if art is not None else (row.body, row.title)
        plans.append((article_id, plan_rows(body, tagged, title)))
        tag = versions.tag if r.is_tagged else row.tag_version
        state[article_id] = (tag, tag)
    if conn.dialect.name == "postgresql":
        _check_codes(conn, plans)
    delete_facts(session, [a for a, _ in plans if a not in factless])
    apply_plans(session, plans, place_cache)
    return len(plans)


class UnknownCode(ValueError):
    """A fact names a measure or mechanism code the codebook does not have."""


def _check_codes(conn, plans: Sequence[tuple[int, object]]) -> None:
    """Refuse codes missing from the codebook, as SQLite's foreign keys do: PostgreSQL no
    longer checks fact rows key by key (govcase.models.SQLITE_ONLY_KEYS)."""
    known = {"measure_code": set(conn.execute(select(m.Measure.code)).scalars()),
             "mechanism_code": set(conn.execute(select(m.Mechanism.code)).scalars())}
    for _, plan in plans:
        for fact in plan.facts:
            for column, codes in known.items():
                code = fact.values.get(column)
                if code is not None and code not in codes:
                    raise UnknownCode(f"{column} {code!r} is not in the codebook (seeds/codebook.yaml)")
            if any(code not in known["measure_code"] for code in fact.measures):
                raise UnknownCode(f"a project's measure is not in the codebook: {fact.measures}")


def _clear_rejects(session: Session, results: Sequence[Result], done: Counter) -> None:
    """An input that went through a stage is no longer rejected there."""
    conn = session.connection()
    for stage, ok in (("clean", lambda r: r.article is not None),
                      ("tag", lambda r: r.is_tagged),
                      ("load", lambda r: "load" in r.task.stages and r.failure is None)):
        labels = [r.task.label for r in results if ok(r)]
        if labels and done[stage]:
            conn.execute(delete(m.Reject).where(m.Reject.stage == stage, m.Reject.location.in_(labels)))
