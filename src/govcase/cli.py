"""The govcase command line: each command parses options, calls one function, prints a summary."""
from __future__ import annotations

import json
import os
import signal
import sys
from contextlib import contextmanager
from pathlib import Path
from typing import Iterator, List, Optional

import typer
from rich.console import Console
from rich.progress import (BarColumn, MofNCompleteColumn, Progress, ProgressColumn, TextColumn,
                           TimeRemainingColumn)
from rich.table import Table
from rich.text import Text

from typer.core import TyperGroup
from sqlalchemy.exc import DBAPIError

from govcase import db as dbmod
from govcase.errors import (EXIT_ERROR, EXIT_INCOMPLETE, EXIT_INTERRUPTED, EXIT_STORAGE, EXIT_TERMINATED,
                            GovcaseError, Terminated, storage_message)
from govcase.export import open_existing, write_csv, write_jsonl
from govcase.export import stats as read_stats
from govcase.pipeline import Pipeline, RunReport
from govcase.work import STAGES
from govcase.settings import Settings
from govcase.views import exportable

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


app = typer.Typer(cls=OneLineErrors, 
    help="Turn Chinese grassroots-governance case reports into a relational database.\n\n"
         "Example: govcase ingest seeds/articles && govcase stats",
    no_args_is_help=True, add_completion=False, rich_markup_mode=None)
db_app = typer.Typer(cls=OneLineErrors, help="Manage the database schema (Alembic migrations).\n\n"
                          "Example: govcase db upgrade --db sqlite:///govcase.db",
                     no_args_is_help=True, rich_markup_mode=None)
app.add_typer(db_app, name="db")
out = Console(highlight=False, soft_wrap=True)
err = Console(stderr=True, highlight=False, soft_wrap=True)  # an error stays one line

DbOption = typer.Option(None, "--db", metavar="URL",
                        help="Database URL (default: $GOVCASE_DB_URL or sqlite:///govcase.db).")
WorkersOption = typer.Option(None, "--workers", min=1, metavar="N",
                             help="Processes that clean and tag (default: the machine's cores).")


@contextmanager
def _errors() -> Iterator[None]:
    """Every error a command can meet is one line and a documented exit code (docs/errors.md):
    govcase's own errors 2, the database or disk failing under it 3, Ctrl-C 130, SIGTERM 143."""
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


class RateColumn(ProgressColumn):
    """Articles per second."""

    def render(self, task) -> Text:
        return Text(f"{task.speed:6.1f}/s" if task.speed else "")


def _progress_factory(progress: Progress | None):
    def start(stage: str, total: int):
        if progress is None:
            return lambda: None
        task = progress.add_task(stage, total=total or None)
        return lambda: progress.advance(task)
    return start


@contextmanager
def _pipeline(db: str | None, workers: int | None = None) -> Iterator[Pipeline]:
    settings = Settings.from_env(db, workers=workers)
    show = err.is_terminal and not err.is_dumb_terminal and not os.environ.get("CI")  # quiet in pipes and CI
    with _errors():
        if not show:
            yield Pipeline(settings)
            return
        columns = (TextColumn("{task.description:>7}"), BarColumn(), MofNCompleteColumn(),
                   RateColumn(), TimeRemainingColumn())
        with Progress(*columns, console=err, transient=True) as progress:
            yield Pipeline(settings, progress=_progress_factory(progress))


def _print_report(report: RunReport, as_json: bool) -> None:
    if as_json:
        out.print_json(json.dumps(report.as_dict(), ensure_ascii=False))
        return
    parts = [f"{report.stored} stored", f"{report.unchanged} unchanged"] if report.command == "ingest" else []
    parts += [f"{report.cleaned} cleaned", f"{report.tagged} tagged", f"{report.loaded} loaded",
              f"{report.rejected} rejected"]
    out.print(f"{report.command}: " + ", ".join(parts))
    for (stage, reason), n in sorted(report.rejects.items()):
        out.print(f"  rejected at {stage}: {reason} x{n}")
    for path in report.missing:
        out.print(f"  missing: {path}")
    if report.refused and not report.rejected:
        out.print(f"  {report.refused} inputs were rejected before (`govcase stats` lists the reasons)")
    if report.command == "ingest" and report.stored == 0 and report.rejected == 0 and not (
            report.cleaned or report.tagged or report.loaded or report.missing or report.refused):
        out.print("  nothing new: every input was already stored and processed")


