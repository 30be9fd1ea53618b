"""Every SQL block of docs/queries.md runs on the seed database, on SQLite and PostgreSQL,
and its result is checked against what the seed articles say.

The SQL is read out of the markdown (by its `-- query:` name), so the doc and
the test cannot drift. Checks assert what the articles state (000 徐家汇街道
乐山片区, 001 天平路街道, 002 北新泾街道 新泾五村, 003 长桥街道, 004 成华区龙潭街道);
where a tagger may yet find more, they assert what must be there.
"""
from __future__ import annotations

import re

import pytest
from sqlalchemy import create_engine, text

from conftest import BACKENDS, ROOT
from seeded import plain, seeded_url

DOC = ROOT / "docs" / "queries.md"
SEED = {n: f"%{n}_%" for n in ("000", "001", "002", "003", "004")}
ARTICLE_OF = "(SELECT a.id FROM articles a JOIN sources s ON s.id = a.source_id WHERE s.label LIKE '{}')"


def doc_queries() -> list[tuple[str, str | None, str]]:
    """(name, dialect or None, sql) of every ```sql block of docs/queries.md."""
    out = []
    for block in re.findall(r"```sql\n(.*?)```", DOC.read_text(encoding="utf-8"), re.S):
        name = re.search(r"^-- query: (\S+)", block, re.M)
        assert name, f"every sql block of {DOC.name} starts with `-- query: NAME`:\n{block}"
        dialect = re.search(r"^-- dialect: (\S+)", block, re.M)
        out.append((name.group(1), dialect.group(1) if dialect else None, block))
    return out


@pytest.fixture(scope="module", params=BACKENDS)
def engine(request):
    engine = create_engine(seeded_url(request.param).replace("postgresql://", "postgresql+psycopg://", 1))
    yield engine
    engine.dispose()


def runner(engine, sql: str):
    def run(*setup: str) -> list[tuple]:
        """The query's rows, after ``setup`` statements, in a transaction that is rolled back."""
        with engine.connect() as conn:
            with conn.begin() as tx:
                for statement in setup:
                    conn.execute(text(statement))
                rows = [tuple(plain(v) for v in row) for row in conn.execute(text(sql))]
                tx.rollback()
        return rows
    return run


# --- the checks, by query name ----------------------------------------------------------------


def elevator_streets(run):
    # 000 加装电梯 in 乐山片区 (徐家汇街道); 002 新泾五村 加装电梯; 003 罗秀二村 电梯加装 (长桥街道)
    assert run() == [("徐汇区", "长桥街道", 1), ("徐汇区", "徐家汇街道", 1), ("长宁区", "北新泾街道", 1)] or \
        sorted(run()) == sorted([("徐汇区", "长桥街道", 1), ("徐汇区", "徐家汇街道", 1), ("长宁区", "北新泾街道", 1)])


def elevator_counts(run):
    # 002: 投入使用5台, 签约14台; 003: 已完成3部电梯换新, 剩余8部: never added across statuses (5 + 14)
    rows = {(street, status, unit): (n, figures) for street, status, unit, n, figures in run()}
    assert rows == {("北新泾街道", "in_use", "台"): (5, 1), ("北新泾街道", "signed", "台"): (14, 1),
                    ("长桥街道", "completed", "部"): (3, 1), ("长桥街道", "remaining", "部"): (8, 1)}


INSTALLED = ["DELETE FROM installed_versions"] + [
    f"INSERT INTO installed_versions (name, version, recorded_at) "
    f"SELECT '{name}', MIN({name}_version), '2026-12-07 03:00:00' FROM articles" for name in ("clean", "tag")]


def stale_articles(run):
    assert run(*INSTALLED) == []  # the rules that made the seeds are the installed ones
    edited = "UPDATE installed_versions SET version = 't1+edited' WHERE name = 'tag'"  # a lexicon edit
    rows = run(*INSTALLED, edited)
    assert len(rows) == 5 and {r[5] for r in rows} == {"t1+edited"}
    recleaned = f"UPDATE articles SET clean_version = 'c0' WHERE id = {ARTICLE_OF.format(SEED['003'])}"
    assert [r[1] for r in run(*INSTALLED, recleaned)] == ["老旧小区治理困境如何破解?看长桥街道的创新实践"]


