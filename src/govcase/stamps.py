"""Files' sizes and modification times, so an ingest of an unchanged folder reads nothing.

A re-run over a folder of 5,000 stored files used to read and hash every one of them to find
that all were known. Each file that became a source is stamped (its location as given, size,
modification time in nanoseconds, source); the next ingest skips a file whose stamp still
matches, as ``make`` skips a target newer than its inputs. A file whose stamp differs, or a
spelling of its path not seen before, is read and hashed as before, so the skip never hides
new bytes or a new location. JSONL files hold many articles and are always read.

The stat is taken before the file is read: a file that changes after it gets a stamp older
than its content, which the next run finds different, never the reverse.
"""
from __future__ import annotations

import os
import time
from pathlib import Path
from typing import TYPE_CHECKING, Iterable

# SQLAlchemy and the models are imported where stamps are read or written through them:
# govcase.unchanged compares them through the sqlite3 module alone
if TYPE_CHECKING:
    from sqlalchemy.orm import Session

Stamp = tuple[int, int]  # (size, mtime_ns)
CHUNK = 500  # locations per query
RACY_NS = 2_000_000_000


def stamp_of(path: Path, before_ns: int) -> Stamp | None:
    """The file's stamp, None when it cannot be trusted: a file modified in the last
    RACY_NS may be written again within the clock's resolution with the same size and time
    (git's "racily clean" files), so it is read every time until it has been still for long."""
    try:
        st = os.stat(path)
    except OSError:
        return None
    return (st.st_size, st.st_mtime_ns) if st.st_mtime_ns < before_ns else None


def taken(files: list[Path]) -> tuple[list[str], dict[str, Stamp]]:
    """Each file's location (its documents' source), and the stamps that can be trusted now
    by location: none for a racy file or a .jsonl one."""
    from govcase.ingest import label  # a file's location as its document's source

    names = [label(p) for p in files]
    before = time.time_ns() - RACY_NS
    # a .jsonl (or .jsonl.gz) file is never stamped; the test on the name is a plain string's
    # (pathlib's suffixes cost more than the stat itself, for every file of a large folder)
    stamps = {name: s for p, name in zip(files, names)
              if ".jsonl." not in p.name.lower() + "." and (s := stamp_of(p, before)) is not None}
    return names, stamps


def split_unchanged(session: Session, files: Iterable[Path]) -> tuple[list[Path], dict[str, Stamp], int]:
    """(files to read, their stamps taken now, how many are unchanged and skipped)."""
    from sqlalchemy import select

    from govcase import models as m

    files = list(files)
    names, stamps = taken(files)
    known: dict[str, Stamp] = {}
    locations = list(stamps)
    for i in range(0, len(locations), CHUNK):
        known.update((loc, (size, mtime)) for loc, size, mtime in session.execute(
            select(m.FileStamp.location, m.FileStamp.size, m.FileStamp.mtime_ns)
            .where(m.FileStamp.location.in_(locations[i:i + CHUNK]))))
    fresh = [(p, name) for p, name in zip(files, names) if known.get(name) is None or known[name] != stamps.get(name)]
    return [p for p, _ in fresh], {name: stamps[name] for _, name in fresh if name in stamps}, len(files) - len(fresh)


def record(session: Session, rows: Iterable[tuple[str, Stamp, int]]) -> None:
    """Stamp files (location, stamp, source id), replacing older stamps of those locations."""
    rows = [{"location": loc, "size": size, "mtime_ns": mtime, "source_id": source_id}
            for loc, (size, mtime), source_id in rows]
    if not rows:
        return
    from govcase import models as m

    if session.get_bind().dialect.name == "postgresql":
        from sqlalchemy.dialects.postgresql import insert
    else:
        from sqlalchemy.dialects.sqlite import insert
    stmt = insert(m.FileStamp)
    session.execute(stmt.on_conflict_do_update(
        index_elements=["location"],
        set_={"size": stmt.excluded.size, "mtime_ns": stmt.excluded.mtime_ns, "source_id": stmt.excluded.source_id}),
        rows)

