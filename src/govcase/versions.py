"""Which rules and data made a fact: recorded on every run and article.

A version is the rules' own number (bump it when code changes what a stage
produces) plus a short hash of the data files the stage reads, so editing a
lexicon or gazetteer makes every article tagged with the old one stale.
"""
from __future__ import annotations

import hashlib
from functools import lru_cache
from pathlib import Path

from govcase import __version__

CLEAN_RULES = "1"
TAG_RULES = "1"
# data/ subfolders read by clean; everything else in data/ is read by tag.
CLEAN_DATA = ("clean",)


def _fingerprint(files: list[Path], root: Path) -> str:
    digest = hashlib.sha256()
    for path in sorted(files):
        digest.update(str(path.relative_to(root)).encode())
        digest.update(b"\0")
        digest.update(path.read_bytes())
    return digest.hexdigest()[:10]


def _data_files(data_dir: Path, clean: bool) -> list[Path]:
    if not data_dir.is_dir():
        return []
    files = [p for p in data_dir.rglob("*") if p.is_file() and not p.name.startswith(".")]
    in_clean = lambda p: p.relative_to(data_dir).parts[0] in CLEAN_DATA  # noqa: E731
    return [p for p in files if in_clean(p) == clean]


@lru_cache(maxsize=8)
def clean_version(data_dir: Path) -> str:
    return f"c{CLEAN_RULES}+{_fingerprint(_data_files(data_dir, True), data_dir)}"


@lru_cache(maxsize=8)
def tag_version(data_dir: Path) -> str:
    return f"t{TAG_RULES}+{_fingerprint(_data_files(data_dir, False), data_dir)}"


def govcase_version() -> str:
    return __version__
