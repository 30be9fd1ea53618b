"""The govcase command line: each command parses options, calls one function, prints a summary.

The pipeline's commands are here (ingest, clean, tag, load, reload, work), with what every command
shares; the analysts' commands are in cli.read, `govcase db` in cli.schema."""
from __future__ import annotations

import json
import os
import sys
from contextlib import closing, contextmanager
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
            with closing(Pipeline(settings)) as pipeline:
                yield pipeline
            return
        with _progress_bar() as progress, closing(Pipeline(settings, progress=_progress_factory(progress))) as pipeline:
            yield pipeline


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


def _fail(message: str, code: int = EXIT_ERROR) -> None:
    err.print(f"govcase: {message}", markup=False)
    raise typer.Exit(code)


# the analysts' commands and `govcase db` register themselves on the app (after the shared options
# above, which they import)
from govcase.cli import read, schema  # noqa: E402,F401


def main() -> None:
    """The command line, as the installed `govcase` runs it (govcase.__main__)."""
    from govcase.__main__ import main as launch

    launch(app)
