"""Which quantities are numeric outcomes, and what each one counts (pure).

A numeric outcome (spec/codebook.yaml ``outcomes``) counts or measures something
about the case. ``find_outcomes`` takes every quantity govcase.tagging.numbers finds and
drops what is no outcome (``not_outcome`` says why): durations and ages, numbers
inside idioms, slogans, short quotes, place names and building numbers, 一 used
as the indefinite article (一个问题), counts of the article's own parts (三个小案例),
quantities that point back (这两个问题), thresholds in rules (三分之二以上业主同意的
情况下即可申请), schedules (每周两次) and radii (出门300米见绿). Each kept one gets
its metric (the noun phrase next to it, in the article's words), status (新增, 完成,
签约 ...), place and measure.

The word lists are data: data/outcomes/*.txt|tsv.
"""
from __future__ import annotations

import re
from dataclasses import dataclass
from functools import lru_cache
from typing import Sequence

from govcase.tagging.nearby import Nearby
from govcase.tagging.numbers import WordSet, find_quantities, measure_word_class, read_table
from govcase.tagging.numerals import CN_DIGITS, NUMERAL
from govcase.records import CodeMention, Outcome, PlaceMention, Quantity, Sentence
from govcase.text import CLAUSE_BREAKS, clause_bounds, sentence_at

NOT_OUTCOME_CLASSES = {"time", "age"}  # durations (十年, 三个晚上), ages (89岁)
# A quote this short without clause punctuation is a name or slogan (“四百”走访, “三人电梯加装小组”);
# longer quotes are speech, whose figures count.
SHORT_QUOTE = 12
_QUOTE = re.compile(r"“([^“”]{1,%d})”|\"([^\"]{1,%d})\"|「([^「」]{1,%d})」|《([^《》]+)》"
                    % (SHORT_QUOTE, SHORT_QUOTE, SHORT_QUOTE))
_CLAUSE_PUNCT = set("，,。；;！!？?")
BUILDING_UNITS = ("栋", "幢", "座")
# 这里9栋居民楼: a one-character estate suffix (里, 院, 村) after these is no estate name
NOT_NAME_BEFORE_SUFFIX = set("这那哪家心城村园区内外里院")
# Default metric by unit class when no noun phrase names what is counted.
CLASS_METRIC = {"households": "户数", "people": "人数", "area": "面积", "length": "长度",
                "money": "金额", "share": "比例"}
# A noun before the number that names an attribute of what follows (面积近400平方米的小楼).
ATTRIBUTE_ENDINGS = ("面积", "人口", "比例", "占比", "比重", "率", "数", "量", "规模", "投资", "资金",
                     "金额", "费用", "长度", "总计", "收入")
METRIC_MAX = 8
WINDOW = 160  # characters read around a number: clauses are far shorter; garbage may be endless
SLOT_READ = 8  # how far after a count a time slot is looked for (两个投放高峰时段)
AMONG_READ = 10  # how far 从 ... 中 may stand around a count that is a comparison's field
SPEAKER_READ = 20  # how far outside a quote its speaker is looked for (住在6楼的刘阿姨说)
LOCATIVES = "中里内上"  # 建议中, 居民楼里: the noun without its locative
DETERMINERS = set("这那该此每各")
# before a two-character estate suffix (小区, 社区): no name, the suffix is the common noun (该小区18幢)
GENERIC_BEFORE_SUFFIX = set("这那该此每各本全个\n“\"")


