"""Paths, folders and JSONL files -> RawDocument: bytes kept, encoding detected, sha256 key."""
from __future__ import annotations

import hashlib
import json
from dataclasses import dataclass, replace
from pathlib import Path
from typing import Iterable, Iterator

from govcase.decode import detect_encoding
from govcase.errors import RejectedDocument
from govcase.records import RawDocument

SUFFIXES = {".txt": "text", ".text": "text", ".htm": "html", ".html": "html", ".jsonl": "jsonl"}
JSONL_HINTS = ("url", "title", "published", "outlet", "source")


@dataclass(frozen=True)
class InputReject:
    """An input that never became a RawDocument, and why."""

    location: str
    reason: str
    detail: str
    sha256: str | None = None


def iter_files(paths: Iterable[str | Path]) -> Iterator[Path | InputReject]:
    """Every supported file under the given files and folders (recursive), sorted."""
    for raw in paths:
        path = Path(raw)
        if path.is_dir():
            found = sorted(p for p in path.rglob("*") if p.is_file() and p.suffix.lower() in SUFFIXES)
            yield from found
        elif path.is_file():
            if path.suffix.lower() in SUFFIXES:
                yield path
            else:
                yield InputReject(str(path), "unsupported-type",
                                  f"{path.suffix or 'no suffix'}: govcase reads .txt, .html and .jsonl")
        else:
            yield InputReject(str(path), "not-found", "no such file or folder")


def sha256(data: bytes) -> str:
    return hashlib.sha256(data).hexdigest()


def make_document(location: str, data: bytes, media_type: str,
                  hints: tuple[tuple[str, str], ...] = (), detect: bool = True) -> RawDocument | InputReject:
    doc = RawDocument(location, data, media_type, sha256(data), None, hints)
    return with_encoding(doc) if detect else doc


def with_encoding(doc: RawDocument) -> RawDocument | InputReject:
    """The document with its encoding detected, or why it cannot be an article (binary, empty ...)."""
    if doc.encoding:
        return doc
    try:
        encoding = detect_encoding(doc.data, doc.media_type)
    except RejectedDocument as exc:
        return InputReject(doc.source, exc.reason, exc.detail, doc.sha256)
    return replace(doc, encoding=encoding)


def read_documents(paths: Iterable[str | Path], detect: bool = True) -> Iterator[RawDocument | InputReject]:
    """Read inputs lazily: one RawDocument (or InputReject) per article.

    ``detect=False`` leaves the encoding to ``with_encoding``, so a caller that already
    holds most inputs (a re-run over the same folder) pays for detection only on new ones.
    """
    for item in iter_files(paths):
        if isinstance(item, InputReject):
            yield item
            continue
        try:
            data = item.read_bytes()
        except OSError as exc:
            yield InputReject(str(item), "unreadable", str(exc))
            continue
        kind = SUFFIXES[item.suffix.lower()]
        if kind == "jsonl":
            yield from _jsonl_documents(item, data, detect)
        else:
            yield make_document(str(item), data, kind, detect=detect)


def _jsonl_documents(path: Path, data: bytes, detect: bool) -> Iterator[RawDocument | InputReject]:
    """One article per line: {url, title, published, html | text}."""
    for number, line in enumerate(data.splitlines(), start=1):
        if not line.strip():
            continue
        location = f"{path}#L{number}"
        try:
            record = json.loads(line)
        except (UnicodeDecodeError, json.JSONDecodeError) as exc:
            yield InputReject(location, "bad-jsonl", f"line {number} is not JSON: {exc}", sha256(line))
            continue
        if not isinstance(record, dict) or not isinstance(record.get("html") or record.get("text"), str):
            yield InputReject(location, "bad-jsonl", f"line {number} has no 'html' or 'text' string",
                              sha256(line))
            continue
        hints = tuple((k, str(record[k])) for k in JSONL_HINTS if record.get(k))
        location = str(record.get("url") or location)
        media = "html" if isinstance(record.get("html"), str) else "text"
        content = (record.get("html") if media == "html" else record["text"]).encode("utf-8")
        yield make_document(location, content, media, hints, detect)
