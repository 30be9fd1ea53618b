"""Characters per second of the pure stages, clean and tag, against jieba on the same text.

usage: python benchmarks/stages.py [DIR] [--n 5000] [--reps 3] [--seed 7] [--clock wall|process]

Without DIR, generates a corpus with ``../shared/tools/make_corpus.py --clean
--n N`` in a temporary folder. Every file is read and its encoding detected
(as ``govcase ingest`` does; not timed), then, on one core and in the same run:
``clean`` over every document, ``tag`` over every clean article (in the worker's batches of
``pipeline.BATCH``, through ``budget.tag_batch`` where the tree has it, as its workers do), and a plain
``jieba.lcut`` (HMM on) over the decoded text of every document. Characters
are those of the decoded raw text in all three, so the figures compare the
cost per input character. Each pass runs ``--reps`` times; the medians are
printed, with the ratio of each stage to jieba. ``--clock process`` times by the process's CPU
time (``time.process_time``) instead of the wall clock: on a machine that others share, the
steadier of the two for comparing trees run one after the other.
"""
from __future__ import annotations

import argparse
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

import jieba

from govcase.clean import clean
from govcase.decode import decode
from govcase.errors import RejectedDocument
from govcase.tagging.lexicon import load_lexicon
from govcase.tag import tag
from govcase.work import warm

from corpus import cleaned, documents

MAKE_CORPUS = Path(__file__).resolve().parents[2] / "shared" / "tools" / "make_corpus.py"


CLOCKS = {"wall": time.perf_counter, "process": time.process_time}


def _timed(function, items, clock) -> float:
    start = clock()
    for item in items:
        function(item)
    return clock() - start


def _median_rate(function, items, chars: int, reps: int, clock) -> float:
    return chars / statistics.median(_timed(function, items, clock) for _ in range(reps))


def run(folder: Path, reps: int, clock=time.perf_counter) -> dict[str, float]:
    from govcase.settings import default_data_dir

    docs = documents([folder])
    texts = [decode(d.data, d.encoding) for d in docs]
    chars = sum(len(t) for t in texts)
    lexicon = load_lexicon()
    warm(default_data_dir())  # gazetteer and lexicons loaded, as in a worker, before timing
    jieba.initialize()
    articles = list(cleaned(docs))
    for article in articles[:20]:  # first-use costs (jieba's dictionary, lazy tables) out of the timing
        tag(article, lexicon)
    print(f"{len(docs)} documents, {len(articles)} clean articles, {chars} decoded characters; {reps} repetitions")
    rates = {
        "clean": _median_rate(_clean_or_reject, docs, chars, reps, clock),
        "tag": _median_rate(_tagger(lexicon), _batches(articles), chars, reps, clock),
        "jieba.lcut": _median_rate(jieba.lcut, texts, chars, reps, clock),
    }
    clean_tag = 1 / (1 / rates["clean"] + 1 / rates["tag"])
    rates["clean+tag"] = clean_tag
    for name, rate in rates.items():
        print(f"{name:>11}: {rate:>10,.0f} chars/s  {1e6 / rate:5.2f} µs/char  "
              f"{rate / rates['jieba.lcut']:5.2f} × jieba")
    return rates


def _tagger(lexicon):
    """Tag a batch of articles as a worker does: budget.tag_batch, pass by pass over the batch,
    where the tree has it (since batchtag); one by one with ``tag`` in older trees."""
    try:
        from govcase.budget import tag_batch
    except ImportError:
        return lambda batch: [tag(a, lexicon) for a in batch]
    return lambda batch: tag_batch(batch, lexicon)


def _batches(articles: list) -> list[list]:
    """The articles in the worker's batches (pipeline.BATCH, 64 where the tree does not say)."""
    try:
        from govcase.pipeline import BATCH
    except ImportError:
        BATCH = 64
    return [articles[i:i + BATCH] for i in range(0, len(articles), BATCH)]


def _clean_or_reject(doc) -> None:
    try:
        clean(doc)
    except RejectedDocument:
        pass


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("folder", nargs="?", type=Path, help="a corpus folder (default: make one)")
    parser.add_argument("--n", type=int, default=5000, help="articles to generate (without DIR)")
    parser.add_argument("--seed", type=int, default=7)
    parser.add_argument("--reps", type=int, default=3, help="repetitions of each pass; medians are printed")
    parser.add_argument("--clock", choices=sorted(CLOCKS), default="wall",
                        help="time by the wall clock (default) or by the process's CPU time")
    args = parser.parse_args(argv)
    clock = CLOCKS[args.clock]
    if args.folder:
        run(args.folder, args.reps, clock)
        return 0
    with tempfile.TemporaryDirectory() as tmp:
        subprocess.run([sys.executable, str(MAKE_CORPUS), tmp, "--clean", "--n", str(args.n),
                        "--seed", str(args.seed)], check=True, stdout=subprocess.DEVNULL)
        run(Path(tmp), args.reps, clock)
    return 0


if __name__ == "__main__":
    sys.exit(main())