@dataclass(frozen=True)
class Lexicon:
    status: WordSet  # status_verbs.txt
    states: WordSet  # the status words flagged "state" (新增, 完成, 签约 ...): they win over plain verbs
    noun_verbs: WordSet  # verbs flagged "noun": they may begin a noun (改造面积, 建设资金)
    stops_after: WordSet  # end a metric read after the number
    cuts_before: WordSet  # end a metric read before it
    strip_before: WordSet  # stripped off the end of the text before the number
    function_words: WordSet  # 的, 和, 等 ...: all that ends a metric after an event count (3轮协商)
    before_only: frozenset[str]  # 有, 为, 共 ...: never begin a metric (有居民楼宇186栋)
    keep_words: WordSet  # words that begin with one of those and do begin a noun (有效问卷, 共享单车)
    contexts: dict[str, WordSet]  # non_outcome_contexts.tsv and place_words.tsv, by kind
    anaphor_endings: dict[str, tuple[str, ...]]  # 小区 -> the name endings it stands for

    def context(self, kind: str) -> WordSet:
        return self.contexts.get(kind, _EMPTY)


_EMPTY = WordSet(())


@lru_cache(maxsize=1)
def lexicon() -> Lexicon:
    status = [(r[0], set(r[1].split(",")) if len(r) > 1 else set())
              for r in read_table("outcomes/status_verbs.txt")]
    verbs = [word for word, _ in status]
    plain_verbs = [word for word, flags in status if "noun" not in flags]
    stops = read_table("outcomes/metric_stops.txt")
    both = [r[0] for r in stops if len(r) < 2 or r[1] not in ("before", "keep")]
    contexts: dict[str, list[str]] = {}
    endings: dict[str, tuple[str, ...]] = {}
    for name in ("outcomes/non_outcome_contexts.tsv", "outcomes/place_words.tsv"):
        for kind, word, *more in read_table(name):
            contexts.setdefault(kind, []).append(word)
            if kind == "anaphor":
                endings[word] = (word, *(more[0].split() if more else ()))
    return Lexicon(
        status=WordSet(verbs),
        states=WordSet(word for word, flags in status if "state" in flags),
        noun_verbs=WordSet(word for word, flags in status if "noun" in flags),
        stops_after=WordSet(both + plain_verbs),
        cuts_before=WordSet(both + verbs),
        strip_before=WordSet([r[0] for r in stops] + plain_verbs),
        function_words=WordSet(w for w in both if len(w) == 1),
        before_only=frozenset(r[0] for r in stops if len(r) > 1 and r[1] == "before"),
        keep_words=WordSet(r[0] for r in stops if len(r) > 1 and r[1] == "keep"),
        contexts={k: WordSet(v) for k, v in contexts.items()},
        anaphor_endings=endings,
    )


def find_outcomes(body: str, sentences: Sequence[Sentence], place_mentions: Sequence[PlaceMention] = (),
                  measure_mentions: Sequence[CodeMention] = (),
                  main_place: str | None = None) -> list[Outcome]:
    """The quantities in ``body`` that are numeric outcomes, in order, linked to place and measure."""
    lex = lexicon()
    sentences = tuple(sentences)
    places = sorted(place_mentions, key=lambda m: m.start)
    measures = sorted((m for m in measure_mentions if m.kind == "measure"), key=lambda m: m.start)
    blocked = blocked_spans(body, lex)
    near = Nearby(places, measures, blocked)  # each number reads the mentions near it, not all
    quantities = find_quantities(body)
    # a building number once (26栋一楼) is one everywhere in the article (推动26栋加装电梯)
    buildings = {(q.value, q.unit) for q in quantities
                 if _is_building_number(body, q, near.places_around(q.start, q.end), lex)}
    out: list[Outcome] = []
    floor = 0  # a metric read before a number stops at the quantity before it (2365户6854人)
    for i, q in enumerate(quantities):
        prev_end, floor = floor, q.end
        neighbours = quantities[max(0, i - 1):i + 2]
        if (q.value, q.unit) in buildings:
            continue
        clause = _clause(body, q)  # read by most of what follows: found once
        if not_outcome(body, q, sentences, near.places_around(q.start, q.end), near.blocking(q.start, q.end),
                       lex, neighbours, clause):
            continue
        named_before = near.last_end_upto(q.start)  # 东湖区投入3000万元: no metric
        following = quantities[i + 1] if i + 1 < len(quantities) else None
        metric = _metric(body, q, lex, max([prev_end] + named_before), following, clause)
        if metric is None and out and out[-1].unit == q.unit and _same_sentence(sentences, out[-1], q):
            metric = out[-1].metric  # 投入使用5台, 签约14台
        out.append(Outcome(q.value, q.unit, q.unit_class, q.approx, q.surface, q.start, q.end,
                           metric=metric or CLASS_METRIC.get(q.unit_class), status=_status(body, q, lex, clause),
                           place=_place(body, q, sentences, _places_read(near, q, sentences, clause),
                                        main_place, lex, clause, near),
                           measure=_measure(body, q, near.measures_in(*clause), clause)))
    return out


