"""Plain `ingest` and `reload` arguments called without typer's parsing (govcase.direct): the
same command functions, the same output and exit codes as through typer; anything else is
left to typer."""
from __future__ import annotations

import shutil
import subprocess
import sys
from pathlib import Path

import pytest

from govcase.direct import parse


def test_plain_ingest_and_reload_arguments_are_parsed():
    assert parse(["ingest", "a", "b/", "--db", "x.db", "--workers", "2", "--json"]) == (
        "ingest", ["a", "b/"], {"db": "x.db", "workers": 2, "as_json": True})
    assert parse(["ingest", "--stage", "tag", "a"]) == ("ingest", ["a"], {"stage": "tag"})
    assert parse(["reload", "--db", "x.db", "--all", "--dry-run"]) == (
        "reload", [], {"db": "x.db", "everything": True, "dry_run": True})
    assert parse(["reload"]) == ("reload", [], {})


@pytest.mark.parametrize("argv", [
    [], ["stats"], ["export", "--db", "x.db"], ["ingest"], ["ingest", "--db", "x.db"],  # no path: typer says so
    ["ingest", "a", "--help"], ["ingest", "a", "-h"], ["reload", "--help"],
    ["ingest", "a", "--db=x.db"], ["ingest", "a", "--db", "x", "--db", "y"], ["reload", "--all", "--all"],
    ["ingest", "a", "--workers", "0"], ["ingest", "a", "--workers", "two"], ["ingest", "a", "--workers", "٣"],
    ["ingest", "a", "--workers"], ["ingest", "a", "--db"], ["ingest", "a", "--db", "--json"],
    ["ingest", "--", "-a"], ["ingest", "a", "--all"], ["reload", "a"], ["reload", "--stage", "tag"],
    ["ingest", "a", "--unknown"],
])
def test_anything_else_is_left_to_typer(argv):
    assert parse(argv) is None


def _govcase(args: list[str], through_typer: bool, cwd: Path) -> subprocess.CompletedProcess:
    code = ("import sys; from govcase.cli import app; sys.argv[0] = 'govcase'; app()" if through_typer
            else "from govcase.__main__ import main; main()")
    return subprocess.run([sys.executable, "-c", code, *args], capture_output=True, text=True, timeout=600, cwd=cwd)


def _folder(tmp_path: Path) -> Path:
    folder = tmp_path / "in"
    folder.mkdir()
    for i in range(2):
        (folder / f"a{i}.txt").write_text(f"上海市徐汇区天平路街道加装电梯{i + 1}台，居民议事会协商停车管理。" * 3,
                                          encoding="utf-8")
    return folder


@pytest.mark.parametrize("tail", [["--json"], [], ["--stage", "nowhere"], ["--stage", "clean"]])
def test_an_ingest_says_and_exits_as_through_typer(tmp_path, tail):
    folder = _folder(tmp_path)
    runs = []
    for through_typer in (True, False):
        db = tmp_path / f"{through_typer}.db"
        runs.append(_govcase(["ingest", str(folder), str(tmp_path / "missing.txt"), "--db", str(db), *tail],
                             through_typer, tmp_path))
    typer_run, direct_run = runs
    assert direct_run.returncode == typer_run.returncode != 0  # a missing input: incomplete (1), or a bad stage (2)
    assert direct_run.stdout == typer_run.stdout and direct_run.stderr == typer_run.stderr


def test_a_reload_says_and_exits_as_through_typer(tmp_path):
    folder = _folder(tmp_path)
    db = tmp_path / "cases.db"
    assert _govcase(["ingest", str(folder), "--db", str(db)], False, tmp_path).returncode == 0
    for tail in (["--dry-run"], ["--dry-run", "--json"], [], ["--all", "--json"]):
        runs = []
        for through_typer in (True, False):  # each on its own copy: a reload that runs is recorded (run_id)
            copy = tmp_path / f"copy-{through_typer}.db"
            shutil.copyfile(db, copy)
            runs.append(_govcase(["reload", "--db", str(copy), *tail], through_typer, tmp_path))
        typer_run, direct_run = runs
        assert (direct_run.returncode, direct_run.stdout, direct_run.stderr) == \
               (typer_run.returncode, typer_run.stdout, typer_run.stderr), tail


def test_an_ingest_and_a_reload_close_their_database_before_the_process_ends(tmp_path):
    """govcase.__main__ leaves what is alive at the end of an ingest or a reload to the operating
    system, uncollected: the pipeline closes its connections itself, so SQLite checkpoints its
    WAL into the database and removes it, as when the collector closed them; a database that
    is refused is closed too."""
    folder = _folder(tmp_path)
    db = tmp_path / "cases.db"
    for args in (["ingest", str(folder)], ["reload"], ["reload", "--all"], ["ingest", str(folder)]):
        done = _govcase([*args, "--db", str(db)], False, tmp_path)
        assert done.returncode == 0, done.stderr
        assert not (tmp_path / "cases.db-wal").exists() and not (tmp_path / "cases.db-shm").exists(), args
    assert _govcase(["db", "downgrade", "0007", "--db", str(db)], True, tmp_path).returncode == 0
    done = _govcase(["reload", "--db", str(db)], False, tmp_path)  # refused: taken down on purpose
    assert done.returncode == 2 and "govcase db upgrade" in done.stderr
    assert not (tmp_path / "cases.db-wal").exists()
