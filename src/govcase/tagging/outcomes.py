"""Which quantities are numeric outcomes, and what each one counts (pure).

A numeric outcome (spec/codebook.yaml ``outcomes``) counts or measures something
about the case. ``find_outcomes`` takes every quantity govcase.tagging.numbers finds and
drops what is no outcome (tagging.non_outcomes: ``not_outcome`` says why): durations and ages, numbers
inside idioms, slogans, short quotes, place names and building numbers, 一 used
as the indefinite article (一个问题), counts of the article's own parts (三个小案例),
quantities that point back (这两个问题), thresholds in rules (三分之二以上业主同意的
情况下即可申请), schedules (每周两次) and radii (出门300米见绿). Each kept one gets
its metric (the noun phrase next to it, in the article's words), status (新增, 完成,
签约 ...), place and measure.

The word lists are data: data/outcomes/*.txt|tsv, read by tagging.outcome_words.
"""
from __future__ import annotations

from bisect import bisect_left
from operator import attrgetter
from typing import Sequence

from govcase.tagging.nearby import Nearby
from govcase.tagging.non_outcomes import (BUILDING_UNITS, NOT_OUTCOME_CLASSES, WINDOW, blocked_spans,
                                          is_building_number, not_outcome, quantity_clause)
from govcase.tagging.numbers import WordSet, find_quantities, measure_word_class
from govcase.tagging.numerals import CN_DIGITS
from govcase.tagging.outcome_words import Lexicon, lexicon
from govcase.records import CodeMention, Outcome, PlaceMention, Quantity, Sentence
from govcase.text import CLAUSE_BREAKS, break_positions, sentence_at

# Default metric by unit class when no noun phrase names what is counted.
CLASS_METRIC = {"households": "户数", "people": "人数", "area": "面积", "length": "长度",
                "money": "金额", "share": "比例"}
# A noun before the number that names an attribute of what follows (面积近400平方米的小楼).
ATTRIBUTE_ENDINGS = ("面积", "人口", "比例", "占比", "比重", "率", "数", "量", "规模", "投资", "资金",
                     "金额", "费用", "长度", "总计", "收入")
METRIC_MAX = 8
LOCATIVES = "中里内上"  # 建议中, 居民楼里: the noun without its locative
DETERMINERS = set("这那该此每各")
# Where a sentence ends, for the reach of an anaphor (该居民区 stands for a place of its own sentence).
SENTENCE_ENDS = "。！？!?；;\n"
_START = attrgetter("start")


def find_outcomes(body: str, sentences: Sequence[Sentence], place_mentions: Sequence[PlaceMention] = (),
                  measure_mentions: Sequence[CodeMention] = (),
                  main_place: str | None = None) -> list[Outcome]:
    """The quantities in ``body`` that are numeric outcomes, in order, linked to place and measure."""
    lex = lexicon()
    sentences = tuple(sentences)
    places = sorted(place_mentions, key=_START)
    measures = sorted([m for m in measure_mentions if m.kind == "measure"], key=_START)
    blocked = blocked_spans(body, lex)
    near = Nearby(places, measures, blocked)  # each number reads the mentions near it, not all
    quantities = find_quantities(body)
    # a building number once (26栋一楼) is one everywhere in the article (推动26栋加装电梯)
    buildings = {(q.value, q.unit) for q in quantities if q.unit in BUILDING_UNITS  # (its own first test)
                 and is_building_number(body, q, near.places_around(q.start, q.end), lex)}
    out: list[Outcome] = []
    last_sentence = None  # the sentence of out[-1]
    floor = 0  # a metric read before a number stops at the quantity before it (2365户6854人)
    for i, q in enumerate(quantities):
        prev_end, floor = floor, q.end
        if q.unit_class in NOT_OUTCOME_CLASSES or (q.value, q.unit) in buildings:
            continue  # (not_outcome's first test, before the reads its arguments cost)
        clause = quantity_clause(body, q)  # read by most of what follows: found once
        if not_outcome(body, q, sentences, near.places_around(q.start, q.end), near.blocking(q.start, q.end),
                       lex, quantities[max(0, i - 1):i + 2], clause):
            continue
        sentence = sentence_at(sentences, q.start)  # read by what follows: found once
        named_before = near.last_end_upto(q.start)  # 东湖区投入3000万元: no metric
        following = quantities[i + 1] if i + 1 < len(quantities) else None
        metric = _metric(body, q, lex, max([prev_end] + named_before), following, clause)
        if metric is None and out and out[-1].unit == q.unit and last_sentence is not None \
                and last_sentence == sentence:
            metric = out[-1].metric  # 投入使用5台, 签约14台 (in one sentence)
        out.append(Outcome(q.value, q.unit, q.unit_class, q.approx, q.surface, q.start, q.end,
                           metric=metric or CLASS_METRIC.get(q.unit_class), status=_status(body, q, lex, clause),
                           place=_place(body, q, sentence, _places_read(near, q, sentence, clause),
                                        main_place, lex, clause, near),
                           measure=_measure(body, q, near.measures_in(*clause), clause)))
        last_sentence = sentence
    return out


