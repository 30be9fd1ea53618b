"""End-to-end ingest throughput against jieba's own segmentation rate, measured in one run.

usage: python benchmarks/ingest.py [--n 5000 [N ...]] [--workers N] [--pg postgresql://postgres@127.0.0.1:5432/test]
                                   [--corpus DIR] [--keep] [--small 10] [--reps 5]
                                   [--reload "处理楼道渗漏<TAB>building_repair"]

1. Generates a corpus with ../shared/tools/make_corpus.py --clean --n N (or uses --corpus).
2. Decodes every file the way govcase does and times a plain single-core ``jieba.lcut``
   pass (HMM on) over that text: the yardstick.
3. Times ``govcase ingest`` of the corpus into a fresh SQLite database (and, with --pg,
   a fresh PostgreSQL database made on that server), sampling the summed resident memory
   of govcase and its worker processes; then times a second ingest of the unchanged corpus.
4. With --small N: ingests N new articles (make_corpus --seed 99) into copies of that
   SQLite database, --reps times, and prints the median wall time (process start included).
   These and the reloads are timed without sampling memory, which took CPU from them (see timed).
5. With --reload ENTRY: appends ENTRY to a copy of data/lexicon/measures.tsv (the runs use
   that copy through $GOVCASE_DATA_DIR from the start), times `govcase reload` --reps times
   (each on a fresh copy of the database; the median is compared) and `govcase reload --all`
   once, and checks their exports are equal.
6. Says whether govcase's own modules start from compiled bytecode: an installed checkout
   writes .pyc files on its first run, but with PYTHONDONTWRITEBYTECODE=1 (set in some
   environments) and no __pycache__, every process compiles them again (~0.1 s of a small
   command's start). --compile writes them first (compileall), as an installed checkout has them.
Prints articles/s, characters/s, the ratio to jieba, peak memory and the second-run time;
with several sizes (--n 2000 10000), each size in turn and then how peak memory grows.
Machines are noisy: compare the ratios, which are measured in the same run.
"""
from __future__ import annotations

import argparse
import os
import subprocess
import sys
import tempfile
import threading
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
# the shared tools beside the checkout (/work/main), or above a worktree of it (/work/wt/NAME)
MAKE_CORPUS = next((p / "shared" / "tools" / "make_corpus.py" for p in ROOT.parents
                    if (p / "shared" / "tools" / "make_corpus.py").is_file()), ROOT.parent / "shared" / "tools" / "make_corpus.py")
GOVCASE = [sys.executable, "-m", "govcase"]  # as the installed `govcase` starts


def decoded_texts(folder: Path) -> list[str]:
    from govcase.decode import decode_text, detect_encoding
    from govcase.ingest import read_documents
    from govcase.records import RawDocument

    return [decode_text(doc.data, doc.encoding or detect_encoding(doc.data, doc.media_type)).text
            for doc in read_documents([folder]) if isinstance(doc, RawDocument)]


def jieba_rate(texts: list[str]) -> tuple[float, float]:
    """Characters per second of jieba.lcut (HMM on) over the texts, on this one core."""
    import jieba

    jieba.setLogLevel(60)
    jieba.initialize()
    chars = sum(map(len, texts))
    start = time.perf_counter()
    for text in texts:
        jieba.lcut(text)
    seconds = time.perf_counter() - start
    return chars / seconds, seconds


def _tree_cpu(pid: int, seen: dict[int, float]) -> None:
    """Record the CPU seconds (user + system) of a process and its descendants so far in
    ``seen`` (pid -> seconds): summed at the end, the run's CPU, which a shared machine's
    load inflates far less than its wall time (a process's last 50 ms go uncounted)."""
    todo = [pid]
    while todo:
        p = todo.pop()
        try:
            with open(f"/proc/{p}/stat") as f:
                fields = f.read().rsplit(")", 1)[1].split()
            seen[p] = (int(fields[11]) + int(fields[12])) / os.sysconf("SC_CLK_TCK")
            for task in os.listdir(f"/proc/{p}/task"):
                with open(f"/proc/{p}/task/{task}/children") as f:
                    todo.extend(int(c) for c in f.read().split())
        except (FileNotFoundError, ProcessLookupError, PermissionError, IndexError):
            continue


