"""Measures and mechanisms in a clean body: find matches, check their context, resolve overlaps (pure).

One pass of the lexicon's automaton over the body (quotes and spaces skipped,
see ``lexicon.shadow``) gives every candidate; then:

1. a stop phrase (``@stop``: 党建网, 自治区 ...) swallows any match inside it;
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
"""
from __future__ import annotations

from bisect import bisect_left
from dataclasses import dataclass
from typing import Iterable, Sequence

from govcase.lexicon import Condition, Entry, Lexicon, shadow, word_pattern
from govcase.records import CodeMention, Sentence
from govcase.text import clause_bounds, sentence_at, split_sentences

# Clause breaks for context checks: unlike text.CLAUSE_BREAKS, 、 and ： do not break,
# so a list ("房顶漏水、管道老旧等问题也得到了解决") stays one clause.
CLAUSE_BREAKS = "，,；;。！？!?\n"
# How far back a negator may stand before a match: 并未规划|停车位 is 3 characters.
NEGATION_WINDOW = 4


@dataclass(frozen=True)
class Candidate:
    """A lexicon entry matched at [start, end) of the shadow text."""

    start: int
    end: int
    entry: Entry


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


class _Context:
    """The shadow text with its sentences, answering scope questions for a span."""

    def __init__(self, body: str, sentences: Sequence[Sentence], lexicon: Lexicon):
        self.text, self.keep = shadow(body)
        self.sentences = tuple(sentences) or split_sentences(body)
        self.lexicon = lexicon
        self._policy: dict[tuple, bool] = {}

    def to_shadow(self, offset: int) -> int:
        return bisect_left(self.keep, offset)

    def sentence(self, start: int) -> tuple[int, int]:
        found = sentence_at(self.sentences, self.keep[start])
        if found is None:
            return self.clause(start, start + 1)
        return self.to_shadow(found.start), self.to_shadow(found.end)

    def clause(self, start: int, end: int) -> tuple[int, int]:
        return clause_bounds(self.text, start, end, CLAUSE_BREAKS)

    def has_word(self, names: tuple[str, ...], lo: int, hi: int) -> bool:
        """Whether a word of the sets ``names`` occurs in text[lo:hi] (one regex search)."""
        return word_pattern(self.lexicon, names).search(self.text, lo, hi) is not None

    def policy_talk(self, clause: tuple[int, int]) -> bool:
        """Whether nothing counts in the clause: policy talk, a biography, a hypothesis."""
        if clause not in self._policy:
            self._policy[clause] = self.has_word(("@policy_talk", "@biography", "@hypothetical"), *clause)
        return self._policy[clause]

    def disrepair_only(self, clause: tuple[int, int]) -> bool:
        """A clause that only tells a facility's poor state (健身路径已老化) reports no measure:
        a word of ``@disrepair`` and none of ``@resolved``, ``@repair`` or ``@build``."""
        key = ("disrepair",) + clause
        if key not in self._policy:
            self._policy[key] = self.has_word(("@disrepair",), *clause) and not self.has_word(
                ("@resolved", "@repair", "@build"), *clause)
        return self._policy[key]

    def negated(self, start: int, clause_start: int) -> bool:
        lo = max(clause_start, start - NEGATION_WINDOW)
        window = self.text[lo:start]
        exempt = self.lexicon.words("@not_negators")
        for word in self.lexicon.words("@negators"):
            at = window.find(word)
            while at >= 0:
                pos = lo + at
                if not any(self.text.startswith(x, q) for x in exempt
                           for q in range(max(0, pos - len(x) + 1), pos + 1)
                           if q + len(x) > pos):
                    return True
                at = window.find(word, at + 1)
        return False


def _holds(cond: Condition, before: str, after: str) -> bool:
    if cond.where == "before":
        return before.endswith(cond.word)
    if cond.where == "after":
        return after.startswith(cond.word)
    return cond.word in before or cond.word in after


def passes(candidate: Candidate, ctx: _Context) -> bool:
    """Whether a matched entry counts in its context (step 3 of the module doc)."""
    entry, start, end = candidate.entry, candidate.start, candidate.end
    c_lo, c_hi = ctx.clause(start, end)
    if ctx.policy_talk((c_lo, c_hi)):
        return False
    if ctx.has_word(("@figurative",), c_lo, start):
        return False
    if not entry.problem and ctx.negated(start, c_lo):
        return False
    lo, hi = (c_lo, c_hi) if entry.clause else ctx.sentence(start)
    lo, hi = min(lo, start), max(hi, end)
    before, after = ctx.text[lo:start], ctx.text[end:hi]
    if entry.requires and not any(_holds(c, before, after) for c in entry.requires):
        return False
    if any(_holds(c, before, after) for c in entry.forbids):
        return False
    if entry.problem:
        if not (ctx.has_word(("@resolved",), c_lo, start) or ctx.has_word(("@resolved",), end, c_hi)):
            return False
    elif entry.kind == "measure" and ctx.disrepair_only((c_lo, c_hi)):
        return False
    return True


def find_candidates(text: str, lexicon: Lexicon) -> list[Candidate]:
    """Every entry matched in the shadow text, minus those inside a longer stop phrase."""
    found: list[Candidate] = []
    stops: list[tuple[int, int]] = []
    for last, (length, entries, is_stop) in lexicon.automaton.iter(text):
        start = last - length + 1
        if is_stop:
            stops.append((start, last + 1))
        else:
            found += [Candidate(start, last + 1, e) for e in entries]
    return [c for c in found
            if not any(s <= c.start and c.end <= e and e - s > c.end - c.start for s, e in stops)]


def find_codes(body: str, sentences: Sequence[Sentence],
               lexicon: Lexicon) -> tuple[list[CodeMention], list[CodeMention]]:
    """(measures, mechanisms) mentioned in ``body``, each sorted by offset."""
    ctx = _Context(body, sentences, lexicon)
    candidates = find_candidates(ctx.text, lexicon)
    out: dict[str, list[CodeMention]] = {"measure": [], "mechanism": []}
    for kind, mentions in out.items():
        by_span: dict[tuple[int, int], list[Candidate]] = {}
        for c in candidates:
            if c.entry.kind == kind:
                by_span.setdefault((c.start, c.end), []).append(c)
        for start, end in longest_then_leftmost(by_span):
            b_start, b_end = ctx.keep[start], ctx.keep[end - 1] + 1
            codes_seen: set[str] = set()
            for c in by_span[start, end]:
                if c.entry.code not in codes_seen and passes(c, ctx):
                    codes_seen.add(c.entry.code)
                    mentions.append(CodeMention(kind, c.entry.code, body[b_start:b_end], b_start, b_end,
                                                c.entry.pattern_id))
    return out["measure"], out["mechanism"]
