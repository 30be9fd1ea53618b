"""jieba's part-of-speech guess for a stretch of unknown characters, computed faster (pure).

jieba.posseg guesses the words and tags of characters its dictionary does not know with
a Viterbi search over (position, tag) states (jieba/posseg/viterbi.py). That search, in
pure Python, is most of the cost of cutting a new run of a place name. ``Viterbi`` is the
same search with the same answers: the same sums in the same order, ties broken the same
way (the larger state wins); it only skips the states that cannot precede a state (a
middle or end character follows a begin or middle one of its own tag), which the original
adds as minus infinity and never picks unless every candidate is minus infinity.
"""
from __future__ import annotations

from typing import Iterator

MIN_FLOAT = -3.14e100  # jieba's probability of an emission it has never seen
MIN_INF = float("-inf")  # ... and of a transition it has never seen

State = tuple[str, str]  # (B|M|E|S, part-of-speech tag)


class Viterbi:
    """jieba.posseg.viterbi.viterbi(obs, states, start_p, trans_p, emit_p) for fixed tables."""

    def __init__(self, states: dict, start_p: dict, trans_p: dict, emit_p: dict):
        self.states, self.start_p, self.trans_p, self.emit_p = states, start_p, trans_p, emit_p
        self.all_states = trans_p.keys()
        self.before: dict[State, list[State]] = {}  # state -> the states that may precede it
        for y0, following in trans_p.items():
            for y in following:
                self.before.setdefault(y, []).append(y0)

    def __call__(self, obs: str) -> tuple[float, list[State]]:
        """(probability, state of each character) of the likeliest reading of ``obs``."""
        trans_p, emit_p = self.trans_p, self.emit_p
        v = {y: self.start_p[y] + emit_p[y].get(obs[0], MIN_FLOAT)
             for y in self.states.get(obs[0], self.all_states)}
        paths: list[dict[State, State]] = []  # per character after the first: state -> previous
        for ch in obs[1:]:
            prev = [x for x in v if trans_p[x]]
            expected: set[State] = set()
            for x in prev:
                expected.update(trans_p[x])
            here = set(self.states.get(ch, self.all_states)) & expected or expected or self.all_states
            now: dict[State, float] = {}
            path: dict[State, State] = {}
            for y in here:
                em = emit_p[y].get(ch, MIN_FLOAT)
                best, best_y0 = MIN_INF, None
                # the states that may precede y, read from whichever list is shorter
                before = self.before.get(y, ())
                for y0 in (before if len(before) < len(prev) else prev):
                    tp = trans_p[y0].get(y)
                    if tp is None or y0 not in v:
                        continue
                    p = v[y0] + tp + em
                    if best_y0 is None or p > best or (p == best and y0 > best_y0):
                        best, best_y0 = p, y0
                if best_y0 is None or best == MIN_INF:  # no finite path (not with jieba's tables): as jieba
                    best, best_y0 = max((v[y0] + trans_p[y0].get(y, MIN_INF) + em, y0) for y0 in prev)
                now[y], path[y] = best, best_y0
            v = now
            paths.append(path)
        prob, state = max((p, y) for y, p in v.items())
        route = [state]
        for path in reversed(paths):
            state = path[state]
            route.append(state)
        route.reverse()
        return prob, route


def cut_unknown(viterbi: Viterbi, pair: type, sentence: str) -> Iterator:
    """jieba.posseg.POSTokenizer.__cut (words and tags of a stretch of Han characters jieba's
    dictionary does not know) with ``viterbi`` for its search; ``pair`` is jieba's word class."""
    _, states = viterbi(sentence)
    begin, after = 0, 0
    for i, char in enumerate(sentence):
        position, tag = states[i]
        if position == "B":
            begin = i
        elif position == "E":
            yield pair(sentence[begin:i + 1], tag)
            after = i + 1
        elif position == "S":
            yield pair(char, tag)
            after = i + 1
    if after < len(sentence):
        yield pair(sentence[after:], states[after][1])
