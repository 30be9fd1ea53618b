"""Find place names in a text by their level suffix (pure; find, don't resolve).

Every level suffix (区, 街道, 社区, 小区 ...) and every province or city written
in full is a hit; the name before a suffix is found by ``names.NameRules``.
Names that follow each other directly form a chain (徐汇区徐家汇街道乐山片区):
each is inside the one before. A list before one shared suffix (康平、梧桐和嘉澜
三大网格) gives one name per item. Nothing is dropped from the list of
candidates: a rejected one is marked ``dropped``.
"""
from __future__ import annotations

import re
from bisect import bisect_left
from functools import lru_cache
from operator import itemgetter
from typing import Callable, Iterator

from govcase import regexcache
from govcase.placenames.candidates import Candidate, Scan
from govcase.placenames.edges import KnownEdges
from govcase.placenames.lexicon import LEVEL_DEPTH, Division, PlaceLexicon, Suffix
from govcase.placenames.names import (CLAUSE_BREAKS, CN_NUMERALS, DIGITS, MAX_RUN, OPEN_QUOTES,
                                      RUN_BREAKS, NameRules, road_follows, run_start)
from govcase.placenames.segment import cut, in_dictionary, place_word
from govcase.tagging import alternation

LIST_SEPARATOR = "、"
# The suffixes after which a one-character name the gazetteer holds is a name (冠县): see
# _Scanner._one_character_county.
ONE_CHARACTER_SUFFIXES = frozenset({"县"})
LIST_CONJUNCTIONS = ("以及", "和", "与", "及")
# A list head: the 等 / numeral + classifier between the last item and the shared suffix
# (华滨等多个居民区, 嘉澜三大网格, 上江花园等6个老旧小区).
_HEAD_CLASSIFIERS = "个大座处家栋幢户片块条批所类"
_HEAD = regexcache.compile(
    rf"(?P<deng>等|以及其他|及其他)?(?P<num>(?:[{DIGITS}]+|[零一二三四五六七八九十百千两几数多若干]+)"
    rf"[{_HEAD_CLASSIFIERS}]{{1,2}})?$")
# The characters a head ends with, and the newline its $ may match before: any other
# character before the suffix means no head, without running _HEAD (most suffixes have none).
_HEAD_ENDS = frozenset("等他\n" + _HEAD_CLASSIFIERS)
# What follows an estate name when the article counts its buildings (天地花园1-19栋).
_BUILDING = regexcache.compile(rf"[{DIGITS}]+(?:[-－~～至][{DIGITS}]+)?(?:号楼|号|栋|幢|单元|弄|楼)")
_NUMERALS = frozenset(DIGITS + CN_NUMERALS)
_CLAUSE_BREAK = regexcache.compile("[" + re.escape(CLAUSE_BREAKS) + "]")
# How far before a suffix a list's head can start: the kind word (老旧) is looked for in the
# 4 characters before the suffix and the head (等6个) in the 8 before that.
_HEAD_REACH = 12
# A street address written before an estate's name (永乐路18号).
_ADDRESS = regexcache.compile(rf"[^{DIGITS}]{{1,8}}?(?:路|街|巷|道|弄)[{DIGITS}]+(?:[-－][{DIGITS}]+)?号")


def longest_first(words) -> re.Pattern[str] | WordTrie:
    """The pattern of ``words`` that matches the longest one where several start at the same
    place, as their alternation longest first does; built as a trie (tagging.alternation), so
    that a position is not tried against every word (350 provinces and cities).
    Only its ``finditer`` is for use: with words of two characters or more it is a WordTrie."""
    words = list(words)
    pattern = regexcache.compile(alternation.longest_first(words))
    shortest = min(map(len, words), default=0)
    if shortest >= 2:
        # a word starts with one of the words' first characters, followed by one of their second
        # ones (and third ones, when every word has three: the province and city names, whose
        # first two characters begin common words, 6,700 candidates for 34 names over c1000 / 2,
        # 520 with the third): character-class tests rule out most positions before the branches
        # are tried there
        classes = [f"[{_char_class({w[i] for w in words})}]" for i in range(min(shortest, 3))]
        return WordTrie(regexcache.compile(classes[0] + "(?=" + "".join(classes[1:]) + ")"), pattern)
    return pattern


