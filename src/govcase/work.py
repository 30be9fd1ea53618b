"""The pure part of a run: what clean and tag make of one stored source.

A ``Task`` carries everything one article's pending stages need (raw bytes for
clean, the stored clean article for tag) and ``perform`` turns it into a
``Result`` without touching the database, so tasks can run in worker processes
while the parent process writes results in batches.
"""
from __future__ import annotations

import gc
import multiprocessing
import os
import pickle
import signal
import threading
import time
from collections import deque
from contextlib import contextmanager
from concurrent.futures import ProcessPoolExecutor
from concurrent.futures.process import BrokenProcessPool
from dataclasses import dataclass, replace
from itertools import chain, count, islice
from pathlib import Path
from typing import Callable, Iterable, Iterator

from govcase.dedup import Signature, signature
from govcase.errors import GovcaseError, RejectedDocument
from govcase.tagging.lexicon import load_lexicon
from govcase.load import LoadPlan, plan_rows
from govcase.budget import tag_batch
from govcase.records import STAGES, CleanArticle, RawDocument, tagged_to_json

WORK_STAGES = STAGES[1:]


@dataclass(frozen=True)
class Task:
    source_id: int
    label: str
    stages: tuple[str, ...]  # a run of WORK_STAGES, in order
    article_id: int | None = None
    raw: RawDocument | None = None  # when cleaning
    article: CleanArticle | None = None  # the stored clean article, when tagging without cleaning


@dataclass(frozen=True)
class Failure:
    stage: str
    reason: str
    detail: str = ""


@dataclass(frozen=True)
class Result:
    task: Task
    article: CleanArticle | None = None  # set when cleaned
    signature: Signature | None = None
    payload: str | None = None  # the tag result as staged (JSON), set when tagged
    failure: Failure | None = None
    plan: LoadPlan | None = None  # the rows to load, when loading follows tagging

    @property
    def is_tagged(self) -> bool:
        return self.payload is not None


def perform(task: Task, data_dir: Path) -> Result:
    """Run the task's clean and tag stages; a bad input or a rule error becomes a Failure."""
    return _performed([task], data_dir)[0]


def perform_batch(tasks: list[Task], data_dir: Path) -> list[Result]:
    """perform of each task that cleans or tags, its articles tagged together (budget.tag_batch:
    the same results, less CPU); the results slimmed for the trip back to the writer."""
    todo = [t for t in tasks if set(t.stages) & {"clean", "tag"}]
    done = iter(_performed(todo, data_dir))
    return [_slim(next(done)) if set(t.stages) & {"clean", "tag"} else Result(t) for t in tasks]


def _performed(tasks: list[Task], data_dir: Path) -> list[Result]:
    cleaned = [_cleaned(task) for task in tasks]
    to_tag = [i for i, (task, (_, _, failed)) in enumerate(zip(tasks, cleaned))
              if failed is None and "tag" in task.stages]
    tagged = dict(zip(to_tag, tag_batch([cleaned[i][0] for i in to_tag], load_lexicon(data_dir)) if to_tag else []))
    results = []
    for i, (task, (article, sig, failed)) in enumerate(zip(tasks, cleaned)):
        kept = article if "clean" in task.stages else None
        if failed is not None:
            results.append(failed)
        elif i not in tagged:
            results.append(Result(task, kept, sig))
        elif isinstance(tagged[i], RejectedDocument):
            results.append(Result(task, kept, sig, failure=Failure("tag", tagged[i].reason, tagged[i].detail)))
        elif isinstance(tagged[i], Exception):  # recorded as a reject of this article; the batch goes on
            exc = tagged[i]
            results.append(Result(task, kept, sig, failure=Failure("tag", "error", f"{type(exc).__name__}: {exc}")))
        else:
            plan = plan_rows(article.body, tagged[i], article.title) if "load" in task.stages else None
            # the tagged article itself stays here: the JSON and the plan are all the writer needs,
            # and its thousands of small objects would cost more to unpickle there than to write
            results.append(Result(task, kept, sig, tagged_to_json(tagged[i]), plan=plan))
    return results


def _cleaned(task: Task) -> tuple[CleanArticle | None, Signature | None, Result | None]:
    """The task's article (cleaned now if the task cleans) and its signature, or the Result of
    a failed clean."""
    if "clean" not in task.stages:
        return task.article, None, None
    from govcase.clean import clean  # as tag, and only by a task that cleans

    try:
        article = clean(task.raw)
    except RejectedDocument as exc:
        return None, None, Result(task, failure=Failure("clean", exc.reason, exc.detail))
    except RecursionError:  # 100,000 nested <div>s: the parser's tree is too deep to walk
        return None, None, Result(task, failure=Failure("clean", "too-deep", "elements nested too deep to read; "
                                                                            "not a page a person reads"))
    except Exception as exc:  # a rule bug must not stop a batch; it is recorded with the input
        return None, None, Result(task, failure=Failure("clean", "error", f"{type(exc).__name__}: {exc}"))
    return article, signature(article.body, article.title), None


