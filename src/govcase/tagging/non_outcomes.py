"""Which quantities are no numeric outcome, and why (pure).

``not_outcome`` gives the reason a quantity found by tagging.numbers is no outcome of the case:
durations and ages, numbers inside idioms, slogans, short quotes, place names and building
numbers, 一 used as the indefinite article (一个问题), counts of the article's own parts
(三个小案例), nothing (零, 为0), quantities that point back (这两个问题), thresholds in rules (三分之二以上业主同意
的情况下即可申请), a resident's words, plans and targets, the field of a comparison, schedules
(每周两次), radii (出门300米见绿), quotas (每个网格配备1名网格员) and
ratios (扩大一倍). tagging.outcomes keeps the rest.
"""
from __future__ import annotations

import re
from typing import Sequence

from govcase.tagging.numerals import NUMERAL
from govcase.tagging.outcome_words import Lexicon, lexicon
from govcase.records import PlaceMention, Quantity, Sentence
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
WINDOW = 160  # characters read around a number: clauses are far shorter; garbage may be endless
STEPS_READ = 6  # how far before N级 the stairs it counts may be named (修复台阶2600余级)
SLOT_READ = 8  # how far after a count a time slot is looked for (两个投放高峰时段)
AMONG_READ = 10  # how far 从 ... 中 may stand around a count that is a comparison's field
SPEAKER_READ = 20  # how far outside a quote its speaker is looked for (住在6楼的刘阿姨说)
# before a two-character estate suffix (小区, 社区): no name, the suffix is the common noun (该小区18幢)
GENERIC_BEFORE_SUFFIX = set("这那该此每各本全个\n“\"")


def not_outcome(body: str, q: Quantity, sentences: tuple[Sentence, ...], places: Sequence[PlaceMention],
                blocked: list[tuple[int, int]], lex: Lexicon | None = None,
                neighbours: Sequence[Quantity] = (), clause: tuple[int, int] | None = None) -> str | None:
    """Why the quantity is no outcome (a short reason), or None when it is one.
    ``neighbours`` are the quantities just before and after it; ``clause`` is its _clause."""
    lex = lex or lexicon()
    ctx = lex.contexts
    if q.unit_class in NOT_OUTCOME_CLASSES:
        return q.unit_class
    if q.value == 0:
        return "zero"  # 投诉降为零 counts nothing; 零部件, 零件 are no number at all
    if q.unit in ctx["unit"].words and not (ctx["counted_steps"].starting(body, q.end)
                                            or ctx["counted_steps"].within(body, max(0, q.start - STEPS_READ), q.start)):
        return "ordinal"  # 十九届; 修复台阶2600余级 and 128级台阶 count steps
    if q.unit in ctx["ratio_unit"].words:
        return "ratio"  # 扩大一倍, 是全市平均水平的十倍
    if blocked and any(s < q.end and q.start < e for s, e in blocked):
        return "name"
    if any(m.start < q.end and q.start < m.end for m in places):
        return "place-name"  # 五台山路
    if q.value == 1 and _indefinite_one(body, q, lex, neighbours):  # (its own first test, inlined)
        return "indefinite"
    if ctx["demonstrative"].ending(body, q.start):
        return "anaphor"  # 这两个问题
    if q.unit in ctx["road_unit"].words and ctx["road_end"].ending(body, q.start):
        return "address"  # 解放路二段66号
    if q.unit in ctx["divide_unit"].words and ctx["divide_before"].ending(body, q.start):
        return "parts"  # 项目共分三期实施
    if q.unit == "期" and (ctx["phase_before"].ending(body, q.start)
                          or ctx["phase_after"].starting(body, q.end)):
        return "phase"  # 项目二期将于明年启动, 一期工程: the phase's name
    if q.unit == "个" and body.startswith("一", q.end):
        return "slogan"  # 五个一, 三个一批
    slot = ctx["slot"].pattern.search(body, q.end, min(q.end + SLOT_READ, len(body)))
    if slot and not any(c in CLAUSE_BREAKS for c in body[q.end:slot.start()]):
        return "slot"  # 两个投放高峰时段: a schedule
    if ctx["discourse"].starting(body[q.end:q.end + 5].lstrip("小大"), 0):
        return "discourse"  # 三个小案例
    clause = clause or quantity_clause(body, q)
    sentence = sentence_at(sentences, q.start)  # read by the four tests below: found once
    if _in_rule(body, q, sentence, lex, clause):
        return "rule"
    cs, ce = clause
    if q.surface.endswith("一半") and ctx["half_of"].within(body, cs, ce):
        return "cost-share"  # 老人自己付一半, 收费只有外面的一半: half of a price or a cost, a rule
    if q.unit in ctx["allot_unit"].words and _allotted(body, q, cs, lex):
        return "allotment"  # 每个楼门推选3名代表, 每天至少走访20户
    if _resident_speech(body, q, sentence, lex):
        return "speech"  # “买菜上楼要歇三次”，刘阿姨说
    if _planned(body, q, sentence, lex):
        return "plan"  # 计划到2027年底，全区完成加装电梯500台
    if ctx["plan_clause"].within(body, cs, q.start):
        return "plan"  # 全区将新增充电桩5000个; 今年的目标是新建30处
    if ctx["nation"].within(body, cs, q.start) or sentence is not None \
            and ctx["nation_follow"].starting(body, cs) and ctx["nation"].within(body, sentence.start, cs):
        return "national"  # 全国城镇老旧小区约17万个，涉及居民上亿人: the country's figures, background
    if ctx["among_before"].within(body, max(cs, q.start - AMONG_READ), q.start) and \
            ctx["among_after"].within(body, q.end, min(ce, q.end + AMONG_READ)):
        return "base"  # 从全区126个社区中脱颖而出: the field compared against
    if "中" in body[q.end:q.end + AMONG_READ] and _ranked_after(body, q, sentence, lex):
        return "base"  # 全市50个示范社区中，该社区名列第三
    if q.unit in ctx["frequency_unit"].words and _scheduled(body, cs, q.start, lex):
        return "frequency"  # 每周两次
    if q.unit_class == "length" and ctx["width_before"].ending(body, q.start):
        return "width"  # 宽7米, 把路拓宽到了四米: a spec; the road is counted by its length
    if q.unit_class == "length" and (ctx["radius_after"].starting(body, q.end)
                                     or ctx["distance_before"].within(body, cs, q.start)
                                     and not ctx["length_of"].ending(body, q.start)):
        return "radius"  # 300米见绿, 小区距地铁站约800米
    return None


