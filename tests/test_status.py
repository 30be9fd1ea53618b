"""outcomes.status as a closed set (migration 0006): every status word has a stage, the column
refuses anything else, and the migration converts stored words up and back down."""
from __future__ import annotations

import pytest
from sqlalchemy import inspect, text
from sqlalchemy.exc import IntegrityError

from govcase import db
from govcase.datafiles import data_rows
from govcase.models import OUTCOME_STAGES
from govcase.pipeline import Pipeline
from govcase.settings import Settings, default_data_dir
from govcase.statuses import OTHER, stage_of, stage_table

from conftest import SEEDS


def status_words() -> list[str]:
    path = default_data_dir() / "outcomes" / "status_verbs.txt"
    return [cells[0] for _, cells in data_rows(path.read_text(encoding="utf-8"))]


def test_every_status_word_of_the_tagger_has_a_stage():
    table = stage_table()
    missing = [word for word in status_words() if word not in table]
    assert not missing, f"add these to data/status_stages.tsv: {missing}"
    assert set(table.values()) <= set(OUTCOME_STAGES)


def test_stage_of_words():
    assert stage_of("签约") == "signed" and stage_of("投入使用") == "in_use" and stage_of("已完成") == "completed"
    assert stage_of("剩余") == "remaining" and stage_of(None) is None
    assert stage_of("一个没人用的词") == OTHER


def _outcome_ids(engine) -> list[int]:
    with engine.connect() as conn:
        return list(conn.execute(text("SELECT id FROM outcomes ORDER BY id")).scalars())


def test_the_column_refuses_a_status_outside_the_set(db_url):
    pipeline = Pipeline(Settings.from_env(db_url, workers=1))
    pipeline.ingest([SEEDS])
    first = _outcome_ids(pipeline.engine)[0]
    with pytest.raises(IntegrityError):
        with pipeline.engine.begin() as conn:
            conn.execute(text("UPDATE outcomes SET status = '签约' WHERE id = :id"), {"id": first})
    with pipeline.engine.begin() as conn:  # every stage, and none, are fine
        for stage in (*OUTCOME_STAGES, None):
            conn.execute(text("UPDATE outcomes SET status = :s WHERE id = :id"), {"s": stage, "id": first})


def test_migration_0006_converts_words_to_stages_and_back(db_url):
    pipeline = Pipeline(Settings.from_env(db_url, workers=1))
    pipeline.ingest([SEEDS])
    engine = pipeline.engine
    query = text("SELECT status, status_word FROM outcomes WHERE surface IN ('14台', '5台') ORDER BY surface")
    with engine.connect() as conn:
        assert conn.execute(query).all() == [("signed", "签约"), ("in_use", "投入使用")]
    db.downgrade(engine, "0005")
    assert "status_word" not in {c["name"] for c in inspect(engine).get_columns("outcomes")}
    with engine.connect() as conn:
        words = conn.execute(text("SELECT status FROM outcomes WHERE surface IN ('14台', '5台') "
                                  "ORDER BY surface")).scalars().all()
    assert words == ["签约", "投入使用"]
    assert "v_district_counts" in inspect(engine).get_view_names()  # 0003's views are back
    db.upgrade(engine)
    with engine.connect() as conn:
        assert conn.execute(query).all() == [("signed", "签约"), ("in_use", "投入使用")]
        names = {ix["name"] for ix in inspect(conn).get_indexes("place_mentions")}
    assert "ix_place_mentions_article_place" in names
