"""Why a name was taken for a place, or would be refused, in words an analyst reads (pure).

``explain(name, level)`` says what the finder knows of a place name: the gazetteer units it
may stand for, the suffix that gave its level, and the words of ordinary text the
plausibility model finds in it (see placenames.plausible). ``govcase show`` can print it
beside a place; it reads the same data as the finder and changes nothing.
"""
from __future__ import annotations

from govcase.placenames.gazetteer import NationalGazetteer
from govcase.placenames.lexicon import PlaceLexicon
from govcase.placenames.names import NameRules

# Units listed at most: a common street name has dozens of homonyms.
MAX_UNITS = 5


def explain(name: str, level: str, lex: PlaceLexicon, gaz: NationalGazetteer | None = None) -> list[str]:
    """Reasons, one per line, for ``name`` at ``level`` (district ... area)."""
    lines = []
    suffix = next((s for s in lex.suffixes if name.endswith(s.canonical) and len(name) > len(s.canonical)), None)
    base = name[: -len(suffix.canonical)] if suffix else name
    if suffix is not None:
        lines.append(f"suffix {suffix.canonical}: {suffix.level}, {suffix.strength}")
    if gaz is not None and level in ("district", "street"):
        matches = gaz.find(name, level)
        units = ", ".join(f"{'/'.join(u.name for u in gaz.chain(m.unit.code))} ({m.kind})" for m in matches[:MAX_UNITS])
        more = f" and {len(matches) - MAX_UNITS} more" if len(matches) > MAX_UNITS else ""
        lines.append(f"gazetteer: {units}{more}" if matches else "gazetteer: no such unit")
        phrase = NameRules(lex).unit_phrase(base, suffix) if suffix is not None and not matches else None
        if phrase is not None:
            lines.append(f"not a unit: {phrase}")
    if suffix is not None and suffix.text in lex.unit_estate_suffixes and base.endswith(lex.unit_endings):
        lines.append(f"an estate named after its unit ({base}): taken without the plausibility test")
    elif lex.name_words is not None and level in ("community", "estate", "area"):
        words = lex.name_words.text_words(base)
        lines.append("words of ordinary text, never in real names: " + ", ".join(f"{w} ({s})" for w, s in words)
                     if words else f"plausible: no word of {base} is foreign to real names")
    if name in lex.common_noun_districts:
        lines.append("also a common noun: a district only after its city, before a street or an organ")
    if name in lex.generic_words or base in lex.generic_modifiers:
        lines.append("a generic word (data/places/not_places.yaml)")
    return lines
