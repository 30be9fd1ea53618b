"""`govcase` (the installed command) and `python -m govcase` run the command line.

What a small command waits on starts before typer, rich and the commands are imported
(govcase.cli, ~0.1 s of CPU): the helper process of a small ingest or a reload is forked
first (govcase.prestart), and an ingest that finds nothing to do is answered without them
(govcase.unchanged). An ingest of many new inputs starts the fork server of its workers
there too. A plain ingest or reload then calls its command function without typer's
parsing (govcase.direct); every other command goes through typer.
"""
from __future__ import annotations

import gc
import signal
import sys

from govcase import prestart
from govcase.direct import command
from govcase.errors import EXIT_INTERRUPTED, EXIT_TERMINATED, Terminated


def main(app=None) -> None:
    """Run the command in sys.argv; ``app``: the typer app when govcase.cli is already loaded."""
    signal.signal(signal.SIGTERM, _terminate)  # unwind like Ctrl-C: workers stopped, nothing leaked
    argv = sys.argv[1:]
    collecting = gc.isenabled()
    gc.disable()  # while starting up (see _started); the helper forked now loads without it too
    try:
        helper = prestart.helper_for(argv)
        if helper is not None:  # before the heavy imports, which it then runs beside
            from govcase.settings import Settings

            prestart.start(Settings.from_env().data_dir, **helper)
        try:
            _unchanged_ingest(argv)  # beside the helper too: it is stopped unused if this answers
            if app is None:
                from govcase.cli import app
            _started(argv, collecting)
            direct = command(argv)
            if direct is None:
                app()
            else:
                _run(direct)
        finally:
            prestart.stop()
    finally:
        if argv and argv[0] in _PIPELINE_COMMANDS:
            _frozen_for_exit()
        if collecting:
            gc.enable()
        # The run has ended (its exit code is set, or its error unwinding): a Ctrl-C or SIGTERM from
        # here on would reach an interpreter tearing down, whose handlers are gone, and kill it by the
        # signal instead of ending with the code the run earned (a shell would see 130/143 for a
        # finished ingest, or -2/-15). Nothing is left to interrupt, so the signals are ignored.
        signal.signal(signal.SIGINT, signal.SIG_IGN)
        signal.signal(signal.SIGTERM, signal.SIG_IGN)


_PIPELINE_COMMANDS = ("ingest", "reload")  # whose database connections the pipeline closes (Pipeline.close)


def _frozen_for_exit() -> None:
    """What is alive once an ingest or reload has ended stays alive until the process exits
    (the modules, the lexicon, the gazetteer ...): frozen, it is left out of the collection the
    interpreter's exit runs, which otherwise walked and freed hundreds of thousands of objects
    one by one for the operating system to reclaim anyway (0.13-0.2 s of a reload of 68
    articles, after the pipeline's batches handed the start-up objects back to the collector,
    govcase.pipeline._collector_between_batches). Only after these commands: their database
    connections are closed by then (Pipeline.close), and a connection left to the collector
    in another command would stay open, its SQLite WAL never checkpointed."""
    gc.freeze()


def _started(argv: list[str], collecting: bool) -> None:
    """The modules a run of the pipeline imports anyway, imported with the garbage collector
    off, then frozen out of its sight: the ~300,000 objects of typer, rich, SQLAlchemy and the
    models are alive until the process ends, and the full collections the collector ran over
    them while they were being made, and again over them while the run loaded its lexicon,
    were 0.1-0.15 s of a small ingest's or a reload's start (gc.callbacks: 2-3 full
    collections, 0.08-0.12 s, and ~250 younger ones)."""
    if argv and argv[0] in ("ingest", "reload"):
        import govcase.pipeline  # noqa: F401 - the command imports it first thing
    gc.freeze()
    if collecting:
        gc.enable()


def _run(call) -> None:
    """Run a command function of govcase.cli as typer runs it (govcase.cli.OneLineErrors over
    typer.core's main, standalone mode off): the exit code a ``typer.Exit`` carries, 130 for
    Ctrl-C, 1 for a closed pipe, 0 when it returns; anything else propagates."""
    import errno

    import typer

    try:
        call()
    except typer.Exit as exc:
        sys.exit(exc.exit_code)
    except KeyboardInterrupt:
        sys.exit(EXIT_INTERRUPTED)
    except OSError as exc:
        if exc.errno != errno.EPIPE:
            raise
        from typer._click.utils import PacifyFlushWrapper

        sys.stdout, sys.stderr = PacifyFlushWrapper(sys.stdout), PacifyFlushWrapper(sys.stderr)
        sys.exit(1)
    sys.exit(0)


def _unchanged_ingest(argv: list[str]) -> None:
    """An ingest that finds every input stored unchanged and nothing pending ends here
    (govcase.unchanged); any other command goes on, an ingest of many new inputs with the
    fork server of its workers started (see _workers_early)."""
    from govcase.unchanged import look

    try:
        found = look(argv)
        if found is not None and found.report is None:
            _workers_early(found.to_read, found.workers)
    except KeyboardInterrupt:
        print("govcase: interrupted; nothing was written, run the command again", file=sys.stderr)
        sys.exit(EXIT_INTERRUPTED)
    except Terminated:
        print("govcase: terminated; nothing was written, run the command again", file=sys.stderr)
        sys.exit(EXIT_TERMINATED)
    if found is None or found.report is None:
        return
    report, as_json = found.report, found.as_json
    if as_json:  # as govcase.cli prints it
        import json

        from rich.console import Console

        Console(highlight=False, soft_wrap=True).print_json(json.dumps(report.as_dict(), ensure_ascii=False))
    else:
        print("\n".join(report.summary()))
    sys.exit(0)


def _workers_early(to_read: int, workers: int | None) -> None:
    """Start the fork server of the workers (govcase.work.prepare_workers) now, when the ingest
    will read more new inputs than a pool is started for: the server's loading of the stages
    (~0.8 s of CPU) then runs beside this process's imports, the new database's schema and
    the storing of the first inputs, instead of after them, and the workers start that much
    sooner (first worker at 1.4-3.1 s against 4.1-4.4 s into a 5,000-article ingest, machine
    loaded). The pipeline asks for the same server when it starts the pool."""
    if to_read <= prestart.POOL_THRESHOLD:
        return
    from govcase.settings import Settings

    if Settings.from_env(workers=workers).workers > 1:
        from govcase.work import prepare_workers

        prepare_workers()


def _terminate(_signum, _frame) -> None:
    signal.signal(signal.SIGTERM, signal.SIG_IGN)  # once: the unwinding must not be cut short
    raise Terminated()


if __name__ == "__main__":
    main()
