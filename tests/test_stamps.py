"""An ingest of an unchanged folder reads no file; a changed or racy file is read again."""
from __future__ import annotations

import os
import shutil
import time
from pathlib import Path

from sqlalchemy import func, select
from sqlalchemy.orm import Session

from govcase import models as m
from govcase.pipeline import Pipeline
from govcase.settings import Settings

from conftest import SEEDS

HOUR_NS = 3600 * 10**9


def _settle(folder: Path) -> None:
    """Files last modified an hour ago: past the window in which a stamp is not trusted."""
    t = time.time_ns() - HOUR_NS
    for path in folder.rglob("*.txt"):
        os.utime(path, ns=(t, t))


def _reads(monkeypatch, folder: Path) -> list[str]:
    """The names of the files of ``folder`` read from now on."""
    import govcase.ingest

    seen: list[str] = []
    real = govcase.ingest._read

    def reading(path, detect):
        if Path(path).parent.name == folder.name:
            seen.append(Path(path).name)
        return real(path, detect)

    monkeypatch.setattr(govcase.ingest, "_read", reading)
    return seen


def test_an_unchanged_folder_is_not_read_again(db_url, tmp_path, monkeypatch):
    folder = tmp_path / "in"
    shutil.copytree(SEEDS, folder)
    _settle(folder)
    pipeline = Pipeline(Settings.from_env(db_url, workers=1))
    assert pipeline.ingest([folder]).stored == 5
    reads = _reads(monkeypatch, folder)
    report = pipeline.ingest([folder])
    assert (report.stored, report.unchanged, report.run_id) == (0, 5, None)
    assert not reads

    changed = sorted(folder.glob("*.txt"))[0]
    changed.write_text(changed.read_text(encoding="utf-8") + "\n补记：居民议事会再次协商。", encoding="utf-8")
    t = time.time_ns() - HOUR_NS // 2
    os.utime(changed, ns=(t, t))
    report = pipeline.ingest([folder])
    assert (report.stored, report.unchanged) == (1, 4)
    assert reads == [changed.name]
    with Session(pipeline.engine) as session:
        assert session.scalar(select(func.count()).select_from(m.FileStamp)) == 5


def test_a_file_modified_just_now_is_read_every_time(sqlite_url, tmp_path, monkeypatch):
    folder = tmp_path / "in"
    shutil.copytree(SEEDS, folder)
    for path in folder.glob("*.txt"):
        os.utime(path)  # modified now: within the window in which a stamp is not trusted
    pipeline = Pipeline(Settings.from_env(sqlite_url, workers=1))
    pipeline.ingest([folder])
    for path in folder.glob("*.txt"):
        os.utime(path)  # still "just now" for the second run, however long the first one took
    reads = _reads(monkeypatch, folder)
    assert pipeline.ingest([folder]).unchanged == 5
    assert len(reads) == 5  # read and hashed, as before
    with Session(pipeline.engine) as session:
        assert session.scalar(select(func.count()).select_from(m.FileStamp)) == 0


def test_another_spelling_of_a_path_is_read_and_recorded_as_a_location(sqlite_url, tmp_path, monkeypatch):
    folder = tmp_path / "in"
    shutil.copytree(SEEDS, folder)
    _settle(folder)
    pipeline = Pipeline(Settings.from_env(sqlite_url, workers=1))
    pipeline.ingest([folder])
    monkeypatch.chdir(tmp_path)
    assert pipeline.ingest([Path("in")]).unchanged == 5
    with Session(pipeline.engine) as session:
        assert session.scalar(select(func.count()).select_from(m.SourceLocation)) == 10