def _tree_memory(pid: int) -> tuple[int, int]:
    """(RSS, PSS) bytes summed over a process and all its descendants (from /proc).

    Workers fork from a server that loaded the dictionaries once, so their RSS counts the
    shared pages again in every process; PSS divides each shared page among its sharers,
    so the PSS sum is the memory the run really occupies.
    """
    rss = pss = 0
    todo = [pid]
    while todo:
        p = todo.pop()
        try:
            with open(f"/proc/{p}/smaps_rollup") as f:
                for line in f:
                    if line.startswith("Rss:"):
                        rss += int(line.split()[1]) * 1024
                    elif line.startswith("Pss:"):
                        pss += int(line.split()[1]) * 1024
            for task in os.listdir(f"/proc/{p}/task"):
                with open(f"/proc/{p}/task/{task}/children") as f:
                    todo.extend(int(c) for c in f.read().split())
        except (FileNotFoundError, ProcessLookupError, PermissionError):
            continue
    return rss, pss


def timed_ingest(corpus: Path, url: str, workers: int | None) -> tuple[float, tuple[int, int], str]:
    """Wall seconds, peak summed (RSS, PSS) and the report line of one `govcase ingest`."""
    return timed(["ingest", str(corpus), "--db", url] + (["--workers", str(workers)] if workers else []))


def timed(args: list[str], memory: bool = True) -> tuple[float, tuple[int, int], str]:
    """Wall seconds, peak summed (RSS, PSS) and the first output line of one govcase command.

    ``memory=False``: no peak (0, 0). Reading smaps_rollup every 50 ms costs the kernel ~5 ms
    a reading for a 300 MB process tree: ~0.1 s of CPU taken from a one-second reload's two
    busy processes on two cores, which the timings of reloads and small ingests (that report
    no memory) then counted as theirs. The CPU sample (/proc/PID/stat) is cheap and stays.
    """
    cmd = [*GOVCASE, *args]
    start = time.perf_counter()
    proc = subprocess.Popen(cmd, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)
    peak = (0, 0)
    cpu: dict[int, float] = {}

    def sample() -> None:
        nonlocal peak
        while proc.poll() is None:
            if memory:
                rss, pss = _tree_memory(proc.pid)
                peak = (max(peak[0], rss), max(peak[1], pss))
            _tree_cpu(proc.pid, cpu)
            time.sleep(0.05)

    sampler = threading.Thread(target=sample, daemon=True)
    sampler.start()
    out, err = proc.communicate()
    seconds = time.perf_counter() - start
    sampler.join()
    if proc.returncode != 0:
        raise SystemExit(f"govcase {args[0]} failed ({proc.returncode}):\n{err[-3000:]}")
    line = out.strip().splitlines()[0] if out.strip() else ""
    return seconds, peak, f"{line}  [CPU {sum(cpu.values()):.1f} s]"


def report(label: str, n: int, chars: int, jieba_cps: float, first: tuple, second: tuple) -> None:
    seconds, peak, line = first
    again, again_peak, again_line = second
    cps = chars / seconds
    print(f"\n{label}")
    print(f"  first ingest   {seconds:8.1f} s  {n / seconds:8.1f} articles/s  {cps:10,.0f} chars/s  "
          f"ratio to jieba {cps / jieba_cps:5.2f}")
    print(f"                 peak memory {peak[1] / 2**20:6.0f} MB (PSS; RSS summed {peak[0] / 2**20:.0f} MB)")
    print(f"                 {line}")
    print(f"  second ingest  {again:8.1f} s  ({100 * again / seconds:4.1f} % of the first)  "
          f"peak memory {again_peak[1] / 2**20:6.0f} MB (PSS)")
    print(f"                 {again_line}")


