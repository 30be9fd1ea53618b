"""Narrow exceptions. Each message says what went wrong and how to fix it."""
from __future__ import annotations


class GovcaseError(Exception):
    """Base of every error govcase reports to the user as one line."""


class RejectedDocument(GovcaseError):
    """A document that cannot become an article; the reason is recorded in `rejects`.

    ``reason`` is a short stable slug analysts can group by (``empty``, ``binary``,
    ``undecodable``, ``huge-line``, ``no-body`` ...); ``detail`` is free text.
    """

    def __init__(self, reason: str, detail: str = "") -> None:
        super().__init__(f"{reason}: {detail}" if detail else reason)
        self.reason = reason
        self.detail = detail


class DatabaseError(GovcaseError):
    """The database cannot be reached or is not a govcase database."""


class UnknownArticle(GovcaseError):
    pass


class Terminated(BaseException):
    """SIGTERM, raised in the main thread so a run unwinds as on Ctrl-C (see cli.main).
    A BaseException like KeyboardInterrupt: no ``except Exception`` may swallow it."""


# Exit codes of the command line (docs/errors.md); a scheduled job alerts on any but 0.
EXIT_OK = 0
EXIT_INCOMPLETE = 1  # the run finished, but inputs were missing or rejected
EXIT_ERROR = 2  # bad option or argument, or a govcase error (no such article, run in progress ...)
EXIT_STORAGE = 3  # the database or the disk failed: full, read-only, unreachable
EXIT_INTERRUPTED = 130  # Ctrl-C (128 + SIGINT)
EXIT_TERMINATED = 143  # SIGTERM (128 + SIGTERM)

_STORAGE_CAUSES = (  # (words in the driver's message or the OS error, what to tell the user)
    (("disk is full", "no space left", "diskfull", "could not extend file", "file too large",
      "database or disk is full"), "the disk is full; free space and run again"),
    (("disk i/o error",), "the disk refused a write (full, over a file-size limit, or failing); "
                          "free space and run again"),
    (("readonly database", "read-only file system", "read-only database", "read only"),
     "the database is read-only here; reading commands work, writing needs a writable file and folder"),
    (("permission denied", "operation not permitted"), "no permission to write the database or its folder"),
    (("unable to open database file",), "the database file cannot be opened; does its folder exist?"),
    (("database is locked",), "the database stayed locked by another process; run again later"),
)


def storage_message(exc: BaseException) -> str:
    """One line for a database or file-system failure: what happened and what to do."""
    orig = getattr(exc, "orig", None) or exc
    text = " ".join(str(getattr(orig, "strerror", None) or orig).split())
    low = f"{type(orig).__name__} {text}".lower()
    for words, advice in _STORAGE_CAUSES:
        if any(w in low for w in words):
            return f"{advice} ({text[:200]})"
    return f"the database failed: {text[:300]}"
