"""An ingest that finds nothing to do answers through the sqlite3 module alone, with the
report the full pipeline gives; anything that leaves work, or that it does not know, goes
to the full pipeline."""
from __future__ import annotations

import os
import shutil
import sqlite3
import subprocess
import sys
import time
from pathlib import Path

from typer.testing import CliRunner

from govcase.cli import app
from govcase.pipeline import Pipeline
from govcase.settings import Settings
from govcase.unchanged import unchanged_ingest

from conftest import SEEDS

HOUR_NS = 3600 * 10**9


def _stored(tmp_path: Path) -> tuple[Path, Path]:
    folder = tmp_path / "in"
    shutil.copytree(SEEDS, folder)
    t = time.time_ns() - HOUR_NS  # past the window in which a stamp is not trusted
    for path in folder.rglob("*.txt"):
        os.utime(path, ns=(t, t))
    db = tmp_path / "cases.db"
    assert Pipeline(Settings.from_env(str(db), workers=1)).ingest([folder]).stored == 5
    return folder, db


def test_an_unchanged_folder_is_answered_as_the_pipeline_answers(tmp_path):
    folder, db = _stored(tmp_path)
    for json_flag in ([], ["--json"]):
        argv = ["ingest", str(folder), "--db", str(db), *json_flag]
        found = unchanged_ingest(argv)
        assert found is not None and found[1] == bool(json_flag)
        assert found[0].as_dict() == Pipeline(Settings.from_env(str(db), workers=1)).ingest([folder]).as_dict()
        # the command's own output: the fast path (main) against typer's full path (app)
        fast = subprocess.run([sys.executable, "-m", "govcase", *argv],
                              capture_output=True, text=True, check=True)
        full = CliRunner().invoke(app, argv)
        assert fast.stdout == full.stdout and full.exit_code == 0
    with sqlite3.connect(db) as conn:
        assert conn.execute("SELECT COUNT(*) FROM runs").fetchone() == (1,)  # neither path recorded a run


def test_work_left_or_unknown_input_goes_to_the_pipeline(tmp_path):
    folder, db = _stored(tmp_path)
    argv = ["ingest", str(folder), "--db", str(db)]
    assert unchanged_ingest(argv) is not None
    for other in (["--stage", "tag"], ["--workers", "0"], ["--verbose"], ["--db", "postgresql://x@h/db"]):
        assert unchanged_ingest([*argv, *other]) is None
    assert unchanged_ingest(["ingest", str(folder), str(tmp_path / "missing.txt"), "--db", str(db)]) is None

    changed = sorted(folder.glob("*.txt"))[0]
    t = time.time_ns() - HOUR_NS // 2
    os.utime(changed, ns=(t, t))
    assert unchanged_ingest(argv) is None
    os.utime(changed)  # modified just now: its stamp is not trusted
    assert unchanged_ingest(argv) is None
    Pipeline(Settings.from_env(str(db), workers=1)).ingest([folder])
    assert unchanged_ingest(argv) is None  # still racy
    t = time.time_ns() - HOUR_NS // 4
    os.utime(changed, ns=(t, t))
    Pipeline(Settings.from_env(str(db), workers=1)).ingest([folder])
    assert unchanged_ingest(argv) is not None

    for change in ("UPDATE articles SET load_version = NULL WHERE id = 1",
                   "INSERT INTO cluster_queue (article_id) VALUES (1)",
                   "UPDATE runs SET status = 'running'",
                   "DELETE FROM measures WHERE code = (SELECT MIN(code) FROM measures)",
                   "UPDATE alembic_version SET version_num = '0001'"):
        copy = tmp_path / "copy.db"
        copy.unlink(missing_ok=True)
        with sqlite3.connect(db) as source, sqlite3.connect(copy) as conn:
            source.backup(conn)  # the write-ahead log's pages too
            conn.execute(change)
        assert unchanged_ingest(["ingest", str(folder), "--db", str(copy)]) is None, change


def test_the_inputs_to_read_are_counted_for_the_early_fork_server(tmp_path):
    """unchanged.look says how many inputs an ingest reads (govcase.__main__ starts the workers'
    fork server at once when they are more than a pool's worth): every input for a database
    not made yet, then those whose stamp is not the stored one."""
    from govcase.unchanged import look

    folder, db = _stored(tmp_path)
    fresh = look(["ingest", str(folder), "--db", str(tmp_path / "new.db"), "--workers", "2"])
    assert fresh.report is None and fresh.to_read == 5 and fresh.workers == 2
    assert not (tmp_path / "new.db").exists()  # looked at, not made
    stored = look(["ingest", str(folder), "--db", str(db)])
    assert stored.report is not None and stored.to_read == 0 and stored.workers is None
    t = time.time_ns() - HOUR_NS // 2
    os.utime(sorted(folder.glob("*.txt"))[0], ns=(t, t))
    assert look(["ingest", str(folder), "--db", str(db)])[::2] == (None, 1)
