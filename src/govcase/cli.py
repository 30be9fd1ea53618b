"""The govcase command line: each command parses options, calls one function, prints a summary."""
from __future__ import annotations

import json
import os
import sys
from contextlib import contextmanager
from enum import Enum
from pathlib import Path
from typing import TYPE_CHECKING, Iterator, List, Optional, TextIO

import typer
from rich.console import Console

from typer.core import TyperGroup

from govcase import __version__
from govcase.errors import (EXIT_ERROR, EXIT_INCOMPLETE, EXIT_INTERRUPTED, EXIT_STORAGE, EXIT_TERMINATED,
                            GovcaseError, Terminated, storage_message)
from govcase.records import STAGES
from govcase.settings import Settings

# SQLAlchemy, the models and the pipeline are imported by the commands that use them: at
# start-up, before them, `main` may start the helper process (govcase.prestart), which then
# loads the stages at the same time as this process imports them (--help needs neither)
if TYPE_CHECKING:
    from govcase.pipeline import Pipeline, RunReport

try:  # typer >= 0.20 carries its own copy of click
    from typer._click.exceptions import ClickException, NoArgsIsHelpError
    from typer.exceptions import Abort
except ImportError:  # pragma: no cover - older typer on click
    from click.exceptions import Abort, ClickException, NoArgsIsHelpError


class OneLineErrors(TyperGroup):
    """Bad options and arguments are one line that says what to do, like govcase's own errors."""

    def main(self, args=None, prog_name=None, complete_var=None, standalone_mode=True, **extra):
        try:
            code = super().main(args, prog_name, complete_var, standalone_mode=False, **extra)
        except NoArgsIsHelpError as exc:
            exc.show()
            code = exc.exit_code
        except Abort:  # Ctrl-C outside a command's own handling (while starting up)
            typer.echo("govcase: interrupted", err=True)
            code = EXIT_INTERRUPTED
        except ClickException as exc:
            ctx = getattr(exc, "ctx", None)
            hint = f" (see `{ctx.command_path} --help`)" if ctx is not None else ""
            typer.echo(f"govcase: {exc.format_message()}{hint}", err=True)
            code = exc.exit_code
        if not standalone_mode:
            return code
        sys.exit(code if isinstance(code, int) else 0)


HELP_OPTIONS = {"help_option_names": ["-h", "--help"]}
app = typer.Typer(cls=OneLineErrors,
    help="Turn Chinese grassroots-governance case reports into a relational database.\n\n"
         "Exit codes (docs/errors.md): 0 done; 1 ingest finished, but inputs were missing or rejected; "
         "2 a usage or govcase error; 3 the database or disk failed; 130/143 interrupted. Errors are one line.\n\n"
         "Example: govcase ingest seeds/articles && govcase stats\n\n"
         "Example: govcase query \"SELECT district, articles FROM v_district_counts\" --db govcase.db\n\n"
         "Example: govcase serve --db govcase.db",
    no_args_is_help=True, add_completion=False, rich_markup_mode=None, context_settings=HELP_OPTIONS)
db_app = typer.Typer(cls=OneLineErrors, help="Manage the database schema (Alembic migrations).\n\n"
                          "Example: govcase db current --db govcase.db\n\n"
                          "Example: govcase db upgrade --db sqlite:///govcase.db\n\n"
                          "Example: govcase db downgrade 0005 --db govcase.db",
                     no_args_is_help=True, rich_markup_mode=None, context_settings=HELP_OPTIONS)
app.add_typer(db_app, name="db")
out = Console(highlight=False, soft_wrap=True)
err = Console(stderr=True, highlight=False, soft_wrap=True)  # an error stays one line

DbOption = typer.Option(None, "--db", metavar="URL|FILE",
                        help="Database URL, or a SQLite file path (my.db) (default: $GOVCASE_DB_URL or "
                             "sqlite:///govcase.db).")
