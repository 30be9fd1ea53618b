"""From names found in an article to its places: one per place, each under its parent (pure).

A place's parent is, in this order of trust:
1. the place written right before it (徐汇区徐家汇街道: 徐汇区), or the place after
   位于 (体育场路8号院位于西工区西工街道014中心社区: 014中心社区);
2. the nearest place of a higher level earlier in the same sentence;
3. the article's main place of the next level up (the one in the title, else the most
   mentioned, else the first);
and a parent found by 1 or 2 is narrowed to a main place between the two levels when
that main place lies inside it (秦淮区 ... 天地花园, where 月牙湖街道 is the article's
street in 秦淮区). Districts without a written city hang under the article's home
city: the city of its dateline, outlet or title, or the one it names most.
"""
from __future__ import annotations

from bisect import bisect_left, bisect_right

import re
from collections import Counter
from dataclasses import dataclass, field
from functools import lru_cache
from operator import itemgetter
from typing import Callable

from govcase import regexcache
from govcase.placenames.lexicon import LEVEL_DEPTH, Division, PlaceLexicon
from govcase.placenames.names import DAMAGE, damaged, is_han, road_follows
from govcase.placenames.edges import join_split
from govcase.placenames.scan import Candidate, Scan, WordTrie, longest_first, scan_text
from govcase.records import Sentence
from govcase.text import sentence_at, split_sentences

# Which levels may hold a place when a sentence names them before it (a chain or 位于 may
# also put an estate or an area inside a community).
PARENT_LEVELS = {
    "district": ("city", "province"),
    "street": ("district", "city", "province"),
    "community": ("street", "district", "city", "province"),
    "estate": ("community", "street", "district", "city", "province"),
    "area": ("street", "district", "city", "province"),
}
# Whose main place holds a place the text puts nowhere, nearest first (an estate goes to the
# main street, not to one of several communities); after these, the home city.
MAIN_LEVELS = {
    "district": (),
    "street": ("district",),
    "community": ("street", "district"),
    "estate": ("street", "district"),
    "area": ("street", "district"),
}
# A short form stands for these suffixes only: 徐汇 for 徐汇区, 乐山 for 乐山片区, but
# 向龙 is not said for 向龙小区 (and 新泾五 never for 新泾五村).
DROPPABLE = ("区", "县", "街道", "镇", "乡", "居民区", "社区", "片区", "网格")
ORGAN_LEVEL_SUFFIXES = ("居民区", "社区", "村")
# Weights of the evidence that a city is the article's home (see home_city): its name in the
# title or in a dateline or outlet counts 3, any other mention 1, one in a list of cities 0;
# the home needs 2 (a city named once in passing, 选择了郑州的一家电梯公司, is no home).
W_TITLE, W_MARKER, W_PLAIN, W_HOME = 3, 3, 1, 2


@dataclass(eq=False)  # one object per place: compared by identity
class Entity:
    name: str
    level: str
    base: str
    suffix: str
    division: Division | None = None
    written: list[str] = field(default_factory=list)  # every full form the article wrote
    mentions: list[tuple[int, int]] = field(default_factory=list)  # spans in the body
    title_hits: int = 0
    evidence: list["Entity"] = field(default_factory=list)  # parents the text states
    parent: "Entity | None" = None
    code: str | None = None

    @property
    def depth(self) -> int:
        return LEVEL_DEPTH[self.level]

    @property
    def first(self) -> int:
        return min((s for s, _ in self.mentions), default=1 << 30)

    def rank(self) -> tuple:
        return (self.title_hits > 0, len(self.mentions) + self.title_hits, -self.first)

    def ancestors(self) -> list["Entity"]:
        out, node = [], self.parent
        while node is not None and node not in out:
            out.append(node)
            node = node.parent
        return out


