"""Batch reloads: stale detection by version, near-duplicate clusters, the run lock, migrations with data."""
from __future__ import annotations

import json
import shutil

import pytest
from sqlalchemy import func, inspect, select
from sqlalchemy.orm import Session

from govcase import db, models as m
from govcase.dedup import THRESHOLD, same_story, signature, similarity
from govcase.export import iter_records
from govcase.locks import RunInProgress, RunLock
from govcase.pipeline import Pipeline
from govcase.settings import Settings, default_data_dir

from conftest import SEEDS

SEED = SEEDS / "002_03a9dd1be5527ca3.txt"


def _counts(engine) -> dict[str, int]:
    with Session(engine) as session:
        return {t.name: session.scalar(select(func.count()).select_from(t))
                for t in m.Base.metadata.sorted_tables if t.name not in ("runs", "tag_inputs")}


def _repost(text: str) -> str:
    """The same story on another site: other furniture, one sentence added, one word changed."""
    lines = text.splitlines()
    body = [line for line in lines if len(line) > 60]
    body[1] = body[1].replace("。", "。这一做法得到了居民的普遍认可。", 1)
    body[-1] = body[-1].replace("居民", "群众", 1)
    return "\n".join(["首页 > 新闻中心 > 基层动态", "【转载】" + lines[0], "来源：某某区融媒体中心  2023-11-02", *body,
                      "责任编辑：王五", "版权所有 某某区融媒体中心"])


# -- stale detection ------------------------------------------------------------------------------


def test_a_lexicon_change_makes_tags_stale_and_reload_redoes_only_them(db_url, tmp_path):
    data = tmp_path / "data"
    shutil.copytree(default_data_dir(), data)
    first = Pipeline(Settings.from_env(db_url, data_dir=data))
    first.ingest([SEEDS])
    before = _counts(first.engine)
    assert first.reload().as_dict()["loaded"] == 0  # nothing is stale yet

    with (data / "units.tsv").open("a", encoding="utf-8") as f:
        f.write("\n")  # any edit of tag's data is a new version (the lexicon's: see test_stale.py)
    second = Pipeline(Settings.from_env(db_url, data_dir=data), engine=first.engine)
    assert second.tag_version != first.tag_version and second.clean_version == first.clean_version
    report = second.reload()
    assert (report.cleaned, report.tagged, report.loaded) == (0, 5, 5)
    assert _counts(second.engine) == before  # facts replaced, not added
    with Session(second.engine) as session:
        assert set(session.scalars(select(m.Article.tag_version))) == {second.tag_version}
        run = session.get(m.Run, report.run_id)
        assert run.command == "reload" and run.status == "ok" and run.tag_version == second.tag_version
    again = second.reload()
    assert (again.cleaned, again.tagged, again.loaded, again.run_id) == (0, 0, 0, None)


def test_reload_all_forces_every_stage(sqlite_url):
    pipeline = Pipeline(Settings.from_env(sqlite_url))
    pipeline.ingest([SEEDS])
    report = pipeline.reload(everything=True)
    assert (report.cleaned, report.tagged, report.loaded) == (5, 5, 5)


# -- near-duplicates ----------------------------------------------------------------------------------


def _body(text: str) -> str:
    return "\n".join(line for line in text.splitlines() if len(line) > 60)


def test_signatures_tell_a_repost_from_another_story():
    text = SEED.read_text(encoding="utf-8")
    repost = signature(_body(_repost(text)))
    assert same_story(signature(_body(text)), repost) >= THRESHOLD
    other = signature(_body((SEEDS / "000_4d812b9d05e440e2.txt").read_text(encoding="utf-8")))
    assert similarity(other, repost) < 0.3 and same_story(other, repost) is None
    assert signature("徐汇区加装电梯。") is None  # too short to call anything a duplicate


