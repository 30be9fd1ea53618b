"""Link the places an article names to the national gazetteer (pure after loading it).

The article's own words come first (Article.resolve hangs each place under the one the
text puts it in); the gazetteer then decides, level by level from the top, which
division each district and street is, and hangs it under its official parent:

- candidates are the divisions that the written name can stand for: the official
  name, a former or short name, or its base (天平街道 for 天平路街道, for 天平镇);
- the article decides between them: a candidate inside the place the text puts it in
  scores most, then one inside any district the article names, then one inside a city
  or province it names (in the body or the title), then one that holds other places the
  article names (卧龙街道 picks the 鼓楼区 of 开封);
- a base-name candidate (天平 for 天平路) needs such context; an official name that
  only one division has is taken without it, unless the article's home city is elsewhere;
- a damaged name (龙?街道) matches the one division in context whose name fits it.

Communities and villages are only looked up under the streets and districts already
linked: the country has 620k of them and their names repeat everywhere.
"""
from __future__ import annotations

from typing import NamedTuple

from govcase.placenames.gazetteer import CONTEXT_KINDS, Match, NationalGazetteer, Unit
from govcase.placenames.names import damaged
from govcase.placenames.resolve import Article, Entity
from govcase.placenames.short_districts import find_short_districts
from govcase.placenames.sweep import Sweeper, communities_sought

# Scores of the evidence for a candidate (see the module docstring); a candidate with no
# evidence scores 0 and is taken only when it is the one official name in the country.
IN_TEXT_PARENT, IN_NAMED_DISTRICT, IN_NAMED_CITY, IN_NAMED_PROVINCE, PER_CHILD = 100, 50, 10, 5, 3
# The most homonyms of a street whose community lists are read to choose between them.
HOMONYMS_READ = 12
KIND_BONUS = {"name": 2, "former": 1, "short": 1, "base": 0, "road": 0}


class _Around(NamedTuple):
    """The other places of an article as the scores of one place's candidates read them."""

    homonyms: int  # how many candidates the place has (the units its name may stand for)
    others: list[list[Match]]  # the candidates of each other place of its level
    below: list[list[Match]]  # those of each street, for a district's candidates (else none)
    districts: list[str]  # the codes of the districts linked so far


