"""Run SQL on the database and list its tables and views with counts, as `govcase query`
and `govcase tables` print them (the habits of ``sqlite-utils query`` and ``tables --counts``).

Queries run in a transaction that is rolled back: the command is for reading; changing
data goes through govcase's own commands (or sqlite3 / psql, knowingly).
"""
from __future__ import annotations

import csv
import json
from dataclasses import dataclass
from typing import TextIO

from sqlalchemy import Engine, inspect, text
from sqlalchemy.exc import DBAPIError, StatementError

from govcase.errors import GovcaseError
from govcase.models import SQLITE_INDEX_PREFIX

FORMATS = ("table", "csv", "json")


class BadQuery(GovcaseError):
    pass


@dataclass(frozen=True)
class Rows:
    columns: tuple[str, ...]
    rows: tuple[tuple, ...]
    truncated: bool  # more rows than the limit


def _cell(value):
    if isinstance(value, float) and value.is_integer():
        return int(value)
    if isinstance(value, (bytes, memoryview)):
        return f"<{len(bytes(value))} bytes>"
    if isinstance(value, list):
        return "\n".join(map(str, value))
    if hasattr(value, "isoformat"):
        return value.isoformat()
    if type(value).__name__ == "Decimal":
        return int(value) if value == int(value) else float(value)
    return value


def run_sql(engine: Engine, sql: str, limit: int | None = None) -> Rows:
    """The rows ``sql`` returns (at most ``limit``; None or 0: all), the transaction rolled back."""
    with engine.connect() as conn:
        try:
            result = conn.execute(text(sql))
            if not result.returns_rows:
                conn.rollback()
                return Rows((), (), False)
            fetched = result.fetchmany(limit + 1) if limit else result.fetchall()
        except (DBAPIError, StatementError) as exc:
            reason = " ".join(str(getattr(exc, "orig", None) or exc).split("\n")[0].split())
            raise BadQuery(f"the query failed: {reason}") from None
        finally:
            conn.rollback()
        columns = tuple(result.keys())
    truncated = bool(limit) and len(fetched) > limit
    kept = fetched[:limit] if limit else fetched
    return Rows(columns, tuple(tuple(_cell(v) for v in row) for row in kept), truncated)


def table_counts(engine: Engine) -> Rows:
    """Every table and view with its row count, tables first, by name."""
    inspector = inspect(engine)
    names = [(t, "table") for t in sorted(inspector.get_table_names()) if not t.startswith(SQLITE_INDEX_PREFIX)
             and t != "alembic_version"]
    names += [(v, "view") for v in sorted(inspector.get_view_names())]
    rows = []
    with engine.connect() as conn:
        for name, kind in names:
            rows.append((name, kind, conn.execute(text(f"SELECT COUNT(*) FROM {name}")).scalar()))
    return Rows(("name", "kind", "rows"), tuple(rows), False)


def write_rows(rows: Rows, fmt: str, out: TextIO) -> None:
    """``rows`` as csv (a header, RFC 4180 line ends) or json (an array of objects); "table" is the CLI's."""
    if fmt == "csv":
        writer = csv.writer(out, lineterminator="\r\n")
        writer.writerow(rows.columns)
        writer.writerows(["" if v is None else v for v in row] for row in rows.rows)
    elif fmt == "json":
        out.write(json.dumps([dict(zip(rows.columns, row)) for row in rows.rows], ensure_ascii=False,
                             indent=2, default=str) + "\n")
    else:
        raise ValueError(f"unknown format {fmt!r}")