def test_exact_and_near_duplicates_are_stored_once_and_clustered(db_url, tmp_path):
    folder = tmp_path / "in"
    shutil.copytree(SEEDS, folder)
    (folder / "copy").mkdir()
    shutil.copy(SEED, folder / "copy" / "same-bytes.txt")
    (folder / "zz-repost.txt").write_text(_repost(SEED.read_text(encoding="utf-8")), encoding="utf-8")
    (folder / "zz-gbk.txt").write_bytes(SEED.read_text(encoding="utf-8").encode("gb18030"))
    pipeline = Pipeline(Settings.from_env(db_url))
    report = pipeline.ingest([folder])
    assert (report.stored, report.unchanged, report.duplicates) == (7, 1, 2)

    records = {r["source"].rsplit("/", 1)[-1]: r for r in iter_records(pipeline.engine)}
    assert set(records) == {p.name for p in SEEDS.iterdir()} | {"zz-repost.txt", "zz-gbk.txt"}
    assert records["zz-repost.txt"]["duplicate_of"].endswith(SEED.name)
    assert records["zz-gbk.txt"]["duplicate_of"].endswith(SEED.name)
    assert all(records[p.name]["duplicate_of"] is None for p in SEEDS.iterdir())
    with Session(pipeline.engine) as session:
        locations = session.scalars(select(m.SourceLocation.location).join(m.Source)
                                    .where(m.Source.label.endswith(SEED.name))).all()
    assert sorted(loc.rsplit("/", 2)[-2:][-1] for loc in locations) == [SEED.name, "same-bytes.txt"]


def test_clusters_are_rebuilt_the_same_by_a_full_reload(sqlite_url, tmp_path):
    folder = tmp_path / "in"
    shutil.copytree(SEEDS, folder)
    (folder / "zz-repost.txt").write_text(_repost(SEED.read_text(encoding="utf-8")), encoding="utf-8")
    pipeline = Pipeline(Settings.from_env(sqlite_url))
    pipeline.ingest([folder])
    before = [r["duplicate_of"] for r in iter_records(pipeline.engine)]
    pipeline.reload(everything=True)
    assert [r["duplicate_of"] for r in iter_records(pipeline.engine)] == before


# -- the run lock -----------------------------------------------------------------------------------------


def test_a_reload_does_not_start_while_another_run_holds_the_database(db_url):
    pipeline = Pipeline(Settings.from_env(db_url))
    pipeline.ingest([SEEDS])
    with RunLock(pipeline.engine, exclusive=False):  # an ingest is running
        if db_url.startswith("sqlite"):
            with pytest.raises(RunInProgress, match="try again when it has finished"):
                pipeline.reload()
        else:  # PostgreSQL: a reload queues its work, which every attached process shares
            assert pipeline.reload().rejected == 0
        pipeline.ingest([SEEDS])  # other ingests may run beside it
    with RunLock(pipeline.engine, exclusive=True):  # a reload is running
        with pytest.raises(RunInProgress, match="a reload is running"):
            pipeline.ingest([SEEDS])
    assert pipeline.reload().rejected == 0  # the lock is gone with its holder


def test_a_run_left_running_by_a_killed_process_is_closed_as_interrupted(sqlite_url):
    pipeline = Pipeline(Settings.from_env(sqlite_url))
    report = pipeline.ingest([SEEDS])
    with Session(pipeline.engine) as session, session.begin():
        session.get(m.Run, report.run_id).status = "running"  # as SIGKILL leaves it
    pipeline.ingest([SEEDS])
    with Session(pipeline.engine) as session:
        assert session.get(m.Run, report.run_id).status == "interrupted"


def test_the_cli_says_in_one_line_that_a_reload_is_running(sqlite_url):
    from typer.testing import CliRunner

    from govcase.cli import app

    engine = db.open_database(sqlite_url)
    with RunLock(engine, exclusive=True):
        result = CliRunner().invoke(app, ["reload", "--db", sqlite_url])
    assert result.exit_code == 2
    assert len(result.output.strip().splitlines()) == 1 and "try again" in result.output


# -- migrations with data present -------------------------------------------------------------------------


def test_downgrading_one_step_and_back_keeps_every_row(db_url):
    pipeline = Pipeline(Settings.from_env(db_url))
    pipeline.ingest([SEEDS])
    before = {k: v for k, v in _counts(pipeline.engine).items()
              if k not in ("article_signatures", "minhash_bands", "article_words",
                           "file_stamps")}  # derived rows (0002, 0005, 0007)
    db.downgrade(pipeline.engine, "0001")
    assert "minhash_bands" not in inspect(pipeline.engine).get_table_names()
    db.upgrade(pipeline.engine)
    after = _counts(pipeline.engine)
    assert {k: after[k] for k in before} == before  # no cascade deleted anything on the way
    assert after["minhash_bands"] == 0
    report = pipeline.ingest([SEEDS])  # signatures are computed again for stored articles
    assert report.stored == 0 and _counts(pipeline.engine)["minhash_bands"] == 5 * 16