def bench(n_wanted: int, corpus: Path | None, scratch: Path, args) -> float:
    """One corpus size: the yardstick, SQLite (and PostgreSQL); returns the SQLite peak PSS."""
    if corpus is None:
        corpus = scratch / f"corpus-{n_wanted}"
        subprocess.run([sys.executable, str(MAKE_CORPUS), str(corpus), "--clean", "--n", str(n_wanted)],
                       check=True, capture_output=True)
    texts = decoded_texts(corpus)
    n, chars = len(texts), sum(map(len, texts))
    jieba_cps, jieba_s = jieba_rate(texts)
    del texts
    print(f"\ncorpus {corpus}: {n} articles, {chars:,} characters decoded; {os.cpu_count()} cores")
    print(f"jieba.lcut (HMM on, one core): {jieba_s:.1f} s, {jieba_cps:,.0f} chars/s")

    sqlite_url = f"sqlite:///{scratch / f'bench-{n}.db'}"
    first = timed_ingest(corpus, sqlite_url, args.workers)
    report("SQLite", n, chars, jieba_cps, first, timed_ingest(corpus, sqlite_url, args.workers))
    if args.small:
        small_ingests(scratch, scratch / f"bench-{n}.db", args)
    if args.reload:
        reloads(scratch, scratch / f"bench-{n}.db", args)
    if args.pg:
        from govcase.db import scratch_pg_database

        url, drop = scratch_pg_database(args.pg, "govcase_bench")
        try:
            pg_first = timed_ingest(corpus, url, args.workers)
            report("PostgreSQL", n, chars, jieba_cps, pg_first, timed_ingest(corpus, url, args.workers))
            print(f"\nPostgreSQL / SQLite first-ingest time: {pg_first[0] / first[0]:.2f}")
        finally:
            drop()
    return first[1][1]


def _copy(db: Path, to: Path) -> str:
    import shutil

    for side in ("-wal", "-shm"):  # a copy over an older one must not meet that one's WAL
        to.with_name(to.name + side).unlink(missing_ok=True)
    shutil.copyfile(db, to)
    return f"sqlite:///{to}"


def small_ingests(scratch: Path, db: Path, args) -> None:
    """The daily ingest of a few new articles into the big database, --reps times on copies."""
    folder = scratch / f"small-{args.small}"
    if not folder.is_dir():
        subprocess.run([sys.executable, str(MAKE_CORPUS), str(folder), "--clean", "--n", str(args.small),
                        "--seed", "99"], check=True, capture_output=True)
    walls, cpus = [], []
    for rep in range(args.reps):
        url = _copy(db, scratch / "small.db")
        seconds, _, line = timed(["ingest", str(folder), "--db", url]
                                 + (["--workers", str(args.workers)] if args.workers else []), memory=False)
        walls.append(seconds)
        cpus.append(float(line.rsplit("[CPU ", 1)[1].split()[0]))
    walls.sort()
    cpus.sort()
    print(f"\n{args.small} new articles into the {db.name} database: median {walls[len(walls) // 2]:.2f} s "
          f"wall over {args.reps} runs ({', '.join(f'{w:.2f}' for w in walls)}); "
          f"median CPU {cpus[len(cpus) // 2]:.2f} s")