def outcomes_by_district_year(run):
    rows = {(d, y): n for d, y, n in run()}
    # 000 (2023) and 003 (2025) are in 徐汇区, 001 has no date; 002 长宁区 2023; 004 成华区 gives no year
    assert set(rows) >= {("徐汇区", 2023), ("徐汇区", 2025), ("徐汇区", None), ("长宁区", 2023), ("成华区", None)}
    assert rows[("长宁区", 2023)] >= 6  # 1469户, 3800多人, 185个 停车位, 将近280个, 5台, 14台 ...
    assert rows[("成华区", None)] >= 8  # 100余个 停车位, 1000平米, 2处, 16台, 1个, 1个, 2处, 50余米
    assert rows[("徐汇区", 2025)] >= 2  # 3部, 8部


def district_counts(run):
    rows = {r[0]: r[1:3] for r in run()}
    assert rows == {"徐汇区": (3, 3), "长宁区": (1, 1), "成华区": (1, 1)}  # (stories, streets)
    assert run()[0][0] == "徐汇区"


def street_counts(run):
    rows = [(d, s, n) for d, s, n, *_ in run()]
    assert sorted(rows) == sorted([("徐汇区", "天平路街道", 1), ("徐汇区", "徐家汇街道", 1), ("徐汇区", "长桥街道", 1),
                                   ("长宁区", "北新泾街道", 1), ("成华区", "龙潭街道", 1)])
    assert all(outcomes >= 1 and measures >= 1 and mechanisms >= 1 for *_, outcomes, measures, mechanisms in run())


def parking_mechanisms_by_story(run):
    rows = {code: n for code, _zh, n in run()}
    # parking is in 002 (停车难, 停车管理办法) and 004 (新增停车位); both are led by the party
    # organisation (党建引领 / 党组织), with volunteers (志愿者) and residents' self-government
    assert max(rows.values()) == 2
    assert {"party_leadership", "volunteers"} <= {c for c, n in rows.items() if n == 2}
    assert {"deliberation", "compacts", "transparency", "legal"} <= set(rows)  # 002's parking case


def parking_mechanisms_by_sentence(run):
    rows = dict(run())
    # 002: 民主协商 ... 听证会 ... 居民公约 ... 停车管理办法 ... 法律顾问 ... 公开透明
    assert {"deliberation", "compacts", "legal", "transparency"} <= set(rows)
    assert "grid" not in rows  # 004's 网格 is not said of parking


def older_lexicon(run):
    assert run() == []  # one run made every seed article
    old_run = ("INSERT INTO runs (id, command, started_at, finished_at, status, clean_version, tag_version, "
               "lexicon_version, govcase_version) VALUES (9001, 'ingest', '2020-01-01 00:00:00', "
               "'2020-01-01 00:01:00', 'ok', 'c0', 't0', 'lexicon-2019', '0.0.1')")
    stale = f"UPDATE tag_results SET run_id = 9001 WHERE article_id = {ARTICLE_OF.format(SEED['000'])}"
    rows = run(old_run, stale)
    assert [(title, lexicon) for _id, title, _tag, lexicon in rows] == [
        ("换颜记!看这个片区如何打造基层“大治理”样本", "lexicon-2019")]


def approximate_figures(run):
    rows = run()
    got = {(surface, approx) for _src, surface, _v, _u, approx, _m in rows}
    assert got >= {("近400平方米", "近"), ("1000余份", "余"), ("3800多人", "多"), ("将近280个", "将近"),
                   ("100余个", "余"), ("50余米", "余")}
    assert all(approx and approx in surface for _s, surface, _v, _u, approx, _m in rows)


