"""The pure part of a run: what clean and tag make of one stored source.

A ``Task`` carries everything one article's pending stages need (raw bytes for
clean, the stored clean article for tag) and ``perform`` turns it into a
``Result`` without touching the database, so tasks can run in worker processes
while the parent process writes results in batches.
"""
from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

from govcase.clean import clean
from govcase.dedup import Signature, signature
from govcase.errors import RejectedDocument
from govcase.lexicon import Lexicon, load_lexicon
from govcase.records import CleanArticle, RawDocument, TaggedArticle
from govcase.tag import tag

STAGES = ("ingest", "clean", "tag", "load")
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
    tagged: TaggedArticle | None = None  # set when tagged
    failure: Failure | None = None


def lexicon_for(data_dir: Path) -> Lexicon:
    """The lexicon of ``data_dir``, compiled once per process (until its files change)."""
    return load_lexicon(data_dir)


def perform(task: Task, data_dir: Path) -> Result:
    """Run the task's clean and tag stages; a bad input or a rule error becomes a Failure."""
    article, sig = task.article, None
    if "clean" in task.stages:
        try:
            article = clean(task.raw)
        except RejectedDocument as exc:
            return Result(task, failure=Failure("clean", exc.reason, exc.detail))
        except Exception as exc:  # a rule bug must not stop a batch; it is recorded with the input
            return Result(task, failure=Failure("clean", "error", f"{type(exc).__name__}: {exc}"))
        sig = signature(article.body)
    if "tag" not in task.stages:
        return Result(task, article if "clean" in task.stages else None, sig)
    try:
        tagged = tag(article, lexicon_for(data_dir))
    except Exception as exc:  # recorded as a reject of this article; the batch goes on
        return Result(task, article if "clean" in task.stages else None, sig,
                      failure=Failure("tag", "error", f"{type(exc).__name__}: {exc}"))
    return Result(task, article if "clean" in task.stages else None, sig, tagged)
