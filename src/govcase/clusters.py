"""Near-duplicate clusters settled by a rule on content, whatever the order of arrival.

Two articles are the same story when they share at least MIN_SHARED_BANDS of their LSH
buckets and ``dedup.same_story`` holds. An article's parent is the earliest of the same
stories that sort before it by ``story_key`` (the earliest published, then the smallest
sha256 of the source bytes); following parents up ends at the cluster's canonical article,
stored as ``duplicate_of_id``. Both are functions of the set of stored articles alone, so any
number of writers, in any order and any batches, end with the same clusters.

A writer queues the articles whose signature it wrote (``cluster_queue``) inside the
transaction that writes them; ``settle`` then brings the parents and canonical articles of
the queued articles, of those they are the same story as, and of their clusters up to date.
It is the one serialised step of the write path (an advisory lock on PostgreSQL, SQLite's
write lock there): it reads only signatures, and a writer that finds it busy leaves its
queue to the holder's next pass or its own.
"""
from __future__ import annotations

from collections import Counter, defaultdict
from operator import eq
from typing import Iterable, NamedTuple

from sqlalchemy.orm import Session

from govcase import models as m
from govcase.db import update_rows
from govcase.dedup import MIN_SHARED_BANDS, NUM_PERM, THRESHOLD, rows_in as _rows_in

_CLUSTER_LOCK = 7_310_104_019  # any constant: the same for every govcase process
_PASS = 1024  # queued articles settled per transaction
# candidate pairs a process compares in plain Python (~6 us a pair, ~0.12 s in all) before it
# imports numpy (~0.12 s) and compares the rest in it (~0.35 us a pair)
_FEW_PAIRS = 20_000
_compared_in_python = 0  # candidate pairs this process has compared in plain Python


def story_key(published: str | None, sha256: str) -> tuple:
    """The order in which a cluster's articles count as told: dated before undated (a
    month-day date without its year counts as undated), the earliest date, then the
    smallest sha256, so the rule never depends on ids or arrival."""
    dated = bool(published) and not published.startswith("-")
    return (not dated, published if dated else "", sha256)


class _Article(NamedTuple):
    key: tuple
    parent: int | None
    similarity: float | None
    root: int | None


def queue(session: Session, article_ids: Iterable[int]) -> None:
    """Mark articles whose signature changed (or is new) for the next ``settle``."""
    conn = session.connection()
    ids = sorted(set(article_ids))
    if not ids:
        return
    if conn.dialect.name == "postgresql":
        conn.exec_driver_sql("INSERT INTO cluster_queue (article_id) SELECT unnest(%s::integer[]) "
                             "ON CONFLICT DO NOTHING", (ids,))
    else:
        conn.connection.driver_connection.executemany(
            "INSERT OR IGNORE INTO cluster_queue (article_id) VALUES (?)", [(i,) for i in ids])


def settle(session: Session, wait: bool = True) -> dict[int, int | None] | None:
    """Settle the queued articles' clusters (all of them when ``wait``, else one pass);
    returns each settled article's canonical article (None: it is canonical), or None when
    another process holds the step and ``wait`` is false."""
    conn = session.connection()
    if conn.dialect.name == "postgresql":
        if not wait:
            if not conn.exec_driver_sql(f"SELECT pg_try_advisory_xact_lock({_CLUSTER_LOCK})").scalar():
                return None
        else:
            conn.exec_driver_sql(f"SELECT pg_advisory_xact_lock({_CLUSTER_LOCK})")
    roots: dict[int, int | None] = {}
    while queued := list(conn.exec_driver_sql(
            f"SELECT article_id FROM cluster_queue ORDER BY article_id LIMIT {_PASS}").scalars()):
        roots.update(_settle_pass(conn, queued))
        _dequeue(conn, queued)
        if not wait:
            break
    return roots


