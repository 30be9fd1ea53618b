"""The context rules of measure and mechanism cues, compiled once per lexicon (pure).

``compiled_rules(lexicon)`` turns the lexicon's word sets (``@plan``, ``@act``, ``@negators`` ...)
and each entry's required and forbidden neighbours into regexes and word tables, which
tagging.clauses reads for every cue it judges (see tagging.codes for what the checks mean).
"""
from __future__ import annotations

import re
from functools import lru_cache
from typing import Iterable, Sequence

from govcase import regexcache
from govcase.tagging.alternation import longest_first
from govcase.tagging.lexicon import POLICY_SETS, Condition, Entry, Lexicon, word_pattern


class Words:
    """Words that must stand right before (or right after) a position, by length."""

    def __init__(self, words: Iterable[str]) -> None:
        self.words = frozenset(words)
        self.lengths = sorted({len(w) for w in self.words})
        self._starting: re.Pattern[str] | None = None  # compiled on first use (most entries never ask)

    def ends_at(self, text: str, lo: int, i: int) -> bool:
        """Whether text[lo:i] ends with one of the words."""
        words = self.words
        for k in self.lengths:  # (ascending: a loop, not a generator made per call)
            if k > i - lo:
                return False
            if text[i - k:i] in words:
                return True
        return False

    def starts_at(self, text: str, i: int, hi: int) -> bool:
        """Whether text[i:hi] starts with one of the words (one anchored regex match, in C)."""
        if not self.words:
            return False
        if self._starting is None:
            self._starting = regexcache.compile(longest_first(self.words))
        return self._starting.match(text, i, hi) is not None


class Neighbours:
    """An entry's required or forbidden neighbours, compiled: "does any of them hold?"."""

    def __init__(self, conditions: Sequence[Condition]) -> None:
        inside = {c.word for c in conditions if c.where == "in"}
        self.inside = regexcache.compile(longest_first(inside)) if inside else None
        self.before = Words(c.word for c in conditions if c.where == "before")
        self.after = Words(c.word for c in conditions if c.where == "after")
        self.groups: tuple[tuple[Neighbours, ...], ...] = ()

    def with_groups(self, groups: Sequence[Sequence[Sequence[Condition]]]) -> "Neighbours":
        """These neighbours, or any group of neighbours that all hold (the ``a&b`` items)."""
        self.groups = tuple(tuple(Neighbours(part) for part in group) for group in groups)
        return self

    def any_holds(self, text: str, lo: int, start: int, end: int, hi: int) -> bool:
        """Whether a condition holds around text[start:end] in the scope text[lo:hi]: an "in" word
        occurs in text[lo:start] or text[end:hi], text[lo:start] ends with a "before" word, or
        text[end:hi] starts with an "after" word."""
        if self.inside is not None and (self.inside.search(text, lo, start) or self.inside.search(text, end, hi)):
            return True
        # (most entries have words of one kind only: the others are not asked)
        if self.before.words and self.before.ends_at(text, lo, start) \
                or self.after.words and self.after.starts_at(text, end, hi):
            return True
        return bool(self.groups) and any(all(part.any_holds(text, lo, start, end, hi) for part in group)
                                         for group in self.groups)


# How far after a cue the head of a speaker's title may stand (城管|执法中队中队长说: 6 characters)
TITLE_REACH = 12
# The sides a list of parties may come from (codes.party_lists): the community's own bodies, outside
# parties, and residents in a role (业主代表, 楼栋长, 党员志愿者).
PARTY_SETS = ("@community_side", "@outside_party", "@resident_roles")


