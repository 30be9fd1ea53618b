"""The national gazetteer: loading, queries, linking (on the small fixture), and the seed export."""
from __future__ import annotations

import json
from pathlib import Path

import pytest
from typer.testing import CliRunner

from govcase.cli import app
from govcase.placenames.gazetteer import PlaceDataError, base_name, load_gazetteer
from govcase.places import find_places
from govcase.settings import seeds_dir

FIXTURE = Path(__file__).parent / "fixtures" / "gazetteer-fixture.tsv"


@pytest.fixture(scope="module")
def gaz():
    return load_gazetteer(FIXTURE)


def names(places):
    by_key = {p.key: p for p in places}
    return {p.name: (p.level, by_key[p.parent].name if p.parent else None, p.code) for p in places}


def test_fixture_loads_every_level(gaz):
    levels = {u.level for u in gaz.units.values()}
    assert levels == {"province", "city", "district", "street"}
    assert gaz.units["310104003"].name == "天平路街道"
    assert [u.name for u in gaz.chain("310104003")] == ["上海市", "徐汇区", "天平路街道"]
    assert any(c.name == "陕西居委会" for c in gaz.communities("310104003"))


def test_municipality_districts_hang_under_the_province(gaz):
    assert gaz.units["310104"].parent == "310000"
    assert gaz.units["510108"].parent == "510100" and gaz.units["510100"].parent == "510000"


def test_candidates_and_kinds(gaz):
    kinds = {m.unit.code: m.kind for m in gaz.find("天平街道", "street")}
    assert kinds["310104003"] == "road" and kinds["370911002"] == "name"
    assert {m.unit.parent for m in gaz.find("鼓楼区", "district")} >= {"320100", "410200", "350100"}
    assert [m.kind for m in gaz.find("萧山市", "district")] == []  # not in the fixture
    assert base_name("徐汇区", "district") == "徐汇" and base_name("天平路街道", "street") == "天平路"


def test_damaged_name_fits_one_street_of_its_district(gaz):
    assert [u.name for u in gaz.find_damaged("龙?街道", "street", "510108")] == ["龙潭街道"]
    assert [u.name for u in gaz.find_damaged("龙\ufffd街道", "street", "510108")] == ["龙潭街道"]


def test_short_name_needs_context(gaz):
    shanghai = names(find_places("徐汇区召开会议。天平街道党工委介绍经验。", gazetteer=gaz)[0])
    assert shanghai["天平路街道"][1:] == ("徐汇区", "310104003")
    alone = names(find_places("天平街道党工委介绍经验。", gazetteer=gaz)[0])
    assert alone["天平街道"][1:] == ("岱岳区", "370911002")  # the one official 天平街道


def test_context_decides_between_districts(gaz):
    kaifeng = names(find_places("鼓楼区卧龙街道蔡河湾社区加装电梯。", gazetteer=gaz)[0])
    assert kaifeng["鼓楼区"][1] == "开封市"
    nanjing = names(find_places("南京市召开会议。鼓楼区的居民说,好。", gazetteer=gaz)[0])
    assert nanjing["鼓楼区"][1] == "南京市"
    unknown = names(find_places("鼓楼区的居民说,好。", gazetteer=gaz)[0])
    assert unknown["鼓楼区"][1:] == (None, None)


def test_leftover_city_short_does_not_parent_districts(gaz):
    found = names(find_places("徐汇区徐家汇街道乐山片区。当时,乐山很多户居民住房面积小。", gazetteer=gaz)[0])
    assert found["徐汇区"][1] == "上海市"
    assert "乐山市" not in found


def test_communities_only_under_found_streets(gaz):
    found = names(find_places("天平路街道陕西居民区党群服务站。", gazetteer=gaz)[0])
    assert found["陕西居民区"][2] == "310104003028"
    alone = names(find_places("陕西居民区党群服务站。", gazetteer=gaz)[0])
    assert alone["陕西居民区"][2] is None


def test_missing_gazetteer_says_how_to_fix(tmp_path):
    with pytest.raises(PlaceDataError, match="build_gazetteer"):
        load_gazetteer(tmp_path / "gazetteer.tsv.xz")
    bad = tmp_path / "bad.tsv"
    bad.write_text("P\t110000\t北京市\t\t\t\n", encoding="utf-8")
    with pytest.raises(PlaceDataError, match="header"):
        load_gazetteer(bad)


@pytest.mark.parametrize("corpus", ["seeds", "dev2"])
def test_every_exported_place_chains_to_a_province(corpus, tmp_path):
    from conftest import shared_path

    folder = seeds_dir() / "articles" if corpus == "seeds" else shared_path("corpus", "dev2")
    db = f"sqlite:///{tmp_path / 'seeds.db'}"
    runner = CliRunner()
    assert runner.invoke(app, ["ingest", str(folder), "--db", db]).exit_code == 0
    out = tmp_path / "seeds.jsonl"
    assert runner.invoke(app, ["export", "--db", db, "--out", str(out)]).exit_code == 0
    records = [json.loads(line) for line in out.read_text(encoding="utf-8").splitlines()]
    assert records
    for rec in records:
        parent_of = {p["name"]: p for p in rec["places"]}
        for place in rec["places"]:
            top, seen = place, 0
            while top["parent"] is not None and seen < 8:
                top, seen = parent_of[top["parent"]], seen + 1
            assert top["level"] == "province", f"{rec['source']}: {place['name']} ends at {top['name']}"