def _places_read(near: Nearby, q: Quantity, sentences: tuple[Sentence, ...],
                 clause: tuple[int, int]) -> list[PlaceMention]:
    """The place mentions _place reads for ``q``: its clause, its sentence up to it, and the
    WINDOW before it where an anaphor (该社区) may stand."""
    sentence = sentence_at(sentences, q.start)
    lo = min(clause[0], sentence.start if sentence else q.start, q.start - WINDOW - 1)
    return near.places_around(lo, max(clause[1], q.end))


# ---------------------------------------------------------------- what is no outcome


def not_outcome(body: str, q: Quantity, sentences: tuple[Sentence, ...], places: Sequence[PlaceMention],
                blocked: list[tuple[int, int]], lex: Lexicon | None = None,
                neighbours: Sequence[Quantity] = (), clause: tuple[int, int] | None = None) -> str | None:
    """Why the quantity is no outcome (a short reason), or None when it is one.
    ``neighbours`` are the quantities just before and after it; ``clause`` is its _clause."""
    lex = lex or lexicon()
    ctx = lex.context
    if q.unit_class in NOT_OUTCOME_CLASSES:
        return q.unit_class
    if q.unit in ctx("unit"):
        return "ordinal"  # 十九届
    if any(s < q.end and q.start < e for s, e in blocked):
        return "name"
    if any(m.start < q.end and q.start < m.end for m in places):
        return "place-name"  # 五台山路
    if _indefinite_one(body, q, lex, neighbours):
        return "indefinite"
    if ctx("demonstrative").ending(body, q.start):
        return "anaphor"  # 这两个问题
    if q.unit in ctx("road_unit") and ctx("road_end").ending(body, q.start):
        return "address"  # 解放路二段66号
    if q.unit in ctx("divide_unit") and ctx("divide_before").ending(body, q.start):
        return "parts"  # 项目共分三期实施
    if q.unit == "期" and (ctx("phase_before").ending(body, q.start)
                          or ctx("phase_after").starting(body, q.end)):
        return "phase"  # 项目二期将于明年启动, 一期工程: the phase's name
    if q.unit == "个" and body.startswith("一", q.end):
        return "slogan"  # 五个一, 三个一批
    slot = ctx("slot").pattern.search(body, q.end, min(q.end + SLOT_READ, len(body)))
    if slot and not any(c in CLAUSE_BREAKS for c in body[q.end:slot.start()]):
        return "slot"  # 两个投放高峰时段: a schedule
    if ctx("discourse").starting(body[q.end:q.end + 5].lstrip("小大"), 0):
        return "discourse"  # 三个小案例
    clause = clause or _clause(body, q)
    if _in_rule(body, q, sentences, lex, clause):
        return "rule"
    if _resident_speech(body, q, sentences, lex):
        return "speech"  # “买菜上楼要歇三次”，刘阿姨说
    if _planned(body, q, sentences, lex):
        return "plan"  # 计划到2027年底，全区完成加装电梯500台
    cs, ce = clause
    if ctx("plan_clause").within(body, cs, q.start):
        return "plan"  # 全区将新增充电桩5000个; 今年的目标是新建30处
    if ctx("among_before").within(body, max(cs, q.start - AMONG_READ), q.start) and \
            ctx("among_after").within(body, q.end, min(ce, q.end + AMONG_READ)):
        return "base"  # 从全区126个社区中脱颖而出: the field compared against
    if "中" in body[q.end:q.end + AMONG_READ] and _ranked_after(body, q, sentences, lex):
        return "base"  # 全市50个示范社区中，该社区名列第三
    if q.unit in ctx("frequency_unit") and ctx("frequency").within(body, cs, q.start):
        return "frequency"  # 每周两次
    if q.unit_class == "length" and (ctx("radius_after").starting(body, q.end)
                                     or ctx("distance_before").within(body, cs, q.start)
                                     and not ctx("length_of").ending(body, q.start)):
        return "radius"  # 300米见绿, 小区距地铁站约800米
    return None


