"""Load: plans are pure and deterministic; applying a plan twice leaves the same rows."""
from __future__ import annotations

from datetime import datetime, timezone

from sqlalchemy import func, select
from sqlalchemy.orm import Session

from govcase import db, models as m
from govcase.load import apply_plan, place_rows, plan_rows
from govcase.records import (CodeMention, Outcome, Place, PlaceMention, Project, TaggedArticle,
                             tagged_from_json, tagged_to_json)

BODY = "徐汇区徐家汇街道乐山片区推进加装电梯。小区新增停车位100余个，“乐山邻里汇”面积近400平方米。"

PLACES = (
    Place("上海市", "上海市", "province"),
    Place("上海市/徐汇区", "徐汇区", "district", "上海市", "310104"),
    Place("上海市/徐汇区/徐家汇街道", "徐家汇街道", "street", "上海市/徐汇区", aliases=("徐家汇",)),
    Place("上海市/徐汇区/徐家汇街道/乐山片区", "乐山片区", "area", "上海市/徐汇区/徐家汇街道"),
)


def _tagged(body: str = BODY) -> TaggedArticle:
    def at(text: str) -> tuple[int, int]:
        start = body.index(text)
        return start, start + len(text)

    return TaggedArticle(
        places=PLACES,
        place_mentions=tuple(PlaceMention(p.key, p.name, *at(p.name)) for p in PLACES[1:]),
        measures=(CodeMention("measure", "elevator_retrofit", "加装电梯", *at("加装电梯")),
                  CodeMention("measure", "parking", "停车位", *at("停车位"))),
        mechanisms=(),
        outcomes=(Outcome(100, "个", "count", "余", "100余个", *at("100余个"), metric="停车位", status="新增",
                          place=PLACES[3].key, measure="parking"),
                  Outcome(400, "平方米", "area", "近", "近400平方米", *at("近400平方米"), metric="面积",
                          place=PLACES[3].key, project="乐山邻里汇")),
        projects=(Project("乐山邻里汇", *at("乐山邻里汇"), PLACES[3].key, ("public_space",)),),
    )


def test_place_rows_key_places_by_their_chain_parents_first():
    rows = list(place_rows(PLACES).values())
    assert [r.key for r in rows] == ["province:上海市", "province:上海市/district:徐汇区",
                                     "province:上海市/district:徐汇区/street:徐家汇街道",
                                     "province:上海市/district:徐汇区/street:徐家汇街道/area:乐山片区"]
    assert rows[2].parent_key == rows[1].key and rows[2].aliases == ("徐家汇",)


def test_every_fact_points_to_the_sentence_that_contains_it():
    plan = plan_rows(BODY, _tagged())
    for fact in plan.facts:
        sentence = plan.evidence[fact.evidence]
        assert BODY[sentence.start:sentence.end] == sentence.text
        assert sentence.start <= fact.values["char_start"] < fact.values["char_end"] <= sentence.end
    assert plan.count("outcomes") == 2 and plan.count("place_mentions") == 3


def test_tag_results_survive_staging_as_json():
    tagged = _tagged()
    assert tagged_from_json(tagged_to_json(tagged)) == tagged


def _article(session: Session, sha: str, body: str = BODY) -> int:
    now = datetime.now(timezone.utc)
    source = m.Source(sha256=sha, label=f"{sha}.txt", media_type="text", size=1, raw=b"x", created_at=now)
    session.add(source)
    session.flush()
    article = m.Article(source_id=source.id, body=body, script="simplified", clean_version="c",
                        cleaned_at=now)
    session.add(article)
    session.flush()
    return article.id


def _counts(engine) -> dict[str, int]:
    with Session(engine) as session:
        return {t.__tablename__: session.scalar(select(func.count()).select_from(t))
                for t in (m.Place, m.PlaceAlias, m.PlaceMention, m.MeasureMention, m.Outcome, m.Project,
                          m.ProjectMeasure, m.Evidence)}


