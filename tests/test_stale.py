"""Reload by dependency: a lexicon edit makes stale only the articles whose text it can touch."""
from __future__ import annotations

import json
import shutil

from sqlalchemy import delete, select, update
from sqlalchemy.orm import Session

from govcase import models as m
from govcase.export import iter_records
from govcase.pipeline import Pipeline
from govcase.settings import Settings, default_data_dir
from govcase.stale import _lexicon, changed_words
from govcase.versions import lexicon_texts

from conftest import SEEDS


def _ingested(db_url, tmp_path, name="data"):
    data = tmp_path / name
    shutil.copytree(default_data_dir(), data)
    pipeline = Pipeline(Settings.from_env(db_url, data_dir=data, workers=1))
    pipeline.ingest([SEEDS])
    return pipeline, data


def _append(path, line: str) -> None:
    with path.open("a", encoding="utf-8") as f:
        f.write(line + "\n")


def _holding(engine, word: str) -> set[int]:
    with Session(engine) as session:
        return {i for i, body in session.execute(select(m.Article.id, m.Article.body)) if word in body}


def _export(engine) -> list[str]:
    return [json.dumps(r, ensure_ascii=False, sort_keys=True, default=str) for r in iter_records(engine)]


def test_an_added_entry_retags_only_the_articles_that_hold_it(db_url, tmp_path):
    pipeline, data = _ingested(db_url, tmp_path)
    holders = _holding(pipeline.engine, "闲置空地")
    assert 0 < len(holders) < 5
    _append(data / "lexicon" / "measures.tsv", "闲置空地\tgreening")

    again = Pipeline(Settings.from_env(db_url, data_dir=data, workers=1), engine=pipeline.engine)
    found = again.staleness()
    assert (sorted(found.retag), found.kept, found.words) == (
        sorted(holders), 5 - len(holders), {pipeline.tag_version: ["闲置空地"]})
    report = again.reload()
    assert (report.cleaned, report.tagged, report.loaded, report.kept) == (0, len(holders), len(holders),
                                                                          5 - len(holders))
    with Session(again.engine) as session:  # the kept articles' rows are not rewritten
        versions = dict(session.execute(select(m.Article.id, m.Article.tag_version)).tuples().all())
        assert {i for i, v in versions.items() if v == again.tag_version} == holders
        assert {v for i, v in versions.items() if i not in holders} == {pipeline.tag_version}
        assert set(session.execute(select(m.TagEquivalent.tag_version, m.TagEquivalent.current))) == {
            (pipeline.tag_version, again.tag_version)}
        assert session.scalar(select(m.MeasureMention.id).where(m.MeasureMention.surface == "闲置空地")) is not None
    assert again.staleness().retag == [] and again.reload().run_id is None
    selective = _export(again.engine)

    again.reload(everything=True)  # the same database, every article redone: the same facts
    assert _export(again.engine) == selective


def test_a_removed_entry_or_set_word_retags_the_articles_that_held_it(sqlite_url, tmp_path):
    pipeline, data = _ingested(sqlite_url, tmp_path)
    path = data / "lexicon" / "measures.tsv"
    path.write_text("".join(line for line in path.read_text(encoding="utf-8").splitlines(keepends=True)
                            if not line.startswith("座椅\t")), encoding="utf-8")
    _append(data / "lexicon" / "context.tsv", "@resolved\t修好了没")
    again = Pipeline(Settings.from_env(sqlite_url, data_dir=data, workers=1), engine=pipeline.engine)
    found = again.staleness()
    assert found.words == {pipeline.tag_version: ["修好了没", "座椅"]}
    assert set(found.retag) == _holding(pipeline.engine, "座椅") | _holding(pipeline.engine, "修好了没")
    assert again.reload().tagged == len(found.retag)


def test_edits_beyond_the_lexicon_make_every_article_stale(sqlite_url, tmp_path):
    pipeline, data = _ingested(sqlite_url, tmp_path)
    _append(data / "units.tsv", "")  # tag's other data (as its code) may change any fact
    again = Pipeline(Settings.from_env(sqlite_url, data_dir=data, workers=1), engine=pipeline.engine)
    assert (len(again.staleness().retag), again.staleness().kept) == (5, 0)
    assert again.reload().tagged == 5


