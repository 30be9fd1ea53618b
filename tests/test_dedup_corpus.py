"""A messy generated corpus ingested twice: duplicates stored once, near-duplicates clustered, nothing added.

GOVCASE_TEST_CORPUS_N sets the corpus size (the issue's check is 3,000; the default keeps the suite quick).
"""
from __future__ import annotations

import csv
import json
import os
import subprocess
import sys

from sqlalchemy import func, select
from sqlalchemy.orm import Session

from govcase import db, models as m

from conftest import shared_path

N = int(os.environ.get("GOVCASE_TEST_CORPUS_N", "400"))


def _cli(*args: str) -> dict:
    done = subprocess.run([sys.executable, "-m", "govcase.cli", *args, "--json"], capture_output=True)
    assert done.returncode in (0, 1) and not done.stderr, done.stderr  # 1: the corpus's broken files are rejected
    return json.loads(done.stdout)


def _counts(engine) -> dict[str, int]:
    """Rows per table, but file_stamps: a cache of files' stamps, which a second run may fill
    for files written too recently to be stamped by the first (govcase.stamps)."""
    with Session(engine) as session:
        return {t.name: session.scalar(select(func.count()).select_from(t)) for t in m.Base.metadata.sorted_tables
                if t.name != "file_stamps"}


def test_generated_corpus_twice(tmp_path):
    corpus = tmp_path / "c"
    subprocess.run([sys.executable, str(shared_path("tools", "make_corpus.py")), str(corpus), "--n", str(N)],
                   check=True, capture_output=True)
    manifest = list(csv.DictReader((corpus / "MANIFEST.tsv").open(encoding="utf-8"), delimiter="\t"))
    url = f"sqlite:///{tmp_path / 'c.db'}"
    first = _cli("ingest", str(corpus), "--db", url)
    engine = db.open_database(url)
    before = _counts(engine)
    second = _cli("ingest", str(corpus), "--db", url)
    after = _counts(engine)
    assert (second["stored"], second["cleaned"], second["tagged"], second["loaded"], second["run_id"]) == (0, 0, 0, 0, None)
    assert second["unchanged"] == first["stored"] + first["unchanged"]
    assert after == before

    with Session(engine) as session:
        cluster = {}  # file name -> the id of its article's cluster (its canonical article)
        for location, article_id, root in session.execute(
                select(m.SourceLocation.location, m.Article.id, m.Article.duplicate_of_id)
                .join(m.Article, m.Article.source_id == m.SourceLocation.source_id)):
            cluster[location.rsplit("/", 1)[-1]] = root or article_id
        source_of = {loc.rsplit("/", 1)[-1]: sid for loc, sid in session.execute(
            select(m.SourceLocation.location, m.SourceLocation.source_id))}
        clustered = {a for a, in session.execute(select(m.Article.id).where(m.Article.duplicate_of_id.is_not(None)))}
        article_of = dict(session.execute(select(m.Source.id, m.Article.id).join(m.Article)).all())

    exact = [row for row in manifest if row["kind"] == "duplicate"]
    assert all(source_of[r["file"]] == source_of[r["duplicate_of"]] for r in exact)  # stored once
    near = [row for row in manifest if row["kind"] == "near-duplicate"]
    together = sum(cluster.get(r["file"]) is not None and cluster.get(r["file"]) == cluster.get(r["duplicate_of"])
                   for r in near)
    assert together >= 0.9 * len(near), f"{together} of {len(near)} near-duplicates clustered with their original"
    # an original and its copies are one story: which of them is canonical is the rule's choice
    # (the earliest published, then the smallest sha256), not the order the files came in
    special = {r["file"] for r in exact + near} | {r["duplicate_of"] for r in exact + near}
    others = {article_of[source_of[r["file"]]] for r in manifest
              if r["file"] not in special and r["file"] in source_of and source_of[r["file"]] in article_of}
    wrong = len(others & clustered)
    assert wrong < 0.01 * len(others), f"{wrong} of {len(others)} distinct articles put in a cluster"
    print(f"\ncorpus {N}: {len(exact)} exact duplicates stored once, {together}/{len(near)} near-duplicates "
          f"clustered, {wrong}/{len(others)} other articles clustered")
