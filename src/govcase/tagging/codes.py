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
   (``@hypothetical``: 如果 ...) or after a likeness (``@figurative``: 箱房宛如“小绿地”);
   a negator just before a match cancels it (无物业管理, 并未规划停车位) except
   for problem entries, whose negation reports a fix (再也没有积水); a measure in a clause
   that only tells a facility's poor state (``@disrepair``: 健身路径已老化) does not count; then the
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
   物业公司) whose clause says nothing was done (no word of ``@act``); and a match inside a
   place's name but not at its end (加州花园片区 names a place, it makes no garden).

   A measure's cue in passing does not count either: one named (``@name_before``: 一家名叫“社区
   食堂”的快餐店), one that is where something else happened (在 ... 社区食堂门口见到, a word of
   ``@locative_after`` after it and nothing built in its clause), a facility as it was before
   (``@former``: 小区原来的垃圾站就设在这里), or inside a document's title (《关于...》). A clause
   whose cue is its topic (渗水问题，由维修基金出资进行了修补; 车棚改造，至今仍未动工) is judged
   with the clause that comments on it. The words of ``@name_before`` and ``@former`` are found in
   the automaton's one pass (lexicon.MARKER_SETS), not by a scan of their own.
"""
from __future__ import annotations

import re
from bisect import bisect_left, bisect_right
from itertools import accumulate
from functools import lru_cache
from typing import Iterable, NamedTuple, Sequence

from govcase.tagging.alternation import longest_first
from govcase.tagging.lexicon import Condition, Entry, Lexicon, shadow, word_pattern
from govcase.records import CodeMention, Sentence
from govcase.text import break_positions, sentence_at, split_sentences

# Clause breaks for context checks: unlike text.CLAUSE_BREAKS, 、 and ： do not break,
# so a list ("房顶漏水、管道老旧等问题也得到了解决") stays one clause.
CLAUSE_BREAKS = "，,；;。！？!?\n"
# How far back a negator may stand before a match: 并未规划|停车位 is 3 characters.
NEGATION_WINDOW = 4
# A government document's title: 《关于...》 (a cue inside it names the document, no measure of the case;
# a title without 关于, 《XX小区停车管理公约》, is often the case's own rule and is read as text).
DOCUMENT_TITLE = re.compile(r"《关于[^《》\n]{1,60}》")
# How much may follow a cue in a topic clause: 外墙保温|改造的事 (a longer rest holds a comment of its own).
TOPIC_REST = 6
# How far back a naming word may stand before a cue: 名叫|社区食堂 (quotes are skipped), 取名为|幸福里食堂.
NAME_REACH = 6
# How far back the preposition 在 may stand before a cue it governs: 在|小区各个|出入口, 设在|建设北路三段
# 12号社区|活动中心 (a longer stretch usually holds a verb of its own).
LOCATIVE_REACH = 16


def longest_then_leftmost(spans: Iterable[tuple[int, int]]) -> list[tuple[int, int]]:
    """Non-overlapping spans: the longest first, then the leftmost among equals."""
    ordered = sorted(set(spans), key=lambda s: (s[0] - s[1], s[0]))
    taken = bytearray(max((e for _, e in ordered), default=0))  # characters already chosen
    chosen: list[tuple[int, int]] = []
    for start, end in ordered:
        if not any(taken[start:end]):
            taken[start:end] = b"\1" * (end - start)
            chosen.append((start, end))
    return sorted(chosen)


class _Words:
    """Words that must stand right before (or right after) a position, by length."""

    def __init__(self, words: Iterable[str]) -> None:
        self.words = frozenset(words)
        self.lengths = sorted({len(w) for w in self.words})
        self._starting: re.Pattern[str] | None = None  # compiled on first use (most entries never ask)

    def ends_at(self, text: str, lo: int, i: int) -> bool:
        """Whether text[lo:i] ends with one of the words."""
        return any(k <= i - lo and text[i - k:i] in self.words for k in self.lengths)

    def starts_at(self, text: str, i: int, hi: int) -> bool:
        """Whether text[i:hi] starts with one of the words (one anchored regex match, in C)."""
        if not self.words:
            return False
        if self._starting is None:
            self._starting = re.compile(longest_first(self.words))
        return self._starting.match(text, i, hi) is not None


class _Neighbours:
    """An entry's required or forbidden neighbours, compiled: "does any of them hold?"."""

    def __init__(self, conditions: Sequence[Condition]) -> None:
        inside = {c.word for c in conditions if c.where == "in"}
        self.inside = re.compile(longest_first(inside)) if inside else None
        self.before = _Words(c.word for c in conditions if c.where == "before")
        self.after = _Words(c.word for c in conditions if c.where == "after")
        self.groups: tuple[tuple[_Neighbours, ...], ...] = ()

    def with_groups(self, groups: Sequence[Sequence[Sequence[Condition]]]) -> "_Neighbours":
        """These neighbours, or any group of neighbours that all hold (the ``a&b`` items)."""
        self.groups = tuple(tuple(_Neighbours(part) for part in group) for group in groups)
        return self

    def any_holds(self, text: str, lo: int, start: int, end: int, hi: int) -> bool:
        """Whether a condition holds around text[start:end] in the scope text[lo:hi]: an "in" word
        occurs in text[lo:start] or text[end:hi], text[lo:start] ends with a "before" word, or
        text[end:hi] starts with an "after" word."""
        if self.inside is not None and (self.inside.search(text, lo, start) or self.inside.search(text, end, hi)):
            return True
        if self.before.ends_at(text, lo, start) or self.after.starts_at(text, end, hi):
            return True
        return any(all(part.any_holds(text, lo, start, end, hi) for part in group) for group in self.groups)


