"""Paths, folders and JSONL files -> RawDocument: bytes kept, encoding detected, sha256 key.

Any input must end as a RawDocument or an InputReject with a specific reason, never as
an exception that stops the run: names that are not UTF-8, symlink loops, FIFOs,
unreadable folders, files of gigabytes, JSON nested 50,000 deep. Files are sized with
fstat before they are read, so a file over the cap costs no memory, and JSONL is read a
line at a time. The reasons are listed in docs/errors.md.
"""
from __future__ import annotations

import errno
import gzip
import hashlib
import json
import os
import re
import stat
import zlib
from dataclasses import dataclass, replace
from pathlib import Path
from typing import BinaryIO, Iterable, Iterator

from govcase.decode import MAX_BYTES, detect_encoding, storable
from govcase.errors import RejectedDocument
from govcase.records import RawDocument

SUFFIXES = {".txt": "text", ".text": "text", ".htm": "html", ".html": "html", ".jsonl": "jsonl"}
ARCHIVES = {".zip", ".tar", ".tgz", ".7z", ".rar", ".bz2", ".xz", ".zst"}  # many files or a codec we do not read
JSONL_HINTS = ("url", "title", "published", "outlet", "source")
MAX_JSON_DEPTH = 64  # an article record is {..., "html": "..."}: depth 1; deep nesting is an attack or junk
# Several whole pages, or several article headers, in one file: a dump, not one article.
_PAGE_START = re.compile(rb"<html[\s>]", re.IGNORECASE)
_HEADER_LINE = re.compile(r"^[ \t\u3000]*(?:来源|發布時間|发布时间|发布日期|發佈日期)\s*[:：]", re.MULTILINE)
MAX_HEADERS = 4  # a page repeats its date line at most in a header and a footer
MAX_LOCATION = 600  # characters: at most 2.4 kB in UTF-8
_SURROGATE_NAME = re.compile(r"[\udc80-\udcff]")


@dataclass(frozen=True)
class InputReject:
    """An input that never became a RawDocument, and why."""

    location: str
    reason: str
    detail: str
    sha256: str | None = None


def label(path: str | os.PathLike) -> str:
    """A path as text any database stores: bytes that are not UTF-8 (kept by Python as lone
    surrogates) are written as \\xff escapes, so bad\\xff.txt stays distinct and readable."""
    name = os.fspath(path)
    if _SURROGATE_NAME.search(name):
        name = os.fsencode(name).decode("utf-8", "backslashreplace")
    return location_text(name)


def location_text(text: str) -> str:
    """A path or URL as the database keeps it: storable, and short enough for a unique index
    (PostgreSQL refuses index rows over ~2.7 kB); a longer one keeps its start and a hash."""
    text = storable(text)
    if len(text) <= MAX_LOCATION:
        return text
    return f"{text[:MAX_LOCATION - 40]}...#{sha256(text.encode('utf-8'))[:32]}"


def _reject(path, reason: str, detail: str, sha: str | None = None) -> InputReject:
    return InputReject(label(path), reason, detail, sha)


def iter_files(paths: Iterable[str | Path]) -> Iterator[Path | InputReject]:
    """Every supported file under the given files and folders (recursive, sorted by name);
    whatever cannot be read is an InputReject with the reason."""
    for raw in paths:
        path = Path(raw)
        try:
            info = path.stat()
        except OSError as exc:
            yield _missing(path, exc)
            continue
        if stat.S_ISDIR(info.st_mode):
            yield from _walk(path, _enclosing(path))
        else:
            yield _file_or_reject(path, info.st_mode, given=True)


def _enclosing(folder: Path) -> set[tuple[int, int]]:
    """The folder and every folder above it: a link inside to any of them (to /, to ..) is a loop."""
    found = set()
    for place in (folder, *folder.resolve().parents):
        try:
            info = place.stat()
        except OSError:
            continue
        found.add((info.st_dev, info.st_ino))
    return found


