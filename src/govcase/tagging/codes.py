"""Measures and mechanisms in a clean body: find matches, check their context, resolve overlaps (pure).

One pass of the lexicon's automaton over the body (quotes and spaces skipped,
see ``lexicon.shadow``) gives every candidate; then:

1. a stop phrase (``@stop``: 党建网, 自治区 ...) swallows any match inside it (``find_spans``);
2. ``longest_then_leftmost`` picks among overlapping spans, separately for
   measures and mechanisms (加装电梯工作室 is a measure, 加装电梯, and a
   mechanism, 工作室). Spans are chosen before their context is checked: the
   longest phrase decides how its text reads, so when 停车难 fails its check
   the 停车 inside it does not count either;
3. each entry on a chosen span is checked in its context (``passes``), and a
   span yields one CodeMention per code that passes (停车诱导系统: parking and
   digital). Nothing counts in a clause of national policy talk (``@policy_talk``:
   国家治理体系, 总书记 ...; the clause after "为贯彻落实总书记重要论述," usually
   does report the case, so this is not sentence-wide), nor in a clause of someone's past
   (``@biography``: 他曾在外企从事数字化转型工作), in a hypothetical clause
   (``@hypothetical``: 如果 ..., and the clause after it: 如果一楼不同意，这部电梯就装不起来) or after a likeness (``@figurative``: 箱房宛如“小绿地”);
   a question reports nothing done (装电梯的钱从哪来？; “充电桩？我们这儿连个车棚都没有。”);
   a negator just before a match cancels it (无物业管理, 并未规划停车位) except
   for problem entries, whose negation reports a fix (再也没有积水); a measure in a clause
   that only tells a facility's poor state (``@disrepair``: 健身路径已老化) does not count, nor one whose
   clause tells nothing done while a later clause of its sentence tells the work stalled (``@stalled``:
   加梯工作因两户居民反对，已经搁置了大半年); then the
   entry's own required and forbidden neighbours, and for a problem entry a word
   of ``@resolved`` in its clause.

   The clause is also read for who did what, so that a cue in passing does not count:
   a plan or a wish (``@plan`` before the match in its clause: 计划明年启动加装电梯, 居民希望增设
   健身器材; or a sentence opened by ``@plan_opener``: 下一步，街道将...), unless an exempt word
   (``@not_plan``: 按计划, 未来社区) holds the plan word; a negator that governs the clause
   (``@clause_negators`` before the match: 从未开展过垃圾分类, 不支持拆除车棚) or follows it
   (``@undone``: 加装电梯项目并未启动, 停车难问题至今未能解决); a rule stated, not applied
   (``@rule_talk``: 按规定，维修资金的使用需经业主同意); a facility turned into another
   (``@converted``: 把废弃的自行车棚改建成了活动室 builds no bike shed); an ``object`` entry (监控探头,
   物业公司) whose clause says nothing was done (no word of ``@act``); an ``actor`` entry (党委书记)
   that does nothing later in its sentence; a ``verb`` entry (扶手, 路灯, 杂物: a thing told without
   its category word) on which no verb of its own acts nearby in its clause (修好了扶手, 把坏了的路灯换了
   count; 扶手坏了, 没人修扶手, 扶手准备明年换 do not); a cue in the title of someone who then speaks
   (街道城管科科长刘磊说: ``@title_heads`` and ``@attribution``); and a match inside a
   place's name but not at its end (加州花园片区 names a place, it makes no garden).

   A measure's cue in passing does not count either: one named (``@name_before``: 一家名叫“社区
   食堂”的快餐店), one that is where something else happened (在 ... 社区食堂门口见到, a word of
   ``@locative_after`` after it and nothing built in its clause), a facility as it was before
   (``@former``: 小区原来的垃圾站就设在这里), or inside a government document's title (《关于...》,
   《...条例》). A clause whose cue is its topic (渗水问题，由维修基金出资进行了修补; 车棚改造，至今仍未
   动工) is judged with the clause that comments on it. The words of ``@name_before`` and ``@former`` are found in
   the automaton's one pass (lexicon.MARKER_SETS), not by a scan of their own, and so is whether a
   body holds a word of ``@figurative`` or ``@converted`` at all.

The context checks live in tagging.clauses (the questions asked of a clause) and tagging.cues (the
lexicon's word sets compiled once); this module finds the cues and decides with them.
"""
from __future__ import annotations

import re
from bisect import bisect_right
from itertools import accumulate
from operator import attrgetter, itemgetter
from typing import Iterable, Sequence

from govcase.tagging.clauses import Context
from govcase.tagging.cues import PARTY_SETS, Words
from govcase.tagging.lexicon import Entry, Lexicon
from govcase.records import CodeMention, Sentence