def test_articles_of_a_version_whose_inputs_were_not_recorded_are_all_stale(sqlite_url, tmp_path):
    pipeline, data = _ingested(sqlite_url, tmp_path)
    with Session(pipeline.engine) as session, session.begin():  # tagged before migration 0007
        session.execute(delete(m.TagInputs))
        session.execute(update(m.Article).values(tag_version="t0+older"))
    assert len(pipeline.staleness().retag) == 5


def test_changed_words_ignore_line_numbers_and_see_changed_neighbours(tmp_path):
    texts = lexicon_texts(default_data_dir())
    before = _lexicon(texts)
    moved = dict(texts, **{"measures.tsv": texts["measures.tsv"].replace("\n座椅\t", "\n\n座椅\t", 1)})
    assert changed_words(before, _lexicon(moved)) == set()
    lines = texts["measures.tsv"].splitlines()
    i = next(i for i, line in enumerate(lines) if line.startswith("座椅\t"))
    fields = (lines[i].split("\t") + [""] * 6)[:6]
    fields[3] = "|".join(filter(None, (fields[3], "雨天")))  # a new forbidden neighbour
    lines[i] = "\t".join(fields)
    assert changed_words(before, _lexicon(dict(texts, **{"measures.tsv": "\n".join(lines) + "\n"}))) == {"座椅"}


def test_an_article_that_fails_to_tag_again_stays_stale(sqlite_url, tmp_path, monkeypatch):
    pipeline, data = _ingested(sqlite_url, tmp_path)
    holders = _holding(pipeline.engine, "闲置空地")
    _append(data / "lexicon" / "measures.tsv", "闲置空地\tgreening")
    again = Pipeline(Settings.from_env(sqlite_url, data_dir=data, workers=1), engine=pipeline.engine)
    import govcase.tag

    def broken(job, lexicon):
        raise RuntimeError("a rule bug")

    monkeypatch.setattr(govcase.tag, "PASSES", (broken,))
    assert again.reload().rejected == len(holders)
    monkeypatch.undo()
    assert set(again.staleness().retag) == holders  # not hidden by the kept articles' version
    assert again.reload().tagged == len(holders)


def test_two_edits_in_a_row_are_each_measured_from_what_an_article_was_tagged_with(sqlite_url, tmp_path):
    pipeline, data = _ingested(sqlite_url, tmp_path)
    first = _holding(pipeline.engine, "闲置空地")
    _append(data / "lexicon" / "measures.tsv", "闲置空地\tgreening")
    Pipeline(Settings.from_env(sqlite_url, data_dir=data, workers=1), engine=pipeline.engine).reload()
    second = _holding(pipeline.engine, "停车位")
    assert second - first
    _append(data / "lexicon" / "context.tsv", "@resolved\t停车位")
    third = Pipeline(Settings.from_env(sqlite_url, data_dir=data, workers=1), engine=pipeline.engine)
    found = third.staleness()
    assert set(found.retag) == second and found.kept == 5 - len(second)
    third.reload()
    selective = _export(third.engine)
    third.reload(everything=True)
    assert _export(third.engine) == selective


def test_a_clean_rule_edit_counts_every_article_it_recleans(sqlite_url, tmp_path):
    pipeline, data = _ingested(sqlite_url, tmp_path)
    _append(data / "lexicon" / "measures.tsv", "闲置空地\tgreening")
    _append(data / "clean" / "title.yaml", "")  # any edit of clean's data cleans every article again
    again = Pipeline(Settings.from_env(sqlite_url, data_dir=data, workers=1), engine=pipeline.engine)
    found = again.staleness()
    assert (len(found.retag), found.kept) == (5, 0)
    report = again.reload()
    assert (report.cleaned, report.tagged, report.kept) == (5, 5, 0)


def test_a_word_is_found_through_quotes_spaces_and_full_width_letters_and_not_in_its_scattered_characters():
    from govcase.stale import _finder, _holds, _needs

    words = ["处理楼道渗漏", "wifi覆盖"]
    finder, needs = _finder(words), _needs(words)
    assert needs == [frozenset("处理楼道渗漏"), frozenset("覆盖")]
    assert _holds(finder, needs, "居民议事会“处理” 楼道渗漏问题", None)
    assert _holds(finder, needs, "小区实现ＷｉＦｉ覆盖", None)
    assert _holds(finder, needs, "无关正文", "标题：处理楼道渗漏")
    assert not _holds(finder, needs, "楼道里渗水，物业处理了漏点", None)  # every character, never the word
    assert not _holds(finder, needs, "全无", None)
    assert _needs(["wifi"]) is None  # a word of ASCII alone: every text is normalised