def reloads(scratch: Path, db: Path, args) -> None:
    """One lexicon entry added: `reload` against `reload --all`, and their exports compared."""
    with (scratch / "data" / "lexicon" / "measures.tsv").open("a", encoding="utf-8") as f:
        f.write(args.reload.replace("\\t", "\t") + "\n")
    some, every = _copy(db, scratch / "reload.db"), _copy(db, scratch / "reload-all.db")
    dry = subprocess.run([*GOVCASE, "reload", "--dry-run", "--db", some], capture_output=True, text=True)
    print(f"\nadded to measures.tsv: {args.reload!r}")
    print("  reload --dry-run: " + (dry.stdout.strip().splitlines()[0] if dry.returncode == 0 else "(not known)"))
    partials = []
    for rep in range(max(1, args.reps)):  # each on a fresh copy: a reload's work is done once
        if rep:
            _copy(db, scratch / "reload.db")
        partials.append(timed(["reload", "--db", some], memory=False))
        print(f"  reload        {partials[-1][0]:7.2f} s  {partials[-1][2]}")
    all_ = timed(["reload", "--all", "--db", every], memory=False)
    print(f"  reload --all  {all_[0]:7.2f} s  {all_[2]}")
    walls = sorted(p[0] for p in partials)
    partial = (walls[len(walls) // 2],)
    if len(walls) > 1:
        print(f"  reload: median {partial[0]:.2f} s over {len(walls)} runs ({', '.join(f'{w:.2f}' for w in walls)})")
    exports = []
    for url in (some, every):
        out = subprocess.run([*GOVCASE, "export", "--db", url], capture_output=True, check=True).stdout
        exports.append(out)
    print(f"  reload / reload --all: {partial[0] / all_[0]:.3f}; exports "
          + ("equal" if exports[0] == exports[1] else "DIFFER"))


def _bytecode(compile_first: bool) -> str:
    """Whether govcase's modules start from compiled bytecode, said in one line (after
    writing the .pyc files with ``compile_first``)."""
    import importlib.util

    import govcase

    package = Path(govcase.__file__).parent
    if compile_first:
        subprocess.run([sys.executable, "-m", "compileall", "-q", str(package)], check=True, capture_output=True,
                       env={**os.environ, "PYTHONDONTWRITEBYTECODE": ""})
    sources = list(package.rglob("*.py"))
    current = sum(1 for src in sources if (pyc := Path(importlib.util.cache_from_source(str(src)))).is_file()
                  and pyc.stat().st_mtime >= src.stat().st_mtime)
    writes = "not written (PYTHONDONTWRITEBYTECODE)" if os.environ.get("PYTHONDONTWRITEBYTECODE") else "written"
    return (f"bytecode: {current} of govcase's {len(sources)} modules have a current .pyc; new ones {writes}"
            + ("" if current == len(sources) else "; the others are compiled at every start (--compile writes them)"))


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--n", type=int, nargs="+", default=[5000],
                        help="articles to generate; several sizes (--n 2000 10000) also compare peak memory")
    parser.add_argument("--workers", type=int, default=None, help="govcase --workers (default: its own)")
    parser.add_argument("--pg", metavar="URL", help="also benchmark PostgreSQL on this server")
    parser.add_argument("--corpus", type=Path, help="use this corpus instead of generating one")
    parser.add_argument("--keep", action="store_true", help="keep the scratch folder")
    parser.add_argument("--small", type=int, default=0, metavar="N",
                        help="also time ingests of N new articles into the big database")
    parser.add_argument("--reps", type=int, default=5, help="runs of the --small ingest (the median is shown)")
    parser.add_argument("--reload", metavar="ENTRY", help="also time reloads after adding ENTRY to measures.tsv")
    parser.add_argument("--compile", action="store_true",
                        help="write govcase's .pyc files first, as an installed checkout has them")
    args = parser.parse_args(argv)
    print(_bytecode(args.compile))

    scratch = Path(tempfile.mkdtemp(prefix="govcase-bench-"))
    # every run reads a copy of the data (--reload edits it); $GOVCASE_DATA_DIR reaches the children
    import shutil
    from govcase.settings import default_data_dir

    shutil.copytree(default_data_dir(), scratch / "data")
    os.environ["GOVCASE_DATA_DIR"] = str(scratch / "data")
    try:
        sizes = [None] if args.corpus else args.n
        peaks = [bench(n, args.corpus, scratch, args) for n in sizes]
        if len(peaks) > 1:
            print("\nSQLite peak memory (PSS) by corpus size: "
                  + ", ".join(f"{n}: {p / 2**20:.0f} MB" for n, p in zip(sizes, peaks))
                  + f"; largest / smallest {max(peaks) / min(peaks):.2f}")
    finally:
        if not args.keep:
            import shutil

            shutil.rmtree(scratch, ignore_errors=True)
    return 0


if __name__ == "__main__":
    sys.exit(main())
