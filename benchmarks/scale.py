"""Writers into one PostgreSQL: one against several at once, on pre-computed tag results.

usage: python benchmarks/scale.py --pg postgresql://postgres@127.0.0.1:5432/test
                                  [--n 2000 | --corpus DIR] [--writers 1 2] [--reps 3]

1. Generates a corpus with ../shared/tools/make_corpus.py --clean --n N --seed 7 (or --corpus).
2. Cleans and tags it once (two worker processes) into results as the writer receives them.
3. For each rep and each writer count W: a fresh database, the sources stored (not timed),
   then W writer processes, started together, each writing every W-th batch of results
   through govcase's own write path (``Pipeline._write``, clusters settled as in a run).
Prints, per W: wall time, what the active backends were seen waiting on (None: running),, articles/s, client CPU per article (the writers' own CPU while
writing) and server CPU per article (utime + stime from /proc/PID/stat of every PostgreSQL
process attached to the database: the writers' backends and autovacuum; the server's shared
WAL writer and checkpointer are not counted), and the wall-time ratio to one writer.
The machine may be shared: compare the ratios, measured in the same run, and the medians.
Each writer runs in a session of its own, as a worker started on its own machine (or by its
own cron job) would: Linux's scheduler gives each session (autogroup) a share of the CPU, so
writers started in one session would share that session's share on a busy machine.
"""
from __future__ import annotations

import argparse
import json
import os
import pickle
import statistics
import subprocess
import sys
import tempfile
import time
from collections import Counter
from dataclasses import replace
from pathlib import Path

from sqlalchemy import create_engine, text

ROOT = Path(__file__).resolve().parents[1]
MAKE_CORPUS = ROOT.parent / "shared" / "tools" / "make_corpus.py"
TICKS = os.sysconf("SC_CLK_TCK")


def precompute(corpus: Path, server: str, out: Path) -> int:
    """Clean and tag every file once; pickle [(sha256, stages' results)] in batches."""
    from govcase.db import scratch_pg_database
    from govcase.pipeline import BATCH, Pipeline, batched
    from govcase.settings import Settings
    from govcase.ingest import read_documents
    from govcase.work import WORK_STAGES, performed

    url, drop = scratch_pg_database(server, "govcase_scale")
    try:
        pipeline = Pipeline(Settings.from_env(url, workers=2))
        with pipeline._recorded("ingest") as report:
            pipeline.store(read_documents([corpus], detect=False), report)
        with pipeline.engine.connect() as conn:
            sha = dict(conn.execute(text("SELECT id, sha256 FROM sources ORDER BY id")).all())
        # results come back without the source's bytes (govcase.work): the sha256 from the row
        tasks = (pipeline._tasks([(i, WORK_STAGES) for i in chunk]) for chunk in batched(list(sha), BATCH))
        batches = [[(sha[r.task.source_id], r) for r in results]
                   for results in performed(tasks, pipeline.settings.data_dir, 2)]
        pipeline.engine.dispose()
    finally:
        drop()
    out.write_bytes(pickle.dumps(batches, protocol=pickle.HIGHEST_PROTOCOL))
    return sum(map(len, batches))


def writer(url: str, results_file: str, part: int, parts: int) -> None:
    """One writer process: prepare, say ready, wait for go, write its share, report."""
    from govcase.pipeline import Pipeline
    from govcase.settings import Settings

    batches = pickle.loads(Path(results_file).read_bytes())[part::parts]
    pipeline = Pipeline(Settings.from_env(url, workers=1))
    with pipeline.engine.connect() as conn:
        ids = dict(conn.execute(text("SELECT sha256, id FROM sources")).all())
    batches = [[replace(r, task=replace(r.task, source_id=ids[sha])) for sha, r in batch] for batch in batches]
    print("ready", flush=True)
    sys.stdin.readline()
    cpu, start = time.process_time(), time.perf_counter()
    with pipeline._recorded("ingest") as report:
        for results in batches:
            pipeline._write(results, report)
        pipeline._settle(report, wait=True)
    print(json.dumps({"cpu": time.process_time() - cpu, "wall": time.perf_counter() - start,
                      "articles": sum(map(len, batches)), "loaded": report.loaded}), flush=True)


def backend_cpu(admin, database: str) -> dict[int, float]:
    """CPU seconds so far of every server process attached to ``database``."""
    pids = admin.execute(text("SELECT pid FROM pg_stat_activity WHERE datname = :d"), {"d": database}).scalars()
    out = {}
    for pid in pids:
        try:
            fields = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()
        except FileNotFoundError:
            continue
        out[pid] = (int(fields[11]) + int(fields[12])) / TICKS
    return out


