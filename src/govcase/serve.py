"""`govcase serve`: the database in Datasette, the browser analysts already point at SQLite.

The metadata is generated, never written by hand: table, view and column descriptions come
from docs/schema.md, the documented queries of docs/queries.md become canned queries, and
the views facet on their codes, places and years. Datasette is an optional extra
(``pip install -e '.[serve]'``) and reads SQLite only.
"""
from __future__ import annotations

import json
import signal
import subprocess
import sys
from pathlib import Path

from sqlalchemy import Engine, inspect

from govcase.docs import documented_queries, schema_descriptions
from govcase.errors import GovcaseError

# view or table -> the columns Datasette offers as facets (codes, places, years)
FACETS = {
    "v_outcomes": ["measure_code", "status", "unit", "district", "street", "published_year"],
    "v_article_measures": ["measure_code", "published_year"],
    "v_article_mechanisms": ["mechanism_code", "published_year"],
    "v_article_places": ["place_level", "district", "street", "published_year"],
    "v_articles": ["published_year", "is_canonical", "outlet"],
    "v_street_counts": ["district"],
    "v_district_counts": ["province", "city"],
    "outcomes": ["status", "unit_class", "measure_code"],
    "places": ["level"],
    "rejects": ["stage", "reason"],
}


class NoDatasette(GovcaseError):
    pass


class NotSqlite(GovcaseError):
    pass


def metadata(engine: Engine, name: str) -> dict:
    """Datasette metadata for database ``name`` (its file stem): descriptions, facets, queries."""
    described = schema_descriptions()
    have = set(inspect(engine).get_table_names()) | set(inspect(engine).get_view_names())
    tables = {}
    for table in sorted(have):
        entry: dict = {}
        if table in described:
            entry["description"] = described[table].description
            entry["columns"] = described[table].columns
        if table in FACETS:
            entry["facets"] = FACETS[table]
        if entry:
            tables[table] = entry
    queries = {q.name: {"title": q.title, "sql": _plain(q.sql)} for q in documented_queries(engine.dialect.name)}
    return {
        "title": "govcase",
        "description": "Grassroots-governance cases as rows: one table per kind of fact, views that count "
                       "each story once (docs/schema.md), and the documented questions as canned queries "
                       "(docs/queries.md).",
        "databases": {name: {"tables": tables, "queries": queries}},
    }


def _plain(sql: str) -> str:
    """The SQL without its ``-- query:`` / ``-- dialect:`` lines."""
    return "\n".join(line for line in sql.splitlines() if not line.startswith(("-- query:", "-- dialect:"))).strip()


def datasette_command(engine: Engine, metadata_file: Path, host: str, port: int) -> list[str]:
    """The command that serves the SQLite file of ``engine`` with ``metadata_file``."""
    if engine.dialect.name != "sqlite" or not engine.url.database or engine.url.database == ":memory:":
        raise NotSqlite("govcase serve opens a SQLite file (Datasette reads SQLite only); "
                        "give --db a .db file, e.g. --db govcase.db")
    try:
        import datasette  # noqa: F401
    except ImportError:
        raise NoDatasette("govcase serve needs Datasette: pip install -e '.[serve]' (or pip install datasette)") \
            from None
    database = Path(engine.url.database)
    metadata_file.write_text(json.dumps(metadata(engine, database.stem), ensure_ascii=False, indent=2),
                             encoding="utf-8")
    # 1 s is Datasette's own limit; the views answer in well under it at 20,000 articles
    return [sys.executable, "-m", "datasette", "serve", str(database), "--metadata", str(metadata_file),
            "--host", host, "--port", str(port), "--setting", "sql_time_limit_ms", "1000",
            "--setting", "facet_time_limit_ms", "1000"]


def serve(engine: Engine, metadata_file: Path, host: str = "127.0.0.1", port: int = 8001) -> int:
    """Run Datasette until it is stopped (Ctrl-C, or SIGTERM to this process, which passes it
    on: a server left behind would hold its port); its exit code."""
    server = subprocess.Popen(datasette_command(engine, metadata_file, host, port))
    previous = signal.signal(signal.SIGTERM, lambda *_: server.terminate())
    try:
        return server.wait()
    except KeyboardInterrupt:
        server.terminate()
        return 0 if server.wait() in (0, -signal.SIGTERM, -signal.SIGINT) else 1
    finally:
        signal.signal(signal.SIGTERM, previous)
        if server.poll() is None:
            server.kill()
