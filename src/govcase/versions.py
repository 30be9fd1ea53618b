"""Which rules and data made a fact: recorded on every run and article.

A version is the rules' own number plus a short hash of the stage's code and of
the data files it reads, so editing a rule, a lexicon or the gazetteer makes
every article made with the old one stale, and ``govcase reload`` redoes it.
"""
from __future__ import annotations

import hashlib
from pathlib import Path

from govcase import __version__

CLEAN_RULES = "1"
TAG_RULES = "1"
# data/ subfolders read by clean; everything else in data/ is read by tag.
CLEAN_DATA = ("clean",)
LEXICON_DATA = "lexicon"  # the data/ subfolder of the measure and mechanism lexicon
PACKAGE = Path(__file__).resolve().parent
# the code of each stage (paths in the package); a change to any of it changes what the stage makes
CLEAN_CODE = ("clean.py", "decode.py", "cleaning", "dedup.py", "records.py")
TAG_CODE = ("tag.py", "text.py", "places.py", "placenames", "tagging", "records.py", "datafiles.py")


def _fingerprint(files: list[Path], root: Path, code: tuple[str, ...]) -> str:
    digest = hashlib.sha256()
    sources = sorted(p for name in code for p in ([PACKAGE / name] if name.endswith(".py")
                                                  else (PACKAGE / name).rglob("*.py")))
    for base, paths in ((root, sorted(files)), (PACKAGE, sources)):
        for path in paths:
            digest.update(str(path.relative_to(base)).encode())
            digest.update(b"\0")
            digest.update(path.read_bytes())
    return digest.hexdigest()[:10]


def _data_files(data_dir: Path, clean: bool) -> list[Path]:
    if not data_dir.is_dir():
        return []
    files = [p for p in data_dir.rglob("*") if p.is_file() and not p.name.startswith(".")]
    in_clean = lambda p: p.relative_to(data_dir).parts[0] in CLEAN_DATA  # noqa: E731
    return [p for p in files if in_clean(p) == clean]


def clean_version(data_dir: Path) -> str:
    return f"c{CLEAN_RULES}+{_fingerprint(_data_files(data_dir, True), data_dir, CLEAN_CODE)}"


def tag_version(data_dir: Path) -> str:
    return f"t{TAG_RULES}+{_fingerprint(_data_files(data_dir, False), data_dir, TAG_CODE)}"


def tag_rest(data_dir: Path) -> str:
    """The part of the tag version that is not the lexicon: the rules' number, tag's code and
    its other data files. Two versions with the same rest differ in their lexicons alone, and
    a reload then redoes only the articles the lexicon edit can touch (govcase.stale)."""
    files = [p for p in _data_files(data_dir, False) if p.relative_to(data_dir).parts[0] != LEXICON_DATA]
    return f"t{TAG_RULES}+{_fingerprint(files, data_dir, TAG_CODE)}"


def lexicon_texts(data_dir: Path) -> dict[str, str]:
    """The lexicon's files ({name: text}), as tag reads them."""
    folder = data_dir / LEXICON_DATA
    return {p.name: p.read_text(encoding="utf-8") for p in sorted(folder.glob("*.tsv"))} if folder.is_dir() else {}


def govcase_version() -> str:
    return __version__
