"""Near-duplicates: MinHash signatures of clean bodies, and clusters kept in the database.

The same story reposted with small edits, or another site's furniture around
it, cleans to almost the same body. Each body gets a MinHash signature
(datasketch's, computed with numpy) over its character shingles; the signature is cut into bands and
each band hashed to a bucket stored in ``minhash_bands`` (locality-sensitive
hashing in the database), so finding candidates is an indexed lookup that
works across runs, processes and both backends. A candidate whose estimated
Jaccard similarity reaches ``THRESHOLD`` is the same story: the article joins
the cluster of the oldest such article, whose id becomes its ``duplicate_of_id``,
provided neither names a figure or place the other lacks: a report from the same
template with other numbers (this month's 新增停车位 against last month's) or
about another community is another story, however alike the words.
"""
from __future__ import annotations

import hashlib
import heapq
import re
import zlib
from bisect import bisect_left
from collections import Counter, defaultdict
from dataclasses import dataclass
from functools import cached_property, lru_cache
from typing import Sequence

from sqlalchemy import delete
from sqlalchemy.orm import Session

from govcase import models as m
from govcase.db import bulk_insert, update_rows

# 128 permutations in 16 bands of 8 rows: two bodies share a band with probability
# 1-(1-s^8)^16, i.e. 0.98 at s=0.8 and 0.12 at s=0.5 (the LSH S-curve), and the
# estimate of s itself has a standard error under 0.04.
NUM_PERM = 128
BANDS = 16
ROWS = NUM_PERM // BANDS
SEED = 1
SHINGLE = 5  # characters; Chinese words are 1-4 characters, so a 5-gram spans word boundaries
# Estimated Jaccard similarity at or above which two bodies are one story. A repost
# with a sentence added or a paragraph cut stays above 0.8; stories recombined from
# the same paragraphs with other places and figures fall below it.
THRESHOLD = 0.8
MIN_SHINGLES = 30  # shorter bodies carry too little text to call anything a duplicate
# A candidate must share 2 of the 16 bands: at similarity 0.9 that keeps 99.8 % of pairs
# (0.78 at 0.8) and drops most chance collisions. At most the 64 candidates sharing the
# most bands are compared, so cost stays flat when one template is reused many times.
MIN_SHARED_BANDS = 2
MAX_CANDIDATES = 64

_NOT_TEXT = re.compile(r"[\W_]+")
# Anchors: Arabic figures, and runs of 2-6 Han characters ending in a place suffix. Their exact
# extent does not matter, only that the same text yields the same anchors.
_ANCHOR = re.compile(r"\d+(?:\.\d+)?|[\u4e00-\u9fff]{2,6}?(?:街道|社区|居民区|小区|片区|新村|[区镇乡村])")


@dataclass(frozen=True)
class Signature:
    minhash: bytes  # NUM_PERM little-endian uint32
    shingles: int
    anchors: str = ""  # the body's distinct figures and place names, sorted, space-separated

    def values(self):
        import numpy as np

        return np.frombuffer(self.minhash, dtype="<u4")

    @cached_property  # the writer needs them twice: to store them, then to find candidates
    def bands(self) -> tuple[int, ...]:
        """One signed 63-bit bucket per band (fits BIGINT on every backend)."""
        size = ROWS * 4
        return tuple(int.from_bytes(hashlib.blake2b(self.minhash[at:at + size], digest_size=8,
                                                    person=b"govcase-lsh").digest(), "little") >> 1
                     for at in range(0, BANDS * size, size))


def shingles(body: str) -> set[str]:
    """Character shingles of the body's letters and digits (punctuation and spaces dropped)."""
    text = _NOT_TEXT.sub("", body)
    return {text[i:i + SHINGLE] for i in range(max(0, len(text) - SHINGLE + 1))}


