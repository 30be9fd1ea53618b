"""Build data/places/name_words.tsv.xz: how often each dictionary word occurs in real place names.

usage: python scripts/build_name_words.py [GAZETTEER] [--out PATH]

The plausibility model (govcase.placenames.plausible) weighs a word's share of the
words of real names (the gazetteer's ~660k communities, villages, streets and
districts, cut by jieba's dictionary without guesses) against its share of ordinary
text (jieba's frequencies): 阳光, 幸福, 建设 are common in both; 基层, 信用, 不少,
巧妙 never name a place. Only words of two characters or more that jieba's
dictionary holds are counted (the others have no frequency to compare with).
"""
from __future__ import annotations

import argparse
import logging
import lzma
import sys
from collections import Counter
from pathlib import Path

import jieba

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT / "src"))

from govcase.placenames.gazetteer import base_name  # noqa: E402

LEVEL_OF = {"D": "district", "S": "street"}


def names(path: Path):
    """(name, level) of every district, street, community and village of the gazetteer."""
    with lzma.open(path, "rt", encoding="utf-8") as f:
        for line in f:
            kind, _, rest = line.rstrip("\n").partition("\t")
            if kind == "V":
                for item in rest.partition("\t")[2].split("|"):
                    if item:
                        yield item[3:], "community"
            elif kind in LEVEL_OF:
                yield rest.split("\t")[1], LEVEL_OF[kind]


def count(path: Path) -> tuple[Counter, int]:
    jieba.setLogLevel(logging.WARNING)
    jieba.initialize()
    counts: Counter = Counter()
    total = 0
    for name, level in names(path):
        total += 1
        for word in set(jieba.lcut(base_name(name, level), HMM=False)):
            if len(word) >= 2 and jieba.dt.FREQ.get(word):
                counts[word] += 1
    return counts, total


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("gazetteer", nargs="?", type=Path,
                        default=ROOT / "data" / "places" / "gazetteer" / "gazetteer.tsv.xz")
    parser.add_argument("--out", type=Path, default=ROOT / "data" / "places" / "name_words.tsv.xz")
    args = parser.parse_args(argv)
    counts, total = count(args.gazetteer)
    lines = [f"#govcase-name-words\t1\t{total}"] + [f"{w}\t{n}" for w, n in sorted(counts.items())]
    args.out.write_bytes(lzma.compress(("\n".join(lines) + "\n").encode("utf-8")))
    print(f"{len(counts)} words from {total} names -> {args.out}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
