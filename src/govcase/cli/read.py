"""The analysts' commands: export, show, search, stats, query, tables, serve (read the database)."""
from __future__ import annotations

import json
from enum import Enum
from pathlib import Path
from typing import List, Optional

import typer

from govcase.cli import (DbOption, ForceOption, OutOption, _errors, _fail, _output, _to_stdout, app, err,
                         out)
from govcase.settings import Settings


class ExportFormat(str, Enum):
    jsonl = "jsonl"
    csv = "csv"


class RowsFormat(str, Enum):
    table = "table"
    csv = "csv"
    json = "json"


@app.command()
def export(
    db: Optional[str] = DbOption,
    fmt: ExportFormat = typer.Option(ExportFormat.jsonl, "--format",
                                     help="jsonl: one object per article (docs/export-contract.md); csv: one "
                                          "table or view (--table), UTF-8 with a byte-order mark in files so "
                                          "Excel reads the Chinese text right (none on standard output); "
                                          "binary columns are left out."),
    table: Optional[str] = typer.Option(None, "--table", metavar="NAME",
                                        help="The table or view to write as csv, e.g. v_outcomes "
                                             "(docs/schema.md lists them; `govcase tables` too)."),
    out_file: Optional[Path] = OutOption,
    force: bool = ForceOption,
) -> None:
    """Export articles with their facts (jsonl), or one table or view for spreadsheets (csv).

    Example: govcase export --format jsonl --out cases.jsonl

    Example: govcase export --format csv --table v_outcomes --out outcomes.csv --force

    Example: govcase export --db cases.db | jq -r .title
    """
    from govcase.export import open_existing, write_csv, write_jsonl
    from govcase.views import exportable

    fmt = fmt.value
    if fmt == "csv" and table is None:
        _fail(f"--format csv needs --table NAME, one of: {', '.join(exportable())}")
    if fmt == "jsonl" and table is not None:
        _fail("--table is for --format csv; jsonl always writes every article")
    with _errors():
        engine = open_existing(Settings.from_env(db).db_url)
        write = write_jsonl if fmt == "jsonl" else (lambda engine, handle: write_csv(engine, table, handle))
        bom = fmt == "csv" and not _to_stdout(out_file)
        with _output(out_file, force, "utf-8-sig" if bom else "utf-8") as handle:
            n = write(engine, handle)
    if not _to_stdout(out_file):
        err.print(f"exported {n} {'articles' if fmt == 'jsonl' else 'rows of ' + table} to {out_file}",
                  markup=False)


@app.command()
def show(
    article: str = typer.Argument(..., help="An article id (2, or 002: the same article), the end of its source "
                                            "path, or the start of its file name with a non-digit (002_03a9)."),
    db: Optional[str] = DbOption,
    html_file: Optional[Path] = typer.Option(None, "--html", metavar="FILE",
                                             help="Write a self-contained HTML page (no network) with the "
                                                  "highlights and a table of facts linked to their evidence."),
    force: bool = typer.Option(False, "--force", "-f", help="Overwrite the --html file if it exists."),
    why: bool = typer.Option(False, "--why", help="Add, for each place, why the place finder takes the name: "
                                                  "its suffix, the gazetteer units it may stand for, and whether "
                                                  "an estate or community name reads as a real one."),
) -> None:
    """Show a clean article with its places, measures, mechanisms and outcomes highlighted, then
    a table of its facts: codes, values with units, places with their chain (--why: and the
    reasons for each place name).

    Example: govcase show 2

    Example: govcase show seeds/articles/002_03a9dd1be5527ca3.txt --db cases.db

    Example: govcase show 2 --html article.html --force

    Example: govcase show 2 --why
    """
    from govcase.export import open_existing
    from govcase.show import annotate, explain_places, to_html, to_rich

    with _errors():
        annotated = annotate(open_existing(Settings.from_env(db).db_url), article)
        if why:
            annotated = explain_places(annotated)
    if html_file is None:
        for part in to_rich(annotated):
            out.print(part)
        return
    if html_file.exists() and not force:
        _fail(f"{html_file} exists; add --force to overwrite it, or give --html another file")
    try:
        html_file.write_text(to_html(annotated), encoding="utf-8")
    except OSError as exc:
        _fail(f"cannot write {html_file}: {exc.strerror}; give --html a file in a folder that exists")
    err.print(f"wrote {html_file} ({len(annotated.facts)} facts)", markup=False)


@app.command()
def search(
    terms: List[str] = typer.Argument(..., help="Words or phrases, simplified or traditional; an article must "
                                                "contain every one; \"a quoted phrase\" is one term."),
    db: Optional[str] = DbOption,
    limit: int = typer.Option(20, "--limit", "-n", min=0, help="Show at most N articles (0: all)."),
    as_json: bool = typer.Option(False, "--json", help="Print one JSON object per matching sentence."),
) -> None:
    """Find the articles whose title or whole body contains every term, with the sentences that do.

    Example: govcase search 电梯

    Example: govcase search 電梯 簽約 --limit 5

    Example: govcase search '"加装电梯" 老旧小区' --json
    """
    from govcase.export import open_existing
    from govcase.search import search as run_search

    with _errors():
        result = run_search(open_existing(Settings.from_env(db).db_url), terms, limit=limit or None)
    if as_json:
        for hit in result.hits:
            print(json.dumps({"article_id": hit.article_id, "source": hit.source, "title": hit.title,
                              "start": hit.start, "text": hit.text, "is_canonical": hit.is_canonical},
                             ensure_ascii=False))
    else:
        _print_hits(result)
    shown = len(result.articles)
    more = f" (showing {shown}; --limit 0 shows all)" if shown < result.total else ""
    err.print(f"{result.total} articles contain {' + '.join(result.terms)}{more}", markup=False)