def _slim(result: Result) -> Result:
    """The result without its task's input (the source's bytes, the stored article): the writer
    reads only the task's ids and label, and pickling the bytes back from a worker cost as
    much as pickling the result. A failure keeps them: its reject records the bytes' hash."""
    task = result.task
    if result.failure is not None or (task.raw is None and task.article is None):
        return result
    return replace(result, task=replace(task, raw=None, article=None))


_batches = count(1)
FULL_COLLECTION_EVERY = 16  # batches


def _perform_batch_in_worker(tasks: list[Task], data_dir: Path) -> bytes:
    """perform_batch, pickled here (see _through), with one young-generation garbage
    collection at its end, not dozens during it (an article allocates tens of thousands of
    objects, nearly all freed by reference counting), and a full one every
    FULL_COLLECTION_EVERY batches for what the young collections promote."""
    gc.disable()
    try:
        return pickle.dumps(perform_batch(tasks, data_dir), protocol=pickle.HIGHEST_PROTOCOL)
    finally:
        gc.collect() if next(_batches) % FULL_COLLECTION_EVERY == 0 else gc.collect(1)


# A small article in traditional script: cleaning and tagging it loads every dictionary and
# model the stages use lazily (OpenCC, jieba, the gazetteer), so that happens before forking.
_WARM_UP = "上海市徐匯區天平街道某某小區加裝電梯12台，居民議事會協商停車管理。".encode("utf-8")
_WARM_UP_CLEAN = "上海市徐汇区天平街道某某小区加装电梯12台，居民议事会协商停车管理。"  # as clean leaves it


def warm(data_dir: Path, tag_only: bool = False, pages: bool = True) -> None:
    """Load the lexicon, the gazetteer and the dictionaries the stages use, and what the
    warm-up article does not reach: numpy, the MinHash permutations and CRC tables (its body is
    too short to sign) and the codecs of the encodings ingest detects. Loaded here, in the fork
    server, they are shared by every worker: each worker that imported numpy itself held
    ~14 MB of its own.

    ``tag_only``: what tag and load use, for the helper of a reload, whose stale articles are
    tagged again, not cleaned: clean's modules, its first article and numpy are ~0.4 s of
    CPU the reload waits for (an article that does need cleaning loads them when it comes).
    ``pages``: the HTML parser too (bs4, ~0.1 s of CPU), which the warm-up article, a text,
    does not reach; a small ingest of texts does without it."""
    if tag_only:
        perform(Task(0, "warm-up", ("tag", "load"), article=CleanArticle(_WARM_UP_CLEAN)), data_dir)
        return
    import codecs

    from govcase.dedup import _crc_tables, _permutations

    perform(Task(0, "warm-up", WORK_STAGES, raw=RawDocument("warm-up", _WARM_UP, "text", "", "utf-8")), data_dir)
    if pages:
        import govcase.cleaning.html  # noqa: F401 - clean imports it for the first page
    _permutations()
    _crc_tables()
    for name in ("gb18030", "gbk", "big5", "cp950", "big5hkscs", "utf-16", "utf-32"):
        codecs.lookup(name)


def _start_worker(data_dir: Path, parent: int, tag_only: bool = False, pages: bool = True) -> None:
    """A worker's initializer: load what the stages use, and end with the process that runs
    the pool. Killed outright (SIGKILL, the out-of-memory killer), that process cannot stop
    its workers, and they would wait on their queue for ever, each holding its memory, and
    the fork server with them. Ctrl-C reaches the whole process group: the parent stops the
    pool, so a worker ignores it instead of printing a traceback."""
    signal.signal(signal.SIGINT, signal.SIG_IGN)
    warm(data_dir, tag_only, pages)

    def watch() -> None:
        while True:
            time.sleep(1)
            try:
                os.kill(parent, 0)  # signal 0: is it there?
            except (ProcessLookupError, PermissionError):  # gone (or its number reused by another user)
                os._exit(1)

    threading.Thread(target=watch, name="govcase-parent-watch", daemon=True).start()


class WorkerDied(GovcaseError):
    """A worker process ended abnormally (out of memory, killed); committed work is kept."""