def _dequeue(conn, ids: list[int]) -> None:
    if conn.dialect.name == "postgresql":
        conn.exec_driver_sql("DELETE FROM cluster_queue WHERE article_id = ANY(%s)", (ids,))
    else:
        conn.connection.driver_connection.executemany("DELETE FROM cluster_queue WHERE article_id = ?",
                                                      [(i,) for i in ids])


_SIGNED = ("SELECT g.article_id, g.minhash, g.anchors FROM article_signatures g WHERE g.article_id {}")
_STATE = ("SELECT a.id, a.published, s.sha256, a.duplicate_parent_id, a.duplicate_similarity, a.duplicate_of_id "
          "FROM articles a JOIN sources s ON s.id = a.source_id WHERE a.id {}")
_BANDS = "SELECT article_id, band, bucket FROM minhash_bands WHERE article_id {}"
_HOLDERS = "SELECT bucket, article_id FROM minhash_bands WHERE band = ? AND bucket {}"
_CHILDREN = "SELECT id FROM articles WHERE duplicate_parent_id {}"
_MEMBERS = "SELECT id FROM articles WHERE duplicate_of_id {}"


def _settle_pass(conn, queued: list[int]) -> dict[int, int | None]:
    # the queued articles' parents, and those of articles whose parent was queued (it may no
    # longer be the same story, or no longer come first), are found anew from their neighbours
    redo = set(queued) | {row[0] for row in _rows_in(conn, _CHILDREN, [], queued)}
    edges = _neighbours(conn, sorted(redo))
    state = _State(conn)
    state.load(redo | {y for found in edges.values() for y, _ in found})
    changed: dict[int, tuple[int | None, float | None]] = {}
    for x in sorted(redo):
        earlier = [(state[y].key, y, score) for y, score in edges.get(x, ()) if state[y].key < state[x].key]
        _, parent, score = min(earlier, default=(None, None, None))
        changed[x] = (parent, score)
    # the others that are the same story as a queued article take it as parent if it comes first
    for x in queued:
        for y, score in edges.get(x, ()):
            if y in redo or state[x].key > state[y].key:
                continue
            parent, _ = changed.get(y, (state[y].parent, state[y].similarity))
            if parent is None or state[x].key < state.key_of(parent):
                changed[y] = (x, score)
    changed = {a: v for a, v in changed.items() if v != (state[a].parent, state[a].similarity)}
    _write_roots(conn, state, changed)
    return {x: state.root_after.get(x, state[x].root) for x in queued if x in state}


class _State:
    """Stored keys, parents and canonical articles, read as needed."""

    def __init__(self, conn):
        self.conn = conn
        self.rows: dict[int, _Article] = {}
        self.root_after: dict[int, int | None] = {}

    def load(self, ids: Iterable[int]) -> None:
        missing = sorted(set(ids) - set(self.rows))
        for a, published, sha, parent, similarity, root in _rows_in(self.conn, _STATE, [], missing):
            self.rows[a] = _Article(story_key(published, sha), parent, similarity, root)

    def __getitem__(self, a: int) -> _Article:
        return self.rows[a]

    def __contains__(self, a: int) -> bool:
        return a in self.rows

    def key_of(self, a: int) -> tuple:
        self.load([a])
        return self.rows[a].key


def _write_roots(conn, state: _State, changed: dict[int, tuple[int | None, float | None]]) -> None:
    """Store the changed parents, and the canonical article of every article of the clusters
    they touch (each article of an old cluster may hang below a changed one)."""
    if not changed:
        return
    state.load(changed)
    old_roots = {state[a].root or a for a in changed}
    members = set(old_roots) | set(changed) | {row[0] for row in _rows_in(conn, _MEMBERS, [], sorted(old_roots))}
    state.load(members)
    parent = {a: changed[a][0] if a in changed else state[a].parent for a in members}

    def root_of(a: int) -> int:
        seen = set()
        while a in parent and parent[a] is not None and a not in seen:  # keys fall along parents: no cycle
            seen.add(a)
            a = parent[a]
        if a in parent:
            return a
        state.load([a])  # a cluster outside the touched ones: its stored canonical article
        return state[a].root or a

    rows = []
    for a in sorted(members):
        root = root_of(a)
        new = (parent[a], changed[a][1] if a in changed else state[a].similarity, None if root == a else root)
        state.root_after[a] = new[2]
        if new != (state[a].parent, state[a].similarity, state[a].root):
            rows.append((a, *new))
    update_rows(conn, m.Article, ("duplicate_parent_id", "duplicate_similarity", "duplicate_of_id"), rows)


