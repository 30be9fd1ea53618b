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