class _Rules:
    """What the context checks need of one lexicon, compiled once per lexicon."""

    def __init__(self, lexicon: Lexicon) -> None:
        self.policy = word_pattern(lexicon, ("@policy_talk", "@biography", "@hypothetical", "@rule_talk"))
        self.converted = _Words(lexicon.words("@converted"))
        self.converted_anywhere = word_pattern(lexicon, ("@converted",))
        self.name_after = _Words(lexicon.sets.get("@name_after", ()))  # optional in a lexicon
        self.locative = _optional_pattern(lexicon, "@locative")
        self.not_locative = _Words(lexicon.sets.get("@not_locative", ()))
        self.build = word_pattern(lexicon, ("@build",))
        self.locative_after = _Words(lexicon.sets.get("@locative_after", ()))
        self.topic_tail = _Words(lexicon.sets.get("@topic_tail", ()))
        self.figurative = word_pattern(lexicon, ("@figurative",))
        self.disrepair = word_pattern(lexicon, ("@disrepair",))
        self.resolved = word_pattern(lexicon, ("@resolved",))
        self.act = word_pattern(lexicon, ("@act", "@resolved", "@repair", "@build"))
        # words that hold an act word and are none (负责人, 党组织); optional in a lexicon
        not_act = lexicon.sets.get("@not_act", ())
        self.not_act = re.compile(longest_first(not_act)) if not_act else None
        self.plan = word_pattern(lexicon, ("@plan",))
        self.plan_opener = word_pattern(lexicon, ("@plan_opener",))
        self.not_plan = word_pattern(lexicon, ("@not_plan",))
        self.clause_negators = word_pattern(lexicon, ("@clause_negators",))
        self.undone = word_pattern(lexicon, ("@undone",))
        # Where a negator starts (a lookahead finds every start, overlapping ones too; a match
        # must end by the search's endpos, as it must inside the window negated() reads).
        negators = lexicon.words("@negators")
        self.negator = re.compile("(?=(?:%s))" % longest_first(negators) if negators else r"(?!)")
        # An exempt word (未来, 无障碍) starting at a position, the longest one first.
        exempt = lexicon.words("@not_negators")
        self.exempt = re.compile(longest_first(exempt)) if exempt else None
        self.exempt_longest = max(map(len, exempt), default=0)
        # id(entry) -> (entry, requires, forbids): keyed by identity, since hashing an entry hashes
        # all its conditions; the entry is kept, so its id is not reused while it is here
        self._neighbours: dict[int, tuple[Entry, _Neighbours, _Neighbours]] = {}

    def neighbours(self, entry: Entry) -> tuple[_Neighbours, _Neighbours]:
        """(requires, forbids) of ``entry``, compiled once."""
        found = self._neighbours.get(id(entry))
        if found is None or found[0] is not entry:
            found = self._neighbours[id(entry)] = (entry, _Neighbours(entry.requires).with_groups(entry.requires_all),
                                                   _Neighbours(entry.forbids))
        return found[1], found[2]


def _optional_pattern(lexicon: Lexicon, name: str) -> re.Pattern[str] | None:
    """One regex for the words of an optional set, the longest first; None when the lexicon lacks it."""
    words = lexicon.sets.get(name, ())
    return re.compile(longest_first(words)) if words else None