def _ranked_after(body: str, q: Quantity, sentences: tuple[Sentence, ...], lex: Lexicon) -> bool:
    """A rank told later in the quantity's sentence (名列第三, 排名第一): the count before 中 is the
    field ranked in, not a result."""
    sentence = sentence_at(sentences, q.start)
    end = min(sentence.end if sentence else q.end + WINDOW, q.end + WINDOW)
    return lex.context("rank").within(body, q.end, end)


def _planned(body: str, q: Quantity, sentences: tuple[Sentence, ...], lex: Lexicon) -> bool:
    """A target, not a result: the quantity's sentence opens with a plan word (计划到2027年底，全区
    完成加装电梯500台; 下一步，街道将新增车位200个) that no ``not_plan`` word holds (按计划)."""
    sentence = sentence_at(sentences, q.start)
    if sentence is None:
        return False
    start = sentence.start
    while start < q.start and body[start] in " \u3000“\"":
        start += 1
    return bool(lex.context("plan_opener").starting(body, start)) and \
        lex.context("not_plan").pattern.match(body, start) is None


def _resident_speech(body: str, q: Quantity, sentences: tuple[Sentence, ...], lex: Lexicon) -> bool:
    """Whether the quantity stands in a resident's quoted words: inside “...”, with a resident
    named just outside the quote (居民小吴说：“...”, “...”82岁的钱奶奶说) and no one who works
    on the case (网格员赖阿姨介绍说: her figures report the work)."""
    sentence = sentence_at(sentences, q.start)
    lo = sentence.start if sentence else max(0, q.start - WINDOW)
    opened = body.rfind("“", lo, q.start)
    if opened < 0 or body.rfind("”", opened, q.start) >= 0:
        return False
    closed = body.find("”", q.end, q.end + WINDOW)
    if closed < 0:
        return False
    before = re.split(r"[。！？!?”\n]", body[max(0, opened - SPEAKER_READ):opened])[-1]
    after = re.split(r"[。！？!?“\n]", body[closed + 1:closed + 1 + SPEAKER_READ])[0]
    speaker = before + "|" + after
    return lex.context("resident").within(speaker, 0, len(speaker)) and \
        not lex.context("worker").within(speaker, 0, len(speaker))


def blocked_spans(body: str, lex: Lexicon | None = None) -> list[tuple[int, int]]:
    """Short quotes, titles and set phrases: numbers inside them name things, they count nothing."""
    lex = lex or lexicon()
    spans = []
    for m in _QUOTE.finditer(body):
        inner = next(g for g in m.groups() if g is not None)
        if m.group(4) is not None or not _CLAUSE_PUNCT & set(inner):
            spans.append(m.span())
    return spans + lex.context("set_phrase").spans(body)