def signature(body: str, title: str | None = None) -> Signature | None:
    """The body's MinHash signature, or None when it is too short to compare.

    The title adds anchors only: the place and the issue number a headline names
    (某某街道：微更新第238期) tell apart reports whose bodies a template made alike.
    """
    grams = shingles(body)
    if len(grams) < MIN_SHINGLES:
        return None
    anchors = " ".join(sorted(set(_ANCHOR.findall(body)) | set(_ANCHOR.findall(title or ""))))
    return Signature(_minhash(grams).astype("<u4").tobytes(), len(grams), anchors)


# datasketch's MinHash (2.x, scheme "affine32", hashfunc zlib.crc32) computed with numpy:
# the same values, without a Python call per shingle. Each shingle's CRC-32 (of its UTF-8
# bytes; zlib, in C: three times faster than datasketch's default SHA-1) is pre-mixed with
# the MurmurHash3 32-bit finalizer, then permuted by h -> a*h + b mod 2^32 for NUM_PERM
# random (a, b); the signature is the minimum of each permutation.
# tests/test_dedup_signature.py checks the values against datasketch itself.
_FMIX32 = (16, 0x85EBCA6B, 13, 0xC2B2AE35, 16)
_BLOCK = 4096  # shingles permuted at a time: a (NUM_PERM, _BLOCK) uint32 array is 2 MB


@lru_cache(maxsize=1)
def _permutations():
    """datasketch's affine32 permutations for NUM_PERM and SEED: odd a, any b (MinHash._init_permutations)."""
    import numpy as np

    gen = np.random.RandomState(SEED)
    a = gen.randint(0, 1 << 31, NUM_PERM, dtype=np.uint32) * np.uint32(2) + np.uint32(1)
    b = gen.randint(0, 1 << 32, NUM_PERM, dtype=np.uint32)
    return a, b


def _minhash(grams: set[str]):
    """The NUM_PERM minimum permuted hashes of the shingles, as a uint32 array."""
    import numpy as np

    s1, m1, s2, m2, s3 = (np.uint32(c) for c in _FMIX32)
    hv = np.fromiter(map(zlib.crc32, map(str.encode, grams)), dtype=np.uint32, count=len(grams))
    hv = hv ^ (hv >> s1)
    hv = hv * m1
    hv = hv ^ (hv >> s2)
    hv = hv * m2
    hv = hv ^ (hv >> s3)
    a, b = _permutations()
    a, b = a[:, None], b[:, None]  # one row per permutation: the row minimum is contiguous, and faster
    lowest = np.full(NUM_PERM, np.iinfo(np.uint32).max, dtype=np.uint32)
    for i in range(0, len(hv), _BLOCK):
        permuted = a * hv[i:i + _BLOCK]
        permuted += b  # in place: no second (NUM_PERM, _BLOCK) array
        np.minimum(lowest, permuted.min(axis=1), out=lowest)
    return lowest


def similarity(a: Signature, b: Signature) -> float:
    """Estimated Jaccard similarity of the two bodies' shingle sets."""
    return float((a.values() == b.values()).mean())


def same_anchors(a: Signature, b: Signature) -> bool:
    """Whether the two bodies report the same figures about the same places.

    A repost may add or cut sentences, so one body's anchors may include the other's;
    but when each has a figure or place the other lacks (112 against 229, 三井社区
    against 潍坊一村), the same words tell two stories.
    """
    x, y = set(a.anchors.split()), set(b.anchors.split())
    return x <= y or y <= x


def same_story(a: Signature, b: Signature) -> float | None:
    """The estimated similarity when the two bodies are one story, else None."""
    score = similarity(a, b)
    return score if score >= THRESHOLD and same_anchors(a, b) else None


