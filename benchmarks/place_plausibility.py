"""The share of places found that are neither in the gazetteer nor plausible names.

usage: python benchmarks/place_plausibility.py DIR [DIR ...] [--show N]

Every document of the folders is read, cleaned and its places found (as ``govcase
ingest`` does). Each place of district level or below is counted once per article:

- ``gazetteer``: it has a division code, or its name or its base (徐汇 of 徐汇区) is the
  name or base of a district, street, community or village somewhere in the country;
- ``implausible``: otherwise, when its base is a word of jieba's dictionary that is no
  proper name (基层, 信用, 普通住宅) or holds a verb, adjective, adverb, pronoun, preposition,
  conjunction, particle (two characters or more) or a numeral with its classifier (巧妙利用,
  不少, 多名), and no name of the gazetteer holds that word (安居 of 安居苑 is a verb: names hold it);
- ``plausible``: the rest (estates and areas the gazetteer cannot know: 水澜轩小区).

Prints the counts, the share of implausible places and, with --show, examples.
The judge is deliberately independent of the finder's own model (placenames.plausible).
"""
from __future__ import annotations

import argparse
import lzma
import sys
from collections import Counter
from pathlib import Path

from govcase.placenames.gazetteer import base_name, gazetteer_path
from govcase.placenames.segment import cut, in_dictionary
from govcase.places import default_lexicon, find_places
from govcase.settings import default_data_dir
from govcase.text import split_sentences

from corpus import cleaned, documents

LOCAL = ("district", "street", "community", "estate", "area")
PROPER = ("ns", "nr", "nt", "nz", "j")
PHRASE_TAGS = ("v", "d", "a", "p", "c", "u", "r", "y", "e", "o")
LEVEL_OF = {"D": "district", "S": "street"}


def gazetteer_names() -> tuple[set[str], str]:
    """Names and bases of every district, street, community and village of the gazetteer, and
    all the names joined (for the words they hold)."""
    out: set[str] = set()
    with lzma.open(gazetteer_path(default_data_dir()), "rt", encoding="utf-8") as f:
        for line in f:
            kind, _, rest = line.rstrip("\n").partition("\t")
            if kind == "V":
                items = [(i[3:], "community") for i in rest.partition("\t")[2].split("|") if i]
            elif kind in LEVEL_OF:
                items = [(rest.split("\t")[1], LEVEL_OF[kind])]
            else:
                continue
            for name, level in items:
                out.add(name)
                out.add(base_name(name, level))
    return out, "|".join(sorted(out))


def base_of(name: str) -> str:
    for suffix in default_lexicon().suffixes:  # longest first
        if name.endswith(suffix.text) and len(name) > len(suffix.text):
            return name[: -len(suffix.text)]
    return name


def implausible(base: str, in_names) -> bool:
    """A dictionary word that is no proper name, or a phrase holding a verb, adjective, adverb,
    pronoun, preposition ... of two characters or more, or a numeral with its classifier; in
    each case a word that no real name of the gazetteer holds (安居 of 安居苑 is a verb, and names
    hold it; 基层, 信用, 巧妙 are held by none)."""
    words = cut(base)
    if len(words) == 1 and in_dictionary(base) and not words[0][1].startswith(PROPER):
        return not in_names(base)  # a dictionary word that is no name (基层, 信用)
    for i, (word, tag) in enumerate(words):
        if len(word) >= 2 and tag.startswith(PHRASE_TAGS) and not tag.startswith(PROPER + ("eng",)) \
                and not in_names(word):
            return True  # a verb phrase or function word (巧妙利用, 不少)
        if tag == "m" and i + 1 < len(words) and words[i + 1][1] == "q" and not in_names(word + words[i + 1][0]):
            return True  # 多名, 三个
    return False


def classify(place, known: set[str], joined: str) -> str:
    if place.code or place.name in known or base_of(place.name) in known:
        return "gazetteer"
    return "implausible" if implausible(base_of(place.name), joined.__contains__) else "plausible"


def run(folders: list[Path], show: int) -> dict[str, int]:
    known, joined = gazetteer_names()
    counts: Counter = Counter()
    examples: Counter = Counter()
    for article in cleaned(documents(folders)):
        places, _ = find_places(article.body, article.title, outlet=article.outlet,
                                sentences=split_sentences(article.body))
        for place in places:
            if place.level in LOCAL:
                kind = classify(place, known, joined)
                counts[kind] += 1
                if kind == "implausible":
                    examples[place.name] += 1
    total = sum(counts.values())
    share = counts["implausible"] / total if total else 0.0
    print(f"{total} places: " + ", ".join(f"{k} {counts[k]}" for k in ("gazetteer", "plausible", "implausible"))
          + f"; implausible share {share:.4f}")
    if show:
        print("  " + " ".join(f"{n}×{c}" for n, c in examples.most_common(show)))
    return dict(counts)


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("folders", nargs="+", type=Path)
    parser.add_argument("--show", type=int, default=0, help="print the N most frequent implausible names")
    args = parser.parse_args(argv)
    run(args.folders, args.show)
    return 0


if __name__ == "__main__":
    sys.exit(main())
