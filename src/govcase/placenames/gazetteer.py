"""The national gazetteer: every division of the country from province to community.

Read from data/places/gazetteer/gazetteer.tsv.xz (built by scripts/build_gazetteer.py;
FORMAT.md there describes the rows). Provinces, cities, districts and streets (about
45k rows) are parsed at load; the 620k communities and villages stay one string per
street until an article names that street or its district (``communities``), which
keeps loading under a second and the memory to a few tens of MB.
"""
from __future__ import annotations

import lzma
import re
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path

from govcase.placenames.lexicon import PlaceDataError

FILE_NAME = "gazetteer.tsv.xz"
FORMAT_VERSION = "1"
LEVEL_OF = {"P": "province", "C": "city", "D": "district", "S": "street"}
# Level endings dropped to get a name's base: 徐汇 of 徐汇区, 天平路 of 天平路街道.
ENDINGS = {
    "district": ("自治县", "自治旗", "林区", "新区", "区", "县", "市", "旗"),
    "street": ("街道办事处", "街道", "民族乡", "民族镇", "镇", "乡", "苏木"),
    "community": ("社区居委会", "居民委员会", "居委会", "居民区", "社区", "村委会", "村", "嘎查"),
}
# A street named after a road (天平路街道) is also written without the road word (天平街道),
# but only an article that names its district or city may be read so.
ROAD_WORDS = ("大街", "大道", "路", "街")
DAMAGE = "?\ufffd"
# Names whose matches a gazetteer remembers: linking asks for the same few names again for
# every candidate it scores, and names recur from article to article (~300 B an entry).
FIND_CACHE = 4096
# Streets and districts whose communities are remembered by initial (lists of the units the
# gazetteer holds anyway): an article's communities are looked up under the same few scopes.
SCOPE_CACHE = 64


def base_name(name: str, level: str) -> str:
    """The name without its level ending, when two characters remain (徐汇区 -> 徐汇)."""
    for ending in ENDINGS.get(level, ()):
        if name.endswith(ending) and len(name) - len(ending) >= 2:
            return name[: -len(ending)]
    return name


@dataclass(frozen=True, slots=True)
class Unit:
    """One division of the gazetteer."""

    code: str  # official code: 6 digits down to districts, 9 for streets, 12 for communities
    name: str  # official name
    level: str  # province | city | district | street | community
    parent: str | None  # the code of the unit above it
    nbs: str = ""  # the statistics bureau's street code (keys the street's communities)


@dataclass(frozen=True, slots=True)
class Match:
    unit: Unit
    kind: str  # name | former | short | base | road: how the written name matched


# Kinds of match that need the article to name a place above the unit first.
CONTEXT_KINDS = ("base", "road")


