"""CPU seconds of find_codes and find_outcomes alone, over clean articles with their places found.

usage: python benchmarks/codes_cost.py DIR [DIR ...] [--reps 5]

Every file under the folders is read, cleaned and its places found once (not timed); then each
pass of ``find_codes`` (and of ``find_outcomes`` on its measures) over all articles is timed in
process CPU time, ``--reps`` times, and the fastest and the median pass are printed. CPU time, not
wall time: on a shared machine the wall clock measures the neighbours. For a figure that does not
move with the load at all, run one pass under ``valgrind --tool=callgrind`` with ``--reps 1``
and compare the instruction totals of two checkouts (minus a run with ``--reps 0``, the set-up).
"""
from __future__ import annotations

import argparse
import statistics
import sys
import time
from pathlib import Path

from govcase.places import find_places
from govcase.tagging.codes import find_codes
from govcase.tagging.lexicon import load_lexicon
from govcase.tagging.outcomes import find_outcomes
from govcase.text import split_sentences

from corpus import cleaned, documents


def prepare(folders: list[Path]) -> list[tuple]:
    """(body, sentences, place mentions) of every article that cleans."""
    inputs = []
    for article in cleaned(documents(folders)):
        sentences = split_sentences(article.body)
        _, mentions = find_places(article.body, article.title, outlet=article.outlet, sentences=sentences)
        inputs.append((article.body, sentences, mentions))
    return inputs


def _cpu(function) -> float:
    start = time.process_time()
    function()
    return time.process_time() - start


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("folders", nargs="+", type=Path)
    parser.add_argument("--reps", type=int, default=5, help="passes of each function (0: set-up only)")
    args = parser.parse_args(argv)
    inputs = prepare(args.folders)
    lexicon = load_lexicon()
    names = [[(m.start, m.end) for m in mentions] for _, _, mentions in inputs]
    measures = [find_codes(body, sentences, lexicon, n)[0] for (body, sentences, _), n in zip(inputs, names)]

    def codes() -> None:
        for (body, sentences, _), n in zip(inputs, names):
            find_codes(body, sentences, lexicon, n)

    def outcomes() -> None:
        for (body, sentences, mentions), found in zip(inputs, measures):
            find_outcomes(body, sentences, mentions, found, None)

    chars = sum(len(body) for body, _, _ in inputs)
    print(f"{len(inputs)} articles, {chars} characters; {args.reps} passes each (process CPU time)")
    for name, function in (("find_codes", codes), ("find_outcomes", outcomes)):
        times = [_cpu(function) for _ in range(args.reps)]
        if times:
            print(f"{name:>13}: fastest {min(times):.3f} s, median {statistics.median(times):.3f} s, "
                  f"{1e6 * min(times) / chars:.3f} µs/char")
    return 0


if __name__ == "__main__":
    sys.exit(main())