@lru_cache(maxsize=8)  # a lexicon hashes by identity: one compiled set of rules per loaded lexicon
def _rules(lexicon: Lexicon) -> _Rules:
    return _Rules(lexicon)


class _Marks(NamedTuple):
    """Offsets of clause-level words in a shadow text (see _Context._marks), each sorted."""

    plan_ends: list[int]
    negator_ends: list[int]
    undone_starts: list[int]
    opener_starts: set[int]  # starts of sentences that open with a plan word
    sentence_starts: list[int]


def _any_between(offsets: list[int], lo: int, hi: int) -> bool:
    """Whether a sorted list holds an offset in (lo, hi]."""
    return bisect_right(offsets, hi) > bisect_right(offsets, lo)


class _Context:
    """The shadow text with its sentences, answering scope questions for a span."""

    def __init__(self, body: str, sentences: Sequence[Sentence], lexicon: Lexicon,
                 names: Sequence[tuple[int, int]] = ()):
        self.text, self.keep = shadow(body)
        self.sentences = tuple(sentences) or split_sentences(body)
        self.lexicon = lexicon
        self.rules = _rules(lexicon)
        self._policy: dict[tuple, bool] = {}
        self._found_marks: _Marks | None = None
        self.breaks = break_positions(self.text, CLAUSE_BREAKS)
        # words most articles lack: searched for once per article, and per match only when present
        rules, text = self.rules, self.text
        self.any_figurative = rules.figurative.search(text) is not None
        self.any_converted = rules.converted_anywhere.search(text) is not None
        # ends of the marker words (lexicon.MARKER_SETS), set by find_codes from the automaton's pass
        self.marks: dict[str, list[int]] = {}
        # place names in the shadow text, by start, with the furthest end reached so far: a span
        # lies inside a name when a name starting at or before it ends after it
        spans = sorted((self.to_shadow(s), self.to_shadow(e)) for s, e in names)
        self.name_starts = [s for s, _ in spans]
        self.name_reach = list(accumulate((e for _, e in spans), max))
        # titles of documents (《关于加强停车管理的若干意见》): a cue inside one names the document
        self.titles = [(self.to_shadow(m.start()), self.to_shadow(m.end()))
                       for m in DOCUMENT_TITLE.finditer(body)] if "《关于" in body else []

    def in_title(self, start: int, end: int) -> bool:
        """Whether [start, end) lies inside a document's title."""
        return any(lo <= start and end <= hi for lo, hi in self.titles)

    def in_name(self, start: int, end: int) -> bool:
        """Whether [start, end) lies inside a place's name without ending it: 加州花园片区 names a
        place, 嘉澜网格 is a grid (the level word ends the name)."""
        i = bisect_right(self.name_starts, start)
        return i > 0 and self.name_reach[i - 1] > end

    def not_done(self, start: int, end: int, clause: tuple[int, int]) -> bool:
        """Whether the clause says the match was not done: planned or wished for (a word of
        ``@plan`` before it in its clause, not inside a ``@not_plan`` word, or a sentence opened
        by ``@plan_opener``), or negated by a word that governs the clause (``@clause_negators``
        before it: 从未开展过) or follows it (``@undone``: 项目并未启动)."""
        marks = self._found_marks or self._marks()
        c_lo, c_hi = clause
        plans, negators, undone = marks.plan_ends, marks.negator_ends, marks.undone_starts
        # (most articles lack most of these words: an empty list is answered without a bisection)
        if plans and _any_between(plans, c_lo, start) or negators and _any_between(negators, c_lo, start):
            return True
        if undone and bisect_left(undone, end) < bisect_left(undone, c_hi):
            return True
        if undone and (comment := self.comment(start, end, clause)) is not None \
                and bisect_left(undone, comment[0]) < bisect_left(undone, comment[1]):
            return True
        if marks.opener_starts:  # the sentence holding the clause opens with a plan word
            starts = marks.sentence_starts
            return starts[bisect_right(starts, c_lo) - 1] in marks.opener_starts
        return False

    def _marks(self) -> "_Marks":
        """Where plan words, clause negators and ``@undone`` words stand in the whole text: found
        in one pass each per article, then read for every clause by bisection (none of these
        words holds a clause break, so a word ending or starting inside a clause lies in it)."""
        if self._found_marks is None:
            rules, text = self.rules, self.text
            openers = {m.start() for m in rules.plan_opener.finditer(text)}
            sentence_starts = [0] + [self.to_shadow(s.start) for s in self.sentences] if openers else []
            self._found_marks = _Marks(
                [m.end() for m in rules.plan.finditer(text) if not self._plan_exempt(m)],
                [m.end() for m in rules.clause_negators.finditer(text)],
                [m.start() for m in rules.undone.finditer(text)],
                openers & set(sentence_starts), sorted(sentence_starts))
        return self._found_marks

    def _plan_exempt(self, m: re.Match) -> bool:
        """Whether a ``@not_plan`` word (按计划, 未来社区) holds the plan word ``m``."""
        exempt = self.rules.not_plan.search(self.text, max(0, m.start() - 3), m.end() + 3)
        return exempt is not None and exempt.start() <= m.start() and m.end() <= exempt.end()

    def converted_away(self, start: int, end: int, clause: tuple[int, int]) -> bool:
        """把废弃的自行车棚改建成了活动室: the match names what was turned into something else
        (a word of ``@converted`` right after it, or overlapping its end as in 车棚改造|成, with
        把 or 将 before it in its clause); or 原先的自行车库经过改造，成了邻里客厅: a word of
        ``@former`` right before it and a word of ``@converted`` later in its sentence."""
        if not self.any_converted:
            return False
        words = self.rules.converted
        if self.after_former(start):  # 原先的自行车库经过改造，成了邻里客厅
            sentence_end = self.sentence(start)[1]
            return self.rules.converted_anywhere.search(self.text, end, sentence_end) is not None
        if not any(c in self.text[clause[0]:start] for c in "把将"):
            return False
        after = end + 1 if self.text[end:end + 1] == "了" else end
        return words.starts_at(self.text, after, clause[1]) or any(
            self.text.startswith(w, p) and p + len(w) > end
            for p in range(max(start, end - 2), end) for w in words.words)

    def acted(self, start: int, end: int, clause: tuple[int, int]) -> bool:
        """Whether the clause says something was done: a word of ``@act`` around the match that no
        word of ``@not_act`` holds (物业公司的负责人接受了采访 did nothing: 负责人 is no 负责); or, when
        the match is its clause's topic, in the comment clause (每栋楼都有一位楼长，负责传达通知)."""
        if self._act_in(clause[0], start) or self._act_in(end, clause[1]):
            return True
        comment = self.comment(start, end, clause)
        return comment is not None and self._act_in(*comment)

    def _act_in(self, lo: int, hi: int) -> bool:
        rules, text = self.rules, self.text
        for m in rules.act.finditer(text, lo, hi):
            if rules.not_act is None:
                return True
            held = rules.not_act.search(text, max(0, m.start() - 3), m.end() + 3)
            if held is None or not (held.start() <= m.start() and m.end() <= held.end()):
                return True
        return False

    def in_passing(self, start: int, end: int, clause: tuple[int, int]) -> bool:
        """Whether a measure's cue is only mentioned: part of a name (智慧社区科技公司 names a
        company, 名叫“社区食堂”的快餐店 a shop), a place where something else happened (记者在社区食堂
        门口见到), or a facility as it was before with nothing done in its clause (小区原来的垃圾站就
        设在这里). Each check is asked only where its words are."""
        text, rules, c_lo, c_hi = self.text, self.rules, clause[0], clause[1]
        if rules.name_after.starts_at(text, end, c_hi):
            return True
        if self.marks and (self.named(start, c_lo)
                           or self.after_former(start) and not self.acted(start, end, clause)):
            return True
        return rules.locative_after.starts_at(text, end, c_hi) and self.as_location(start, end, clause)

    def named(self, start: int, clause_start: int) -> bool:
        """一家名叫“社区食堂”的快餐店: a word of ``@name_before`` shortly before the cue names it."""
        ends = self.marks.get("@name_before")
        return ends is not None and _any_between(ends, max(clause_start, start - NAME_REACH), start)

    def after_former(self, start: int) -> bool:
        """Whether a word of ``@former`` (原来的, 原先的) ends right before ``start``."""
        ends = self.marks.get("@former")
        if ends is None:
            return False
        i = bisect_left(ends, start)
        return i < len(ends) and ends[i] == start

    def as_location(self, start: int, end: int, clause: tuple[int, int]) -> bool:
        """Whether the cue is where something else happened: a place word follows it (``@locative_after``:
        记者在社区食堂门口见到, 设在社区活动中心二楼), the preposition 在 (``@locative``, not inside a word
        of ``@not_locative``) governs it with no act between, or it opens its clause (门卫室旁多了个
        快递点), and nothing is built in the rest of the clause (在公交站旁增设了候车座椅 improves the
        bus stop; 在党群服务站里打造社区食堂 widens what the station offers)."""
        rules, text = self.rules, self.text
        if rules.locative is None or not rules.locative_after.starts_at(text, end, clause[1]):
            return False  # (passes() asks the place word first: most cues have none)
        if start > clause[0]:
            lo = max(clause[0], start - LOCATIVE_REACH)
            found = [m for m in rules.locative.finditer(text, lo, start)
                     if not self._not_locative(m.start(), m.end())]
            if not found or self._act_in(found[-1].end(), start):
                return False
        return rules.build.search(text, end, clause[1]) is None

    def _not_locative(self, start: int, end: int) -> bool:
        """Whether a word of ``@not_locative`` (现在, 在外) holds text[start:end]."""
        words = self.rules.not_locative
        return any(self.text[p:p + k] in words.words
                   for k in words.lengths for p in range(max(0, end - k), start + 1))

    def comment(self, start: int, end: int, clause: tuple[int, int]) -> tuple[int, int] | None:
        """The next clause when the match is its clause's topic: nothing is done to it before it in
        the clause (no word of ``@act``: 社区完成了车棚改造 is no topic), and the clause ends with it or
        goes on for at most TOPIC_REST characters ending with a word of ``@topic_tail`` (渗水问题，由
        维修基金出资进行了修补; 外墙保温改造的事，至今没有进展; 原计划6月完工的车棚改造，至今仍未
        动工): what was done about it, or not, is told there. None otherwise."""
        rest = self.text[end:clause[1]]
        if rest and not (len(rest) <= TOPIC_REST and self.rules.topic_tail.ends_at(rest, 0, len(rest))) \
                or clause[1] >= len(self.text) or self.text[clause[1]] in "。！？!?\n" \
                or self._act_in(clause[0], start):
            return None
        return self.clause(clause[1] + 1, clause[1] + 2)

    def resolved_in_comment(self, start: int, end: int, clause: tuple[int, int]) -> bool:
        """Whether the comment on a problem told as a topic says it was tackled: a word of ``@resolved``
        and no plan or ``@undone`` word (楼顶漏水的问题，经过三天施工得到了解决; not 环境问题亟待提升)."""
        comment = self.comment(start, end, clause)
        if comment is None:
            return False
        rules, text = self.rules, self.text
        return rules.resolved.search(text, *comment) is not None and rules.plan.search(text, *comment) is None \
            and rules.undone.search(text, *comment) is None

    def to_shadow(self, offset: int) -> int:
        return bisect_left(self.keep, offset)

    def sentence(self, start: int) -> tuple[int, int]:
        found = sentence_at(self.sentences, self.keep[start])
        if found is None:
            return self.clause(start, start + 1)
        return self.to_shadow(found.start), self.to_shadow(found.end)

    def clause(self, start: int, end: int) -> tuple[int, int]:
        """Up to the nearest clause break on each side (text.clause_bounds, on breaks found once)."""
        breaks = self.breaks
        i = bisect_left(breaks, start)
        j = bisect_left(breaks, end, i)
        return (breaks[i - 1] + 1 if i else 0), (breaks[j] if j < len(breaks) else len(self.text))

    def has_word(self, names: tuple[str, ...], lo: int, hi: int) -> bool:
        """Whether a word of the sets ``names`` occurs in text[lo:hi] (one regex search)."""
        return word_pattern(self.lexicon, names).search(self.text, lo, hi) is not None

    def policy_talk(self, clause: tuple[int, int]) -> bool:
        """Whether nothing counts in the clause: policy talk, a biography, a hypothesis."""
        found = self._policy.get(clause)
        if found is None:
            found = self._policy[clause] = self.rules.policy.search(self.text, *clause) is not None
        return found

    def disrepair_only(self, start: int, end: int, clause: tuple[int, int]) -> bool:
        """A clause that only tells a facility's poor state (健身路径已老化) reports no measure:
        a word of ``@disrepair`` outside the match (适老化 holds 老化 and tells no decay), none of
        ``@act`` (with ``@resolved``, ``@repair`` and ``@build``), nor in the comment clause when the
        match is the clause's topic."""
        key = ("disrepair",) + clause
        found = self._policy.get(key)
        if found is None:
            rules = self.rules
            found = self._policy[key] = rules.disrepair.search(self.text, *clause) is not None and \
                rules.act.search(self.text, *clause) is None
        if not found:
            return False
        disrepair = self.rules.disrepair  # (the clause's words were found: are they all inside the match?)
        if not any(m.start() < start or m.end() > end for m in disrepair.finditer(self.text, *clause)):
            return False
        # 楼道里堆满了杂物，社区组织志愿者进行了清理: the state told, then what was done about it
        comment = self.comment(start, end, clause)
        return comment is None or self.rules.act.search(self.text, *comment) is None

    def negated(self, start: int, clause_start: int) -> bool:
        """A negator within NEGATION_WINDOW before ``start`` (and in the clause) that is no part
        of an exempt word (未来, 无障碍) around it."""
        lo = max(clause_start, start - NEGATION_WINDOW)
        if self.rules.negator.search(self.text, lo, start) is None:
            return False  # the usual case, answered without building an iterator
        for m in self.rules.negator.finditer(self.text, lo, start):
            if not self._exempt_at(m.start()):
                return True
        return False

    def _exempt_at(self, pos: int) -> bool:
        """Whether an exempt word occurs over ``pos`` (starting at or before it, ending after it)."""
        exempt = self.rules.exempt
        if exempt is None:
            return False
        for q in range(max(0, pos - self.rules.exempt_longest + 1), pos + 1):
            m = exempt.match(self.text, q)
            if m is not None and m.end() > pos:
                return True
        return False