_THIRD = itemgetter(2)


def longest_then_leftmost(spans: Iterable[tuple[int, int]]) -> list[tuple[int, int]]:
    """Non-overlapping spans: the longest first, then the leftmost among equals."""
    # (minus the length, start, end): sorted as tuples, with no key function called per span; a
    # span listed twice is no matter, as the first one's characters then block the second
    ordered = sorted([(start - end, start, end) for start, end in spans])
    taken = bytearray(max(map(_THIRD, ordered), default=0))  # characters already chosen (ends read in C)
    chosen: list[tuple[int, int]] = []
    for _, start, end in ordered:
        if 1 not in taken[start:end]:
            taken[start:end] = b"\1" * (end - start)
            chosen.append((start, end))
    chosen.sort()
    return chosen


def passes(entry: Entry, start: int, end: int, ctx: Context) -> bool:
    """Whether ``entry``, matched at [start, end) of the shadow text, counts in its context
    (step 3 of the module doc)."""
    c_lo, c_hi = clause = ctx.clause(start, end)
    # (each check that needs words of a marker set is asked only where the text holds one: most
    # texts hold few of them, and a call saved per cue is ~5 % of the pass, see Context.hold)
    held = ctx.held
    if "@policy" in held and ctx.policy_talk(clause) or "@hypothetical" in held and ctx.supposed(clause):
        return False
    rules, text = ctx.rules, ctx.text
    if "@figurative" in held and rules.figurative.search(text, c_lo, start):
        return False
    if "@negators" in held and not entry.problem and ctx.negated(start, c_lo):
        return False
    if ctx.questions and ctx.asked(end):
        return False
    if "@attribution" in held and ctx.in_speaker_title(end, c_hi):
        return False  # 街道城管科科长刘磊说: the cue is in the speaker's title
    if "@not_done" in held and ctx.not_done(start, end, clause):
        return False
    if entry.object and not ctx.acted(start, end, clause) \
            and not (entry.kind == "measure" and ctx.acted_on(start, end, clause, rules.action_verbs)):
        return False
    if entry.actor and not ctx.acts_later(end):
        return False
    if entry.requires or entry.forbids or entry.requires_all:
        lo, hi = clause if entry.clause else ctx.sentence(start)
        lo, hi = min(lo, start), max(hi, end)
        requires, forbids = rules.neighbours(entry)
        if entry.verb:  # its requires are the verbs that must act on it (修好了|扶手, 路灯|换了)
            if not ctx.acted_on(start, end, clause, requires):
                return False
        elif (entry.requires or entry.requires_all) and not requires.any_holds(text, lo, start, end, hi):
            return False
        if forbids.any_holds(text, lo, start, end, hi):
            return False
    if entry.problem:
        if not (rules.resolved.search(text, c_lo, start) or rules.resolved.search(text, end, c_hi)
                or ctx.resolved_in_comment(start, end, clause)):
            return False
    elif entry.kind == "measure" and (not entry.verb and ctx.disrepair_only(start, end, clause)
                                      or "@converted_away" in held and ctx.converted_away(start, end, clause)
                                      or ctx.in_passing(start, end, clause)
                                      or "@stalled" in held and ctx.stalled_later(start, end, clause)):
        return False
    return True


def find_spans(text: str, lexicon: Lexicon) -> tuple[dict[tuple[int, int], tuple[Entry, ...]], ...]:
    """({(start, end): measure entries}, {(start, end): mechanism entries}) of every surface matched
    in the shadow text, minus those inside a longer stop phrase. One surface per span, so each
    span's entries come from one match (the automaton's values are split by kind already).
    The ends of marker words (lexicon.MARKER_SETS) found in the same pass: find_marked."""
    return find_marked(text, lexicon)[:2]


def find_marked(text: str, lexicon: Lexicon) -> tuple[dict[tuple[int, int], tuple[Entry, ...]],
                                                      dict[tuple[int, int], tuple[Entry, ...]],
                                                      dict[str, list[int]]]:
    """find_spans, and {marker set: sorted ends of its words in the text}."""
    measures: dict[tuple[int, int], tuple[Entry, ...]] = {}
    mechanisms: dict[tuple[int, int], tuple[Entry, ...]] = {}
    stops: list[tuple[int, int]] = []
    marks: dict[str, list[int]] = {}
    values, found = lexicon.automaton.matches(text)
    for i, _, end in found:
        length, measure_entries, mechanism_entries = values[i]
        span = (end - length, end)
        if measure_entries:
            measures[span] = measure_entries
        if mechanism_entries:
            if measure_entries is None:  # a marker word: mechanism_entries holds its set's name
                marks.setdefault(mechanism_entries, []).append(end)
            else:
                mechanisms[span] = mechanism_entries
        elif measure_entries is None:
            stops.append(span)
    if stops:
        _drop_inside_stops(stops, measures)
        _drop_inside_stops(stops, mechanisms)
    return measures, mechanisms, marks