def _neighbours(conn, ids: list[int]) -> dict[int, list[tuple[int, float]]]:
    """For each article, the others that are the same story, with the estimated similarity."""
    mine = defaultdict(list)
    for a, band, bucket in _rows_in(conn, _BANDS, [], ids):
        mine[a].append((band, bucket))
    buckets = defaultdict(set)
    for keys in mine.values():
        for band, bucket in keys:
            buckets[band].add(bucket)
    holders = defaultdict(list)
    for band, wanted in sorted(buckets.items()):
        for bucket, other in _rows_in(conn, _HOLDERS, [band], sorted(wanted)):
            holders[band, bucket].append(other)
    candidates = {}
    for a, keys in mine.items():
        shared = Counter(o for key in keys for o in holders.get(key, ()) if o != a)
        candidates[a] = sorted(o for o, n in shared.items() if n >= MIN_SHARED_BANDS)
    wanted = sorted(set(mine) | {o for found in candidates.values() for o in found})
    signed = _rows_in(conn, _SIGNED, [], wanted)
    row = {a: i for i, (a, _, _) in enumerate(signed)}
    similarities = _similarities(signed, sum(map(len, candidates.values())))
    texts = {a: anchors for a, _, anchors in signed}
    anchors: dict[int, frozenset[str]] = {}

    def anchors_of(a: int) -> frozenset[str]:
        if a not in anchors:
            anchors[a] = frozenset(texts[a].split())
        return anchors[a]

    out: dict[int, list[tuple[int, float]]] = {}
    for a, others in candidates.items():
        others = [o for o in others if o in row]
        if a not in row or not others:
            continue
        scores = similarities(row[a], [row[o] for o in others])
        close = [(o, score) for o, score in zip(others, scores) if score >= THRESHOLD]
        if close:
            own = anchors_of(a)
            out[a] = [(o, score) for o, score in close if own <= anchors_of(o) or anchors_of(o) <= own]
    return out


def _similarities(signed: list, pairs: int):
    """similarities(i, js): the estimated similarity of signature i to each of js (the share
    of equal values, k / NUM_PERM exactly, either way).

    The few pairs of a small ingest are compared in plain Python: importing numpy cost its
    writer 0.2-0.3 s. Once this process has compared _FEW_PAIRS that way, what an import
    costs, the rest go through one numpy matrix: a 5,000-article ingest compares ~300,000
    pairs (a template's reports are each other's candidates), ~4,000 a batch, and in plain
    Python they were 1.7 s of the writer's CPU, the largest part of settling."""
    global _compared_in_python
    if _compared_in_python + pairs <= _FEW_PAIRS:
        _compared_in_python += pairs
        lanes = [memoryview(minhash).cast("I") for _, minhash, _ in signed]  # equal lanes: equal bytes
        return lambda i, js: [sum(map(eq, lanes[i], lanes[j])) / NUM_PERM for j in js]
    import numpy as np

    matrix = np.frombuffer(b"".join(minhash for _, minhash, _ in signed), dtype="<u4").reshape(len(signed), NUM_PERM)
    return lambda i, js: (matrix[js] == matrix[i]).mean(axis=1).tolist()


def store_and_queue(session: Session, items) -> None:
    """Store these articles' signatures and queue them for ``settle``."""
    from govcase.dedup import store_signatures

    store_signatures(session, items)
    queue(session, [a for a, _ in items])

