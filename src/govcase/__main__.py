"""`govcase` (the installed command) and `python -m govcase` run the command line.

What a small command waits on starts before typer, rich and the commands are imported
(govcase.cli, ~0.1 s of CPU): the helper process of a small ingest or a reload is forked
first (govcase.prestart), and an ingest that finds nothing to do is answered without them
(govcase.unchanged).
"""
from __future__ import annotations

import signal
import sys

from govcase import prestart
from govcase.errors import EXIT_INTERRUPTED, EXIT_TERMINATED, Terminated


def main(app=None) -> None:
    """Run the command in sys.argv; ``app``: the typer app when govcase.cli is already loaded."""
    signal.signal(signal.SIGTERM, _terminate)  # unwind like Ctrl-C: workers stopped, nothing leaked
    argv = sys.argv[1:]
    helper = prestart.helper_for(argv)
    if helper is not None:  # before the heavy imports, which it then runs beside
        from govcase.settings import Settings

        prestart.start(Settings.from_env().data_dir, **helper)
    try:
        _unchanged_ingest(argv)  # beside the helper too: it is stopped unused if this answers
        if app is None:
            from govcase.cli import app
        app()
    finally:
        prestart.stop()


def _unchanged_ingest(argv: list[str]) -> None:
    """An ingest that finds every input stored unchanged and nothing pending ends here
    (govcase.unchanged); any other command goes on."""
    from govcase.unchanged import unchanged_ingest

    try:
        found = unchanged_ingest(argv)
    except KeyboardInterrupt:
        print("govcase: interrupted; nothing was written, run the command again", file=sys.stderr)
        sys.exit(EXIT_INTERRUPTED)
    except Terminated:
        print("govcase: terminated; nothing was written, run the command again", file=sys.stderr)
        sys.exit(EXIT_TERMINATED)
    if found is None:
        return
    report, as_json = found
    if as_json:  # as govcase.cli prints it
        import json

        from rich.console import Console

        Console(highlight=False, soft_wrap=True).print_json(json.dumps(report.as_dict(), ensure_ascii=False))
    else:
        print("\n".join(report.summary()))
    sys.exit(0)


def _terminate(_signum, _frame) -> None:
    signal.signal(signal.SIGTERM, signal.SIG_IGN)  # once: the unwinding must not be cut short
    raise Terminated()


if __name__ == "__main__":
    main()