def _drop_inside_stops(stops: list[tuple[int, int]], spans: dict[tuple[int, int], tuple[Entry, ...]]) -> None:
    """Drop the spans that a stop phrase holds. A stop holds a span when it starts at or before it
    and ends at or after it; it is then longer too, since no surface is both an entry and a stop
    (lexicon checks). So a span is swallowed when the furthest end of the stops starting at or
    before it reaches its end: one bisection per span, not a look at every stop."""
    stops.sort()  # the automaton yields them by end
    starts = [s for s, _ in stops]
    reach = list(accumulate((e for _, e in stops), max))
    for span in [sp for sp in spans if (i := bisect_right(starts, sp[0])) and reach[i - 1] >= sp[1]]:
        del spans[span]


# What separates the parties of a list (居委会、业委会和物业公司; 社区民警、物业保安及党员志愿者), and how
# long one item may be (物业公司的负责人 is 8 characters: longer items are clauses, not names).
_LIST_SEPARATORS = re.compile("、|以及|和|与|及")
_ITEM_LONGEST = 10
_LIST_END = re.compile("[，,。；;！？!?：:\n（(]")
# The stretch before a position back to the last list end: the tail of text[..pos] without one
_CLAUSE_TAIL = re.compile("[^，,。；;！？!?：:\n（(]*\\Z")
# Residents named as a side of a list (社区、物业和居民一起动手 is two sides and the residents)
RESIDENT_WORDS = frozenset({"居民", "群众", "村民", "居民们", "住户"})
RESIDENT_SIDE = PARTY_SETS.index("@resident_roles")
# What may follow the party word of an inner item: nothing, a plural, or a role in it (物业保安, 社区干部)
ROLE_ENDINGS = frozenset({"", "们", "等", "保安", "经理", "干部", "代表", "人员", "工作者", "负责人", "民警",
                          "书记", "主任", "骨干", "工作人员"})
_ROLE_LENGTHS = sorted({len(r) for r in ROLE_ENDINGS if r})
_ROLE_LAST_CHARS = frozenset(r[-1] for r in ROLE_ENDINGS if r)
# A list of local units with the community (与辖区的6所学校、3家医院开展联建) is a regional partnership,
# which has entries of its own (regional_party), not several parties working together.
_REGIONAL = re.compile("辖区|共建|结对|联建|驻区|结成对子")


def party_lists(ctx: Context) -> list[tuple[int, int]]:
    """Spans of the shadow text listing three or more parties from two sides or more (居委会、业委会和
    物业公司每月碰一次头; 社区民警、物业保安和党员志愿者组成联防队; 业主代表、物业和开发商各执一词):
    several parties named together as one subject or one group is several parties working together
    (multi_party), in the codebook's words 居委会联动, 联合多部门. Read only around 、, which every such
    list of three holds."""
    rules = ctx.rules
    text, patterns, party_words = ctx.text, rules.parties, rules.party_words
    found: list[tuple[int, int]] = []
    pos = text.find("、")
    while pos >= 0:
        before = text[pos - 1:pos]  # (most lists name services or places, 养老、托育: one set lookup each)
        if before not in rules.party_last_chars and before not in _ROLE_LAST_CHARS \
                or not _party_before(text, pos, party_words):
            pos = text.find("、", pos + 1)
            continue
        lo = _CLAUSE_TAIL.search(text, max(0, pos - 40), pos).start()  # where the list's clause starts
        end = _LIST_END.search(text, pos)
        hi = end.start() if end else len(text)
        items, sides, cut = [], set(), lo
        for sep in _LIST_SEPARATORS.finditer(text, lo, hi):
            items.append((cut, sep.start()))
            cut = sep.end()
        items.append((cut, hi))
        run: list[tuple[int, int]] = []
        for a, b in items:
            last = (a, b) == items[-1]
            side = _item_side(text, a, min(b, a + _ITEM_LONGEST), patterns, last) \
                if b - a <= _ITEM_LONGEST or last else None
            if side is not None:
                run.append((a, side[1]))
                sides.add(side[0])
            elif run:
                break
        if len(run) >= 3 and len(sides) >= 2 and not (found and found[-1][1] >= run[-1][1]) \
                and _REGIONAL.search(text, lo, hi) is None:
            found.append((run[0][0], run[-1][1]))
        pos = text.find("、", hi)
    return found


