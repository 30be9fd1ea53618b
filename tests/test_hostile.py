"""Hostile inputs (issue 17): folders of bad names, bad bytes, bad JSON, links, FIFOs and
archives are ingested to the end; every input is an article or a reject with a specific
reason; nothing prints a traceback; a second run changes nothing. On SQLite and PostgreSQL."""
from __future__ import annotations

import gzip
import json
import os
import tempfile
import zipfile
from pathlib import Path

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from sqlalchemy import select
from sqlalchemy.orm import Session
from typer.testing import CliRunner

from govcase import models as m
from govcase.cli import app
from govcase.db import open_database
from govcase.export import stats
from govcase.ingest import label

from conftest import BACKENDS, new_pg_database

runner = CliRunner()
ARTICLE = "长宁区北新泾街道新泾五村小区加装电梯已投入使用{n}台，签约14台。居民区党总支通过议事会协商解决停车难问题。\n"
GENERIC = {"error"}  # a reason that says nothing specific: no input may end with it


def _article(n: int) -> str:
    return ARTICLE.format(n=n) * 3


# --- the twelve kinds of issue 17, and their neighbours ---------------------------------------


def _jsonl_line(kind: str, n: int) -> str:
    body = _article(n).replace("\n", "\\n")
    return {
        "ok": json.dumps({"url": f"https://example.org/{n}", "text": _article(n)}, ensure_ascii=False),
        "surrogate": '{"url": "https://example.org/s%d\\ud800", "title": "\\udc00", "text": "%s\\ud800"}' % (n, body),
        "deep": "[" * 50_000 + "]" * 50_000,
        "nul": json.dumps({"url": f"https://example.org/n{n}\u0000", "title": "标\u0000题", "outlet": "新\u0000闻",
                           "text": _article(n) + "\u0000"}, ensure_ascii=False),
        "broken": '{"text": "未完',
        "no-text": json.dumps({"title": "无正文"}, ensure_ascii=False),
    }[kind]


JSONL_KINDS = ("ok", "surrogate", "deep", "nul", "broken", "no-text")


def _write(folder: Path, kind: str, n: int, name: bytes | None = None, data: bytes = b"") -> list[str]:
    """Make one hostile input in ``folder``; returns the locations it should be found under."""
    path = folder / os.fsdecode(name or f"{kind}-{n}".encode())
    text = _article(n).encode("utf-8")
    if kind == "bad-name":
        path = folder / os.fsdecode(b"bad\xff" + str(n).encode() + b".txt")
        path.write_bytes(text)
    elif kind == "random":
        path = path.with_suffix(".txt")
        path.write_bytes(data)
    elif kind == "jsonl":
        path = path.with_suffix(".jsonl")
        lines = [_jsonl_line(k, n * 10 + i) for i, k in enumerate(JSONL_KINDS)]
        path.write_text("\n".join(lines) + "\n", encoding="utf-8", errors="surrogatepass")
        # a record is stored under its URL (scrubbed as the database keeps it), a bad line under its number
        urls = {"ok": "https://example.org/{}", "surrogate": "https://example.org/s{}\ufffd",
                "nul": "https://example.org/n{}"}
        return [urls[k].format(n * 10 + i) if k in urls else f"{label(path)}#L{i + 1}"
                for i, k in enumerate(JSONL_KINDS)]
    elif kind == "one-bad-byte":
        path = path.with_suffix(".txt")
        path.write_bytes(text[:40] + b"\xff" + text[40:])
    elif kind == "nuls":
        path = path.with_suffix(".txt")
        path.write_bytes(text[:40] + b"\x00\x00" + text[40:])
    elif kind == "deep-html":
        path = path.with_suffix(".html")
        path.write_text("<html><body>" + "<div>" * 20_000 + _article(n) + "</div>" * 20_000 + "</body></html>",
                        encoding="utf-8")
    elif kind == "concatenated":
        path = path.with_suffix(".html")
        page = "<html><head><title>第{i}篇</title></head><body><p>{b}</p></body></html>"
        path.write_text("\n".join(page.format(i=i, b=_article(n + i)) for i in range(30)), encoding="utf-8")
    elif kind == "loop":
        path.symlink_to(path.name)
    elif kind == "dangling":
        path = path.with_suffix(".txt")
        path.symlink_to(folder / "nowhere.txt")
    elif kind == "fifo":
        path = path.with_suffix(".txt")
        os.mkfifo(path)
    elif kind == "gz":
        path = path.with_suffix(".txt.gz")
        path.write_bytes(gzip.compress(text))
    elif kind == "bad-gz":
        path = path.with_suffix(".txt.gz")
        path.write_bytes(b"\x1f\x8b\x08\x00 not really gzip")
    elif kind == "zip":
        path = path.with_suffix(".zip")
        with zipfile.ZipFile(path, "w") as archive:
            archive.writestr("a.txt", text)
    elif kind == "big":
        path = path.with_suffix(".txt")
        with open(path, "wb") as handle:  # sparse: sized by stat, never read
            handle.truncate(21 * 1024 * 1024)
    else:
        raise AssertionError(kind)
    return [label(path)]


KINDS = ("bad-name", "jsonl", "one-bad-byte", "nuls", "deep-html", "concatenated", "loop", "dangling", "fifo",
         "gz", "bad-gz", "zip", "big")
ITEM = st.one_of(
    st.tuples(st.sampled_from(KINDS), st.none(), st.just(b"")),
    st.tuples(st.just("random"), st.binary(min_size=1, max_size=12).filter(lambda b: b"/" not in b and b"\0" not in b
                                                                           and b not in (b".", b"..")),
              st.binary(max_size=300)),
)


