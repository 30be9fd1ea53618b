"""The national gazetteer: every division of the country from province to community.

Read from data/places/gazetteer/gazetteer.tsv.xz (built by scripts/build_gazetteer.py;
FORMAT.md there describes the rows). Provinces, cities, districts and streets (about
45k rows) are parsed at load; the 620k communities and villages stay UTF-8 bytes, one
span of a single blob per street, until an article names that street or its district
(``communities``), which keeps loading under a second and the memory to a few tens of MB.

What is parsed is kept packed: a unit is one string (its row) until it is asked for, the
written forms map to one string of (code, kind) pairs each. The parsed gazetteer is
cached between runs (govcase.diskcache) and a small command reads it back at every
start: unpickling 45k units as objects, 66k lists of pairs and 41k community strings
took 0.2 s; these ~150k strings, ints and one bytes object take a fifth of that.
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
KIND_OF = {"n": "name", "f": "former", "s": "short", "b": "base", "r": "road"}  # packed in ``keys``
_LETTER = {kind: letter for letter, kind in KIND_OF.items()}
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


class Units(dict):
    """The units by code, each made from its packed row ("kind-letter name parent nbs",
    tab-separated) on first access and then kept: a run asks for a few thousand of the 45k."""

    __slots__ = ("_rows",)

    def __init__(self, rows: dict[str, str]):
        super().__init__()
        self._rows = rows

    def __missing__(self, code: str) -> Unit:
        letter, name, parent, nbs = self._rows[code].split("\t")  # KeyError when there is none
        unit = self[code] = Unit(code, name, LEVEL_OF[letter], parent or None, nbs)
        return unit

    def get(self, code, default=None):
        return self[code] if code in self._rows else default

    def __contains__(self, code) -> bool:
        return code in self._rows

    def __len__(self) -> int:
        return len(self._rows)

    def __iter__(self):
        return iter(self._rows)

    def keys(self):
        return self._rows.keys()

    def values(self):
        return [self[code] for code in self._rows]

    def items(self):
        return [(code, self[code]) for code in self._rows]

    def __eq__(self, other) -> bool:
        return isinstance(other, Units) and self._rows == other._rows

    __hash__ = None

    def __reduce__(self):
        return Units, (self._rows,)


class NationalGazetteer:
    """Units by code, by name (official, former and short names) and by parent."""

    def __init__(self, text: str, version: str = ""):
        self.version = version
        self._rows: dict[str, str] = {}  # code -> its packed row (see Units)
        self.keys: dict[str, str] = {}  # written form -> "code letter,code letter" (see KIND_OF)
        self.children: dict[str, str] = {}  # code -> its children's codes, space-separated
        self._blob = b""  # every street's communities, "001name|002name ..." in UTF-8, one after another
        self._spans: dict[str, int] = {}  # statistics street code -> its span of _blob, start << 32 | end
        self._read(text)
        self._ready()

    def _ready(self) -> None:
        self.units = Units(self._rows)
        self._parsed: dict[str, tuple[Unit, ...]] = {}
        self._names: dict[str, list[str]] = {}
        self._chains: dict[str, tuple[Unit, ...]] = {}  # at most the 45k districts and streets
        self._chain_codes: dict[str, frozenset[str]] = {}  # (the same codes' chains, as sets)
        self._matches = lru_cache(maxsize=FIND_CACHE)(self._find)
        self._initials = lru_cache(maxsize=SCOPE_CACHE)(self._communities_by_initial)

    # Kept parsed between runs (govcase.diskcache): the packed forms only, not what was made
    # or found from them.
    _KEPT = ("version", "_rows", "keys", "children", "_blob", "_spans")

    def __getstate__(self) -> dict:
        return {name: getattr(self, name) for name in self._KEPT}

    def __setstate__(self, state: dict) -> None:
        if set(state) != set(self._KEPT):
            raise TypeError("a gazetteer pickled by another version of this module")
        vars(self).update(state)
        self._ready()

    # -- loading --------------------------------------------------------------------------

    def _read(self, text: str) -> None:
        lines = text.split("\n")
        if not lines or not lines[0].startswith("#govcase-gazetteer\t" + FORMAT_VERSION):
            raise PlaceDataError("the gazetteer file has no '#govcase-gazetteer\t1' header: "
                                 "rebuild it with scripts/build_gazetteer.py")
        keys: dict[str, list[tuple[str, str]]] = {}
        children: dict[str, list[str]] = {}
        blocks, at = [], 0
        for line in lines:
            if not line or line[0] == "#":
                continue
            kind, _, rest = line.partition("\t")
            if kind == "V":
                street, _, block = rest.partition("\t")
                data = block.encode("utf-8")
                blocks.append(data)
                self._spans[street] = at << 32 | at + len(data)
                at += len(data)
                continue
            code, name, parent, alias, nbs = rest.split("\t")
            level = LEVEL_OF[kind]
            self._rows[code] = f"{kind}\t{name}\t{parent}\t{nbs}"
            if parent:
                children.setdefault(parent, []).append(code)
            _key(keys, name, code, "name")
            for a in alias.split(",") if alias else ():
                _key(keys, a[2:], code, "former" if a[0] == "f" else "short")
            base = base_name(name, level)
            if base != name and level in ("district", "street"):
                _key(keys, base, code, "base")
                for road in ROAD_WORDS if level == "street" else ():
                    if base.endswith(road) and len(base) - len(road) >= 2:
                        _key(keys, base[: -len(road)], code, "road")
                        break
        self.keys = {key: ",".join(f"{code} {_LETTER[kind]}" for code, kind in hits) for key, hits in keys.items()}
        self.children = {code: " ".join(codes) for code, codes in children.items()}
        self._blob = b"".join(blocks)

    def _hits(self, key: str) -> list[tuple[str, str]]:
        """The (code, kind) of each unit the written form ``key`` stands for, in the file's order."""
        packed = self.keys.get(key)
        if not packed:
            return []
        return [(hit[:-2], KIND_OF[hit[-1]]) for hit in packed.split(",")]

    def names_of(self, code: str) -> list[str]:
        """Every written form the gazetteer knows for a district or street (official, former,
        short, base); built on first use."""
        if not self._names:
            names = self._names
            for key, packed in self.keys.items():
                for hit in packed.split(","):
                    names.setdefault(hit[:-2], []).append(key)
        return self._names.get(code, [])

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

    def chain_codes(self, code: str) -> frozenset[str]:
        """The codes of ``chain(code)``, remembered per code: linking scores every candidate
        by the codes above it."""
        found = self._chain_codes.get(code)
        if found is None:
            found = self._chain_codes[code] = frozenset(u.code for u in self.chain(code))
        return found

    def is_within(self, code: str, ancestor: str) -> bool:
        return ancestor in self.chain_codes(code)

    def find(self, name: str, level: str) -> list[Match]:
        """Units at ``level`` that ``name`` (a full name as written) may stand for: its own
        name, a former or short name, or its base (天平 of 天平街道 for 天平路街道)."""
        return list(self._matches(name, level))

    def _find(self, name: str, level: str) -> tuple[Match, ...]:
        out: dict[str, Match] = {}
        base = base_name(name, level)
        for key, exact in ((name, True), (base, False)):
            for code, kind in self._hits(key):
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
            for child in self.children.get(todo.pop(), "").split():
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
            span = self._spans.get(unit.nbs, 0)
            block = self._blob[span >> 32:span & 0xFFFFFFFF].decode("utf-8")
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


def _key(keys: dict[str, list[tuple[str, str]]], key: str, code: str, kind: str) -> None:
    hits = keys.setdefault(key, [])
    if all(c != code for c, _ in hits):
        hits.append((code, kind))


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