class WordTrie:
    """finditer of a trie pattern, tried only where a word's first two (or three) characters stand.

    Those places are found by a pattern that begins with a class, which the regex engine
    skips to; the trie behind a lookahead left it nothing to skip to, and it tried the
    lookahead at every position of the text (half the cost of a pass)."""

    def __init__(self, candidate: re.Pattern[str], trie: re.Pattern[str]):
        self.candidate, self.trie = candidate, trie

    def finditer(self, text: str) -> Iterator[re.Match[str]]:
        search, match = self.candidate.search, self.trie.match
        at = search(text)
        while at is not None:
            m = match(text, at.start())
            if m is None:
                at = search(text, at.start() + 1)
            else:
                yield m
                at = search(text, m.end())


def _char_class(chars: set[str]) -> str:
    return "".join(map(re.escape, sorted(chars)))


class _Window:
    """The candidates that end after a point that only moves right, in list order.

    Suffixes come left to right, and what a suffix's rules read lies a bounded way before it
    (a name at most MAX_RUN characters, a list back to its clause's start): a candidate that
    ends before one suffix's reach ends before every later one's too. Reading just these
    keeps the scan linear in the article's length instead of reading every candidate for
    every suffix."""

    def __init__(self, out: Scan):
        self.out = out
        self.seen = 0  # candidates of out taken in so far (any code may append to it)
        self.near: list[Candidate] = []

    def ending_after(self, low: int) -> list[Candidate]:
        """The candidates that end after ``low`` (never less than at the call before)."""
        candidates = self.out.candidates
        if self.seen < len(candidates):
            near = self.near + candidates[self.seen:]
            self.seen = len(candidates)
        elif not self.near:
            return self.near  # (nothing new, nothing left: the usual case between places)
        else:
            near = self.near
        # an end only grows, and only at the suffix being read: one left out here stays out
        self.near = [c for c in near if c.end > low]
        return self.near


