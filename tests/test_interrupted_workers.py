"""An interrupted run's worker processes end with it, at once, whatever they were doing.

Each case runs in a process of its own: a pool thread left waiting would hang that
interpreter's exit (it joins the pool's threads), and must not hang pytest's."""
from __future__ import annotations

import os
import signal
import subprocess
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]

# The helper (a fork pool of one, as govcase.prestart starts it) is given a batch; the worker
# function is replaced by ``WORKER``, and the run is interrupted one second later.
SCRIPT = """
import os, signal, struct, sys, threading, time
import multiprocessing
from concurrent.futures import ProcessPoolExecutor
from govcase import work
from govcase.errors import Terminated

def half_a_result(tasks, data_dir):
    # the header of a long result and its first bytes, then killed: SIGTERM reaching a worker
    # mid-send, as it does when a terminal or a job runner signals the process group
    frame = sys._getframe()
    while "result_queue" not in frame.f_locals:
        frame = frame.f_back
    os.write(frame.f_locals["result_queue"]._writer.fileno(), struct.pack("!i", 1_000_000) + b"x" * 1000)
    os.kill(os.getpid(), signal.SIGKILL)

def busy(tasks, data_dir):
    # a long batch in a worker that ignores Ctrl-C, as the workers do
    time.sleep(100)

def terminate(*_):
    raise Terminated()

work._perform_batch_in_worker = {WORKER}
signal.signal(signal.SIGTERM, terminate)
helper = ProcessPoolExecutor(1, mp_context=multiprocessing.get_context("fork"))
threading.Timer(1.0, os.kill, (os.getpid(), signal.{SIGNAL})).start()
try:
    for _ in work.performed([[None]], None, 1, helper):
        pass
except (Terminated, KeyboardInterrupt):
    print("interrupted", [p.pid for p in multiprocessing.active_children()], flush=True)
"""


def _interrupted(worker: str, signal_name: str) -> tuple[subprocess.CompletedProcess, float]:
    started = time.monotonic()
    code = SCRIPT.replace("{WORKER}", worker).replace("{SIGNAL}", signal_name)
    proc = subprocess.Popen([sys.executable, "-c", code], stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True,
                            env=dict(os.environ, PYTHONPATH=str(ROOT / "src")), start_new_session=True)
    try:
        out, err = proc.communicate(timeout=60)
    except subprocess.TimeoutExpired:  # hung: end it and its worker, not leave them to the machine
        os.killpg(proc.pid, signal.SIGKILL)
        raise
    return subprocess.CompletedProcess(proc.args, proc.returncode, out, err), time.monotonic() - started


def test_a_worker_killed_mid_send_does_not_hang_the_exit():
    # the pool's thread read the half message's header and waited for the rest for ever: this
    # process holds the pipe's other end too, and the exit joined that thread
    proc, took = _interrupted("half_a_result", "SIGTERM")
    assert proc.stdout.split() == ["interrupted", "[]"], proc.stdout + proc.stderr
    assert proc.returncode == 0 and took < 30, (took, proc.stderr)


def test_ctrl_c_ends_a_busy_worker_instead_of_waiting_for_its_batch():
    proc, took = _interrupted("busy", "SIGINT")
    assert proc.stdout.split() == ["interrupted", "[]"], proc.stdout + proc.stderr
    assert proc.returncode == 0 and took < 30, (took, proc.stderr)