def store_signatures(session: Session, items: Sequence[tuple[int, Signature | None]]) -> None:
    """Replace these articles' signatures and LSH bands (none for a body too short to compare)."""
    conn = session.connection()
    ids = [article_id for article_id, _ in items]
    conn.execute(delete(m.MinhashBand).where(m.MinhashBand.article_id.in_(ids)))
    conn.execute(delete(m.ArticleSignature).where(m.ArticleSignature.article_id.in_(ids)))
    signed = [(article_id, sig) for article_id, sig in items if sig is not None]
    bulk_insert(conn, m.ArticleSignature, [(a, sig.minhash, sig.shingles, sig.anchors) for a, sig in signed],
                ("article_id", "minhash", "shingles", "anchors"))
    bulk_insert(conn, m.MinhashBand, [(a, band, bucket) for a, sig in signed for band, bucket in enumerate(sig.bands)],
                ("article_id", "band", "bucket"))


def assign_clusters(session: Session, items: Sequence[tuple[int, Signature | None]]) -> dict[int, int | None]:
    """Set each article's ``duplicate_of_id`` to the canonical article of its cluster.

    The canonical article is the oldest (lowest id) of the clusters of every older
    article that is the same story (``same_story``); an article with none is canonical
    itself. Only older articles count, so the outcome does not depend on what is
    ingested later, and a reload that re-cleans in id order rebuilds the same clusters.
    The signatures must be stored first (``store_signatures``); the articles of one call
    may be each other's candidates. Returns article id -> canonical id (None: canonical).
    """
    conn = session.connection()
    items = sorted(items, key=lambda item: item[0])
    keys = {article_id: list(enumerate(sig.bands)) for article_id, sig in items if sig is not None}
    holders = _holders(conn, {key for mine in keys.values() for key in mine}, max(keys, default=0))
    candidates = {article_id: _most_shared(holders, article_id, mine) for article_id, mine in keys.items()}
    stored = _Stored(_by_id(conn, _SIGNATURES, {o for others in candidates.values() for o in others}))
    matches = {article_id: _same_stories(sig, candidates[article_id], stored) for article_id, sig in items
               if sig is not None}
    # the clusters of older batches' articles; this batch's are settled below, oldest first
    batch = {article_id for article_id, _ in items}
    canonical = _by_id(conn, _CANONICAL, {o for found in matches.values() for o, _ in found} - batch)
    roots: dict[int, int | None] = {}
    updates = []
    for article_id, sig in items:
        best: tuple[int, float] | None = None
        for other, score in matches.get(article_id, ()):
            root = (roots[other] if other in batch else canonical[other][0]) or other
            if best is None or root < best[0]:
                best = (root, score)
        roots[article_id] = best[0] if best else None
        updates.append((article_id, roots[article_id], best[1] if best else None))
    update_rows(conn, m.Article, ("duplicate_of_id", "duplicate_similarity"), updates)
    return roots


# One query per band for the whole batch, not one GROUP BY per article: the articles of a batch
# share many buckets (a template's paragraphs), so the batch reads each band row once. Ingesting
# a 5000-article generated corpus, per-article queries visited 1.43 million band rows in 1.6 s,
# per-batch ones 565 000 in 0.5 s, then counted in Python in 0.3 s. All run through
# the driver: SQLAlchemy's per-row work cost more than the queries. Each query ends in the list
# condition that _rows_in writes for the backend.
_HOLDERS = "SELECT bucket, article_id FROM minhash_bands WHERE band = ? AND article_id < ? AND bucket {}"
_SIGNATURES = "SELECT article_id, minhash, anchors FROM article_signatures WHERE article_id {}"
_CANONICAL = "SELECT id, duplicate_of_id FROM articles WHERE id {}"


def _holders(conn, keys: set[tuple[int, int]], below: int) -> dict[tuple[int, int], list[int]]:
    """The articles older than ``below`` holding each (band, bucket), in id order."""
    buckets = defaultdict(list)
    for band, bucket in keys:
        buckets[band].append(bucket)
    holders = defaultdict(list)
    for band, wanted in sorted(buckets.items()):
        for bucket, article_id in _rows_in(conn, _HOLDERS, [band, below], sorted(wanted)):
            holders[band, bucket].append(article_id)
    for ids in holders.values():
        ids.sort()
    return holders


