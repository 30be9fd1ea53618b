"""Time every analyst view and every documented query on real-sized databases.

    python3 ../shared/tools/make_corpus.py /tmp/c20000 --clean --n 20000
    govcase ingest /tmp/c20000 --db sqlite:////tmp/c20000.db
    govcase ingest /tmp/c20000 --db postgresql://postgres@127.0.0.1/bench
    python benchmarks/views.py --db sqlite:////tmp/c20000.db --db postgresql://postgres@127.0.0.1/bench

For each view: the first page as Datasette shows it (``SELECT * ... LIMIT 101``) and its
row count (``SELECT COUNT(*)``, which Datasette also runs); for each query of
docs/queries.md that runs on the database: all its rows. Each is the median of --runs
runs, in seconds of wall time (and, on SQLite, the CPU seconds of the query: on a shared,
loaded machine the wall time is mostly waiting for a core); one that runs past --timeout
is stopped and shown as ">T". Issue 18
asks for each under 1 s at 20,000 articles. The databases are not migrated (so the views
of an older revision can be timed too); the revision is printed.
"""
from __future__ import annotations

import argparse
import os
import statistics
import time
from pathlib import Path

from sqlalchemy import inspect, text
from sqlalchemy.exc import DBAPIError

from govcase import db as dbmod
from govcase.docs import documented_queries
from govcase.settings import normalise_db_url
from govcase.views import VIEWS

LIMIT = 1.0  # seconds: Datasette's default time limit for a query (sql_time_limit_ms 1000)


class TimedOut(Exception):
    pass


def _run(conn, sql: str, timeout: float) -> tuple[float, float]:
    """Seconds to run ``sql`` and fetch every row, and this process's CPU seconds for it (on
    SQLite the query's own work; on PostgreSQL the server's is not seen); TimedOut past ``timeout``."""
    driver = conn.connection.driver_connection
    start, cpu = time.perf_counter(), time.process_time()
    if conn.dialect.name == "sqlite":
        deadline = start + timeout
        driver.set_progress_handler(lambda: int(time.perf_counter() > deadline), 10_000)
    else:
        conn.exec_driver_sql(f"SET statement_timeout = {int(timeout * 1000)}")
    try:
        conn.execute(text(sql)).fetchall()
    except DBAPIError as exc:  # the driver's own interrupt / cancel error, or a failing query
        if time.perf_counter() - start >= timeout * 0.99:
            raise TimedOut from exc
        raise
    finally:
        if conn.dialect.name == "sqlite":
            driver.set_progress_handler(None, 0)
        else:
            conn.rollback()
    return time.perf_counter() - start, time.process_time() - cpu


def workload(dialect: str, views: set[str], queries: Path | None = None) -> list[tuple[str, str]]:
    """(label, sql) of every view page and count (none when ``views`` is empty), then every
    query of ``queries`` (docs/queries.md by default)."""
    items = []
    for view in VIEWS:
        if view in views:
            items.append((f"{view} (first 101 rows)", f"SELECT * FROM {view} LIMIT 101"))
            items.append((f"{view} (count)", f"SELECT COUNT(*) FROM {view}"))
    items += [(f"query: {q.name}", q.sql) for q in documented_queries(dialect, queries)]
    return items


def measure(url: str, runs: int, timeout: float, queries: Path | None = None,
            with_views: bool = True) -> tuple[str, dict[str, float | None]]:
    engine = dbmod.make_engine(normalise_db_url(url))
    times: dict[str, float | None] = {}
    with engine.connect() as conn:
        revision = conn.execute(text("SELECT version_num FROM alembic_version")).scalar()
        articles = conn.execute(text("SELECT COUNT(*) FROM articles")).scalar()
        views = set(inspect(conn).get_view_names())
        conn.rollback()
        for label, sql in workload(conn.dialect.name, views if with_views else set(), queries):
            samples = []
            for _ in range(runs):
                try:
                    samples.append(_run(conn, sql, timeout))
                except TimedOut:
                    samples = [None]
                    break
                except DBAPIError:  # a query of a newer revision (a table this one lacks)
                    samples = ["error"]
                    break
            times[label] = samples[0] if samples in ([None], ["error"]) else (
                statistics.median(s[0] for s in samples), statistics.median(s[1] for s in samples))
    engine.dispose()
    return f"{engine.dialect.name} {revision} ({articles} articles)", times


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--db", action="append", required=True, help="database URL or SQLite file (repeat)")
    parser.add_argument("--runs", type=int, default=3)
    parser.add_argument("--timeout", type=float, default=60.0)
    parser.add_argument("--queries", type=Path, help="another queries.md (an older revision's: git show REV:docs/queries.md)")
    parser.add_argument("--no-views", action="store_true", help="time the queries only")
    args = parser.parse_args()
    results = [measure(url, args.runs, args.timeout, args.queries, not args.no_views) for url in args.db]
    labels = list(dict.fromkeys(label for _, times in results for label in times))
    print("| view or query | " + " | ".join(name for name, _ in results) + " |")
    print("|---|" + "---:|" * len(results))
    slow = 0
    for label in labels:  # n/a: the view is not in this revision; error: nor the query's tables
        cells = []
        for name, times in results:
            value = times.get(label, "n/a")
            if value in ("n/a", "error"):
                cells.append(value)
            elif value is None:
                cells.append(f">{args.timeout:g} SLOW")
                slow += 1
            else:
                wall, cpu = value
                cells.append(f"{wall:.3f}" + (f" ({cpu:.3f} cpu)" if name.startswith("sqlite") else "")
                             + (" SLOW" if wall >= LIMIT else ""))
                slow += wall >= LIMIT
        print(f"| {label} | " + " | ".join(cells) + " |")
    print(f"\n{slow} of {sum(len(t) for _, t in results)} at or over {LIMIT:g} s of wall time (median of {args.runs} "
          f"runs); load average when done: {os.getloadavg()[0]:.1f} on {os.cpu_count()} cores")


if __name__ == "__main__":
    main()
