"""Load: plan the rows of one tagged article (pure), then apply them in one transaction.

Facts of an article are replaced as a whole: applying a plan deletes the
article's previous facts and inserts the new ones, so loading twice leaves
the same rows. Places are shared between articles and got-or-created on their
natural key (the chain of level:name from the top) under a unique constraint.

The planning half needs no database: SQLAlchemy and the models are imported by the
functions that write, so a process that only cleans and tags does without them.
"""
from __future__ import annotations

from dataclasses import dataclass, field, replace
from itertools import accumulate
from typing import Sequence

from govcase.records import Place, Sentence, TaggedArticle
from govcase.search import token_columns, write_tokens
from govcase.statuses import stage_of
from govcase.text import sentence_at, split_sentences


@dataclass(frozen=True)
class PlaceRow:
    key: str  # natural key: "district:徐汇区/street:徐家汇街道"
    name: str
    level: str
    parent_key: str | None
    code: str | None
    aliases: tuple[str, ...] = ()


@dataclass(frozen=True)
class FactRow:
    """One fact to insert: its table, its column values, and the sentence that supports it."""

    table: str
    values: dict
    evidence: int  # index into LoadPlan.evidence
    place_key: str | None = None
    project: int | None = None  # index into the plan's projects (outcomes only)
    measures: tuple[str, ...] = ()  # project_measures (projects only)


@dataclass(frozen=True)
class LoadPlan:
    places: tuple[PlaceRow, ...]  # parents before children
    evidence: tuple[Sentence, ...]
    facts: tuple[FactRow, ...] = field(default=())
    tokens: tuple[str, ...] = field(default=("", "", "", ""))  # article_words columns (search.token_columns)

    def count(self, table: str) -> int:
        return sum(1 for f in self.facts if f.table == table)


def place_rows(places: tuple[Place, ...]) -> dict[str, PlaceRow]:
    """Article place keys -> rows with database natural keys, parents first."""
    by_key = {p.key: p for p in places}
    rows: dict[str, PlaceRow] = {}

    def visit(key: str, seen: tuple[str, ...] = ()) -> str:
        if key in rows:
            return rows[key].key
        place = by_key[key]
        parent = place.parent if place.parent in by_key and place.parent not in seen else None
        parent_db = visit(parent, seen + (key,)) if parent else None
        db_key = f"{parent_db}/" if parent_db else ""
        rows[key] = PlaceRow(f"{db_key}{place.level}:{place.name}", place.name, place.level, parent_db,
                             place.code, tuple(a for a in place.aliases if a != place.name))
        return rows[key].key

    for key in by_key:
        visit(key)
    return rows


def plan_rows(body: str, tagged: TaggedArticle, title: str | None = None) -> LoadPlan:
    sentences = tagged.sentences or split_sentences(body)
    rows = place_rows(tagged.places)
    evidence: dict[tuple[int, int], int] = {}

    def ev(start: int, end: int) -> int:
        sentence = sentence_at(sentences, start) or Sentence(start, end, body[start:end])
        span = (sentence.start, sentence.end)
        return evidence.setdefault(span, len(evidence))

    def span(item) -> dict:
        return {"char_start": item.start, "char_end": item.end}

    facts: list[FactRow] = []
    for pm in tagged.place_mentions:
        if pm.place in rows:
            facts.append(FactRow("place_mentions", {"surface": pm.surface, **span(pm)}, ev(pm.start, pm.end),
                                 place_key=rows[pm.place].key))
    for table, mentions, column in (("measure_mentions", tagged.measures, "measure_code"),
                                    ("mechanism_mentions", tagged.mechanisms, "mechanism_code")):
        for cm in mentions:
            facts.append(FactRow(table, {column: cm.code, "surface": cm.surface,
                                         "pattern_id": cm.pattern_id or None, **span(cm)}, ev(cm.start, cm.end)))
    project_index = {}
    for i, pr in enumerate(tagged.projects):
        project_index.setdefault(pr.name, i)  # outcomes link to a project's first mention
        facts.append(FactRow("projects", {"name": pr.name, **span(pr)}, ev(pr.start, pr.end),
                             place_key=rows[pr.place].key if pr.place in rows else None,
                             measures=tuple(sorted(set(pr.measures)))))
    for oc in tagged.outcomes:
        values = {"value": oc.value, "surface": oc.surface, "unit": oc.unit, "unit_class": oc.unit_class,
                  "approx": oc.approx, "metric": oc.metric, "status": stage_of(oc.status), "status_word": oc.status,
                  "measure_code": oc.measure,
                  **span(oc)}
        facts.append(FactRow("outcomes", values, ev(oc.start, oc.end),
                             place_key=rows[oc.place].key if oc.place in rows else None,
                             project=project_index.get(oc.project) if oc.project else None))
    spans = sorted(evidence, key=evidence.get)
    sentences = tuple(Sentence(s, e, body[s:e]) for s, e in spans)
    return LoadPlan(tuple(rows.values()), sentences, tuple(facts),
                    _tokens(title, sentences, facts, {row.key: row.name for row in rows.values()}))