WorkersOption = typer.Option(None, "--workers", min=1, metavar="N",
                             help="Processes that clean and tag (default: the machine's cores).")


def _version(value: bool) -> None:
    if value:
        out.print(f"govcase {__version__}")
        raise typer.Exit()


@app.callback()
def _main(version: bool = typer.Option(False, "--version", callback=_version, is_eager=True,
                                       help="Print govcase's version and exit.")) -> None:
    pass


@contextmanager
def _errors() -> Iterator[None]:
    """Every error a command can meet is one line and a documented exit code (docs/errors.md):
    govcase's own errors 2, the database or disk failing under it 3, Ctrl-C 130, SIGTERM 143."""
    from sqlalchemy.exc import DBAPIError

    try:
        yield
    except GovcaseError as exc:
        _fail(str(exc), EXIT_ERROR)
    except (DBAPIError, OSError) as exc:
        _fail(storage_message(exc), EXIT_STORAGE)
    except KeyboardInterrupt:
        _fail("interrupted; what was written is kept, run the command again to finish", EXIT_INTERRUPTED)
    except Terminated:
        _fail("terminated; what was written is kept, run the command again to finish", EXIT_TERMINATED)


def _progress_bar():
    """rich's progress bar, imported only where it is shown (the import costs a piped run 30 ms)."""
    from rich.progress import BarColumn, MofNCompleteColumn, Progress, ProgressColumn, TextColumn, \
        TimeRemainingColumn
    from rich.text import Text

    class RateColumn(ProgressColumn):
        """Articles per second."""

        def render(self, task) -> Text:
            return Text(f"{task.speed:6.1f}/s" if task.speed else "")

    columns = (TextColumn("{task.description:>7}"), BarColumn(), MofNCompleteColumn(),
               RateColumn(), TimeRemainingColumn())
    return Progress(*columns, console=err, transient=True)


def _progress_factory(progress):  # a rich Progress, or None
    def start(stage: str, total: int):
        if progress is None:
            return lambda: None
        task = progress.add_task(stage, total=total or None)
        return lambda: progress.advance(task)
    return start


@contextmanager
def _pipeline(db: str | None, workers: int | None = None) -> Iterator[Pipeline]:
    from govcase.pipeline import Pipeline

    settings = Settings.from_env(db, workers=workers)
    show = err.is_terminal and not err.is_dumb_terminal and not os.environ.get("CI")  # quiet in pipes and CI
    with _errors():
        if not show:
            yield Pipeline(settings)
            return
        with _progress_bar() as progress:
            yield Pipeline(settings, progress=_progress_factory(progress))


def _print_report(report: RunReport, as_json: bool) -> None:
    if as_json:
        out.print_json(json.dumps(report.as_dict(), ensure_ascii=False))
        return
    for line in report.summary():
        out.print(line)


@app.command()
def ingest(
    paths: List[Path] = typer.Argument(..., help="Files or folders (recursive): .txt, .html, .jsonl."),
    db: Optional[str] = DbOption,
    stage: str = typer.Option("load", help=f"Stop after this stage: {', '.join(STAGES)}."),
    workers: Optional[int] = WorkersOption,
    as_json: bool = typer.Option(False, "--json", help="Print the run report as JSON."),
) -> None:
    """Store articles (raw bytes kept) and run clean, tag and load on them.

    Example: govcase ingest seeds/articles --db cases.db

    Example: govcase ingest pages/ feed.jsonl --db postgresql://postgres@127.0.0.1/cases --workers 4

    Example: govcase ingest new/ --stage ingest  (store only; `govcase clean` etc. later)
    """
    if stage not in STAGES:
        err.print(f"govcase: unknown stage {stage!r}; choose one of {', '.join(STAGES)}")
        raise typer.Exit(2)
    with _pipeline(db, workers) as pipeline:
        report = pipeline.ingest(paths, stop_after=stage)
    _print_report(report, as_json)
    if not report.complete:  # a scheduled job must notice inputs that did not become articles
        raise typer.Exit(EXIT_INCOMPLETE)