def _scheduled(body: str, start: int, end: int, lex: Lexicon) -> bool:
    """A period in body[start:end] that makes a count of times a schedule (每周回来两次, 一年两次),
    not one that opens a span the count sums up (一年来上门服务1500余次, 一个月内走访30次)."""
    ctx = lex.contexts
    for m in ctx["frequency"].pattern.finditer(body, start, end):
        if not (ctx["span_after"].starting(body, m.end())  # 一个月内, 一年多来
                or m.group() in ctx["span_period"] and body.startswith("来", m.end())):  # 一年来, not 一周来社区
            return True
    return False


def _allotted(body: str, q: Quantity, clause_start: int, lex: Lexicon) -> bool:
    """A quota: 每 before the count in its clause, and a word of ``allot_before`` between them
    (每个网格配备1名专职网格员, 每个楼门推选3名代表, 每天至少要走访20户)."""
    each = body.rfind("每", clause_start, q.start)
    return each >= 0 and lex.contexts["allot_before"].within(body, each + 1, q.start)


def _ranked_after(body: str, q: Quantity, sentence: Sentence | None, lex: Lexicon) -> bool:
    """A rank told later in the quantity's sentence (名列第三, 排名第一): the count before 中 is the
    field ranked in, not a result."""
    end = min(sentence.end if sentence else q.end + WINDOW, q.end + WINDOW)
    return lex.contexts["rank"].within(body, q.end, end)


def _planned(body: str, q: Quantity, sentence: Sentence | None, lex: Lexicon) -> bool:
    """A target, not a result: the quantity's sentence opens with a plan word (计划到2027年底，全区
    完成加装电梯500台; 下一步，街道将新增车位200个) that no ``not_plan`` word holds (按计划)."""
    if sentence is None:
        return False
    start = sentence.start
    while start < q.start and body[start] in " \u3000“\"":
        start += 1
    return bool(lex.contexts["plan_opener"].starting(body, start)) and \
        lex.contexts["not_plan"].pattern.match(body, start) is None


def _resident_speech(body: str, q: Quantity, sentence: Sentence | None, lex: Lexicon) -> bool:
    """Whether the quantity stands in a resident's quoted words: inside “...”, with a resident
    named just outside the quote (居民小吴说：“...”, “...”82岁的钱奶奶说) and no one who works
    on the case (网格员赖阿姨介绍说: her figures report the work)."""
    lo = sentence.start if sentence else max(0, q.start - WINDOW)
    quote = _quote_around(body, q, lo)
    if quote is None:
        return False
    opened, closed = quote
    before = re.split(r"[。！？!?”\n]", body[max(0, opened - SPEAKER_READ):opened])[-1]
    after = re.split(r"[。！？!?“\n]", body[closed + 1:closed + 1 + SPEAKER_READ])[0]
    speaker = before + "|" + after
    return lex.contexts["resident"].within(speaker, 0, len(speaker)) and \
        not lex.contexts["worker"].within(speaker, 0, len(speaker))