def _most_shared(holders: dict[tuple[int, int], list[int]], article_id: int, keys: list[tuple[int, int]]) -> list[int]:
    """The older articles sharing at least MIN_SHARED_BANDS of these bands: the MAX_CANDIDATES
    sharing the most, the oldest first among equals (the older articles sharing the most bands
    are the most similar; a template reused by hundreds of reports must not make every new one
    compare with all of them)."""
    shared: Counter[int] = Counter()
    for key in keys:
        ids = holders.get(key)
        if ids:
            shared.update(ids[:bisect_left(ids, article_id)])
    ranked = heapq.nsmallest(MAX_CANDIDATES, ((-n, other) for other, n in shared.items() if n >= MIN_SHARED_BANDS))
    return [other for _, other in ranked]


class _Stored:
    """The stored signatures of a batch's candidates, read once and parsed once per batch: the
    articles of a batch share most of their candidates (a template's other reports), and
    splitting the same anchors for each of them cost more than the comparisons."""

    def __init__(self, rows: dict[int, tuple[bytes, str]]):
        import numpy as np

        self.row = {article_id: i for i, article_id in enumerate(rows)}
        self.minhashes = np.frombuffer(b"".join(minhash for minhash, _ in rows.values()),
                                       dtype="<u4").reshape(len(rows), NUM_PERM)
        self._texts = {article_id: anchors for article_id, (_, anchors) in rows.items()}
        self._anchors: dict[int, frozenset[str]] = {}

    def __contains__(self, article_id: int) -> bool:
        return article_id in self.row

    def anchors(self, article_id: int) -> frozenset[str]:
        found = self._anchors.get(article_id)
        if found is None:
            found = self._anchors[article_id] = frozenset(self._texts[article_id].split())
        return found


def _same_stories(sig: Signature, candidates: list[int], stored: _Stored) -> list[tuple[int, float]]:
    """(candidate, estimated similarity) of the stored candidates that are the same story, in id order."""
    others = sorted(o for o in candidates if o in stored)
    if not others:
        return []
    matrix = stored.minhashes[[stored.row[o] for o in others]]
    scores = (matrix == sig.values()).mean(axis=1).tolist()
    # MinHash first: in a corpus made from templates most candidates reach THRESHOLD and have
    # other figures, but splitting anchors costs more than comparing signatures
    close = [(other, score) for other, score in zip(others, scores) if score >= THRESHOLD]
    if not close:
        return []
    mine = frozenset(sig.anchors.split())
    return [(other, score) for other, score in close
            if mine <= (theirs := stored.anchors(other)) or theirs <= mine]


def _by_id(conn, sql: str, ids: set[int]) -> dict[int, tuple]:
    """Article id -> the rest of its row, for a query selecting the id first."""
    return {row[0]: row[1:] for row in _rows_in(conn, sql, [], sorted(ids))}


def _rows_in(conn, sql: str, params: list, values: list) -> list[tuple]:
    """The rows of ``sql``, written with ``?`` placeholders and ending in ``{}``, where that
    last column is one of ``values``; fetched straight from the driver.

    PostgreSQL takes the values as one array, so the text stays the same and psycopg
    prepares the statement once (an IN list of placeholders took twice the time there);
    SQLite has no arrays: an IN list, 500 values at a time.
    """
    if not values:
        return []
    cursor = conn.connection.driver_connection.cursor()
    try:
        if conn.dialect.name == "postgresql":
            cursor.execute(sql.replace("?", "%s").format("= ANY(%s)"), [*params, values])
            return cursor.fetchall()
        rows = []
        for chunk in _chunks(values, 500):
            cursor.execute(sql.format(f"IN ({', '.join('?' * len(chunk))})"), [*params, *chunk])
            rows += cursor.fetchall()
        return rows
    finally:
        cursor.close()


def _chunks(items: list, size: int) -> list[list]:
    return [items[i:i + size] for i in range(0, len(items), size)]