def passes(entry: Entry, start: int, end: int, ctx: _Context) -> bool:
    """Whether ``entry``, matched at [start, end) of the shadow text, counts in its context
    (step 3 of the module doc)."""
    c_lo, c_hi = clause = ctx.clause(start, end)
    if ctx.policy_talk(clause):
        return False
    rules, text = ctx.rules, ctx.text
    if ctx.any_figurative and rules.figurative.search(text, c_lo, start):
        return False
    if not entry.problem and ctx.negated(start, c_lo):
        return False
    if ctx.not_done(start, end, clause):
        return False
    if entry.object and not ctx.acted(start, end, clause):
        return False
    if entry.requires or entry.forbids or entry.requires_all:
        lo, hi = clause if entry.clause else ctx.sentence(start)
        lo, hi = min(lo, start), max(hi, end)
        requires, forbids = rules.neighbours(entry)
        if (entry.requires or entry.requires_all) and not requires.any_holds(text, lo, start, end, hi):
            return False
        if forbids.any_holds(text, lo, start, end, hi):
            return False
    if entry.problem:
        if not (rules.resolved.search(text, c_lo, start) or rules.resolved.search(text, end, c_hi)
                or ctx.resolved_in_comment(start, end, clause)):
            return False
    elif entry.kind == "measure" and (ctx.disrepair_only(start, end, clause) or ctx.converted_away(start, end, clause)
                                      or ctx.in_passing(start, end, clause)):
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
    for last, (length, measure_entries, mechanism_entries) in lexicon.automaton.iter(text):
        span = (last - length + 1, last + 1)
        if measure_entries:
            measures[span] = measure_entries
        if mechanism_entries:
            if measure_entries is None:  # a marker word: mechanism_entries holds its set's name
                marks.setdefault(mechanism_entries, []).append(last + 1)
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