class Article:
    """The places of one article while they are being resolved."""

    def __init__(self, body: str, title: str | None, lex: PlaceLexicon, outlet: str | None = None,
                 known: Callable[..., bool] | None = None):
        """``known(name, level)``: the gazetteer has a district or street of that name, which
        decides where such a name starts (None: the grammar alone decides)."""
        self.body, self.title, self.lex = body, title or "", lex
        self.entities: dict[str, Entity] = {}
        self.home: Entity | None = None  # the home city, as resolve finds it (home_city)
        self.body_scan = scan_text(body, lex, known=known)
        self.title_scan = scan_text(self.title, lex, known=known) if self.title else Scan("")
        prefixes = self._known_prefixes()
        if prefixes:  # 徐汇天平街道: split off the short form of a district named elsewhere
            self.body_scan = scan_text(body, lex, prefixes, known)
            if self.title:
                self.title_scan = scan_text(self.title, lex, prefixes, known)
        self.of: dict[tuple[str, int], Entity] = {}  # (scan, candidate index) -> entity
        committee_of = self._committees()
        self._collect("body", self.body_scan, committee_of)
        self._collect("title", self.title_scan, committee_of)
        self._merge_damaged()
        self.join_split()
        self._merge_estates()
        taken = self._short_mentions()
        self.division_hits = self._division_mentions(*taken) + self._outlet_mentions(outlet or "")

    # -- entities ------------------------------------------------------------------------------

    def _known_prefixes(self) -> dict[str, tuple[str, str]]:
        found = {}
        for scan in (self.body_scan, self.title_scan):
            for c in scan.candidates:
                if not c.dropped and c.level == "district" and len(c.base) >= 2 and c.suffix in DROPPABLE:
                    found[c.base] = (c.name, c.level)
        needed = any(c.base[: len(b)] == b and len(c.base) > len(b) for scan in (self.body_scan, self.title_scan)
                     for c in scan.candidates if c.level == "street" for b in found)
        return found if needed else {}

    @staticmethod
    def _live(c: Candidate) -> bool:
        return not c.dropped and (c.strength != "weak" or c.cue)

    def _committees(self) -> dict[str, str]:
        """The community a committee (居委会) belongs to, by base: same name, written with a place
        suffix (in the body or the title)."""
        committee_of: dict[str, str] = {}
        for s in (self.body_scan, self.title_scan):
            for c in s.candidates:
                if c.level == "community" and c.suffix in ORGAN_LEVEL_SUFFIXES and self._live(c):
                    committee_of.setdefault(c.base, c.name)
        return committee_of

    def _collect(self, where: str, scan: Scan, committee_of: dict[str, str]) -> None:
        for i, c in enumerate(scan.candidates):
            if c.dropped or c.strength == "weak" and not c.cue:  # (not _live: read for every candidate)
                continue
            name = c.name
            if c.strength == "organ":
                name = committee_of.get(c.base, name)
            elif c.level == "community" and c.suffix in ("居民区", "社区"):
                name = committee_of.get(c.base, name)  # 陕西居民区 and 陕西社区 are one place
            ent = self.entities.get(name)
            if ent is None:
                base = name[: len(c.base)]  # 楼园 of 楼园居民区, whichever form came first
                ent = Entity(name, c.level, base, name[len(base):], c.division)
                self.entities[name] = ent
            written = scan.text[c.start:c.end] if c.source != "list" else c.name
            if c.source in ("suffix", "list") and written not in ent.written:
                ent.written.append(written)
            if where == "body":
                ent.mentions.append((c.start, c.end))
            else:
                ent.title_hits += 1
            self.of[(where, i)] = ent
        for i, c in enumerate(scan.candidates):
            if c.chained_to is not None and (where, i) in self.of and (where, c.chained_to) in self.of:
                self.of[(where, i)].evidence.append(self.of[(where, c.chained_to)])
        self._containment(where, scan)

    def _containment(self, where: str, scan: Scan) -> None:
        """X位于Y: the last place of the chain that starts right after the verb contains X."""
        text, verbs = scan.text, self.lex.containment_verbs
        starts = None  # the places' starts, made for the first verb (the loop changes no place)
        for i, c in enumerate(scan.candidates):
            at = c.end + (1 if text[c.end:c.end + 1] in ("，", ",") else 0)
            if not text.startswith(verbs, at) or (where, i) not in self.of:
                continue  # the usual case: no 位于 after the place
            if starts is None:
                starts = {d.start: k for k, d in enumerate(scan.candidates) if (where, k) in self.of}
            verb = next((v for v in self.lex.containment_verbs if text.startswith(v, at)), None)
            if verb is None or at + len(verb) not in starts:
                continue
            j = starts[at + len(verb)]
            while True:  # follow the chain to its deepest place
                nxt = next((k for k, d in enumerate(scan.candidates) if d.chained_to == j and (where, k) in self.of),
                           None)
                if nxt is None:
                    break
                j = nxt
            container = self.of[(where, j)]
            if container.depth < self.of[(where, i)].depth:
                self.of[(where, i)].evidence.append(container)

    def _merge_damaged(self) -> None:
        """龙?街道 is 龙潭街道 when the article writes that too (one name fits the gap)."""
        for ent in list(self.entities.values()):
            if not damaged(ent.name):
                continue
            pattern = re.compile("".join("." if ch in DAMAGE else re.escape(ch) for ch in ent.name))  # one article's: not kept
            fits = [e for e in self.entities.values() if e is not ent and e.level == ent.level
                    and not damaged(e.name) and pattern.fullmatch(e.name)]
            if len(fits) == 1:
                self.absorb(fits[0], ent)

    def join_split(self) -> None:
        """安居苑西村 beside 安居苑社区: no known name is split (see edges.join_split)."""
        join_split(self.body, self.entities)

    def _merge_estates(self) -> None:
        """上江花园小区 is 上江花园, 五交化宿舍区 is 五交化宿舍: an estate named, then named again
        with 小区 or 区 after it."""
        for ent in list(self.entities.values()):
            if ent.level == "estate" and ent.name.endswith(("小区", "区")):
                other = self.entities.get(ent.base if ent.suffix == "小区" else ent.name[:-1])
                if other is not None and other.level == "estate" and other is not ent:
                    self.absorb(other, ent)

    def absorb(self, into: Entity, ent: Entity) -> None:
        """``ent`` is another name of ``into``: one place from now on."""
        into.mentions += ent.mentions
        into.parent = into.parent or ent.parent
        into.title_hits += ent.title_hits
        into.written += [w for w in ent.written if w not in into.written]
        into.evidence += [e for e in ent.evidence if e is not into]
        for other in self.entities.values():
            other.evidence = [into if e is ent else e for e in other.evidence]
        for key, value in list(self.of.items()):
            if value is ent:
                self.of[key] = into
        del self.entities[ent.name]

    # -- short forms -----------------------------------------------------------------------

    def mention_spans(self) -> list[tuple[int, int]]:
        return sorted(span for e in self.entities.values() for span in e.mentions)

    def _short_mentions(self) -> tuple[Spans, Spans]:
        """徐汇 for 徐汇区, 乐山 for 乐山片区, once the article has written the full name.
        Returns the spans taken then in the body (every mention) and in the title."""
        by_base: dict[str, list[Entity]] = {}
        for ent in self.entities.values():
            if ent.division is None and ent.suffix in DROPPABLE and len(ent.base) >= 2 \
                    and not damaged(ent.base):
                by_base.setdefault(ent.base, []).append(ent)
        taken = Spans(self.mention_spans())
        title_taken = Spans((c.start, c.end) for c in self.title_scan.candidates)
        for base, ents in sorted(by_base.items(), key=lambda kv: -len(kv[0])):
            if len(ents) != 1:
                continue  # 仰忠 for 仰忠街道 or 仰忠社区: cannot tell
            ent = ents[0]
            for s, e in _occurrences(base, self.body):
                if taken.free(s, e) and not road_follows(self.body, e):
                    ent.mentions.append((s, e))
                    taken.add(s, e)
            if base in self.title:  # (most titles hold none of the bases)
                ent.title_hits += sum(1 for s, e in _occurrences(base, self.title) if title_taken.free(s, e))
        return taken, title_taken

    def _division_mentions(self, taken: Spans, title_taken: Spans) -> list[tuple[Division, int, int, int]]:
        """Short forms of provinces and cities (南京, 天津): (division, start, end, weight); title hits at -1.
        ``taken``: the spans of every mention, ``title_taken`` those of the title's places."""
        lex = self.lex
        bases = {e.base for e in self.entities.values()}
        pattern = _shorts_pattern(lex, tuple(sorted(s for s in bases if s in lex.shorts)))
        if pattern is None:
            return []
        out = []
        for m in pattern.finditer(self.body):
            s, e = m.span()
            if not taken.free(s, e) or road_follows(self.body, e) or self._in_company(e):
                continue
            out.append((lex.shorts[m.group(0)], s, e, self._weight(self.body, s, e)))
        for m in pattern.finditer(self.title):
            if title_taken.free(*m.span()) and not road_follows(self.title, m.end()):
                out.append((lex.shorts[m.group(0)], -1, -1, W_TITLE))
        return out

    def _in_company(self, end: int) -> bool:
        """陕西众某达电梯设备有限公司: a province or city that begins a company's name is no place
        the article names."""
        m = _COMPANY_NAME.match(self.body, end)
        return m is not None and m.group(1) in self.lex.company_endings

    def _outlet_mentions(self, outlet: str) -> list[tuple[Division, int, int, int]]:
        """The city an outlet is named after (西安新闻网, 北京青年报): as strong a sign of the
        article's home as a 来源 line in the body, which the cleaner moved to the outlet."""
        div = _outlet_city(self.lex, outlet)
        return [(div, -1, -1, W_MARKER)] if div is not None else []

    def _weight(self, text: str, s: int, e: int) -> int:
        """How much a city name at [s, e) says the article is about that city."""
        before, after = text[max(0, s - 1):s], text[e:e + 12]
        if before == "、" or after[:1] == "、":
            return 0  # one of several: 北京、上海、杭州等地的经验
        # a dateline or an outlet: 太原8月25日电, 云上十堰讯, 天津北方网讯, 深圳特区报, 住在杭州网,
        # (来源:上海社会治理创新展示公号)
        after = _DATE.sub("", after)
        if text[max(0, s - 3):s] == "新华社" or _SOURCE_LINE.search(text[max(0, s - 6):s]):
            return W_MARKER
        for m in self.lex.home_markers:
            i = after.find(m, 0, 5 + len(m))
            if i < 0 or not all(is_han(ch) for ch in after[:i]):
                continue
            if len(m) > 1 or not is_han(after[i + 1:i + 2] or " "):
                return W_MARKER
        return W_PLAIN

    # -- hierarchy ------------------------------------------------------------------------

    def division_entity(self, div: Division) -> Entity:
        ent = self.entities.get(div.name)
        if ent is None:
            ent = Entity(div.name, div.level, div.short, div.name[len(div.short):], div)
            self.entities[div.name] = ent
        return ent

    def home_city(self) -> Entity | None:
        """The city the article is about: its dateline, outlet or title, or the one it names most."""
        score: Counter[str] = Counter()
        divs: dict[str, Division] = {}
        for ent in self.entities.values():
            d = ent.division
            if d is not None and (d.level == "city" or d.municipality):
                score[d.name] += W_PLAIN * len(ent.mentions) + W_TITLE * ent.title_hits
                divs[d.name] = d
        for d, _, _, weight in self.division_hits:
            if d.level == "city" or d.municipality:
                score[d.name] += weight
                divs[d.name] = d
        ranked = score.most_common(2)
        if not ranked or ranked[0][1] < W_HOME or (len(ranked) > 1 and ranked[1][1] == ranked[0][1]):
            return None
        return self.division_entity(divs[ranked[0][0]])

    def resolve(self, sentences: tuple[Sentence, ...] | None = None) -> None:
        """Hang every place under its parent; ``sentences`` are the body's, if known already."""
        home = self.home = self.home_city()
        sentences = sentences if sentences is not None else split_sentences(self.body)
        main: dict[str, Entity] = {}
        self._parent_spans: dict[tuple[str, ...], tuple[list, list[int]]] = {}  # see _nearest
        for level in ("city", "district", "street", "community", "estate", "area"):
            ents = [e for e in self.entities.values() if e.level == level]
            for ent in sorted(ents, key=lambda e: e.name):
                self._resolve_one(ent, home, main, sentences)
            ranked = [e for e in ents if e.mentions or e.title_hits]
            if ranked:
                main[level] = max(ranked, key=Entity.rank)
        for ent in list(self.entities.values()):  # cities named only in a chain still get a province
            self._province(ent)

    def _province(self, ent: Entity) -> None:
        d = ent.division
        if d is not None and d.level == "city" and ent.parent is None and d.parent:
            ent.parent = self.division_entity(self.lex.divisions[d.parent])

    def _resolve_one(self, ent: Entity, home: Entity | None, main: dict[str, Entity], sentences) -> None:
        if ent.level in ("province", "city"):
            self._province(ent)
            return
        allowed = PARENT_LEVELS[ent.level]
        stated = [e for e in ent.evidence if e.depth < ent.depth]
        if stated:
            parent = max(stated, key=lambda e: e.depth)
            if parent.level in ("city", "province") and ent.depth > LEVEL_DEPTH["district"] \
                    or parent.level == "district" and ent.depth > LEVEL_DEPTH["street"]:
                # 太原市旱西关西社区 -> 杏花岭区; 新城区华山十七街坊 -> the article's street in 新城区
                parent = self._narrow(parent, ent, main)
            ent.parent = parent
            return
        near = self._nearest(ent, allowed, sentences)
        if near is not None:
            ent.parent = self._narrow(near, ent, main)
            return
        for level in MAIN_LEVELS[ent.level]:
            cand = main.get(level)
            if cand is not None and cand is not ent:
                ent.parent = cand
                return
        if home is not None:
            ent.parent = home

    def _narrow(self, parent: Entity, ent: Entity, main: dict[str, Entity]) -> Entity:
        """The article's main place between ``parent`` and ``ent``, when it lies inside ``parent``."""
        for level in MAIN_LEVELS[ent.level]:
            m = main.get(level)
            if m is None or m is ent or not (parent.depth < m.depth < ent.depth):
                continue
            if parent in m.ancestors():
                return m
        return parent

    def _nearest(self, ent: Entity, allowed: tuple[str, ...], sentences) -> Entity | None:
        """The nearest place of an allowed level before ``ent`` in the same sentence."""
        # the allowed levels are all above ent's (PARENT_LEVELS): the spans are the same for every
        # place of its level, and resolve changes parents only, so they are made once per level
        if allowed not in self._parent_spans:
            spans = [(s, e, other) for other in self.entities.values() if other.level in allowed
                     for s, e in other.mentions]
            # a province or city written by its short form (成都的新建小区X) holds what follows it too
            spans += [(s, e, div) for div, s, e, _ in self.division_hits if s >= 0 and div.level in allowed]
            spans.sort(key=lambda t: (t[0], t[1]))
            self._parent_spans[allowed] = spans, [s for s, _, _ in spans]
        spans, starts = self._parent_spans[allowed]
        # the spans that start in the sentence before s0, found by bisection instead of reading
        # every span for every mention (quadratic in a long article)
        for s0, _ in sorted(ent.mentions):
            sentence = sentence_at(sentences, s0)
            if sentence is None:
                continue
            lo, hi = bisect_left(starts, sentence.start), bisect_right(starts, s0)
            before = [other for _, e, other in spans[lo:hi] if e <= s0]
            if before:
                return before[-1] if isinstance(before[-1], Entity) else self.division_entity(before[-1])
        return None



