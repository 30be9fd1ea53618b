"""Data built once and kept between runs in the user's cache folder, one file per version.

Start-up is what a user waits for in a small ingest: jieba's dictionary as an automaton
takes 1.5 s to build and the gazetteer 0.5 s to parse, against a tenth of that to read back
in one piece. Each file's name carries a hash of everything its content depends on (the
source file's content, the code that builds it, the Python and library versions), so a
stale file is never read, only left behind.

Files of other versions are kept: two checkouts (or virtual environments) on one machine
each read their own file instead of rebuilding each other's on every switch. A file is
touched whenever it is read, and files no one has read for ``KEEP_DAYS`` are removed when a
new one is written, so the folder does not grow for ever.
"""
from __future__ import annotations

import gc
import hashlib
import os
import pickle
import sys
import time
from pathlib import Path
from typing import Callable, TypeVar

T = TypeVar("T")
KEEP_DAYS = 30


def cache_dir() -> Path:
    """The user's own cache folder (never a shared one: the files are unpickled)."""
    base = os.environ.get("XDG_CACHE_HOME") or Path.home() / ".cache"
    return Path(base) / "govcase"


def cached(name: str, key: bytes, build: Callable[[], T], kind: type) -> T:
    """The ``kind`` object cached under ``name`` and ``key``, else ``build()`` (then cached)."""
    digest = hashlib.sha256(key + sys.version.encode()).hexdigest()[:16]
    path = cache_dir() / f"{name}-{digest}.pickle"
    try:
        found = _load(path)
        if isinstance(found, kind):
            os.utime(path)  # read now: not one to prune
            return found
    except Exception:  # missing, or damaged in any way (a torn pickle raises IndexError, KeyError ...): rebuilt
        pass
    built = build()
    try:  # a cache that cannot be written costs only the build next time
        path.parent.mkdir(parents=True, exist_ok=True)
        partial = path.with_name(f"{path.name}.{os.getpid()}")
        with partial.open("wb") as f:  # streamed: no second copy in memory
            pickle.dump(built, f, protocol=pickle.HIGHEST_PROTOCOL)
        os.replace(partial, path)
        _prune(path.parent, name)
    except OSError:
        pass
    return built


def _load(path: Path):
    """Unpickle from the file (read in frames: no copy of the whole file stays behind in the
    process's heap, 7 MB of the gazetteer's) with the garbage collector off: its passes over
    the hundreds of thousands of objects being made would take twice as long as making them."""
    enabled = gc.isenabled()
    gc.disable()
    try:
        with path.open("rb") as f:
            return pickle.load(f)
    finally:
        if enabled:
            gc.enable()


def _prune(folder: Path, name: str) -> None:
    """Remove ``name``'s files no one has read for KEEP_DAYS (other versions' included)."""
    old = time.time() - KEEP_DAYS * 86400
    for path in folder.glob(f"{name}-*.pickle"):
        try:
            if path.stat().st_mtime < old:
                path.unlink()
        except OSError:  # another process pruned it first
            pass


def file_key(path: Path, *code: str) -> bytes:
    """What a file's cached build depends on: its content (a copy of the data elsewhere, or
    another checkout with the same data, shares the cached build) and the given modules'
    sources (the code that builds it)."""
    import importlib.util

    parts = [hashlib.sha256(path.read_bytes()).digest()]
    for module in code:
        spec = importlib.util.find_spec(module)
        parts.append(Path(spec.origin).read_bytes() if spec and spec.origin else module.encode())
    return b"\0".join(parts)