def _missing(path: Path, exc: OSError) -> InputReject:
    if exc.errno == errno.ELOOP:
        return _reject(path, "symlink-loop", "a symbolic link that points back to itself")
    if exc.errno == errno.ENOENT and path.is_symlink():
        return _reject(path, "dangling-link", f"a symbolic link to {label(os.readlink(path))}, which does not exist")
    if exc.errno == errno.ENOENT:
        return _reject(path, "not-found", "no such file or folder")
    return _reject(path, "unreadable", exc.strerror or str(exc))


def _file_or_reject(path: Path, mode: int, given: bool) -> Path | InputReject | None:
    """The path when it is a file govcase reads; a reject when it cannot be one; None for a
    file of another type found in a folder (images, scripts: a crawl has plenty)."""
    suffixes = [s.lower() for s in path.suffixes[-2:]]
    suffix = suffixes[-1] if suffixes else ""
    if suffix in ARCHIVES or suffixes == [".tar", ".gz"]:
        return _reject(path, "archive", f"{suffix} archives are not read; unpack them and ingest the folder")
    readable = suffix in SUFFIXES or (suffix == ".gz" and suffixes[0] in SUFFIXES and len(suffixes) == 2)
    if not stat.S_ISREG(mode):
        if not readable and not given:
            return None
        return _reject(path, "special-file", "a FIFO, socket or device, not a regular file")
    if readable:
        return path
    if suffix == ".gz":
        return _reject(path, "unsupported-type", "only .txt.gz, .html.gz and .jsonl.gz are decompressed")
    return _reject(path, "unsupported-type", f"{suffix or 'no suffix'}: govcase reads .txt, .html and .jsonl")\
        if given else None


def _walk(folder: Path, ancestors: set[tuple[int, int]]) -> Iterator[Path | InputReject]:
    """Depth first, entries by name; a link back to an enclosing folder is a loop, not a descent."""
    try:
        with os.scandir(folder) as it:
            entries = sorted(it, key=lambda e: e.name)
    except OSError as exc:
        yield _reject(folder, "unreadable-folder", exc.strerror or str(exc))
        return
    for entry in entries:
        path = Path(entry.path)
        try:
            info = entry.stat()  # follows links
        except OSError as exc:
            yield _missing(path, exc)
            continue
        if stat.S_ISDIR(info.st_mode):
            key = (info.st_dev, info.st_ino)
            if key in ancestors:
                yield _reject(path, "symlink-loop", "a link to a folder that contains it")
                continue
            yield from _walk(path, ancestors | {key})
            continue
        item = _file_or_reject(path, info.st_mode, given=False)
        if item is not None:
            yield item


def sha256(data: bytes) -> str:
    return hashlib.sha256(data).hexdigest()


def make_document(location: str, data: bytes, media_type: str,
                  hints: tuple[tuple[str, str], ...] = (), detect: bool = True) -> RawDocument | InputReject:
    concatenated = _concatenated(data, media_type)
    if concatenated:
        return InputReject(location, "concatenated", concatenated, sha256(data))
    doc = RawDocument(location, data, media_type, sha256(data), None, hints)
    return with_encoding(doc) if detect else doc


def _concatenated(data: bytes, media_type: str) -> str | None:
    """Why ``data`` holds several articles (None when it does not look so)."""
    if media_type == "html":
        pages = len(_PAGE_START.findall(data))
        return f"{pages} <html> pages in one file; save one page per file" if pages > 1 else None
    if len(data) < 20_000:  # the check below decodes: only long texts can hold many articles
        return None
    headers = len(_HEADER_LINE.findall(data.decode("utf-8", "replace")))
    if headers <= MAX_HEADERS:
        headers = len(_HEADER_LINE.findall(data.decode("gb18030", "replace")))
    return (f"{headers} source/date header lines; split the file into one article per file"
            if headers > MAX_HEADERS else None)


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
            yield from _read(item, detect)
        except (OSError, EOFError, zlib.error) as exc:  # removed meanwhile, I/O error, bad gzip
            yield _reject(item, "unreadable", getattr(exc, "strerror", None) or str(exc) or type(exc).__name__)


