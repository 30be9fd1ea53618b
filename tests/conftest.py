"""Shared fixtures: fresh databases on SQLite always, on PostgreSQL when configured.

Set GOVCASE_TEST_PG_URL (e.g. postgresql://postgres@127.0.0.1:5432/test) to run
every database test on PostgreSQL too; each test gets a database of its own,
created from that server and dropped afterwards.
"""
from __future__ import annotations

import os
from pathlib import Path

import pytest

from govcase.db import scratch_pg_database

ROOT = Path(__file__).resolve().parents[1]
SEEDS = ROOT / "seeds" / "articles"
SHARED = ROOT.parent / "shared"
PG_URL = os.environ.get("GOVCASE_TEST_PG_URL")

BACKENDS = ["sqlite", pytest.param("postgresql", marks=[
    pytest.mark.pg, pytest.mark.skipif(not PG_URL, reason="set GOVCASE_TEST_PG_URL to test PostgreSQL")])]


def shared_path(*parts: str) -> Path:
    """A file of ../shared (corpus, gold, tools); the test is skipped where it is absent."""
    path = SHARED.joinpath(*parts)
    if not path.exists():
        pytest.skip(f"{path} is not here (../shared holds the dev corpus and gold)")
    return path


def new_pg_database(prefix: str = "govcase_test"):
    """A fresh database on the PostgreSQL server of GOVCASE_TEST_PG_URL: (url, drop)."""
    return scratch_pg_database(PG_URL, prefix)


@pytest.fixture(params=BACKENDS)
def db_url(request, tmp_path) -> str:
    """A URL of an empty database, on each backend."""
    if request.param == "sqlite":
        yield f"sqlite:///{tmp_path / 'govcase.db'}"
        return
    url, drop = new_pg_database()
    yield url
    drop()


@pytest.fixture
def pg_databases():
    """A factory of fresh PostgreSQL databases, dropped afterwards."""
    drops = []

    def create() -> str:
        url, drop = new_pg_database()
        drops.append(drop)
        return url

    yield create
    for drop in drops:
        drop()


@pytest.fixture
def sqlite_url(tmp_path) -> str:
    return f"sqlite:///{tmp_path / 'govcase.db'}"


def pytest_collection_modifyitems(config, items):
    """In CI (GOVCASE_REQUIRE_PG=1) a PostgreSQL test may not be skipped for want of a server."""
    if os.environ.get("GOVCASE_REQUIRE_PG") and not PG_URL:
        raise pytest.UsageError("GOVCASE_REQUIRE_PG is set but GOVCASE_TEST_PG_URL is not")


# The export's row ids (issue 18: an analyst joins an export line back to its rows) number
# articles in the order they were stored; runs that stored in another order (concurrent
# ingests, a killed and resumed run) must agree on everything else.
ROW_IDS = ("article_id", "duplicate_of_id")


def export_line(record: dict) -> str:
    """One export record as a comparable line, without the row ids."""
    import json

    return json.dumps({k: v for k, v in record.items() if k not in ROW_IDS}, ensure_ascii=False, sort_keys=True)
