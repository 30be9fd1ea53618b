"""The clause around a cue, read for who did what (pure): the questions tagging.codes.passes asks.

A ``Context`` holds one body's shadow text (lexicon.shadow: quotes and spaces skipped), its
sentences and clause breaks, the place names and document titles in it, and the offsets of
the clause-level words (plans, negators, undone); each method answers one scope question for
a span of that text (is it planned, negated, only a facility's poor state, named in passing,
the topic of its clause ...). The module doc of tagging.codes says what each check is for.
"""
from __future__ import annotations

import re
from bisect import bisect_left, bisect_right
from functools import lru_cache
from itertools import accumulate
from typing import NamedTuple, Sequence

from govcase.tagging.cues import compiled_rules
from govcase.tagging.lexicon import POLICY_SETS, Lexicon, shadow, word_pattern
from govcase.records import Sentence
from govcase.text import break_positions, sentence_at, split_sentences

# Clause breaks for context checks: unlike text.CLAUSE_BREAKS, 、 and ： do not break,
# so a list ("房顶漏水、管道老旧等问题也得到了解决") stays one clause.
CLAUSE_BREAKS = "，,；;。！？!?\n"
# Where a sentence stops in the shadow text (which folds ？ to ?): a question mark among them
# makes what comes before it a question (Context.asked).
_STOPS = re.compile(r"[。！？!?\n]")
# How far back a negator may stand before a match: 并未规划|停车位 is 3 characters.
NEGATION_WINDOW = 4
# A government document's title: 《关于...》, or one named by the kind of document it is (《物业管理条例》,
# 《民法典》, 《...实施意见》): a cue inside it names the document, no measure of the case. A title of
# another kind, 《XX小区停车管理公约》, 《...管理办法》 or 《...五步工作法》 (法, but not 办法 or 工作法), is
# often the case's own rule or method and is read as text.
DOCUMENT_TITLE = re.compile(r"《(?:关于[^《》\n]{1,60}|[^《》\n]{1,60}(?:条例|(?<![办作])法|法典|决定|通知|纲要|规划|意见|细则|若干措施))》")
# How much may follow a cue in a topic clause: 外墙保温|改造的事 (a longer rest holds a comment of its own).
TOPIC_REST = 6
# How far back a naming word may stand before a cue: 名叫|社区食堂 (quotes are skipped), 取名为|幸福里食堂.
NAME_REACH = 6
# How far back the preposition 在 may stand before a cue it governs: 在|小区各个|出入口, 设在|建设北路三段
# 12号社区|活动中心 (a longer stretch usually holds a verb of its own).
LOCATIVE_REACH = 16
# Words that open a clause going on with the subject and mood of the clause before (区里拟投入2.5亿元，|对
# 40个小区实施改造; 物业承诺两周内修好道闸，|并在年底前增加保安): a plan there governs them too,
# unless the clause says something is done already (已, 了).
PLAN_CARRIERS = ("对", "并", "同时", "还将", "再", "用于", "确保", "届时", "从而")
_DONE_IN_CLAUSE = re.compile("[已了]")
# How far from a thing told without its category word a verb acting on it may stand (Context.acted_on):
# 修好了十来扇关不严的|单元门 is 8 characters from the verb's end, 路灯|全部换了 2 from its start.
VERB_REACH = 10
# What, just before an acting verb, says it was not done (没人修, 还没换, 不装, 未铺) or done against the
# rules, the problem, not a measure (私自搭建的阳光房和围墙): the lexicon's @negators hold none of the
# one-character ones, which inside words (不少, 没过多久) mean little elsewhere.
VERB_NEGATED = re.compile("(?:没|不|未|别|无人|没人|私自|擅自|违规|违法|乱)$")
# Words before a facility that, with a word of @converted after it, tell it was turned into another
# (把车棚改建成活动室, 利用闲置的自行车库改建了邻里中心, 由防空洞改造的纳凉点): Context.converted_away.
CONVERTERS = ("把", "将", "利用", "由")
# After 利用 + a facility, a verb of building tells the facility is the material, not the result
# (利用闲置的自行车库改建了一处邻里中心 builds no bike store).
BUILT_FROM = ("改建", "改造", "建起", "建成", "建了", "打造", "开设", "开辟")


class _Marks(NamedTuple):
    """Offsets of clause-level words in a shadow text (see Context._marks), each sorted."""

    plan_ends: list[int]
    plan_led: frozenset[int]  # starts of clauses a plan word governs from the clause before: it ends
    # that clause (居民担心，|...), or the clause goes on with its subject (拟投入资金，|对...实施改造)
    negator_ends: list[int]
    undone_starts: list[int]
    opener_starts: set[int]  # starts of sentences that open with a plan word
    sentence_starts: list[int]


