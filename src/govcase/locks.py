"""One lock per database, so a scheduled reload never runs beside another run.

Ingests (and single stages) take the lock shared: several may run at once, and
unique constraints with upserts keep their rows apart. A reload takes it
exclusively: it rewrites every stale article and must have the database to
itself. The lock belongs to the process: PostgreSQL releases an advisory lock
when its connection closes and the kernel releases a file lock when the process
dies, so a run killed with SIGKILL never leaves the database locked.
"""
from __future__ import annotations

import fcntl
import os
import time
from dataclasses import dataclass, field
from typing import Callable

from sqlalchemy import Engine, select, text
from sqlalchemy.engine import Connection
from sqlalchemy.orm import Session

from govcase import models as m
from govcase.db import sqlite_sidecar
from govcase.errors import GovcaseError

# Any constant works; it only has to be the same for every govcase process.
_PG_RUN_LOCK = 7_310_104_004


class RunInProgress(GovcaseError):
    """Another govcase run holds the database's lock."""


@dataclass
class RunLock:
    """The lock of one database; ``acquire`` returns whether no other run was active."""

    engine: Engine
    exclusive: bool
    alone: bool = False  # no other run held the lock when this one took it
    _conn: Connection | None = field(default=None, repr=False)
    _fd: int | None = field(default=None, repr=False)

    def acquire(self, on_alone: Callable[[], None] | None = None) -> bool:
        """Take the lock or raise RunInProgress. ``on_alone`` runs while this process still
        holds the lock exclusively, when no other run held it: runs left 'running' by a
        killed process may then be closed as interrupted. Returns whether it was alone."""
        alone = self._try(exclusive=True)
        if alone:
            if on_alone is not None:
                on_alone()
            if not self.exclusive:  # keep a shared lock: other ingests may join
                self._try(exclusive=False)
                self._release(exclusive=True)
        elif self.exclusive or not self._wait_shared():
            raise RunInProgress(self._busy_message())
        self.alone = alone
        return alone

    def _wait_shared(self, seconds: float = 5.0) -> bool:
        """Another ingest holds the lock exclusively only for the moment of its own check,
        a reload for its whole run: wait a little before calling it a reload."""
        deadline = time.monotonic() + seconds
        while not self._try(exclusive=False):
            if time.monotonic() > deadline:
                return False
            time.sleep(0.05)
        return True

    def close(self) -> None:
        self.release()

    def release(self) -> None:
        if self._conn is not None:
            # the connection goes back to the pool with its database session, so unlock explicitly
            self._conn.execute(text("SELECT pg_advisory_unlock_all()"))
            self._conn.close()
            self._conn = None
        if self._fd is not None:
            os.close(self._fd)
            self._fd = None

    def __enter__(self) -> "RunLock":
        self.acquire()
        return self

    def __exit__(self, *exc) -> None:
        self.release()

    # -- backends ----------------------------------------------------------------

    def _try(self, exclusive: bool) -> bool:
        if self.engine.dialect.name == "postgresql":
            if self._conn is None:
                self._conn = self.engine.connect().execution_options(isolation_level="AUTOCOMMIT")
            fn = "pg_try_advisory_lock" if exclusive else "pg_try_advisory_lock_shared"
            return bool(self._conn.execute(text(f"SELECT {fn}(:k)"), {"k": _PG_RUN_LOCK}).scalar())
        path = sqlite_sidecar(self.engine, "lock")
        if path is None:
            return True
        if self._fd is None:
            self._fd = os.open(path, os.O_RDWR | os.O_CREAT, 0o644)
        try:
            fcntl.flock(self._fd, (fcntl.LOCK_EX if exclusive else fcntl.LOCK_SH) | fcntl.LOCK_NB)
        except BlockingIOError:
            return False
        return True

    def _release(self, exclusive: bool) -> None:
        if self.engine.dialect.name == "postgresql" and self._conn is not None:
            fn = "pg_advisory_unlock" if exclusive else "pg_advisory_unlock_shared"
            self._conn.execute(text(f"SELECT {fn}(:k)"), {"k": _PG_RUN_LOCK})
        # flock: taking LOCK_SH on a descriptor holding LOCK_EX converts it, nothing to undo

    def _busy_message(self) -> str:
        with Session(self.engine) as session:
            run = session.execute(select(m.Run.id, m.Run.command, m.Run.started_at)
                                  .where(m.Run.status == "running").order_by(m.Run.id.desc())).first()
        what = f"run {run.id} ({run.command}, started {run.started_at:%Y-%m-%d %H:%M} UTC)" if run else "another run"
        doing = "a reload needs the database to itself" if self.exclusive else "a reload is running"
        return (f"{what} is still working on {self.engine.url.render_as_string()}: {doing}; "
                "try again when it has finished")
