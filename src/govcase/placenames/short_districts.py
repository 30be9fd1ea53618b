"""Districts written without their level word (海淀, 余杭, 义乌), once the article names the
city or province that holds them (pure after loading the gazetteer).

A district's short form is often a common word too (朝阳, 和平, 西湖, 大兴土木), so it is taken
for the district only where the text writes it as one:

- right after its city or province (北京海淀的一个小区, 杭州余杭、宁波慈溪);
- listed with another district of the article's cities and provinces, each item whole between
  list marks (海淀、崇文、东城; 大兴和平谷两个郊区; 义乌、柯桥等城镇).

Only the districts of the provinces and cities the article names are looked for, and a short form
that two of them share is left alone. The suffix grammar (placenames.scan) finds full names and
short forms before a street (黄浦外滩街道); this finds the rest.
"""
from __future__ import annotations

import re
from functools import lru_cache
from typing import TYPE_CHECKING

from govcase.placenames.gazetteer import ENDINGS, NationalGazetteer, Unit, base_name
from govcase.placenames.resolve import Spans
from govcase.placenames.scan import WordTrie, longest_first
from govcase.placenames.segment import in_dictionary

if TYPE_CHECKING:
    from govcase.placenames.link import Linker

# What joins two items of a list of places (海淀、东城; 大兴和平谷), perhaps over items that are
# no district of the gazetteer (崇文 of 海淀、崇文、东城: merged into 东城区 in 2010).
_BETWEEN = re.compile("(?:、[\u4e00-\u9fff]{2,4})*(?:、|和|与|及|或)")
MAX_BETWEEN = 16
# What may stand before a listed item that begins a list, and after one that ends it.
LIST_OPENS = frozenset("（(“\"「：:，,；;。 \n和与及")
LIST_CLOSES = frozenset("）)”\"」，,。；;：: \n等")
# Articles name many provinces in passing; read the districts of at most this many of them.
MOST_SCOPES = 8


@lru_cache(maxsize=256)
def _district_forms(gaz: NationalGazetteer, code: str) -> tuple[WordTrie, dict[str, frozenset[Unit]]]:
    """The districts inside ``code`` by their forms without a level word (海淀 for 海淀区), and a
    pattern of those forms (one pass over the body instead of a search per form)."""
    forms: dict[str, set[Unit]] = {}
    for unit in gaz.under(code, "district"):
        for form in {base_name(unit.name, "district"), *gaz.names_of(unit.code)}:
            if len(form) >= 2 and not form.endswith(ENDINGS["district"]):
                forms.setdefault(form, set()).add(unit)
    return longest_first(forms), {f: frozenset(u) for f, u in forms.items()}


def find_short_districts(linker: Linker) -> None:
    """Give the article the districts it writes by short form only (see the module docstring)."""
    article, gaz = linker.article, linker.gaz
    scopes = sorted((code for code, weight in linker.context.items() if weight > 0
                     and gaz.units[code].level in ("province", "city")),
                    key=lambda code: -linker.context[code])[:MOST_SCOPES]
    if not scopes:
        return
    body = article.body
    # 鼓楼 in an article about 南京市 and 江苏省 is 南京's, not 徐州's too: a named city's districts first
    units: dict[str, set[Unit]] = {}
    spans: dict[str, list[tuple[int, int]]] = {}
    for level in ("city", "province"):
        found_here: dict[str, set[Unit]] = {}
        for code in (c for c in scopes if gaz.units[c].level == level):
            pattern, forms = _district_forms(gaz, code)
            for m in pattern.finditer(body):
                form = m.group(0)
                if form not in units:
                    found_here.setdefault(form, set()).update(forms[form])
                    spans.setdefault(form, []).append(m.span())
        units.update(found_here)
    if not units:
        return  # the usual case: no district of the article's places written without its level word
    taken = Spans(article.mention_spans() + [(s, t) for _, s, t, _ in article.division_hits if s >= 0])
    hits = []  # (start, end, unit) of each whole short form, by start
    for form, found in units.items():
        if len(found) != 1:
            continue  # 鼓楼 in an article about 江苏省 alone: 南京's or 徐州's
        unit = next(iter(found))
        for start, end in sorted(set(spans[form])):
            if not body.startswith(ENDINGS["district"], end) and taken.free(start, end):
                hits.append((start, end, unit))
    hits.sort(key=lambda h: h[0])
    for i, (start, end, unit) in enumerate(hits):
        if _after_its_division(linker, body, start, end, unit) or _listed(body, hits, i):
            ent = linker.entity_for(unit)
            ent.mentions.append((start, end))
            if body[start:end] not in ent.written:
                ent.written.append(body[start:end])


def _after_its_division(linker: Linker, body: str, start: int, end: int, unit: Unit) -> bool:
    """北京海淀的, 杭州余杭: the district's own city or province right before it, and no word
    running on past it (杭州西湖边 is the lake's shore: boundaries.yaml landmark_after_short_form)."""
    divisions = linker.article.lex.divisions
    before = set()
    for above in linker.gaz.chain(unit.code)[:-1]:
        div = divisions.get(above.name)
        before.update((above.name, div.short) if div is not None and div.short else (above.name,))
    if not any(form and start >= len(form) and body.startswith(form, start - len(form)) for form in before):
        return False
    landmark = body[end:end + 1] in linker.article.lex.landmark_after_short_form
    return not landmark and not any(in_dictionary(body[start:end + n]) for n in (1, 2))


def _listed(body: str, hits: list[tuple[int, int, Unit]], i: int) -> bool:
    """海淀、崇文、东城: a whole item of a list with another district next to it."""
    start, end, _ = hits[i]
    neighbours = [h for h in hits[max(0, i - 3):i + 4] if h is not hits[i]]
    joined_before = any(_joined(body, b, start) for _, b, _ in neighbours)
    joined_after = any(_joined(body, end, a) for a, _, _ in neighbours)
    if not (joined_before or joined_after):
        return False
    opens = joined_before or start == 0 or body[start - 1] in LIST_OPENS \
        or not any(in_dictionary(body[start - n:end]) for n in (1, 2) if start >= n)
    closes = joined_after or end == len(body) or body[end] in LIST_CLOSES or _head_follows(body, end) \
        or not any(in_dictionary(body[start:end + n]) for n in (1, 2))
    return opens and closes


def _joined(body: str, end: int, start: int) -> bool:
    """Only list marks between two items, and perhaps other items (海淀、崇文、东城: 崇文区 is no more)."""
    return 0 < start - end <= MAX_BETWEEN and _BETWEEN.fullmatch(body, end, start) is not None


def _head_follows(body: str, end: int) -> bool:
    """大兴、平谷两个郊区, 海淀、东城三区: a count of the list's items closes it."""
    return body[end:end + 1] in "两二三四五六七八九十几多" and body[end + 1:end + 2] in "个区县市地"