def prepare_workers():
    """Start the fork server now, so it loads the stages' data while this process does other
    work (storing the inputs). Workers fork from that clean single-threaded server
    (govcase.preload), not from this process with its connections and threads."""
    from multiprocessing import forkserver

    context = multiprocessing.get_context("forkserver")
    context.set_forkserver_preload(["govcase.preload"])
    # The server inherits an ignored SIGINT (and Python leaves it ignored): Ctrl-C reaches the
    # whole process group, and this process stops the pool; the server's preload would
    # otherwise die printing a traceback of whatever it was importing.
    previous = signal.signal(signal.SIGINT, signal.SIG_IGN)
    try:
        forkserver.ensure_running()
    finally:
        signal.signal(signal.SIGINT, previous)
    global _probe
    if _probe is None:
        _probe = threading.Thread(target=_first_fork, args=(context,), name="govcase-forkserver-ready", daemon=True)
        with _signals_deferred():  # the thread inherits the mask: a signal for the process waits for the main thread
            _probe.start()
    return context


_probe: threading.Thread | None = None  # forks a process that does nothing: it ends once the server has loaded
_server_ready = threading.Event()


def _nothing() -> None:
    pass


def _first_fork(context) -> None:
    """Fork a process from the server and wait for its end, then say the server is ready.
    Starting a worker waits until the server has finished loading (~0.7 s of CPU: the server
    forks only then); this thread waits instead, so the caller can go on storing inputs and
    start the pool when ``workers_ready`` says it will not wait."""
    try:
        process = context.Process(target=_nothing, name="govcase-forkserver-ready", daemon=True)
        process.start()
        process.join()
    except (EOFError, OSError):  # the server died (SIGTERM to the process group): the pool's start says so
        pass
    finally:
        _server_ready.set()


def workers_ready() -> bool:
    """Whether the fork server started by ``prepare_workers`` forks workers without waiting
    for its loading (True, too, when it was never started)."""
    return _probe is None or _server_ready.is_set()


@contextmanager
def _signals_deferred() -> Iterator[None]:
    """Ctrl-C and SIGTERM wait until the block is done. ``submit`` starts worker processes
    (and the pool's threads, which inherit the mask): a run interrupted half-way through
    starting one left a worker that the pool never joined, which then failed to read its
    semaphores and printed a traceback after the run had ended, or waited for work for ever.
    Every thread of this process must be started in such a block: the kernel hands a signal
    for the process to any thread that does not block it, and Python then raises it in the
    main thread, blocked or not."""
    deferred = {signal.SIGINT, signal.SIGTERM}
    previous = signal.pthread_sigmask(signal.SIG_BLOCK, deferred)
    try:
        yield
    finally:
        signal.pthread_sigmask(signal.SIG_SETMASK, previous)


# Batches a worker does before the pool is replaced by workers freshly forked from the fork
# server. A worker's memory of its own grows with every article it tags (~8 MB per 1,000:
# the reference counts of the gazetteer's and lexicon's objects it reads copy their shared
# pages, and its caches fill), to ~50 MB each after 5,000; fresh workers start at the server's
# shared pages again. A fresh worker's first batch costs ~0.2 s more CPU (cold caches): 1 %
# of a round's.
ROUND_BATCHES = 24


def performed(batches: Iterable[list[Task]], data_dir: Path, workers: int,
              helper: ProcessPoolExecutor | None = None, all_ahead: bool = False,
              meanwhile: Callable[[], bool] | None = None) -> Iterator[list[Result]]:
    """The results of each batch of tasks, in order, computed by ``workers`` processes (one:
    the ``helper`` process when there is one, govcase.prestart, else this process).

    At most two batches per worker are in flight, so memory stays flat however many
    articles are pending; the caller writes each batch while the workers go on.
    ``all_ahead``: the batches are a short list known in advance (a helper's run, at most
    POOL_THRESHOLD articles), all handed to the helper at once: with two in flight, it
    waited idle for the third while this process wrote the first (~15 ms of a reload of 68
    articles). Not for batches claimed from a shared queue, which would claim them all.
    ``meanwhile``: work of this process that must be done before the first result is yielded
    (storing the rest of the inputs), a step per call, which returns False once none is left;
    with a pool, its steps are done while the workers work, instead of waiting for them.
    """
    if meanwhile is not None and workers <= 1:
        while meanwhile():
            pass
    if workers <= 1 and helper is None:
        for tasks in batches:
            yield perform_batch(tasks, data_dir)
        return
    if workers <= 1:
        try:
            yield from _through(((helper, tasks) for tasks in batches), data_dir, None if all_ahead else 2)
        except BaseException:  # interrupted, the writer failed, or the caller stopped early (GeneratorExit)
            _abandon(helper)
            raise
        return
    pools: list[ProcessPoolExecutor] = []
    try:
        yield from _through(_rounds(batches, data_dir, workers, pools), data_dir, 2 * workers, meanwhile)
    except BaseException:  # as above: whatever the workers still do is not wanted
        for pool in pools:
            _abandon(pool)
        raise
    for pool in pools:
        pool.shutdown(wait=True)


