"""Compose the stages over one database: ingest -> clean -> tag -> load.

Each run stores the new sources, then finds what is pending for every stored
source (never cleaned, or made by older rules, or tagged but not loaded) and
does all of one article's pending stages in one transaction, so an article's
body, tag result and facts always change together and a run killed at any
moment leaves every article either as it was or fully redone. Results are
written in batches (one transaction per batch, a savepoint per article), so a
bad article is skipped with a recorded reason while the others in its batch
are kept. A run leaves a row in ``runs`` only when it changed something, so
running twice on the same input changes nothing at all.
"""
from __future__ import annotations

import gc
import json
import time
from collections import Counter, deque
from contextlib import closing, contextmanager, nullcontext
from dataclasses import replace
from datetime import datetime, timezone
from itertools import count, islice
from pathlib import Path
from typing import Callable, Iterable, Iterator, Sequence

from sqlalchemy import Engine, and_, exists, or_, select, update
from sqlalchemy.exc import DBAPIError
from sqlalchemy.orm import Session

from govcase import claims, prestart
from govcase import models as m
from govcase.clusters import settle, store_and_queue
from govcase.db import insert_ignore, lower_to, make_engine, open_database, upsert
from govcase.decode import storable
from govcase.dedup import signature
from govcase.errors import GovcaseError
from govcase.ingest import InputReject, iter_files, location_text, read_documents, with_encoding
from govcase.load import place_ids
from govcase.locks import RunLock
from govcase.records import CleanArticle, RawDocument
from govcase.report import RunReport
from govcase.settings import Settings
from govcase.stamps import record as record_stamps, split_unchanged
from govcase.stale import Staleness, TagInputs, record_inputs, settle as settle_equivalents, staleness
from govcase.versions import clean_version, govcase_version, tag_version
from govcase.tagging.lexicon import load_lexicon
from govcase.work import WORK_STAGES, Result, Task, performed, prepare_workers, workers_ready
from govcase.write import Versions, write_results

# progress(stage, total) is called once per stage and returns the function to call per item
Progress = Callable[[str, int], Callable[[], None]]
BATCH = 64  # articles per write transaction: few commits, little lost work if one fails
HELPER_BATCH = 16  # articles per batch the helper process of govcase.prestart tags (a small run)
BATCH_BYTES = 64 * 1024 * 1024  # raw bytes per stored batch, whatever the number of inputs
# articles to clean or tag above which worker processes pay for their start (2 batches)
POOL_THRESHOLD = prestart.POOL_THRESHOLD
# PostgreSQL's deadlock and serialisation failures: concurrent writers meeting on a shared row
# (a place, a cluster); the batch is written again
_RETRY = {"40P01", "40001"}


def now() -> datetime:
    return datetime.now(timezone.utc)


@contextmanager
def _collector_between_batches(every: int = 64) -> Iterator[Callable[[], None]]:
    """Collect garbage every ``every`` batches instead of whenever allocations pile up.

    The results unpickled from the workers are tens of thousands of small containers a
    batch, so the collector ran many times a batch, each time walking every result still in
    flight: 0.8 of the writer's 2.2 s of unpickling in a 5,000-article ingest. Reference
    counting frees nearly all of it; a batch leaves about a hundred objects in cycles
    (sessions, results), which the full collection that the yielded function runs once every
    ``every`` calls reclaims. The objects alive when processing starts (modules, the engine,
    caches) are frozen out of the collector meanwhile, so that collection walks only what
    the run made. All is handed back afterwards: a long-lived process (tests, a notebook)
    loses nothing.
    """
    enabled = gc.isenabled()
    calls = count(1)
    gc.freeze()
    gc.disable()
    try:
        yield lambda: next(calls) % every or gc.collect()
    finally:
        if enabled:
            gc.enable()
        gc.unfreeze()


def batched(items: Iterable, size: int) -> Iterator[list]:
    it = iter(items)
    while chunk := list(islice(it, size)):
        yield chunk


def batched_documents(docs: Iterable[RawDocument | InputReject], size: int = BATCH,
                      max_bytes: int = BATCH_BYTES) -> Iterator[list]:
    """Batches of ``size`` documents, cut early once they hold ``max_bytes``: 64 inputs
    near the size cap would otherwise be over a gigabyte in memory at once."""
    chunk: list = []
    held = 0
    for doc in docs:
        chunk.append(doc)
        held += len(doc.data) if isinstance(doc, RawDocument) else 0
        if len(chunk) >= size or held >= max_bytes:
            yield chunk
            chunk, held = [], 0
    if chunk:
        yield chunk


