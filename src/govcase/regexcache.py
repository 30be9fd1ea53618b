"""Regular expressions compiled once and kept between runs in the user's cache folder.

Python compiles a regular expression in Python code (re._parser, re._compiler): the
alternations built from the lexicons and word lists (thousands of words, longest first)
and the character classes of thousands of hanzi take milliseconds each, and a small
ingest's two processes compiled ~550 of them at every start, 0.2-0.3 s of CPU in all,
a fifth of what the helper process spent loading the stages. What the compiler makes is
a list of ints that ``_sre.compile`` turns into a pattern at once; ``compile`` keeps that
list in a file per pattern, named by a hash of the pattern, its flags and the Python
version, and reads it back next time.

Anything unexpected (another Python's internals, a damaged or foreign file, a write that
fails) falls back to ``re.compile``; a damaged file is compiled again and rewritten. The
files are the user's own (govcase.diskcache's folder), read only by the same user. Files
written more than diskcache.KEEP_DAYS ago, and the oldest beyond MAX_FILES, are removed when
a new one is written: the patterns of an old lexicon are never asked for again.
"""
from __future__ import annotations

import hashlib
import marshal
import os
import re
import sys
import time
from pathlib import Path

try:
    import _sre
    from re import _compiler, _parser
except ImportError:  # pragma: no cover - another Python's layout: compiled as usual
    _sre = None

_PRUNE_EVERY = 64  # new files written between two sweeps of the folder
# Files kept at most: the patterns built from one lexicon and data are ~250 (a small ingest's
# two processes; more as articles reach more entries' neighbours), and every edit of them makes
# some anew (the test suite's edited copies ~500 a run). Past this, the oldest written go first.
MAX_FILES = 4096


def compile(pattern: str, flags: int = 0) -> re.Pattern[str]:
    """``re.compile(pattern, flags)``, from the cache when it holds this pattern."""
    flags = int(flags)
    if _sre is None or not isinstance(pattern, str) or flags & re.DEBUG:
        return re.compile(pattern, flags)
    path = _folder() / _name(pattern, flags)
    try:
        with path.open("rb") as f:
            return _made(pattern, marshal.load(f))
    except Exception:  # missing, damaged, or from another version: compiled and written again
        pass
    try:
        parts = _parts(pattern, flags)
        made = _made(pattern, parts)
    except Exception:  # an internal that changed: the ordinary way (which raises re.error for a bad pattern)
        return re.compile(pattern, flags)
    _write(path, parts)
    return made


def _parts(pattern: str, flags: int) -> tuple:
    """What re._compiler.compile hands _sre.compile, but the pattern itself."""
    parsed = _parser.parse(pattern, flags)
    code = list(map(int, _compiler._code(parsed, flags)))  # opcodes are int subclasses
    groupindex = dict(parsed.state.groupdict)
    indexgroup = [None] * parsed.state.groups
    for name, index in groupindex.items():
        indexgroup[index] = name
    return (flags | parsed.state.flags, code, parsed.state.groups - 1, groupindex, tuple(indexgroup))


def _made(pattern: str, parts) -> re.Pattern[str]:
    flags, code, groups, groupindex, indexgroup = parts
    if not (isinstance(code, list) and isinstance(groupindex, dict) and isinstance(indexgroup, tuple)):
        raise TypeError("not a compiled pattern")
    return _sre.compile(pattern, flags, code, groups, groupindex, indexgroup)  # checks the code it is given


def _folder() -> Path:
    from govcase.diskcache import cache_dir

    return cache_dir() / "regex"


def _name(pattern: str, flags: int) -> str:
    key = f"{sys.version}\0{_sre.MAGIC}\0{flags}\0{pattern}".encode("utf-8", "surrogatepass")
    return hashlib.sha256(key).hexdigest()[:32]


_written = 0


def _write(path: Path, parts: tuple) -> None:
    global _written
    try:
        path.parent.mkdir(parents=True, exist_ok=True)
        partial = path.with_name(f"{path.name}.{os.getpid()}")
        partial.write_bytes(marshal.dumps(parts))
        os.replace(partial, path)  # whole or not at all, whoever else writes it at the same time
    except OSError:  # a cache that cannot be written costs only the compiling next time
        return
    _written += 1
    if _written % _PRUNE_EVERY == 1:
        _prune(path.parent)


def _prune(folder: Path) -> None:
    """Remove the files no one has read for diskcache.KEEP_DAYS (patterns of old lexicons).
    A read does not touch its file (that would be a system call per pattern at every start):
    a file's age is the time since it was written, so a pattern still in use is compiled and
    written again once every KEEP_DAYS."""
    from govcase.diskcache import KEEP_DAYS

    old = time.time() - KEEP_DAYS * 86400
    try:
        entries = []
        for entry in os.scandir(folder):
            try:
                entries.append((entry.stat().st_mtime, entry.path))
            except OSError:  # another process pruned it first
                pass
    except OSError:
        return
    entries.sort()
    excess = len(entries) - MAX_FILES * 3 // 4 if len(entries) > MAX_FILES else 0
    for i, (mtime, path) in enumerate(entries):
        if i >= excess and mtime >= old:
            break  # sorted by age: the rest are younger and within the count
        try:
            os.unlink(path)
        except OSError:
            pass
