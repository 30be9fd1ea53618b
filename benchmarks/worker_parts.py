"""CPU per article of what a worker does besides tag, and of the trip to the writer.

usage: python benchmarks/worker_parts.py DIR [REPS] [PART,PART...]

Reads every document of DIR (as ingest does), cleans and tags them once (not timed), then
times over all of them, by process time, median of REPS passes: ``clean``, the MinHash
``signature``, the load plan (``plan_rows``, search words included), the tag result's
``json``, and a worker batch's ``pickle`` and the writer's ``unpickle`` of it (64 results
a batch). Run it with each tree's Python, alternately: the machine's load moves the
figures more than most changes do.
"""
import pickle
import statistics
import sys
import time
from pathlib import Path

from govcase.budget import tag_batch
from govcase.clean import clean
from govcase.dedup import signature
from govcase.ingest import read_documents
from govcase.load import plan_rows
from govcase.records import RawDocument, tagged_to_json
from govcase.settings import default_data_dir
from govcase.tagging.lexicon import load_lexicon
from govcase.work import WORK_STAGES, Task, perform_batch, warm

BATCH = 64


def main() -> None:
    corpus, reps = Path(sys.argv[1]), int(sys.argv[2]) if len(sys.argv) > 2 else 3
    only = sys.argv[3].split(",") if len(sys.argv) > 3 else None
    docs = [d for d in read_documents([corpus]) if isinstance(d, RawDocument)]
    data_dir = default_data_dir()
    warm(data_dir)
    arts = [clean(d) for d in docs]
    lexicon = load_lexicon(data_dir)
    tagged = [t for i in range(0, len(arts), BATCH) for t in tag_batch(arts[i:i + BATCH], lexicon)]
    tasks = [Task(i, d.source, WORK_STAGES, raw=d) for i, d in enumerate(docs)]
    results = [r for i in range(0, len(tasks), BATCH) for r in perform_batch(tasks[i:i + BATCH], data_dir)]
    blobs = [pickle.dumps(results[i:i + BATCH], protocol=pickle.HIGHEST_PROTOCOL)
             for i in range(0, len(results), BATCH)]
    parts = {
        "clean": lambda: [clean(d) for d in docs],
        "signature": lambda: [signature(a.body, a.title) for a in arts],
        "plan_rows": lambda: [plan_rows(a.body, t, a.title) for a, t in zip(arts, tagged)],
        "json": lambda: [tagged_to_json(t) for t in tagged],
        "pickle": lambda: [pickle.dumps(results[i:i + BATCH], protocol=pickle.HIGHEST_PROTOCOL)
                           for i in range(0, len(results), BATCH)],
        "unpickle": lambda: [pickle.loads(b) for b in blobs],
    }
    for name, run in parts.items():
        if only and name not in only:
            continue
        times = []
        for _ in range(reps):
            start = time.process_time()
            run()
            times.append(time.process_time() - start)
        print(f"{name:10s} {statistics.median(times) * 1000 / len(docs):.3f} ms/article")


if __name__ == "__main__":
    main()
