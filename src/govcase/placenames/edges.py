"""Where names start when the gazetteer knows them, and development zones (pure).

The suffix grammar (govcase.placenames.scan) guesses where a name starts from jieba's
cut; a name the gazetteer knows settles it: 受丈八街道 is 丈八街道, 沙市望城区 is 望城区,
高新区合作街道 holds 合作街道 although 合作 reads as a verb, and a known district or a
road written before a neighbourhood's name is not part of it (新城区华山十七街坊,
黄兴南路五交化宿舍). A development zone (成都市高新区) is held as a district when the
text chains it. These are the scanner's methods (a mixin of scan._Scanner).
"""
from __future__ import annotations

import re
from functools import lru_cache
from typing import Callable

from govcase.placenames.candidates import Candidate, Scan
from govcase.placenames.lexicon import Suffix

# A road written before an estate's name (黄兴南路五交化宿舍).
_ROAD_BEFORE = re.compile(r"[\u4e00-\u9fff]{1,6}?(?:大街|大道|路|街|巷)")
# The last characters of district and street names (徐汇区, 长桥街道, 朱家角镇): a run without
# one holds no known district or street to split off.
_LEVEL_END = re.compile("[区县市旗道镇乡]")
_HAN_NAME = re.compile(r"[\u4e00-\u9fff]{2,}")
# Runs whose known start is remembered (~200 B an entry): the same names recur in every article.
EDGE_CACHE = 4096


@lru_cache(maxsize=EDGE_CACHE)
def _known_offset(run: str, guess: int, canonical: str, level: str, known: Callable[..., bool]) -> int:
    """Where in ``run`` the name before ``canonical`` starts (see KnownEdges._known_start)."""
    if guess < len(run) and known(run[guess:] + canonical, level, True):
        return guess  # (黄河东街道 may be 黄河东路街道: it does not become 河东街道)
    for k in range(len(run) - 1):
        if known(run[k:] + canonical, level):
            return k
    return guess


class KnownEdges:
    """Methods of the scanner (scan._Scanner) that use the gazetteer's names and the zones."""

    def _suffix_follows(self, text: str, e: int) -> bool:
        m = self.suffix_re.match(text, e)
        return m is not None and self.lex.suffix(m.group(0)).level in ("district", "street", "community")

    def _zone(self, out: Scan, text: str, floor: int, s: int, e: int, suffix: Suffix,
              last: Candidate | None) -> list[Candidate]:
        """成都市高新区, 东湖高新区, 西安经开区: a development zone that administers streets is
        held as a district. Its word alone (高新区) names it only after its city; kept, like a
        district jieba does not know, only in a chain or before one of its organs (see
        _confirm_districts): 高新区企业 and 各类开发区 are no places."""
        start = self.rules.name_start(text, floor, s, last is not None and last.end == floor)
        base = text[start:s]
        if base and (self.rules.generic(base, suffix) or base.startswith(self.rules.determiners)):
            start, base = s, ""
        after_city = last is not None and last.end == start and not last.dropped \
            and last.level in ("province", "city")
        if not base and not after_city:
            return []
        prefix = None
        if base:  # 武汉东湖高新区: the city's short form before the zone's own name
            start, prefix = self._split_prefix(out, text, start, s, suffix, last)
            base = text[start:s]
        cand = Candidate(start, e, base, suffix.text, suffix.level, base + suffix.canonical, "suffix",
                         suffix.strength, floor=floor)
        return [self._add(out, cand, prefix or last)]

    def _known_start(self, out: Scan, text: str, lo: int, start: int, s: int, suffix: Suffix) -> int:
        """Where the name ending at ``s`` starts when the gazetteer settles it: the guessed start
        if the gazetteer knows that name, else the start of the longest name it knows in the run
        (受丈八街道 -> 丈八街道, 沙市望城区 -> 望城区, 高新区合作街道 -> 合作街道, which the
        grammar took for a verb), else the guess."""
        return lo + _known_offset(text[lo:s], start - lo, suffix.canonical, suffix.level, out.known)

    def _split_known(self, out: Scan, text: str, start: int, s: int, suffix: Suffix,
                     last: Candidate | None) -> tuple[int, Candidate | None]:
        """新城区华山十七街坊, 黄兴南路五交化宿舍: a district or street the gazetteer knows, or a
        road, written before a neighbourhood's name is not part of it (北京西路社区, named
        after its road, keeps it: a name remains only when two characters follow the road).
        A name of fewer than four characters holds neither (two before a level's last
        character and two after it; a road's two and two after it)."""
        if out.known is not None:
            # where a district or street could end: after one of their last characters, longest first
            for k in reversed([m.end() for m in _LEVEL_END.finditer(text, start + 2, s - 2)]):
                for level in ("district", "street"):
                    if any(text.endswith(x, start, k) and k - start >= len(x) + 2 for x in self.level_endings[level]) \
                            and out.known(text[start:k], level):
                        return k, self._known_candidate(out, text, start, k, level, last)
        road = _ROAD_BEFORE.match(text, start, s)
        if road is not None and suffix.level == "estate" and _HAN_NAME.fullmatch(text, road.end(), s):
            return road.end(), None  # (大庆路86号院 is the estate's name: digits follow the road)
        return start, None

    def _known_candidate(self, out: Scan, text: str, start: int, end: int, level: str,
                         last: Candidate | None) -> Candidate:
        name = text[start:end]
        own = next((x for x in self.lex.suffixes if x.level == level and name.endswith(x.text)
                    and len(name) > len(x.text)), None)
        base, written = (name[: -len(own.text)], own.text) if own else (name, "")
        cand = Candidate(start, end, base, written, level, base + (own.canonical if own else ""), "suffix",
                         cue=True)
        return self._add(out, cand, last)


def join_split(body: str, entities: dict) -> None:
    """安居苑西村 in an article about 安居苑社区: a name that starts inside a name the article
    writes elsewhere (苑西村) starts where that name starts; a known name is never split.
    ``entities`` are an Article's (resolve.Entity by name), changed in place."""
    bases = {e.base for e in entities.values() if e.level in ("community", "estate", "area")
             and len(e.base) >= 2 and e.division is None}
    inner = {ch for base in bases for ch in base[1:]}  # a split name begins with one of these
    for ent in [e for e in entities.values() if e.level in ("community", "estate", "area")]:
        if not ent.mentions or body[ent.mentions[0][0]] not in inner \
                or len({body[a:b] for a, b in ent.mentions}) != 1:
            continue
        s0, e0 = ent.mentions[0]
        start = next((s0 - j for base in bases for j in range(1, len(base))
                      if s0 - j >= 0 and body.startswith(base, s0 - j) and s0 - j + len(base) < e0
                      and all(body.startswith(base, a - j) for a, _ in ent.mentions)), None)
        if start is None:
            continue
        j = s0 - start
        name = body[start:e0]
        if name in entities:
            continue
        del entities[ent.name]
        ent.name, ent.base = name, name[: len(name) - len(ent.suffix)]
        ent.mentions = [(a - j, b) for a, b in ent.mentions]
        ent.written = [name]
        entities[name] = ent