def _read(path: Path, detect: bool) -> Iterator[RawDocument | InputReject]:
    compressed = path.suffix.lower() == ".gz"
    kind = SUFFIXES[(path.with_suffix("") if compressed else path).suffix.lower()]
    # O_NONBLOCK: a FIFO put in place after the walk must not block the run
    fd = os.open(path, os.O_RDONLY | os.O_NONBLOCK)
    with open(fd, "rb") as handle:
        info = os.fstat(handle.fileno())
        if not stat.S_ISREG(info.st_mode):
            yield _reject(path, "special-file", "a FIFO, socket or device, not a regular file")
            return
        if kind != "jsonl" and not compressed and info.st_size > MAX_BYTES:
            yield _reject(path, "too-large", f"{info.st_size} bytes; an article is far below {MAX_BYTES}")
            return
        stream: BinaryIO = gzip.GzipFile(fileobj=handle) if compressed else handle
        if kind == "jsonl":
            yield from _jsonl_documents(path, stream, detect)
            return
        data = stream.read(MAX_BYTES + 1)  # the cap holds for decompressed bytes too (a gzip bomb)
        if len(data) > MAX_BYTES:
            yield _reject(path, "too-large", f"over {MAX_BYTES} bytes; an article is far below that")
            return
        yield make_document(label(path), data, kind, detect=detect)


def _lines(stream: BinaryIO) -> Iterator[tuple[int, bytes | None]]:
    """(number, line) for each line; None for a line over MAX_BYTES, which is skipped unread."""
    number = 0
    while line := stream.readline(MAX_BYTES + 1):
        number += 1
        if len(line) > MAX_BYTES and not line.endswith(b"\n"):
            while (rest := stream.readline(1 << 20)) and not rest.endswith(b"\n"):
                pass
            yield number, None
        else:
            yield number, line


def _jsonl_documents(path: Path, stream: BinaryIO, detect: bool) -> Iterator[RawDocument | InputReject]:
    """One article per line: {url, title, published, html | text}."""
    name = label(path)
    for number, line in _lines(stream):
        location = f"{name}#L{number}"
        if line is None:
            yield InputReject(location, "too-large", f"line {number} is over {MAX_BYTES} bytes")
            continue
        if not line.strip():
            continue
        record = _parse(line, number)
        if isinstance(record, tuple):
            yield InputReject(location, record[0], record[1], sha256(line))
            continue
        hints = tuple((k, storable(str(record[k]))) for k in JSONL_HINTS if record.get(k))
        location = location_text(str(record.get("url") or location))
        media = "html" if isinstance(record.get("html"), str) else "text"
        content = storable(record["html"] if media == "html" else record["text"]).encode("utf-8")
        yield make_document(location, content, media, hints, detect)


def _parse(line: bytes, number: int) -> dict | tuple[str, str]:
    """The line's record, or (reason, detail) when it is not one."""
    depth = _depth(line)
    if depth > MAX_JSON_DEPTH:
        return "too-deep", f"line {number} nests {depth} levels; an article record needs 1 or 2"
    try:
        record = json.loads(line)
    except (UnicodeDecodeError, json.JSONDecodeError, RecursionError) as exc:
        return "bad-jsonl", f"line {number} is not JSON: {storable(str(exc))[:200]}"
    if not isinstance(record, dict) or not isinstance(record.get("html") or record.get("text"), str):
        return "bad-jsonl", f"line {number} has no 'html' or 'text' string"
    return record


_BRACKETS = re.compile(rb'[\[\]{}]|"(?:[^"\\]|\\.)*"', re.DOTALL)


def _depth(line: bytes) -> int:
    """How deep the brackets of a JSON line nest (strings skipped), counted before parsing:
    the parser's recursion limit is no limit worth relying on. Only lines with many
    brackets are scanned; an article record has a handful."""
    if line.count(b"[") + line.count(b"{") <= MAX_JSON_DEPTH:
        return 0
    depth = deepest = 0
    for match in _BRACKETS.finditer(line):
        token = match.group()
        if token in (b"[", b"{"):
            depth += 1
            deepest = max(deepest, depth)
        elif token in (b"]", b"}"):
            depth -= 1
    return deepest
