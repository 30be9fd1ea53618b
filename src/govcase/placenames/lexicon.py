"""The place lexicon: level suffixes, provinces and cities, and the words around names.

Everything here is read from data/places/ (versioned data, never Python literals);
``load_place_lexicon`` is the only function that touches files.
"""
from __future__ import annotations

import csv
from dataclasses import dataclass, field
from functools import lru_cache
from pathlib import Path


from govcase.datafiles import data_rows, load_yaml
from govcase.records import LEVEL_DEPTH, PLACE_LEVELS as LEVELS  # noqa: F401 (re-exported)

from govcase.errors import GovcaseError

# How deep a level sits; estate and area both hang under a community or a street.


class PlaceDataError(GovcaseError, ValueError):
    """A data file under data/places/ is missing or malformed; the message names the file."""


@dataclass(frozen=True)
class Suffix:
    text: str
    level: str
    strength: str  # strong | medium | weak | organ | chain
    canonical: str  # the suffix as the canonical name writes it
    min_name: int
    max_name: int


@dataclass(frozen=True)
class Division:
    """A province or prefecture-level city from the data files."""

    name: str
    short: str
    level: str  # province | city
    parent: str | None  # province name for a city
    short_ok: bool
    municipality: bool = False


@dataclass(frozen=True, eq=False)  # compared and hashed by identity: one per data folder
class PlaceLexicon:
    suffixes: tuple[Suffix, ...]
    divisions: dict[str, Division]  # by full name
    shorts: dict[str, Division]  # by short form (only one division per short form)
    determiners: frozenset[str]
    generic_modifiers: frozenset[str]
    generic_tails: frozenset[str]
    type_endings: frozenset[str]
    position_chars: frozenset[str]
    generic_words: frozenset[str]
    district_name_bad_endings: tuple[str, ...]
    right_compounds: dict[str, tuple[str, ...]]
    place_heads: tuple[str, ...]
    function_chars: frozenset[str]
    name_initial_chars: frozenset[str]
    district_organs: tuple[str, ...]
    stop_words: frozenset[str]
    residence_cues: tuple[str, ...]
    containment_verbs: tuple[str, ...]
    home_markers: tuple[str, ...]
    # (as written, level) -> (official name, code): the alias hook's table
    aliases: dict[tuple[str, str], tuple[str, str | None]] = field(default_factory=dict)
    # how often words occur in real names (placenames.plausible); None without the data file
    name_words: object = None
    # suffixes of estates named after the unit that built them (检察院宿舍, 电力局家属院)
    unit_estate_suffixes: frozenset[str] = frozenset()
    unit_endings: tuple[str, ...] = ()
    short_street_cities: frozenset[str] = frozenset()
    company_endings: frozenset[str] = frozenset()
    common_noun_districts: frozenset[str] = frozenset()
    numbered_suffixes: frozenset[str] = frozenset()
    # words that begin no district or street the gazetteer lacks (中国, 所辖), and the level characters
    unit_phrase_heads: tuple[str, ...] = ()
    level_chars: frozenset[str] = frozenset()
    quoted_estate_heads: tuple[str, ...] = ()
    landmark_after_short_form: frozenset[str] = frozenset()
    by_text: dict[str, Suffix] = field(default_factory=dict)

    @property
    def zone_suffixes(self) -> frozenset[str]:
        """The words of development zones (高新区, 经开区)."""
        return frozenset(s.canonical for s in self.suffixes if s.strength == "zone")

    def suffix(self, text: str) -> Suffix | None:
        return self.by_text.get(text)


def _rows(path: Path) -> list[dict[str, str]]:
    if not path.is_file():
        raise PlaceDataError(f"{path} is missing: restore it from the repository (data/places/)")
    lines = ["\t".join(cells) for _, cells in data_rows(path.read_text(encoding="utf-8"))]
    rows = list(csv.DictReader(lines, delimiter="\t"))
    for n, row in enumerate(rows, 2):
        if None in row or any(v is None for v in row.values()):
            raise PlaceDataError(f"{path}: row {n} has the wrong number of tab-separated fields")
    return rows


def _yaml(path: Path) -> dict:
    if not path.is_file():
        raise PlaceDataError(f"{path} is missing: restore it from the repository (data/places/)")
    data = load_yaml(path.read_text(encoding="utf-8")) or {}
    if not isinstance(data, dict):
        raise PlaceDataError(f"{path}: expected a mapping of lists at the top level")
    return data


def _strs(data: dict, key: str, path: Path) -> list[str]:
    value = data.get(key, [])
    if not isinstance(value, list):
        raise PlaceDataError(f"{path}: `{key}` must be a list")
    return [str(v) for v in value]


