"""Names the gazetteer holds under a linked place, looked for in the article body (pure).

Once an article's district is linked, the names of its streets are known, and once a
street is linked, the names of its communities: finding those names in the text is
surer than the suffix grammar, which must guess where an unknown name starts.
"""
from __future__ import annotations

import re
from functools import lru_cache
from typing import TYPE_CHECKING

from govcase.placenames.gazetteer import ROAD_WORDS, NationalGazetteer, Unit, base_name
from govcase.placenames.resolve import Entity

if TYPE_CHECKING:
    from govcase.placenames.link import Linker

# What follows a road's 街, not a street's (石井街道, 石井街12号, 石井街口, 石井街坊).
_ROAD_GOES_ON = re.compile(r"[道路巷口坊头区\d０-９一二三四五六七八九十]")
# How articles write a community the gazetteer names X社区, X村 or X居委会.
COMMUNITY_FORMS = ("社区", "居民区", "村", "居委会")


# Units whose written forms are remembered (~200 B an entry): the sweeps of every article read
# the forms of every street of its district and every community of its streets.
FORMS_CACHE = 16384


@lru_cache(maxsize=FORMS_CACHE)
def _forms(name: str, level: str) -> tuple[str, ...]:
    """How articles write the street or community the gazetteer calls ``name``."""
    if level == "street":
        out = [name]
        base = base_name(name, "street")
        for road in ROAD_WORDS:  # 天平路街道 written 天平街道 in an article about its district
            if base.endswith(road) and len(base) - len(road) >= 2 and name.endswith("街道"):
                out.append(base[: -len(road)] + "街道")
                break
        return tuple(out)
    base = base_name(name, "community")
    if len(base) < 2 or base == name:
        return (name,) if len(name) >= 3 else ()
    return tuple(base + f for f in COMMUNITY_FORMS)


# Districts and streets whose children's forms are kept ready (~100 B a child, ~20 children).
SOUGHT_CACHE = 4096


@lru_cache(maxsize=SOUGHT_CACHE)
def _sought(gaz: NationalGazetteer, code: str, level: str) -> tuple[tuple[str, tuple[str, ...], Unit], ...]:
    """(first two characters, written forms, unit) of the streets (``level`` "street") or the
    communities of ``code``, in the gazetteer's order: the sweep of every article about a
    place reads them all again (the units are the gazetteer's own objects, kept once made)."""
    children = gaz.under(code, "street") if level == "street" else gaz.communities(code)
    return tuple((child.name[:2], _forms(child.name, child.level), child) for child in children)


def communities_sought(gaz: NationalGazetteer, street: str) -> tuple[tuple[str, tuple[str, ...], Unit], ...]:
    """(first two characters, written forms, unit) of the communities of ``street``: what the
    sweep looks for, which linking reads too to choose between streets of one name."""
    return _sought(gaz, street, "community")


