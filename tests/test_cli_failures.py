"""What the CLI prints when the machine fails under it (issue 17): a full disk, a read-only
database file, a read-only filesystem, Ctrl-C and SIGTERM. One line each, a documented exit
code, and reading still works on a read-only filesystem. Run as real processes: the limits
and signals are the operating system's."""
from __future__ import annotations

import os
import resource
import shutil
import signal
import subprocess
import sys
import tempfile
import time
from pathlib import Path

import pytest

from govcase.errors import EXIT_INCOMPLETE, EXIT_INTERRUPTED, EXIT_STORAGE, EXIT_TERMINATED

ROOT = Path(__file__).resolve().parents[1]
TEXT = "长宁区北新泾街道新泾五村小区加装电梯已投入使用{n}台，签约14台。居民区党总支通过议事会协商解决停车难问题。\n"


def govcase(*args: str, preexec=None, check_one_line: bool = True) -> subprocess.CompletedProcess:
    env = dict(os.environ, CI="1", PYTHONPATH=str(ROOT / "src"))
    proc = subprocess.run([sys.executable, "-m", "govcase.cli", *args], capture_output=True, text=True,
                          env=env, preexec_fn=preexec, timeout=300)
    if check_one_line:
        assert "Traceback" not in proc.stderr, proc.stderr
    return proc


def _articles(folder: Path, n: int, repeat: int = 1) -> Path:
    folder.mkdir(exist_ok=True)
    for i in range(n):
        (folder / f"a{i:03d}.txt").write_text(f"第{i}篇\n" + TEXT.format(n=i + 1) * repeat, encoding="utf-8")
    return folder


def _one_line(proc: subprocess.CompletedProcess) -> str:
    lines = [line for line in proc.stderr.splitlines() if line.strip()]
    assert len(lines) == 1 and lines[0].startswith("govcase: "), proc.stderr
    return lines[0]


def test_a_full_disk_is_one_line_and_exit_3(tmp_path):
    """A file-size limit (ulimit -f) stands in for a full disk: no privileges needed."""
    db = tmp_path / "full.db"
    url = f"sqlite:///{db}"
    assert govcase("db", "upgrade", "--db", url).returncode == 0
    limit = db.stat().st_size + 64 * 1024
    inputs = _articles(tmp_path / "in", 40, repeat=400)  # 2.8 MB of raw bytes
    # storing the raw bytes fills it (--stage ingest: no dictionaries to load, a fast test)
    proc = govcase("ingest", str(inputs), "--db", url, "--stage", "ingest",
                   preexec=lambda: resource.setrlimit(resource.RLIMIT_FSIZE, (limit, limit)))
    assert proc.returncode == EXIT_STORAGE
    assert "disk" in _one_line(proc)
    again = govcase("ingest", str(inputs), "--db", url, "--stage", "ingest")  # space again: the run finishes
    assert again.returncode == 0, again.stdout + again.stderr


def test_a_real_full_filesystem_is_one_line(tmp_path):
    """A 2 MB tmpfs, where we may mount one (root)."""
    mnt = tmp_path / "small"
    mnt.mkdir()
    if os.getuid() != 0 or subprocess.run(["mount", "-t", "tmpfs", "-o", "size=2m", "tmpfs", str(mnt)],
                                          capture_output=True).returncode != 0:
        pytest.skip("mounting a small tmpfs needs root")
    try:
        proc = govcase("ingest", str(_articles(tmp_path / "in", 100, repeat=200)), "--db",
                       f"sqlite:///{mnt}/x.db", "--stage", "ingest")
        assert proc.returncode == EXIT_STORAGE and "disk is full" in _one_line(proc)
    finally:
        subprocess.run(["umount", str(mnt)])


def _make_read_only(path: Path) -> callable:
    """chmod 444; root ignores modes, so as root the file is made immutable (chattr +i)."""
    path.chmod(0o444)
    if os.getuid() != 0:
        return lambda: path.chmod(0o644)
    if shutil.which("chattr") is None or subprocess.run(["chattr", "+i", str(path)],
                                                        capture_output=True).returncode != 0:
        path.chmod(0o644)
        pytest.skip("root writes any file, and chattr +i is not available here")
    return lambda: (subprocess.run(["chattr", "-i", str(path)]), path.chmod(0o644))


def test_a_read_only_database_file_is_one_line_and_can_still_be_read(tmp_path):
    db = tmp_path / "ro.db"
    url = f"sqlite:///{db}"
    assert govcase("ingest", str(_articles(tmp_path / "in", 3)), "--db", url, "--stage", "ingest").returncode == 0
    undo = _make_read_only(db)
    try:
        proc = govcase("ingest", str(_articles(tmp_path / "more", 2)), "--db", url, "--stage", "ingest")
        assert proc.returncode == EXIT_STORAGE and "read-only" in _one_line(proc)
        stats = govcase("stats", "--db", url)
        assert stats.returncode == 0 and "articles" in stats.stdout, stats.stderr
    finally:
        undo()