def _suffixes(path: Path) -> list[Suffix]:
    suffixes = []
    for row in _rows(path):
        if row["level"] not in LEVELS:
            raise PlaceDataError(f"{path}: unknown level {row['level']!r} for {row['suffix']}")
        canonical = row["suffix"] if row["canonical"] == "-" else row["canonical"]
        suffixes.append(Suffix(row["suffix"], row["level"], row["strength"], canonical,
                               int(row["min_name"]), int(row["max_name"])))
    return sorted(suffixes, key=lambda s: -len(s.text))


def _divisions(folder: Path) -> dict[str, Division]:
    divisions: dict[str, Division] = {}
    for row in _rows(folder / "provinces.tsv"):
        divisions[row["name"]] = Division(row["name"], row["short"], "province", None,
                                          row["short_ok"] == "1", row["kind"] == "municipality")
    for row in _rows(folder / "cities.tsv"):
        if row["province"] not in divisions:
            raise PlaceDataError(f"{folder / 'cities.tsv'}: {row['name']} names an unknown province {row['province']}")
        divisions[row["name"]] = Division(row["name"], row["short"], "city", row["province"], row["short_ok"] == "1")
    return divisions


def _aliases(path: Path) -> dict[tuple[str, str], tuple[str, str | None]]:
    if not path.is_file():
        return {}
    return {(row["as_written"], row["level"]): (row["official"], row["code"] or None) for row in _rows(path)}


def _name_words(folder: Path):
    from govcase.placenames.plausible import load_name_words, name_words_path

    path = name_words_path(folder)
    return load_name_words(path) if path.is_file() else None


@lru_cache(maxsize=4)
def load_place_lexicon(folder: Path) -> PlaceLexicon:
    """Read data/places/ (the folder given); cached per folder."""
    folder = Path(folder)
    suffixes = _suffixes(folder / "suffixes.tsv")
    divisions = _divisions(folder)
    shorts: dict[str, Division] = {}
    for div in divisions.values():
        # a province's short form wins over a city's (吉林 the province, 吉林 the city)
        if div.short and (div.short not in shorts or div.level == "province"):
            shorts[div.short] = div
    path, bpath = folder / "not_places.yaml", folder / "boundaries.yaml"
    np, bd = _yaml(path), _yaml(bpath)
    compounds = np.get("right_compounds") or {}
    if not isinstance(compounds, dict):
        raise PlaceDataError(f"{path}: `right_compounds` must map a suffix to a list")
    return PlaceLexicon(
        suffixes=tuple(suffixes),
        divisions=divisions,
        shorts=shorts,
        determiners=frozenset(_strs(np, "determiners", path)),
        generic_modifiers=frozenset(_strs(np, "generic_modifiers", path)),
        generic_tails=frozenset(_strs(np, "generic_tails", path)),
        type_endings=frozenset(_strs(np, "type_endings", path)),
        position_chars=frozenset(_strs(np, "position_chars", path)),
        generic_words=frozenset(_strs(np, "generic_words", path)),
        district_name_bad_endings=tuple(_strs(np, "district_name_bad_endings", path)),
        right_compounds={str(k): tuple(str(x) for x in v) for k, v in compounds.items()},
        place_heads=tuple(_strs(np, "place_heads", path)),
        function_chars=frozenset(_strs(bd, "function_chars", bpath)),
        name_initial_chars=frozenset(_strs(bd, "name_initial_chars", bpath)),
        district_organs=tuple(_strs(bd, "district_organs", bpath)),
        stop_words=frozenset(_strs(bd, "stop_words", bpath)),
        residence_cues=tuple(_strs(bd, "residence_cues", bpath)),
        quoted_estate_heads=tuple(_strs(bd, "quoted_estate_heads", bpath)),
        landmark_after_short_form=frozenset(_strs(bd, "landmark_after_short_form", bpath)),
        containment_verbs=tuple(_strs(bd, "containment_verbs", bpath)),
        home_markers=tuple(_strs(bd, "home_markers", bpath)),
        aliases=_aliases(folder / "aliases.tsv"),
        name_words=_name_words(folder),
        unit_estate_suffixes=frozenset(_strs(np, "unit_estate_suffixes", path)),
        unit_endings=tuple(_strs(np, "unit_endings", path)),
        short_street_cities=frozenset(_strs(bd, "short_street_cities", bpath)),
        company_endings=frozenset(_strs(bd, "company_endings", bpath)),
        common_noun_districts=frozenset(_strs(np, "common_noun_districts", path)),
        numbered_suffixes=frozenset(_strs(np, "numbered_suffixes", path)),
        unit_phrase_heads=tuple(_strs(np, "unit_phrase_heads", path)),
        level_chars=frozenset(_strs(np, "level_chars", path)),
        by_text={s.text: s for s in suffixes},
    )
