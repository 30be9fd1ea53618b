"""Load: plan the rows of one tagged article (pure), then apply them in one transaction.

Facts of an article are replaced as a whole: applying a plan deletes the
article's previous facts and inserts the new ones, so loading twice leaves
the same rows. Places are shared between articles and got-or-created on their
natural key (the chain of level:name from the top) under a unique constraint.

The planning half needs no database: SQLAlchemy and the models are imported by the
functions that write, so a process that only cleans and tags does without them.
"""
from __future__ import annotations

from bisect import bisect_right
from dataclasses import dataclass, field, replace
from itertools import accumulate
from typing import Sequence

from govcase.records import Place, Sentence, TaggedArticle
from govcase.search import token_columns, write_tokens
from govcase.statuses import OTHER, stage_table
from govcase.text import split_sentences


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


# The columns a plan gives each fact table's values for, in the order of its rows' values.
FACT_COLUMNS = {
    "place_mentions": ("surface", "char_start", "char_end"),
    "measure_mentions": ("measure_code", "surface", "pattern_id", "char_start", "char_end"),
    "mechanism_mentions": ("mechanism_code", "surface", "pattern_id", "char_start", "char_end"),
    "projects": ("name", "char_start", "char_end"),
    "outcomes": ("value", "surface", "unit", "unit_class", "approx", "metric", "status", "status_word",
                 "measure_code", "char_start", "char_end"),
}


@dataclass(frozen=True)
class LoadPlan:
    """An article's rows. Its facts are flat tuples, ``(table, evidence, place_key, project,
    measures, *values in FACT_COLUMNS[table] order)``, not FactRows: a plan crosses from a
    worker process to the writer, and a batch's ~3,700 facts as objects with a dict each were
    two thirds of what the writer unpickled (25 of 37 ms a batch), then were copied into
    dicts again and picked apart for the driver."""

    places: tuple[PlaceRow, ...]  # parents before children
    evidence: tuple[Sentence, ...]
    rows: tuple[tuple, ...] = field(default=())
    tokens: tuple[str, ...] = field(default=("", "", "", ""))  # article_words columns (search.token_columns)

    @property
    def facts(self) -> tuple[FactRow, ...]:
        return tuple(FactRow(r[0], dict(zip(FACT_COLUMNS[r[0]], r[5:])), r[1], r[2], r[3], r[4]) for r in self.rows)

    def count(self, table: str) -> int:
        return sum(1 for r in self.rows if r[0] == table)


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
    ends = [s.end for s in sentences]  # text.sentence_at's search, on a list of its own: ~50 facts an article
    stages = stage_table()

    def ev(start: int, end: int) -> int:
        """The number of the evidence span of a fact at ``start``: the sentence that holds it,
        else the fact's own span."""
        at = bisect_right(ends, start)  # the first sentence ending after start
        span = (sentences[at].start, ends[at]) if at < len(ends) and sentences[at].start <= start else (start, end)
        return evidence.setdefault(span, len(evidence))

    facts: list[tuple] = []
    hits: list[tuple[str, str]] = []  # search tokens: mention surfaces and canonical place names
    for pm in tagged.place_mentions:
        if pm.place in rows:
            place = rows[pm.place]
            facts.append(("place_mentions", ev(pm.start, pm.end), place.key, None, (), pm.surface, pm.start, pm.end))
            hits += ((pm.surface, "place"), (place.name, "place"))
    for table, mentions, kind in (("measure_mentions", tagged.measures, "measure"),
                                  ("mechanism_mentions", tagged.mechanisms, "mechanism")):
        for cm in mentions:
            facts.append((table, ev(cm.start, cm.end), None, None, (), cm.code, cm.surface, cm.pattern_id or None,
                          cm.start, cm.end))
            hits.append((cm.surface, kind))
    project_index = {}
    for i, pr in enumerate(tagged.projects):
        project_index.setdefault(pr.name, i)  # outcomes link to a project's first mention
        facts.append(("projects", ev(pr.start, pr.end), rows[pr.place].key if pr.place in rows else None, None,
                      tuple(sorted(set(pr.measures))), pr.name, pr.start, pr.end))
    for oc in tagged.outcomes:
        facts.append(("outcomes", ev(oc.start, oc.end), rows[oc.place].key if oc.place in rows else None,
                      project_index.get(oc.project) if oc.project else None, (),
                      oc.value, oc.surface, oc.unit, oc.unit_class, oc.approx, oc.metric,
                      None if oc.status is None else stages.get(oc.status, OTHER),  # statuses.stage_of
                      oc.status, oc.measure, oc.start, oc.end))
    spans = sorted(evidence, key=evidence.get)
    sentences = tuple(Sentence(s, e, body[s:e]) for s, e in spans)
    return LoadPlan(tuple(rows.values()), sentences, tuple(facts),
                    token_columns(title, (s.text for s in sentences), hits))


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
    facts: dict[str, list[tuple]] = {table: [] for table in FACT_COLUMNS}
    for i, (article_id, plan) in enumerate(plans):
        for fact in plan.rows:
            facts[fact[0]].append((i, article_id, fact))
    project_ids = reserve_ids(conn, m.Project, len(facts["projects"]))
    extra = {"projects": ("place_id", "id"), "place_mentions": ("place_id",), "outcomes": ("place_id", "project_id")}

    def links(i: int, table: str, fact: tuple, at: int) -> tuple:
        if table == "projects":
            return ids.get(fact[2]), project_ids[at]
        if table == "place_mentions":
            return (ids.get(fact[2]),)
        if table == "outcomes":
            return ids.get(fact[2]), project_ids[first_project[i] + fact[3]] if fact[3] is not None else None
        return ()

    for table in ("projects", "place_mentions", "measure_mentions", "mechanism_mentions", "outcomes"):
        bulk_insert(conn, getattr(m, _MODELS[table]), [
            (article_id, evidence_ids[first_evidence[i] + fact[1]], *fact[5:], *links(i, table, fact, at))
            for at, (i, article_id, fact) in enumerate(facts[table])],
            ("article_id", "evidence_id", *FACT_COLUMNS[table], *extra.get(table, ())))
        if table == "projects":
            bulk_insert(conn, m.ProjectMeasure, sorted({(pid, code) for pid, (_, _, fact) in
                                                        zip(project_ids, facts["projects"]) for code in fact[4]}),
                        ("project_id", "measure_code"))
    write_tokens(conn, [(article_id, *plan.tokens) for article_id, plan in plans])


def apply_plan(session: Session, article_id: int, plan: LoadPlan, place_cache: dict[str, int]) -> None:
    """Replace one article's facts with the plan's rows (inside the caller's transaction)."""
    delete_facts(session, [article_id])
    apply_plans(session, [(article_id, plan)], place_cache)
