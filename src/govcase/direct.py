"""`ingest` and `reload` with plain arguments, called without typer's parsing.

typer (0.29) converts every parameter through a pydantic TypeAdapter: importing pydantic and
building the adapters of a command's five options took ~0.1 s of CPU, a tenth of what a
small ingest or a selective reload waits for before its first article. The commands a
scheduled job runs most, written the plain way (``ingest PATH... [--db URL] [--stage S]
[--workers N] [--json]``, ``reload [--db URL] [--workers N] [--all] [--dry-run] [--json]``,
each option once), are parsed here and handed to the same command functions of
govcase.cli, which do and print exactly what they do under typer. Anything else (another
command, --help, an option given twice or as ``--db=URL``, a value typer would refuse or
convert, ``--``) returns None and typer parses it as always, with its own messages.
"""
from __future__ import annotations

from typing import Callable, Sequence

_OPTIONS = {
    "ingest": ({"--db", "--stage", "--workers"}, {"--json"}),
    "reload": ({"--db", "--workers"}, {"--json", "--all", "--dry-run"}),
}
_NAMES = {"--db": "db", "--stage": "stage", "--workers": "workers", "--json": "as_json", "--all": "everything",
          "--dry-run": "dry_run"}


def parse(argv: Sequence[str]) -> tuple[str, list[str], dict] | None:
    """(command, paths, keyword arguments of its function) for plain ``ingest`` and
    ``reload`` arguments; None for anything typer should parse."""
    if not argv or argv[0] not in _OPTIONS:
        return None
    valued, flags = _OPTIONS[argv[0]]
    paths: list[str] = []
    kwargs: dict = {}
    args = iter(argv[1:])
    for arg in args:
        if arg in valued:
            value = next(args, None)
            if value is None or value.startswith("-") or _NAMES[arg] in kwargs:
                return None
            kwargs[_NAMES[arg]] = value
        elif arg in flags:
            if _NAMES[arg] in kwargs:
                return None
            kwargs[_NAMES[arg]] = True
        elif arg.startswith("-") or argv[0] != "ingest":
            return None  # an option not listed here, "--", or a path given to reload
        else:
            paths.append(arg)
    workers = kwargs.get("workers")
    if workers is not None:
        if not (workers.isascii() and workers.isdigit() and int(workers) >= 1):
            return None  # typer says why it refuses it
        kwargs["workers"] = int(workers)
    if argv[0] == "ingest" and not paths:
        return None
    return argv[0], paths, kwargs


def command(argv: Sequence[str]) -> Callable[[], None] | None:
    """The call of govcase.cli's command function for ``argv`` (see ``parse``), else None."""
    parsed = parse(argv)
    if parsed is None:
        return None
    name, paths, kwargs = parsed
    from pathlib import Path

    from govcase import cli

    if name == "ingest":
        return lambda: cli.ingest(**_ingest_defaults(kwargs), paths=[Path(p) for p in paths])
    return lambda: cli.reload(**_reload_defaults(kwargs))


def _ingest_defaults(kwargs: dict) -> dict:
    return {"db": None, "stage": "load", "workers": None, "as_json": False, **kwargs}


def _reload_defaults(kwargs: dict) -> dict:
    return {"db": None, "workers": None, "everything": False, "dry_run": False, "as_json": False, **kwargs}
