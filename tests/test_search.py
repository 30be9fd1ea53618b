"""govcase search: every article whose title or whole body contains every term, simplified or
traditional, on both databases; checked against a plain substring scan of the stored bodies."""
from __future__ import annotations

import json
import re

import opencc
import pytest
from sqlalchemy import select
from typer.testing import CliRunner

from govcase import models as m
from govcase.cli import app
from govcase.export import open_existing
from govcase.pipeline import Pipeline
from govcase.search import EmptyTerm, parse_terms, search, spellings
from govcase.settings import Settings, normalise_db_url

from conftest import BACKENDS, new_pg_database, shared_path
from seeded import seeded_url

runner = CliRunner()
TO_TRADITIONAL = opencc.OpenCC("s2t")


@pytest.fixture(scope="module", params=BACKENDS)
def url(request) -> str:
    return seeded_url(request.param)


@pytest.fixture(scope="module", params=BACKENDS)
def corpus_url(request, tmp_path_factory):
    """dev, dev2 and dev3 of ../shared in one database."""
    folders = [shared_path("corpus", name) for name in ("dev", "dev2", "dev3")]
    if request.param == "sqlite":
        url, drop = f"sqlite:///{tmp_path_factory.mktemp('search') / 'corpus.db'}", None
    else:
        url, drop = new_pg_database("govcase_search")
    Pipeline(Settings(db_url=normalise_db_url(url), workers=1)).ingest(folders)
    yield url
    if drop:
        drop()


def bodies(url: str) -> dict[int, str]:
    engine = open_existing(url)
    with engine.connect() as conn:
        return {aid: f"{title or ''}\n{body}" for aid, title, body in
                conn.execute(select(m.Article.id, m.Article.title, m.Article.body))}


def words_of(texts: list[str]) -> list[str]:
    """Two-, three- and four-character runs of Chinese taken from the texts (made up here, not
    a fixed list): common ones and rare ones."""
    runs = [run for text in texts for run in re.findall(r"[\u4e00-\u9fff]{2,}", text)]
    picked = []
    for i, run in enumerate(runs[::7]):
        size = 2 + i % 3
        if len(run) >= size:
            picked.append(run[:size])
    return sorted(set(picked))[:120]


def test_search_finds_every_body_a_substring_scan_finds_simplified_and_traditional(corpus_url):
    texts = bodies(corpus_url)
    assert len(texts) >= 40
    engine = open_existing(corpus_url)
    checked = 0
    for word in words_of(list(texts.values())) + ["出租率", "老年人", "电梯", "停车", "居民"]:
        expected = {aid for aid, text in texts.items() if word in text}
        assert set(search(engine, word, limit=None).articles) == expected, word
        traditional = TO_TRADITIONAL.convert(word)
        if traditional != word and spellings(traditional)[0] == word:  # t2s takes it back exactly
            assert set(search(engine, traditional, limit=None).articles) == expected, traditional
            checked += 1
    assert checked >= 20  # traditional queries were really tried


def test_several_terms_must_all_be_there_and_a_quoted_phrase_is_one_term(corpus_url):
    texts = bodies(corpus_url)
    engine = open_existing(corpus_url)
    both = {aid for aid, text in texts.items() if "电梯" in text and "居民" in text}
    assert set(search(engine, "电梯 居民", limit=None).articles) == both
    assert set(search(engine, ["電梯", "居民"], limit=None).articles) == both
    phrase = {aid for aid, text in texts.items() if "加装电梯" in text}
    assert set(search(engine, '"加装电梯"', limit=None).articles) == phrase


def test_limit_caps_the_articles_and_the_total_still_counts_them_all(corpus_url):
    engine = open_existing(corpus_url)
    everything = search(engine, "居民", limit=None)
    first = search(engine, "居民", limit=3)
    assert len(first.articles) == 3 and first.total == everything.total == len(everything.articles) > 3
    assert first.articles == everything.articles[:3]


def test_parse_terms_keeps_quoted_phrases_whole():
    assert parse_terms('电梯 "加装 电梯" 停车') == ("电梯", "加装 电梯", "停车")
    assert parse_terms(["电梯", "“居民 议事”"]) == ("电梯", "居民 议事")
    assert parse_terms("  ") == ()
    assert spellings("電梯") == ("电梯", "電梯")


def test_search_shows_the_sentences_with_the_term_and_the_title(url):
    result = runner.invoke(app, ["search", "电梯", "--db", url, "--json"])
    assert result.exit_code == 0, result.output
    hits = [json.loads(line) for line in result.stdout.splitlines()]
    assert {h["source"].rsplit("/", 1)[-1][:3] for h in hits} == {"000", "002", "003"}
    assert all("电梯" in h["text"] for h in hits)
    texts = "\n".join(h["text"] for h in hits)
    for sentence in ("两栋居民楼加装电梯成功签约", "已完成3部电梯换新"):
        assert sentence in texts
    assert "3 articles contain 电梯" in result.stderr


def test_wildcards_and_case_are_taken_literally(url):
    engine = open_existing(url)
    assert search(engine, "100%").hits == ()
    assert search(engine, "电_梯").hits == ()
    with pytest.raises(EmptyTerm):
        search(engine, "  ")


def test_search_errors_are_one_line(url):
    empty = runner.invoke(app, ["search", " ", "--db", url])
    assert empty.exit_code == 2 and len(empty.stderr.strip().splitlines()) == 1
    assert empty.stderr.startswith("govcase: give a term")