def parking_spaces(run):
    rows = {(street, value, approx) for street, _c, value, _u, approx, _st, _ev in run()}
    assert rows >= {("北新泾街道", 185, None), ("龙潭街道", 100, "余")}
    assert all("停车位" in ev for *_, ev in run())


def token_sentences(run):
    rows = run()
    assert {source.split("/")[-1][:3] for source, _start, _text in rows} == {"002", "004"}
    assert all("停车" in sentence for _s, _start, sentence in rows)
    assert any("停车管理办法" in sentence for *_, sentence in rows)
    assert any("新增停车位100余个" in sentence for *_, sentence in rows)


def top_mechanisms(run):
    rows = run()
    assert rows[0][:3] == ("party_leadership", "党建引领", 5)  # every seed story names 党建引领 or 党组织
    assert len({r[0] for r in rows}) == len(rows)


def measures_by_district(run):
    rows = set(run())
    assert rows >= {("徐汇区", "elevator_retrofit", 2), ("长宁区", "elevator_retrofit", 1),
                    ("长宁区", "parking", 1), ("成华区", "parking", 1), ("成华区", "fitness", 1),
                    ("徐汇区", "elevator_renewal", 1)}


def project_figures(run):
    rows = {(name, value, unit) for name, _s, value, unit, _m, _p in run()}
    assert ("乐山邻里汇", 400, "平方米") in rows  # 000: 乐山邻里汇 ... 近400平方米


def near_duplicates(run):
    assert run() == []
    mark = (f"UPDATE articles SET duplicate_of_id = {ARTICLE_OF.format(SEED['000'])}, duplicate_similarity = 0.9 "
            f"WHERE id = {ARTICLE_OF.format(SEED['001'])}")
    (row,) = run(mark)
    assert row[1].endswith("001_ed5165eb421ac43f.txt") and row[2].endswith("000_4d812b9d05e440e2.txt")
    assert row[3] == pytest.approx(0.9)


def article_outcomes(run):
    rows = run()
    assert ("5台", 5, "台") in {r[:3] for r in rows} and ("14台", 14, "台") in {r[:3] for r in rows}
    assert ("185个", 185, "个") in {r[:3] for r in rows}
    assert all(surface in evidence for surface, *_, evidence in rows)
    assert {chain for *_, chain, _e in rows if chain} <= {
        "上海市/长宁区/北新泾街道", "上海市/长宁区/北新泾街道/新泾五村", "上海市/长宁区/北新泾街道/新泾五村小区"}


def mechanism_list(run):
    rows = run()
    assert len(rows) == 5
    for _article, mechanisms in rows:
        codes = mechanisms.split(", ")
        assert codes == sorted(codes) and "party_leadership" in codes


CHECKS = {name.replace("_", "-"): check for name, check in list(globals().items())
          if callable(check) and getattr(check, "__module__", None) == __name__
          and name not in ("doc_queries", "runner", "engine")}


def test_no_documented_query_adds_figures_across_statuses_or_units():
    """SUM(value) over outcomes only within one status and one unit (issue 18: 5 in use + 14 signed)."""
    for name, _dialect, sql in doc_queries():
        if re.search(r"SUM\(\s*(\w+\.)?value\s*\)", sql, re.I):
            group = re.search(r"GROUP BY (.*?)(ORDER BY|HAVING|LIMIT|$)", sql, re.S | re.I)
            assert group and re.search(r"\bstatus\b", group.group(1)) and re.search(r"\bunit\b", group.group(1)), name


def test_docs_have_at_least_twelve_questions_each_checked():
    names = {name for name, _dialect, _sql in doc_queries()}
    assert len(names) >= 12
    assert names == set(CHECKS), "every query in docs/queries.md has a check here, and every check a query"


@pytest.mark.parametrize("name", sorted(CHECKS))
def test_query(engine, name):
    blocks = [(d, sql) for n, d, sql in doc_queries() if n == name]
    mine = [sql for d, sql in blocks if d in (None, engine.dialect.name)]
    assert len(mine) == 1, f"{name}: one block for {engine.dialect.name}"
    CHECKS[name](runner(engine, mine[0]))
