"""CPU seconds on the critical path of one govcase command: what its wall time follows on an
idle machine with a core for each process, measured on a busy one.

    python benchmarks/critical_path.py ingest new/ --db cases.db
    python benchmarks/critical_path.py reload --db cases.db

Runs the command in this process (as ``govcase`` would, helper process included) and prints to
stderr: "pre", this process's CPU until it first waits for clean and tag results; "helper", the
CPU of its child processes (the helper of govcase.prestart; a worker pool's too, which makes the
estimate meaningless for commands large enough to start one); "post", this process's CPU after; "critical" = max(pre, helper)
+ post (without a helper, all of this process's CPU); "tree", the sum. On a shared machine wall
times swing with the load, while these CPU seconds move far less: run the branches to compare
alternately, in the same minutes.
"""
import resource
import sys
import time

import govcase.cli as cli
from govcase import pipeline

marks: dict[str, float] = {}
_perform = pipeline.Pipeline._perform


def _marked(self, *args, **kwargs):
    marks.setdefault("pre", time.process_time())
    return _perform(self, *args, **kwargs)


def main() -> None:
    pipeline.Pipeline._perform = _marked
    sys.argv = ["govcase", *sys.argv[1:]]
    try:
        cli.main()
    except SystemExit:
        pass
    total = time.process_time()
    children = resource.getrusage(resource.RUSAGE_CHILDREN)
    helper = children.ru_utime + children.ru_stime
    pre = marks.get("pre", total)
    post = total - pre
    critical = max(pre, helper) + post if helper else total
    print(f"pre {pre:.2f} helper {helper:.2f} post {post:.2f} critical {critical:.2f} tree {total + helper:.2f}",
          file=sys.stderr)


if __name__ == "__main__":
    main()
