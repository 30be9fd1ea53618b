"""govcase search: terms of any length, through the token index or LIKE, on both databases."""
from __future__ import annotations

import json

import pytest
from sqlalchemy import delete, select, text
from typer.testing import CliRunner

from govcase import models as m
from govcase.cli import app
from govcase.db import session_scope
from govcase.dictionary import search_words as words
from govcase.export import open_existing
from govcase.pipeline import Pipeline
from govcase.search import KINDS, SEPARATOR, search, token_columns, token_rows, write_tokens
from govcase.settings import Settings

from conftest import BACKENDS, SEEDS
from seeded import seeded_url

runner = CliRunner()


@pytest.fixture(scope="module", params=BACKENDS)
def url(request) -> str:
    return seeded_url(request.param)


def stem(source: str) -> str:
    return source.rsplit("/", 1)[-1][:3]


def test_search_elevator_finds_the_elevator_sentences_of_000_002_003(url):
    result = runner.invoke(app, ["search", "电梯", "--db", url, "--json"])
    assert result.exit_code == 0, result.output
    hits = [json.loads(line) for line in result.stdout.splitlines()]
    assert {stem(h["source"]) for h in hits} == {"000", "002", "003"}
    assert all("电梯" in h["text"] and h["evidence_id"] for h in hits)
    texts = "\n".join(h["text"] for h in hits)
    for sentence in ("两栋居民楼加装电梯成功签约", "小区加装电梯已成功投入使用5台,签约14台", "已完成3部电梯换新",
                     "罗秀二村在推进电梯加装工作中"):
        assert sentence in texts


def test_a_token_search_finds_exactly_what_like_finds(url):
    engine = open_existing(url)
    for term in ("电梯", "停车", "议事", "居民"):
        by_token, by_like = search(engine, term), search(engine, term, substring=True)
        assert by_token.method == "tokens" and by_like.method == "like"
        assert by_token.hits == by_like.hits  # every dictionary word a sentence contains is a token


def test_strings_that_are_no_token_fall_back_to_like(url):
    engine = open_existing(url)
    result = search(engine, "居民楼加装")  # not a word: found inside a sentence
    assert result.method == "like" and [stem(h.source) for h in result.hits] == ["000"]
    assert search(engine, "没有这个词组").hits == ()
    assert search(engine, "100%").hits == ()  # LIKE wildcards are taken literally


# FTS5 query syntax, characters its default tokenizer splits at, a space, and A-Z
AWKWARD = ('三旧”改造', '"引号"', '电梯*', 'AND', 'NOT 居民', '(括号)', 'k:v', '^开头', 'a OR b', "it's",
           '加装 电梯', 'Wi-Fi', 'NEAR(电梯 加装)', '龙?街道')


def test_awkward_tokens_are_looked_up_literally(db_url):
    pipeline = Pipeline(Settings.from_env(db_url))
    pipeline.ingest([SEEDS])
    with session_scope(pipeline.engine) as session:  # an article with these in its title and tokens
        article = session.scalars(select(m.Article).order_by(m.Article.id)).first()
        article.title = "、".join(AWKWARD)
        session.execute(delete(m.ArticleWords).where(m.ArticleWords.article_id == article.id))
        write_tokens(session.connection(), [(article.id, "", SEPARATOR.join(AWKWARD), "", "")])
    for term in AWKWARD:
        by_token, by_like = search(pipeline.engine, term), search(pipeline.engine, term, substring=True)
        assert by_token.method == "tokens" and article.id in by_token.articles, term
        assert by_token.hits == by_like.hits, term
    assert search(pipeline.engine, "WiFi全覆盖").method == "tokens"  # a measure of seed 002
    assert search(pipeline.engine, "wifi全覆盖").method == "like"  # no such token: case counts
    assert search(pipeline.engine, "三旧”\x1f改造").method == "like"  # the index splits at control characters
    assert search(pipeline.engine, "k").method == search(pipeline.engine, "Wi").method == "like"  # not tokens


def test_the_tokens_view_has_a_row_per_stored_token(url):
    engine = open_existing(url)
    fold = str.maketrans("ABCDEFGHIJKLMNOPQRSTUVWXYZ", "abcdefghijklmnopqrstuvwxyz")
    stored = set()
    with engine.connect() as conn:
        view = set(map(tuple, conn.execute(text("SELECT token, kind, article_id FROM tokens"))))
        for article_id, *columns in conn.execute(select(m.ArticleWords.article_id,
                                                        *(getattr(m.ArticleWords, kind) for kind in KINDS))):
            for kind, tokens in zip(KINDS, columns):
                if isinstance(tokens, str):  # SQLite: one a line; its index folds A-Z
                    tokens = tokens.translate(fold).split(SEPARATOR) if tokens else []
                stored.update((token, kind, article_id) for token in tokens)
    assert view == stored and len(stored) > 1000
    assert {("电梯", "word"), ("wifi全覆盖" if engine.dialect.name == "sqlite" else "WiFi全覆盖", "measure")} <= \
        {(token, kind) for token, kind, _ in view}


def test_titles_are_searched_too(url):
    result = search(open_existing(url), "换颜记")
    assert [(stem(h.source), h.evidence_id) for h in result.hits] == [("000", None)]


def test_token_rows_are_the_dictionary_words_contained_and_lexicon_hits():
    rows = token_rows("加装电梯", ["小区停车难问题,已完成3部电梯换新。"], [("停车难", "measure")])
    tokens = list(rows)
    assert {("电梯", "word"), ("加装", "word"), ("停车", "word"), ("停车难", "word"), ("停车难", "measure"),
            ("小区", "word")} <= set(tokens)
    assert len(tokens) == len(set(tokens))  # once per article and kind
    assert all(len(token) >= 2 for token, kind in rows if kind == "word")
    assert "," not in {token for token, _kind in rows} and "3" not in {token for token, _kind in rows}
    assert "装电" not in {token for token, _kind in rows}  # a dictionary word, not any two characters
    assert words("") == [] and words("电梯") == ["电梯"]


def test_token_columns_hold_the_token_rows_by_kind():
    columns = token_columns("加装电梯", ["小区停车难"], [("停车难", "measure"), ("小区", "place"), ("小区", "place")])
    assert columns == ("加装\n电梯\n小区\n停车\n停车难", "停车难", "", "小区")


def test_no_token_spans_two_sentences():
    assert {token for token, _kind in token_rows("", ["居民", "委员会"], [])} == {"居民", "委员", "委员会"}  # not 民委, 居民委


def test_search_errors_are_one_line(tmp_path):
    result = runner.invoke(app, ["search", "电梯", "--db", f"sqlite:///{tmp_path}/none.db"])
    assert result.exit_code == 2 and result.output.count("\n") == 1
    assert "govcase ingest" in result.output and not (tmp_path / "none.db").exists()
    result = runner.invoke(app, ["search", " ", "--db", seeded_url("sqlite")])
    assert result.exit_code == 2 and result.output.startswith("govcase: give a term")
