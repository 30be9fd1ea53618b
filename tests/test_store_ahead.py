"""An ingest with a pool of workers starts them on the first stored articles while it stores
the rest (Pipeline._store_ahead), and writes what storing first, then processing, writes."""
from __future__ import annotations

import os
import sqlite3

import pytest

from govcase import pipeline as pipeline_module
from govcase import write as write_module
from govcase.pipeline import Pipeline
from govcase.settings import Settings

from conftest import SEEDS

# stored, then rejected at clean: a page of furniture alone
_FURNITURE = "<html><body><nav>首页 关于我们 联系我们</nav><footer>版权所有</footer></body></html>".encode()


def _tables(path) -> dict[str, list]:
    """Every table's rows, sorted, with the columns that hold times left out."""
    con = sqlite3.connect(path)
    try:
        out = {}
        for (table,) in con.execute("SELECT name FROM sqlite_master WHERE type = 'table' ORDER BY name"):
            columns = [row[1] for row in con.execute(f"PRAGMA table_info({table})") if not row[1].endswith("_at")]
            out[table] = sorted(map(repr, con.execute(f"SELECT {', '.join(columns)} FROM {table}")))
        return out
    finally:
        con.close()


@pytest.fixture
def inputs(tmp_path):
    """70 articles in b/, then b.html: the bytes of b/00.html (a page of furniture) under a smaller label,
    read after it (a folder's entries are read in name order: b/ before b.html) and stored in
    the second batch of inputs, after b/00.html's task may have been handed out."""
    folder = tmp_path / "in"
    (folder / "b").mkdir(parents=True)
    texts = [p.read_bytes() for p in sorted(SEEDS.glob("*.txt"))]
    (folder / "b" / "00.html").write_bytes(_FURNITURE)
    for i in range(1, 70):
        (folder / "b" / f"{i:02d}.txt").write_bytes(texts[i % len(texts)] + f"\n第{i}期".encode())
    (folder / "b.html").write_bytes(_FURNITURE)
    for path in folder.rglob("*"):  # old enough to be stamped by both runs (govcase.stamps: racy files are not)
        os.utime(path, ns=(1_700_000_000 * 10**9,) * 2)
    return folder


def test_a_pool_ingest_stores_ahead_and_writes_what_storing_first_writes(tmp_path, inputs, monkeypatch):
    monkeypatch.setattr(pipeline_module, "BATCH", 4)  # many batches
    monkeypatch.setattr(pipeline_module, "POOL_THRESHOLD", 8)  # a pool for 71 inputs
    # the pool's server counts as ready at once: b/00.html's task is handed out before b.html is stored
    monkeypatch.setattr(pipeline_module, "workers_ready", lambda: True)
    stored_when_written = []
    real = write_module.write_results

    def write_results(session, results, versions, cache):
        stored_when_written.append(session.connection().exec_driver_sql("SELECT count(*) FROM sources").scalar())
        return real(session, results, versions, cache)

    monkeypatch.setattr(write_module, "write_results", write_results)
    monkeypatch.setattr(pipeline_module, "write_results", write_results)
    tables = []
    for workers in (1, 2):  # one: stored, then processed here (Pipeline.store, then _advance)
        db = tmp_path / f"w{workers}.db"
        pipeline = Pipeline(Settings.from_env(f"sqlite:///{db}", workers=workers))
        try:
            report = pipeline.ingest([inputs])
        finally:
            pipeline.close()
        assert (report.stored, report.repeated, report.loaded) == (70, 1, 69)
        assert report.rejects == {("clean", "no-body"): 1}
        tables.append(_tables(db))
    assert set(stored_when_written) == {70}  # no result was written before every input was stored
    assert tables[0] == tables[1]
    rejects = tables[1]["rejects"]
    assert len(rejects) == 1 and "b.html" in rejects[0] and "00.html" not in rejects[0]
