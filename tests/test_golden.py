"""Golden tests: what must and must not come out of the seed articles.

The quality floors are those of the issues: scored by ../shared/tools/score_export.py
against the analysts' gold in ../shared/gold (skipped where ../shared is absent).
"""
from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

import pytest

from govcase.db import open_database
from govcase.export import iter_records
from govcase.pipeline import Pipeline
from govcase.settings import Settings

from conftest import SEEDS, shared_path

FLOORS = {
    "dev": "body_keep=1,body_drop=0.9,title=0.8,published=0.8,places=0.8,measures=0.7,mechanisms=0.7,outcomes=0.7",
    # issues 15 and 16, check 1: dev2 stays at 1.000 on these; dev3 at the issues' floors; outcome_place
    # higher on both (.980, .979) since a sentence naming no place reads its paragraph's places
    "dev2": "places=1,place_parent=1,measures=1,mechanisms=1,outcomes=1,outcome_place=0.97",
    "dev3": "places=0.95,place_parent=0.97,outcome_place=0.97,measures=0.92,mechanisms=0.92,outcomes=0.95,"
            "outcome_approx=0.98",
}


@pytest.fixture(scope="module")
def seed_records(tmp_path_factory) -> dict[str, dict]:
    url = f"sqlite:///{tmp_path_factory.mktemp('golden') / 'seeds.db'}"
    Pipeline(Settings.from_env(url)).ingest([SEEDS])
    return {r["source"].rsplit("/", 1)[-1].split(".")[0]: r for r in iter_records(open_database(url))}


def _score(export_path, gold_dir, floors: str) -> str:
    tool = shared_path("tools", "score_export.py")
    result = subprocess.run([sys.executable, str(tool), str(export_path), str(gold_dir), "--require", floors],
                            capture_output=True, text=True)
    return result.stdout


@pytest.mark.parametrize("corpus", sorted(FLOORS))
def test_export_holds_the_quality_floors(corpus, tmp_path):
    url = f"sqlite:///{tmp_path / 'db.sqlite'}"
    Pipeline(Settings.from_env(url)).ingest([shared_path("corpus", corpus)])
    export = tmp_path / "export.jsonl"
    export.write_text("".join(json.dumps(r, ensure_ascii=False) + "\n" for r in iter_records(open_database(url))),
                      encoding="utf-8")
    report = _score(export, shared_path("gold", corpus), FLOORS[corpus])
    assert "all floors held" in report, report


# Place labels of the 35 real pages of ../shared/corpus/web, made blind (tests/fixtures/web_places):
# only places are labelled there, so only they are scored. First reading on 2a9796a: places P .700
# R .304, parents .857; with districts written by short form (placenames.short_districts),
# one-character counties, quoted estates after 小区/楼盘, a short-form city as the holder of what
# follows it and no unknown 市/旗 districts: P .824 R .609 (F1 .700), parents .929.
WEB_PLACES = Path(__file__).parent / "fixtures" / "web_places"
WEB_FLOORS = "places=0.69,place_parent=0.92"


def test_web_pages_hold_the_place_floors(tmp_path):
    url = f"sqlite:///{tmp_path / 'db.sqlite'}"
    Pipeline(Settings.from_env(url)).ingest([shared_path("corpus", "web")])
    export = tmp_path / "export.jsonl"
    export.write_text("".join(json.dumps(r, ensure_ascii=False) + "\n" for r in iter_records(open_database(url))),
                      encoding="utf-8")
    gold = tmp_path / "gold"
    gold.mkdir()
    for labels in WEB_PLACES.glob("*.json"):  # the other fields empty and unscored (title null)
        record = json.loads(labels.read_text(encoding="utf-8"))
        record.update(title=None, published=None, body_include=[], body_exclude=[], measures=[],
                      mechanisms=[], outcomes=[])
        (gold / labels.name).write_text(json.dumps(record, ensure_ascii=False), encoding="utf-8")
    report = _score(export, gold, WEB_FLOORS)
    assert "all floors held" in report, report


MUST = {
    "000_4d812b9d05e440e2": ["谈起最近身边的变化", "推动两栋居民楼加装电梯成功签约"],
    "002_03a9dd1be5527ca3": ["小区停车位185个", "小区卫生间废污水管更换比例达到90%"],
    "003_a320bd797d9e20fa": ["已完成3部电梯换新", "长桥街道"],
    "004_99d22334dd2501fa": ["新增停车位100余个", "成华区"],
}
MUST_NOT = {
    "000_4d812b9d05e440e2": ["琼ICP备", "猜你喜欢", "上海海事局"],
    "001_ed5165eb421ac43f": ["免责声明", "原文链接", "做廉洁自律的模范"],
    "002_03a9dd1be5527ca3": ["民权资讯网", "中新网首页", "京ICP证"],
    "003_a320bd797d9e20fa": ["无码", "(qū)", "service@tojoy.com"],
    "004_99d22334dd2501fa": ["下一页", "编辑:李娜"],
}


@pytest.mark.parametrize("stem", sorted(MUST))
def test_body_keeps_the_article(seed_records, stem):
    for snippet in MUST[stem]:
        assert snippet in seed_records[stem]["body"]


@pytest.mark.parametrize("stem", sorted(MUST_NOT))
def test_body_drops_the_furniture(seed_records, stem):
    for snippet in MUST_NOT[stem]:
        assert snippet not in seed_records[stem]["body"]


def test_every_fact_shows_its_sentence(seed_records):
    for record in seed_records.values():
        for fact in record["measures"] + record["mechanisms"] + record["outcomes"]:
            assert fact["evidence"] and fact["evidence"] in record["body"]
        for outcome in record["outcomes"]:
            assert outcome["surface"] in outcome["evidence"]


def test_seed_outcomes_read_as_written(seed_records):
    outcomes = {(o["value"], o["unit"], o["approx"]) for o in seed_records["002_03a9dd1be5527ca3"]["outcomes"]}
    assert {(5, "台", None), (14, "台", None), (3800, "人", "多"), (280, "个", "将近")} <= outcomes
    chengdu = {(o["value"], o["unit"], o["approx"]) for o in seed_records["004_99d22334dd2501fa"]["outcomes"]}
    assert {(100, "个", "余"), (4000, "平方米", None), (50, "米", "余")} <= chengdu
