"""The cost of the search tokens (govcase.search.token_rows) against jieba over whole bodies.

usage: python benchmarks/tokens.py [--db URL] [--reps 3]

Reads every loaded article of a govcase database (default $GOVCASE_DB_URL or
sqlite:///govcase.db), then times on one core: ``jieba.lcut`` (HMM on, the
reference of benchmarks/stages.py) over every body, and ``token_rows`` over
every title and evidence sentence with the article's lexicon hits, as load
runs it. Both figures are per character of *body*, so they compare the cost
per input character; the medians of ``--reps`` passes are printed.
"""
from __future__ import annotations

import argparse
import statistics
import time

import jieba
from sqlalchemy import select
from sqlalchemy.orm import Session

from govcase import models as m
from govcase.export import open_existing
from govcase.dictionary import search_words
from govcase.search import token_rows
from govcase.settings import Settings


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--db", default=None)
    parser.add_argument("--reps", type=int, default=3)
    args = parser.parse_args()
    engine = open_existing(Settings.from_env(args.db).db_url)
    with Session(engine) as session:
        articles = session.execute(select(m.Article.id, m.Article.title, m.Article.body)).all()
        sentences: dict[int, list[tuple[int, str]]] = {}
        for aid, eid, text in session.execute(select(m.Evidence.article_id, m.Evidence.id, m.Evidence.text)):
            sentences.setdefault(aid, []).append((eid, text))
        hits: dict[int, list[tuple[int, str, str]]] = {}  # (evidence, surface, kind)
        for model, kind in ((m.MeasureMention, "measure"), (m.MechanismMention, "mechanism"),
                            (m.PlaceMention, "place")):
            for aid, eid, surface in session.execute(select(model.article_id, model.evidence_id, model.surface)):
                hits.setdefault(aid, []).append((eid, surface, kind))
    work = []
    for aid, title, body in articles:
        index = {eid: i for i, (eid, _t) in enumerate(sentences.get(aid, []))}
        work.append((title, body, [t for _e, t in sentences.get(aid, [])],
                     [(s, k) for e, s, k in hits.get(aid, []) if e in index]))
    body_chars = sum(len(b) for _t, b, _s, _h in work)
    tokenised = sum(len(t or "") + sum(map(len, s)) for t, _b, s, _h in work)
    jieba.setLogLevel(60)
    jieba.initialize()
    search_words("预热")  # load the dictionary outside the timing

    def timed(fn) -> float:
        times = []
        for _ in range(args.reps):
            start = time.perf_counter()
            fn()
            times.append(time.perf_counter() - start)
        return statistics.median(times)

    t_jieba = timed(lambda: [jieba.lcut(b) for _t, b, _s, _h in work])
    t_tokens = timed(lambda: [token_rows(t, s, h) for t, _b, s, h in work])
    rows = sum(len(token_rows(t, s, h)) for t, _b, s, h in work)
    print(f"{len(work)} articles, {body_chars} body chars, {tokenised} chars tokenised "
          f"({tokenised / body_chars:.0%} of the bodies: titles and evidence sentences), {rows} token rows")
    print(f"jieba.lcut over bodies : {body_chars / t_jieba:12,.0f} body chars/s")
    print(f"token_rows             : {body_chars / t_tokens:12,.0f} body chars/s "
          f"({t_tokens / t_jieba:.2f}x jieba's time)")


if __name__ == "__main__":
    main()
