"""Named projects and facilities in a clean body (pure after the lexicon is loaded).

A project is a quoted name that the language marks as a facility, organisation
or programme; quoted slogans (“商量办”, “最后一公里”, “四个人人”) are not. The
nouns that mark one are data (``@facility_nouns`` and ``@programme_nouns`` in
data/lexicon/context.tsv), and so are the set phrases that look like names but
are not (``@not_projects``: “前沿阵地”; ``@not_project_endings``: “燕栖家园”). Three patterns:

* the quoted name itself ends in such a noun: “缘驿站”, “电梯更新专项小组”;
* the words right after the closing quote do: “吾爱家”居民活动中心,
  “屋里厢”社区食堂; or an apposition after a dash does: “生活盒子”——党群服务站;
* a run of quoted names ends in 等 + a programme noun:
  开展“美丽楼道”“乐居生活”等一系列自治项目.

A quoted name that is just a lexicon term (“口袋公园”, “美丽家园”) names a kind
of thing, not a project, and is skipped, except when a facility noun follows it
(“小巷管家”志愿服务队) or in a run of names, where 等...项目 says they are projects.
``name`` is the span's text without quote marks; the span runs from the opening
quote to the end of the name. ``measures`` are the
codes of the measures found in the same sentence; ``place`` is left to tag.py.
``link_outcomes`` gives each outcome the project named in its sentence.
"""
from __future__ import annotations

from bisect import bisect_left

import re
from dataclasses import replace
from functools import lru_cache
from operator import attrgetter
from typing import Sequence

from govcase.tagging.alternation import longest_first
from govcase.tagging.lexicon import Lexicon, load_lexicon, normalise_surface, shadow
from govcase.records import CodeMention, Outcome, Project, Sentence
from govcase.text import sentence_at, split_sentences

_START = attrgetter("start")

QUOTES = "“”‘’\"'「」『』"
# A quoted name: no clause punctuation inside, at most 15 characters (longer ones are quotations).
_QUOTED = re.compile(r"[“「『\"]([^“”「」『』\"，。；！？、,.;!?：:\n]{1,15})[”」』\"]")
# What may follow a closing quote as part of the name: Chinese words and digits, up to a
# particle or verb that ends a name (“屋里厢”社区食堂|内, “吾爱家”居民活动中心|已成为).
_TAIL = re.compile(r"[^\W_的里内已在是为将让把被和与及等也都就成于从向对了着过]{1,10}")
_APPOSITION = re.compile(r"——?|—")
# A quoted name of one or two characters (“治理”项目, “三旧”改造) is a word, not a name.
MIN_NAME = 3
_LIST_END = re.compile(r"等([\u4e00-\u9fff]{0,8})")


@lru_cache(maxsize=64)
def _as_tuple(words: frozenset[str]) -> tuple[str, ...]:
    return tuple(words)  # str.endswith takes a tuple: one C call instead of a loop per noun


@lru_cache(maxsize=8)
def _surfaces(lexicon: Lexicon) -> frozenset[str]:
    """Every lexicon surface: built once per lexicon, not once per article (a lexicon hashes by identity)."""
    return frozenset(e.surface for e in lexicon.entries)


def _noun_prefix(tail: str, nouns: frozenset[str]) -> str:
    """The longest prefix of ``tail`` that ends in a facility noun, or ''. Read backwards, that
    prefix ends where the reversed tail's leftmost reversed noun begins: one search."""
    found = _reversed_words(nouns).search(tail[::-1])
    return tail[:len(tail) - found.start()] if found else ""


@lru_cache(maxsize=64)
def _reversed_words(words: frozenset[str]) -> re.Pattern[str]:
    return re.compile(longest_first(w[::-1] for w in words))


def _strip_quotes(text: str) -> str:
    return "".join(ch for ch in text if ch not in QUOTES)


