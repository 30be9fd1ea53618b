"""Near-duplicates: MinHash signatures of clean bodies, and clusters kept in the database.

The same story reposted with small edits, or another site's furniture around
it, cleans to almost the same body. Each body gets a MinHash signature
(datasketch) over its character shingles; the signature is cut into bands and
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
import re
from dataclasses import dataclass

from sqlalchemy import delete, insert, select, tuple_, update
from sqlalchemy.orm import Session

from govcase import models as m

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

    def bands(self) -> list[int]:
        """One signed 63-bit bucket per band (fits BIGINT on every backend)."""
        out = []
        for band in range(BANDS):
            chunk = self.minhash[band * ROWS * 4:(band + 1) * ROWS * 4]
            digest = hashlib.blake2b(chunk, digest_size=8, person=b"govcase-lsh").digest()
            out.append(int.from_bytes(digest, "little") >> 1)
        return out


def shingles(body: str) -> set[str]:
    """Character shingles of the body's letters and digits (punctuation and spaces dropped)."""
    text = _NOT_TEXT.sub("", body)
    return {text[i:i + SHINGLE] for i in range(max(0, len(text) - SHINGLE + 1))}


def signature(body: str) -> Signature | None:
    """The body's MinHash signature, or None when it is too short to compare."""
    grams = shingles(body)
    if len(grams) < MIN_SHINGLES:
        return None
    from datasketch import MinHash  # imported here: it pulls in numpy and scipy (0.7 s)

    sketch = MinHash(num_perm=NUM_PERM, seed=SEED)
    sketch.update_batch([g.encode("utf-8") for g in sorted(grams)])
    anchors = " ".join(sorted(set(_ANCHOR.findall(body))))
    return Signature(sketch.hashvalues.astype("<u4").tobytes(), len(grams), anchors)


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


def store_signature(session: Session, article_id: int, sig: Signature | None) -> None:
    """Replace the article's signature and LSH bands (none for a body too short to compare)."""
    session.execute(delete(m.MinhashBand).where(m.MinhashBand.article_id == article_id))
    session.execute(delete(m.ArticleSignature).where(m.ArticleSignature.article_id == article_id))
    if sig is None:
        return
    session.execute(insert(m.ArticleSignature), [
        {"article_id": article_id, "minhash": sig.minhash, "shingles": sig.shingles, "anchors": sig.anchors}])
    session.execute(insert(m.MinhashBand), [
        {"article_id": article_id, "band": band, "bucket": bucket} for band, bucket in enumerate(sig.bands())])


def assign_cluster(session: Session, article_id: int, sig: Signature | None) -> tuple[int | None, float | None]:
    """Set the article's ``duplicate_of_id`` to the canonical article of its cluster.

    The canonical article is the oldest (lowest id) of the clusters of every older
    article that is the same story (``same_story``); an article with none is canonical itself.
    Only older articles are considered, so the outcome does not depend on what is
    ingested later, and a reload that re-cleans in id order rebuilds the same clusters.
    """
    best: tuple[int, float] | None = None
    if sig is not None:
        keys = list(enumerate(sig.bands()))
        candidates = session.execute(
            select(m.ArticleSignature.article_id, m.ArticleSignature.minhash, m.ArticleSignature.shingles,
                   m.ArticleSignature.anchors, m.Article.duplicate_of_id)
            .join(m.Article, m.Article.id == m.ArticleSignature.article_id)
            .where(m.ArticleSignature.article_id.in_(
                select(m.MinhashBand.article_id).where(
                    tuple_(m.MinhashBand.band, m.MinhashBand.bucket).in_(keys),
                    m.MinhashBand.article_id < article_id)))).all()
        for other_id, minhash, n, anchors, canonical in candidates:
            score = same_story(sig, Signature(minhash, n, anchors))
            if score is not None:
                root = canonical or other_id
                if best is None or root < best[0]:
                    best = (root, score)
    root, score = best if best else (None, None)
    session.execute(update(m.Article).where(m.Article.id == article_id)
                    .values(duplicate_of_id=root, duplicate_similarity=score))
    return root, score