def find_codes(body: str, sentences: Sequence[Sentence], lexicon: Lexicon,
               names: Sequence[tuple[int, int]] = ()) -> tuple[list[CodeMention], list[CodeMention]]:
    """(measures, mechanisms) mentioned in ``body``, each sorted by offset; ``names`` are the
    (start, end) of place names in the body, inside which a cue names no measure."""
    ctx = _Context(body, sentences, lexicon, names)
    measure_spans, mechanism_spans, ctx.marks = find_marked(ctx.text, lexicon)
    by_kind = {"measure": measure_spans, "mechanism": mechanism_spans}
    out: dict[str, list[CodeMention]] = {"measure": [], "mechanism": []}
    for kind, mentions in out.items():
        by_span = by_kind[kind]
        for start, end in longest_then_leftmost(by_span):
            if ctx.name_starts and ctx.in_name(start, end) or ctx.titles and ctx.in_title(start, end):
                continue
            b_start, b_end = ctx.keep[start], ctx.keep[end - 1] + 1
            codes_seen: set[str] = set()
            for entry in by_span[start, end]:
                if entry.code not in codes_seen and passes(entry, start, end, ctx):
                    codes_seen.add(entry.code)
                    mentions.append(CodeMention(kind, entry.code, body[b_start:b_end], b_start, b_end,
                                                entry.pattern_id))
    return out["measure"], out["mechanism"]