@app.command()
def ingest(
    paths: List[Path] = typer.Argument(..., help="Files or folders (recursive): .txt, .html, .jsonl."),
    db: Optional[str] = DbOption,
    stage: str = typer.Option("load", help=f"Stop after this stage: {', '.join(STAGES)}."),
    workers: Optional[int] = WorkersOption,
    as_json: bool = typer.Option(False, "--json", help="Print the run report as JSON."),
) -> None:
    """Store articles (raw bytes kept) and run clean, tag and load on them.

    Example: govcase ingest seeds/articles --db sqlite:///cases.db
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
    command.__doc__ = doc
    command.__name__ = stage
    return command


app.command(name="clean")(_stage_command(
    "clean", "Clean stored sources that have no article yet (body, script, title, date).\n\n"
             "Example: govcase clean --db sqlite:///cases.db"))
app.command(name="tag")(_stage_command(
    "tag", "Tag cleaned articles not tagged yet: places, measures, mechanisms, outcomes, projects.\n\n"
           "Example: govcase tag --all"))
app.command(name="load")(_stage_command(
    "load", "Write tagged facts as rows, replacing each article's previous facts in one transaction.\n\n"
            "Example: govcase load"))


@app.command()
def reload(
    db: Optional[str] = DbOption,
    everything: bool = typer.Option(False, "--all", help="Redo every stored article, stale or not."),
    workers: Optional[int] = WorkersOption,
    as_json: bool = typer.Option(False, "--json", help="Print the run report as JSON."),
) -> None:
    """Re-run clean -> tag -> load on articles made by older rules or lexicons.

    Each article's facts are replaced in one transaction; articles already made by the
    current rules are skipped. A second reload does not start while one is running.

    Example: govcase reload --db postgresql://postgres@127.0.0.1/test
    """
    with _pipeline(db, workers) as pipeline:
        report = pipeline.reload(everything=everything)
    _print_report(report, as_json)


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
    """
    with _pipeline(db, workers) as pipeline:
        report = pipeline.work(idle=idle)
    _print_report(report, as_json)


@app.command()
def export(
    db: Optional[str] = DbOption,
    fmt: str = typer.Option("jsonl", "--format",
                            help="jsonl: one object per article (spec/export-contract.md); csv: one table or "
                                 "view (--table), UTF-8 with a byte-order mark in files so Excel reads the "
                                 "Chinese text right (none on standard output); binary columns are left out."),
    table: Optional[str] = typer.Option(None, "--table", metavar="NAME",
                                        help="The table or view to write as csv, e.g. v_outcomes "
                                             "(docs/schema.md lists them)."),
    out_file: Optional[Path] = typer.Option(None, "--out", help="Write here instead of standard output."),
) -> None:
    """Export articles with their facts (jsonl), or one table or view for spreadsheets (csv).

    Example: govcase export --format jsonl --out cases.jsonl
    Example: govcase export --format csv --table v_outcomes --out outcomes.csv
    """
    if fmt not in ("jsonl", "csv"):
        _fail(f"unknown format {fmt!r}; use --format jsonl or --format csv --table NAME")
    if fmt == "csv" and table is None:
        _fail(f"--format csv needs --table NAME, one of: {', '.join(exportable())}")
    if fmt == "jsonl" and table is not None:
        _fail("--table is for --format csv; jsonl always writes every article")
    with _errors():
        engine = open_existing(Settings.from_env(db).db_url)
        write = write_jsonl if fmt == "jsonl" else (lambda engine, handle: write_csv(engine, table, handle))
        if out_file is None:
            write(engine, sys.stdout)
            return
        try:
            handle = out_file.open("w", encoding="utf-8-sig" if fmt == "csv" else "utf-8", newline="")
        except OSError as exc:
            _fail(f"cannot write {out_file}: {exc.strerror}; give --out a file in a folder that exists")
        with handle:
            n = write(engine, handle)
    err.print(f"exported {n} {'articles' if fmt == 'jsonl' else 'rows of ' + table} to {out_file}", markup=False)


def _fail(message: str, code: int = EXIT_ERROR) -> None:
    err.print(f"govcase: {message}", markup=False)
    raise typer.Exit(code)