def _tokens(title: str | None, evidence: tuple[Sentence, ...], facts: list[FactRow],
            names: dict[str, str]) -> tuple[str, ...]:
    """Search tokens: dictionary words of the title and the evidence sentences, and the surfaces
    of measure, mechanism and place mentions with the canonical place names."""
    kinds = {"measure_mentions": "measure", "mechanism_mentions": "mechanism", "place_mentions": "place"}
    hits = []
    for fact in facts:
        kind = kinds.get(fact.table)
        if kind:
            hits.append((fact.values["surface"], kind))
        if kind == "place" and fact.place_key in names:
            hits.append((names[fact.place_key], kind))
    return token_columns(title, (s.text for s in evidence), hits)


def place_ids(session: Session, rows: Sequence[PlaceRow], cache: dict[str, int]) -> dict[str, int]:
    """Get-or-create every place (a level at a time, parents first); safe against concurrent loaders.

    ``cache`` (key -> id) spares looking up places this process has seen, but what a row knows
    of a place is written every time: a later article may know the official code of a place
    first seen without one, or another of its names, and what the database ends with must not
    depend on which articles one run happened to write.
    """
    merged: dict[str, PlaceRow] = {}
    for row in rows:
        have = merged.get(row.key)
        merged[row.key] = row if have is None else replace(
            have, code=have.code or row.code, aliases=tuple(dict.fromkeys(have.aliases + row.aliases)))
    todo = {key: row for key, row in merged.items() if key not in cache}
    from sqlalchemy import select

    from govcase import models as m
    from govcase.db import insert_ignore, lower_to

    conn = session.connection()
    for depth in sorted({key.count("/") for key in todo}):
        level = sorted((row for row in todo.values() if row.key.count("/") == depth), key=lambda r: r.key)
        insert_ignore(session, m.Place, [{"key": r.key, "name": r.name, "level": r.level, "code": r.code,
                                          "parent_id": cache[r.parent_key] if r.parent_key else None}
                                         for r in level])
        cache.update(conn.execute(select(m.Place.key, m.Place.id).where(
            m.Place.key.in_([r.key for r in level]))).all())
    known = sorted(merged.items())  # in key order: concurrent loaders lock rows in one order
    # the smallest code any article knew, not the first: concurrent loaders end alike
    lower_to(conn, m.Place, "code", [(cache[key], row.code) for key, row in known if row.code])
    insert_ignore(session, m.PlaceAlias, [{"place_id": cache[key], "alias": a} for key, row in known
                                          for a in row.aliases])
    return cache


