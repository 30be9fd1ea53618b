"""Reading govcase's data files: tab-separated rows, '#' comments and blank lines skipped."""
from __future__ import annotations

from typing import Iterator


def data_rows(text: str) -> Iterator[tuple[int, list[str]]]:
    """(line number, tab-separated cells, stripped) of every line that is not blank or a comment."""
    for lineno, line in enumerate(text.splitlines(), 1):
        if line.strip() and not line.startswith("#"):
            yield lineno, [cell.strip() for cell in line.split("\t")]


def load_yaml(stream):
    """``yaml.safe_load`` through libyaml when PyYAML was built with it: the same objects
    (the same safe constructor) from a scanner and parser in C, ten times as fast, which a
    small ingest waits for at start-up."""
    import yaml

    return yaml.load(stream, Loader=getattr(yaml, "CSafeLoader", yaml.SafeLoader))
