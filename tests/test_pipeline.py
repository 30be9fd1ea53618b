"""The pipeline skips a failing article with its reason and never loses stored facts."""
from __future__ import annotations

from sqlalchemy import func, select
from sqlalchemy.orm import Session

from govcase import load as load_module
from govcase import models as m
from govcase import pipeline as pipeline_module
from govcase import tag as tag_module
from govcase import write as write_module
from govcase.pipeline import Pipeline
from govcase.settings import Settings

from conftest import SEEDS


def _count(engine, model) -> int:
    with Session(engine) as session:
        return session.scalar(select(func.count()).select_from(model))


def test_a_rule_that_crashes_on_one_article_is_recorded_and_the_rest_go_on(sqlite_url, monkeypatch):
    real_passes = tag_module.PASSES

    def flaky(job, lexicon):  # the first pass of tag, broken on one article
        if "长桥街道" in job.article.body:
            raise RuntimeError("rule bug")
        real_passes[0](job, lexicon)

    monkeypatch.setattr(tag_module, "PASSES", (flaky, *real_passes[1:]))
    pipeline = Pipeline(Settings.from_env(sqlite_url))
    report = pipeline.ingest([SEEDS])
    assert report.loaded == 4 and report.rejects == {("tag", "error"): 1}
    with Session(pipeline.engine) as session:
        reject = session.scalars(select(m.Reject)).one()
        assert reject.location.endswith("003_a320bd797d9e20fa.txt") and "rule bug" in reject.detail
    monkeypatch.setattr(tag_module, "PASSES", real_passes)
    assert pipeline.run_stage("tag").tagged == 1  # fixed rules pick up what was left
    assert pipeline.run_stage("load").loaded == 1
    assert _count(pipeline.engine, m.Reject) == 0  # the reject is cleared once the article goes through


def test_a_failing_load_keeps_the_articles_previous_facts(sqlite_url, monkeypatch):
    pipeline = Pipeline(Settings.from_env(sqlite_url))
    pipeline.ingest([SEEDS])
    before = _count(pipeline.engine, m.Outcome)

    def broken(session, plans, cache):
        load_module.delete_facts(session, [article_id for article_id, _ in plans])
        raise RuntimeError("disk full")

    monkeypatch.setattr(write_module, "apply_plans", broken)
    report = pipeline.run_stage("load", everything=True)
    assert report.loaded == 0 and report.rejects == {("load", "error"): 5}
    assert _count(pipeline.engine, m.Outcome) == before  # each transaction rolled back whole


def test_one_failing_article_does_not_cost_the_others_in_its_batch(sqlite_url, monkeypatch):
    real = write_module.apply_plans

    def flaky(session, plans, cache):
        if any("长桥街道" in s.text for _, plan in plans for s in plan.evidence):
            raise RuntimeError("bad row")
        return real(session, plans, cache)

    monkeypatch.setattr(write_module, "apply_plans", flaky)
    report = Pipeline(Settings.from_env(sqlite_url)).ingest([SEEDS])
    assert (report.cleaned, report.tagged, report.loaded) == (4, 4, 4)  # 003 rolled back whole
    assert report.rejects == {("load", "error"): 1}


def test_worker_processes_give_the_same_rows_as_one_process(tmp_path, monkeypatch):
    from govcase.export import iter_records

    from conftest import shared_path

    folder = tmp_path / "in"
    folder.mkdir()
    for path in [*SEEDS.iterdir(), *shared_path("corpus", "dev2").glob("*.txt")]:
        (folder / path.name).write_bytes(path.read_bytes())
    monkeypatch.setattr(pipeline_module, "BATCH", 4)  # several batches in flight
    exports = []
    for workers in (1, 2):
        url = f"sqlite:///{tmp_path / f'w{workers}.db'}"
        report = Pipeline(Settings.from_env(url, workers=workers)).ingest([folder])
        assert report.loaded == 25 and report.rejected == 0
        exports.append([{k: v for k, v in r.items()} for r in iter_records(Pipeline(Settings.from_env(url)).engine)])
    assert exports[0] == exports[1]


def test_the_writer_collects_cycles_between_batches_and_restores_the_collector():
    import gc
    import weakref

    class Node:
        pass

    freed = []
    assert gc.isenabled()
    with pipeline_module._collector_between_batches(every=3) as collect:
        assert not gc.isenabled()
        node = Node()
        node.self = node  # a cycle: reference counting alone never frees it
        weakref.finalize(node, freed.append, True)
        del node
        collect(), collect()
        assert not freed  # not yet: once every 3 batches
        collect()
        assert freed == [True]
    assert gc.isenabled()


def test_bulk_written_timestamps_have_sqlalchemys_text_form_on_sqlite(sqlite_url):
    """Rows bulk inserted through the driver store a datetime as SQLAlchemy does, so text
    comparisons and sorting in analysts' SQL see one form."""
    from sqlalchemy import text

    pipeline = Pipeline(Settings.from_env(sqlite_url, workers=1))
    pipeline.ingest([SEEDS])
    with pipeline.engine.connect() as conn:
        forms = conn.execute(text("SELECT DISTINCT a.cleaned_at, t.tagged_at FROM articles a "
                                  "JOIN tag_results t ON t.article_id = a.id")).all()
    assert len(forms) == 1 and forms[0][0] == forms[0][1]


def test_a_reload_rewrites_timestamps_in_the_same_text_form_on_sqlite(sqlite_url):
    """Re-cleaned articles are updated through the driver (db.update_rows), converted alike."""
    from sqlalchemy import text

    pipeline = Pipeline(Settings.from_env(sqlite_url, workers=1))
    pipeline.ingest([SEEDS])
    assert pipeline.reload(everything=True).cleaned == 5
    with pipeline.engine.connect() as conn:
        forms = conn.execute(text("SELECT DISTINCT a.cleaned_at, t.tagged_at FROM articles a "
                                  "JOIN tag_results t ON t.article_id = a.id")).all()
    assert len(forms) == 1 and forms[0][0] == forms[0][1]