def test_applying_a_plan_twice_changes_nothing_and_places_are_shared(db_url):
    engine = db.open_database(db_url)
    plan = plan_rows(BODY, _tagged())
    with Session(engine) as session, session.begin():
        first, second = _article(session, "a"), _article(session, "b")
    with Session(engine) as session, session.begin():
        apply_plan(session, first, plan, {})
    once = _counts(engine)
    assert once["places"] == 4 and once["outcomes"] == 2 and once["project_measures"] == 1
    with Session(engine) as session, session.begin():
        apply_plan(session, first, plan, {})  # a fresh cache: places are found, not duplicated
    assert _counts(engine) == once
    with Session(engine) as session, session.begin():
        apply_plan(session, second, plan, {})
    both = _counts(engine)
    assert both["places"] == 4 and both["outcomes"] == 4
    with Session(engine) as session:
        outcome = session.scalars(select(m.Outcome).where(m.Outcome.unit == "平方米",
                                                          m.Outcome.article_id == first)).one()
        project = session.get(m.Project, outcome.project_id)
        place = session.get(m.Place, outcome.place_id)
        assert (project.name, place.name, outcome.approx) == ("乐山邻里汇", "乐山片区", "近")
        assert session.get(m.Evidence, outcome.evidence_id).text.startswith("小区新增停车位")


def test_the_stored_facts_are_the_plans_facts_column_for_column(db_url):
    """apply_plans inserts a plan's flat fact tuples straight: each table's rows hold the
    values, evidence, place and project that LoadPlan.facts names for them."""
    from govcase.load import FACT_COLUMNS

    engine = db.open_database(db_url)
    plan = plan_rows(BODY, _tagged())
    with Session(engine) as session, session.begin():
        article = _article(session, "a")
    with Session(engine) as session, session.begin():
        apply_plan(session, article, plan, {})
    models = {"place_mentions": m.PlaceMention, "measure_mentions": m.MeasureMention,
              "mechanism_mentions": m.MechanismMention, "projects": m.Project, "outcomes": m.Outcome}
    with Session(engine) as session:
        evidence = {e.id: (e.char_start, e.char_end) for e in session.scalars(select(m.Evidence))}
        places = {p.id: p.key for p in session.scalars(select(m.Place))}
        for table, model in models.items():
            stored = session.scalars(select(model).order_by(model.id)).all()
            planned = [f for f in plan.facts if f.table == table]
            assert [{c: getattr(row, c) for c in FACT_COLUMNS[table]} for row in stored] == [f.values for f in planned]
            assert [evidence[row.evidence_id] for row in stored] == [
                (plan.evidence[f.evidence].start, plan.evidence[f.evidence].end) for f in planned]
            if table != "measure_mentions" and table != "mechanism_mentions":
                assert [places.get(row.place_id) for row in stored] == [f.place_key for f in planned]
        projects = session.scalars(select(m.Project).order_by(m.Project.id)).all()
        assert {(p.name, code) for p in projects for code in session.scalars(
            select(m.ProjectMeasure.measure_code).where(m.ProjectMeasure.project_id == p.id))} == {
            (f.values["name"], code) for f in plan.facts if f.table == "projects" for code in f.measures}
        outcome = session.scalars(select(m.Outcome).where(m.Outcome.unit == "平方米")).one()
        assert session.get(m.Project, outcome.project_id).name == "乐山邻里汇"


def test_what_a_later_article_knows_of_a_place_is_written_though_this_process_has_seen_it(db_url):
    from govcase.load import PlaceRow, place_ids

    engine = db.open_database(db_url)
    cache: dict[str, int] = {}
    province = "province:上海市"
    for row in (PlaceRow(province, "上海市", "province", None, None),
                PlaceRow(province, "上海市", "province", None, "310000", ("沪",))):
        with Session(engine) as session, session.begin():
            place_ids(session, [row], cache)  # the second time the key is in the cache
    with Session(engine) as session:
        place = session.scalar(select(m.Place).where(m.Place.key == province))
        assert place.code == "310000"
        assert session.scalars(select(m.PlaceAlias.alias).where(m.PlaceAlias.place_id == place.id)).all() == ["沪"]


def test_update_rows_sets_each_rows_values_and_respects_the_condition(db_url):
    engine = db.open_database(db_url)
    with db.session_scope(engine) as session:
        db.insert_ignore(session, m.Place, [{"key": f"district:{name}", "name": name, "level": "district",
                                             "code": code} for name, code in (("甲区", None), ("乙区", "1"), ("丙区", None))])
    with db.session_scope(engine) as session:
        ids = dict(session.execute(select(m.Place.name, m.Place.id)).all())
        conn = session.connection()
        db.update_rows(conn, m.Place, ("code",), [(ids["甲区"], "2"), (ids["乙区"], "3")], only_where="code IS NULL")
        db.update_rows(conn, m.Place, ("name", "code"), [(ids["丙区"], "丙新区", None)])
    with Session(engine) as session:
        assert dict(session.execute(select(m.Place.name, m.Place.code)).all()) == {
            "甲区": "2", "乙区": "1", "丙新区": None}  # 乙区 had a code: kept