def test_a_read_only_filesystem_is_read_and_refuses_writes_in_one_line(tmp_path):
    db = tmp_path / "src.db"
    url = f"sqlite:///{db}"
    assert govcase("ingest", str(_articles(tmp_path / "in", 3)), "--db", url, "--stage", "ingest").returncode == 0
    mnt = tmp_path / "ro"
    mnt.mkdir()
    if os.getuid() != 0 or subprocess.run(["mount", "-t", "tmpfs", "tmpfs", str(mnt)],
                                          capture_output=True).returncode != 0:
        pytest.skip("mounting a read-only filesystem needs root")
    try:
        shutil.copy(db, mnt / "x.db")
        subprocess.run(["mount", "-o", "remount,ro", str(mnt)], check=True)
        ro = f"sqlite:///{mnt}/x.db"
        stats = govcase("stats", "--db", ro, "--json")
        assert stats.returncode == 0 and '"sources": 3' in stats.stdout, stats.stderr
        export = govcase("export", "--db", ro, "--out", str(tmp_path / "e.jsonl"))
        assert export.returncode == 0 and (tmp_path / "e.jsonl").exists(), export.stderr
        assert govcase("search", "电梯", "--db", ro).returncode == 0
        proc = govcase("ingest", str(_articles(tmp_path / "more", 2)), "--db", ro, "--stage", "ingest")
        assert proc.returncode == EXIT_STORAGE and "read-only" in _one_line(proc)
    finally:
        subprocess.run(["umount", str(mnt)])


@pytest.mark.parametrize("sig, code", [(signal.SIGINT, EXIT_INTERRUPTED), (signal.SIGTERM, EXIT_TERMINATED)])
def test_ctrl_c_and_sigterm_are_one_line_without_worker_tracebacks(tmp_path, sig, code):
    # long enough that the signal comes mid-run: 300 articles now take ~2.5 s after the database
    # appears on a quiet machine, and a signal during the interpreter's exit kills it outright
    inputs = _articles(tmp_path / "in", 2000)
    env = dict(os.environ, CI="1", PYTHONPATH=str(ROOT / "src"))
    proc = subprocess.Popen([sys.executable, "-m", "govcase.cli", "ingest", str(inputs), "--db",
                             f"sqlite:///{tmp_path / 'x.db'}", "--workers", "2"], stdout=subprocess.PIPE,
                            stderr=subprocess.PIPE, text=True, env=env, start_new_session=True)
    deadline = time.monotonic() + 60  # a loaded machine may take seconds to import and reach the handler
    while not (tmp_path / "x.db").exists() and time.monotonic() < deadline and proc.poll() is None:
        time.sleep(0.1)  # the database exists once the command runs, with its signal handlers set
    time.sleep(3)  # storing done, the workers started (a run this size uses them)
    os.killpg(proc.pid, sig)  # as a terminal does: the whole process group
    try:
        _, err = proc.communicate(timeout=120)
    except subprocess.TimeoutExpired:  # hung: end it and what it started, not leave them to the machine
        os.killpg(proc.pid, signal.SIGKILL)
        raise
    time.sleep(0.5)
    if proc.returncode == 0:
        pytest.skip("the machine finished the ingest before the signal")
    assert proc.returncode == code, err
    assert "Traceback" not in err and "leaked" not in err, err
    assert len([line for line in err.splitlines() if line.strip()]) == 1, err
    # its workers, fork server and resource tracker end with it (they may take a moment to notice)
    deadline = time.monotonic() + 15
    while _session(proc.pid) and time.monotonic() < deadline:
        time.sleep(0.2)
    assert _session(proc.pid) == [], "processes of the interrupted ingest are still running"


def _session(sid: int) -> list[int]:
    """The live processes of session ``sid`` (Linux /proc; none where there is no /proc)."""
    found = []
    for entry in Path("/proc").iterdir() if Path("/proc/self/stat").exists() else ():
        try:
            fields = (entry / "stat").read_text().rsplit(")", 1)[1].split()
        except (OSError, IndexError):  # not a process, or gone
            continue
        if fields[3] == str(sid) and fields[0] != "Z":
            found.append(int(entry.name))
    return found


def test_missing_inputs_are_named_and_exit_1(tmp_path):
    url = f"sqlite:///{tmp_path / 'x.db'}"
    inputs = _articles(tmp_path / "in", 1)
    for _ in range(2):  # the second run too: the input is still missing
        proc = govcase("ingest", str(inputs), str(tmp_path / "gone"), "--db", url, "--stage", "ingest")
        assert proc.returncode == EXIT_INCOMPLETE and f"missing: {tmp_path / 'gone'}" in proc.stdout
        assert "nothing new" not in proc.stdout


def test_a_signal_after_the_run_has_ended_cannot_kill_the_exit(tmp_path):
    # Ctrl-C just as a run ends used to reach the interpreter's teardown, with Python's handlers
    # gone, and kill the process by the signal (exit -2) instead of the code the run earned
    script = ("import signal, sys\n"
              f"sys.argv = ['govcase', 'stats', '--db', 'sqlite:///{tmp_path / 'x.db'}']\n"
              "from govcase.__main__ import main\n"
              "try:\n"
              "    main()\n"
              "except SystemExit as exc:\n"
              "    print(exc.code, signal.getsignal(signal.SIGINT) is signal.SIG_IGN,\n"
              "          signal.getsignal(signal.SIGTERM) is signal.SIG_IGN)\n")
    proc = subprocess.run([sys.executable, "-c", script], capture_output=True, text=True,
                          env=dict(os.environ, PYTHONPATH=str(ROOT / "src")), timeout=120)
    assert proc.stdout.split()[-2:] == ["True", "True"], proc.stdout + proc.stderr  # (exit 2: no database)
