"""The documents and clean articles of corpus folders, read and cleaned as `govcase ingest` does
(shared by the benchmark scripts, which find it beside them: ``python benchmarks/X.py``).

Run with another tree's venv (``OTHER/.venv/bin/python benchmarks/X.py``), a script still reads
this file, and measures that tree's govcase: only read_documents and clean are used, which every
tree has.
"""
from __future__ import annotations

from pathlib import Path
from typing import Iterable, Iterator

from govcase.clean import clean
from govcase.errors import RejectedDocument
from govcase.ingest import InputReject, read_documents


def documents(folders: Iterable[Path], every: int = 1) -> list:
    """Every ``every``-th document of the folders that ingest reads (rejected inputs left out)."""
    return [d for d in read_documents(list(folders)) if not isinstance(d, InputReject)][::every]


def cleaned(docs: Iterable) -> Iterator:
    """The clean article of each document that clean does not reject, in order."""
    for doc in docs:
        try:
            yield clean(doc)
        except RejectedDocument:
            continue


def tagged_once(folder: Path, every: int = 1) -> tuple[list, object]:
    """(clean articles, lexicon) of every ``every``-th document of ``folder``, with the stages'
    data loaded as in a worker and each article tagged once, so that first-use costs (lazy
    tables, caches) stay out of what a script then times."""
    from govcase.settings import default_data_dir
    from govcase.tag import tag
    from govcase.tagging.lexicon import load_lexicon
    from govcase.work import warm

    articles = list(cleaned(documents([folder], every)))
    lexicon = load_lexicon()
    warm(default_data_dir())
    for article in articles:
        tag(article, lexicon)
    return articles, lexicon
