"""A helper process that loads the clean and tag stages while the command starts up.

A small ingest (a few new articles) or a selective reload waits mostly on fixed costs, and
they come in two halves of about a second each on the development machine: this process
imports SQLAlchemy, the models and the pipeline, stores the inputs and finds the pending
work; the stages import BeautifulSoup, jieba and numpy and load the gazetteer, the
dictionary and the lexicon. The halves do not depend on each other, so ``main`` forks one
helper process first thing, before those imports, and it loads the stages while this
process does its half: on two cores the wait is the longer half, not the sum. The helper
then cleans and tags the articles (the pipeline hands it the batches) and this process
writes them.

It is started only where it pays (``wanted``): ``ingest`` of at most POOL_THRESHOLD
inputs (more start a pool of workers; a helper would be one process too many) and
``reload`` without ``--all``. If the run finds nothing to do, or enough to start the pool,
the helper is stopped unused; it never touches the database.
"""
from __future__ import annotations

import gc
import os
import signal
from pathlib import Path
from typing import Sequence

POOL_THRESHOLD = 128  # as govcase.pipeline's: more articles than this go to a pool of workers
_READABLE = (".txt", ".text", ".html", ".htm", ".gz")  # as govcase.ingest reads (a .gz counted anyway)
_PAGES = (".html", ".htm", ".gz")
_VALUED = {"--db", "--stage", "--workers"}  # options of ingest and reload that take a value

_helper = None  # (executor, its process, whether a batch was handed to it)


def wanted(argv: Sequence[str]) -> bool:
    """Whether the command in ``argv`` (without the program) is one a helper speeds up."""
    return helper_for(argv) is not None


def helper_for(argv: Sequence[str]) -> dict | None:
    """The arguments of ``start`` for the command in ``argv``, None when no helper pays: a
    reload's helper loads the tag stage alone; an ingest's loads the HTML parser (bs4, ~0.1 s
    of CPU) only when an input may be a page."""
    if not argv or any(a in ("-h", "--help", "--dry-run", "--all") for a in argv):
        return None
    args, options = _split(argv[1:])
    if argv[0] == "reload":
        return {"tag_only": True}
    if argv[0] != "ingest" or options.get("--stage", "load") not in ("clean", "tag", "load"):
        return None
    few, pages = _few_inputs(args)
    return {"pages": pages} if few else None


def _split(argv: Sequence[str]) -> tuple[list[str], dict[str, str]]:
    args, options, i = [], {}, 0
    while i < len(argv):
        a = argv[i]
        if a in _VALUED and i + 1 < len(argv):
            options[a] = argv[i + 1]
            i += 2
            continue
        if "=" in a and a.split("=", 1)[0] in _VALUED:
            options[a.split("=", 1)[0]] = a.split("=", 1)[1]
        elif not a.startswith("-"):
            args.append(a)
        i += 1
    return args, options


def _few_inputs(paths: list[str]) -> tuple[bool, bool]:
    """Whether the ingest might read at most POOL_THRESHOLD files, counted without reading
    them (a JSONL file may hold any number of articles, so it counts as many), and whether
    one of them may be an HTML page (.htm, .html, or a .gz that may hold one)."""
    seen, pages = 0, False
    for path in paths:
        if os.path.isfile(path):
            if ".jsonl" in path.lower():
                return False, pages
            seen += 1
            pages = pages or path.lower().endswith(_PAGES)
        for _root, _dirs, files in os.walk(path) if os.path.isdir(path) else ():
            for name in files:
                lower = name.lower()
                if ".jsonl" in lower:
                    return False, pages
                seen += lower.endswith(_READABLE)
                pages = pages or lower.endswith(_PAGES)
                if seen > POOL_THRESHOLD:
                    return False, pages
    return 0 < seen <= POOL_THRESHOLD, pages


def start(data_dir: Path, tag_only: bool = False, pages: bool = True) -> None:
    """Fork the helper now; it loads the stages for ``data_dir`` at once (``tag_only``: the
    tag stage alone, for a reload, whose stale articles are tagged again, not cleaned;
    ``pages``: the HTML parser too, else it is loaded by the first page that comes)."""
    global _helper
    import multiprocessing
    from concurrent.futures import ProcessPoolExecutor

    before = set(multiprocessing.active_children())
    # fork: nothing in this process yet (no connection, no thread) that a child must not copy.
    # Ctrl-C reaches the whole process group and this process stops the helper: the helper
    # ignores it from its first instant (govcase.work._start_worker says so again)
    previous = signal.signal(signal.SIGINT, signal.SIG_IGN)
    try:
        pool = ProcessPoolExecutor(1, mp_context=multiprocessing.get_context("fork"), initializer=_warm,
                                   initargs=(data_dir, os.getpid(), tag_only, pages))
        pool.submit(int)  # forks the process (a fork pool starts its workers on the first task)
    finally:
        signal.signal(signal.SIGINT, previous)
    started = [p for p in multiprocessing.active_children() if p not in before]
    _helper = [pool, started[0] if started else None, False]


def _warm(data_dir: Path, parent: int, tag_only: bool = False, pages: bool = True) -> None:
    # SIGTERM ends the helper quietly, as it does a pool's worker (the command's own handler,
    # inherited, would raise in whatever the helper was loading)
    signal.signal(signal.SIGTERM, signal.SIG_DFL)
    from govcase.work import _start_worker

    _start_worker(data_dir, parent, tag_only, pages)
    # forked with the collector off (govcase.__main__): what was loaded stays for good, out of
    # its sight, as in the pool's fork server (govcase.preload); the batches collect their own
    gc.freeze()
    gc.enable()


def started() -> bool:
    """Whether a helper was started (and not stopped)."""
    return _helper is not None


def helper():
    """The helper's executor, for the pipeline's batches (None when there is none)."""
    if _helper is None:
        return None
    _helper[2] = True
    return _helper[0]


def stop() -> None:
    """End the helper: at once when it was never used (it may still be loading), else after
    its work (it has none left by then)."""
    global _helper
    if _helper is None:
        return
    pool, process, used = _helper
    _helper = None
    if not used and process is not None:
        process.kill()
    pool.shutdown(wait=True, cancel_futures=True)