class Rules:
    """What the context checks need of one lexicon, compiled once per lexicon."""

    def __init__(self, lexicon: Lexicon) -> None:
        self.policy = word_pattern(lexicon, POLICY_SETS)
        self.policy_words = frozenset(w for name in POLICY_SETS for w in lexicon.words(name))
        self.converted = Words(lexicon.words("@converted"))
        self.converted_anywhere = word_pattern(lexicon, ("@converted",))
        self.name_after = Words(lexicon.sets.get("@name_after", ()))  # optional in a lexicon
        self.locative = optional_pattern(lexicon, "@locative")
        self.not_locative = Words(lexicon.sets.get("@not_locative", ()))
        self.build = word_pattern(lexicon, ("@build",))
        self.locative_after = Words(lexicon.sets.get("@locative_after", ()))
        self.topic_tail = Words(lexicon.sets.get("@topic_tail", ()))
        self.figurative = word_pattern(lexicon, ("@figurative",))
        self.disrepair = word_pattern(lexicon, ("@disrepair",))
        self.resolved = word_pattern(lexicon, ("@resolved",))
        self.act = word_pattern(lexicon, ("@act", "@resolved", "@repair", "@build"))
        # words that hold an act word and are none (负责人, 党组织); optional in a lexicon
        not_act = lexicon.sets.get("@not_act", ())
        self.not_act = regexcache.compile(longest_first(not_act)) if not_act else None
        self.plan = word_pattern(lexicon, ("@plan",))
        self.plan_opener = word_pattern(lexicon, ("@plan_opener",))
        self.not_plan = word_pattern(lexicon, ("@not_plan",))
        self.clause_negators = word_pattern(lexicon, ("@clause_negators",))
        self.undone = word_pattern(lexicon, ("@undone",))
        # Where a negator starts (a lookahead finds every start, overlapping ones too; a match
        # must end by the search's endpos, as it must inside the window negated() reads).
        negators = lexicon.words("@negators")
        self.negator = regexcache.compile("(?=(?:%s))" % longest_first(negators) if negators else r"(?!)")
        # An exempt word (未来, 无障碍) starting at a position, the longest one first.
        exempt = lexicon.words("@not_negators")
        self.exempt = regexcache.compile(longest_first(exempt)) if exempt else None
        self.exempt_longest = max(map(len, exempt), default=0)
        # a cue in the title of someone who then speaks (街道城管科科长刘磊说, 司法所所长陈静表示): the
        # head of a title (@title_heads) and a verb of speech (@attribution) close after the cue
        heads, speech = lexicon.sets.get("@title_heads", ()), lexicon.sets.get("@attribution", ())
        self.speaker_title = regexcache.compile(
            r"[^，。；：“”\"、,]{0,%d}?(?:%s)[\u4e00-\u9fff]{0,3}?(?:%s)"
            % (TITLE_REACH, longest_first(heads), longest_first(speech))) if heads and speech else None
        # the parties a list may name (居委会、业委会和物业公司): by side, for party_lists
        self.parties = tuple(optional_pattern(lexicon, name) for name in PARTY_SETS)
        self.party_words = Words(w for name in PARTY_SETS for w in lexicon.sets.get(name, ()))
        self.party_last_chars = frozenset(w[-1] for w in self.party_words.words)
        # the verbs that act on a thing (@action_verbs near it, @action_chars right before it): an
        # ``object`` measure entry counts when one acts on it, as a ``verb`` entry does (optional sets)
        self.action_verbs = Neighbours([Condition("in", w) for w in lexicon.sets.get("@action_verbs", ())]
                                       + [Condition("before", w) for w in lexicon.sets.get("@action_chars", ())])
        # id(entry) -> (entry, requires, forbids): keyed by identity, since hashing an entry hashes
        # all its conditions; the entry is kept, so its id is not reused while it is here
        self._neighbours: dict[int, tuple[Entry, Neighbours, Neighbours]] = {}

    def neighbours(self, entry: Entry) -> tuple[Neighbours, Neighbours]:
        """(requires, forbids) of ``entry``, compiled once."""
        found = self._neighbours.get(id(entry))
        if found is None or found[0] is not entry:
            found = self._neighbours[id(entry)] = (entry, Neighbours(entry.requires).with_groups(entry.requires_all),
                                                   Neighbours(entry.forbids))
        return found[1], found[2]


def optional_pattern(lexicon: Lexicon, name: str) -> re.Pattern[str] | None:
    """One regex for the words of an optional set, the longest first; None when the lexicon lacks it."""
    words = lexicon.sets.get(name, ())
    return regexcache.compile(longest_first(words)) if words else None


@lru_cache(maxsize=8)  # a lexicon hashes by identity: one compiled set of rules per loaded lexicon
def compiled_rules(lexicon: Lexicon) -> Rules:
    return Rules(lexicon)
