"""CPU time of the tag stage and of its three big parts (places, codes, outcomes), per character.

usage: python benchmarks/tag_parts.py DIR [--every 1] [--reps 5]
       PYTHONHASHSEED=0 valgrind --tool=callgrind --toggle-collect=functools_reduce \\
           --dump-after=functools_reduce --dump-instr=no python benchmarks/tag_parts.py DIR --every 4 --reps 1

Every ``--every``-th document of DIR is read and cleaned (not timed), the gazetteer and lexicons
loaded, every article tagged once (lazy tables, caches), and the inputs of each part computed.
Then each part runs over every article inside its own ``functools.reduce``, ``--reps`` times,
timed by ``time.process_time``; the medians are printed. Under callgrind, ``--dump-after``
writes one profile per reduce, in the order printed: the instructions of each part alone.
The instructions of a part and its CPU time need not move together: a tight C loop (the
regex engine, the automaton) runs several instructions a cycle, the interpreter far fewer
(issues 15 and 16 check 4, RESULTS.md). It imports govcase from wherever the running Python
finds it, so run with another tree's venv (``OTHER/.venv/bin/python benchmarks/...``) it measures that tree (b587181's find_codes
takes no place names: it is called without them).
"""
from __future__ import annotations

import argparse
import functools
import inspect
import statistics
import sys
import time
from pathlib import Path

from govcase.places import find_places
from govcase.tag import main_place, tag
from govcase.tagging.codes import find_codes
from govcase.tagging.outcomes import find_outcomes
from govcase.text import split_sentences

from corpus import tagged_once


def _inputs(articles: list, lexicon) -> list[tuple]:
    """(article, codes' arguments, place mentions, measures, main place) of every article."""
    with_names = "names" in inspect.signature(find_codes).parameters
    out = []
    for article in articles:
        body = article.body
        sentences = split_sentences(body)
        places, mentions = find_places(body, article.title, outlet=article.outlet, sentences=sentences)
        codes_args = (body, sentences, lexicon) + (([(m.start, m.end) for m in mentions],) if with_names else ())
        out.append((article, sentences, codes_args, mentions, find_codes(*codes_args)[0],
                    main_place(places, mentions)))
    return out


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("folder", type=Path, help="a corpus folder (e.g. make_corpus.py --clean --n 1000 --seed 7)")
    parser.add_argument("--every", type=int, default=1, help="tag every N-th document (default 1)")
    parser.add_argument("--reps", type=int, default=5, help="repetitions; medians are printed")
    args = parser.parse_args(argv)
    articles, lexicon = tagged_once(args.folder, args.every)
    inputs = _inputs(articles, lexicon)
    chars = sum(len(a.body) for a in articles)
    parts = {
        "places": lambda n, i: n + len(find_places(i[0].body, i[0].title, outlet=i[0].outlet, sentences=i[1])[1]),
        "codes": lambda n, i: n + len(find_codes(*i[2])[0]),
        "outcomes": lambda n, i: n + len(find_outcomes(i[0].body, i[1], i[3], i[4], i[5])),
        "tag": lambda n, i: n + len(tag(i[0], lexicon).outcomes),
    }
    print(f"{len(articles)} articles, {chars} body characters; CPU seconds, median of {args.reps}")
    for name, step in parts.items():
        seconds = []
        for _ in range(args.reps):
            start = time.process_time()
            functools.reduce(step, inputs, 0)
            seconds.append(time.process_time() - start)
        median = statistics.median(seconds)
        print(f"{name:>9}: {median:7.3f} s  {1e6 * median / chars:5.2f} µs/char  "
              f"({' '.join(f'{s:.3f}' for s in seconds)})", flush=True)
    return 0


if __name__ == "__main__":
    sys.exit(main())