class Linker:
    def __init__(self, article: Article, gaz: NationalGazetteer):
        self.article, self.gaz = article, gaz
        self.unit_of: dict[int, Unit] = {}  # id(entity) -> linked unit
        self.context: dict[str, int] = {}  # code of a province or city the article names -> weight
        self.home = None

    # -- the article's context -----------------------------------------------------------

    def _divisions(self) -> None:
        for ent in list(self.article.entities.values()):
            if ent.level in ("province", "city"):
                unit = self._unique(self.gaz.find(ent.name, ent.level))
                if unit is not None:
                    self.unit_of[id(ent)] = unit
                    self.context[unit.code] = self.context.get(unit.code, 0) + 1
        for div, _, _, weight in self.article.division_hits:
            unit = self._unique(self.gaz.find(div.name, div.level))
            if unit is not None and weight > 0:
                self.context[unit.code] = self.context.get(unit.code, 0) + weight
        # resolve found it, and changed no mention since: home_city would find the same again
        home = self.article.home
        if home is not None:
            self.home = self._unique(self.gaz.find(home.name, home.level))

    @staticmethod
    def _unique(matches: list[Match]) -> Unit | None:
        named = [m.unit for m in matches if m.kind == "name"]
        return named[0] if len(named) == 1 else None

    # -- scoring ------------------------------------------------------------------------------

    def _linked(self, level: str) -> list[Unit]:
        return [u for u in self.unit_of.values() if u.level == level]

    def _score(self, ent: Entity, unit: Unit, kind: str, around: _Around) -> int | None:
        """How strongly the article points at ``unit`` for ``ent``; None rules it out."""
        chain = self.gaz.chain_codes(unit.code)
        score = 0
        parent = self.unit_of.get(id(ent.parent)) if ent.parent is not None else None
        if parent is not None and parent.code in chain:
            score += IN_TEXT_PARENT
        if any(code in chain for code in around.districts if code != unit.code):
            score += IN_NAMED_DISTRICT
        for code in chain:
            if code in self.context:
                score += IN_NAMED_CITY if self.gaz.units[code].level == "city" else IN_NAMED_PROVINCE
        score += PER_CHILD * (self._children_inside(unit, around) + self._siblings(unit, around)
                              + self._communities_inside(unit, around))
        if kind in CONTEXT_KINDS and score < IN_NAMED_PROVINCE:
            return None  # 天平 for 天平路街道 only in an article about its district or city
        if score == 0 and self.home is not None and self.home.code not in chain:
            return None  # a name of another city in an article about this one
        return score * 4 + KIND_BONUS[kind]

    def _around(self, ent: Entity, matches: list[Match]) -> _Around:
        """What the scores of all of ``ent``'s candidates read of the other places (the article
        does not change while they are scored)."""
        def candidates(level: str) -> list[list[Match]]:
            return [self.gaz.find(e.name, level) for e in self.article.entities.values()
                    if e.level == level and e is not ent and not damaged(e.name)]

        # (a district's candidates are districts: only they read the streets below)
        below = candidates("street") if ent.level == "district" else []
        return _Around(len(matches), candidates(ent.level), below, [u.code for u in self._linked("district")])

    def _children_inside(self, unit: Unit, around: _Around) -> int:
        """How many other places of the article, one level down, lie inside ``unit``."""
        if unit.level != "district":
            return 0
        return sum(1 for found in around.below if any(self.gaz.is_within(m.unit.code, unit.code) for m in found))

    def _communities_inside(self, unit: Unit, around: _Around) -> int:
        """How many of the communities the gazetteer lists under the street ``unit`` the article
        writes: a town name a dozen towns share is settled by its community (望城街道南屏苑社区).
        Only for names few streets share: each candidate's list is read."""
        if unit.level != "street" or not 1 < around.homonyms <= HOMONYMS_READ:
            return 0  # (one street of the name: nothing to choose)
        if self.home is not None and not self.gaz.is_within(unit.code, self.home.code):
            return 0  # (an article about another city: its communities say nothing here)
        body = self.article.body
        return sum(1 for head, forms, _ in communities_sought(self.gaz, unit.code)
                   if head in body and any(form in body for form in forms))

    def _siblings(self, unit: Unit, around: _Around) -> int:
        """How many other places of the article at the same level may share ``unit``'s parent
        (天平、湖南、徐家汇等街道: three streets of 徐汇区)."""
        if unit.parent is None:
            return 0
        return sum(1 for found in around.others if any(m.unit.parent == unit.parent and m.unit.code != unit.code
                                                       for m in found))

    def _choose(self, ent: Entity) -> tuple[int, Unit] | None:
        """The best-supported candidate for ``ent`` and its score, or None when none is clear."""
        if damaged(ent.name):
            scopes = [u.code for u in self._linked("district")] or list(self.context)
            found = {u.code: u for s in scopes for u in self.gaz.find_damaged(ent.name, ent.level, s)}
            return (IN_NAMED_DISTRICT, next(iter(found.values()))) if len(found) == 1 else None
        scored = []
        matches = self.gaz.find(ent.name, ent.level)
        around = self._around(ent, matches) if matches else None
        for m in matches:
            score = self._score(ent, m.unit, m.kind, around)
            if score is not None:
                scored.append((score, m))
        if not scored:
            return None
        scored.sort(key=lambda sm: -sm[0])
        best = scored[0]
        if len(scored) > 1 and scored[1][0] == best[0]:
            return None  # 鼓楼区 in an article that names no city: cannot tell
        if best[0] < 4 and sum(1 for _, m in scored if m.kind == "name") != 1:
            return None
        return best[0], best[1].unit

    # -- linking -------------------------------------------------------------------------------

    def run(self) -> None:
        self._divisions()
        self._split_glued()
        find_short_districts(self)
        for level in ("district", "street"):
            if level == "street":
                self._sweep("street")
                Sweeper(self).short_streets()
            # the best-supported place first: each link is context for the next
            pending = sorted((e for e in self.article.entities.values() if e.level == level),
                             key=lambda e: e.name)
            while pending:
                choices = [(c, i) for i, c in enumerate(map(self._choose, pending)) if c is not None]
                if not choices:
                    break
                (_, unit), i = max(choices, key=lambda ci: (ci[0][0], -ci[1]))
                self._link(pending.pop(i), unit)
        self._sweep("community")
        self.article.join_split()  # the communities found by the sweep hold names split before
        self._communities()

    def _split_glued(self) -> None:
        """神木市西沟街道, (宁江)区工农街道: a district written right before one of its streets that
        the suffix grammar read as one street name; the gazetteer knows where the street starts."""
        body = self.article.body
        for ent in [e for e in self.article.entities.values() if e.level == "street" and e.mentions]:
            if self.gaz.find(ent.name, "street"):
                continue
            for a, b in list(ent.mentions):
                split = self._glued_at(body, a, b)
                if split is None:
                    continue
                d0, cut, district, street = split
                ent.mentions.remove((a, b))
                d_ent = self.entity_for(district)
                d_ent.mentions.append((d0, cut))
                s_ent = self.entity_for(street)
                s_ent.mentions.append((cut, b))
                s_ent.parent = d_ent
                for other in self.article.entities.values():
                    if other.parent is ent:
                        other.parent = s_ent
            if not ent.mentions and not ent.title_hits and ent.name in self.article.entities:
                del self.article.entities[ent.name]

    def _glued_at(self, body: str, a: int, b: int) -> tuple[int, int, Unit, Unit] | None:
        for k in range(1, b - a - 2):
            for m in self.gaz.find(body[a + k:b], "street"):
                if m.kind != "name" or m.unit.parent is None:
                    continue
                district = self.gaz.units[m.unit.parent]
                forms = set(self.gaz.names_of(district.code))
                for j in range(0, 5):
                    if a - j >= 0 and body[a - j:a + k] in forms and len(body[a - j:a + k]) >= 2:
                        return a - j, a + k, district, m.unit
        return None

    def _sweep(self, level: str) -> None:
        Sweeper(self).run(level)

    def entity_for(self, unit: Unit) -> Entity:
        """The article's entity for ``unit``, made (with its chain) when the article has none."""
        for ent in self.article.entities.values():
            if self.unit_of.get(id(ent)) is unit or (ent.name == unit.name and ent.level == unit.level):
                self.unit_of[id(ent)] = unit
                return ent
        lex = self.article.lex
        div = lex.divisions.get(unit.name)
        if div is not None and div.level == unit.level:
            ent = self.article.division_entity(div)
        else:
            ent = Entity(unit.name, unit.level, unit.name, "")
            self.article.entities[unit.name] = ent
        ent.code = unit.code
        self.unit_of[id(ent)] = unit
        if unit.parent is not None:
            parent = self.entity_for(self.gaz.units[unit.parent])
            if ent.parent is None or id(ent.parent) not in self.unit_of:
                ent.parent = parent
        return ent

    def _link(self, ent: Entity, unit: Unit) -> None:
        twin = next((e for e in self.article.entities.values() if e is not ent
                     and self.unit_of.get(id(e)) is unit), None)
        if twin is not None:  # 天平街道 and 天平路街道 in one article: one place
            self.article.absorb(twin, ent)
            self._reparent(ent, twin)
            return
        self.unit_of[id(ent)] = unit
        ent.code = unit.code
        if unit.name != ent.name:
            self._rename(ent, unit.name)
        parent_unit = self.gaz.units.get(unit.parent) if unit.parent else None
        if self._in_zone(ent):
            return  # 高新区合作街道: the zone the text puts a street in administers it
        if parent_unit is not None:
            current = self.unit_of.get(id(ent.parent)) if ent.parent is not None else None
            if current is None or current.code != parent_unit.code:
                ent.parent = self.entity_for(parent_unit)

    def _in_zone(self, ent: Entity) -> bool:
        """True when the text puts ``ent`` in a development zone the gazetteer does not hold."""
        parent = ent.parent
        return parent is not None and id(parent) not in self.unit_of and parent in ent.evidence \
            and parent.suffix in self.article.lex.zone_suffixes

    def _rename(self, ent: Entity, name: str) -> None:
        other = self.article.entities.get(name)
        if ent.name not in ent.written:
            ent.written.append(ent.name)
        if other is not None and other is not ent:
            self.article.absorb(other, ent)
            self._reparent(ent, other)
            return
        del self.article.entities[ent.name]
        ent.name = name
        self.article.entities[name] = ent

    def _reparent(self, old: Entity, new: Entity) -> None:
        for e in self.article.entities.values():
            if e.parent is old:
                e.parent = new

    def _communities(self) -> None:
        """Codes of communities, looked up under the street or district the text puts them in,
        else under the one linked street (or district) of the article that holds the name."""
        for ent in [e for e in self.article.entities.values() if e.level == "community"]:
            parent = self.unit_of.get(id(ent.parent)) if ent.parent is not None else None
            scopes = [parent] if parent is not None and parent.level in ("street", "district") else []
            scopes += self._linked("street") + self._linked("district")
            for scope in scopes:
                hits = self.gaz.community_in(ent.name, scope.code)
                if len(hits) != 1:
                    continue
                ent.code = hits[0].code
                street = self.gaz.units.get(hits[0].parent)
                holder = next((e for e in self.article.entities.values()
                               if street is not None and self.unit_of.get(id(e)) is street), None)
                if holder is not None and (parent is None or parent.level != "street" or scope is not parent):
                    # the named street that holds it, below its district, or instead of the street
                    # the text put it near (石牌村、石井街 ... 马岗村: the lists say 石井街)
                    ent.parent = holder
                elif parent is None and scope is not None:
                    ent.parent = self.entity_for(scope)
                break


def link_article(article: Article, gaz: NationalGazetteer) -> None:
    """Give the article's districts, streets and communities their official names, codes
    and parents (changes the article's entities in place)."""
    Linker(article, gaz).run()

