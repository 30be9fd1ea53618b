"""The hostile inputs of issue 17, each ingested alone: prints one line per case.

    python benchmarks/hostile.py [--db-base postgresql://postgres@127.0.0.1:5432/test] [--only 1,2]

Each case builds its files in a scratch folder, runs ``govcase ingest`` (and
``stats`` for the read-only cases) as a new user would, and reports the exit
status, how many lines went to stderr, whether a Python traceback was printed,
and what the database holds afterwards (articles, rejects by reason). The memory
and size cases (5, 6) have their own benchmarks: memory.py and tag_scaling.py.
"""
from __future__ import annotations

import argparse
import json
import os
import resource
import shutil
import signal
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
GOVCASE = [sys.executable, "-m", "govcase.cli"]
ARTICLE = ("上海市徐汇区天平街道某某小区加装电梯12台，居民议事会协商停车管理，新增停车位100余个。\n" * 3)
PAGE = ("<html><head><meta charset='utf-8'><title>{t}</title></head><body><div class='article'>"
        "<h1>{t}</h1><p>{b}</p></div></body></html>")


def run(args: list[str], timeout: float = 600, **kw) -> subprocess.CompletedProcess:
    env = dict(os.environ, PYTHONPATH=str(ROOT / "src"), CI="1")
    return subprocess.run(GOVCASE + args, capture_output=True, timeout=timeout, env=env, **kw)


def summary(proc: subprocess.CompletedProcess, db: str) -> str:
    err = proc.stderr.decode("utf-8", "replace")
    lines = [line for line in err.splitlines() if line.strip()]
    what = f"exit {proc.returncode}, {len(lines)} stderr lines" + (", TRACEBACK" if "Traceback" in err else "")
    if lines and len(lines) <= 2:
        what += f" ({lines[0][:110]})"
    try:
        stats = run(["stats", "--json", "--db", db], timeout=120)
        data = json.loads(stats.stdout)
        rejects = {f"{s}/{r}": n for s, reasons in data["rejects"].items() for r, n in reasons.items()}
        what += f"; articles {data['counts'].get('articles')}, rejects {rejects}"
    except (ValueError, KeyError, subprocess.TimeoutExpired):
        what += "; stats unreadable"
    return what


def case1(folder: Path) -> list[str]:
    for i in range(20):
        (folder / f"ok{i:02d}.txt").write_text(ARTICLE.replace("12台", f"{i + 1}台"), encoding="utf-8")
    (folder / os.fsdecode(b"bad\xff.txt")).write_text(ARTICLE.replace("12台", "77台"), encoding="utf-8")
    return [str(folder)]


def _jsonl(folder: Path, name: str, line: str) -> list[str]:
    ok = json.dumps({"url": "https://example.org/ok", "text": ARTICLE}, ensure_ascii=False)
    (folder / name).write_text(ok + "\n" + line + "\n", encoding="utf-8")
    return [str(folder)]


def case2(folder: Path) -> list[str]:
    return _jsonl(folder, "s.jsonl", '{"url": "https://example.org/s\\ud800", "title": "\\udc00x", "text": "'
                  + ARTICLE.replace("\n", "\\n") + '\\ud800"}')


def case3(folder: Path) -> list[str]:
    return _jsonl(folder, "deep.jsonl", "[" * 50_000 + "]" * 50_000)


def case4(folder: Path) -> list[str]:
    body = ARTICLE.replace("\n", "\\n").replace("12台", "13台")
    lines = [json.dumps({"url": "https://example.org/n\u0000ul", "text": ARTICLE.replace("12台", "14台")},
                        ensure_ascii=False),
             json.dumps({"url": "https://example.org/t", "title": "标\u0000题", "outlet": "新\u0000闻",
                         "text": ARTICLE.replace("12台", "15台")}, ensure_ascii=False),
             '{"url": "https://example.org/b", "text": "' + body + '\\u0000"}']
    (folder / "nul.jsonl").write_text("\n".join(lines) + "\n", encoding="utf-8")
    return [str(folder)]


def case7_full(folder: Path) -> list[str]:
    for i in range(40):
        (folder / f"a{i:02d}.txt").write_text(f"第{i}篇\n" + ARTICLE.replace("12台", f"{i}台") * 40, encoding="utf-8")
    return [str(folder)]


def case8(folder: Path) -> list[str]:
    data = ARTICLE.encode("utf-8")
    (folder / "onebad.txt").write_bytes(data[:30] + b"\xff" + data[30:])
    (folder / "nuls.txt").write_bytes(data[:30] + b"\x00\x00" + data[30:].replace("12台".encode(), "16台".encode()))
    return [str(folder)]


def case9(folder: Path) -> list[str]:
    (folder / "deep.html").write_text("<html><body>" + "<div>" * 100_000 + ARTICLE + "</div>" * 100_000
                                      + "</body></html>", encoding="utf-8")
    return [str(folder)]


def case10(folder: Path) -> list[str]:
    (folder / "ok.txt").write_text(ARTICLE, encoding="utf-8")
    (folder / "loop").symlink_to(folder / "loop")
    (folder / "dangling.txt").symlink_to(folder / "nowhere.txt")
    os.mkfifo(folder / "fifo.txt")
    locked = folder / "locked"
    locked.mkdir()
    (locked / "x.txt").write_text(ARTICLE.replace("12台", "18台"), encoding="utf-8")
    locked.chmod(0)
    import gzip
    import zipfile
    (folder / "a.txt.gz").write_bytes(gzip.compress(ARTICLE.replace("12台", "19台").encode("utf-8")))
    with zipfile.ZipFile(folder / "b.zip", "w") as z:
        z.writestr("b.txt", ARTICLE.replace("12台", "20台"))
    return [str(folder), str(folder / "loop"), str(folder / "fifo.txt"), str(folder / "missing")]


