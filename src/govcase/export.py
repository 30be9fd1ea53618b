"""Read articles and their facts back from the database (export contract, stats)."""
from __future__ import annotations

import csv
import json
from collections import defaultdict
from pathlib import Path
from typing import Iterator, TextIO

from sqlalchemy import Engine, LargeBinary, exists, func, select, text
from sqlalchemy.engine import make_url
from sqlalchemy.orm import Session, aliased

from govcase import db as dbmod
from govcase import models as m
from govcase.errors import DatabaseError, GovcaseError
from govcase.settings import normalise_db_url
from govcase.views import VIEWS, exportable


def _ancestors(session: Session, place_ids: set[int], cache: dict[int, m.Place]) -> None:
    """Fill ``cache`` with the given places and every place above them."""
    todo = {pid for pid in place_ids if pid not in cache}
    while todo:
        rows = session.scalars(select(m.Place).where(m.Place.id.in_(todo))).all()
        todo = set()
        for place in rows:
            cache[place.id] = place
            if place.parent_id and place.parent_id not in cache:
                todo.add(place.parent_id)


def _first_per_code(session: Session, model, column, article_id: int) -> list[dict]:
    rows = session.execute(
        select(column, m.Evidence.text).join(m.Evidence, model.evidence_id == m.Evidence.id)
        .where(model.article_id == article_id).order_by(model.char_start, column)).all()
    seen, out = set(), []
    for code, evidence in rows:
        if code not in seen:
            seen.add(code)
            out.append({"code": code, "evidence": evidence})
    return out


def article_record(session: Session, article: m.Article, source_label: str, duplicate_of: str | None,
                   place_cache: dict[int, m.Place]) -> dict:
    return {
        "article_id": article.id,
        "url": article.url,
        "source": source_label,
        "title": article.title,
        "published": article.published,
        "outlet": article.outlet,
        "body": article.body,
        "places": _places(session, article.id, place_cache),
        "measures": _first_per_code(session, m.MeasureMention, m.MeasureMention.measure_code, article.id),
        "mechanisms": _first_per_code(session, m.MechanismMention, m.MechanismMention.mechanism_code,
                                      article.id),
        "outcomes": _outcomes(session, article.id, place_cache),
        "projects": _projects(session, article.id, place_cache),
        "duplicate_of": duplicate_of,
        "duplicate_of_id": article.duplicate_of_id,
        "flags": article.flags.split() if article.flags else [],
    }


def _places(session: Session, article_id: int, place_cache: dict[int, m.Place]) -> list[dict]:
    """The article's places, each after the places above it, with the surface of its first mention."""
    mentions = session.execute(
        select(m.PlaceMention.place_id, m.PlaceMention.surface)
        .where(m.PlaceMention.article_id == article_id).order_by(m.PlaceMention.char_start)).all()
    first_surface: dict[int, str] = {}
    for place_id, surface in mentions:
        first_surface.setdefault(place_id, surface)
    _ancestors(session, set(first_surface), place_cache)
    ordered: list[int] = []
    for place_id in first_surface:
        chain = []
        pid = place_id
        while pid is not None and pid not in chain:
            chain.append(pid)
            pid = place_cache[pid].parent_id
        for pid in reversed(chain):
            if pid not in ordered:
                ordered.append(pid)
    places = []
    for pid in ordered:
        place = place_cache[pid]
        parent = place_cache.get(place.parent_id) if place.parent_id else None
        places.append({"name": place.name, "level": place.level, "parent": parent.name if parent else None,
                       "code": place.code, "mention": first_surface.get(pid)})
    return places


def _outcomes(session: Session, article_id: int, place_cache: dict[int, m.Place]) -> list[dict]:
    rows = session.execute(
        select(m.Outcome, m.Evidence.text).join(m.Evidence, m.Outcome.evidence_id == m.Evidence.id)
        .where(m.Outcome.article_id == article_id).order_by(m.Outcome.char_start, m.Outcome.id)).all()
    _ancestors(session, {o.place_id for o, _ in rows if o.place_id}, place_cache)
    return [{
        "value": _number(o.value), "unit": o.unit, "approx": o.approx, "metric": o.metric,
        "place": place_cache[o.place_id].name if o.place_id else None, "evidence": text,
        "status": o.status, "status_word": o.status_word, "measure": o.measure_code, "surface": o.surface,
        "char_start": o.char_start, "char_end": o.char_end,
    } for o, text in rows]


def _projects(session: Session, article_id: int, place_cache: dict[int, m.Place]) -> list[dict]:
    rows = session.execute(
        select(m.Project.name, m.Project.place_id).where(m.Project.article_id == article_id)
        .order_by(m.Project.char_start)).all()
    _ancestors(session, {pid for _, pid in rows if pid}, place_cache)
    return [{"name": name, "place": place_cache[pid].name if pid else None}
            for name, pid in dict.fromkeys(rows)]


def _number(value: float) -> int | float:
    return int(value) if float(value).is_integer() else value


