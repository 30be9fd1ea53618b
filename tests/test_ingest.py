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
