"""The word lists of outcome finding, read once from data/outcomes/ (pure after loading).

Status verbs (新增, 完成, 签约 ...), the words that stop or cut a metric read next to a number,
and the contexts that make a number no outcome (non_outcome_contexts.tsv, place_words.tsv),
shared by tagging.non_outcomes (which numbers are outcomes) and tagging.outcomes (what each counts).
"""
from __future__ import annotations

from dataclasses import dataclass
from functools import lru_cache

from govcase.tagging.numbers import WordSet, read_table


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
    contexts: dict[str, WordSet]  # non_outcome_contexts.tsv and place_words.tsv, by kind (a _Contexts)
    anaphor_endings: dict[str, tuple[str, ...]]  # 小区 -> the name endings it stands for


_EMPTY = WordSet(())


class _Contexts(dict):
    """The context words by kind; a kind no data file names has none. The rules read
    ``contexts[kind]`` (a dict lookup, no Python call: ~30,000 lookups over 500 c1000 articles)."""

    def __missing__(self, kind: str) -> WordSet:
        return _EMPTY


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
        contexts=_Contexts({k: WordSet(v) for k, v in contexts.items()}),
        anaphor_endings=endings,
    )