class _Scanner(KnownEdges):
    """Compiled once per lexicon."""

    def __init__(self, lex: PlaceLexicon):
        self.lex = lex
        self.rules = NameRules(lex)
        self.suffix_re = longest_first(s.text for s in lex.suffixes)
        self.division_re = longest_first(lex.divisions)
        # longest first, then in code point order: the same pattern in every process (a set's
        # order changes with the hash seed), so it is compiled once (govcase.regexcache)
        mods = sorted((m for m in lex.generic_modifiers if (len(m) > 1 or m in "老旧新")
                       and m not in ("社区", "小区", "街道")), key=lambda m: (-len(m), m))
        self.list_modifier_re = regexcache.compile("(?:" + "|".join(map(re.escape, mods)) + ")$")
        # a modifier ends right before the suffix with one of these (or the $ of the pattern
        # matches before a newline there): elsewhere the pattern need not be tried
        self.list_modifier_ends = frozenset(m[-1:] for m in mods) | {"\n"}
        # what ends the text before a suffix when a list's head (or its kind word) stands there
        self.list_lead_ends = self.list_modifier_ends | _HEAD_ENDS
        # what ends a run of name characters and ends no list head (a newline may: see _HEAD)
        self.after_break = RUN_BREAKS - self.list_lead_ends
        self.shorts_ok = sorted((d.short for d in lex.shorts.values() if d.short_ok), key=len, reverse=True)
        self.shorts_ok_set = frozenset(self.shorts_ok)
        self.shorts_ok_longest = max(map(len, self.shorts_ok), default=0)
        # the first two characters of every short form (None if one is shorter: then no shortcut)
        self.short_heads = frozenset(x[:2] for x in self.shorts_ok) \
            if all(len(x) >= 2 for x in self.shorts_ok) else None
        # the suffixes a list item may carry (see _item)
        self.item_suffixes = tuple(x.text for x in lex.suffixes if x.strength != "chain")
        # how the full names of districts and streets end (徐汇区, 长桥街道, 朱家角镇)
        self.level_endings = {level: tuple(x.text for x in lex.suffixes if x.level == level and x.strength != "zone")
                              for level in ("district", "street")}

    def _list_veto(self, text: str, end: int) -> bool:
        """X等活动空间: a list whose head is not a kind of place."""
        if not text.startswith("等", end):
            return False
        head = re.match(r"等[^，,。；;！!？?\n、]{0,8}", text[end:]).group(0)
        return not any(h in head for h in self.lex.place_heads)

    # -- one text ------------------------------------------------------------------------

    def scan(self, text: str, known_prefixes: dict[str, tuple[str, str]],
             known: Callable[..., bool] | None = None) -> Scan:
        out = Scan(text, known_prefixes=known_prefixes, known=known)
        floor = 0  # names never reach left of here: the end of the last firm place
        last: Candidate | None = None  # the last firm place, for chains
        window = _Window(out)
        clauses = (_Window(out), _Breaks(text))
        after_break = self.after_break
        for s, e, what in self._hits(text):
            if s < floor:
                continue
            if isinstance(what, Division):
                cand = Candidate(s, e, what.name, "", what.level, what.name, "division", division=what)
                self._add(out, cand, last)
                last, floor = cand, e
                continue
            if (s == floor or text[s - 1] in after_break) and (last is None or last.end != s):
                # a suffix after punctuation (，社区: one in six): no list head ends before it, the run
                # of name characters before it is empty, so no name starts there (not even a zone's:
                # see _zone), and no place ends there to be named again (see _suffix_hit)
                continue
            suffix: Suffix = what
            new = self._suffix_hit(out, text, floor, s, e, suffix, last, window, clauses)
            if new and any(c.source == "list" and c.end < s for c in new):
                last, floor = None, e  # the list and its head (三大网格) are used up
                continue
            for cand in new:
                if cand.strength not in ("weak", "medium") or cand.source == "list":
                    last, floor = cand, max(floor, cand.end)
        self._confirm_weak(out)
        self._confirm_districts(out)
        return out

    def _hits(self, text: str) -> list[tuple[int, int, Suffix | Division]]:
        """Every province or city written in full and every level suffix outside them, by start."""
        suffix = self.lex.by_text.get  # (lex.suffix, without a Python call per hit)
        divisions = [(m.start(), m.end(), self.lex.divisions[m.group(0)]) for m in self.division_re.finditer(text)]
        if not divisions:  # the usual case: the suffixes alone, already in order
            return [(m.start(), m.end(), suffix(m.group(0))) for m in self.suffix_re.finditer(text)]
        taken = {i for s, e, _ in divisions for i in range(s, e)}
        hits = divisions + [(m.start(), m.end(), suffix(m.group(0))) for m in self.suffix_re.finditer(text)
                            if m.start() not in taken]
        hits.sort(key=itemgetter(0))
        return hits

    def _add(self, out: Scan, cand: Candidate, last: Candidate | None) -> Candidate:
        if last is not None and last.end == cand.start and not last.dropped:
            if last.level == cand.level == "community":
                cand.level = "estate"  # 南湖社区花园七村: a numbered 村 inside a 社区 is its estate
            if last.depth < cand.depth:
                cand.chained_to = _position(out.candidates, last)
                cand.cue = True
        out.candidates.append(cand)
        return cand

    def _suffix_hit(self, out: Scan, text: str, floor: int, s: int, e: int, suffix: Suffix,
                    last: Candidate | None, window: _Window,
                    clauses: tuple[_Window, _Breaks]) -> list[Candidate]:
        if suffix.text in self.lex.numbered_suffixes and (s == 0 or text[s - 1] not in _NUMERALS):
            return []  # 期间, 长期, 弄堂: the common words of 期 and 弄 are ruled out at once
        # (a list head ends right before the suffix or its kind word: else none stands before it)
        if s > floor and text[s - 1] in self.list_lead_ends and not _HEAD_ENDS.isdisjoint(text[max(floor, s - 5):s]):
            listed = self._list(out, text, floor, s, e, suffix, clauses)
            if listed is not None:
                return listed
        after_place = last is not None and last.end == floor and not last.dropped
        if suffix.strength == "zone":
            return self._zone(out, text, floor, s, e, suffix, last)
        lo = run_start(text, floor, s)
        start = self.rules.start_in(text, lo, floor, s, after_place)
        if out.known is not None and suffix.level in ("district", "street"):
            start = self._known_start(out, text, lo, start, s, suffix)
        # X社区居委会, 新泾五村小区, 万寿路12号院社区, 梅村街道: a suffix right after a place of the
        # neighbourhood levels names that place again (a committee) or a place named after it
        if start == s and last is not None and last.end == s and not last.dropped \
                and last.level in ("community", "estate", "area") and last.source == "suffix":
            if suffix.strength == "organ" or suffix.level == last.level:
                last.end = e
                return [last]
            if suffix.strength == "strong":
                return self._rename(out, text, last, s, e, suffix)
        if start >= s:
            return []
        for c in window.ending_after(s - MAX_RUN):  # a name does not begin inside another (向龙新村长桥街道)
            if not c.dropped and c.start < start < c.end:
                start = c.end
        if start >= s:
            return []
        prefix = None
        if suffix.level in ("district", "street"):
            start, prefix = self._split_prefix(out, text, start, s, suffix, last)
        elif suffix.level in ("community", "estate", "area") and s - start >= 4:  # (see _split_known)
            start, prefix = self._split_known(out, text, start, s, suffix, last)
        base = text[start:s]
        chained = prefix is not None or (last is not None and last.end == start and not last.dropped
                                         and last.level in ("province", "city"))
        if suffix.strength == "chain" and not (last is not None and last.end == start
                                              and last.level in ("province", "city")) \
                and not place_word(base + suffix.text, strict=True):
            return []  # 昆山市, 义乌市 stand alone: jieba knows them as places
        if suffix.strength == "chain" and out.known is not None \
                and not out.known(base + suffix.canonical, suffix.level, True):
            return []  # 桃园市 (Taiwan), 某市: the gazetteer has every county-level city and banner
        # 胡集镇: a name the gazetteer knows is a name though a word (集镇) seems to end inside it
        # (valid first: it holds for most names; both rules are pure, so their order changes nothing)
        if not self.rules.valid(text, start, base, suffix, e, chained) \
                and not self._one_character_county(out, text, start, s, e, suffix, last) \
                and not (out.known is not None and suffix.level in ("district", "street")
                         and out.known(base + suffix.canonical, suffix.level)
                         and self.rules.valid(text, start, base, suffix, e, chained, True)):
            # 永乐路18号西安高等电力专科学校家属院: a long name may carry its street address first
            address = _ADDRESS.match(base)
            if address is None or not self.rules.valid(text, start + address.end(), base[address.end():], suffix, e):
                return []
            start, base = start + address.end(), base[address.end():]
        if self._phrase_unit(out, base, suffix):
            return []  # 中国城镇化, 所辖县, 直辖市县: no unit of the gazetteer, and no name either
        if suffix.strength in ("weak", "medium") and self._list_veto(text, e):
            return []
        if suffix.strength == "weak" and self._suffix_follows(text, e):
            return []  # 五里街道, 十里社区: the weak suffix is inside the name of a larger place
        # a weak or medium place inside a name being written (靖江东里社区) gives way to it
        for c in window.ending_after(s - MAX_RUN):
            if c.strength in ("weak", "medium") and not c.dropped and c.start >= start and c.end <= s \
                    and c.end > start:
                c.dropped = True
        cand = Candidate(start, e, base, suffix.text, suffix.level, base + suffix.canonical, "suffix",
                         suffix.strength, floor=floor)
        if suffix.level == "district":
            # jieba knows most districts (徐汇区, 茅箭区); a district named like a common noun
            # (平房区: a bungalow area) needs its city, a street or an organ like any other
            cand.cue = in_dictionary(cand.name) and cand.name not in self.lex.common_noun_districts
        return [self._add(out, cand, prefix or last)]

    def _rename(self, out: Scan, text: str, last: Candidate, s: int, e: int, suffix: Suffix) -> list[Candidate]:
        """The place before ``s`` is part of a longer name ending in ``suffix``: find its start again."""
        floor = last.floor
        start = self.rules.name_start(text, floor, s)
        base = text[start:s]
        if start >= s or not self.rules.valid(text, start, base, suffix, e):
            return []
        last.dropped = True
        prev = out.candidates[last.chained_to] if last.chained_to is not None else None
        cand = Candidate(start, e, base, suffix.text, suffix.level, base + suffix.canonical, "suffix",
                         suffix.strength, floor=floor)
        if prev is not None and prev.end == start:
            return [self._add(out, cand, prev)]
        out.candidates.append(cand)
        return [cand]

    def _split_prefix(self, out: Scan, text: str, start: int, s: int, suffix: Suffix,
                      last: Candidate | None) -> tuple[int, Candidate | None]:
        """上海徐汇区, 成都龙潭街道, 徐汇天平街道: a higher place's short form written before a name.

        Only for districts and streets: names below them often start with a city's name
        (北京西路社区, 西安高等电力专科学校家属院)."""
        if suffix.level not in ("district", "street"):
            return start, None
        if last is not None and last.end == start and last.level in ("district", "street"):
            return start, None  # 浦东新区潍坊新村街道: inside a district, 潍坊 is no city
        base = text[start:s]
        for short in self._prefixes(base, out.known_prefixes):
            cut_at = start + len(short)
            rest = text[cut_at:s]
            if len(rest) < 2 and not (rest and out.known is not None and out.known(rest + suffix.canonical, suffix.level)) \
                    or road_follows(text, cut_at) or self.lex.suffix(rest) or rest in self.lex.generic_words:
                continue  # 南京西路街道, 潍坊新村街道: the short form begins the name (安徽萧县: 萧县 is one)
            div = self.lex.shorts.get(short)
            if short in out.known_prefixes:
                name, level = out.known_prefixes[short]
                if LEVEL_DEPTH[level] >= LEVEL_DEPTH[suffix.level]:
                    continue
                cand = Candidate(start, cut_at, short, "", level, name, "short")
            elif div is not None and div.short_ok:
                cand = Candidate(start, cut_at, short, "", div.level, div.name, "division", division=div)
            else:
                continue
            self._add(out, cand, last)
            return cut_at, cand
        return start, None

    def _prefixes(self, base: str, known: dict[str, tuple[str, str]]) -> list[str]:
        # every prefix of base looked up, longest first, instead of every short form tried on base
        if not known and self.short_heads is not None and base[:2] not in self.short_heads:
            return []  # the usual case: no short form begins with the name's first two characters
        # (none longer than the longest short form or known prefix: those need no lookup)
        longest = max(self.shorts_ok_longest, max(map(len, known), default=0))
        prefixes = (base[:n] for n in range(min(len(base), longest), -1, -1))
        return [p for p in prefixes if p in known or p in self.shorts_ok_set]

    # -- lists -----------------------------------------------------------------------------

    def _list(self, out: Scan, text: str, floor: int, s: int, e: int, suffix: Suffix,
              clauses: tuple[_Window, _Breaks]) -> list[Candidate] | None:
        """Items of a list that share this suffix, or None when no list head stands before it."""
        lead = s
        mod = self.list_modifier_re.search(text, max(floor, s - 4), s) \
            if s > floor and text[s - 1] in self.list_modifier_ends else None
        if mod is not None:  # 6个老旧小区, 三大网格: a kind word after the numeral
            lead = mod.start()
        if lead <= floor or text[lead - 1] not in _HEAD_ENDS:
            return None
        head = _HEAD.search(text, max(floor, lead - 8), lead)
        # a bare numeral ends names too (罗秀二村, 12号院): only 等 or numeral + classifier make a head
        deng, num = head.group("deng"), head.group("num")
        if not deng and not num:
            return None
        # items may reach back over places already found (罗秀二村 in 楼园、...、罗秀二村、华滨等多个居民区),
        # up to the start of the clause
        window, breaks = clauses
        clause = breaks.clause_start(head.start())
        # the head starts at most _HEAD_REACH characters before the suffix, so its clause starts
        # no earlier than the clause there: no candidate ending before that is read
        low = breaks.clause_start(max(0, s - _HEAD_REACH)) - 1
        near = window.ending_after(low)
        ends = [c.end for c in near if not c.dropped and clause <= c.end <= head.start()]
        items = self._items(text, clause, head.start(), ends)
        if not deng and len(items) < 2:
            return []  # 10个居民区, 9个大网格: a count of places, no names
        made = []
        for i0, i1 in items:
            cand = self._item(out, text, i0, i1, suffix, window.ending_after(low))  # (with items just made)
            if cand is not None:
                made.append(cand)
        return made

    def _items(self, text: str, floor: int, end: int, ends: list[int]) -> list[tuple[int, int]]:
        """The spans of list items that end at ``end``, leftmost first."""
        items: list[tuple[int, int]] = []
        pos = end
        while True:
            lo = run_start(text, floor, pos)
            chunk = text[lo:pos]
            first = lo == floor or lo == 0 or text[lo - 1] != LIST_SEPARATOR
            parts = self._split_conjunction(chunk, lo)
            if first:  # the leftmost item: trim what comes before the name (河北区对天江里)
                p0, p1 = parts[0]
                p0 = max([p0] + [x for x in ends if x < p1])
                parts[0] = (self.rules.name_start(text, p0, p1), p1)
                if parts[0][0] >= parts[0][1]:
                    parts = parts[1:]
            items[:0] = parts
            if first:
                return [(a, b) for a, b in items if b > a]
            pos = lo - 1
            if pos <= floor:
                return [(a, b) for a, b in items if b > a]

    def _split_conjunction(self, chunk: str, offset: int) -> list[tuple[int, int]]:
        """梧桐和嘉澜 -> 梧桐, 嘉澜 (only when both sides keep two characters: 和平 stays whole)."""
        for conj in LIST_CONJUNCTIONS:
            i = chunk.rfind(conj)
            if i >= 2 and len(chunk) - i - len(conj) >= 2:
                left = self._split_conjunction(chunk[:i], offset)
                return left + [(offset + i + len(conj), offset + len(chunk))]
        return [(offset, offset + len(chunk))]

    def _item(self, out: Scan, text: str, i0: int, i1: int, shared: Suffix,
              near: list[Candidate]) -> Candidate | None:
        """The item at [i0, i1); ``near``: the candidates that may be found at it, in list order."""
        item = text[i0:i1]
        for c in near:  # already found by its own suffix (天江里): the list confirms it
            if (c.start, c.end) == (i0, i1) and not (c.dropped and c.strength != "weak"):
                c.cue, c.dropped, c.source = True, False, "list"
                return c
        # an item that carries its own suffix (罗秀二村, 上江花园; one in a hundred: tested at once first)
        for own in self.lex.suffixes if item.endswith(self.item_suffixes) else ():
            if item.endswith(own.text) and len(item) > len(own.text) and own.strength != "chain":
                base = item[: -len(own.text)]
                if not self.rules.valid(text, i0, base, own, i1) or self._phrase_unit(out, base, own):
                    return None  # 三个小区、两个社区、五个街道: counts, not names
                cand = Candidate(i0, i1, base, own.text, own.level, base + own.canonical, "list",
                                 own.strength, cue=True)
                out.candidates.append(cand)
                return cand
        if not self.rules.valid(text, i0, item, shared, i1) or self._phrase_unit(out, item, shared):
            return None  # (市、县、镇三级: levels)
        cand = Candidate(i0, i1, item, shared.text, shared.level, item + shared.canonical, "list",
                         shared.strength, cue=True)
        out.candidates.append(cand)
        return cand

    def _one_character_county(self, out: Scan, text: str, start: int, s: int, e: int, suffix: Suffix,
                              last: Candidate | None) -> bool:
        """冠县, 沛县, 歙县: a county whose name is one character, shorter than names are (suffixes.tsv
        min_name), when the gazetteer has that county and jieba reads it as one word in the text
        (山东冠县某社区; not 入夏县里: 夏县 is a county too). A function character (和县 of 市和县)
        needs its province or city right before it (安徽和县). Only 县: the one-character
        districts (城区, 郊区, 矿区) are common nouns as well."""
        if s - start != 1 or suffix.text not in ONE_CHARACTER_SUFFIXES or out.known is None \
                or not out.known(text[start:e], suffix.level):
            return False
        if text[start] in self.lex.function_chars and not (
                last is not None and last.end == start and last.level in ("province", "city")):
            return False
        offset = max(0, start - 3)
        for word, _ in cut(text[offset:e + 3]):
            if offset == start:
                return offset + len(word) == e
            offset += len(word)
            if offset > start:
                return False
        return False

    def _phrase_unit(self, out: Scan, base: str, suffix: Suffix) -> bool:
        """True for a district or street that the national gazetteer does not know (not even by
        a base or short form) and whose name reads as a phrase (NameRules.unit_phrase)."""
        return out.known is not None and suffix.level in ("district", "street") \
            and not out.known(base + suffix.canonical, suffix.level, True) \
            and self.rules.unit_phrase(base, suffix) is not None

    def _confirm_districts(self, out: Scan) -> None:
        """A district jieba does not know needs the text's word for it: a city before it, a
        street after it, or one of its organs (区委, 区政府) after it; 内部存桶区 has none."""
        text = out.text
        chained = {c.chained_to for c in out.candidates if c.chained_to is not None and not c.dropped}
        for i, c in enumerate(out.candidates):
            if c.level != "district" or c.source != "suffix" or c.cue or c.dropped:
                continue
            if c.chained_to is not None or i in chained:
                continue
            if any(text.startswith(organ, c.end) for organ in self.lex.district_organs):
                continue
            c.dropped = True

    # -- weak suffixes -----------------------------------------------------------------------

    def _confirm_weak(self, out: Scan) -> None:
        text = out.text
        for c in out.candidates:
            if c.strength != "weak" or c.cue or c.dropped:
                continue
            before = text[max(0, c.start - 4):c.start]
            if any(before.endswith(cue) for cue in self.lex.residence_cues):
                c.cue = True
            elif before[-1:] in OPEN_QUOTES and text.endswith(self.lex.quoted_estate_heads, 0, c.start - 1):
                c.cue = True  # 新建楼盘“江南雅苑”: the word before the quote says what it names
            elif _BUILDING.match(text, c.end):
                c.cue = True
            else:
                c.dropped = True


