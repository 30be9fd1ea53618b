"""A run killed with SIGKILL at any point leaves a consistent database that the next run completes."""
from __future__ import annotations

import os
import signal
import subprocess
import sys
import time
from pathlib import Path

import pytest

from sqlalchemy import func, select
from sqlalchemy.orm import Session

from govcase import db, models as m
from govcase.export import iter_records

from conftest import SEEDS, SHARED, export_line


def _corpus(folder: Path) -> Path:
    """Seeds, reposts of them (near-duplicates) and the dev2 excerpts when ../shared is here."""
    folder.mkdir()
    for path in sorted(SEEDS.iterdir()):
        text = path.read_text(encoding="utf-8")
        (folder / path.name).write_text(text, encoding="utf-8")
        for i in range(1, 25):  # enough articles for several write batches
            (folder / f"{path.stem}-repost{i}.txt").write_text(f"转载自第{i}家网站\n{text}", encoding="utf-8")
    dev2 = SHARED / "corpus" / "dev2"
    for path in sorted(dev2.glob("*.txt")) if dev2.is_dir() else ():
        (folder / path.name).write_bytes(path.read_bytes())
    return folder


def _ingest(folder: Path, url: str) -> subprocess.Popen:
    return subprocess.Popen([sys.executable, "-m", "govcase.cli", "ingest", str(folder), "--db", url],
                            stdout=subprocess.PIPE, stderr=subprocess.PIPE, env={**os.environ, "NO_COLOR": "1"})


def _state(engine) -> dict[str, int]:
    with Session(engine) as session:
        return {
            "sources": session.scalar(select(func.count()).select_from(m.Source)),
            "articles": session.scalar(select(func.count()).select_from(m.Article)),
            "loaded": session.scalar(select(func.count()).where(m.Article.load_version.is_not(None))),
        }


def _counts(engine) -> dict[str, int]:
    with Session(engine) as session:
        # runs differ by design; file stamps are a cache of what was read, which files still
        # within the two-second window of a recent write do not get
        return {t.name: session.scalar(select(func.count()).select_from(t))
                for t in m.Base.metadata.sorted_tables if t.name not in ("runs", "file_stamps")}


def _export(engine) -> list[str]:
    return [export_line(r) for r in iter_records(engine)]


# When to kill: while sources are being stored, while articles are being cleaned, and
# while facts are being loaded; each is a different half-done state to recover from.
# (what, n) kills a run once it has added n sources, articles or loaded articles to what the
# database held when it started, so every kill lands in a run with work still to do however
# fast ingest is; ("seconds", n) kills n seconds after the start, wherever the run is by then.
KILL_POINTS = [("sources", 1), ("articles", 1), ("loaded", 1), ("seconds", 1.5), ("loaded", 1)]


def _progress(engine, what: str) -> int:
    try:
        return _state(engine)[what]
    except Exception:  # no schema yet
        return 0


def _kill_when(proc: subprocess.Popen, engine, what: str, at_least: float, timeout: float = 120) -> bool:
    start = time.monotonic()
    while time.monotonic() < start + timeout and proc.poll() is None:
        try:
            due = (time.monotonic() - start >= at_least) if what == "seconds" else _state(engine)[what] >= at_least
            if due:
                proc.send_signal(signal.SIGKILL)
                proc.wait()
                return True
        except Exception:  # the schema may not exist yet while the child migrates
            pass
        time.sleep(0.02)
    proc.wait()
    return False


def test_ingest_killed_at_several_points_then_rerun_ends_like_an_uninterrupted_run(db_url, tmp_path):
    folder = _corpus(tmp_path / "in")
    reference_url = f"sqlite:///{tmp_path / 'reference.db'}"
    assert _ingest(folder, reference_url).wait() == 0
    reference = db.open_database(reference_url)

    engine = db.open_database(db_url)
    kills = 0
    for what, more in KILL_POINTS:
        at_least = more if what == "seconds" else _progress(engine, what) + more
        kills += _kill_when(_ingest(folder, db_url), engine, what, at_least)
    assert kills >= 3, "the ingest finished before it could be killed; make the corpus larger"
    finish = _ingest(folder, db_url)
    out, err = finish.communicate()
    assert finish.returncode == 0, err.decode()

    assert _counts(engine) == _counts(reference)
    assert _export(engine) == _export(reference)
    with Session(engine) as session:
        statuses = set(session.scalars(select(m.Run.status)))
    assert "running" not in statuses and "interrupted" in statuses


def _processes_with(marker: str) -> list[int]:
    """The live processes whose environment holds ``marker`` (Linux /proc)."""
    found = []
    for entry in Path("/proc").iterdir():
        if not entry.name.isdigit():
            continue
        try:
            environ = (entry / "environ").read_bytes()
            state = (entry / "stat").read_text().rsplit(")", 1)[1].split()[0]
        except OSError:  # gone, or not ours to read
            continue
        if marker.encode() in environ.split(b"\0") and state != "Z":
            found.append(int(entry.name))
    return found


@pytest.mark.skipif(not Path("/proc/self/environ").exists(), reason="reads processes from Linux's /proc")
def test_workers_and_their_fork_server_end_when_the_ingest_is_killed(tmp_path):
    folder = _corpus(tmp_path / "in")
    url = f"sqlite:///{tmp_path / 'killed.db'}"
    marker = f"GOVCASE_TEST_RUN={os.getpid()}-{time.monotonic_ns()}"
    name, value = marker.split("=", 1)
    engine = db.open_database(url)
    proc = subprocess.Popen([sys.executable, "-m", "govcase.cli", "ingest", str(folder), "--db", url,
                             "--workers", "2"], stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL,
                            env={**os.environ, name: value})
    assert _kill_when(proc, engine, "articles", 1), "the ingest finished before its workers were seen"
    deadline = time.monotonic() + 15
    while _processes_with(marker) and time.monotonic() < deadline:
        time.sleep(0.2)
    assert _processes_with(marker) == []
