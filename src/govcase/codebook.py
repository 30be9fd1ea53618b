"""The codebook (seeds/codebook.yaml, a copy of spec/codebook.yaml): codes analysts query by.

The `measures` and `mechanisms` sections are YAML; `place_levels` and
`outcomes` are prose laid out like YAML (a description may contain ': ', which
YAML rejects), so each top-level section is parsed on its own and the prose
sections are read line by line.
"""
from __future__ import annotations

import re
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path

from govcase.datafiles import load_yaml
from govcase.errors import GovcaseError
from govcase.settings import seeds_dir

DEFAULT_PATH = seeds_dir() / "codebook.yaml"
_ENTRY = re.compile(r"^  ([a-z_]+):\s+(.*)$")


@dataclass(frozen=True)
class Codebook:
    place_levels: dict[str, str]
    measures: dict[str, dict]
    mechanisms: dict[str, dict]

    def codes(self, kind: str) -> set[str]:
        return set(self.measures if kind == "measure" else self.mechanisms)


def _sections(text: str) -> dict[str, str]:
    """Top-level key -> the lines below it."""
    out: dict[str, list[str]] = {}
    current = None
    for line in text.splitlines():
        if line and not line.startswith((" ", "#")):
            current = line.split(":", 1)[0].strip()
            out[current] = []
        elif current is not None:
            out[current].append(line)
    return {key: "\n".join(lines) for key, lines in out.items()}


@lru_cache(maxsize=4)
def load_codebook(path: Path = DEFAULT_PATH) -> Codebook:
    """The codebook at ``path``, parsed once for a given content and kept between runs
    (govcase.diskcache): every command that opens a database seeds the codes from it, and
    importing the YAML parser (10 ms, 15 without ``.pyc``) and parsing were a fixed cost of
    each start of a small ingest or a reload. A codebook that cannot be read is never kept."""
    from govcase.diskcache import cached, file_key

    try:
        key = file_key(Path(path), __name__, "govcase.datafiles")
    except OSError:
        return _parsed(path)  # says what is wrong
    return cached("codebook", key, lambda: _parsed(path), Codebook)


def _parsed(path: Path) -> Codebook:
    import yaml

    try:
        sections = _sections(Path(path).read_text(encoding="utf-8"))
        measures = load_yaml(sections["measures"])
        mechanisms = load_yaml(sections["mechanisms"])
    except (OSError, KeyError, yaml.YAMLError) as exc:
        raise GovcaseError(f"cannot read the codebook {path}: {exc}; it needs `measures:` and "
                           "`mechanisms:` sections in YAML") from exc
    levels = {m.group(1): m.group(2) for m in map(_ENTRY.match, sections.get("place_levels", "").splitlines()) if m}
    return Codebook(levels, measures, mechanisms)