def _places_read(near: Nearby, q: Quantity, sentence: Sentence | None,
                 clause: tuple[int, int]) -> list[PlaceMention]:
    """The place mentions _place reads for ``q``: its clause, its sentence up to it, and the
    WINDOW before it where an anaphor (该社区) may stand."""
    lo = min(clause[0], sentence.start if sentence else q.start, q.start - WINDOW - 1)
    return near.places_around(lo, max(clause[1], q.end))


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
    stops = lex.function_words if q.unit in lex.contexts["event_unit"] else lex.stops_after
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


def _place(body: str, q: Quantity, sentence: Sentence | None, places: Sequence[PlaceMention],
           main_place: str | None, lex: Lexicon, clause: tuple[int, int], near: Nearby | None = None) -> str | None:
    """The place named nearest in the clause, else the most specific one named before the number
    in its sentence (``sentence``), else the deepest its paragraph named before it when those lie on
    one line of the hierarchy (the one holding them all when they stand side by side), else the
    article's main place. Places listed before 等 (天江里、上江花园等6个小区) are what is counted,
    not where; 该居民区 or 街道 at a clause start name the place last named so.
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
    if sentence:
        before = [m for m in named if sentence.start <= m.start and m.end <= q.start]
        if before:
            return max(before, key=lambda m: (_depth(m.place), m.start)).place
    # a sentence that names no place goes on about what its paragraph named before it: when that is one
    # line of places (盘龙区东华路社区新建的伙食团门口。这里每顿饭有10个菜), the deepest, unless it holds the
    # article's main place, which is then the more specific reading; when it names places side by side
    # (河北区对天江里、上江花园等6个小区…。收回的2525份建议中), what they share: the figure is about them all
    # (吴兴居民区…，湖南居民区…。全年共惠及2300余户: their street)
    deepest = _deepest({m.place for m in near.named_between(body.rfind("\n", 0, q.start) + 1, q.start)})
    if len(deepest) == 1:
        if not (main_place and (main_place + "/").startswith(deepest[0] + "/")):
            return deepest[0]
    elif deepest:
        return _holder(deepest) or main_place
    return main_place


def _deepest(keys: set[str]) -> list[str]:
    """The places that hold none of the others (one when they lie on one line of the hierarchy:
    盘龙区, 盘龙区/东华路社区; several when some stand side by side)."""
    return [key for key in keys if not any(other.startswith(key + "/") for other in keys)]


def _holder(keys: list[str]) -> str | None:
    """The deepest place that holds all of them (天津市/河北区 for 天津市/河北区/天江里 and
    天津市/河北区/上江花园), or None when they share none."""
    common = []
    for level in zip(*(key.split("/") for key in keys)):
        if any(name != level[0] for name in level):
            break
        common.append(level[0])
    return "/".join(common) or None


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
    ends = break_positions(body, SENTENCE_ENDS)  # the last one before the number, within the window
    i = bisect_left(ends, q.start)
    start = max(ends[i - 1] if i and ends[i - 1] >= floor else -1, floor) + 1
    words, determiners = lex.contexts["anaphor"], lex.contexts["determiner"]
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
