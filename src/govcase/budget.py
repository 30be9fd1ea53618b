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
from contextlib import contextmanager
from typing import Iterator

from govcase.errors import RejectedDocument
from govcase.records import CleanArticle, TaggedArticle
from govcase.tagging.lexicon import Lexicon

# About 7 MB of Chinese text: ten times the longest report, and still tagged in well under
# a minute; a raw file is capped at 20 MB (decode.MAX_BYTES), which could be 20 M characters.
MAX_TAG_CHARS = 2_500_000
TAG_SECONDS = float(os.environ.get("GOVCASE_TAG_SECONDS", "120"))  # a report tags in under 1 s


def tag_within_budget(article: CleanArticle, lexicon: Lexicon, seconds: float | None = None) -> TaggedArticle:
    """``tag`` the article, or raise RejectedDocument when it is over a budget."""
    from govcase.tag import tag

    if len(article.body) > MAX_TAG_CHARS:
        raise RejectedDocument("too-long", f"{len(article.body)} characters to tag; the budget is {MAX_TAG_CHARS}")
    with _deadline(TAG_SECONDS if seconds is None else seconds):
        return tag(article, lexicon)


class _Timeout(Exception):
    pass


@contextmanager
def _deadline(seconds: float) -> Iterator[None]:
    """Raise RejectedDocument("tag-timeout") if the block runs longer than ``seconds``.

    A timer signal interrupts pure Python code wherever it is; it exists only in the main
    thread, so elsewhere (a thread of a caller's own) the block runs unbounded."""
    if seconds <= 0 or threading.current_thread() is not threading.main_thread():
        yield
        return

    def expire(_signum, _frame):
        raise _Timeout

    previous = signal.signal(signal.SIGALRM, expire)
    signal.setitimer(signal.ITIMER_REAL, seconds)
    try:
        yield
    except _Timeout:
        raise RejectedDocument("tag-timeout", f"tagging took over {seconds:g} s; the budget per article") from None
    finally:
        signal.setitimer(signal.ITIMER_REAL, 0)
        signal.signal(signal.SIGALRM, previous)