def _party_before(text: str, pos: int, party_words: Words) -> bool:
    """Whether the text before ``pos`` ends with a party word, or one and a role in it (物业保安)."""
    lo = max(0, pos - _ITEM_LONGEST)
    if party_words.ends_at(text, lo, pos):
        return True
    return any(text[pos - k:pos] in ROLE_ENDINGS and party_words.ends_at(text, lo, pos - k)
               for k in _ROLE_LENGTHS if pos - k > lo)


def _item_side(text: str, a: int, b: int, patterns: tuple, last: bool) -> tuple[int, int] | None:
    """(side, end) of the party an item of a list names, or None when it names none. An inner item must
    end with its party word or a role in it (社区民警: 民警, an outside party; 物业保安; 群众点单 names an
    act, no party); the last one, which runs on into the rest of the clause, must start with it
    (物业公司每月碰一次头). Residents (居民, 群众) count as residents, whatever set holds them."""
    best: tuple[int, int] | None = None
    for side, pattern in enumerate(patterns):
        if pattern is None:
            continue
        for m in pattern.finditer(text, a, b):
            ok = m.start() <= a + 1 if last else text[m.end():b] in ROLE_ENDINGS
            if ok and (best is None or m.end() > best[1]):
                best = (RESIDENT_SIDE if m.group() in RESIDENT_WORDS else side, m.end())
    return best


_OPENING_QUOTES = "“「『《"


def _opens_quote_inside(body: str, b_start: int, b_end: int) -> bool:
    """Whether a quote or a title opens inside the body span (not at its start): the matcher skips quote
    marks so that “飞线”充电 matches 飞线充电, but a mark that opens a name or a slogan ends the word before
    it (依托“老杨调解工作室” holds no 托老). A straight mark " opens when an even number of them and no
    curly opening mark stand before it on its line."""
    if b_end - b_start < 2:
        return False
    for i in range(b_start + 1, b_end):
        c = body[i]
        if c in _OPENING_QUOTES:
            return True
        if c == '"':
            line = body.rfind("\n", 0, i) + 1
            # a line that opens with curly marks pairs a straight one with them (“飞线"充电): no opening
            if body.count('"', line, i) % 2 == 0 and body.find("“", line, i) < 0:
                return True
    return False


def find_codes(body: str, sentences: Sequence[Sentence], lexicon: Lexicon,
               names: Sequence[tuple[int, int]] = ()) -> tuple[list[CodeMention], list[CodeMention]]:
    """(measures, mechanisms) mentioned in ``body``, each sorted by offset; ``names`` are the
    (start, end) of place names in the body, inside which a cue names no measure."""
    ctx = Context(body, sentences, lexicon, names)
    measure_spans, mechanism_spans, marks = find_marked(ctx.text, lexicon)
    ctx.hold(marks)
    by_kind = {"measure": measure_spans, "mechanism": mechanism_spans}
    out: dict[str, list[CodeMention]] = {"measure": [], "mechanism": []}
    keep, names, titles = ctx.keep, ctx.name_starts, ctx.titles
    for kind, mentions in out.items():
        by_span = by_kind[kind]
        for start, end in longest_then_leftmost(by_span):
            if names and ctx.in_name(start, end) or titles and ctx.in_title(start, end):
                continue
            b_start, b_end = keep[start], keep[end - 1] + 1
            if b_end - b_start > end - start and _opens_quote_inside(body, b_start, b_end):
                continue  # 依托“老杨调解工作室”: 托“老 joins two words across a name's opening quote
            entries = by_span[start, end]
            if len(entries) == 1:  # (most spans: no code to count once)
                entry = entries[0]
                if passes(entry, start, end, ctx):
                    mentions.append(CodeMention(kind, entry.code, body[b_start:b_end], b_start, b_end,
                                                entry.pattern_id))
                continue
            codes_seen: set[str] = set()
            for entry in entries:
                if entry.code not in codes_seen and passes(entry, start, end, ctx):
                    codes_seen.add(entry.code)
                    mentions.append(CodeMention(kind, entry.code, body[b_start:b_end], b_start, b_end,
                                                entry.pattern_id))
    lists = party_lists(ctx) if "、" in ctx.text else ()
    if lists:
        mechanisms = out["mechanism"]
        for start, end in lists:
            clause = ctx.clause(start, end)
            if ctx.policy_talk(clause) or ctx.not_done(start, end, clause):
                continue
            b_start, b_end = ctx.keep[start], ctx.keep[end - 1] + 1
            mechanisms.append(CodeMention("mechanism", "multi_party", body[b_start:b_end], b_start, b_end,
                                          "multi_party:party-list"))
        mechanisms.sort(key=attrgetter("start"))
    return out["measure"], out["mechanism"]