class NationalGazetteer:
    """Units by code, by name (official, former and short names) and by parent."""

    def __init__(self, text: str, version: str = ""):
        self.version = version
        self.units: dict[str, Unit] = {}
        self.keys: dict[str, list[tuple[str, str]]] = {}  # written form -> (code, kind)
        self.children: dict[str, list[str]] = {}
        self._blocks: dict[str, str] = {}  # statistics street code -> "001name|002name ..."
        self._parsed: dict[str, tuple[Unit, ...]] = {}
        self._names: dict[str, list[str]] = {}
        self._chains: dict[str, tuple[Unit, ...]] = {}  # at most the 45k districts and streets
        self._read(text)
        self._matches = lru_cache(maxsize=FIND_CACHE)(self._find)
        self._initials = lru_cache(maxsize=SCOPE_CACHE)(self._communities_by_initial)

    # Kept parsed between runs (govcase.diskcache): units as plain tuples, which unpickle three
    # times as fast as slotted dataclasses; the memo of finds is not kept.
    def __getstate__(self) -> dict:
        state = {k: v for k, v in vars(self).items() if k not in ("_matches", "_initials", "_parsed", "_names")}
        state["units"] = [(u.code, u.name, u.level, u.parent, u.nbs) for u in self.units.values()]
        return state

    def __setstate__(self, state: dict) -> None:
        vars(self).update(state, _parsed={}, _names={})
        self.units = {fields[0]: Unit(*fields) for fields in state["units"]}
        self._matches = lru_cache(maxsize=FIND_CACHE)(self._find)
        self._initials = lru_cache(maxsize=SCOPE_CACHE)(self._communities_by_initial)

    # -- loading --------------------------------------------------------------------------

    def _read(self, text: str) -> None:
        lines = text.split("\n")
        if not lines or not lines[0].startswith("#govcase-gazetteer\t" + FORMAT_VERSION):
            raise PlaceDataError("the gazetteer file has no '#govcase-gazetteer\t1' header: "
                                 "rebuild it with scripts/build_gazetteer.py")
        for line in lines:
            if not line or line[0] == "#":
                continue
            kind, _, rest = line.partition("\t")
            if kind == "V":
                street, _, block = rest.partition("\t")
                self._blocks[street] = block
                continue
            code, name, parent, alias, nbs = rest.split("\t")
            level = LEVEL_OF[kind]
            unit = Unit(code, name, level, parent or None, nbs)
            self.units[code] = unit
            if parent:
                self.children.setdefault(parent, []).append(code)
            self._key(name, code, "name")
            for a in alias.split(",") if alias else ():
                self._key(a[2:], code, "former" if a[0] == "f" else "short")
            base = base_name(name, level)
            if base != name and level in ("district", "street"):
                self._key(base, code, "base")
                for road in ROAD_WORDS if level == "street" else ():
                    if base.endswith(road) and len(base) - len(road) >= 2:
                        self._key(base[: -len(road)], code, "road")
                        break

    def names_of(self, code: str) -> list[str]:
        """Every written form the gazetteer knows for a district or street (official, former,
        short, base); built on first use."""
        if not self._names:
            for key, hits in self.keys.items():
                for c, _ in hits:
                    self._names.setdefault(c, []).append(key)
        return self._names.get(code, [])

    def _key(self, key: str, code: str, kind: str) -> None:
        hits = self.keys.setdefault(key, [])
        if all(c != code for c, _ in hits):
            hits.append((code, kind))

    # -- queries ----------------------------------------------------------------------------

    def chain(self, code: str) -> tuple[Unit, ...]:
        """The unit and every unit above it, top first (province ... unit); remembered per code
        (linking asks for the chains of the same few candidates again and again)."""
        found = self._chains.get(code)
        if found is None:
            out, unit = [], self.units.get(code)
            while unit is not None and len(out) < 6:
                out.append(unit)
                unit = self.units.get(unit.parent) if unit.parent else None
            found = self._chains[code] = tuple(out[::-1])
        return found

    def is_within(self, code: str, ancestor: str) -> bool:
        return any(u.code == ancestor for u in self.chain(code))

    def find(self, name: str, level: str) -> list[Match]:
        """Units at ``level`` that ``name`` (a full name as written) may stand for: its own
        name, a former or short name, or its base (天平 of 天平街道 for 天平路街道)."""
        return list(self._matches(name, level))

    def _find(self, name: str, level: str) -> tuple[Match, ...]:
        out: dict[str, Match] = {}
        base = base_name(name, level)
        for key, exact in ((name, True), (base, False)):
            for code, kind in self.keys.get(key, ()):
                unit = self.units[code]
                if unit.level != level or code in out:
                    continue
                if not exact and kind in ("name", "former"):
                    kind = "base"  # 天平街道 for a 天平镇
                out[code] = Match(unit, kind)
        return tuple(sorted(out.values(), key=lambda m: m.unit.code))

    def knows(self, name: str, level: str, loose: bool = False) -> bool:
        """True when ``name`` is the official, former or short name of a unit at ``level``;
        ``loose``: or it may stand for one (天平街道 for 天平路街道, which needs context)."""
        return any(loose or m.kind in ("name", "former", "short") for m in self._matches(name, level))

    def find_damaged(self, name: str, level: str, within: str) -> list[Unit]:
        """Units at ``level`` under ``within`` whose name fits ``name`` with each ? or U+FFFD
        standing for one character (龙?街道 -> 龙潭街道)."""
        pattern = re.compile("".join("." if ch in DAMAGE else re.escape(ch) for ch in name))
        return [u for u in self.under(within, level) if pattern.fullmatch(u.name)]

    def under(self, code: str, level: str) -> list[Unit]:
        """Units at ``level`` inside ``code`` (streets of a district or a city, communities of
        a street or a district)."""
        if level == "community":
            streets = [self.units[code]] if self.units[code].level == "street" else self.under(code, "street")
            return [c for s in streets for c in self.communities(s.code)]
        out, todo = [], [code]
        while todo:
            for child in self.children.get(todo.pop(), ()):
                unit = self.units[child]
                if unit.level == level:
                    out.append(unit)
                elif unit.level in ("city", "district") and level != "district" or unit.level == "city":
                    todo.append(child)
        return out

    def communities(self, street: str) -> tuple[Unit, ...]:
        """The communities and villages of a street (parsed on first use)."""
        unit = self.units.get(street)
        if unit is None or not unit.nbs:
            return ()
        if street not in self._parsed:
            block = self._blocks.get(unit.nbs, "")
            self._parsed[street] = tuple(Unit(unit.nbs + item[:3], item[3:], "community", street)
                                         for item in block.split("|") if item)
        return self._parsed[street]

    def community_in(self, name: str, within: str) -> list[Unit]:
        """Communities under ``within`` (a street or a district) with the base name of ``name``
        (陕西 of 陕西居民区 finds 陕西居委会)."""
        base = base_name(name, "community")
        # base_name only cuts an ending off, so a name whose base is ``base`` starts with it (and
        # with its first character: only those are read); the cheap test first (a district holds
        # thousands of communities, few begin with the base)
        return [u for u in self._initials(within).get(base[:1], ())
                if u.name == name or u.name.startswith(base) and base_name(u.name, "community") == base]

    def _communities_by_initial(self, within: str) -> dict[str, list[Unit]]:
        """The communities under ``within`` by the first character of their names, in order."""
        out: dict[str, list[Unit]] = {}
        for unit in self.under(within, "community"):
            out.setdefault(unit.name[:1], []).append(unit)
        return out


def gazetteer_path(data_dir: Path) -> Path:
    return Path(data_dir, "places", "gazetteer", FILE_NAME)


@lru_cache(maxsize=2)
def load_gazetteer(path: Path) -> NationalGazetteer:
    """Read a compiled gazetteer (.tsv.xz, or a plain .tsv such as the test fixture)."""
    path = Path(path)
    if not path.is_file():
        raise PlaceDataError(f"{path} is missing: rebuild it with `python scripts/build_gazetteer.py` "
                             "or restore it from the repository")
    from govcase.diskcache import cached, file_key

    # parsed once, then read back in one piece (a tenth of the parse)
    return cached("gazetteer", file_key(path, __name__), lambda: _parse(path), NationalGazetteer)


def _parse(path: Path) -> NationalGazetteer:
    raw = path.read_bytes()
    if path.suffix == ".xz":
        raw = lzma.decompress(raw)
    return NationalGazetteer(raw.decode("utf-8"), version=path.name)