def find_projects(body: str, sentences: Sequence[Sentence], measures: Sequence[CodeMention],
                  lexicon: Lexicon | None = None) -> list[Project]:
    """Named projects in ``body``, first mention of each name, in order of offset."""
    lexicon = lexicon or load_lexicon()
    nouns = lexicon.words("@facility_nouns")
    programmes = lexicon.words("@programme_nouns")
    generic = _surfaces(lexicon)
    sentences = tuple(sentences) or split_sentences(body)
    spans: list[tuple[int, int]] = []
    quoted = list(_QUOTED.finditer(body))
    noun_endings = _as_tuple(nouns)
    not_names = lexicon.words("@not_projects"), _as_tuple(lexicon.words("@not_project_endings"))
    for m in quoted:
        inner, end = m.group(1), m.end()
        tail = _TAIL.match(body, end)
        suffix = _noun_prefix(tail.group(), nouns) if tail else ""
        text = normalise_surface(inner)
        # a lexicon term names a kind of thing (“口袋公园”游园), unless it is no facility itself and a
        # facility noun follows it, which makes it the name of one (“小巷管家”志愿服务队)
        named_kind = bool(suffix) and not text.endswith(noun_endings)
        if not _may_name(text, frozenset() if named_kind else generic, *not_names):
            continue
        if inner.endswith(noun_endings):
            spans.append((m.start(), end))
        elif suffix:
            spans.append((m.start(), end + len(suffix)))
        else:
            dash = _APPOSITION.match(body, end)
            after = _TAIL.match(body, dash.end()) if dash else None
            if after and after.group().endswith(noun_endings):
                spans.append((m.start(), end))
    spans += _listed_projects(body, quoted, programmes)
    return _projects(body, sorted(set(spans)), sentences, measures)


def _may_name(text: str, generic: frozenset[str], not_projects: frozenset[str],
              not_endings: tuple[str, ...]) -> bool:
    """Whether a quoted text (normalised) can be a project's own name (not a term, a set phrase,
    a word). The word lists are read once per article by find_projects, not once per quote."""
    return (len(text) >= MIN_NAME and text not in generic and text not in not_projects
            and not text.endswith(not_endings))


def _listed_projects(body: str, quoted: list[re.Match], programmes: frozenset[str]) -> list[tuple[int, int]]:
    """“A”“B”“C”等一系列自治项目: each quoted name of a run that ends so."""
    spans: list[tuple[int, int]] = []
    run: list[re.Match] = []
    for m in quoted:
        if run and m.start() != run[-1].end():
            run = []
        run.append(m)
        ending = _LIST_END.match(body, m.end())
        if ending and _noun_prefix(ending.group(1), programmes):
            spans += [(q.start(), q.end()) for q in run]
            run = []
    return spans


def _projects(body: str, spans: list[tuple[int, int]], sentences: tuple[Sentence, ...],
              measures: Sequence[CodeMention]) -> list[Project]:
    out: list[Project] = []
    if not spans:  # (most articles name no project: their measures are not sorted)
        return out
    seen: set[str] = set()
    measures = sorted(measures, key=_START)  # bisected per name: reading all was quadratic
    starts = [m.start for m in measures]
    for start, end in spans:
        name = _strip_quotes(body[start:end])
        if name in seen:
            continue
        seen.add(name)
        sentence = sentence_at(sentences, start)
        lo, hi = (sentence.start, sentence.end) if sentence else (start, end)
        codes = sorted({m.code for m in measures[bisect_left(starts, lo):bisect_left(starts, hi)]})
        out.append(Project(name=name, start=start, end=end, measures=tuple(codes)))
    return out


def link_outcomes(body: str, projects: Sequence[Project], outcomes: Sequence[Outcome],
                  sentences: Sequence[Sentence]) -> list[Outcome]:
    """Each outcome with the project named in its sentence (“幸福里”长者食堂日均供餐400余份):
    the nearest mention before the number, else the first one after it; quotes in the body are
    skipped, so a later 幸福里长者食堂 is the same project."""
    if not projects or not outcomes:  # nothing to link: the body is not read
        return list(outcomes)
    text, keep = shadow(body)
    mentions: list[tuple[int, str]] = []  # (body offset, project name)
    for project in projects:
        needle = normalise_surface(project.name)
        at = text.find(needle)
        while needle and at >= 0:
            mentions.append((keep[at], project.name))
            at = text.find(needle, at + 1)
    mentions.sort()
    sentences = tuple(sentences)
    linked = []
    offsets = [at for at, _ in mentions]  # bisected: scanning every mention per outcome was quadratic
    for outcome in outcomes:
        sentence = sentence_at(sentences, outcome.start)
        lo, hi = (sentence.start, sentence.end) if sentence else (outcome.start, outcome.end)
        last = bisect_left(offsets, outcome.start) - 1  # the last mention before the outcome...
        before = [mentions[last][1]] if last >= 0 and offsets[last] >= lo else []  # ...in its sentence
        first = bisect_left(offsets, outcome.end)
        after = [mentions[first][1]] if first < len(offsets) and offsets[first] < hi else []
        name = before[-1] if before else after[0] if after else None
        linked.append(replace(outcome, project=name) if name else outcome)
    return linked