def run(server: str, corpus: Path, results_file: Path, writers: int) -> dict:
    from govcase.db import scratch_pg_database
    from govcase.ingest import read_documents
    from govcase.pipeline import Pipeline
    from govcase.settings import Settings

    url, drop = scratch_pg_database(server, "govcase_scale")
    database = url.rsplit("/", 1)[1].split("?")[0]
    admin = create_engine(server.replace("postgresql://", "postgresql+psycopg://", 1),
                          isolation_level="AUTOCOMMIT").connect()
    try:
        pipeline = Pipeline(Settings.from_env(url, workers=1))
        with pipeline._recorded("ingest") as report:
            pipeline.store(read_documents([corpus], detect=False), report)
        pipeline.engine.dispose()
        procs = [subprocess.Popen([sys.executable, __file__, "--write", url, str(results_file), str(k), str(writers)],
                                  stdin=subprocess.PIPE, stdout=subprocess.PIPE, text=True,
                                  start_new_session=True) for k in range(writers)]
        for p in procs:
            assert p.stdout.readline().strip() == "ready"
        before = backend_cpu(admin, database)
        start = time.perf_counter()
        for p in procs:
            p.stdin.write("go\n")
            p.stdin.flush()
        seen, waits = dict(before), Counter()
        while any(p.poll() is None for p in procs):  # the last CPU figure of each backend before it ends
            seen.update(backend_cpu(admin, database))
            waits.update(f"{kind}:{event}" for kind, event in admin.execute(text(
                "SELECT wait_event_type, wait_event FROM pg_stat_activity WHERE datname = :d AND state = 'active'"),
                {"d": database}))
            time.sleep(0.1)
        wall = time.perf_counter() - start
        outs = [json.loads(p.stdout.read().strip().splitlines()[-1]) for p in procs]
    finally:
        admin.close()
        drop()
    articles = sum(o["articles"] for o in outs)
    server_cpu = sum(cpu - before.get(pid, 0.0) for pid, cpu in seen.items())
    return {"writers": writers, "wall": wall, "articles": articles, "per_s": articles / wall,
            "client_ms": 1000 * sum(o["cpu"] for o in outs) / articles, "server_ms": 1000 * server_cpu / articles,
            "waits": dict(waits.most_common(4))}


def main() -> None:
    if len(sys.argv) > 1 and sys.argv[1] == "--write":
        writer(sys.argv[2], sys.argv[3], int(sys.argv[4]), int(sys.argv[5]))
        return
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--pg", required=True, help="a PostgreSQL server URL (scratch databases are made on it)")
    parser.add_argument("--n", type=int, default=2000)
    parser.add_argument("--corpus", type=Path)
    parser.add_argument("--writers", type=int, nargs="+", default=[1, 2])
    parser.add_argument("--reps", type=int, default=3)
    args = parser.parse_args()
    with tempfile.TemporaryDirectory(prefix="govcase-scale-") as tmp:
        corpus = args.corpus
        if corpus is None:
            corpus = Path(tmp) / "corpus"
            subprocess.run([sys.executable, str(MAKE_CORPUS), str(corpus), "--clean", "--n", str(args.n),
                            "--seed", "7"], check=True, stdout=subprocess.DEVNULL)
        results_file = Path(tmp) / "results.pickle"
        n = precompute(corpus, args.pg, results_file)
        print(f"{n} articles cleaned and tagged once; writing them {args.reps} times per writer count", flush=True)
        runs = {w: [] for w in args.writers}
        for rep in range(args.reps):
            for w in args.writers:
                r = run(args.pg, corpus, results_file, w)
                runs[w].append(r)
                print(f"rep {rep + 1} writers {w}: {r['wall']:.2f} s, {r['per_s']:.0f} articles/s, "
                      f"client {r['client_ms']:.2f} ms/article, server {r['server_ms']:.2f} ms/article; "
                      f"active backends sampled: {r['waits']}", flush=True)
    one = statistics.median(r["wall"] for r in runs[args.writers[0]])
    print("\nmedians:")
    for w, rs in runs.items():
        wall = statistics.median(r["wall"] for r in rs)
        print(f"  {w} writer(s): {wall:.2f} s ({wall / one:.2f} of {args.writers[0]}), "
              f"{statistics.median(r['per_s'] for r in rs):.0f} articles/s, "
              f"client {statistics.median(r['client_ms'] for r in rs):.2f} ms/article, "
              f"server {statistics.median(r['server_ms'] for r in rs):.2f} ms/article")


if __name__ == "__main__":
    main()
