"""Many processes on one PostgreSQL database: concurrent ingests and workers sharing a reload.

Three ingests of overlapping folders clean each file once between them and end with the
database one ingest of all three folders makes; a reload drained by attached workers, one
of them killed outright while it holds a batch, ends as a reload by one process.
"""
from __future__ import annotations

import json
import os
import signal
import subprocess
import sys
import time
from pathlib import Path

import pytest
from sqlalchemy import create_engine, text

from conftest import PG_URL, export_line, shared_path

pytestmark = [pytest.mark.pg, pytest.mark.skipif(not PG_URL, reason="set GOVCASE_TEST_PG_URL to test PostgreSQL")]
N = int(os.environ.get("GOVCASE_TEST_SCALE_N", "240"))


def _govcase(*args: str, **kw) -> subprocess.Popen:
    return subprocess.Popen([sys.executable, "-m", "govcase.cli", *args], stdout=subprocess.PIPE,
                            stderr=subprocess.PIPE, text=True, **kw)


def _report(proc: subprocess.Popen) -> dict:
    import json

    out, err = proc.communicate(timeout=600)
    assert proc.returncode in (0, 1), err  # 1: finished, with the corpus's broken files rejected
    return json.loads(out)


def _export(url: str, path: Path) -> list[str]:
    subprocess.run([sys.executable, "-m", "govcase.cli", "export", "--db", url, "--out", str(path)], check=True,
                   capture_output=True)
    return sorted(export_line(json.loads(line)) for line in path.read_text(encoding="utf-8").splitlines())


@pytest.fixture(scope="module")
def corpus(tmp_path_factory) -> Path:
    """A messy make_corpus folder (exact and near duplicates, broken files)."""
    folder = tmp_path_factory.mktemp("scale") / "all"
    subprocess.run([sys.executable, str(shared_path("tools", "make_corpus.py")), str(folder), "--n", str(N)],
                   check=True, capture_output=True)
    return folder


def _overlapping(corpus: Path, root: Path) -> list[Path]:
    """Three folders, each with two thirds of the files (every file in two of them)."""
    files = sorted(p for p in corpus.iterdir() if p.suffix in (".txt", ".html"))
    folders = []
    for k in range(3):
        folder = root / f"part{k}"
        folder.mkdir()
        for i, path in enumerate(files):
            if i % 3 != k:
                os.link(path, folder / path.name)
        folders.append(folder)
    return folders


def test_three_ingests_of_overlapping_folders_clean_each_file_once(corpus, pg_databases, tmp_path):
    folders = _overlapping(corpus, tmp_path)
    alone = pg_databases()
    single = _report(_govcase("ingest", *map(str, folders), "--db", alone, "--workers", "1", "--json"))
    shared = pg_databases()
    _report(_govcase("stats", "--db", shared, "--json"))  # the schema first, as a deployment would
    procs = [_govcase("ingest", str(folder), "--db", shared, "--workers", "1", "--json") for folder in folders]
    reports = [_report(p) for p in procs]
    cleaned = sum(r["cleaned"] for r in reports)
    assert single["cleaned"] <= cleaned <= 1.05 * single["cleaned"]
    assert _export(shared, tmp_path / "shared.jsonl") == _export(alone, tmp_path / "alone.jsonl")


def _claimed_by(url: str, pid: int) -> list[int]:
    engine = create_engine(url)
    with engine.connect() as conn:
        ids = list(conn.execute(text("SELECT source_id FROM work_queue WHERE claimed_by LIKE :p"),
                                {"p": f"%:{pid}"}).scalars())
    engine.dispose()
    return ids


def test_a_reload_drained_by_attached_workers_survives_one_killed(corpus, pg_databases, tmp_path):
    url = pg_databases()
    _report(_govcase("ingest", str(corpus), "--db", url, "--workers", "1", "--json"))
    before = _export(url, tmp_path / "before.jsonl")
    workers = [_govcase("work", "--db", url, "--workers", "1", "--idle", "5", "--json") for _ in range(2)]
    time.sleep(2)  # attached and waiting when the reload queues its work
    started = time.time()
    reload = _govcase("reload", "--all", "--db", url, "--workers", "1", "--json")
    victim, held = workers[1], []
    deadline = time.monotonic() + 120
    while not held and time.monotonic() < deadline and victim.poll() is None:
        held = _claimed_by(url, victim.pid)
        time.sleep(0.02)
    assert held, "the second worker never held a batch"
    victim.send_signal(signal.SIGKILL)
    killed_at = time.time()
    victim.communicate()
    reports = [_report(reload), _report(workers[0])]
    assert sum(r["cleaned"] for r in reports) >= len(held)
    engine = create_engine(url)
    with engine.connect() as conn:
        assert conn.execute(text("SELECT count(*) FROM work_queue")).scalar() == 0
        redone = conn.execute(text("SELECT min(extract(epoch FROM cleaned_at)) FROM articles "
                                   "WHERE source_id = ANY(:ids)"), {"ids": held}).scalar()
        stale = conn.execute(text("SELECT count(*) FROM articles WHERE extract(epoch FROM cleaned_at) < :t"),
                             {"t": started}).scalar()
    engine.dispose()
    assert redone > killed_at  # the killed worker's batch was done by another
    assert stale == 0  # every article was cleaned again
    assert _export(url, tmp_path / "after.jsonl") == before