# A date after a dateline's city (太原8月25日电), and a source line's label before a city.
_DATE = regexcache.compile(r"^\d{1,2}月\d{1,2}日")
_SOURCE_LINE = regexcache.compile(r"(?:来源|稿源|出处)[:：]\s*$")
# The rest of a company's name after a place that begins it (众某达电梯设备有限公司): the shortest
# run of characters up to one of the endings (lexicon company_endings), at most 16 characters.
_COMPANY_NAME = regexcache.compile(r"[\u4e00-\u9fff某]{1,16}?(有限责任公司|股份有限公司|有限公司|集团|公司)")


@lru_cache(maxsize=512)  # a corpus comes from a few outlets: each one's words are read once
def _outlet_city(lex: PlaceLexicon, outlet: str) -> Division | None:
    """The first city or municipality whose short form the outlet's name holds (Article._outlet_mentions)."""
    for i in range(len(outlet)):
        for size in (4, 3, 2):
            div = lex.shorts.get(outlet[i:i + size])
            if div is not None and (div.level == "city" or div.municipality):
                return div
    return None


def _occurrences(word: str, text: str):
    """The spans of ``word`` (not empty) in ``text``, left to right, not overlapping (re.finditer of the
    escaped word, without compiling a pattern for every name)."""
    at = text.find(word)
    while at >= 0:
        yield at, at + len(word)
        at = text.find(word, at + len(word))


