"""The analyst views: made and dropped by migration 0003, documented, and counting each story once."""
from __future__ import annotations

import re

import pytest
from sqlalchemy import create_engine, inspect, text

from govcase import db
from govcase.models import Base
from govcase.pipeline import Pipeline
from govcase.settings import Settings
from govcase.views import VIEWS, missing_views

from conftest import ROOT, SEEDS
from seeded import plain, seeded_url

SCHEMA_DOC = ROOT / "docs" / "schema.md"


def _sections() -> dict[str, str]:
    doc = SCHEMA_DOC.read_text(encoding="utf-8")
    parts = re.split(r"^### `(\w+)`\s*$", doc, flags=re.M)
    return dict(zip(parts[1::2], parts[2::2]))


def test_schema_doc_names_every_table_and_column():
    sections = _sections()
    for table in Base.metadata.tables.values():
        assert table.name in sections, f"docs/schema.md needs a section ### `{table.name}`"
        for column in table.columns:
            assert f"`{column.name}`" in sections[table.name], \
                f"docs/schema.md: say what {table.name}.{column.name} holds"


def test_schema_doc_names_every_view_and_its_columns():
    engine = create_engine(seeded_url("sqlite"))
    sections = _sections()
    for view in VIEWS:
        assert view in sections, f"docs/schema.md needs a section ### `{view}`"
        for column in inspect(engine).get_columns(view):
            assert f"`{column['name']}`" in sections[view], f"docs/schema.md: say what {view}.{column['name']} holds"
    assert "```mermaid" in SCHEMA_DOC.read_text(encoding="utf-8")


def test_migration_0003_makes_and_drops_the_views_and_tokens(db_url):
    engine = db.make_engine(db_url)
    db.upgrade(engine)
    assert missing_views(engine) == []
    assert "tokens" in inspect(engine).get_view_names()  # a table until 0005
    db.downgrade(engine, "0002")
    assert set(inspect(engine).get_view_names()) & set(VIEWS) == set()
    assert "tokens" not in inspect(engine).get_table_names() + inspect(engine).get_view_names()
    db.upgrade(engine)
    assert missing_views(engine) == []


def test_views_count_each_story_once(db_url, tmp_path):
    """A near-duplicate of seed 002 is an article of its own but adds nothing to the views."""
    folder = tmp_path / "in"
    folder.mkdir()
    original = (SEEDS / "002_03a9dd1be5527ca3.txt").read_text(encoding="utf-8")
    (folder / "002.txt").write_text(original, encoding="utf-8")
    (folder / "002-repost.txt").write_text(original.replace("居民非常满意", "居民都很满意"), encoding="utf-8")
    Pipeline(Settings(db_url=db_url.replace("postgresql://", "postgresql+psycopg://", 1), workers=1)).ingest([folder])
    engine = db.make_engine(db_url.replace("postgresql://", "postgresql+psycopg://", 1))
    with engine.connect() as conn:
        q = lambda sql: [tuple(plain(v) for v in row) for row in conn.execute(text(sql))]  # noqa: E731
        articles = q("SELECT source, is_canonical, story_id FROM v_articles ORDER BY source")
        assert [s.rsplit("/", 1)[-1] for s, _c, _ in articles] == ["002-repost.txt", "002.txt"]
        assert sorted(c for _s, c, _ in articles) == [0, 1]  # whichever came first is the canonical one
        assert articles[0][2] == articles[1][2]  # one story
        canonical = q("SELECT article_id FROM v_articles WHERE is_canonical = 1")[0][0]
        outcomes = q("SELECT COUNT(*) FROM outcomes")[0][0]
        assert outcomes > 0 and q("SELECT COUNT(*) FROM v_outcomes")[0][0] * 2 == outcomes
        for view in ("v_outcomes", "v_article_measures", "v_article_mechanisms", "v_article_places"):
            assert q(f"SELECT DISTINCT article_id FROM {view}") == [(canonical,)], view
        assert q("SELECT street, articles FROM v_street_counts") == [("北新泾街道", 1)]
        assert q("SELECT district, articles, streets FROM v_district_counts") == [("长宁区", 1, 1)]


@pytest.mark.parametrize("view", list(VIEWS))
def test_every_view_has_rows_on_the_seeds(view):
    engine = create_engine(seeded_url("sqlite"))
    with engine.connect() as conn:
        assert conn.execute(text(f"SELECT COUNT(*) FROM {view}")).scalar() > 0


def test_place_chain_gives_each_level_its_column():
    engine = create_engine(seeded_url("sqlite"))
    with engine.connect() as conn:
        row = conn.execute(text("SELECT province, city, district, street, area, chain FROM v_place_chain "
                                "WHERE name = '乐山片区'")).one()
    assert tuple(row) == ("上海市", None, "徐汇区", "徐家汇街道", "乐山片区", "上海市/徐汇区/徐家汇街道/乐山片区")