def delete_facts(session: Session, article_ids: Sequence[int]) -> None:
    """Delete the facts (and their evidence) of these articles."""
    if not article_ids:
        return
    from sqlalchemy import delete, select

    from govcase import models as m

    conn = session.connection()
    ids = list(article_ids)
    projects = select(m.Project.id).where(m.Project.article_id.in_(ids))
    conn.execute(delete(m.ProjectMeasure).where(m.ProjectMeasure.project_id.in_(projects)))
    for model in (m.ArticleWords, m.Outcome, m.Project, m.PlaceMention, m.MeasureMention, m.MechanismMention,
                  m.Evidence):
        conn.execute(delete(model).where(model.article_id.in_(ids)))


_MODELS = {"place_mentions": "PlaceMention", "measure_mentions": "MeasureMention",
           "mechanism_mentions": "MechanismMention", "projects": "Project", "outcomes": "Outcome"}


def apply_plans(session: Session, plans: Sequence[tuple[int, LoadPlan]], place_cache: dict[str, int]) -> None:
    """Insert the rows of each (article id, plan), inside the caller's transaction.

    The articles' previous facts must be gone (``delete_facts``). Every table gets one
    bulk insert for the whole batch, so a batch costs a dozen statements, not hundreds;
    evidence and project ids are reserved first, so facts can point to them without a
    round trip per row.
    """
    from govcase import models as m
    from govcase.db import bulk_insert, reserve_ids

    conn = session.connection()
    ids = place_ids(session, [row for _, plan in plans for row in plan.places], place_cache)
    evidence_ids = reserve_ids(conn, m.Evidence, sum(len(plan.evidence) for _, plan in plans))
    bulk_insert(conn, m.Evidence, [
        (eid, article_id, s.start, s.end, s.text)
        for eid, (article_id, s) in zip(evidence_ids, ((a, s) for a, plan in plans for s in plan.evidence))],
        ("id", "article_id", "char_start", "char_end", "text"))
    # where each plan's evidence and projects start in the batch's ids
    first_evidence = list(accumulate((len(plan.evidence) for _, plan in plans), initial=0))
    first_project = list(accumulate((plan.count("projects") for _, plan in plans), initial=0))

    def row(i: int, article_id: int, fact: FactRow, **extra) -> dict:
        return {"article_id": article_id, "evidence_id": evidence_ids[first_evidence[i] + fact.evidence],
                **fact.values, **extra}

    projects = [(i, article_id, fact) for i, (article_id, plan) in enumerate(plans)
                for fact in plan.facts if fact.table == "projects"]
    project_ids = reserve_ids(conn, m.Project, len(projects))
    bulk_insert(conn, m.Project, [row(i, a, f, place_id=ids.get(f.place_key), id=pid)
                                  for pid, (i, a, f) in zip(project_ids, projects)])
    links = sorted({(pid, code) for pid, (_, _, f) in zip(project_ids, projects) for code in f.measures})
    bulk_insert(conn, m.ProjectMeasure, links, ("project_id", "measure_code"))
    for table in ("place_mentions", "measure_mentions", "mechanism_mentions", "outcomes"):
        rows = []
        for i, (article_id, plan) in enumerate(plans):
            for fact in plan.facts:
                if fact.table != table:
                    continue
                extra = {}
                if table in ("place_mentions", "outcomes"):
                    extra["place_id"] = ids.get(fact.place_key)
                if table == "outcomes":
                    extra["project_id"] = (project_ids[first_project[i] + fact.project]
                                           if fact.project is not None else None)
                rows.append(row(i, article_id, fact, **extra))
        bulk_insert(conn, getattr(m, _MODELS[table]), rows)
    write_tokens(conn, [(article_id, *plan.tokens) for article_id, plan in plans])


def apply_plan(session: Session, article_id: int, plan: LoadPlan, place_cache: dict[str, int]) -> None:
    """Replace one article's facts with the plan's rows (inside the caller's transaction)."""
    delete_facts(session, [article_id])
    apply_plans(session, [(article_id, plan)], place_cache)
