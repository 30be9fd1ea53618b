"""Places an article names, resolved into their hierarchy (pure after loading the lexicon).

``find_places(body, title)`` returns every place the article names at district
level or below, the provinces and cities above them, and where the body names
each one. The rules that find names and hang them under each other live in
``govcase.placenames``; the words they use are data in ``data/places/``.

Official names, division codes and parents come from the national gazetteer
(``data/places/gazetteer/``, built by scripts/build_gazetteer.py; linked by
``govcase.placenames.link``). Any object with a ``lookup`` method (``Gazetteer``
below) can stand in for it, such as the alias table ``data/places/aliases.tsv``,
which is also the default when the gazetteer file is absent.
"""
from __future__ import annotations

import os
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path
from typing import Callable, Protocol, Sequence

from govcase.placenames.gazetteer import NationalGazetteer, gazetteer_path, load_gazetteer
from govcase.placenames.lexicon import LEVEL_DEPTH, PlaceDataError, PlaceLexicon, load_place_lexicon
from govcase.placenames.link import link_article
from govcase.placenames.resolve import Article, Entity
from govcase.records import Place, PlaceMention, Sentence
from govcase.text import split_sentences

__all__ = ["find_places", "Gazetteer", "GazetteerEntry", "AliasTable", "NationalGazetteer", "default_lexicon",
           "default_gazetteer", "load_gazetteer", "load_place_lexicon", "PlaceDataError", "PlaceLexicon"]

LOCAL_LEVELS = ("district", "street", "community", "estate", "area")


@dataclass(frozen=True)
class GazetteerEntry:
    """What a gazetteer knows about a place."""

    official: str  # the official full name (天平路街道 for an article's 天平街道)
    code: str | None = None  # the official division code
    # the places above it, top first, as (name, level); used when the article names none
    parents: tuple[tuple[str, str], ...] = ()


class Gazetteer(Protocol):
    def lookup(self, name: str, level: str, ancestors: tuple[str, ...]) -> GazetteerEntry | None:
        """The entry for ``name`` (as the article writes it, canonical suffix; ``?`` marks a
        character the cleaner could not decode) at ``level`` under ``ancestors`` (names, top
        first, as resolved so far), or None when the gazetteer does not know it."""


class AliasTable:
    """The default gazetteer: data/places/aliases.tsv, one row per name as written."""

    def __init__(self, lex: PlaceLexicon):
        self.table = lex.aliases

    def lookup(self, name: str, level: str, ancestors: tuple[str, ...]) -> GazetteerEntry | None:
        hit = self.table.get((name, level))
        return GazetteerEntry(hit[0], hit[1]) if hit else None


def default_data_dir() -> Path:
    """data/places of the data folder; found once per GOVCASE_DATA_DIR (tag asks for it for
    every article, and finding the folder costs a few stat calls)."""
    return _places_dir(os.environ.get("GOVCASE_DATA_DIR"))


@lru_cache(maxsize=4)
def _places_dir(data_dir_variable: str | None) -> Path:
    from govcase.settings import default_data_dir as data_dir

    return data_dir() / "places"


@lru_cache(maxsize=1)
def default_lexicon() -> PlaceLexicon:
    return load_place_lexicon(default_data_dir())


@lru_cache(maxsize=1)
def default_gazetteer() -> NationalGazetteer | None:
    """The national gazetteer of the data folder, or None when its file is absent; looked up
    once per process, like default_lexicon (finding the data folder costs a few stat calls)."""
    from govcase.settings import default_data_dir as data_dir

    path = gazetteer_path(data_dir())
    return load_gazetteer(path) if path.is_file() else None


def find_places(body: str, title: str | None = None, *, outlet: str | None = None,
                lexicon: PlaceLexicon | None = None,
                gazetteer: Gazetteer | NationalGazetteer | None = None,
                sentences: Sequence[Sentence] = ()) -> tuple[list[Place], list[PlaceMention]]:
    """Every place ``body`` (and ``title``) names, and the body's mentions of them.

    Place.key is the chain of names from the top ("上海市/徐汇区/徐家汇街道"); every
    mention's ``body[start:end] == surface``; every parent key is among the places.
    ``sentences`` are the body's (text.split_sentences), when the caller has them already.
    """
    lex = lexicon or default_lexicon()
    gaz = gazetteer if gazetteer is not None else default_gazetteer() or AliasTable(lex)
    known = gaz.knows if isinstance(gaz, NationalGazetteer) else None
    article = Article(body, title, lex, outlet, known)
    article.resolve(tuple(sentences) or split_sentences(body))
    if isinstance(gaz, NationalGazetteer):
        link_article(article, gaz)
    else:
        _apply_gazetteer(article, gaz)
    return _emit(article)