def _stage_command(stage: str, doc: str):
    def command(
        db: Optional[str] = DbOption,
        everything: bool = typer.Option(False, "--all", help="Redo every stored item, not only pending ones."),
        workers: Optional[int] = WorkersOption,
        as_json: bool = typer.Option(False, "--json", help="Print the run report as JSON."),
    ) -> None:
        with _pipeline(db, workers) as pipeline:
            report = pipeline.run_stage(stage, everything=everything)
        _print_report(report, as_json)
        if stage == "clean" and everything and report.cleaned:
            err.print(f"govcase: warning: {report.cleaned} articles were cleaned again and their facts cleared; "
                      "the views leave them out until `govcase tag` and `govcase load` run (`govcase reload "
                      "--all` does all three)", markup=False)
    command.__doc__ = doc
    command.__name__ = stage
    return command


app.command(name="clean")(_stage_command(
    "clean", "Clean stored sources that have no article yet (body, script, title, date).\n\n"
             "--all cleans every article again and clears its facts until tag and load run; "
             "`govcase reload --all` does the three in one go.\n\n"
             "Example: govcase clean --db sqlite:///cases.db\n\n"
             "Example: govcase clean --all && govcase tag && govcase load"))
app.command(name="tag")(_stage_command(
    "tag", "Tag cleaned articles not tagged yet: places, measures, mechanisms, outcomes, projects.\n\n"
           "Example: govcase tag --all\n\n"
           "Example: govcase tag --db cases.db --workers 2"))
app.command(name="load")(_stage_command(
    "load", "Write tagged facts as rows, replacing each article's previous facts in one transaction.\n\n"
            "Example: govcase load\n\n"
            "Example: govcase load --db cases.db --json"))


@app.command()
def reload(
    db: Optional[str] = DbOption,
    everything: bool = typer.Option(False, "--all", help="Redo every stored article, stale or not."),
    workers: Optional[int] = WorkersOption,
    dry_run: bool = typer.Option(False, "--dry-run", help="Only say how many articles a reload would redo."),
    as_json: bool = typer.Option(False, "--json", help="Print the run report as JSON."),
) -> None:
    """Re-run clean -> tag -> load on articles made by older rules or lexicons.

    Each article's facts are replaced in one transaction; articles already made by the
    current rules are skipped. After an edit of the lexicon alone, only articles whose text
    holds a word the edit touches are tagged again; the others are kept. A second reload
    does not start while one is running.

    Example: govcase reload --dry-run
    Example: govcase reload --db postgresql://postgres@127.0.0.1/test

    Example: govcase stats && govcase reload --db cases.db  (stats shows what is stale)

    Example: govcase reload --all --json
    """
    with _pipeline(db, workers) as pipeline:
        if dry_run:
            found = pipeline.staleness()
            if as_json:
                out.print_json(json.dumps(found.as_dict(), ensure_ascii=False))
            else:
                out.print(f"reload would tag {len(found.retag)} articles again and keep {found.kept} "
                          f"(tag version {found.version})" + ("; --all redoes every article" if everything else ""))
                for old, words in found.words.items():
                    shown = " ".join(words[:10]) + (" ..." if len(words) > 10 else "")
                    out.print(f"  lexicon edit since {old}: {len(words)} words touched ({shown})")
            return
        report = pipeline.reload(everything=everything)
    _print_report(report, as_json)


class ExportFormat(str, Enum):
    jsonl = "jsonl"
    csv = "csv"


class RowsFormat(str, Enum):
    table = "table"
    csv = "csv"
    json = "json"


OutOption = typer.Option(None, "--out", "-o", metavar="FILE",
                         help="Write here (- for standard output, the default); an existing file needs --force.")
ForceOption = typer.Option(False, "--force", "-f", help="Overwrite the --out file if it exists.")