def test_downgrade_to_base_and_upgrade_to_head_with_data_present(db_url, tmp_path):
    pipeline = Pipeline(Settings.from_env(db_url))
    pipeline.ingest([SEEDS])
    db.downgrade(pipeline.engine, "base")
    assert set(inspect(pipeline.engine).get_table_names()) <= {"alembic_version"}
    db.upgrade(pipeline.engine)
    db.seed_codebook(pipeline.engine)
    report = Pipeline(Settings.from_env(db_url)).ingest([SEEDS])
    assert (report.stored, report.loaded) == (5, 5)
    assert json.dumps(list(iter_records(pipeline.engine)), ensure_ascii=False)


def _tokens(engine) -> set[tuple[str, str, int]]:
    """The (token, kind, article_id) rows: 0004's table or 0005's view. SQLite's view shows A-Z in
    lower case (its full-text index folds them), so they are compared folded."""
    fold = str.maketrans("ABCDEFGHIJKLMNOPQRSTUVWXYZ", "abcdefghijklmnopqrstuvwxyz")
    with engine.connect() as conn:
        rows = conn.exec_driver_sql("SELECT token, kind, article_id FROM tokens").all()
    if engine.dialect.name == "sqlite":
        return {(token.translate(fold), kind, article_id) for token, kind, article_id in rows}
    return set(map(tuple, rows))


def _unloaded(engine) -> int:
    with Session(engine) as session:
        return session.scalar(select(func.count()).where(m.Article.load_version.is_(None)))


def test_migrations_0004_and_0005_reload_the_tokens_without_tagging_again(db_url):
    from govcase.search import search

    pipeline = Pipeline(Settings.from_env(db_url))
    pipeline.ingest([SEEDS])
    tokens = _tokens(pipeline.engine)
    assert ("电梯", "word") in {(token, kind) for token, kind, _ in tokens}
    hits = [(h.source, h.text) for h in search(pipeline.engine, "电梯").hits]

    db.downgrade(pipeline.engine, "0004")  # back to a row per token
    assert "article_words" not in inspect(pipeline.engine).get_table_names()
    assert _tokens(pipeline.engine) == set() and _unloaded(pipeline.engine) == 5
    db.upgrade(pipeline.engine)  # a downgrade holds the database until an upgrade (issue 18)
    report = Pipeline(Settings.from_env(db_url)).ingest([SEEDS])
    assert (report.stored, report.cleaned, report.tagged, report.loaded) == (0, 0, 0, 5)
    assert _tokens(pipeline.engine) == tokens

    db.downgrade(pipeline.engine, "0003")
    assert {c["name"] for c in inspect(pipeline.engine).get_columns("tokens")} >= {"id", "evidence_id"}
    db.upgrade(pipeline.engine)
    assert _counts(pipeline.engine)["article_words"] == 0 and _tokens(pipeline.engine) == set()
    assert _unloaded(pipeline.engine) == 5
    report = Pipeline(Settings.from_env(db_url)).ingest([SEEDS])
    assert (report.stored, report.cleaned, report.tagged, report.loaded) == (0, 0, 0, 5)
    assert _counts(pipeline.engine)["article_words"] == 5 and _tokens(pipeline.engine) == tokens
    assert [(h.source, h.text) for h in search(pipeline.engine, "电梯").hits] == hits  # evidence ids are new


def test_deleting_an_article_deletes_its_words_and_their_index(db_url):
    from govcase.search import search

    pipeline = Pipeline(Settings.from_env(db_url))
    pipeline.ingest([SEEDS])
    gone = search(pipeline.engine, "电梯").hits[0].article_id
    with Session(pipeline.engine) as session, session.begin():
        session.execute(m.Article.__table__.delete().where(m.Article.id == gone))  # as an analyst might
    assert _counts(pipeline.engine)["article_words"] == 4
    assert gone not in {article_id for _t, _k, article_id in _tokens(pipeline.engine)}  # SQLite: from the index
    if pipeline.engine.dialect.name == "sqlite":  # the full-text index left the article too
        with pipeline.engine.begin() as conn:
            conn.exec_driver_sql("INSERT INTO article_words_fts (article_words_fts) VALUES ('integrity-check')")
