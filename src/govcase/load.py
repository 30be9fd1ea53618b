"""Load: plan the rows of one tagged article (pure), then apply them in one transaction.

Facts of an article are replaced as a whole: applying a plan deletes the
article's previous facts and inserts the new ones, so loading twice leaves
the same rows. Places are shared between articles and got-or-created on their
natural key (the chain of level:name from the top) under a unique constraint.
"""
from __future__ import annotations

from dataclasses import dataclass, field

from sqlalchemy import delete, insert, select
from sqlalchemy.orm import Session

from govcase import models as m
from govcase.db import insert_ignore
from govcase.records import Place, Sentence, TaggedArticle
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


def plan_rows(body: str, tagged: TaggedArticle) -> LoadPlan:
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
                  "approx": oc.approx, "metric": oc.metric, "status": oc.status, "measure_code": oc.measure,
                  **span(oc)}
        facts.append(FactRow("outcomes", values, ev(oc.start, oc.end),
                             place_key=rows[oc.place].key if oc.place in rows else None,
                             project=project_index.get(oc.project) if oc.project else None))
    spans = sorted(evidence, key=evidence.get)
    return LoadPlan(tuple(rows.values()), tuple(Sentence(s, e, body[s:e]) for s, e in spans), tuple(facts))


def place_ids(session: Session, rows: tuple[PlaceRow, ...], cache: dict[str, int]) -> dict[str, int]:
    """Get-or-create every place (parents first); safe against concurrent loaders."""
    for row in rows:
        if row.key in cache:
            continue
        values = {"key": row.key, "name": row.name, "level": row.level, "code": row.code,
                  "parent_id": cache[row.parent_key] if row.parent_key else None}
        insert_ignore(session, m.Place, [values])
        place_id = session.scalar(select(m.Place.id).where(m.Place.key == row.key))
        if row.code:
            # a later article may know the official code of a place first seen without it
            session.execute(m.Place.__table__.update().where(m.Place.id == place_id, m.Place.code.is_(None))
                            .values(code=row.code))
        insert_ignore(session, m.PlaceAlias, [{"place_id": place_id, "alias": a} for a in row.aliases])
        cache[row.key] = place_id
    return cache


def delete_facts(session: Session, article_id: int) -> None:
    projects = select(m.Project.id).where(m.Project.article_id == article_id)
    session.execute(delete(m.ProjectMeasure).where(m.ProjectMeasure.project_id.in_(projects)))
    for model in (m.Token, m.Outcome, m.Project, m.PlaceMention, m.MeasureMention, m.MechanismMention,
                  m.Evidence):
        session.execute(delete(model).where(model.article_id == article_id))


_MODELS = {"place_mentions": m.PlaceMention, "measure_mentions": m.MeasureMention,
           "mechanism_mentions": m.MechanismMention, "projects": m.Project, "outcomes": m.Outcome}


def _insert_returning_ids(session: Session, model, rows: list[dict]) -> list[int]:
    if not rows:
        return []
    result = session.execute(insert(model).returning(model.id, sort_by_parameter_order=True), rows)
    return list(result.scalars())


def apply_plan(session: Session, article_id: int, plan: LoadPlan, place_cache: dict[str, int]) -> None:
    """Replace the article's facts with the plan's rows (inside the caller's transaction)."""
    delete_facts(session, article_id)
    ids = place_ids(session, plan.places, place_cache)
    evidence_ids = _insert_returning_ids(session, m.Evidence, [
        {"article_id": article_id, "char_start": s.start, "char_end": s.end, "text": s.text}
        for s in plan.evidence])

    def row(fact: FactRow, **extra) -> dict:
        out = {"article_id": article_id, "evidence_id": evidence_ids[fact.evidence], **fact.values, **extra}
        return out

    project_facts = [f for f in plan.facts if f.table == "projects"]
    project_ids = _insert_returning_ids(session, m.Project, [
        row(f, place_id=ids.get(f.place_key)) for f in project_facts])
    links = {(pid, code) for pid, f in zip(project_ids, project_facts) for code in f.measures}
    if links:
        session.execute(insert(m.ProjectMeasure), [{"project_id": p, "measure_code": c} for p, c in sorted(links)])
    for table in ("place_mentions", "measure_mentions", "mechanism_mentions", "outcomes"):
        rows = []
        for fact in plan.facts:
            if fact.table != table:
                continue
            extra = {}
            if table in ("place_mentions", "outcomes"):
                extra["place_id"] = ids.get(fact.place_key)
            if table == "outcomes":
                extra["project_id"] = project_ids[fact.project] if fact.project is not None else None
            rows.append(row(fact, **extra))
        if rows:
            session.execute(insert(_MODELS[table]), rows)
    insert_tokens(session, article_id, plan, evidence_ids)


# --- search tokens (govcase.search): a separate step of apply_plan -------------------------


def insert_tokens(session: Session, article_id: int, plan: LoadPlan, evidence_ids: list[int]) -> None:
    """Write the article's search tokens: jieba words of its title and evidence sentences, and
    the surfaces of its measure, mechanism and place mentions and canonical place names."""
    from govcase.search import token_rows

    article = session.get(m.Article, article_id)  # in the session already: no query
    names = {p.key: p.name for p in plan.places}
    hits = []
    for fact in plan.facts:
        kind = {"measure_mentions": "measure", "mechanism_mentions": "mechanism",
                "place_mentions": "place"}.get(fact.table)
        if kind:
            hits.append((fact.evidence, fact.values["surface"], kind))
        if kind == "place" and fact.place_key in names:
            hits.append((fact.evidence, names[fact.place_key], kind))
    rows = token_rows(article.title if article else None, (s.text for s in plan.evidence), hits)
    if rows:
        session.execute(insert(m.Token), [
            {"article_id": article_id, "evidence_id": None if r.evidence is None else evidence_ids[r.evidence],
             "token": r.token, "kind": r.kind} for r in rows])
