"""An ingest with nothing to do, found out without SQLAlchemy, the models or the stages.

Re-running an ingest over a folder already stored is the common case of a scheduled job,
and it used to cost a second: importing SQLAlchemy, the models and the pipeline (~0.6 s of
CPU), opening the database through them, then finding every file's stamp unchanged
(govcase.stamps) and nothing pending. For a SQLite database this module asks the same
questions through the sqlite3 module alone, under the run lock as an ingest takes it:

- the schema is at the newest revision and every codebook code is in it (else the full
  path migrates or seeds);
- no run was left 'running' by a killed process (else the full path marks it interrupted);
- every input is a file whose stamp matches the one recorded when it was stored (a new,
  changed, racy, .jsonl, missing or refused input is read by the full path);
- no stored source waits for a stage, no article for its near-duplicate signature, and the
  cluster queue is empty.

When all of that holds, the full path would change nothing in the database and report every
input as already stored; that report is returned. Anything else (PostgreSQL, an option not
known here, pending work, any error) returns None and the command runs the full pipeline,
which does what there is to do and reports errors as it always does.

The same look says how many inputs an ingest that does have work will read (``Look.to_read``):
when more than a pool's worth are new, govcase.__main__ starts the workers' fork server at
once, so it loads the stages beside this process's imports and storing.
"""
from __future__ import annotations

import fcntl
import os
import sqlite3
from pathlib import Path
from typing import NamedTuple, Sequence

from govcase.report import RunReport

_VALUED = ("--db", "--workers", "--stage")
_CHUNK = 500  # locations per query
# as Pipeline._pending finds work for an ingest ("pending" mode), and a little more (an
# article never cleaned, whether or not clean rejected it): the full path looks closer
_PENDING = ("SELECT 1 FROM sources s LEFT JOIN articles a ON a.source_id = s.id WHERE "
            "(a.id IS NULL AND NOT EXISTS (SELECT 1 FROM rejects r WHERE r.source_id = s.id AND r.stage = 'clean')) "
            "OR (a.id IS NOT NULL AND (a.clean_version IS NULL OR a.tag_version IS NULL OR a.load_version IS NULL "
            "OR a.load_version != a.tag_version)) LIMIT 1")
# as Pipeline._backfill_signatures finds articles to sign, and clusters.settle its queue
_UNSIGNED = ("SELECT 1 FROM articles a WHERE a.duplicate_of_id IS NULL AND NOT EXISTS "
             "(SELECT 1 FROM article_signatures g WHERE g.article_id = a.id) LIMIT 1")
_QUEUED = "SELECT 1 FROM cluster_queue LIMIT 1"


class Look(NamedTuple):
    """What an ingest would find, looked at without the pipeline."""

    report: RunReport | None  # the report when it has nothing to do, else None
    as_json: bool  # --json was given
    to_read: int  # inputs it reads: new, changed or not trusted unchanged (0: not known; into a
    # database not made yet, counted up to one more than prestart.POOL_THRESHOLD, what decides a pool)
    workers: int | None  # --workers as given


def unchanged_ingest(argv: Sequence[str]) -> tuple[RunReport, bool] | None:
    """(the report, whether --json was given) of ``govcase ARGV`` when it is an ingest that
    would find nothing to do; else None."""
    found = look(argv)
    return None if found is None or found.report is None else (found.report, found.as_json)


def look(argv: Sequence[str]) -> Look | None:
    """What ``govcase ARGV`` would find when it is a plain ingest into a SQLite file (a file
    not made yet: every input is read); None for anything else, or on any error."""
    parsed = _parse(argv)
    if parsed is None:
        return None
    paths, db, as_json, workers = parsed
    try:
        report, to_read = _check(paths, db)
    except Exception:  # noqa: BLE001 - the full path meets the same problem and reports it as it should
        return None
    return Look(report, as_json, to_read, workers)


def _parse(argv: Sequence[str]) -> tuple[list[str], str | None, bool, int | None] | None:
    """(paths, --db, --json, --workers) of ``ingest PATH... [--db URL] [--workers N] [--stage load]
    [--json]``; None for anything else, which typer parses."""
    if not argv or argv[0] != "ingest":
        return None
    paths, options, as_json, i = [], {}, False, 1
    while i < len(argv):
        arg = argv[i]
        if arg == "--json":
            as_json = True
        elif arg in _VALUED and i + 1 < len(argv):
            options[arg] = argv[i + 1]
            i += 1
        elif arg.split("=", 1)[0] in _VALUED and "=" in arg:
            key, value = arg.split("=", 1)
            options[key] = value
        elif arg.startswith("-"):
            return None
        else:
            paths.append(arg)
        i += 1
    workers = options.get("--workers", "1")
    if not paths or options.get("--stage", "load") != "load" or not (workers.isdigit() and int(workers) >= 1):
        return None
    return paths, options.get("--db"), as_json, int(options["--workers"]) if "--workers" in options else None


