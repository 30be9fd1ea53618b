"""Clusters settled a batch at a time, in any order, are those of the documented rule on the whole set.

govcase.clusters settles the queued articles of each batch against what is stored; the
reference below applies the rule to the finished set at once: two articles are the same
story when they share at least MIN_SHARED_BANDS bands and ``same_story`` holds; each
article's parent is the earliest such article by ``story_key``, and its canonical article
the end of the parents' chain. Synthetic signatures from three templates make long chains,
and published dates unrelated to ids make the order of arrival differ from the rule's.
"""
from __future__ import annotations

import random
from datetime import datetime, timezone

from sqlalchemy import insert, select
from sqlalchemy.orm import Session

from govcase import db, models as m
from govcase.clusters import settle, store_and_queue, story_key
from govcase.dedup import BANDS, MIN_SHARED_BANDS, NUM_PERM, ROWS, Signature, same_story

N = 360
BATCH = 50  # not the writer's 64: batch edges fall elsewhere
ANCHORS = ["", "12", "12 徐汇区", "12 长宁区", "12 徐汇区 长宁区", "7"]

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


def _published(i: int) -> str | None:
    """Dates unrelated to ids, some shared (the sha256 decides), some missing."""
    roll = (i * 7919) % 11
    return None if roll == 0 else f"2024-0{1 + roll % 3}-1{roll % 5}"


def _articles(engine, ids: list[int]) -> None:
    now = datetime(2024, 1, 1, tzinfo=timezone.utc)
    with Session(engine) as session, session.begin():
        session.execute(insert(m.Source), [
            {"id": i, "sha256": f"{(i * 2654435761) % 2**32:064x}", "label": f"a{i}.txt", "media_type": "text",
             "size": 1, "raw": b"x", "created_at": now} for i in ids])
        session.execute(insert(m.Article), [
            {"id": i, "source_id": i, "body": "正文", "script": "simplified", "clean_version": "test",
             "published": _published(i), "cleaned_at": now} for i in ids])


def _assign(engine, sigs: dict[int, Signature | None], ids: list[int]) -> dict:
    with Session(engine) as session, session.begin():
        store_and_queue(session, [(i, sigs[i]) for i in ids])
    with Session(engine) as session, session.begin():
        return settle(session)


def _reference(sigs: dict[int, Signature | None]) -> dict[int, tuple[int | None, float | None]]:
    """{id: (canonical id, similarity to the parent)} by the rule, on the whole set at once."""
    key = {i: story_key(_published(i), f"{(i * 2654435761) % 2**32:064x}") for i in sigs}
    parent: dict[int, tuple[int, float] | None] = {}
    for me, sig in sigs.items():
        found = []
        for other, theirs in sigs.items():
            if other == me or sig is None or theirs is None or key[other] > key[me]:
                continue
            shared = sum(a == b for a, b in zip(sig.bands, theirs.bands))
            score = same_story(sig, theirs)
            if shared >= MIN_SHARED_BANDS and score is not None:
                found.append((key[other], other, score))
        parent[me] = min(found)[1:] if found else None

    def root(i: int) -> int:
        while parent[i] is not None:
            i = parent[i][0]
        return i

    return {i: ((root(i), parent[i][1]) if parent[i] else (None, None)) for i in sigs}


def _stored(engine) -> dict[int, tuple[int | None, float | None]]:
    with Session(engine) as session:
        return {i: (root, score) for i, root, score in session.execute(
            select(m.Article.id, m.Article.duplicate_of_id, m.Article.duplicate_similarity))}


def test_batches_in_any_order_cluster_as_the_rule_on_the_whole_set(db_url):
    engine = db.open_database(db_url)
    sigs = _signatures()
    ids = sorted(sigs)
    _articles(engine, ids)
    expected = _reference(sigs)
    assert sum(root is not None for root, _ in expected.values()) > N // 4
    assert len({root for root, _ in expected.values() if root}) > 3  # the anchors split the templates
    order = ids[:]
    random.Random(3).shuffle(order)
    for start in range(0, N, BATCH):
        _assign(engine, sigs, order[start:start + BATCH])
    assert _stored(engine) == expected

    # re-cleaning some (a reload) with the same signatures moves nothing
    _assign(engine, sigs, order[2 * BATCH:3 * BATCH])
    _assign(engine, sigs, [ids[7], ids[200], ids[-1]])
    assert _stored(engine) == expected

    # a body edited out of its cluster (its signature gone) leaves the others settled by the rule
    edited = {**sigs, ids[5]: None, expected[ids[40]][0] or ids[40]: None}
    _assign(engine, edited, [ids[5], expected[ids[40]][0] or ids[40]])
    assert _stored(engine) == _reference(edited)
    engine.dispose()


def test_articles_without_a_signature_are_canonical(db_url):
    engine = db.open_database(db_url)
    sigs = _signatures()
    _articles(engine, [1, 2, 3])
    sigs = {1: sigs[1], 2: None, 3: sigs[1]}
    first = 1 if story_key(_published(1), f"{2654435761:064x}") < story_key(_published(3), f"{(3 * 2654435761) % 2**32:064x}") else 3
    assert _assign(engine, sigs, [1, 2, 3]) == {1: None if first == 1 else 3, 2: None, 3: None if first == 3 else 1}
    other = 4 - first
    assert _stored(engine) == {first: (None, None), 2: (None, None), other: (first, 1.0)}
    engine.dispose()


def test_few_candidates_are_compared_without_numpy_to_the_same_similarity(monkeypatch):
    """clusters._similarities: plain Python for a small run's few pairs, numpy once a process
    has compared many; both give k / NUM_PERM for k equal values."""
    import random

    from govcase import clusters
    from govcase.dedup import NUM_PERM

    rng = random.Random(7)
    base = bytes(rng.randrange(256) for _ in range(4 * NUM_PERM))
    signed = []
    for i in range(40):
        values = bytearray(base)
        for _ in range(rng.randrange(0, NUM_PERM)):
            at = rng.randrange(NUM_PERM) * 4 + rng.randrange(4)
            values[at] ^= 1 + rng.randrange(255)
        signed.append((i, bytes(values), ""))
    monkeypatch.setattr(clusters, "_compared_in_python", 0)
    few = clusters._similarities(signed, 1)
    assert clusters._compared_in_python == 1  # counted: a process's later batches go to numpy
    monkeypatch.setattr(clusters, "_compared_in_python", clusters._FEW_PAIRS)
    many = clusters._similarities(signed, 1)
    assert clusters._compared_in_python == clusters._FEW_PAIRS
    for i in range(len(signed)):
        assert few(i, list(range(len(signed)))) == many(i, list(range(len(signed))))
    assert few(0, [0]) == [1.0]