def iter_records(engine: Engine) -> Iterator[dict]:
    """Every article, sorted by source, in the shape of docs/export-contract.md."""
    canonical = aliased(m.Article)
    canonical_source = aliased(m.Source)
    place_cache: dict[int, m.Place] = {}
    with Session(engine) as session:
        rows = session.execute(
            select(m.Article.id, m.Source.label, canonical_source.label)
            .join(m.Source, m.Article.source_id == m.Source.id)
            .outerjoin(canonical, m.Article.duplicate_of_id == canonical.id)
            .outerjoin(canonical_source, canonical.source_id == canonical_source.id)
            .order_by(m.Source.label, m.Article.id)).all()
        for article_id, label, duplicate_of in rows:
            article = session.get(m.Article, article_id)
            yield article_record(session, article, label, duplicate_of, place_cache)
            session.expunge(article)


def write_jsonl(engine: Engine, out: TextIO) -> int:
    count = 0
    for record in iter_records(engine):
        out.write(json.dumps(record, ensure_ascii=False, sort_keys=True) + "\n")
        count += 1
    return count


def stats(engine: Engine, data_dir: Path | None = None) -> dict:
    """Counts of what is stored, pending and stale work, and rejects grouped by stage and reason."""
    tables = {"sources": m.Source, "source_locations": m.SourceLocation, "articles": m.Article,
              "places": m.Place, "place_mentions": m.PlaceMention, "measure_mentions": m.MeasureMention,
              "mechanism_mentions": m.MechanismMention, "projects": m.Project, "outcomes": m.Outcome,
              "evidence": m.Evidence, "runs": m.Run, "rejects": m.Reject}
    with Session(engine) as session:
        counts = {name: session.scalar(select(func.count()).select_from(model)) for name, model in tables.items()}
        pending = {
            "clean": session.scalar(select(func.count()).select_from(m.Source)
                                    .outerjoin(m.Article, m.Article.source_id == m.Source.id)
                                    .where(m.Article.id.is_(None),
                                           ~exists().where(m.Reject.source_id == m.Source.id,
                                                           m.Reject.stage == "clean"))),
            "tag": session.scalar(select(func.count()).where(m.Article.tag_version.is_(None))),
            "load": session.scalar(select(func.count()).where(m.Article.tag_version.is_not(None),
                                                              m.Article.load_version.is_(None))),
        }
        reasons = defaultdict(dict)
        for stage, reason, n in session.execute(
                select(m.Reject.stage, m.Reject.reason, func.count()).group_by(m.Reject.stage, m.Reject.reason)
                .order_by(m.Reject.stage, m.Reject.reason)):
            reasons[stage][reason] = n
        places_by_level = dict(session.execute(
            select(m.Place.level, func.count()).group_by(m.Place.level).order_by(m.Place.level)).all())
    from govcase.settings import default_data_dir
    from govcase.staleness import stale_counts

    stale = stale_counts(engine, data_dir or default_data_dir())
    return {"counts": counts, "pending": pending, "stale": stale, "rejects": dict(reasons),
            "places_by_level": places_by_level}


# --- reading an existing database; CSV per table or view ------------------------------------


def open_existing(url: str) -> Engine:
    """An engine on a database that exists (a read command must not create an empty one)."""
    url = normalise_db_url(url)
    parsed = make_url(url)
    if parsed.get_backend_name() == "sqlite" and parsed.database not in (None, "", ":memory:"):
        if not Path(parsed.database).is_file():
            raise DatabaseError(f"cannot open database {url}: no such file; load articles first with "
                                f"`govcase ingest PATH --db {url}` or give --db the right URL")
    return dbmod.open_database(url)


class UnknownTable(GovcaseError):
    pass


def _binary_columns(name: str) -> set[str]:
    table = m.Base.metadata.tables.get(name)
    return {c.name for c in table.columns if isinstance(c.type, LargeBinary)} if table is not None else set()


def _order(name: str) -> tuple[str, ...]:
    if name in VIEWS:
        return VIEWS[name]
    return tuple(c.name for c in m.Base.metadata.tables[name].primary_key.columns)


def _cell(value) -> object:
    if isinstance(value, float) and value.is_integer():
        return int(value)
    if isinstance(value, list):  # article_words on PostgreSQL: one per line, as SQLite stores them
        return "\n".join(value)
    return "" if value is None else value


def write_csv(engine: Engine, name: str, out: TextIO) -> int:
    """Write table or view ``name`` as CSV (a header row, then rows in key order); binary
    columns (sources.raw, article_signatures.minhash) are left out. Returns the row count."""
    if name not in exportable():
        raise UnknownTable(f"no table or view {name!r}; choose one of {', '.join(exportable())}")
    skip = _binary_columns(name)
    with engine.connect() as conn:
        result = conn.execute(text(f"SELECT * FROM {name} ORDER BY {', '.join(_order(name))}"))
        keep = [i for i, column in enumerate(result.keys()) if column not in skip]
        writer = csv.writer(out, lineterminator="\r\n")  # RFC 4180 line ends, as spreadsheets expect
        writer.writerow([list(result.keys())[i] for i in keep])
        count = 0
        for row in result:
            writer.writerow([_cell(row[i]) for i in keep])
            count += 1
    return count
