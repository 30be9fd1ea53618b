"""Write what tag makes of every document of some folders, to compare two versions byte for byte.

usage: python benchmarks/tag_dump.py OUT DIR [DIR ...]

For every document of every DIR (read as ``govcase ingest`` reads it, then cleaned), one line
of OUT: the document's label, then the ``repr`` of its TaggedArticle (every field, sentences
included) or the reason clean rejected it. A speed change must leave OUT unchanged:
``cmp before.txt after.txt``.
"""
from __future__ import annotations

import argparse
import sys
from pathlib import Path

from govcase.clean import clean
from govcase.errors import RejectedDocument
from govcase.ingest import InputReject, read_documents
from govcase.tag import tag
from govcase.tagging.lexicon import load_lexicon


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("out", type=Path)
    parser.add_argument("folders", type=Path, nargs="+")
    args = parser.parse_args(argv)
    lexicon = load_lexicon()
    lines = 0
    with args.out.open("w", encoding="utf-8") as out:
        for doc in read_documents(args.folders):
            if isinstance(doc, InputReject):
                out.write(f"{doc!r}\n")
                continue
            try:
                article = clean(doc)
            except RejectedDocument as exc:
                out.write(f"{doc.source}\treject {exc}\n")
                continue
            out.write(f"{doc.source}\t{tag(article, lexicon)!r}\n")
            lines += 1
    print(f"{lines} tagged articles written to {args.out}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
