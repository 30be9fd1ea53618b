"""The tag loop alone, for counting its instructions under callgrind (issues 15 and 16, check 4).

usage: PYTHONHASHSEED=0 valgrind --tool=callgrind --toggle-collect=functools_reduce \\
           python benchmarks/tag_instructions.py DIR [--every 4]

Every file of DIR is read (as ``govcase ingest`` does), every ``--every``-th document
cleaned, the gazetteer and lexicons loaded, every clean article tagged once (lazy tables,
caches and first-use costs out of the count), then all of them tagged again inside
``functools.reduce``: ``--toggle-collect=functools_reduce`` counts that loop and nothing
else. Wall-clock time on a shared machine moves by ±15 % from run to run; the instruction
count repeats to within a few instructions when PYTHONHASHSEED is fixed (string hashes
decide the order of sets, so the count of a random seed moves a little). It imports govcase from wherever the running
Python finds it, so run with another tree's venv (``OTHER/.venv/bin/python benchmarks/...``) it counts
that tree's code.
"""
from __future__ import annotations

import argparse
import functools
import os
import sys
import time
from pathlib import Path

from govcase.tag import tag

from corpus import tagged_once


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("folder", type=Path, help="a corpus folder (e.g. make_corpus.py --clean --n 1000 --seed 7)")
    parser.add_argument("--every", type=int, default=4, help="tag every N-th document (default 4)")
    args = parser.parse_args(argv)
    articles, lexicon = tagged_once(args.folder, args.every)
    start = time.process_time()
    count = functools.reduce(lambda n, article: n + len(tag(article, lexicon).outcomes), articles, 0)
    seconds = time.process_time() - start
    chars = sum(len(a.body) for a in articles)
    print(f"{len(articles)} articles, {chars} body characters, {count} outcomes; "
          f"tag loop {seconds:.2f} s CPU (meaningless under valgrind)")
    return 0


if __name__ == "__main__":
    if "PYTHONHASHSEED" not in os.environ:
        print("PYTHONHASHSEED is unset: counts will move a little from run to run", file=sys.stderr)
    sys.exit(main())
