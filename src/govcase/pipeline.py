"""Compose the stages over one database: ingest -> clean -> tag -> load.

Each stage works on what is stored and not yet done by it, one article per
transaction, so a stage can be re-run alone and an interrupted run resumes
where it stopped. A bad document is skipped with a recorded reason; the run
goes on. A run leaves a row in ``runs`` only when it changed something, so
running twice on the same input changes nothing at all.
"""
from __future__ import annotations

import json
from collections import Counter
from contextlib import contextmanager
from dataclasses import dataclass, field
from datetime import datetime, timezone
from pathlib import Path
from typing import Callable, Iterable, Iterator

from sqlalchemy import Engine, and_, exists, select, update
from sqlalchemy.orm import Session

from govcase import models as m
from govcase.clean import clean
from govcase.db import insert_ignore, open_database, upsert
from govcase.errors import RejectedDocument
from govcase.ingest import InputReject, read_documents
from govcase.lexicon import load_lexicon
from govcase.load import apply_plan, plan_rows
from govcase.records import CleanArticle, RawDocument, tagged_from_json, tagged_to_json
from govcase.settings import Settings
from govcase.tag import tag
from govcase.versions import clean_version, govcase_version, tag_version

STAGES = ("ingest", "clean", "tag", "load")
# progress(stage, total) is called once per stage and returns the function to call per item
Progress = Callable[[str, int], Callable[[], None]]


def now() -> datetime:
    return datetime.now(timezone.utc)


@dataclass
class RunReport:
    command: str
    stored: int = 0  # new sources
    unchanged: int = 0  # inputs whose bytes were already stored
    cleaned: int = 0
    tagged: int = 0
    loaded: int = 0
    rejects: Counter = field(default_factory=Counter)  # (stage, reason) -> new rejects
    run_id: int | None = None

    @property
    def rejected(self) -> int:
        return sum(self.rejects.values())

    def as_dict(self) -> dict:
        return {"command": self.command, "stored": self.stored, "unchanged": self.unchanged,
                "cleaned": self.cleaned, "tagged": self.tagged, "loaded": self.loaded,
                "rejected": {f"{s}/{r}": n for (s, r), n in sorted(self.rejects.items())},
                "run_id": self.run_id}


