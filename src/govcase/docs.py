"""What docs/ says, read by the code that shows it: the documented queries (docs/queries.md,
by their ``-- query: NAME`` line) and the table, view and column descriptions (docs/schema.md).

`govcase serve` gives Datasette both, benchmarks/views.py times the queries, and
tests/test_queries.py runs them: the docs are the one place they are written.
"""
from __future__ import annotations

import re
from dataclasses import dataclass
from pathlib import Path

from govcase.settings import docs_dir

_BLOCK = re.compile(r"^## (?:\d+[a-z]?\. )?(?P<title>[^\n]*)\n|```sql\n(?P<sql>.*?)```", re.S | re.M)
_TABLE_HEAD = re.compile(r"^### `(\w+)`\s*$")
_ROW = re.compile(r"^\| (`\w+`[^|]*) \| (.*?) \|\s*$")


@dataclass(frozen=True)
class Query:
    name: str
    title: str  # the question it answers: the heading above it
    dialect: str | None  # None: runs on SQLite and PostgreSQL alike
    sql: str


def documented_queries(dialect: str | None = None, path: Path | None = None) -> list[Query]:
    """Every SQL block of docs/queries.md, in order; with ``dialect``, only those that run there."""
    text = (path or docs_dir() / "queries.md").read_text(encoding="utf-8")
    queries, title = [], ""
    for match in _BLOCK.finditer(text):
        if match.group("title") is not None:
            title = match.group("title").strip()
            continue
        sql = match.group("sql")
        name = re.search(r"^-- query: (\S+)", sql, re.M)
        if name is None:
            raise ValueError(f"every sql block of {path or 'docs/queries.md'} starts with `-- query: NAME`:\n{sql}")
        only = re.search(r"^-- dialect: (\S+)", sql, re.M)
        queries.append(Query(name.group(1), title, only.group(1) if only else None, sql))
    return [q for q in queries if dialect is None or q.dialect in (None, dialect)]


@dataclass(frozen=True)
class Described:
    description: str  # the paragraph under its heading
    columns: dict[str, str]  # column -> meaning


def schema_descriptions(path: Path | None = None) -> dict[str, Described]:
    """Table and view -> its description and its columns' meanings, from docs/schema.md's
    ``### `name` `` sections (a paragraph, then a | column | meaning | table)."""
    out: dict[str, Described] = {}
    name, lines, columns = None, [], {}
    for line in (path or docs_dir() / "schema.md").read_text(encoding="utf-8").splitlines() + ["## end"]:
        head = _TABLE_HEAD.match(line)
        if head or line.startswith("#"):
            if name:
                out[name] = Described(" ".join(lines).strip(), columns)
            name, lines, columns = (head.group(1) if head else None), [], {}
            continue
        row = _ROW.match(line)
        if name and row:  # | `a`, `b` | meaning | describes both
            for column in re.findall(r"`(\w+)`", row.group(1)):
                columns[column] = re.sub(r"`([^`]*)`", r"\1", row.group(2))
        elif name and not columns and line.strip() and not line.startswith("|"):
            lines.append(line.strip())
    return out