def _sqlite_file(url: str) -> str | None:
    """The file of a plain sqlite:///FILE URL (SQLAlchemy's reading of it)."""
    prefix = "sqlite:///"
    if not url.startswith(prefix):
        return None
    path = url[len(prefix):]
    if not path or any(c in path for c in "?%") or path.startswith((":memory:", "file:")):
        return None
    return path


def _check(paths: list[str], db: str | None) -> tuple[RunReport | None, int]:
    """(the report when there is nothing to do, how many inputs are to be read: 0 when not known)."""
    from govcase.settings import Settings

    database = _sqlite_file(Settings.from_env(db).db_url)
    if database is None:
        return None, 0
    if not os.path.exists(database):  # a new database: every input is read, counted as far as __main__ asks
        from itertools import islice

        from govcase.ingest import iter_files
        from govcase.prestart import POOL_THRESHOLD

        return None, sum(1 for _ in islice((f for f in iter_files(paths) if isinstance(f, Path)), POOL_THRESHOLD + 1))
    if not os.path.isfile(database):
        return None, 0
    # the run lock as govcase.locks takes it for an ingest: exclusively for a moment (to
    # know whether another run is active), then shared
    lock = os.open(Path(database).with_name(f"{Path(database).name}.lock"), os.O_RDWR | os.O_CREAT, 0o644)
    try:
        alone = _flock(lock, fcntl.LOCK_EX)
        if not alone and not _flock(lock, fcntl.LOCK_SH):
            return None, 0  # a reload holds it: the full path waits, or says so
        conn = sqlite3.connect(database, timeout=60, isolation_level=None)
        try:
            conn.execute("BEGIN")  # one snapshot for every question
            if alone:
                if conn.execute("SELECT 1 FROM runs WHERE status = 'running' LIMIT 1").fetchone():
                    return None, 0  # left by a killed run: the full path marks it interrupted
                _flock(lock, fcntl.LOCK_SH)  # other runs may take it now, as with an ingest's
            # the inputs first: a run with new files (the usual reason to run) stops there
            found = _to_read(conn, paths)
            if found is None:
                return None, 0
            to_read, files = found
            return RunReport("ingest", already_stored=files) if not to_read and _up_to_date(conn) else None, to_read
        finally:
            conn.close()
    finally:
        os.close(lock)


def _flock(fd: int, how: int) -> bool:
    try:
        fcntl.flock(fd, how | fcntl.LOCK_NB)
    except BlockingIOError:
        return False
    return True


def _up_to_date(conn: sqlite3.Connection) -> bool:
    """At the newest revision with every codebook code, and no work pending."""
    from govcase.codebook import DEFAULT_PATH, load_codebook
    from govcase.revision import head_revision

    if conn.execute("SELECT version_num FROM alembic_version").fetchall() != [(head_revision(),)]:
        return False
    book = load_codebook(DEFAULT_PATH)
    for table, section in (("measures", book.measures), ("mechanisms", book.mechanisms)):
        if not set(section) <= {code for (code,) in conn.execute(f"SELECT code FROM {table}")}:
            return False
    return not any(conn.execute(sql).fetchone() for sql in (_PENDING, _UNSIGNED, _QUEUED))


def _to_read(conn: sqlite3.Connection, paths: list[str]) -> tuple[int, int] | None:
    """(how many of the files under ``paths`` an ingest reads: new, changed, racy or .jsonl,
    with no stamp that matches the one stored; how many files there are); None when an input
    is missing, unreadable or refused (the full path records and reports it)."""
    from govcase.ingest import iter_files
    from govcase.stamps import taken

    files = list(iter_files(paths))
    if not all(isinstance(f, Path) for f in files):
        return None
    names, stamps = taken(files)
    locations = list(stamps)
    known = {}
    for i in range(0, len(locations), _CHUNK):
        chunk = locations[i:i + _CHUNK]
        known.update((location, (size, mtime)) for location, size, mtime in conn.execute(
            f"SELECT location, size, mtime_ns FROM file_stamps WHERE location IN ({','.join('?' * len(chunk))})",
            chunk))
    return sum(name not in stamps or known.get(name) != stamps[name] for name in names), len(files)