class _Breaks:
    """Where the clauses of a text break, for a list's reach without reading back from each
    suffix; found on the first list head (most texts have none, and finding them costs a
    tenth of the scan)."""

    def __init__(self, text: str):
        self.text = text
        self.at: list[int] | None = None

    def clause_start(self, at: int) -> int:
        """Where the clause holding the character before ``at`` starts (0 without a break before)."""
        if self.at is None:
            self.at = list(map(re.Match.start, _CLAUSE_BREAK.finditer(self.text)))
        i = bisect_left(self.at, at)
        return self.at[i - 1] + 1 if i else 0


def _position(candidates: list[Candidate], cand: Candidate) -> int:
    """The index of ``cand`` itself (list.index compares candidates field by field from the
    first one); the place a name is chained to was found just before it, so look from the end."""
    return next(i for i in range(len(candidates) - 1, -1, -1) if candidates[i] is cand)


def scan_text(text: str, lex: PlaceLexicon, known_prefixes: dict[str, tuple[str, str]] | None = None,
              known: Callable[..., bool] | None = None) -> Scan:
    """Every place name written in ``text``, in order (dropped ones are marked, not removed).

    ``known_prefixes`` maps the short form of a place the article names elsewhere to its
    (name, level), so that 徐汇天平街道 splits into 徐汇 and 天平街道."""
    return _scanner(lex).scan(text, known_prefixes or {}, known)


@lru_cache(maxsize=4)
def _scanner(lex: PlaceLexicon) -> _Scanner:
    # compiling the patterns costs more than scanning an article; a lexicon hashes by identity
    return _Scanner(lex)