def _build(folder: Path, items) -> list[str]:
    locations = []
    for n, (kind, name, data) in enumerate(items):
        if name is not None:
            name = b"r%d-" % n + name
        locations += _write(folder, kind, n, name, data)
    return locations


def _outcome(engine, locations: list[str]) -> dict[str, str]:
    """Each location -> "article" or the specific reason it was rejected (or "LOST")."""
    with Session(engine) as session:
        rejects = {(stage, loc): reason for stage, loc, reason in session.execute(
            select(m.Reject.stage, m.Reject.location, m.Reject.reason))}
        by_source = {sid: reason for sid, reason in session.execute(
            select(m.Reject.source_id, m.Reject.reason).where(m.Reject.source_id.is_not(None)))}
        found = dict(session.execute(select(m.SourceLocation.location, m.SourceLocation.source_id)).all())
        articles = set(session.scalars(select(m.Article.source_id)))
    out = {}
    for loc in locations:
        if ("ingest", loc) in rejects:
            out[loc] = rejects["ingest", loc]
        elif loc in found:
            source = found[loc]
            out[loc] = "article" if source in articles else by_source.get(source, "LOST")
        else:
            out[loc] = "LOST"
    return out


def _ingest(folder: Path, url: str):
    result = runner.invoke(app, ["ingest", str(folder), "--db", url, "--json"], catch_exceptions=False)
    assert "Traceback" not in result.output, result.output
    assert result.exit_code in (0, 1), result.output  # 1: some inputs were rejected, as they should be
    return json.loads(result.output)


def _check(folder: Path, url: str, locations: list[str]) -> None:
    first = _ingest(folder, url)
    engine = open_database(url)
    outcome = _outcome(engine, locations)
    for loc, what in outcome.items():
        assert what != "LOST" and what not in GENERIC, (loc, what, outcome)
    assert bool(first["rejected"]) == any(w != "article" for w in outcome.values()), (first, outcome)
    before = stats(engine)
    second = _ingest(folder, url)
    assert second["stored"] == 0 and second["rejected"] == {} and second["run_id"] is None, second
    assert stats(engine) == before
    engine.dispose()


def _database(backend: str, tmp: Path):
    if backend == "sqlite":
        return f"sqlite:///{tmp / 'h.db'}", lambda: None
    return new_pg_database()


@pytest.mark.parametrize("backend", BACKENDS)
def test_every_kind_of_hostile_input_at_once(backend, tmp_path):
    folder = tmp_path / "in"
    folder.mkdir()
    where = {k: _write(folder, k, n) for n, k in enumerate(KINDS)}
    locations = [loc for locs in where.values() for loc in locs]
    locations += _write(folder, "random", len(KINDS), b"x", bytes(range(256)))
    (folder / "sub").mkdir()
    (folder / "sub" / "up").symlink_to(folder)  # a link back to an enclosing folder
    url, drop = _database(backend, tmp_path)
    try:
        _check(folder, url, locations + [label(folder / "sub" / "up")])
        engine = open_database(url)
        outcome = _outcome(engine, locations)
        engine.dispose()
    finally:
        drop()
    by_kind = {k: outcome[locs[0]] for k, locs in where.items()}
    assert [outcome[loc] for loc in where["jsonl"]] == ["article", "article", "too-deep", "article", "bad-jsonl",
                                                       "bad-jsonl"]
    assert by_kind["bad-name"] == "article" and by_kind["one-bad-byte"] == "article"
    assert by_kind["nuls"] == "article" and by_kind["gz"] == "article"
    assert by_kind["deep-html"] == "too-deep" and by_kind["concatenated"] == "concatenated"
    assert by_kind["loop"] == "symlink-loop" and by_kind["dangling"] == "dangling-link"
    assert by_kind["fifo"] == "special-file" and by_kind["zip"] == "archive" and by_kind["big"] == "too-large"
    assert by_kind["bad-gz"] == "unreadable"


FOLDERS = st.lists(ITEM, min_size=1, max_size=6)


@pytest.mark.parametrize("backend", BACKENDS)
@settings(max_examples=int(os.environ.get("GOVCASE_FUZZ_EXAMPLES", "6")), deadline=None,
          suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow])
@given(items=FOLDERS)
def test_any_folder_of_hostile_files_is_ingested_to_the_end(backend, items):
    with tempfile.TemporaryDirectory() as tmp:
        folder = Path(tmp) / "in"
        folder.mkdir()
        locations = _build(folder, items)
        url, drop = _database(backend, Path(tmp))
        try:
            _check(folder, url, locations)
        finally:
            drop()


def test_an_unreadable_folder_and_a_link_to_the_root_are_rejects(tmp_path, monkeypatch):
    """Root reads any folder, so the refusal is the operating system's answer, played back."""
    from govcase import ingest

    (tmp_path / "in" / "locked").mkdir(parents=True)
    (tmp_path / "in" / "ok.txt").write_text(_article(1), encoding="utf-8")
    (tmp_path / "in" / "root").symlink_to("/")
    (tmp_path / "in" / "a.tar.gz").write_bytes(gzip.compress(b"x"))
    real = os.scandir

    def scandir(path):
        if str(path).endswith("locked"):
            raise PermissionError(13, "Permission denied")
        return real(path)

    monkeypatch.setattr(ingest.os, "scandir", scandir)
    items = list(ingest.read_documents([tmp_path / "in"]))
    reasons = sorted(getattr(i, "reason", "article") for i in items)
    assert reasons == ["archive", "article", "symlink-loop", "unreadable-folder"]