@lru_cache(maxsize=8)
def _breakless(words: frozenset[str]) -> bool:
    """Whether no word is empty or holds a clause break. Then a word that the automaton found
    ending in a clause (lexicon.MARKER_SETS) lies wholly in it, and the sorted ends of a set's words
    answer "does the clause hold one?" by bisection, as a regex search over the clause would."""
    return all(word and not any(c in CLAUSE_BREAKS for c in word) for word in words)


def _any_between(offsets: list[int], lo: int, hi: int) -> bool:
    """Whether a sorted list holds an offset in (lo, hi]."""
    return bisect_right(offsets, hi) > bisect_right(offsets, lo)


class Context:
    """The shadow text with its sentences, answering scope questions for a span."""

    def __init__(self, body: str, sentences: Sequence[Sentence], lexicon: Lexicon,
                 names: Sequence[tuple[int, int]] = ()):
        self.text, self.keep = shadow(body)
        self.body = body
        self.sentences = tuple(sentences) or split_sentences(body)
        self.lexicon = lexicon
        self.rules = compiled_rules(lexicon)
        self._policy: dict[tuple[int, int], bool] = {}  # clause -> policy_talk
        self._policy_held: bool | None = None  # whether the text holds a word of POLICY_SETS at all
        self._policy_ends: list[int] | None = None  # their ends, when they answer policy_talk (see hold)
        self._state_only: dict[tuple[int, int], bool] = {}  # clause -> a poor state told and nothing done
        self._found_marks: _Marks | None = None
        self.uses = "利用" in body  # whether a facility may be told as material (converted_away)
        self.questions = "？" in body  # whether the text asks anything (most do not: asked() is skipped)
        self._question_marks: list[int] | None = None  # sentence stops, when the text asks a question
        self.breaks = break_positions(self.text, CLAUSE_BREAKS)
        # ends of the marker words (lexicon.MARKER_SETS), set by find_codes from the automaton's pass
        # before any check is asked: a set missing here has no word in the text, so the checks skip
        # their searches for it (likeness, conversion, plans, negators, policy talk: most articles
        # hold few of them)
        self.marks: dict[str, list[int]] = {}
        self.held: frozenset[str] = frozenset()  # see hold()
        # place names in the shadow text, by start, with the furthest end reached so far: a span
        # lies inside a name when a name starting at or before it ends after it
        keep = self.keep  # (to_shadow, inlined: a bisection per name end, ~50 per article)
        spans = sorted([(bisect_left(keep, s), bisect_left(keep, e)) for s, e in names])
        self.name_starts = [s for s, _ in spans]
        self.name_reach = list(accumulate((e for _, e in spans), max))
        # titles of documents (《关于加强停车管理的若干意见》): a cue inside one names the document
        self.titles = [(self.to_shadow(m.start()), self.to_shadow(m.end()))
                       for m in DOCUMENT_TITLE.finditer(body)] if "《" in body else []

    def hold(self, marks: dict[str, list[int]]) -> None:
        """Take the ends of the marker words the automaton found (``marks``), and note in ``held``
        which checks can find anything at all: the marker sets present, "@policy" for any of
        POLICY_SETS (policy_talk), "@not_done" for the sets not_done reads, "@converted_away" when
        converted_away has words to find. A check whose name is not held answers False, and
        tagging.codes.passes does not ask it."""
        held = set(marks)
        if not held.isdisjoint(POLICY_SETS):
            held.add("@policy")
            if _breakless(self.rules.policy_words):  # (so far always: a bisection, not a search, per clause)
                self._policy_ends = sorted(e for name in POLICY_SETS for e in marks.get(name, ()))
        if not held.isdisjoint(("@plan", "@plan_opener", "@clause_negators", "@undone")):
            held.add("@not_done")
        if self.uses or "@converted" in held:
            held.add("@converted_away")
        self.marks, self.held = marks, frozenset(held)

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
        ``@plan`` before it in its clause or ending the clause before, not inside a ``@not_plan``
        word, or a sentence opened by ``@plan_opener``), or negated by a word that governs the clause (``@clause_negators``
        before it: 从未开展过) or follows it (``@undone``: 项目并未启动)."""
        marks = self._found_marks or self._marks()
        c_lo, c_hi = clause
        plans, negators, undone = marks.plan_ends, marks.negator_ends, marks.undone_starts
        # (most articles lack most of these words: an empty list is answered without a bisection)
        if plans and _any_between(plans, c_lo, start) or negators and _any_between(negators, c_lo, start):
            return True
        # a plan word that ends the clause before governs this one (居民担心，拆违之后储物空间会变少;
        # 大家都希望，小区能早日加装电梯): what follows the comma is what is feared or wished
        if c_lo in marks.plan_led:
            return True
        if undone and bisect_left(undone, end) < bisect_left(undone, c_hi):
            return True
        # the comment clause, when there is one, is the next clause: ask whether an @undone word
        # starts there (two bisections) before asking whether the match is its clause's topic
        if undone and c_hi < len(self.text) and self._any_in_next_clause(undone, c_hi) \
                and (comment := self.comment(start, end, clause)) is not None \
                and bisect_left(undone, comment[0]) < bisect_left(undone, comment[1]):
            return True
        if marks.opener_starts:  # the sentence holding the clause opens with a plan word
            starts = marks.sentence_starts
            return starts[bisect_right(starts, c_lo) - 1] in marks.opener_starts
        return False

    def _marks(self) -> "_Marks":
        """Where plan words, clause negators and ``@undone`` words stand in the whole text: found
        in one pass each per article that holds one, then read for every clause by bisection (none
        of these words holds a clause break, so a word ending or starting inside a clause lies in it)."""
        if self._found_marks is None:
            # a set none of whose words the automaton found in the text (self.marks) has no match
            # to find: its pass is skipped (many articles lack @undone, nearly all @clause_negators)
            rules, text, held = self.rules, self.text, self.marks
            openers = {m.start() for m in rules.plan_opener.finditer(text)} if "@plan_opener" in held else set()
            keep = self.keep
            sentence_starts = [0] + [bisect_left(keep, s.start) for s in self.sentences] if openers else []
            plans = [m.end() for m in rules.plan.finditer(text) if not self._plan_exempt(m)] if "@plan" in held else []
            self._found_marks = _Marks(
                plans, self._plan_led(plans),
                [m.end() for m in rules.clause_negators.finditer(text)] if "@clause_negators" in held else [],
                [m.start() for m in rules.undone.finditer(text)] if "@undone" in held else [],
                openers & set(sentence_starts), sorted(sentence_starts))
        return self._found_marks

    def _plan_led(self, plans: list[int]) -> frozenset[int]:
        """The starts of the clauses that the plan words ending at ``plans`` govern from the clause
        before (_Marks.plan_led): the clause right after a plan word that ends its clause, and each
        clause of the sentence after one holding a plan word that opens with a word of PLAN_CARRIERS
        and says nothing done."""
        text, breaks, led = self.text, self.breaks, set()
        for e in plans:
            if text[e:e + 1] in "，,":
                led.add(e + 1)
            i = bisect_left(breaks, e)
            while i < len(breaks) and text[breaks[i]] in "，,；;":
                lo, hi = breaks[i] + 1, breaks[i + 1] if i + 1 < len(breaks) else len(text)
                if not text.startswith(PLAN_CARRIERS, lo) or _DONE_IN_CLAUSE.search(text, lo, hi):
                    break
                led.add(lo)
                i += 1
        return frozenset(led)

    def _plan_exempt(self, m: re.Match) -> bool:
        """Whether a ``@not_plan`` word (按计划, 未来社区) holds the plan word ``m``."""
        exempt = self.rules.not_plan.search(self.text, max(0, m.start() - 3), m.end() + 3)
        return exempt is not None and exempt.start() <= m.start() and m.end() <= exempt.end()

    def converted_away(self, start: int, end: int, clause: tuple[int, int]) -> bool:
        """把废弃的自行车棚改建成了活动室: the match names what was turned into something else
        (a word of ``@converted`` right after it, or overlapping its end as in 车棚改造|成, with a
        word of CONVERTERS before it in its clause: 把, 将, 由防空洞改造的; after 利用, a verb of
        BUILT_FROM will do: 利用闲置的自行车库改建了); or 原先的自行车库经过改造，成了邻里客厅: a
        word of ``@former`` right before it and a word of ``@converted`` later in its sentence."""
        if self.uses and self.text.startswith(BUILT_FROM, end) and "利用" in self.text[clause[0]:start]:
            return True  # 利用闲置的自行车库改建了邻里中心
        if "@converted" not in self.marks:
            return False
        words = self.rules.converted
        if self.after_former(start):  # 原先的自行车库经过改造，成了邻里客厅
            sentence_end = self.sentence(start)[1]
            return self.rules.converted_anywhere.search(self.text, end, sentence_end) is not None
        before = self.text[clause[0]:start]
        if not any(w in before for w in CONVERTERS):
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

    def acted_on(self, start: int, end: int, clause: tuple[int, int], verbs) -> bool:
        """Whether a verb of ``verbs`` (an entry's requires, cues.Neighbours: ``in`` words, and
        ``before`` words that must touch it) acts on the thing at [start, end): one ending within
        VERB_REACH characters before it (修好了十来扇关不严的|单元门) or starting within VERB_REACH after
        it (把坏了的路灯|换了), in its clause, or in the comment clause when the thing is its clause's
        topic, anywhere in that (那几盏坏了的路灯，|上周全换了新的; 楼道里堆满了杂物，|社区组织志愿者进行了清理);
        not negated right before (没人修) and with no plan
        word or negator between the thing and a verb after it (扶手准备明年换, 路灯一直没有换)."""
        text, (c_lo, c_hi) = self.text, clause
        lo, hi = max(c_lo, start - VERB_REACH), min(c_hi, end + VERB_REACH)
        for k in verbs.before.lengths:  # 修|扶手: a verb right before it
            if k <= start - lo and text[start - k:start] in verbs.before.words \
                    and not VERB_NEGATED.search(text, max(lo, start - k - 2), start - k):
                return True
        if verbs.inside is None:
            return False
        for m in verbs.inside.finditer(text, lo, start):
            if m.end() <= start and not VERB_NEGATED.search(text, max(lo, m.start() - 2), m.start()):
                return True
        if self._verb_after(verbs.inside, end, hi):
            return True
        # 后街那几盏坏了的路灯，|上周全换了新的: the thing is its clause's topic, the verb opens the comment
        comment = self.comment(start, end, clause) if hi == c_hi else None
        return comment is not None and self._verb_after(verbs.inside, *comment)

    def _verb_after(self, verbs: re.Pattern, lo: int, hi: int) -> bool:
        """Whether a verb of ``verbs`` starts in text[lo:hi], not negated right before it and with no
        plan word or negator between ``lo`` and it."""
        text = self.text
        for m in verbs.finditer(text, lo, hi):
            between = text[lo:m.start()]
            if not VERB_NEGATED.search(text, max(lo, m.start() - 2), m.start()) \
                    and self.rules.plan.search(between) is None and self.rules.negator.search(between) is None:
                return True
        return False

    def asked(self, end: int) -> bool:
        """Whether the text after ``end`` first stops at a question mark: the match is in a question
        (让我出一万块装电梯，哪来的钱？), which asks and reports nothing done. The shadow text folds
        ？ to ?, so the body is asked which it was: a bare ? is too often a character lost to a
        wrong encoding (期待?;顒)."""
        if self._question_marks is None:
            self._question_marks = [m.start() for m in _STOPS.finditer(self.text)] if self.questions else []
        stops = self._question_marks
        if not stops:
            return False
        i = bisect_left(stops, end)
        return i < len(stops) and self.body[self.keep[stops[i]]] == "？"

    def acts_later(self, end: int) -> bool:
        """Whether a word of ``@act`` follows ``end`` in its sentence: what a person named by office
        did (书记得知后，多次组织楼组会议: the subject's deeds run past the clause break)."""
        return self._act_in(end, self.sentence(end - 1)[1])

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
        if ("@name_before" in self.marks or "@former" in self.marks) and (self.named(start, c_lo)
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
        keep = self.keep
        found = sentence_at(self.sentences, keep[start])
        if found is None:
            return self.clause(start, start + 1)
        return bisect_left(keep, found.start), bisect_left(keep, found.end)  # (to_shadow, inlined)

    def clause(self, start: int, end: int) -> tuple[int, int]:
        """Up to the nearest clause break on each side (text.clause_bounds, on breaks found once)."""
        breaks = self.breaks
        i = bisect_left(breaks, start)
        j = bisect_left(breaks, end, i)
        return (breaks[i - 1] + 1 if i else 0), (breaks[j] if j < len(breaks) else len(self.text))

    def _any_in_next_clause(self, starts: list[int], clause_end: int) -> bool:
        """Whether a sorted list holds an offset in the clause after the break at ``clause_end``
        (the clause ``comment`` would return)."""
        lo, hi = self.clause(clause_end + 1, clause_end + 2)
        return bisect_left(starts, lo) < bisect_left(starts, hi)

    def has_word(self, names: tuple[str, ...], lo: int, hi: int) -> bool:
        """Whether a word of the sets ``names`` occurs in text[lo:hi] (one regex search)."""
        return word_pattern(self.lexicon, names).search(self.text, lo, hi) is not None

    def policy_talk(self, clause: tuple[int, int]) -> bool:
        """Whether nothing counts in the clause: policy talk, a biography, a hypothesis."""
        held = self._policy_held
        if held is None:  # (most articles hold none: then no clause is searched)
            held = self._policy_held = any(name in self.marks for name in POLICY_SETS)
        if not held:
            return False
        if self._policy_ends is not None:  # a word ending in the clause lies in it (see _breakless)
            return _any_between(self._policy_ends, clause[0], clause[1])
        found = self._policy.get(clause)
        if found is None:
            found = self._policy[clause] = self.rules.policy.search(self.text, *clause) is not None
        return found

    def disrepair_only(self, start: int, end: int, clause: tuple[int, int]) -> bool:
        """A clause that only tells a facility's poor state (健身路径已老化) reports no measure:
        a word of ``@disrepair`` outside the match (适老化 holds 老化 and tells no decay), none of
        ``@act`` (with ``@resolved``, ``@repair`` and ``@build``), nor in the comment clause when the
        match is the clause's topic."""
        found = self._state_only.get(clause)
        if found is None:
            rules = self.rules
            found = self._state_only[clause] = rules.disrepair.search(self.text, *clause) is not None and \
                rules.act.search(self.text, *clause) is None
        if not found:
            return False
        disrepair = self.rules.disrepair  # (the clause's words were found: are they all inside the match?)
        if not any(m.start() < start or m.end() > end for m in disrepair.finditer(self.text, *clause)):
            return False
        # 楼道里堆满了杂物，社区组织志愿者进行了清理: the state told, then what was done about it, in
        # the comment on a topic or, when the state is told of more than the cue (楼道堆物的现象随处
        # 可见，社区组织志愿者清理了三次), in the next clause of its sentence with no plan, undone word
        # or negator in it
        comment = self.comment(start, end, clause)
        if comment is None:
            if clause[1] >= len(self.text) or self.text[clause[1]] not in "，,；;":
                return True
            comment = lo, hi = self.clause(clause[1] + 1, clause[1] + 2)
            marks = self._found_marks or self._marks()  # (却迟迟无人维修, 希望尽快维修: nothing done there)
            if _any_between(marks.plan_ends, lo, hi) or bisect_left(marks.undone_starts, lo) < \
                    bisect_left(marks.undone_starts, hi) or "@negators" in self.marks and \
                    self.rules.negator.search(self.text, lo, hi) is not None:
                return True
        return self.rules.act.search(self.text, *comment) is None

    def in_speaker_title(self, end: int, clause_end: int) -> bool:
        """Whether the cue ending at ``end`` is in the title of someone who then speaks (街道城管科科长
        刘磊说: cues.Rules.speaker_title); asked only when a verb of speech (``@attribution``, found by
        the automaton) ends later in the clause, which it needs."""
        pattern = self.rules.speaker_title
        return pattern is not None and _any_between(self.marks["@attribution"], end, clause_end) \
            and pattern.match(self.text, end, clause_end) is not None

    def supposed(self, clause: tuple[int, int]) -> bool:
        """Whether the clause before, in the same sentence, supposes (``@hypothetical``: 如果一楼住户
        坚决不同意，|这部电梯就装不起来): the consequence of a supposition reports nothing done."""
        lo = clause[0] - 1
        if lo < 1 or self.text[lo] not in "，,":
            return False
        before = self.clause(lo - 1, lo)
        return _any_between(self.marks["@hypothetical"], before[0], before[1])

    def stalled_later(self, start: int, end: int, clause: tuple[int, int]) -> bool:
        """Whether a later clause of the sentence tells the work stalled (``@stalled``: 加梯工作因两户居民
        反对，已经搁置了大半年) while the cue's own clause tells nothing done around it (no word of
        ``@act`` outside the match: 车棚改造 holds 改造 and does nothing)."""
        ends = self.marks.get("@stalled")
        if not ends or not _any_between(ends, clause[1], self.sentence(clause[0])[1]):
            return False
        return not (self._act_in(clause[0], start) or self._act_in(end, clause[1]))

    def negated(self, start: int, clause_start: int) -> bool:
        """A negator within NEGATION_WINDOW before ``start`` (and in the clause) that is no part
        of an exempt word (未来, 无障碍) around it."""
        if "@negators" not in self.marks:  # (most articles hold none: no search per cue)
            return False
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
