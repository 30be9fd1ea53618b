"""Clusters assigned a batch at a time are those of the documented rule, article by article.

assign_clusters finds the candidates of a whole batch at once; the reference below asks the
database for each article's candidates on its own (the older articles sharing at least
MIN_SHARED_BANDS bands, the MAX_CANDIDATES sharing the most, the oldest first among equals)
and joins the article to the oldest cluster of those that are the same story. Synthetic
signatures from three templates make the candidate limit, its ties and the anchor test matter.
"""
from __future__ import annotations

import random
from datetime import datetime, timezone

from sqlalchemy import insert, select, text
from sqlalchemy.orm import Session

from govcase import db, models as m
from govcase.dedup import (BANDS, MAX_CANDIDATES, MIN_SHARED_BANDS, NUM_PERM, ROWS, Signature, assign_clusters,
                           same_story, store_signatures)

N = 360
BATCH = 50  # not the writer's 64: batch edges fall elsewhere
ANCHORS = ["", "12", "12 徐汇区", "12 长宁区", "12 徐汇区 长宁区", "7"]

_ONE_BY_ONE = text(
    "SELECT article_id FROM minhash_bands WHERE ("
    + " OR ".join(f"(band = {b} AND bucket = :k{b})" for b in range(BANDS))
    + ") AND article_id < :me GROUP BY article_id HAVING count(*) >= :shared"
    " ORDER BY count(*) DESC, article_id LIMIT :most")


def _signatures(seed: int = 5) -> dict[int, Signature]:
    """Each article copies most bands of one of three templates; the others come from two
    variants shared by many articles (ties in the count of shared bands) or are its own."""
    rng = random.Random(seed)
    chunk = {}

    def values(band: int, variant) -> list[int]:
        if (band, variant) not in chunk:
            chunk[band, variant] = [rng.getrandbits(32) for _ in range(ROWS)]
        return chunk[band, variant]

    sigs = {}
    for article_id in range(1, N + 1):
        template = rng.randrange(3)
        minhash = []
        for band in range(BANDS):
            roll = rng.random()
            variant = template if roll < 0.85 else ("shared", rng.randrange(2)) if roll < 0.95 else ("own", article_id)
            minhash += values(band, variant)
        assert len(minhash) == NUM_PERM
        raw = b"".join(v.to_bytes(4, "little") for v in minhash)
        sigs[article_id] = Signature(raw, 100, rng.choice(ANCHORS))
    return sigs


def _articles(engine, ids: list[int]) -> None:
    now = datetime(2024, 1, 1, tzinfo=timezone.utc)
    with Session(engine) as session, session.begin():
        session.execute(insert(m.Source), [
            {"id": i, "sha256": f"{i:064x}", "label": f"a{i}.txt", "media_type": "text", "size": 1, "raw": b"x",
             "created_at": now} for i in ids])
        session.execute(insert(m.Article), [
            {"id": i, "source_id": i, "body": "正文", "script": "simplified", "clean_version": "test",
             "cleaned_at": now} for i in ids])


def _assign(engine, sigs: dict[int, Signature], ids: list[int]) -> None:
    with Session(engine) as session, session.begin():
        batch = [(i, sigs[i]) for i in ids]
        store_signatures(session, batch)
        assign_clusters(session, batch)


def _one_by_one(engine, sigs: dict[int, Signature]) -> tuple[dict, int]:
    """The reference clusters, {id: (duplicate_of_id, duplicate_similarity)}, and the most
    candidates any article had."""
    clusters: dict[int, tuple[int | None, float | None]] = {}
    most = 0
    with engine.connect() as conn:
        for me in sorted(sigs):
            params = {"me": me, "shared": MIN_SHARED_BANDS, "most": MAX_CANDIDATES,
                      **{f"k{b}": k for b, k in enumerate(sigs[me].bands)}}
            most = max(most, len(conn.execute(_ONE_BY_ONE, {**params, "most": 10 * N}).all()))
            best = None
            for other in sorted(conn.execute(_ONE_BY_ONE, params).scalars()):
                score = same_story(sigs[me], sigs[other])
                if score is not None:
                    root = clusters[other][0] or other
                    if best is None or root < best[0]:
                        best = (root, score)
            clusters[me] = best or (None, None)
    return clusters, most


def _stored(engine) -> dict[int, tuple[int | None, float | None]]:
    with Session(engine) as session:
        return {i: (root, score) for i, root, score in session.execute(
            select(m.Article.id, m.Article.duplicate_of_id, m.Article.duplicate_similarity))}


def test_batches_cluster_as_one_article_at_a_time(db_url):
    engine = db.open_database(db_url)
    sigs = _signatures()
    ids = sorted(sigs)
    _articles(engine, ids)
    for start in range(0, N, BATCH):
        _assign(engine, sigs, ids[start:start + BATCH])
    expected, most = _one_by_one(engine, sigs)
    assert most > MAX_CANDIDATES  # the limit and its ties decide some candidates
    assert sum(root is not None for root, _ in expected.values()) > N // 4
    assert _stored(engine) == expected

    # re-cleaning a batch in the middle (a reload) sees only older articles: nothing moves
    _assign(engine, sigs, ids[2 * BATCH:3 * BATCH])
    _assign(engine, sigs, [ids[7], ids[200], ids[-1]])
    assert _stored(engine) == expected
    engine.dispose()


def test_articles_without_a_signature_are_canonical(db_url):
    engine = db.open_database(db_url)
    sigs = _signatures()
    _articles(engine, [1, 2, 3])
    with Session(engine) as session, session.begin():
        batch = [(1, sigs[1]), (2, None), (3, sigs[1])]
        store_signatures(session, batch)
        assert assign_clusters(session, batch) == {1: None, 2: None, 3: 1}
    assert _stored(engine) == {1: (None, None), 2: (None, None), 3: (1, 1.0)}
    engine.dispose()