def _is_building_number(body: str, q: Quantity, places: Sequence[PlaceMention], lex: Lexicon) -> bool:
    """通新岭小区26栋楼, 天地花园1-19栋, 26栋一楼: the number names a building, it counts none."""
    if q.unit not in BUILDING_UNITS or q.approx and not q.approx[0].isdigit():
        return False
    if body[q.end:q.end + 1].isdigit() or lex.context("address_after").starting(body, q.end):
        return True  # 5栋2单元, 26栋一楼, 26栋楼业主
    roles = lex.context("role_after")
    if roles.starting(body, q.end) or body.startswith(("的", "楼"), q.end) and roles.starting(body, q.end + 1):
        return True  # 6栋的微网格员, 3栋楼栋长, 5栋楼长: a title
    if any(m.end == q.start for m in places):
        return True
    suffix = lex.context("address_suffix").ending(body, q.start)
    if not suffix:
        return False
    # 这里9栋居民楼 counts buildings: a suffix needs a name before it (小区18幢多层住宅 counts too:
    # a bare 小区 opening its clause, or after 该/这, names no estate)
    before = q.start - len(suffix)
    if len(suffix) == 1:
        return before >= 1 and body[before - 1] not in NOT_NAME_BEFORE_SUFFIX
    return before >= 1 and body[before - 1] not in CLAUSE_BREAKS and body[before - 1] not in GENERIC_BEFORE_SUFFIX


def _indefinite_one(body: str, q: Quantity, lex: Lexicon, neighbours: Sequence[Quantity] = ()) -> bool:
    """一个问题, 一部电梯, 新建了一座垃圾房: 一 is the indefinite article unless a word of
    ``count_focus`` makes it a count (只有一个楼梯), it stands after its noun (打造小游园一处), or it
    stands in a list of counts (一个篮球场、两个乒乓球台)."""
    if q.value != 1 or q.unit_class == "share" or q.approx or q.surface[0] not in "一壹":
        return False
    if body[q.start - 1:q.start] == "另":
        return True  # 另一栋楼: "another", no count
    before = body[max(0, q.start - 4):q.start]
    if "每" in before and not any(c in CLAUSE_BREAKS for c in before[before.index("每"):]):
        return True  # 每加装一部电梯，补助20万: a rate
    if any(_listed_together(body, q, other, lex) for other in neighbours):
        return False
    if NUMERAL.match(body, q.end):
        return True  # 建成了一个300平方米的邻里中心: the count is the 300平方米
    postposed = q.end == len(body) or body[q.end] in CLAUSE_BREAKS
    if postposed and body[q.start - 1:q.start] not in "了过着是有" and q.unit not in lex.context("frequency_unit"):
        return False  # 打造小游园一处: a count set after its noun is no article (选择了一家, 去一趟 are)
    end = q.start - 1 if body[q.start - 1:q.start] == "了" else q.start
    return not lex.context("count_focus").ending(body, end)


def _listed_together(body: str, a: Quantity, b: Quantity, lex: Lexicon) -> bool:
    """Two counts in one list: only 、/和/及 between them, no clause break (另一栋 is no count)."""
    if b is a or b.unit_class in NOT_OUTCOME_CLASSES or body[b.start - 1:b.start] == "另" and b.value == 1:
        return False
    between = body[a.end:b.start] if a.end <= b.start else body[b.end:a.start]
    return len(between) <= 12 and any(c in between for c in "、和及") and not any(
        c in between for c in "，,。；;！!？?\n")


def _in_rule(body: str, q: Quantity, sentences: tuple[Sentence, ...], lex: Lexicon,
             clause: tuple[int, int]) -> bool:
    """A threshold in a rule: a rule cue in the clause, or a strong one later in the sentence."""
    cs, ce = clause
    sentence = sentence_at(sentences, q.start)
    end = min(max(ce, sentence.end if sentence else ce), q.end + WINDOW)
    strong, weak = lex.context("rule"), lex.context("rule_clause")
    return weak.within(body, cs, ce) or strong.within(body, cs, end)


def _clause(body: str, q: Quantity) -> tuple[int, int]:
    """The clause around the quantity (text.clause_bounds), read at most WINDOW characters
    either side of it."""
    return clause_bounds(body, q.start, q.end, limit=WINDOW)