def case12(folder: Path) -> list[str]:
    pages = [PAGE.format(t=f"第{i}篇 某某小区加装电梯", b=ARTICLE.replace("12台", f"{i}台")) for i in range(1407)]
    (folder / "dump.html").write_text("\n".join(pages), encoding="utf-8")
    return [str(folder)]


def case11(folder: Path, db: str) -> str:
    """Ctrl-C and SIGTERM in the middle of an ingest that uses workers."""
    for i in range(400):
        (folder / f"a{i:03d}.txt").write_text(ARTICLE.replace("12台", f"{i}台") + f"第{i}篇。", encoding="utf-8")
    out = []
    for sig in (signal.SIGINT, signal.SIGTERM):
        env = dict(os.environ, PYTHONPATH=str(ROOT / "src"), CI="1")
        proc = subprocess.Popen(GOVCASE + ["ingest", str(folder), "--db", db, "--workers", "2"],
                                stdout=subprocess.PIPE, stderr=subprocess.PIPE, env=env, start_new_session=True)
        time.sleep(6)
        os.killpg(proc.pid, sig)  # as a terminal does: the whole process group
        _, err = proc.communicate(timeout=120)
        time.sleep(1)
        lines = [line for line in err.decode("utf-8", "replace").splitlines() if line.strip()]
        leaked = sum("leaked" in line for line in lines)
        out.append(f"{sig.name}: exit {proc.returncode}, {len(lines)} stderr lines, "
                   f"{'TRACEBACK, ' if any('Traceback' in x for x in lines) else ''}{leaked} leaked-semaphore warnings"
                   + (f" ({lines[0][:80]})" if lines else ""))
    return "; ".join(out)


def case7(folder: Path, db: str) -> str:
    """Disk full (a file-size limit), a read-only database file, a read-only filesystem (root only)."""
    if not db.startswith("sqlite"):
        return "sqlite only"
    path = Path(db.removeprefix("sqlite:///"))
    paths = case7_full(folder)
    out = []
    run(["db", "upgrade", "--db", db])  # the disk fills while articles are written, not while migrating
    size = path.stat().st_size + 64 * 1024
    limit = lambda: resource.setrlimit(resource.RLIMIT_FSIZE, (size, size))  # noqa: E731
    proc = run(["ingest", *paths, "--db", db], preexec_fn=limit)
    out.append("disk full: " + summary(proc, db).split(";")[0])
    run(["ingest", *paths, "--db", db])
    (folder / "b.txt").write_text(ARTICLE.replace("12台", "21台"), encoding="utf-8")
    out.append("read-only file: " + read_only_file(path, folder, db))
    if os.getuid() == 0:
        mnt = Path(tempfile.mkdtemp())
        if subprocess.run(["mount", "-t", "tmpfs", "tmpfs", str(mnt)]).returncode == 0:
            try:
                shutil.copy(path, mnt / "ro.db")
                subprocess.run(["mount", "-o", "remount,ro", str(mnt)], check=True)
                ro = f"sqlite:///{mnt / 'ro.db'}"
                for args in (["stats", "--db", ro], ["export", "--db", ro, "--out", "/dev/null"]):
                    proc = run(args)
                    out.append(f"read-only fs {args[0]}: " + summary(proc, "sqlite://").split(";")[0])
            finally:
                subprocess.run(["umount", str(mnt)])
    return "; ".join(out)


def read_only_file(path: Path, folder: Path, db: str) -> str:
    """An ingest into a database file nobody may write (chmod 444; as root, chattr +i)."""
    path.chmod(0o444)
    immutable = os.getuid() == 0 and subprocess.run(["chattr", "+i", str(path)]).returncode == 0
    if os.getuid() == 0 and not immutable:
        path.chmod(0o644)
        return "skipped: root ignores file modes and chattr is not available"
    try:
        return summary(run(["ingest", str(folder), "--db", db]), db).split(";")[0]
    finally:
        if immutable:
            subprocess.run(["chattr", "-i", str(path)])
        path.chmod(0o644)


CASES = {1: case1, 2: case2, 3: case3, 4: case4, 8: case8, 9: case9, 10: case10, 12: case12}


def database(base: str | None, folder: Path, name: str) -> tuple[str, callable]:
    if not base:
        return f"sqlite:///{folder / (name + '.db')}", lambda: None
    sys.path.insert(0, str(ROOT / "src"))
    from govcase.db import scratch_pg_database

    return scratch_pg_database(base, "govcase_hostile")


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--db-base", help="a PostgreSQL URL to make scratch databases on (default: SQLite)")
    parser.add_argument("--only", help="comma-separated case numbers")
    args = parser.parse_args()
    only = {int(x) for x in args.only.split(",")} if args.only else set(CASES) | {7, 11}
    for number in sorted(only):
        with tempfile.TemporaryDirectory() as tmp:
            scratch = Path(tmp)
            inputs = scratch / "in"
            inputs.mkdir()
            db, drop = database(args.db_base, scratch, "case")
            try:
                if number == 7:
                    what = case7(inputs, db)
                elif number == 11:
                    what = case11(inputs, db)
                else:
                    paths = CASES[number](inputs)
                    first = run(["ingest", *paths, "--db", db])
                    second = run(["ingest", *paths, "--db", db])
                    what = summary(first, db) + " | again: " + summary(second, db).split(";")[0]
            finally:
                for p in inputs.rglob("*") if inputs.exists() else ():
                    if p.is_dir() and not p.is_symlink():
                        p.chmod(0o755)
                drop()
        print(f"case {number}: {what}", flush=True)


if __name__ == "__main__":
    main()