@contextmanager
def _output(path: Optional[Path], force: bool, encoding: str = "utf-8") -> Iterator[TextIO]:
    """The --out file opened for writing, or standard output for none or "-"; never overwrites
    a file silently."""
    if path is None or str(path) == "-":
        yield sys.stdout
        return
    if path.exists() and not force:
        _fail(f"{path} exists; add --force to overwrite it, or give --out another file")
    try:
        handle = path.open("w", encoding=encoding, newline="")
    except OSError as exc:
        _fail(f"cannot write {path}: {exc.strerror}; give --out a file in a folder that exists")
    with handle:
        yield handle


def _to_stdout(path: Optional[Path]) -> bool:
    return path is None or str(path) == "-"


@app.command()
def work(
    db: Optional[str] = DbOption,
    workers: Optional[int] = WorkersOption,
    idle: float = typer.Option(0.0, "--idle", metavar="SECONDS",
                               help="Wait this long for new work once the queue is empty (a reload or ingest "
                                    "started elsewhere) before ending."),
    as_json: bool = typer.Option(False, "--json", help="Print the run report as JSON."),
) -> None:
    """Join the PostgreSQL database's work queue: claim batches of stored sources and stale
    articles and do them, beside any other `govcase work`, ingest or reload on any machine.

    Example: govcase work --db postgresql://postgres@db-host/cases --idle 60

    Example: govcase work --db postgresql://postgres@db-host/cases --workers 16 --json

    Example: govcase reload --db postgresql://postgres@db-host/cases  (on one machine; `work` on the others)
    """
    with _pipeline(db, workers) as pipeline:
        report = pipeline.work(idle=idle)
    _print_report(report, as_json)


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


def _fail(message: str, code: int = EXIT_ERROR) -> None:
    err.print(f"govcase: {message}", markup=False)
    raise typer.Exit(code)


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


@db_app.command("upgrade")
def db_upgrade(db: Optional[str] = DbOption,
               revision: str = typer.Argument("head", help="Target revision.")) -> None:
    """Apply migrations up to REVISION (govcase also does this on first use).

    Example: govcase db upgrade --db postgresql://postgres@127.0.0.1/test

    Example: govcase db upgrade 0005 --db cases.db
    """
    from govcase import db as dbmod

    with _errors():
        engine = dbmod.make_engine(Settings.from_env(db).db_url)
        dbmod.upgrade(engine, revision)
        if revision == "head":
            dbmod.seed_codebook(engine)
        out.print(f"database at revision {dbmod.current_revision(engine)}")


@db_app.command("downgrade")
def db_downgrade(revision: str = typer.Argument(..., help="Target revision, e.g. base."),
                 db: Optional[str] = DbOption) -> None:
    """Undo migrations down to REVISION (base drops every govcase table).

    The database then stays at REVISION: other commands refuse it, rather than upgrade it again
    silently, until `govcase db upgrade`.

    Example: govcase db downgrade 0005 --db cases.db

    Example: govcase db downgrade base --db sqlite:///scratch.db
    """
    from govcase import db as dbmod

    with _errors():
        engine = dbmod.make_engine(Settings.from_env(db).db_url)
        dbmod.downgrade(engine, revision)
        out.print(f"database at revision {dbmod.current_revision(engine) or 'base'}")


@db_app.command("current")
def db_current(db: Optional[str] = DbOption) -> None:
    """Print the database's migration revision and the newest one.

    Example: govcase db current

    Example: govcase db current --db postgresql://postgres@127.0.0.1/test
    """
    from govcase import db as dbmod

    with _errors():
        engine = dbmod.make_engine(Settings.from_env(db).db_url)
        out.print(f"current {dbmod.current_revision(engine) or 'base'}, head {dbmod.head_revision()}")


def main() -> None:
    """The command line, as the installed `govcase` runs it (govcase.__main__)."""
    from govcase.__main__ import main as launch

    launch(app)


if __name__ == "__main__":
    main()