def _print_hits(result) -> None:
    from rich.text import Text

    article = None
    for hit in result.hits:
        if hit.article_id != article:
            article = hit.article_id
            duplicate = "" if hit.is_canonical else "  (near-duplicate)"
            out.print(Text(f"[{hit.article_id}] {hit.source}  {hit.title or ''}{duplicate}", style="bold"))
        line = Text("  " + ("title: " if hit.start is None else ""))
        line.append(hit.text)
        line.highlight_words(result.terms, style="black on yellow")
        out.print(line)


@app.command()
def stats(
    db: Optional[str] = DbOption,
    as_json: bool = typer.Option(False, "--json", help="Print the counts as JSON."),
) -> None:
    """Counts of sources, articles, places, facts, pending and stale work, and rejects with reasons.

    Stale: articles made by other rules or data than the installed ones (an edited lexicon);
    `govcase reload` redoes them.

    Example: govcase stats

    Example: govcase stats --json --db cases.db
    """
    from govcase.export import open_existing, stats as read_stats
    from govcase.stale import pending_counts

    with _errors():
        settings = Settings.from_env(db)
        engine = open_existing(settings.db_url)
        data = read_stats(engine, settings.data_dir)
        data["pending"].update(pending_counts(engine, settings.data_dir))
    if as_json:
        out.print_json(json.dumps(data, ensure_ascii=False))
        return
    from rich.table import Table

    table = Table("table", "rows", title="govcase database")
    for name, n in data["counts"].items():
        table.add_row(name, str(n))
    out.print(table)
    out.print("pending: " + ", ".join(f"{k} {v}" for k, v in data["pending"].items()))
    stale = data["stale"]
    out.print("stale (made by other rules or data; `govcase reload` redoes them): "
              + ", ".join(f"{k} {v}" for k, v in stale.items()))
    for stage, reasons in data["rejects"].items():
        out.print(f"rejected at {stage}: " + ", ".join(f"{r} {n}" for r, n in reasons.items()))


@app.command()
def query(
    sql: str = typer.Argument(..., help="One SQL statement; its changes are rolled back. SQL that starts "
                                        "with a -- comment goes after a lone --: govcase query -- \"-- ...\"."),
    db: Optional[str] = DbOption,
    fmt: RowsFormat = typer.Option(RowsFormat.table, "--format", help="How to print the rows."),
    limit: int = typer.Option(0, "--limit", "-n", min=0, help="Print at most N rows (0: all)."),
    out_file: Optional[Path] = OutOption,
    force: bool = ForceOption,
) -> None:
    """Run SQL and print the rows as a table, CSV or JSON (as `sqlite-utils query` does).

    docs/queries.md has questions with their SQL; docs/schema.md every table, view and column.

    Example: govcase query "SELECT district, articles FROM v_district_counts ORDER BY articles DESC" -n 10

    Example: govcase query "SELECT * FROM v_outcomes WHERE status = 'signed'" --format csv --out signed.csv

    Example: govcase query "SELECT measure_code, COUNT(*) AS n FROM v_article_measures GROUP BY 1" --format json
    """
    from govcase.export import open_existing
    from govcase.query import run_sql

    with _errors():
        rows = run_sql(open_existing(Settings.from_env(db).db_url), sql, limit or None)
    _print_rows(rows, fmt.value, out_file, force)
    if rows.truncated:
        err.print(f"first {limit} rows shown; --limit 0 shows all", markup=False)


@app.command()
def tables(
    db: Optional[str] = DbOption,
    fmt: RowsFormat = typer.Option(RowsFormat.table, "--format", help="How to print the list."),
) -> None:
    """List the tables and views with their row counts (views count each story once).

    Example: govcase tables

    Example: govcase tables --format csv --db cases.db
    """
    from govcase.export import open_existing
    from govcase.query import table_counts

    with _errors():
        rows = table_counts(open_existing(Settings.from_env(db).db_url))
    _print_rows(rows, fmt.value, None, False)


def _print_rows(rows, fmt: str, out_file: Optional[Path], force: bool) -> None:
    from govcase.query import write_rows

    if fmt != "table":
        with _output(out_file, force) as handle:
            write_rows(rows, fmt, handle)
        return
    if not _to_stdout(out_file):
        _fail("--out needs --format csv or json")
    from rich.table import Table

    grid = Table(*rows.columns)
    for row in rows.rows:
        grid.add_row(*("" if v is None else str(v) for v in row))
    out.print(grid)


@app.command()
def serve(
    db: Optional[str] = DbOption,
    port: int = typer.Option(8001, "--port", "-p", help="Port to listen on."),
    host: str = typer.Option("127.0.0.1", "--host", help="Address to listen on (0.0.0.0: every interface)."),
    metadata_file: Optional[Path] = typer.Option(None, "--metadata", metavar="FILE",
                                                 help="Also keep the generated Datasette metadata here."),
) -> None:
    """Browse the database in Datasette: descriptions from docs/schema.md, the documented queries,
    facets on codes, places and years. Needs `pip install -e '.[serve]'`; SQLite only.

    Example: govcase serve --db govcase.db

    Example: govcase serve --db cases.db --port 8080 --metadata metadata.json
    """
    import tempfile

    from govcase.export import open_existing
    from govcase.serve import serve as run_datasette

    with _errors(), tempfile.TemporaryDirectory() as scratch:
        engine = open_existing(Settings.from_env(db).db_url)
        err.print(f"serving {engine.url.database} at http://{host}:{port}/ (Ctrl-C stops)", markup=False)
        code = run_datasette(engine, metadata_file or Path(scratch) / "metadata.json", host, port)
    raise typer.Exit(code)