def _same_sentence(sentences: tuple[Sentence, ...], a: Outcome, b: Quantity) -> bool:
    sa, sb = sentence_at(sentences, a.start), sentence_at(sentences, b.start)
    return sa is not None and sa == sb


# ---------------------------------------------------------------- metric and status


def _metric(body: str, q: Quantity, lex: Lexicon, floor: int, following: Quantity | None,
            clause: tuple[int, int]) -> str | None:
    """What is counted: an attribute named before the number (面积近400平方米), else the noun
    after it (10个居民区), else the noun before it (停车位185个)."""
    cs, ce = clause
    after = body[q.end:ce].lstrip("“”\"《》「」")
    if following is not None and following.start == ce - len(after) and following.end <= ce:
        after = body[following.end:ce].lstrip("“”\"《》「」")  # 一处约300平方米的邻里中心: past the size
    text_before = body[max(cs, floor):q.start]
    before = _cut_before(text_before, lex)
    if before.endswith(ATTRIBUTE_ENDINGS):
        return _with_noun_verb(text_before, before, lex)
    if after.startswith(("的", "之")):  # 1760平方的居民活动中心, but 志愿者77人的全覆盖
        head = _cut_after(after[1:], lex.stops_after)
        return head if len(head) > 1 or not before else before
    stops = lex.function_words if q.unit in lex.context("event_unit") else lex.stops_after
    return _cut_after(after, stops) or before or None


def _with_noun_verb(text: str, attribute: str, lex: Lexicon) -> str:
    """改造面积, 建设资金, 服务人数: a bare attribute takes the verb that names what it measures."""
    at = text.rfind(attribute)
    verb = lex.noun_verbs.ending(text, at) if at > 0 and attribute in ATTRIBUTE_ENDINGS else None
    return verb + attribute if verb and len(verb) + len(attribute) <= METRIC_MAX else attribute


def _cut_after(text: str, stops: WordSet) -> str:
    """The noun phrase at the start of ``text``: up to the first stop word or non-word character."""
    i = 0
    while i < min(len(text), METRIC_MAX):
        ch = text[i]
        if not ch.isalnum() or ch.isdigit() or ch in CN_DIGITS or stops.starting(text, i):
            break
        i += 1
    return text[:i].rstrip(LOCATIVES)


def _cut_before(text: str, lex: Lexicon) -> str:
    """The noun phrase at the end of ``text``: after the last stop word or non-word character.
    A one-character result (回收率 cut to 率) reaches back over one more word."""
    text = text.rstrip("“”\"'《》 ")
    while text and (word := lex.strip_before.ending(text, len(text))):
        text = text[: -len(word)]  # 共有, 达到, 比例为
    end = len(text)
    i = _noun_start(text, end, lex)
    if end - i == 1 and i > 0 and (word := lex.cuts_before.ending(text, i)):
        i = _noun_start(text, i - len(word), lex)
    if text[i - 1:i] in DETERMINERS and end - i > 1 and measure_word_class(text[i]) == "count" \
            and not lex.keep_words.starting(text, i):  # 这栋面积 -> 面积, but 该项目总面积 keeps 项目
        i += 1  # 这栋面积 -> 面积
    while end - i > 1 and text[i] in lex.before_only and not lex.keep_words.starting(text, i):
        i += 1  # 有居民楼宇186栋 -> 居民楼宇
    return text[i:].rstrip(LOCATIVES)


def _noun_start(text: str, end: int, lex: Lexicon) -> int:
    i = end
    while i > 0 and end - i < METRIC_MAX:
        ch = text[i - 1]
        if not ch.isalnum() or ch.isdigit() or i < end and lex.cuts_before.ending(text, i):
            break  # a verb that ends the text is part of the noun (社会组织6个)
        i -= 1
    return i