class Sweeper:
    """Names of the streets of a linked district, and of the communities of a linked street,
    looked for in the body: the gazetteer knows where such a name starts better than the
    suffix grammar does (东丽区新立街道, 宁江区工农街道, 振兴东路街道)."""

    def __init__(self, linker: Linker):
        self.linker = linker
        self.article = linker.article
        self._index: _Mentions | None = None  # made on the first claim

    def forms(self, child: Unit) -> tuple[str, ...]:
        return _forms(child.name, child.level)

    def run(self, level: str) -> None:
        above = "district" if level == "street" else "street"
        holders = [(e, u) for e in list(self.article.entities.values())
                   if (u := self.linker.unit_of.get(id(e))) is not None and u.level == above and e.mentions]
        body, gaz = self.article.body, self.linker.gaz
        for holder, unit in holders:
            for head, forms, child in _sought(gaz, unit.code, level):
                if head not in body:
                    continue  # every form of a name begins with its first two characters (see forms)
                for form in forms:
                    start = body.find(form)
                    while start >= 0:
                        self.claim(child, start, start + len(form), holder)
                        start = body.find(form, start + len(form))

    def short_streets(self) -> None:
        """石井街 for 石井街道: the cities that write 街 for 街道 (data/places/boundaries.yaml,
        short_street_cities) in articles about them or their districts; a road (石井街12号,
        石井街道) is not such a street."""
        linker, body = self.linker, self.article.body
        cities = self.article.lex.short_street_cities
        scopes = [u for u in linker.unit_of.values() if u.level == "district"
                  and any(c.name in cities for c in linker.gaz.chain(u.code))]
        if linker.home is not None and linker.home.name in cities:
            scopes.append(linker.home)
        seen: set[str] = set()
        for scope in scopes:
            for child in linker.gaz.under(scope.code, "street"):
                base = base_name(child.name, "street")
                if child.code in seen or not child.name.endswith("街道") or len(base) < 2 or base + "街" not in body:
                    continue
                seen.add(child.code)
                start = body.find(base + "街")
                while start >= 0:
                    end = start + len(base) + 1
                    if not _ROAD_GOES_ON.match(body, end):  # (the district made only for a claim)
                        self.claim(child, start, end, linker.entity_for(linker.gaz.units[child.parent]))
                    start = body.find(base + "街", end)

    def claim(self, child: Unit, s: int, e: int, holder: Entity) -> None:
        """The name of ``child`` written at [s, e) of the body is a mention of it, unless a place
        the article already has there says otherwise.

        The places are read in the article's order and each one's mentions in its own order, as
        a loop over all of them would; only those that overlap [s, e) are read, found by their
        start (issue 17: reading every mention for every claim was quadratic in the length)."""
        article, linker = self.article, self.linker
        if self._index is None:
            self._index = _Mentions(article)
        index = self._index
        after = None
        hits = index.overlapping(s, e)
        for ent in list(article.entities.values()) if hits else ():
            if ent not in hits:
                continue
            spans = hits[ent]
            if len(spans) > 1:  # (several: read in the order of its list, as written)
                spans = [(a, b) for a, b in ent.mentions if not (b <= s or a >= e)]
            for a, b in spans:
                if s <= a and b <= e and b - a < e - s and article.body[a:b] == ent.base:
                    index.remove(ent, a, b)  # 前进 of 前进社区 is no short form of 前进街道
                    continue
                unit = linker.unit_of.get(id(ent))
                if (a, b) == (s, e) or (a <= s and b >= e and ent.level == child.level):
                    if unit is None and (a, b) == (s, e) and child.level == "community":
                        ent.code = child.code  # a community keeps the name as written
                        linker.unit_of[id(ent)] = child
                    elif unit is None and (a, b) == (s, e):
                        linker._link(ent, child)
                        if article.entities.get(ent.name) is not ent:
                            index.rebuild()  # absorbed into a twin: its mentions moved
                    return  # already this place (or a longer name that holds it)
                if unit is not None:
                    return
                if a < s and b == e and ent.level == child.level:
                    index.remove(ent, a, b)  # 区工农街道: the district's last character glued on
                elif (s < a or child.level == "street") and s <= a < e < b and ent.name == article.body[a:b] \
                        and b - e >= len(ent.suffix) + 2:
                    # 街道幸福里小区, 文安驿镇文安社区: the place after the street starts where it ends
                    # (新泾五村小区 is an estate named after the community 新泾五村: it stays whole)
                    index.remove(ent, a, b)
                    if self._respan(ent, e, b):
                        index.rebuild()  # absorbed: another place holds its mentions now
                        hits = index.overlapping(s, e)
                    else:
                        index.add(ent, e, b)
                    after = ent
                    continue
                else:
                    return
                if not ent.mentions and not ent.title_hits:
                    self._drop(ent, child, holder)
        ent = linker.entity_for(child) if child.level == "street" else self._community(child, holder)
        if not index.has(ent, s, e):
            index.add(ent, s, e)
            written = article.body[s:e]
            if written != ent.name and written not in ent.written:
                ent.written.append(written)
        if ent.parent is None or id(ent.parent) not in linker.unit_of:
            ent.parent = holder
        if after is not None and after.name in article.entities:
            after.parent = ent  # the place written right after it lies in it

    def _community(self, child: Unit, holder: Entity) -> Entity:
        for ent in self.article.entities.values():
            if self.linker.unit_of.get(id(ent)) is child:
                return ent
        base = base_name(child.name, "community")
        name = base + "社区" if child.name.endswith("居委会") and base != child.name else child.name
        ent = self.article.entities.get(name)
        if ent is None:
            ent = Entity(name, "community", base, name[len(base):])
            self.article.entities[name] = ent
        ent.code = child.code
        self.linker.unit_of[id(ent)] = child
        ent.parent = holder
        return ent

    def _respan(self, ent: Entity, a: int, b: int) -> bool:
        """``ent`` is the name at [a, b) now; True when that made it one with a place of that name
        (which takes its other mentions; the caller adds [a, b) to ``ent`` otherwise)."""
        name = self.article.body[a:b]
        if name in self.article.entities:
            self.article.absorb(self.article.entities[name], ent)
            return True
        del self.article.entities[ent.name]
        ent.name, ent.base = name, name[: len(name) - len(ent.suffix)] if ent.suffix else name
        self.article.entities[name] = ent
        return False

    def _drop(self, ent: Entity, child: Unit, holder: Entity) -> None:
        del self.article.entities[ent.name]
        for other in self.article.entities.values():
            if other.parent is ent:
                other.parent = holder
            other.evidence = [x for x in other.evidence if x is not ent]


class _Mentions:
    """The body mentions of an article's places by their start, kept in step with the places'
    own lists by the claims that change them (a claim adds and removes mentions through it)."""

    def __init__(self, article):
        self.article = article
        self.rebuild()

    def rebuild(self) -> None:
        self.at: dict[int, list[tuple[Entity, int]]] = {}  # start -> (place, end) per mention
        self.longest = 0  # no mention is longer: one overlapping [s, e) starts after s - longest
        for ent in self.article.entities.values():
            for a, b in ent.mentions:
                self._note(ent, a, b)

    def _note(self, ent: Entity, a: int, b: int) -> None:
        self.at.setdefault(a, []).append((ent, b))
        if b - a > self.longest:
            self.longest = b - a

    def add(self, ent: Entity, a: int, b: int) -> None:
        ent.mentions.append((a, b))
        self._note(ent, a, b)

    def remove(self, ent: Entity, a: int, b: int) -> None:
        ent.mentions.remove((a, b))
        entries = self.at.get(a, [])
        if (ent, b) in entries:  # (not there for a place absorbed during the claim: it is read no more)
            entries.remove((ent, b))

    def has(self, ent: Entity, a: int, b: int) -> bool:
        """``(a, b) in ent.mentions``, without reading them all."""
        return any(x is ent and end == b for x, end in self.at.get(a, ()))

    def overlapping(self, s: int, e: int) -> dict[Entity, list[tuple[int, int]]]:
        """The mentions that overlap [s, e) (as ``not (b <= s or a >= e)``), by place."""
        out: dict[Entity, list[tuple[int, int]]] = {}
        for a in range(s - self.longest + 1, e):
            for ent, b in self.at.get(a, ()):
                if b > s:
                    out.setdefault(ent, []).append((a, b))
        return out
