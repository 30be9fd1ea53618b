"""Per-article budgets of the tag stage: one article can neither stall a batch nor a night.

The taggers are linear in the article's length (benchmarks/tag_scaling.py checks it),
so the size budget bounds the time too; the time budget is the guard against a rule
that is not, met on text no one foresaw. Both end as a reject of that one article
(``too-long``, ``tag-timeout``); the run goes on.
"""
from __future__ import annotations

import os
import signal
import threading
import time
from contextlib import contextmanager
from typing import Iterator, Sequence

from govcase.errors import RejectedDocument
from govcase.records import CleanArticle, TaggedArticle
from govcase.tagging.lexicon import Lexicon

# About 7 MB of Chinese text: ten times the longest report, and still tagged in well under
# a minute; a raw file is capped at 20 MB (decode.MAX_BYTES), which could be 20 M characters.
MAX_TAG_CHARS = 2_500_000
TAG_SECONDS = float(os.environ.get("GOVCASE_TAG_SECONDS", "120"))  # a report tags in under 1 s
MIN_LEFT = 0.001  # s: an article whose budget ran out between two passes is stopped in the next


def tag_within_budget(article: CleanArticle, lexicon: Lexicon, seconds: float | None = None) -> TaggedArticle:
    """``tag`` the article, or raise RejectedDocument when it is over a budget."""
    tagged = tag_batch([article], lexicon, seconds)[0]
    if isinstance(tagged, Exception):
        raise tagged
    return tagged


def tag_batch(articles: Sequence[CleanArticle], lexicon: Lexicon,
              seconds: float | None = None) -> list[TaggedArticle | Exception]:
    """``tag_within_budget`` of each article, run pass by pass over the batch (tag.PASSES: the
    same results, less CPU): each article's TaggedArticle, or the exception that ended it
    (RejectedDocument over a budget, or a rule's error), which stops that article alone. An
    article's time budget is the sum over its passes."""
    from govcase.tag import PASSES, Tagging

    budget = TAG_SECONDS if seconds is None else seconds
    out: list[TaggedArticle | Exception] = []
    jobs: list[tuple[int, Tagging]] = []
    for i, article in enumerate(articles):
        if len(article.body) > MAX_TAG_CHARS:
            out.append(RejectedDocument("too-long", f"{len(article.body)} characters to tag; "
                                                    f"the budget is {MAX_TAG_CHARS}"))
        else:
            out.append(None)
            jobs.append((i, Tagging(article)))
    spent = [0.0] * len(articles)
    for step in PASSES:
        live = []
        for i, job in jobs:
            started = time.monotonic()
            try:
                with _deadline(max(budget - spent[i], MIN_LEFT) if budget > 0 else 0, budget):
                    step(job, lexicon)
            except Exception as exc:  # this article's end; the batch goes on
                out[i] = exc
                continue
            spent[i] += time.monotonic() - started
            live.append((i, job))
        jobs = live
    for i, job in jobs:
        out[i] = job.tagged
    return out


class _Timeout(Exception):
    pass


# s between repeats of an alarm: the signal handler runs wherever the interpreter is, and in
# a gc callback (hypothesis installs one) or a bare ``except Exception`` its exception is
# swallowed, so the alarm is sounded again until the block has ended.
REPEAT = 0.05


@contextmanager
def _deadline(seconds: float, budget: float | None = None) -> Iterator[None]:
    """Raise RejectedDocument("tag-timeout") if the block runs longer than ``seconds`` (what is
    left of the article's ``budget``, which the message names).

    A timer signal interrupts pure Python code wherever it is; it exists only in the main
    thread, so elsewhere (a thread of a caller's own) the block runs unbounded."""
    if seconds <= 0 or threading.current_thread() is not threading.main_thread():
        yield
        return
    armed = [True]

    def expire(_signum, _frame):
        if armed[0]:
            raise _Timeout

    previous = signal.signal(signal.SIGALRM, expire)
    signal.setitimer(signal.ITIMER_REAL, seconds, REPEAT)
    try:
        yield
    except _Timeout:
        armed[0] = False
        raise RejectedDocument("tag-timeout", f"tagging took over {budget or seconds:g} s; the budget per article") \
            from None
    finally:
        armed[0] = False
        signal.setitimer(signal.ITIMER_REAL, 0)
        signal.signal(signal.SIGALRM, previous)
