"""Peak memory (PSS, all processes) of one ingest of a folder of huge files (issue 17).

    python benchmarks/memory.py [--scale 1.0] [--keep]

Makes in /tmp a folder holding a 2 GB text file, a 1 GB HTML file, a 1 GB JSONL file
of 100 kB article records (ten distinct articles, repeated) and a 1 GB JSONL file that is
one line with no end, then runs ``govcase ingest`` on it as a user would, sampling the
proportional set size (PSS: shared pages counted once across processes) of the ingest
and every process it starts, five times a second. Prints the peak and the run's report,
then deletes the files (unless --keep). --scale shrinks every file (0.01: 20 MB + 3 x 10 MB).
"""
from __future__ import annotations

import argparse
import json
import os
import shutil
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
GB = 1024 ** 3
PARAGRAPH = "长宁区北新泾街道新泾五村小区加装电梯已投入使用{n}台，签约14台。居民区党总支通过议事会协商解决停车难问题。\n"


def write_repeated(path: Path, size: int, chunk: bytes) -> None:
    with open(path, "wb") as handle:
        written = 0
        while written < size:
            piece = chunk[:size - written]
            handle.write(piece)
            written += len(piece)


def make_folder(folder: Path, scale: float) -> None:
    text = "".join(PARAGRAPH.format(n=i) for i in range(400)).encode("utf-8")  # ~60 kB
    write_repeated(folder / "huge.txt", int(2 * GB * scale), text * 64)
    write_repeated(folder / "huge.html", int(GB * scale), b"<html><body><p>" + text * 64)
    lines = []
    for i in range(10):
        body = "".join(PARAGRAPH.format(n=i * 1000 + j) for j in range(700))  # ~100 kB
        lines.append(json.dumps({"url": f"https://example.org/big/{i}", "text": body}, ensure_ascii=False))
    write_repeated(folder / "records.jsonl", int(GB * scale), ("\n".join(lines) + "\n").encode("utf-8") * 8)
    write_repeated(folder / "one-line.jsonl", int(GB * scale), b"{\"text\": \"" + text.replace(b"\n", b" ") * 64)


def tree(pid: int) -> list[int]:
    """``pid`` and its descendants."""
    children: dict[int, list[int]] = {}
    for entry in os.listdir("/proc"):
        if entry.isdigit():
            try:
                with open(f"/proc/{entry}/stat") as handle:
                    ppid = int(handle.read().rsplit(")", 1)[1].split()[1])
            except (OSError, ValueError, IndexError):
                continue
            children.setdefault(ppid, []).append(int(entry))
    out, todo = [], [pid]
    while todo:
        p = todo.pop()
        out.append(p)
        todo.extend(children.get(p, ()))
    return out


def pss_kb(pid: int) -> int:
    try:
        with open(f"/proc/{pid}/smaps_rollup") as handle:
            for line in handle:
                if line.startswith("Pss:"):
                    return int(line.split()[1])
    except OSError:
        pass
    return 0


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--scale", type=float, default=1.0)
    parser.add_argument("--keep", action="store_true")
    parser.add_argument("--src", default=str(ROOT / "src"), help="the govcase source tree to measure")
    args = parser.parse_args()
    scratch = Path(tempfile.mkdtemp(prefix="govcase-memory-", dir="/tmp"))
    try:
        folder = scratch / "in"
        folder.mkdir()
        start = time.monotonic()
        make_folder(folder, args.scale)
        sizes = {p.name: p.stat().st_size for p in folder.iterdir()}
        print(f"made {', '.join(f'{n} {s / GB:.2f} GB' for n, s in sizes.items())} in {time.monotonic() - start:.0f} s",
              flush=True)
        env = dict(os.environ, CI="1", PYTHONPATH=args.src)
        start = time.monotonic()
        proc = subprocess.Popen([sys.executable, "-m", "govcase.cli", "ingest", str(folder), "--db",
                                 f"sqlite:///{scratch / 'm.db'}", "--json"], stdout=subprocess.PIPE,
                                stderr=subprocess.PIPE, text=True, env=env)
        peak = peak_procs = 0
        while proc.poll() is None:
            pids = tree(proc.pid)
            total = sum(pss_kb(p) for p in pids)
            if total > peak:
                peak, peak_procs = total, len(pids)
            time.sleep(0.2)
        out, err = proc.communicate()
        print(f"exit {proc.returncode} after {time.monotonic() - start:.0f} s; stderr: {err.strip()[:300]!r}")
        report = json.loads(out) if out.strip().startswith("{") else out
        print("report:", json.dumps(report, ensure_ascii=False) if isinstance(report, dict) else report)
        print(f"peak PSS of the ingest and its processes: {peak / 1024:.0f} MB ({peak_procs} processes)")
    finally:
        if not args.keep:
            shutil.rmtree(scratch, ignore_errors=True)


if __name__ == "__main__":
    main()
