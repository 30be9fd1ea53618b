"""Word lists as one regex: any of the words, the longest where several start at one place (pure).

The matchers ask "does a word of this list occur here?" (``@act``: 224 words) and "which measure
word starts here?" (units.tsv: ~200) tens of thousands of times an article set. Written as the
alternation of the words longest first (``abc|ab|a``), the regex engine tries every word at each
position where one may start: one comparison per word. Written as a trie (``a(?:b(?:c)?)?``), it
follows one branch per next character. Both match the longest word starting at a position (the
trie's branches are greedy), so search, match and finditer give the same spans either way.
placenames.scan.longest_first uses it for the province and city names and the level suffixes.
"""
from __future__ import annotations

import re
from typing import Iterable

NEVER = r"(?!)"  # the pattern of no words: it never matches


def longest_first(words: Iterable[str]) -> str:
    """Regex source that matches any of ``words``, the longest of those starting at one place;
    NEVER for no words. An empty word matches the empty string, as it does in an alternation."""
    trie: dict[str, dict] = {}
    for word in words:
        node = trie
        for ch in word:
            node = node.setdefault(ch, {})
        node[""] = {}  # a word ends here
    return _branches(trie) if trie else NEVER


def _branches(node: dict[str, dict]) -> str:
    alts = [re.escape(ch) + _branches(rest) for ch, rest in sorted(node.items()) if ch]
    if not alts:
        return ""
    either = alts[0] if len(alts) == 1 else "(?:" + "|".join(alts) + ")"
    return "(?:" + either + ")?" if "" in node else either  # greedy: the longer word first