@lru_cache(maxsize=512)
def _shorts_pattern(lex: PlaceLexicon, without: tuple[str, ...]) -> re.Pattern[str] | WordTrie | None:
    """The short forms of provinces and cities (longest first), less those the article names as
    places of its own: compiled once per set left out (a few sets recur), not once per article."""
    shorts = [s for s, d in lex.shorts.items() if d.short_ok and s not in without]
    if not shorts:
        return None
    return longest_first(shorts)


class Spans:
    """Taken spans, asked whether [s, e) overlaps none: only spans starting within the longest
    span's length before ``e`` can, so a question reads a few, not all (issue 17: linear time)."""

    def __init__(self, spans=()) -> None:
        # in order of start, those with one start in the order given (as add would place them)
        ordered = sorted(spans, key=itemgetter(0))
        self._starts: list[int] = [a for a, _ in ordered]
        self._ends: list[int] = [b for _, b in ordered]
        self._longest = max([0] + [b - a for a, b in ordered])

    def add(self, a: int, b: int) -> None:
        i = bisect_right(self._starts, a)
        self._starts.insert(i, a)
        self._ends.insert(i, b)
        self._longest = max(self._longest, b - a)

    def free(self, s: int, e: int) -> bool:
        starts, ends = self._starts, self._ends
        # every span read starts before e (bisect_left), so it overlaps [s, e) when it ends after s
        for i in range(bisect_left(starts, s - self._longest), bisect_left(starts, e)):
            if ends[i] > s:
                return False
        return True
