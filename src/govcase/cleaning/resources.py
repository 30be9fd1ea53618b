"""The data files of the clean stage (data/clean/), each loaded once.

They are data, not code: cue phrases of page furniture, title tag shapes and
character frequencies are edited there, and every loader caches its result.
"""
from __future__ import annotations

import re
from functools import lru_cache
from pathlib import Path

from govcase.cleaning.guarded import guarded_regex
from govcase.datafiles import load_yaml as read_yaml
from govcase.settings import default_data_dir

DATA_DIR = default_data_dir() / "clean"


def data_path(name: str) -> Path:
    path = DATA_DIR / name
    if not path.exists():
        raise FileNotFoundError(f"{path} is missing: the clean stage needs the data/clean/ folder (set GOVCASE_DATA_DIR to the data folder)")
    return path


@lru_cache(maxsize=None)
def hanzi_table() -> dict[str, tuple[int, int]]:
    """char -> (count, level): level 1 is GB2312 level 1 (or its traditional form), 2 level 2."""
    table = {}
    with data_path("hanzi_freq.tsv").open(encoding="utf-8") as f:
        for line in f:
            if line.startswith("#"):
                continue
            char, count, level = line.rstrip("\n").split("\t")
            table[char] = (int(count), int(level))
    return table


@lru_cache(maxsize=None)
def load_yaml(name: str) -> dict:
    with data_path(name).open(encoding="utf-8") as f:
        return read_yaml(f)


def cues() -> dict:
    """The cue phrases and patterns of page furniture (boilerplate.yaml)."""
    return load_yaml("boilerplate.yaml")


def title_rules() -> dict:
    """Shapes of site tags around headlines (title.yaml)."""
    return load_yaml("title.yaml")


def cue_regex(key: str, anchored: bool = False) -> re.Pattern[str]:
    """One alternation of the phrases listed under ``key`` (phrases are regexes)."""
    return _cue_regex(key, anchored)


@lru_cache(maxsize=None)
def _cue_regex(key: str, anchored: bool) -> re.Pattern[str]:
    phrases = cues()[key]
    body = "|".join(f"(?:{p})" for p in sorted(phrases, key=len, reverse=True))
    if anchored:  # matched at the start only: nothing to skip
        return re.compile(f"^(?:{body})", re.IGNORECASE)
    return guarded_regex(f"(?:{body})", re.IGNORECASE)
