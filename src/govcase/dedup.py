"""Near-duplicates: MinHash signatures of clean bodies, and clusters kept in the database.

The same story reposted with small edits, or another site's furniture around
it, cleans to almost the same body. Each body gets a MinHash signature
(datasketch's, computed with numpy) over its character shingles; the signature is cut into bands and
each band hashed to a bucket stored in ``minhash_bands`` (locality-sensitive
hashing in the database), so finding candidates is an indexed lookup that
works across runs, processes and both backends. A candidate whose estimated
Jaccard similarity reaches ``THRESHOLD`` is the same story (govcase.clusters settles the
clusters by a rule on content), provided neither names a figure or place the other lacks: a report from the same
template with other numbers (this month's 新增停车位 against last month's) or
about another community is another story, however alike the words.
"""
from __future__ import annotations

import hashlib
import re
import zlib
from dataclasses import dataclass
from functools import cached_property, lru_cache
from typing import Sequence


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
# (0.78 at 0.8) and drops most chance collisions. Every such candidate is compared (no
# limit to the most alike): a limit would make an article's candidates depend on which
# others happened to be stored, and the clusters on the order of arrival.
MIN_SHARED_BANDS = 2

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
    hashed = _shingle_hashes(_NOT_TEXT.sub("", body))
    if hashed is None:  # a character beyond U+FFFF (or a lone surrogate): a shingle at a time
        grams = shingles(body)
        if len(grams) < MIN_SHINGLES:
            return None
        import numpy as np

        hashed = len(grams), np.fromiter(map(zlib.crc32, map(str.encode, grams)), dtype=np.uint32, count=len(grams))
    count, hashes = hashed
    if count < MIN_SHINGLES:
        return None
    anchors = " ".join(sorted(set(_ANCHOR.findall(body)) | set(_ANCHOR.findall(title or ""))))
    return Signature(_minhash(hashes).astype("<u4").tobytes(), count, anchors)


# datasketch's MinHash (2.x, scheme "affine32", hashfunc zlib.crc32) computed with numpy:
# the same values, without a Python call per shingle. Each shingle's CRC-32 (of its UTF-8
# bytes, as zlib.crc32 gives it: three times faster than datasketch's default SHA-1) is
# pre-mixed with the MurmurHash3 32-bit finalizer, then permuted by h -> a*h + b mod 2^32 for
# NUM_PERM random (a, b); the signature is the minimum of each permutation.
# tests/test_dedup_signature.py checks the values against datasketch itself.
_FMIX32 = (16, 0x85EBCA6B, 13, 0xC2B2AE35, 16)
_BLOCK = 4096  # shingles permuted at a time: a (NUM_PERM, _BLOCK) uint32 array is 2 MB
# The CRC-32s of every shingle of a body at once, in numpy. CRC-32 is affine over GF(2): for
# bytes m of length n, crc32(m) = lin(m) ^ crc32(n zero bytes), lin is linear, and a zero byte
# before m leaves lin(m) as it is. So a shingle's CRC is the XOR of what each of its characters
# adds where it stands, lin(its UTF-8 bytes followed by the k bytes of the characters after
# it), and that of n zeros: one table look-up per character (_crc_tables: k up to 12, for five
# characters of at most three bytes, every character below U+10000; 13 x 65,536 values, 3.4 MB).
# Building the shingles' strings and a zlib call for each was 0.33 of the 0.41 ms a c1000
# article's signature took; this is ~0.1 ms (hashes, then the distinct ones counted).
_BMP = 0x10000
_AFTER = (SHINGLE - 1) * 3 + 1  # bytes after a character in a shingle: 0 to 12


def _lin(data: bytes) -> int:
    return zlib.crc32(data) ^ zlib.crc32(bytes(len(data)))


@lru_cache(maxsize=1)
def _crc_tables():
    """(table, zeros): table[k * 65536 + c] = lin(UTF-8 of c + k zero bytes) for c < U+10000 (the
    surrogates' slots unused), zeros[n] = crc32 of n zero bytes."""
    import numpy as np

    # lin of one byte b followed by d zero bytes, d up to the 2 bytes after it in its character + _AFTER
    byte = np.array([[_lin(bytes([b]) + bytes(d)) for b in range(256)] for d in range(_AFTER + 2)], dtype=np.uint32)
    c = np.arange(_BMP, dtype=np.uint32)
    width = _utf8_widths()
    utf8 = [np.where(width == 1, c, np.where(width == 2, 0xC0 | c >> 6, 0xE0 | c >> 12)),  # lead byte
            np.where(width == 2, 0x80 | (c & 0x3F), 0x80 | (c >> 6 & 0x3F)),  # 2nd (of 2 or 3)
            0x80 | (c & 0x3F)]  # 3rd (of 3)
    table = np.empty((_AFTER, _BMP), dtype=np.uint32)
    for k in range(_AFTER):
        table[k] = byte[k + width - 1, utf8[0]]  # the lead byte has width - 1 bytes of its own after it
        table[k] ^= np.where(width >= 2, byte[k + width - 2, utf8[1]], 0)
        table[k] ^= np.where(width == 3, byte[k, utf8[2]], 0)
    zeros = np.array([zlib.crc32(bytes(n)) for n in range(3 * SHINGLE + 1)], dtype=np.uint32)
    return table.reshape(-1), zeros