def _rounds(batches: Iterable[list[Task]], data_dir: Path, workers: int,
            pools: list[ProcessPoolExecutor]) -> Iterator[tuple[ProcessPoolExecutor, list[Task]]]:
    """Each batch with the pool to do it: a round of batches (see ROUND_BATCHES), then a pool
    of fresh workers, appended to ``pools`` as it starts. Once a round's last batch is handed
    to its pool, the next is asked for only when that pool's workers have finished and ended,
    but before this process has written their last results: it writes them while the fresh
    workers start on the next round. Writing them first left both cores' workers idle while
    it did, then this process idle for the fresh workers' first batch (a 1.5 s wait at the
    round's end of a 5,000-article ingest). Old and fresh workers never run side by side:
    the old ones, grown by a round of articles, beside fresh ones held 30 MB more (PSS)."""
    context = prepare_workers()
    batches = iter(batches)
    while (first := next(batches, None)) is not None:
        pool = ProcessPoolExecutor(workers, mp_context=context, initializer=_start_worker,
                                   initargs=(data_dir, os.getpid()))
        pools.append(pool)
        for tasks in chain([first], islice(batches, ROUND_BATCHES * workers - 1)):
            yield pool, tasks
        pool.shutdown(wait=True)


def _abandon(pool: ProcessPoolExecutor) -> None:
    """Stop a pool whose work is no longer wanted (the run was interrupted or failed, nothing of
    that work is written yet) at once, and wait until its thread and workers have ended.

    Its workers are killed: Ctrl-C leaves them running (they ignore it), and the exit waited for
    their batches. SIGTERM reaches them too (the process group): one killed while it sent a
    batch's result leaves half a message in the pool's result pipe, and the pool's thread reads
    on for the rest, for ever, since this process holds the pipe's other end as well; the
    interpreter's exit joins that thread and hung (py-spy: MainThread in _python_exit, the
    manager thread in Connection._recv). Closing this process's end lets the thread read the
    pipe's end, find the pool broken and end, reaping the workers. The pipe and the workers are
    read before ``shutdown``, which drops the pool's references to them (CPython's own
    attributes): read after it, the pipe was None and stayed open."""
    processes = list((getattr(pool, "_processes", None) or {}).values())
    results = getattr(pool, "_result_queue", None)
    manager = getattr(pool, "_executor_manager_thread", None)
    pool.shutdown(wait=False, cancel_futures=True)
    for process in processes:
        process.kill()
    if results is not None:
        results._writer.close()
    if manager is not None:
        manager.join()


def _through(submissions: Iterable[tuple[ProcessPoolExecutor, list[Task]]], data_dir: Path,
             in_flight: int | None, meanwhile: Callable[[], bool] | None = None) -> Iterator[list[Result]]:
    """The results of the batches, each done by the pool it comes with, in order, with at
    most ``in_flight`` batches in flight (None: every batch, see ``performed``). A batch comes
    back as one pickle and is unpickled only when its turn to be written comes: the pool's
    thread would otherwise unpickle every result as it arrives, and the writer's memory held
    the ~150,000 objects of three batches waiting for it (16 MB), which also left its heap
    that much larger for the rest of the run. Until ``meanwhile`` is done (see ``performed``),
    a full window means a step of it, and another batch as soon as fewer than ``in_flight``
    are still being worked on: the finished ones wait for it, pickled."""
    window: deque = deque()
    try:
        for pool, tasks in submissions:
            with _signals_deferred():
                window.append(pool.submit(_perform_batch_in_worker, tasks, data_dir))
            while in_flight is not None and len(window) >= in_flight:
                if meanwhile is not None:
                    if meanwhile():
                        if sum(not future.done() for future in window) < in_flight:
                            break
                        continue
                    meanwhile = None
                yield pickle.loads(window.popleft().result())
        while meanwhile is not None and meanwhile():
            pass
        while window:
            yield pickle.loads(window.popleft().result())
    except BrokenProcessPool as exc:
        raise WorkerDied("a worker process died (out of memory or killed); what was written is kept, "
                         "run the command again to finish, with fewer --workers if memory is short") from exc
