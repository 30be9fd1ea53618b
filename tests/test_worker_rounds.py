"""The worker pool's rounds (govcase.work.performed): fresh workers every ROUND_BATCHES
batches each, results in order and the same as this process makes them."""
from __future__ import annotations

import multiprocessing

from govcase import work
from govcase.records import RawDocument
from govcase.settings import default_data_dir
from govcase.work import WORK_STAGES, Task, perform_batch, performed


def _tasks() -> list[Task]:
    text = "上海市徐汇区天平路街道某小区加装电梯12台，居民议事会协商停车管理。".encode("utf-8")
    return [Task(i, f"made-up-{i}", WORK_STAGES, raw=RawDocument(f"made-up-{i}", text * (i + 1), "text",
                                                                f"{i:064x}", "utf-8")) for i in range(5)]


def test_workers_are_replaced_after_each_round_and_results_keep_their_order(monkeypatch):
    monkeypatch.setattr(work, "ROUND_BATCHES", 1)  # two workers: rounds of two batches, three rounds
    data_dir = default_data_dir()
    workers, results = set(), []
    for batch in performed([[task] for task in _tasks()], data_dir, 2):
        workers |= {p.pid for p in multiprocessing.active_children()}
        results += batch
    assert results == perform_batch(_tasks(), data_dir)
    assert len(workers) > 2  # one pool for the whole run would have had two at most
    assert not multiprocessing.active_children()