@app.command()
def show(
    article: str = typer.Argument(..., help="An article id, the end of its source path, or the start of its "
                                            "file name (002)."),
    db: Optional[str] = DbOption,
    html_file: Optional[Path] = typer.Option(None, "--html", metavar="FILE",
                                             help="Write a self-contained HTML page (no network) with the "
                                                  "highlights and a table of facts linked to their evidence."),
) -> None:
    """Show a clean article with its places, measures, mechanisms and outcomes highlighted.

    Example: govcase show 002 --html article.html
    """
    from govcase.show import annotate, to_html, to_rich

    with _errors():
        annotated = annotate(open_existing(Settings.from_env(db).db_url), article)
    if html_file is None:
        for part in to_rich(annotated):
            out.print(part)
        return
    try:
        html_file.write_text(to_html(annotated), encoding="utf-8")
    except OSError as exc:
        _fail(f"cannot write {html_file}: {exc.strerror}; give --html a file in a folder that exists")
    err.print(f"wrote {html_file} ({len(annotated.facts)} facts)", markup=False)


@app.command()
def search(
    term: str = typer.Argument(..., help="A Chinese word or phrase of any length, e.g. 电梯."),
    db: Optional[str] = DbOption,
    substring: bool = typer.Option(False, "--substring",
                                   help="Match inside longer words too (LIKE), not only whole tokens."),
    as_json: bool = typer.Option(False, "--json", help="Print the hits as JSON lines."),
) -> None:
    """Find the articles and evidence sentences that contain a term (through the search index of article_words).

    Example: govcase search 电梯
    """
    from govcase.search import search as run_search

    with _errors():
        result = run_search(open_existing(Settings.from_env(db).db_url), term, substring=substring)
    if as_json:
        for hit in result.hits:
            print(json.dumps({"article_id": hit.article_id, "source": hit.source, "title": hit.title,
                              "evidence_id": hit.evidence_id, "text": hit.text,
                              "is_canonical": hit.is_canonical}, ensure_ascii=False))
        return
    source = None
    for hit in result.hits:
        if hit.source != source:
            source = hit.source
            out.print(Text(f"[{hit.article_id}] {hit.source}  {hit.title or ''}", style="bold"))
        line = Text("  " + ("title: " if hit.evidence_id is None else ""))
        line.append(hit.text)
        line.highlight_words([result.term], style="black on yellow")
        out.print(line)
    err.print(f"{len(result.hits)} sentences in {len(result.articles)} articles ({result.method})", markup=False)


@app.command()
def stats(
    db: Optional[str] = DbOption,
    as_json: bool = typer.Option(False, "--json", help="Print the counts as JSON."),
) -> None:
    """Counts of sources, articles, places, facts, pending work and rejects with reasons.

    Example: govcase stats --json
    """
    with _errors():
        data = read_stats(open_existing(Settings.from_env(db).db_url))
    if as_json:
        out.print_json(json.dumps(data, ensure_ascii=False))
        return
    table = Table("table", "rows", title="govcase database")
    for name, n in data["counts"].items():
        table.add_row(name, str(n))
    out.print(table)
    out.print("pending: " + ", ".join(f"{k} {v}" for k, v in data["pending"].items()))
    for stage, reasons in data["rejects"].items():
        out.print(f"rejected at {stage}: " + ", ".join(f"{r} {n}" for r, n in reasons.items()))


@db_app.command("upgrade")
def db_upgrade(db: Optional[str] = DbOption,
               revision: str = typer.Argument("head", help="Target revision.")) -> None:
    """Apply migrations up to REVISION (govcase also does this on first use).

    Example: govcase db upgrade --db postgresql://postgres@127.0.0.1/test
    """
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

    Example: govcase db downgrade base --db sqlite:///scratch.db
    """
    with _errors():
        engine = dbmod.make_engine(Settings.from_env(db).db_url)
        dbmod.downgrade(engine, revision)
        out.print(f"database at revision {dbmod.current_revision(engine) or 'base'}")


@db_app.command("current")
def db_current(db: Optional[str] = DbOption) -> None:
    """Print the database's migration revision and the newest one.

    Example: govcase db current
    """
    with _errors():
        engine = dbmod.make_engine(Settings.from_env(db).db_url)
        out.print(f"current {dbmod.current_revision(engine) or 'base'}, head {dbmod.head_revision()}")


def main() -> None:
    signal.signal(signal.SIGTERM, _terminate)  # unwind like Ctrl-C: workers stopped, nothing leaked
    app()


def _terminate(_signum, _frame) -> None:
    signal.signal(signal.SIGTERM, signal.SIG_IGN)  # once: the unwinding must not be cut short
    raise Terminated()


if __name__ == "__main__":
    main()