class Pipeline:
    def __init__(self, settings: Settings, engine: Engine | None = None,
                 progress: Progress | None = None) -> None:
        self.settings = settings
        self.engine = engine or open_database(settings.db_url)
        self.clean_version = clean_version(settings.data_dir)
        self.tag_version = tag_version(settings.data_dir)
        self._progress = progress
        self._place_cache: dict[str, int] = {}
        self._lexicon = None

    # -- run records -------------------------------------------------------------

    def _run_id(self, report: RunReport) -> int:
        """The run row, created the first time this run changes something."""
        if report.run_id is None:
            with Session(self.engine) as session, session.begin():
                run = m.Run(command=report.command, started_at=now(), status="running",
                            clean_version=self.clean_version, tag_version=self.tag_version,
                            lexicon_version=self.lexicon.version, govcase_version=govcase_version())
                session.add(run)
                session.flush()
                report.run_id = run.id
        return report.run_id

    @contextmanager
    def _recorded(self, command: str) -> Iterator[RunReport]:
        """A run's report; its run row (if it changed anything) is closed ok or failed."""
        report = RunReport(command)
        status = "failed"
        try:
            yield report
            status = "ok"
        finally:
            if report.run_id is not None:
                with Session(self.engine) as session, session.begin():
                    session.execute(update(m.Run).where(m.Run.id == report.run_id).values(
                        finished_at=now(), status=status,
                        summary=json.dumps(report.as_dict(), ensure_ascii=False)))

    def _each(self, stage: str, ids: list[int], work: Callable[[Session, int], None]) -> None:
        """Run ``work`` on each id in a transaction of its own, ticking the progress bar."""
        tick = self._ticker(stage, len(ids))
        for item in ids:
            with Session(self.engine) as session, session.begin():
                work(session, item)
            tick()

    def _reject(self, session: Session, report: RunReport, stage: str, location: str, reason: str,
                detail: str = "", source_id: int | None = None, sha256: str | None = None) -> None:
        """Record why an input or article was skipped (once per stage and location)."""
        old = session.execute(select(m.Reject.reason, m.Reject.detail).where(
            m.Reject.stage == stage, m.Reject.location == location)).first()
        if old is not None and tuple(old) == (reason, detail[:2000] or None):
            return
        upsert(session, m.Reject, {"stage": stage, "location": location, "source_id": source_id,
                                   "sha256": sha256, "reason": reason, "detail": detail[:2000] or None,
                                   "created_at": now(), "run_id": self._run_id(report)},
               keys=("stage", "location"))
        report.rejects[(stage, reason)] += 1

    def _ticker(self, stage: str, total: int) -> Callable[[], None]:
        return self._progress(stage, total) if self._progress else (lambda: None)

    # -- stages --------------------------------------------------------------------

    def ingest(self, paths: Iterable[str | Path], stop_after: str = "load") -> RunReport:
        with self._recorded("ingest") as report:
            self.store(read_documents(paths), report)
            self._run_stages(report, STAGES[1:STAGES.index(stop_after) + 1], everything=False)
        return report

    def store(self, documents: Iterable[RawDocument | InputReject], report: RunReport) -> None:
        tick = self._ticker("ingest", 0)
        for doc in documents:
            with Session(self.engine) as session, session.begin():
                if isinstance(doc, InputReject):
                    self._reject(session, report, "ingest", doc.location, doc.reason, doc.detail, sha256=doc.sha256)
                else:
                    self._store_one(session, doc, report)
            tick()

    def _store_one(self, session: Session, doc: RawDocument, report: RunReport) -> None:
        source_id = session.scalar(select(m.Source.id).where(m.Source.sha256 == doc.sha256))
        if source_id is None:
            insert_ignore(session, m.Source, [{
                "sha256": doc.sha256, "label": doc.source, "media_type": doc.media_type,
                "encoding": doc.encoding, "size": len(doc.data), "raw": doc.data,
                "hints": json.dumps(dict(doc.hints), ensure_ascii=False) if doc.hints else None,
                "created_at": now(), "run_id": self._run_id(report)}])
            source_id = session.scalar(select(m.Source.id).where(m.Source.sha256 == doc.sha256))
            report.stored += 1
        else:
            report.unchanged += 1
        known = session.scalar(select(m.SourceLocation.id).where(
            m.SourceLocation.source_id == source_id, m.SourceLocation.location == doc.source))
        if known is None:
            self._run_id(report)
            insert_ignore(session, m.SourceLocation, [{"source_id": source_id, "location": doc.source}])

    def run_stage(self, stage: str, everything: bool = False) -> RunReport:
        with self._recorded(stage) as report:
            self._run_stages(report, (stage,), everything)
        return report

    def reload(self, stale_only: bool = False) -> RunReport:
        """Re-run clean -> tag -> load over every stored article (or only stale ones)."""
        with self._recorded("reload") as report:
            self._run_stages(report, STAGES[1:], everything=not stale_only, stale_only=stale_only)
        return report

    def _run_stages(self, report: RunReport, stages: Iterable[str], everything: bool,
                    stale_only: bool = False) -> None:
        for stage in stages:
            if stage == "clean":
                self._clean_all(report, everything, stale_only)
            elif stage == "tag":
                self._tag_all(report, everything, stale_only)
            elif stage == "load":
                self._load_all(report, everything)
            else:
                raise ValueError(f"unknown stage {stage!r}: choose one of {', '.join(STAGES)}")

    # clean -------------------------------------------------------------------------

    def _clean_all(self, report: RunReport, everything: bool, stale_only: bool) -> None:
        with Session(self.engine) as session:
            query = select(m.Source.id).outerjoin(m.Article, m.Article.source_id == m.Source.id)
            if stale_only:
                query = query.where((m.Article.id.is_(None)) | (m.Article.clean_version != self.clean_version))
            elif not everything:
                rejected = exists().where(and_(m.Reject.source_id == m.Source.id, m.Reject.stage == "clean"))
                query = query.where(m.Article.id.is_(None), ~rejected)
            ids = list(session.scalars(query.order_by(m.Source.id)))
        self._each("clean", ids, lambda session, source_id: self._clean_one(session, source_id, report))

    def _clean_one(self, session: Session, source_id: int, report: RunReport) -> None:
        src = session.get(m.Source, source_id)
        hints = tuple(json.loads(src.hints).items()) if src.hints else ()
        doc = RawDocument(src.label, src.raw, src.media_type, src.sha256, src.encoding, hints)
        try:
            art = clean(doc)
        except RejectedDocument as exc:
            self._reject(session, report, "clean", src.label, exc.reason, exc.detail, source_id, src.sha256)
            return
        except Exception as exc:  # a rule bug must not stop a batch; it is recorded with the input
            self._reject(session, report, "clean", src.label, "error", f"{type(exc).__name__}: {exc}",
                         source_id, src.sha256)
            return
        values = {
            "title": art.title, "published": art.published, "published_precision": art.published_precision,
            "outlet": art.outlet, "author": art.author, "editor": art.editor, "url": art.url,
            "body": art.body, "script": art.script, "encoding": art.encoding,
            "flags": " ".join(art.flags) or None, "clean_version": self.clean_version,
            "tag_version": None, "load_version": None, "cleaned_at": now(), "run_id": self._run_id(report),
        }
        article = session.scalar(select(m.Article).where(m.Article.source_id == source_id))
        if article is None:
            session.add(m.Article(source_id=source_id, **values))
        else:
            for key, value in values.items():
                setattr(article, key, value)
        self._clear_reject(session, "clean", src.label)
        report.cleaned += 1

    @staticmethod
    def _clear_reject(session: Session, stage: str, location: str) -> None:
        session.query(m.Reject).filter(m.Reject.stage == stage, m.Reject.location == location).delete()

    # tag ---------------------------------------------------------------------------

    @property
    def lexicon(self):
        if self._lexicon is None:
            self._lexicon = load_lexicon(self.settings.data_dir)
        return self._lexicon

    def _tag_all(self, report: RunReport, everything: bool, stale_only: bool) -> None:
        with Session(self.engine) as session:
            query = select(m.Article.id)
            if stale_only:
                query = query.where((m.Article.tag_version.is_(None)) | (m.Article.tag_version != self.tag_version))
            elif not everything:
                query = query.where(m.Article.tag_version.is_(None))
            ids = list(session.scalars(query.order_by(m.Article.id)))
        self._each("tag", ids, lambda session, article_id: self._tag_one(session, article_id, report))

    def _tag_one(self, session: Session, article_id: int, report: RunReport) -> None:
        row = session.get(m.Article, article_id)
        label = session.scalar(select(m.Source.label).where(m.Source.id == row.source_id))
        article = CleanArticle(body=row.body, title=row.title, published=row.published)
        try:
            tagged = tag(article, self.lexicon)
        except Exception as exc:  # a rule bug must not stop a batch of thousands; it is recorded
            self._reject(session, report, "tag", label, "error", f"{type(exc).__name__}: {exc}", row.source_id)
            return
        upsert(session, m.TagResult, {"article_id": article_id, "tag_version": self.tag_version,
                                      "payload": tagged_to_json(tagged), "tagged_at": now(),
                                      "run_id": self._run_id(report)}, keys=("article_id",))
        row.tag_version = self.tag_version
        row.load_version = None
        self._clear_reject(session, "tag", label)
        report.tagged += 1

    # load --------------------------------------------------------------------------

    def _load_all(self, report: RunReport, everything: bool) -> None:
        with Session(self.engine) as session:
            query = select(m.Article.id).where(m.Article.tag_version.is_not(None))
            if not everything:
                query = query.where(m.Article.load_version.is_(None))
            ids = list(session.scalars(query.order_by(m.Article.id)))
        tick = self._ticker("load", len(ids))
        for article_id in ids:
            cache = dict(self._place_cache)  # trust new place ids only once their transaction commits
            try:
                with Session(self.engine) as session, session.begin():
                    self._load_one(session, article_id, cache, report)
            except Exception as exc:  # skipped with its reason; the article's old facts stay intact
                with Session(self.engine) as session, session.begin():
                    label = session.scalar(select(m.Source.label).join(m.Article).where(m.Article.id == article_id))
                    self._reject(session, report, "load", label, "error", f"{type(exc).__name__}: {exc}")
            else:
                self._place_cache = cache
            tick()

    def _load_one(self, session: Session, article_id: int, cache: dict[str, int], report: RunReport) -> None:
        row = session.get(m.Article, article_id)
        staged = session.get(m.TagResult, article_id)
        if staged is None:  # the tag result is gone: tag this article again
            row.tag_version = None
            return
        plan = plan_rows(row.body, tagged_from_json(staged.payload))
        self._run_id(report)
        apply_plan(session, article_id, plan, cache)
        row.load_version = staged.tag_version
        self._clear_reject(session, "load", session.get(m.Source, row.source_id).label)
        report.loaded += 1