def _status(body: str, q: Quantity, lex: Lexicon, clause: tuple[int, int]) -> str | None:
    """The status word nearest before the number in its clause, else the first one after it;
    a state word (完成, 签约 ...) wins over a plain action verb (加装, 发放 ...)."""
    cs, ce = clause
    for words in (lex.states, lex.status):
        before = None
        for before in words.pattern.finditer(body, cs, q.start):
            pass
        found = before or words.pattern.search(body, q.end, ce)
        if found:
            return found.group()
    return None


# ---------------------------------------------------------------- place and measure


def _depth(key: str) -> int:
    return key.count("/")


def _place(body: str, q: Quantity, sentences: tuple[Sentence, ...], places: Sequence[PlaceMention],
           main_place: str | None, lex: Lexicon, clause: tuple[int, int], near: Nearby | None = None) -> str | None:
    """The place named nearest in the clause, else the most specific one named before the number
    in its sentence, else the article's main place. Places listed before 等 (天江里、上江花园等6个小区)
    are what is counted, not where; 该居民区 or 街道 at a clause start name the place last named so.
    ``near`` indexes all the article's mentions when ``places`` are only those near ``q``."""
    near = near or Nearby(places, (), ())
    listed = _listed(body, q, near.by_end)
    named = [m for m in places if not (m.start < q.end and q.start < m.end)]
    if listed:  # (tested apart: a mention hashes all its fields, and most numbers follow no list)
        named = [m for m in named if m not in listed]
    named += _anaphors(body, q, places, lex, near)
    cs, ce = clause
    in_clause = [m for m in named if cs <= m.start and m.end <= ce]
    if in_clause:
        distance = lambda m: q.start - m.end if m.end <= q.start else m.start - q.end + 1  # noqa: E731
        return min(in_clause, key=distance).place
    sentence = sentence_at(sentences, q.start)
    if sentence:
        before = [m for m in named if sentence.start <= m.start and m.end <= q.start]
        if before:
            return max(before, key=lambda m: (_depth(m.place), m.start)).place
    return main_place


def _listed(body: str, q: Quantity, by_end: dict[int, PlaceMention]) -> set[PlaceMention]:
    """Place mentions enumerated right before 等 + the number: 天江里、上江花园等6个."""
    listed: set[PlaceMention] = set()
    if not body.endswith("等", 0, q.start):
        return listed
    cursor = q.start - 1
    while cursor in by_end:
        m = by_end[cursor]
        listed.add(m)
        cursor = m.start
        if body[cursor - 1:cursor] not in ("、", "和", "及", "与", ",", "，"):
            break
        cursor -= 1
    return listed


def _anaphors(body: str, q: Quantity, places: Sequence[PlaceMention], lex: Lexicon,
              near: Nearby) -> list[PlaceMention]:
    """A level word at a clause start or after a determiner (该居民区, 街道共完成…) stands for the
    place last named with that word; it comes back as a mention of that place at its own offsets."""
    floor = q.start - WINDOW - 1
    start = max([body.rfind(c, max(0, floor), q.start) for c in "。！？!?；;\n"] + [floor]) + 1
    words, determiners = lex.context("anaphor"), lex.context("determiner")
    found = []
    for m in words.pattern.finditer(body, start, q.start):
        at, word = m.start(), m.group()
        opens = at == 0 or body[at - 1] in CLAUSE_BREAKS or determiners.ending(body, at)
        if opens and not any(m.start <= at < m.end for m in places):
            named = near.last_named(at, tuple(lex.anaphor_endings.get(word, (word,))))
            if named:
                found.append(PlaceMention(named.place, word, at, at + len(word)))
    return found


def _measure(body: str, q: Quantity, measures: Sequence[CodeMention], clause: tuple[int, int]) -> str | None:
    """The measure named nearest in the same clause, or None."""
    cs, ce = clause
    near = [m for m in measures if cs <= m.start and m.end <= ce]
    return min(near, key=lambda m: abs(m.start - q.start)).code if near else None