@lru_cache(maxsize=1)
def _utf8_widths():
    import numpy as np

    c = np.arange(_BMP)
    return np.where(c < 0x80, 1, np.where(c < 0x800, 2, 3))


def _shingle_hashes(text: str):
    """(how many distinct shingles ``text`` has, the CRC-32 of each of its shingles, repeats
    included: the minima do not mind them), or None for a text with a character beyond
    U+FFFF or a lone surrogate, which the tables do not cover."""
    import numpy as np

    n = len(text) - SHINGLE + 1
    if n <= 0:
        return 0, np.zeros(0, dtype=np.uint32)
    try:
        chars = np.frombuffer(text.encode("utf-32-le"), dtype=np.uint32)
    except UnicodeEncodeError:
        return None
    if chars.max() >= _BMP:
        return None
    table, zeros = _crc_tables()
    ends = np.cumsum(_utf8_widths()[chars])  # UTF-8 bytes up to the end of each character
    last = ends[SHINGLE - 1:]  # ... of each shingle
    hashes = zeros[last - np.concatenate(([0], ends[:n - 1]))]
    for j in range(SHINGLE):
        hashes ^= table[(last - ends[j:j + n]) * _BMP + chars[j:j + n]]
    return _distinct(text, hashes), hashes


def _distinct(text: str, hashes) -> int:
    """How many distinct shingles there are: the distinct hashes, and where shingles share a
    hash (a repeated phrase, or rarely two shingles whose CRCs collide), the distinct strings."""
    import numpy as np

    order = np.argsort(hashes)
    ordered = hashes[order]
    repeated = ordered[1:] == ordered[:-1]  # a shingle's hash is the one before it, in hash order
    repeats = int(np.count_nonzero(repeated))
    if not repeats:
        return len(hashes)
    shared: dict[int, set[str]] = {}
    held = np.zeros(len(hashes), dtype=bool)
    held[1:] = repeated
    held[:-1] |= repeated
    for at, value in zip(order[held].tolist(), ordered[held].tolist()):
        shared.setdefault(value, set()).add(text[at:at + SHINGLE])
    return len(hashes) - repeats - len(shared) + sum(map(len, shared.values()))


@lru_cache(maxsize=1)
def _permutations():
    """datasketch's affine32 permutations for NUM_PERM and SEED: odd a, any b (MinHash._init_permutations)."""
    import numpy as np

    gen = np.random.RandomState(SEED)
    a = gen.randint(0, 1 << 31, NUM_PERM, dtype=np.uint32) * np.uint32(2) + np.uint32(1)
    b = gen.randint(0, 1 << 32, NUM_PERM, dtype=np.uint32)
    return a, b


def _minhash(hv):
    """The NUM_PERM minimum permuted hashes of the shingles' CRC-32s (a uint32 array), as a uint32 array."""
    import numpy as np

    s1, m1, s2, m2, s3 = (np.uint32(c) for c in _FMIX32)
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
    return same_anchors_text(a.anchors, b.anchors)


def same_anchors_text(a: str, b: str) -> bool:
    """``same_anchors`` on two signatures' stored anchors."""
    x, y = set(a.split()), set(b.split())
    return x <= y or y <= x


def same_story(a: Signature, b: Signature) -> float | None:
    """The estimated similarity when the two bodies are one story, else None."""
    score = similarity(a, b)
    return score if score >= THRESHOLD and same_anchors(a, b) else None


def store_signatures(session: Session, items: Sequence[tuple[int, Signature | None]]) -> None:
    """Replace these articles' signatures and LSH bands (none for a body too short to compare)."""
    from sqlalchemy import delete  # here: the workers that compute signatures do without SQLAlchemy

    from govcase import models as m
    from govcase.db import bulk_insert

    conn = session.connection()
    ids = [article_id for article_id, _ in items]
    conn.execute(delete(m.MinhashBand).where(m.MinhashBand.article_id.in_(ids)))
    conn.execute(delete(m.ArticleSignature).where(m.ArticleSignature.article_id.in_(ids)))
    signed = [(article_id, sig) for article_id, sig in items if sig is not None]
    bulk_insert(conn, m.ArticleSignature, [(a, sig.minhash, sig.shingles, sig.anchors) for a, sig in signed],
                ("article_id", "minhash", "shingles", "anchors"))
    bulk_insert(conn, m.MinhashBand, [(a, band, bucket) for a, sig in signed for band, bucket in enumerate(sig.bands)],
                ("article_id", "band", "bucket"))


def rows_in(conn, sql: str, params: list, values: list) -> list[tuple]:
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
