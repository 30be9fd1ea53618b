"""Resolution against the national gazetteer, table-driven.

tests/fixtures/gazetteer-cases.tsv holds sentences written from the gazetteer's own
facts (a district and one of its streets, a street named after a road and written
without it, a former district name, a community under its street, a list of
communities sharing one suffix, an unknown estate, a damaged name, an ambiguous name
with and without its district) and what must come out: name, level, parent, code.
The full gazetteer is loaded once for the session.
"""
from __future__ import annotations

import csv
from pathlib import Path

import pytest

from govcase.places import default_gazetteer, find_places

CASES_FILE = Path(__file__).parent / "fixtures" / "gazetteer-cases.tsv"


def _cases() -> list[dict[str, str]]:
    lines = [line for line in CASES_FILE.read_text(encoding="utf-8").splitlines() if not line.startswith("#")]
    return list(csv.DictReader(lines, delimiter="\t"))


CASES = _cases()

# Cases the resolver still gets wrong, with why (they must not hide: xfail, not deleted).
KNOWN_GAPS = {
    "unique-street-211103016": "创新街道: jieba reads 创新 as a verb, so the suffix grammar finds no name",
    "unique-street-420204001": "新下陆街道: the name run starts after 新 (an adverb to jieba)",
    "former-district-371603-沾化县": "沾化县古城镇: the suffix grammar finds no name in the chain",
    "former-district-540103-堆龙德庆县": "a four-character county before 县 exceeds the grammar's max_name",
    "former-district-330213-奉化市": "奉化市 (a former county-level city) is a chain suffix needing a city before it",
    "community-513428107001": "普格县夹铁镇: the district and town are not found, so no community lookup",
    "community-430923101001": "清塘铺镇清塘社区: the town name is not found",
    "community-110119110001": "井庄镇社区: a community named after its town reads as the town",
    "community-360921102001": "十五里亭社区: the numeral stops the name run",
    "list-communities-420106002": "的余家头、四美和电信三个社区: the first list item keeps no start",
    "list-communities-230505002": "list items whose official name is not base + 社区",
    "list-communities-130637100": "冯村 (a 村) listed before 三个社区 keeps its own suffix",
    "estate-130321001": "青龙满族自治县: an autonomous county longer than the grammar's max_name",
}


@pytest.fixture(scope="session")
def gazetteer():
    gaz = default_gazetteer()
    assert gaz is not None, "data/places/gazetteer/gazetteer.tsv.xz is missing: run scripts/build_gazetteer.py"
    return gaz


def test_table_is_large_enough():
    assert len(CASES) >= 200
    kinds = {c["id"].split("-")[0] for c in CASES}
    assert {"municipality", "ambiguous", "road", "former", "list", "estate", "damaged", "community"} <= kinds


@pytest.mark.parametrize("case", CASES, ids=[c["id"] for c in CASES])
def test_resolution(case, gazetteer):
    if case["id"] in KNOWN_GAPS:
        pytest.xfail(KNOWN_GAPS[case["id"]])
    places, mentions = find_places(case["text"], case["title"] or None, gazetteer=gazetteer)
    by_key = {p.key: p for p in places}
    found = {p.name: p for p in places}
    for item in filter(None, case["must"].split(";")):
        head, _, code = item.partition("#")
        name, _, rest = head.partition(":")
        level, _, parent = rest.partition(">")
        assert name in found, f"{name} not found in {sorted(found)}"
        place = found[name]
        if level:
            assert place.level == level, f"{name}: level {place.level} != {level}"
        if parent:
            got = by_key[place.parent].name if place.parent else None
            assert got == (None if parent == "-" else parent), f"{name}: parent {got} != {parent}"
        if code:
            assert place.code == (None if code == "-" else code), f"{name}: code {place.code} != {code}"
    for name in filter(None, case["must_not"].split(";")):
        assert name not in found, f"{name} should not be a place name: {sorted(found)}"
    for m in mentions:
        assert case["text"][m.start:m.end] == m.surface


@pytest.mark.parametrize("case", [c for c in CASES if c["id"].startswith(("municipality", "unique", "road"))][:40],
                         ids=lambda c: c["id"])
def test_linked_places_chain_to_a_province(case, gazetteer):
    places, _ = find_places(case["text"], gazetteer=gazetteer)
    by_key = {p.key: p for p in places}
    for p in places:
        top = p
        while top.parent is not None:
            top = by_key[top.parent]
        assert top.level == "province", f"{p.key} ends at {top.key}"