def _names_above(ent: Entity) -> tuple[str, ...]:
    return tuple(a.name for a in reversed(ent.ancestors()))


def _apply_gazetteer(article: Article, gazetteer: Gazetteer) -> None:
    for ent in sorted(article.entities.values(), key=lambda e: (e.depth, e.name)):
        if ent.name not in article.entities:
            continue  # merged into another on the way
        entry = gazetteer.lookup(ent.name, ent.level, _names_above(ent))
        if entry is None:
            continue
        ent.code = entry.code or ent.code
        if ent.parent is None and entry.parents:
            above = None
            for name, level in entry.parents:
                node = article.entities.get(name) or Entity(name, level, name, "")
                article.entities.setdefault(name, node)
                if node.parent is None and above is not None and above.depth < node.depth:
                    node.parent = above
                above = node
            if above is not None and above.depth < ent.depth:
                ent.parent = above
        if entry.official != ent.name:
            if ent.name not in ent.written:
                ent.written.append(ent.name)
            other = article.entities.get(entry.official)
            if other is not None and other is not ent:
                article.absorb(other, ent)
                for e in article.entities.values():
                    if e.parent is ent:
                        e.parent = other
            else:
                del article.entities[ent.name]
                ent.name = entry.official
                article.entities[ent.name] = ent


def _emit(article: Article) -> tuple[list[Place], list[PlaceMention]]:
    keys: dict[int, str] = {}  # id(entity) -> its Place.key

    def key(ent: Entity, above: list[Entity] | None = None) -> str:
        """The names of ``ent``'s chain from the top; ``above``: its ancestors, if read already."""
        if id(ent) not in keys:
            keys[id(ent)] = "/".join([a.name for a in reversed(ent.ancestors() if above is None else above)]
                                     + [ent.name])
        return keys[id(ent)]

    keep: set[int] = set()
    for ent in article.entities.values():
        if ent.level in LOCAL_LEVELS and (ent.mentions or ent.title_hits):
            above = ent.ancestors()
            keep.add(id(ent))
            keep.update(map(id, above))
            key(ent, above)
    kept = [e for e in article.entities.values() if id(e) in keep]

    places = [Place(key(e), e.name, e.level, key(e.parent) if e.parent is not None else None, e.code,
                    tuple(sorted([w for w in e.written if w != e.name])))
              for e in kept]
    found = [(s, t, key(e)) for e in kept for s, t in e.mentions]
    divisions = {e.division.name: e for e in kept if e.division is not None}
    found += [(s, t, key(divisions[div.name])) for div, s, t, _ in article.division_hits
              if s >= 0 and div.name in divisions]
    mentions = [PlaceMention(k, article.body[s:t], s, t) for s, t, k in _without_overlaps(found, kept, key)]
    return sorted(places, key=lambda p: p.key), mentions


def _without_overlaps(found: list[tuple[int, int, str]], kept: list[Entity],
                      key: Callable[[Entity], str]) -> list[tuple[int, int, str]]:
    """The (start, end, place key) mentions that are kept, by offset: mentions never overlap, the
    longer one wins, then the deeper place (a safety net; the finders already avoid overlaps)."""
    by_start = sorted(found)
    if all(end <= start for (_, end, _), (start, _, _) in zip(by_start, by_start[1:])):
        return by_start  # none overlaps (the usual case): all are kept
    depth = {key(e): LEVEL_DEPTH[e.level] for e in kept}
    taken: list[tuple[int, int, str]] = []
    for s, t, k in sorted(found, key=lambda f: (-(f[1] - f[0]), -depth[f[2]], f[0], f[2])):
        if all(t <= a or s >= b for a, b, _ in taken):
            taken.append((s, t, k))
    return sorted(taken, key=lambda f: (f[0], f[1]))