class Pipeline:
    def __init__(self, settings: Settings, engine: Engine | None = None,
                 progress: Progress | None = None) -> None:
        self.settings = settings
        self.engine = engine or open_database(settings.db_url)
        self._own_engine = engine is None  # closed by close(); a caller's engine is the caller's to close
        if self.engine.dialect.name == "sqlite":  # writers queue up front instead of failing mid-way
            if self._own_engine:
                self.engine.dispose()  # its connections opened and checked the database: done
            self.engine = make_engine(settings.db_url, immediate=True)
            self._own_engine = True
        self.clean_version = clean_version(settings.data_dir)
        self.tag_version = tag_version(settings.data_dir)
        self._progress = progress
        self._place_cache: dict[str, int] = {}
        self._stamps: dict[str, tuple[int, int]] = {}  # location -> stamp of the files this ingest reads
        self._claimant: str | None = None  # this process's name in the work queue, while draining it
        self._labels: dict[int, str] = {}  # source id -> label lowered after its task was handed out

    def close(self) -> None:
        """Close the database connections this pipeline opened. SQLite checkpoints its WAL into
        the database file when the last connection closes, so that happens here, when the
        command ends, not whenever the garbage collector frees the engine: the command line's
        process exits without collecting what is alive at its end (govcase.__main__), and a
        connection never closed would leave the WAL beside the database."""
        if self._own_engine:
            self.engine.dispose()

    @property
    def _shared_queue(self) -> bool:
        """Work goes through the queue many processes claim from (PostgreSQL); SQLite's one
        writer at a time works through what it finds pending."""
        return self.engine.dialect.name == "postgresql"

    @property
    def lexicon(self):
        return load_lexicon(self.settings.data_dir)  # compiled once per process (load_lexicon caches)

    # -- run records -------------------------------------------------------------

    def _run_id(self, report: RunReport, session: Session | None = None) -> int:
        """The run row, created the first time this run changes something.

        Pass the session of an open write transaction: on SQLite a second writer would
        wait for it. Never call it first inside a savepoint, which could roll the row back.
        """
        if report.run_id is None:
            run = m.Run(command=report.command, started_at=now(), status="running",
                        clean_version=self.clean_version, tag_version=self.tag_version,
                        lexicon_version=self.lexicon.version, govcase_version=govcase_version())
            if session is not None:
                session.add(run)
                session.flush()
            else:
                with Session(self.engine) as own, own.begin():
                    own.add(run)
                    own.flush()
            report.run_id = run.id
        return report.run_id

    @contextmanager
    def _recorded(self, command: str, exclusive: bool = False) -> Iterator[RunReport]:
        """A run under the database's lock; its run row (if any) is closed ok or failed."""
        report = RunReport(command)
        status = "failed"
        lock = RunLock(self.engine, exclusive=exclusive)
        lock.acquire(on_alone=self._close_interrupted_runs)
        with closing(lock):
            try:
                yield report
                status = "ok"
            finally:
                if report.run_id is not None:
                    with Session(self.engine) as session, session.begin():
                        session.execute(update(m.Run).where(m.Run.id == report.run_id).values(
                            finished_at=now(), status=status,
                            summary=json.dumps(report.as_dict(), ensure_ascii=False)))

    def _close_interrupted_runs(self) -> None:
        """Runs still 'running' while no process holds the lock were killed: say so."""
        with Session(self.engine) as session, session.begin():
            session.execute(update(m.Run).where(m.Run.status == "running").values(status="interrupted"))

    def _reject(self, session: Session, report: RunReport, stage: str, location: str, reason: str,
                detail: str = "", source_id: int | None = None, sha256: str | None = None) -> None:
        """Record why an input or article was skipped (once per stage and location)."""
        location, detail = location_text(location), storable(detail)
        old = session.execute(select(m.Reject.reason, m.Reject.detail).where(
            m.Reject.stage == stage, m.Reject.location == location)).first()
        if old is not None and tuple(old) == (reason, detail[:2000] or None):
            return
        upsert(session, m.Reject, {"stage": stage, "location": location, "source_id": source_id,
                                   "sha256": sha256, "reason": reason, "detail": detail[:2000] or None,
                                   "created_at": now(), "run_id": self._run_id(report, session)},
               keys=("stage", "location"))
        report.rejects[(stage, reason)] += 1

    def _ticker(self, stage: str, total: int) -> Callable[[], None]:
        return self._progress(stage, total) if self._progress else (lambda: None)

    # -- commands --------------------------------------------------------------------

    def ingest(self, paths: Iterable[str | Path], stop_after: str = "load") -> RunReport:
        """Store the inputs' bytes, then run every pending stage up to ``stop_after``."""
        stages = WORK_STAGES[:WORK_STAGES.index(stop_after) + 1] if stop_after != "ingest" else ()
        with self._recorded("ingest") as report:
            documents = self._inputs(paths, report)
            if stages and not self._shared_queue and self.settings.workers > 1:
                self._store_ahead(documents, report, stages)
                return report
            self.store(documents, report, on_many=prepare_workers if stages and self.settings.workers > 1 else None)
            if stages == WORK_STAGES and self._shared_queue:
                self._drain(report)
            elif stages:
                self._advance(report, self._pending(stages, mode="pending"))
        return report

    def work(self, idle: float = 0.0) -> RunReport:
        """Do queued work with any other workers attached to this database (PostgreSQL), until
        the queue has been empty for ``idle`` seconds."""
        if not self._shared_queue:
            raise GovcaseError("govcase work shares a PostgreSQL database's queue between processes; "
                               "on SQLite run govcase ingest or govcase reload instead")
        with self._recorded("work") as report:
            self._drain(report, idle)
        return report

    def run_stage(self, stage: str, everything: bool = False) -> RunReport:
        """One stage alone, on what is waiting for it (or on everything)."""
        if stage not in WORK_STAGES:
            raise ValueError(f"unknown stage {stage!r}: choose one of {', '.join(WORK_STAGES)}")
        with self._recorded(stage) as report:
            self._advance(report, self._pending((stage,), mode="all" if everything else "pending"))
        return report

    def reload(self, everything: bool = False) -> RunReport:
        """Redo the stages of articles made by older rules or lexicons (or of every article).

        After an edit of the lexicon alone, only the articles whose text holds a word the edit
        touches are tagged again; the others keep their facts under the new version
        (govcase.stale). On PostgreSQL the work is queued for every attached worker."""
        mode = "all" if everything else "stale"
        with self._recorded("reload", exclusive=not self._shared_queue) as report:
            # what tag reads today, read once for the staleness test and the record of this
            # version (each read hashes the data files and tag's code: ~9 ms)
            inputs = TagInputs.of(self.settings.data_dir)
            found = None if everything else self.staleness(inputs)
            pending = self._pending(WORK_STAGES, mode=mode, found=found)
            if not self._shared_queue:
                self._advance(report, pending, inputs)
            else:
                with Session(self.engine) as session, session.begin():  # every attached worker joins in
                    claims.mark(session.connection(), [(source_id, WORK_STAGES.index(stages[0]))
                                                       for source_id, stages in pending])
                self._drain(report)
            if found is not None:
                report.kept = found.kept
                if found.words:
                    with Session(self.engine) as session, session.begin():
                        self._run_id(report, session)
                        settle_equivalents(session, found)
        return report

    def staleness(self, inputs: TagInputs | None = None) -> Staleness:
        """What a reload would do after the edits since each article was tagged (no change made);
        ``inputs``: what tag reads today, when the caller has read it."""
        return staleness(self.engine, inputs or TagInputs.of(self.settings.data_dir), self.clean_version)

    # -- ingest: store the bytes ----------------------------------------------------------

    def _inputs(self, paths: Iterable[str | Path], report: RunReport) -> Iterator[RawDocument | InputReject]:
        """The documents to store: files stamped unchanged since they were stored are counted
        and not read (govcase.stamps)."""
        items = list(iter_files(paths))
        with Session(self.engine) as session:
            fresh, self._stamps, skipped = split_unchanged(session, [i for i in items if isinstance(i, Path)])
        report.already_stored += skipped  # unchanged since stored: not read again
        yield from (i for i in items if isinstance(i, InputReject))
        yield from read_documents(fresh, detect=False)

    def store(self, documents: Iterable[RawDocument | InputReject], report: RunReport,
              on_many: Callable[[], object] | None = None) -> None:
        """Store the documents' bytes; ``on_many`` is called once, as soon as there are enough
        new ones for worker processes (the pool then loads its dictionaries while the rest is
        stored). A few new articles are cleaned and tagged here: starting a pool costs more."""
        tick = self._ticker("ingest", 0)
        for chunk in batched_documents(documents):
            with Session(self.engine) as session, session.begin():
                self._store_batch(session, chunk, report)
            if on_many is not None and report.stored > POOL_THRESHOLD:
                on_many()
                on_many = None
            for _ in chunk:
                tick()

    def _store_ahead(self, documents: Iterable[RawDocument | InputReject], report: RunReport,
                     stages: tuple[str, ...]) -> None:
        """Store the documents, and clean, tag and load what is pending in a pool of workers
        that starts on the first stored articles while this process stores the rest: storing
        first left a core idle for its seconds (1.2 s of CPU, 2.5 s of a 5,000-article ingest's
        18). What is done and written is what storing, then ``_advance``, does: the batches are
        the pending articles' in source order (earlier runs' first, then the new ones as they
        are stored), the pool starts only once more than POOL_THRESHOLD articles wait, and no
        result is written before every input is stored. A task handed out before a later input
        brought its bytes under a smaller path has its label lowered when written."""
        old = self._pending(stages, mode="pending")  # what earlier runs left, before every new source
        pending = deque(old)
        busy = sum(1 for _, todo in old if "clean" in todo or "tag" in todo)
        inputs = batched_documents(documents)
        tick = self._ticker("ingest", 0)
        handed: dict[int, str] = {}  # source id -> the label its task was handed out with
        self._labels = {}
        new = 0
        prepared = False

        def store() -> bool:
            nonlocal new
            chunk = next(inputs, None)
            if chunk is None:
                return False
            with Session(self.engine) as session, session.begin():
                stored, labels = self._store_batch(session, chunk, report)
            pending.extend((source_id, stages) for source_id in stored)
            new += len(stored)
            for source_id, label in labels.items():
                if label < handed.get(source_id, label):
                    handed[source_id] = self._labels[source_id] = label
            for _ in chunk:
                tick()
            return True

        def step() -> bool:  # what comes before the first result is written, a step at a time
            nonlocal prepared
            if store():
                return True
            if prepared:
                return False
            prepared = True
            self._prepare(report, any("tag" in todo for _, todo in old) or (new > 0 and "tag" in stages))
            return True

        while busy + new <= POOL_THRESHOLD:
            if not store():  # a few articles: done as before, by the helper or this process
                self._advance(report, self._pending(stages, mode="pending"))
                return
        prepare_workers()

        def batches() -> Iterator[list[Task]]:
            first = True
            while True:
                # the pool is started once its server has loaded (it would wait for it): storing meanwhile
                while (len(pending) < BATCH or (first and not workers_ready())) and step():
                    pass
                if not pending:
                    return
                first = False
                tasks = self._tasks([pending.popleft() for _ in range(min(BATCH, len(pending)))])
                handed.update((task.source_id, task.label) for task in tasks)
                yield tasks

        self._perform(report, batches(), lambda: len(old) + new, self.settings.workers, meanwhile=step)

    def _store_batch(self, session: Session, docs: Sequence[RawDocument | InputReject],
                     report: RunReport) -> tuple[list[int], dict[int, str]]:
        """Store a batch of documents; returns the ids of the sources this run stored (in
        order) and the smallest label each source of the batch was given."""
        for doc in docs:
            if isinstance(doc, InputReject):
                self._reject(session, report, "ingest", doc.location, doc.reason, doc.detail, sha256=doc.sha256)
                if doc.reason == "not-found":
                    report.missing.append(doc.location)
                else:
                    report.refused += 1
        docs = [d for d in docs if isinstance(d, RawDocument)]
        if not docs:
            return [], {}
        hashes = {d.sha256 for d in docs}
        stored_by = {sha: (sid, run) for sha, sid, run in session.execute(
            select(m.Source.sha256, m.Source.id, m.Source.run_id).where(m.Source.sha256.in_(hashes)))}
        known = {sha: sid for sha, (sid, _run) in stored_by.items()}
        new: dict[str, RawDocument] = {}
        refused: dict[str, InputReject] = {}
        # the smallest path that brought the bytes labels them, whichever came first
        docs = sorted(docs, key=lambda d: d.source)
        for doc in docs:
            if doc.sha256 in refused:
                why = refused[doc.sha256]
                self._reject(session, report, "ingest", doc.source, why.reason, why.detail, sha256=doc.sha256)
                report.refused += 1
            elif doc.sha256 not in known and doc.sha256 not in new:
                detected = with_encoding(doc)  # only new bytes are worth detecting
                if isinstance(detected, InputReject):
                    refused[doc.sha256] = detected
                    report.refused += 1
                    self._reject(session, report, "ingest", detected.location, detected.reason, detected.detail,
                                 sha256=detected.sha256)
                else:
                    new[doc.sha256] = detected
        docs = [d for d in docs if d.sha256 not in refused]
        if new:
            run_id = self._run_id(report, session)
            insert_ignore(session, m.Source, [{
                "sha256": d.sha256, "label": d.source, "media_type": d.media_type, "encoding": d.encoding,
                "size": len(d.data), "raw": d.data, "created_at": now(), "run_id": run_id,
                "hints": json.dumps(dict(d.hints), ensure_ascii=False) if d.hints else None}
                for d in new.values()])
            for sha, sid, run in session.execute(select(m.Source.sha256, m.Source.id, m.Source.run_id)
                                                 .where(m.Source.sha256.in_(list(new)))):
                known[sha] = sid
                stored_by[sha] = (sid, run if run == run_id else None)  # None: another process stored it
            if self._shared_queue:
                claims.enqueue_pending(session.connection(), [known[sha] for sha in new])
        smallest = {}
        for doc in docs:
            smallest.setdefault(known[doc.sha256], doc.source)
        lower_to(session.connection(), m.Source, "label", list(smallest.items()))
        record_stamps(session, [(d.source, self._stamps[d.source], known[d.sha256])
                                for d in docs if d.source in self._stamps])
        self._count_stored(docs, new, stored_by, report)
        pairs = {(known[d.sha256], d.source) for d in docs}
        have = set(session.execute(select(m.SourceLocation.source_id, m.SourceLocation.location).where(
            m.SourceLocation.source_id.in_({s for s, _ in pairs}))).all())
        if pairs - have:
            self._run_id(report, session)
            insert_ignore(session, m.SourceLocation, [{"source_id": s, "location": loc}
                                                      for s, loc in sorted(pairs - have)])
        mine = sorted(stored_by[sha][0] for sha in new if stored_by[sha][1] is not None)
        return mine, smallest

    @staticmethod
    def _count_stored(docs: Sequence[RawDocument], new: dict, stored_by: dict, report: RunReport) -> None:
        """Count each input once as stored, already stored or repeated. Bytes two processes
        stored at once count as stored only for the one whose row it is (issue 18: two
        overlapping ingests both reported them as stored)."""
        first = set()
        for doc in docs:
            _sid, run = stored_by.get(doc.sha256, (None, None))
            mine = run is not None and run == report.run_id
            if doc.sha256 in new and mine and doc.sha256 not in first:
                first.add(doc.sha256)
                report.stored += 1
            elif mine or doc.sha256 in first:
                report.repeated += 1
            else:
                report.already_stored += 1

    # -- what is pending -----------------------------------------------------------------

    def _pending(self, allowed: Sequence[str], mode: str,
                 found: Staleness | None = None) -> list[tuple[int, tuple[str, ...]]]:
        """(source id, stages to run) for every source with work among the ``allowed`` stages.

        An article's stages run in order from the first one it needs; a source whose
        first needed stage is not allowed (``govcase tag`` on an uncleaned source) waits.
        In "stale" mode an article is tagged again when ``found`` says so (govcase.stale).
        """
        fresh = (found.current | set(found.words)) if found else {self.tag_version}
        retag = set(found.retag) if found else set()
        query = (select(m.Source.id, m.Article.id, m.Article.clean_version, m.Article.tag_version,
                        m.Article.load_version,
                        exists().where(and_(m.Reject.source_id == m.Source.id, m.Reject.stage == "clean")))
                 .outerjoin(m.Article, m.Article.source_id == m.Source.id).order_by(m.Source.id))
        if mode != "all":
            query = query.where(self._maybe_pending(mode, fresh, retag))
        with Session(self.engine) as session:
            rows = session.execute(query).all()
        out = []
        for source_id, article_id, cleaned, tagged, loaded, clean_rejected in rows:
            stale_tag = tagged not in fresh or article_id in retag
            first = self._first_stage(cleaned, tagged, loaded, clean_rejected, mode, allowed, stale_tag)
            if first is None or first not in allowed:
                continue
            out.append((source_id, tuple(s for s in WORK_STAGES[WORK_STAGES.index(first):] if s in allowed)))
        return out

    def _maybe_pending(self, mode: str, fresh: set[str], retag: set[int]):
        """A condition every row _first_stage gives work to meets (and most others do not):
        the database picks out the few pending articles of a large one, instead of this
        process reading a row of every source (0.1-0.2 s per 5,000) to find them."""
        art = m.Article
        some = or_(art.id.is_(None), art.tag_version.is_(None), art.load_version.is_(None),
                   art.load_version != art.tag_version)
        if mode != "stale":
            return some
        many = len(retag) > 500  # the ids themselves, or every article of the versions they were tagged under
        return or_(some, art.clean_version != self.clean_version, art.tag_version.not_in(fresh),
                   art.tag_version.in_(fresh - {self.tag_version}) if many else art.id.in_(sorted(retag)))

    def _first_stage(self, cleaned, tagged, loaded, clean_rejected: bool, mode: str,
                     allowed: Sequence[str], stale_tag: bool) -> str | None:
        if mode == "all":  # from the first allowed stage this source's article can go through
            ready = {"clean": True, "tag": cleaned is not None, "load": tagged is not None}
            return allowed[0] if ready[allowed[0]] else None
        if cleaned is None:  # no article yet; one rejected at clean is retried by a reload
            return None if clean_rejected and mode == "pending" else "clean"
        if mode == "stale" and cleaned != self.clean_version:
            return "clean"
        if tagged is None or (mode == "stale" and stale_tag):
            return "tag"
        if loaded != tagged:
            return "load"
        return None

    # -- doing it ----------------------------------------------------------------------------

    def _advance(self, report: RunReport, pending: list[tuple[int, tuple[str, ...]]],
                 inputs: TagInputs | None = None) -> None:
        """Clean and tag pending articles (in worker processes when there is enough work),
        writing each batch of results as it arrives; ``inputs``: what tag reads, if read already."""
        self._prepare(report, any("tag" in stages for _, stages in pending), inputs)
        busy = sum(1 for _, stages in pending if "clean" in stages or "tag" in stages)
        workers = self.settings.workers if busy > POOL_THRESHOLD else 1  # a pool costs seconds to start
        # the helper's batches are small: this process writes each while the helper tags the
        # next, so a reload of 68 articles waits for the writing of the last 4, not of 64
        size = HELPER_BATCH if workers <= 1 and prestart.started() else BATCH
        self._perform(report, (self._tasks(chunk) for chunk in batched(pending, size)), len(pending), workers)
        if self._shared_queue:  # what another process was settling when this one's batches came
            self._settle(report, wait=True)

    def _prepare(self, report: RunReport, tags: bool, inputs: TagInputs | None = None) -> None:
        """What comes before the first result is written: the signatures of older articles, and
        (``tags``: articles are to be tagged) the record of what this tag version reads."""
        self._backfill_signatures(report)
        if tags:
            with Session(self.engine) as session, session.begin():  # what this tag version reads
                record_inputs(session, inputs or TagInputs.of(self.settings.data_dir))

    def _perform(self, report: RunReport, batches: Iterable[list[Task]], total: int | Callable[[], int],
                 workers: int, meanwhile: Callable[[], bool] | None = None) -> None:
        """Do the batches and write their results; ``total``: how many articles, or a function
        that says it once ``meanwhile`` (see work.performed) is done."""
        tick = None
        if workers > 1:  # the pool's workers do it: the helper started for a little work is not needed
            prestart.stop()
        helper = prestart.helper() if workers <= 1 and total else None
        with _collector_between_batches() as collect:
            # a few pending articles (SQLite's list, made up front) go to the helper at once; the
            # shared queue's batches are claimed as they go, and --workers 1 may leave many
            for results in performed(batches, self.settings.data_dir, workers, helper, meanwhile=meanwhile,
                                     all_ahead=not self._shared_queue and not callable(total)
                                     and total <= POOL_THRESHOLD):
                tick = tick or self._ticker("process", total() if callable(total) else total)
                self._write(results, report)
                collect()
                for _ in results:
                    tick()

    # -- the shared queue (PostgreSQL) ----------------------------------------------------

    def _drain(self, report: RunReport, idle: float = 0.0) -> None:
        """Claim batches of queued work and do them until the queue is empty (and has stayed
        empty for ``idle`` seconds); batches other live workers hold are theirs, and an expired
        claim (its worker killed) is taken over."""
        self._backfill_signatures(report)
        presence = self.engine.connect()  # its session names this worker's claims while it works
        self._claimant = claims.claimant(presence)
        presence.commit()
        with Session(self.engine) as session, session.begin():  # what older runs left pending
            claims.enqueue_pending(session.connection())
            record_inputs(session, TagInputs.of(self.settings.data_dir))  # what this tag version reads
        done: set[int] = set()  # sources this run did: one that failed is not retried in it
        quiet_since = time.monotonic()
        try:
            while True:
                queued, _ = claims.outstanding(self.engine)
                workers = self.settings.workers if queued > POOL_THRESHOLD else 1
                before = report.cleaned + report.tagged + report.loaded
                self._perform(report, self._claimed(report, done), queued, workers)
                self._settle(report, wait=True)
                queued, live = claims.outstanding(self.engine)
                if report.cleaned + report.tagged + report.loaded > before or live:
                    quiet_since = time.monotonic()
                if not live and (queued == 0 and time.monotonic() - quiet_since >= idle):
                    return
                time.sleep(0.5)  # others' batches are running: wait to take over any whose claim expires
        finally:
            self._claimant = None
            presence.close()

    def _claimed(self, report: RunReport, done: set[int]) -> Iterator[list[Task]]:
        """Batches of tasks claimed from the queue, until none is left to claim."""
        while batch := claims.claim(self.engine, self._claimant, BATCH):
            again = [source_id for source_id, _ in batch if source_id in done]
            if again:  # failed earlier in this run: off the queue until a later run
                with Session(self.engine) as session, session.begin():
                    claims.finish(session.connection(), self._claimant, again)
            todo = [(source_id, stage) for source_id, stage in batch if source_id not in done]
            done.update(source_id for source_id, _ in todo)
            if todo:
                yield self._tasks([(source_id, WORK_STAGES[stage:]) for source_id, stage in sorted(todo)])

    def _tasks(self, chunk: list[tuple[int, tuple[str, ...]]]) -> list[Task]:
        ids = [source_id for source_id, _ in chunk]
        with Session(self.engine) as session:
            raws = {row.id: row for row in session.execute(
                select(m.Source.id, m.Source.label, m.Source.raw, m.Source.media_type, m.Source.sha256,
                       m.Source.encoding, m.Source.hints).where(m.Source.id.in_(ids)))}
            articles = {row.source_id: row for row in session.execute(
                select(m.Article.id, m.Article.source_id, m.Article.body, m.Article.title, m.Article.published,
                       m.Article.outlet)
                .where(m.Article.source_id.in_(ids)))}
        tasks = []
        for source_id, stages in chunk:
            src, art = raws[source_id], articles.get(source_id)
            if art is None and "clean" not in stages:  # queued for tag, but its article is gone
                stages = WORK_STAGES
            raw = article = None
            if "clean" in stages:
                hints = tuple(json.loads(src.hints).items()) if src.hints else ()
                raw = RawDocument(src.label, src.raw, src.media_type, src.sha256, src.encoding, hints)
            elif art is not None and "tag" in stages:
                article = CleanArticle(body=art.body, title=art.title, published=art.published, outlet=art.outlet)
            tasks.append(Task(source_id, src.label, stages, art.id if art else None, raw, article))
        return tasks

    def _write(self, results: list[Result], report: RunReport) -> None:
        """Write a batch in one transaction (again if it met a concurrent writer in a
        deadlock), then settle the clusters of its articles when no other process is."""
        if self._labels:  # see _store_ahead
            results = [replace(r, task=replace(r.task, label=self._labels[r.task.source_id]))
                       if r.task.source_id in self._labels else r for r in results]
        for attempt in range(5):
            saved = (report.run_id, report.rejects.copy())
            try:
                counts = self._write_once(results, report)
                break
            except DBAPIError as exc:
                report.run_id, report.rejects = saved
                if getattr(exc.orig, "sqlstate", None) not in _RETRY or attempt == 4:
                    raise
                time.sleep(0.05 * (attempt + 1))
        report.cleaned += counts["clean"]
        report.tagged += counts["tag"]
        report.loaded += counts["load"]
        report.duplicates += counts["duplicate"]
        if self._shared_queue:
            self._settle(report, wait=False)

    def _settle(self, report: RunReport, wait: bool) -> None:
        """Settle queued clusters (PostgreSQL: in their own transaction, serialised between
        processes; without ``wait``, only if no other process is at it)."""
        for attempt in range(5):
            try:
                with Session(self.engine) as session, session.begin():
                    roots = settle(session, wait=wait)
                break
            except DBAPIError as exc:
                if getattr(exc.orig, "sqlstate", None) not in _RETRY or attempt == 4:
                    raise
        report.duplicates += sum(root is not None for root in (roots or {}).values())

    def _write_once(self, results: list[Result], report: RunReport) -> Counter:
        """One transaction. If it fails, write the articles one by one, each in a savepoint,
        so a failing article is recorded and skipped, the others are kept, and its old facts
        survive."""
        run_id, rejects = report.run_id, report.rejects.copy()
        try:
            return self._write_batch(results, report, isolate=False)
        except DBAPIError as exc:
            if getattr(exc.orig, "sqlstate", None) in _RETRY:
                raise
            report.run_id, report.rejects = run_id, rejects
        except Exception:  # noqa: BLE001 - the slow path below finds and records the culprit
            # what the failed transaction wrote is gone: its run row and its rejects
            report.run_id, report.rejects = run_id, rejects
        return self._write_batch(results, report, isolate=True)

    def _commit_places(self, results: list[Result]) -> None:
        """PostgreSQL: get or create the batch's places in a transaction of their own, committed
        at once. A writer meeting a place another has just created waits for that transaction
        to end; inside the batch's, it waited for the other's whole batch."""
        rows = [row for r in results if r.plan is not None for row in r.plan.places]
        cache = dict(self._place_cache)
        if any(row.key not in cache for row in rows):
            with Session(self.engine) as session, session.begin():
                place_ids(session, rows, cache)
            self._place_cache = cache

    def _write_batch(self, results: list[Result], report: RunReport, isolate: bool) -> Counter:
        counts: Counter = Counter()
        if self._shared_queue:
            self._commit_places(results)
        cache = dict(self._place_cache)  # place ids become trustworthy only once their transaction commits
        with Session(self.engine) as session, session.begin():
            versions = Versions(self.clean_version, self.tag_version, self._run_id(report, session), now())
            groups = [[r] for r in results] if isolate else [results]
            for group in groups:
                mine = dict(cache)
                try:
                    with session.begin_nested() if isolate else nullcontext():
                        counts.update(write_results(session, group, versions, mine))
                        self._record_failures(session, group, report)
                except Exception as exc:
                    if not isolate or getattr(getattr(exc, "orig", None), "sqlstate", None) in _RETRY:
                        raise
                    task = group[0].task
                    self._reject(session, report, "load", task.label, "error", f"{type(exc).__name__}: {exc}",
                                 task.source_id)
                else:
                    cache = mine
            if self._shared_queue:
                claims.finish(session.connection(), self._claimant, [r.task.source_id for r in results])
            if not self._shared_queue:  # SQLite: this transaction is the only writer
                roots = settle(session)
                counts["duplicate"] += sum(root is not None for root in roots.values())
        self._place_cache = cache
        return counts

    def _record_failures(self, session: Session, results: list[Result], report: RunReport) -> None:
        for result in results:
            if result.failure is not None:
                task, failure = result.task, result.failure
                self._reject(session, report, failure.stage, task.label, failure.reason, failure.detail,
                             task.source_id, task.raw.sha256 if task.raw else None)

    def _backfill_signatures(self, report: RunReport) -> None:
        """Articles stored before near-duplicate detection existed get their signature."""
        with Session(self.engine) as session:
            ids = list(session.scalars(select(m.Article.id).where(
                ~exists().where(m.ArticleSignature.article_id == m.Article.id),
                m.Article.duplicate_of_id.is_(None)).order_by(m.Article.id)))
        for chunk in batched(ids, BATCH):
            with Session(self.engine) as session, session.begin():
                rows = session.execute(select(m.Article.id, m.Article.body, m.Article.title)
                                       .where(m.Article.id.in_(chunk))).all()
                signed = [(article_id, sig) for article_id, body, title in rows
                          if (sig := signature(body, title)) is not None]
                if signed:
                    self._run_id(report, session)
                    store_and_queue(session, signed)
        self._settle(report, wait=True)
