"""Ctrl-C or SIGTERM in the middle of a database statement: the transaction is rolled back and
its write lock released at once, so the interrupted run still closes its run row and ends with
130/143, and the next run stores what this one did not."""
from __future__ import annotations

import time

import pytest
from sqlalchemy import event, func, select
from sqlalchemy.orm import Session

from govcase import models as m
from govcase.errors import Terminated
from govcase.pipeline import Pipeline
from govcase.settings import Settings

TEXT = "长宁区北新泾街道新泾五村小区加装电梯已投入使用{n}台，签约14台。居民区党总支通过议事会协商解决停车难问题。\n"


@pytest.mark.parametrize("interruption", [Terminated, KeyboardInterrupt])
def test_a_signal_during_a_statement_leaves_no_write_lock_behind(tmp_path, interruption):
    folder = tmp_path / "in"
    folder.mkdir()
    for i in range(5):
        (folder / f"a{i}.txt").write_text(f"第{i}篇\n" + TEXT.format(n=i + 1), encoding="utf-8")
    url = f"sqlite:///{tmp_path / 'x.db'}"
    pipeline = Pipeline(Settings.from_env(url, workers=1))
    stored = []

    def interrupt(_conn, _cursor, statement, *_):
        # as the signal handler raises: just after SQLite ran a query of the storing transaction
        # that has rows to give (the ids of the sources just stored), while its cursor holds the
        # statement (SIGTERM while storing, as in test_ctrl_c_and_sigterm_..._worker_tracebacks)
        if statement.startswith("INSERT") and "INTO sources " in statement:
            stored.append(statement)
        elif stored and statement.startswith("SELECT sources."):
            stored.clear()
            raise interruption()

    event.listen(pipeline.engine, "after_cursor_execute", interrupt)
    started = time.monotonic()
    try:
        with pytest.raises(interruption):
            pipeline.ingest([folder], stop_after="ingest")
        # the run row's last update (Pipeline._recorded) found SQLite's lock free: it waited 60 s, then
        # failed with "database is locked", while the interrupted statement's connection kept it
        assert time.monotonic() - started < 30
        with Session(pipeline.engine) as session:  # the batch rolled back, the run row made in it too
            assert session.scalar(select(func.count()).select_from(m.Source)) == 0
            assert session.scalar(select(func.count()).select_from(m.Run)) == 0
    finally:
        pipeline.close()
    again = Pipeline(Settings.from_env(url, workers=1))
    try:
        assert again.ingest([folder], stop_after="ingest").stored == 5
    finally:
        again.close()
