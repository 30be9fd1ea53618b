"""Ingest: files, folders and JSONL lines become RawDocuments with their bytes and sha256."""
from __future__ import annotations

import hashlib
import json

from govcase.ingest import InputReject, read_documents

from conftest import SEEDS


def test_a_folder_is_read_recursively_in_order_with_bytes_untouched(tmp_path):
    (tmp_path / "b").mkdir()
    (tmp_path / "b" / "2.txt").write_bytes("长宁区北新泾街道新泾五村加装电梯。".encode("gb18030"))
    (tmp_path / "1.html").write_text("<p>徐汇区长桥街道</p>", encoding="utf-8")
    (tmp_path / "skip.yaml").write_text("a: 1", encoding="utf-8")
    docs = list(read_documents([tmp_path]))
    assert [d.source.rsplit("/", 1)[-1] for d in docs] == ["1.html", "2.txt"]
    assert [d.media_type for d in docs] == ["html", "text"]
    raw = (tmp_path / "b" / "2.txt").read_bytes()
    assert docs[1].data == raw and docs[1].sha256 == hashlib.sha256(raw).hexdigest()
    assert docs[1].encoding.replace("-", "").lower() in ("gb18030", "gbk", "gb2312")


def test_seed_articles_are_utf8():
    docs = list(read_documents([SEEDS]))
    assert len(docs) == 5 and {d.encoding.replace("-", "").replace("_", "").lower()[:4] for d in docs} == {"utf8"}


def test_jsonl_lines_are_articles_with_hints_and_bad_lines_are_rejected(tmp_path):
    path = tmp_path / "feed.jsonl"
    path.write_text("\n".join([
        json.dumps({"url": "https://x.org/1", "title": "标题", "published": "2024-01-02", "html": "<p>正文</p>"},
                   ensure_ascii=False),
        json.dumps({"title": "无正文"}, ensure_ascii=False),
        "{broken",
        "",
        json.dumps({"text": "只有正文"}, ensure_ascii=False),
    ]), encoding="utf-8")
    docs = list(read_documents([path]))
    assert docs[0].source == "https://x.org/1" and docs[0].media_type == "html"
    assert docs[0].hint("title") == "标题" and docs[0].hint("published") == "2024-01-02"
    assert isinstance(docs[1], InputReject) and docs[1].reason == "bad-jsonl" and docs[1].location.endswith("#L2")
    assert isinstance(docs[2], InputReject) and docs[2].location.endswith("#L3")
    assert docs[3].source.endswith("feed.jsonl#L5") and docs[3].media_type == "text"


def test_missing_and_unsupported_paths_are_rejects_not_crashes(tmp_path):
    (tmp_path / "a.pdf").write_bytes(b"%PDF")
    rejects = list(read_documents([tmp_path / "a.pdf", tmp_path / "nope"]))
    assert [(r.reason) for r in rejects] == ["unsupported-type", "not-found"]


# --- property: no input bytes make ingest raise ---------------------------------------------------

import tempfile  # noqa: E402
from pathlib import Path  # noqa: E402

from hypothesis import given, settings  # noqa: E402
from hypothesis import strategies as st  # noqa: E402

from govcase.ingest import make_document  # noqa: E402
from govcase.records import RawDocument  # noqa: E402

CHINESE_BYTES = st.sampled_from(["社区治理", "區(qū)", "龍?督值", "\n", "<p>", "{\"text\": \"", "\ufeff"]).flatmap(
    lambda s: st.sampled_from(["utf-8", "gb18030", "utf-16-le"]).map(lambda e: s.encode(e)))
ANY_BYTES = st.lists(st.one_of(st.binary(max_size=64), CHINESE_BYTES), max_size=40).map(b"".join)


@settings(max_examples=80, deadline=None)
@given(ANY_BYTES, st.sampled_from(["text", "html"]))
def test_any_bytes_become_a_document_or_a_reject(data: bytes, media_type: str) -> None:
    result = make_document("x", data, media_type)
    assert isinstance(result, (RawDocument, InputReject))
    if isinstance(result, RawDocument):
        data.decode(result.encoding, errors="replace")  # the encoding found is a codec Python knows


@settings(max_examples=40, deadline=None)
@given(ANY_BYTES, st.sampled_from([".txt", ".html", ".jsonl"]))
def test_any_file_is_read_without_raising(data: bytes, suffix: str) -> None:
    with tempfile.TemporaryDirectory() as folder:
        path = Path(folder) / f"a{suffix}"
        path.write_bytes(data)
        items = list(read_documents([folder]))
    assert all(isinstance(item, (RawDocument, InputReject)) for item in items)
    if suffix != ".jsonl":
        assert len(items) == 1


JSON_VALUE = st.one_of(st.text(max_size=40), st.integers(), st.none(), st.lists(st.text(max_size=5), max_size=2))
RECORD = st.dictionaries(st.sampled_from(["url", "title", "published", "outlet", "html", "text", "x"]), JSON_VALUE)


@settings(max_examples=40, deadline=None)
@given(st.lists(RECORD, max_size=5))
def test_any_jsonl_records_are_read_without_raising(records: list[dict]) -> None:
    with tempfile.TemporaryDirectory() as folder:
        path = Path(folder) / "feed.jsonl"
        path.write_text("\n".join(json.dumps(r, ensure_ascii=False) for r in records), encoding="utf-8")
        items = list(read_documents([path]))
    assert len(items) == len(records)
    for record, item in zip(records, items):
        assert isinstance(item, (RawDocument, InputReject))
        if not isinstance(record.get("html") or record.get("text"), str):
            assert isinstance(item, InputReject) and item.reason == "bad-jsonl"