def _quote_around(body: str, q: Quantity, lo: int) -> tuple[int, int] | None:
    """(offset of the opening mark, of the closing one) of the quote holding the quantity, or None:
    “...” opened in its sentence (from ``lo``), or "..." with straight marks (pasted text keeps
    them), which open and close alike: the quantity is inside one when an odd number of them
    stand before it on its line."""
    opened = body.rfind("“", lo, q.start)
    if opened >= 0:
        if body.rfind("”", opened, q.start) >= 0:
            return None
        closed = body.find("”", q.end, q.end + WINDOW)
        return (opened, closed) if closed >= 0 else None
    line = body.rfind("\n", 0, q.start) + 1
    marks = body.count('"', line, q.start)
    if marks % 2 == 0:
        return None
    closed = body.find('"', q.end, q.end + WINDOW)
    if closed < 0 or "\n" in body[q.end:closed]:
        return None
    return body.rfind('"', line, q.start), closed


def blocked_spans(body: str, lex: Lexicon | None = None) -> list[tuple[int, int]]:
    """Short quotes, titles and set phrases: numbers inside them name things, they count nothing."""
    lex = lex or lexicon()
    spans = []
    for m in _QUOTE.finditer(body):
        # the one group of _QUOTE that took part is the last one matched: 4 for a title
        if m.lastindex == 4 or _CLAUSE_PUNCT.isdisjoint(m.group(m.lastindex)):
            spans.append(m.span())
    return spans + lex.contexts["set_phrase"].spans(body)


def is_building_number(body: str, q: Quantity, places: Sequence[PlaceMention], lex: Lexicon) -> bool:
    """通新岭小区26栋楼, 天地花园1-19栋, 26栋一楼: the number names a building, it counts none."""
    if q.unit not in BUILDING_UNITS or q.approx and not q.approx[0].isdigit():
        return False
    if body[q.end:q.end + 1].isdigit() or lex.contexts["address_after"].starting(body, q.end):
        return True  # 5栋2单元, 26栋一楼, 26栋楼业主
    roles = lex.contexts["role_after"]
    if roles.starting(body, q.end) or body.startswith(("的", "楼"), q.end) and roles.starting(body, q.end + 1):
        return True  # 6栋的微网格员, 3栋楼栋长, 5栋楼长: a title
    if any(m.end == q.start for m in places) or lex.contexts["home_before"].ending(body, q.start):
        return True  # 幸福小区8栋; 家住8栋的刘阿姨
    suffix = lex.contexts["address_suffix"].ending(body, q.start)
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
    if postposed and body[q.start - 1:q.start] not in "了过着是有" and q.unit not in lex.contexts["frequency_unit"]:
        return False  # 打造小游园一处: a count set after its noun is no article (选择了一家, 去一趟 are)
    end = q.start - 1 if body[q.start - 1:q.start] == "了" else q.start
    return not lex.contexts["count_focus"].ending(body, end)


def _listed_together(body: str, a: Quantity, b: Quantity, lex: Lexicon) -> bool:
    """Two counts in one list: only 、/和/及 between them, no clause break (另一栋 is no count)."""
    if b is a or b.unit_class in NOT_OUTCOME_CLASSES or body[b.start - 1:b.start] == "另" and b.value == 1:
        return False
    between = body[a.end:b.start] if a.end <= b.start else body[b.end:a.start]
    return len(between) <= 12 and any(c in between for c in "、和及") and not any(
        c in between for c in "，,。；;！!？?\n")


def _in_rule(body: str, q: Quantity, sentence: Sentence | None, lex: Lexicon,
             clause: tuple[int, int]) -> bool:
    """A threshold in a rule: a rule cue in the clause, or a strong one later in the sentence."""
    cs, ce = clause
    end = min(max(ce, sentence.end if sentence else ce), q.end + WINDOW)
    strong, weak = lex.contexts["rule"], lex.contexts["rule_clause"]
    return weak.within(body, cs, ce) or strong.within(body, cs, end)


def quantity_clause(body: str, q: Quantity) -> tuple[int, int]:
    """The clause around the quantity (text.clause_bounds), read at most WINDOW characters
    either side of it."""
    return clause_bounds(body, q.start, q.end, limit=WINDOW)
