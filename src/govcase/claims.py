"""The work queue on PostgreSQL: any number of worker processes, on any machines, share it.

Stored sources with stages to run are rows of ``work_queue``. A worker claims a batch with
``FOR UPDATE SKIP LOCKED`` (concurrent claims never wait for each other nor take the same
rows) and stamps it with an expiry; the transaction that writes the batch's results deletes
its rows, so a source is done once. A claim names the worker's database session, held open
while it works: a worker killed outright loses its session at once (its connection
closes with it), and its batch is claimed again; the expiry stamp is the backstop for a
session the server still thinks alive (a machine cut off from the network). Work enters the queue where it appears: a new source in the
transaction that stores it, sources left pending by older runs when a run starts, and the
stale (or all) articles a reload marks.
"""
from __future__ import annotations

import os
import socket
from typing import Iterable, Sequence

from sqlalchemy import Engine

# seconds a claim lasts: longer than a batch can wait in a worker's pipeline
CLAIM_SECONDS = float(os.environ.get("GOVCASE_CLAIM_SECONDS", "600"))

# the first stage each stored source still needs, by the state of its article (0 clean,
# 1 tag, 2 load); a source rejected at clean without an article waits for a reload
_PENDING = """
SELECT s.id, CASE WHEN a.id IS NULL THEN 0 WHEN a.tag_version IS NULL THEN 1 ELSE 2 END
FROM sources s LEFT JOIN articles a ON a.source_id = s.id
WHERE (a.id IS NULL AND NOT EXISTS (SELECT 1 FROM rejects r WHERE r.source_id = s.id AND r.stage = 'clean')
       OR a.id IS NOT NULL AND (a.tag_version IS NULL OR a.load_version IS DISTINCT FROM a.tag_version))
  AND NOT EXISTS (SELECT 1 FROM work_queue q WHERE q.source_id = s.id)"""


def claimant(conn) -> str:
    """A name for the worker holding ``conn`` open, unique on the server: its session's
    process id and start time (``_LIVE`` tells whether it still runs), then the host and pid."""
    pid, start = conn.exec_driver_sql(
        "SELECT pid, (extract(epoch FROM backend_start) * 1000000)::bigint FROM pg_stat_activity "
        "WHERE pid = pg_backend_pid()").one()
    return f"{pid}:{start}:{socket.gethostname()[:24]}:{os.getpid()}"[:64]


# whether the session named by a claim still runs
_LIVE = ("claimed_until >= now() AND EXISTS (SELECT 1 FROM pg_stat_activity a "
         "WHERE a.pid = split_part(claimed_by, ':', 1)::integer "
         "AND (extract(epoch FROM a.backend_start) * 1000000)::bigint = split_part(claimed_by, ':', 2)::bigint)")


def enqueue_pending(conn, source_ids: Sequence[int] | None = None) -> None:
    """Queue the sources (all, or these) that still need a stage and are not queued.

    One statement reads and inserts, so a source another worker has just finished (its
    article written and its row deleted in one transaction) is seen finished, not queued
    again: concurrent ingests of the same files clean each file once.
    """
    sql, params = _PENDING, ()
    if source_ids is not None:
        sql, params = sql + " AND s.id = ANY(%s)", (list(source_ids),)
    conn.exec_driver_sql(f"INSERT INTO work_queue (source_id, first_stage) {sql} ON CONFLICT DO NOTHING", params)


def mark(conn, items: Iterable[tuple[int, int]]) -> int:
    """Queue (source id, first stage) pairs, as a reload does; an already queued source
    keeps the earlier of the two stages. Returns how many."""
    ids, stages = [], []
    for source_id, stage in items:
        ids.append(source_id)
        stages.append(stage)
    if ids:
        conn.exec_driver_sql(
            "INSERT INTO work_queue (source_id, first_stage) SELECT * FROM unnest(%s::integer[], %s::integer[]) "
            "ON CONFLICT (source_id) DO UPDATE SET first_stage = LEAST(work_queue.first_stage, excluded.first_stage)",
            (ids, stages))
    return len(ids)


def claim(engine: Engine, me: str, n: int, seconds: float = CLAIM_SECONDS) -> list[tuple[int, int]]:
    """Claim up to ``n`` unclaimed queued sources (or sources whose claim is dead), the lowest ids first:
    [(source id, first stage)], committed at once so other workers see the claim."""
    with engine.begin() as conn:
        return [tuple(row) for row in conn.exec_driver_sql(
            f"WITH c AS (SELECT source_id FROM work_queue WHERE claimed_by IS NULL OR NOT ({_LIVE}) "
            "ORDER BY source_id LIMIT %s FOR UPDATE SKIP LOCKED) "
            "UPDATE work_queue q SET claimed_by = %s, claimed_until = now() + make_interval(secs => %s) "
            "FROM c WHERE q.source_id = c.source_id RETURNING q.source_id, q.first_stage",
            (n, me, seconds)).all()]


def finish(conn, me: str | None, source_ids: Sequence[int]) -> None:
    """Take these sources, done by ``me``, off the queue (in the transaction that wrote them).
    A source whose claim went to another worker stays theirs. ``me`` None: a run outside the
    queue (a single stage) did them; the next run queues what they still need."""
    if source_ids:
        conn.exec_driver_sql("DELETE FROM work_queue WHERE source_id = ANY(%s) AND claimed_by IS NOT DISTINCT FROM %s",
                             (list(source_ids), me))


def outstanding(engine: Engine) -> tuple[int, int]:
    """(queued sources, of which claimed by a live claim)."""
    with engine.connect() as conn:
        total, live = conn.exec_driver_sql(
            f"SELECT count(*), count(*) FILTER (WHERE claimed_by IS NOT NULL AND {_LIVE}) FROM work_queue").one()
    return total, live
