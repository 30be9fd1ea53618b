"""PostgreSQL as a first-class target: the same export as SQLite, and concurrent ingests that cannot collide."""
from __future__ import annotations

import os
import subprocess
import sys

import pytest
from sqlalchemy import func, select
from sqlalchemy.orm import Session

from govcase import db, models as m
from govcase.export import iter_records
from govcase.pipeline import Pipeline
from govcase.settings import Settings

from conftest import PG_URL, export_line, shared_path

pytestmark = [pytest.mark.pg, pytest.mark.skipif(not PG_URL, reason="set GOVCASE_TEST_PG_URL to test PostgreSQL")]
# The check uses 500 files; GOVCASE_TEST_CONCURRENT_N makes the test smaller or larger.
CONCURRENT_N = int(os.environ.get("GOVCASE_TEST_CONCURRENT_N", "500"))


def _lines(engine) -> list[str]:
    return sorted(export_line(r) for r in iter_records(engine))


def _counts(engine) -> dict[str, int]:
    """Rows per table, but runs and file_stamps (a cache: files written in the last two seconds
    are not stamped, so how many are depends on when each run read them)."""
    with Session(engine) as session:
        return {t.name: session.scalar(select(func.count()).select_from(t))
                for t in m.Base.metadata.sorted_tables if t.name not in ("runs", "file_stamps")}


@pytest.mark.parametrize("corpus", ["dev", "dev2"])
def test_sqlite_and_postgresql_export_the_same_lines(corpus, pg_databases, tmp_path):
    folder = shared_path("corpus", corpus)
    sqlite = Pipeline(Settings.from_env(f"sqlite:///{tmp_path / 'a.db'}"))
    postgres = Pipeline(Settings.from_env(pg_databases()))
    sqlite.ingest([folder])
    postgres.ingest([folder])
    assert _lines(postgres.engine) == _lines(sqlite.engine)


def test_two_concurrent_ingests_end_with_the_rows_of_one(pg_databases, tmp_path):
    corpus = tmp_path / "c"
    make_corpus = shared_path("tools", "make_corpus.py")
    subprocess.run([sys.executable, str(make_corpus), str(corpus), "--n", str(CONCURRENT_N)], check=True,
                   capture_output=True)
    once, twice = pg_databases(), pg_databases()
    for url in (once, twice):
        db.open_database(url)  # migrated up front, so both processes start on the same schema

    def ingest(url: str) -> subprocess.Popen:
        return subprocess.Popen([sys.executable, "-m", "govcase.cli", "ingest", str(corpus), "--db", url],
                                stdout=subprocess.PIPE, stderr=subprocess.PIPE)

    procs = [ingest(twice), ingest(twice)]
    results = [p.communicate() for p in procs]
    for proc, (out, err) in zip(procs, results):  # exit 1: the corpus's broken files are rejected
        assert proc.returncode in (0, 1), err.decode()[-2000:]
        assert b"Traceback" not in err
    ref = ingest(once)
    out, err = ref.communicate()
    assert ref.returncode in (0, 1), err.decode()[-2000:]

    engine_once, engine_twice = db.open_database(once), db.open_database(twice)
    assert _counts(engine_twice) == _counts(engine_once)
    assert _lines(engine_twice) == _lines(engine_once)
    with Session(engine_twice) as session:
        assert session.scalar(select(func.count()).select_from(m.Reject).where(m.Reject.stage == "load")) == 0
