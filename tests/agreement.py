"""How far two independent labellings of one blind set agree, and how the tagger scores on what they share.

usage: .venv/bin/python tests/agreement.py A.tsv B.tsv [--tagger]

A and B label the same sentences in the same order (the blind sets' format, tests/cases/blind*.tsv;
a name without a folder is looked up in tests/cases). Printed:

1. B against A as if A were the gold, field by field (measures, mechanisms, outcomes): precision,
   recall and F1, scored as tests/blind_score.py scores the tagger (codes as sets per sentence, a
   ``?code`` of A neither rewarded nor penalised; outcomes as (value, unit) pairs). "strict" counts
   only B's firm codes; "lenient" also lets B's ``?code`` match a firm code of A. The F1 of B
   against A is symmetric: it is the same read either way round.
2. With --tagger, the tagger's figures against A, against B, and against the labels both share: a
   code firm in both (required), firm in only one (optional: neither rewarded nor penalised), and
   the outcomes both list. What two careful readers do not agree on is no fair test of rules, so
   the shared labels say how the tagger reads what is clear.
"""
from __future__ import annotations

import sys
from collections import Counter
from pathlib import Path

sys.path.insert(0, str(Path(__file__).parent))

from casefiles import blind_cases  # noqa: E402

KINDS = (("measures", "measure"), ("mechanisms", "mechanism"))


def _labels(name: str) -> list[tuple[str, dict, Counter]]:
    """(sentence, {kind: (required, optional)}, Counter of (value, unit)) per labelled sentence."""
    return [(sentence, codes, Counter((o.value, o.unit) for o in outcomes))
            for _, sentence, codes, outcomes in blind_cases(name)]


def _prf(tp: int, fp: int, fn: int) -> tuple[float, float, float]:
    p = tp / (tp + fp) if tp + fp else 1.0
    r = tp / (tp + fn) if tp + fn else 1.0
    return p, r, (2 * p * r / (p + r) if p + r else 0.0)


def agreement(a: list, b: list, lenient: bool = False) -> dict[str, tuple[int, int, int]]:
    """{field: (tp, fp, fn)} of labelling ``b`` scored against ``a``."""
    tally = {f: [0, 0, 0] for f in ("measures", "mechanisms", "outcomes")}
    for (_, a_codes, a_out), (_, b_codes, b_out) in zip(a, b):
        for field, kind in KINDS:
            a_req, a_opt = a_codes[kind]
            b_req, b_opt = b_codes[kind]
            got = b_req - (a_opt - a_req)
            if lenient:  # B's "may or may not" counts where A was firm, and nowhere else
                got |= b_opt & a_req
            _add(tally[field], len(got & a_req), len(got - a_req), len(a_req - got))
        _add(tally["outcomes"], sum((a_out & b_out).values()), sum((b_out - a_out).values()),
             sum((a_out - b_out).values()))
    return {f: tuple(v) for f, v in tally.items()}


def shared(a: list, b: list) -> list[tuple[str, dict, Counter]]:
    """The labels both share: a code firm in both is firm, a code firm or optional in either is
    optional; the outcomes both list."""
    out = []
    for (sentence, a_codes, a_out), (_, b_codes, b_out) in zip(a, b):
        codes = {}
        for _, kind in KINDS:
            (a_req, a_opt), (b_req, b_opt) = a_codes[kind], b_codes[kind]
            both = a_req & b_req
            codes[kind] = (both, (a_req | a_opt | b_req | b_opt) - both)
        out.append((sentence, codes, a_out & b_out))
    return out


def disputed_outcomes(a: list, b: list) -> set[int]:
    """Indices of the sentences whose outcomes A and B list differently (left out of the shared
    outcome score: neither reading is the fair one there)."""
    return {i for i, ((_, _, a_out), (_, _, b_out)) in enumerate(zip(a, b)) if a_out != b_out}


def tagger_scores(labels: list, skip_outcomes: set[int] = frozenset()) -> dict[str, tuple[int, int, int]]:
    """{field: (tp, fp, fn)} of the tagger against ``labels``, each sentence tagged as blind_score does."""
    from govcase.clean import normalise
    from govcase.records import CleanArticle
    from govcase.tag import tag
    from govcase.tagging.lexicon import load_lexicon

    lexicon = load_lexicon()
    tally = {f: [0, 0, 0] for f in ("measures", "mechanisms", "outcomes")}
    for i, (sentence, codes, want) in enumerate(labels):
        tagged = tag(CleanArticle(body=normalise(sentence).text), lexicon)
        for (field, kind), mentions in zip(KINDS, (tagged.measures, tagged.mechanisms)):
            required, optional = codes[kind]
            got = {m.code for m in mentions} - (optional - required)
            _add(tally[field], len(got & required), len(got - required), len(required - got))
        if i not in skip_outcomes:
            have = Counter((o.value, o.unit) for o in tagged.outcomes)
            _add(tally["outcomes"], sum((want & have).values()), sum((have - want).values()),
                 sum((want - have).values()))
    return {f: tuple(v) for f, v in tally.items()}


def _add(t: list[int], tp: int, fp: int, fn: int) -> None:
    t[0] += tp
    t[1] += fp
    t[2] += fn


def _print(title: str, result: dict[str, tuple[int, int, int]]) -> None:
    print(title)
    for field, (tp, fp, fn) in result.items():
        p, r, f = _prf(tp, fp, fn)
        print(f"  {field:<11} P {p:5.3f}  R {r:5.3f}  F1 {f:5.3f}   tp {tp} fp {fp} fn {fn}")


def main(argv: list[str]) -> int:
    names = [x for x in argv[1:] if not x.startswith("--")]
    if len(names) != 2:
        print(__doc__.splitlines()[2].strip(), file=sys.stderr)
        return 2
    a, b = _labels(names[0]), _labels(names[1])
    if [s for s, _, _ in a] != [s for s, _, _ in b]:
        print("the two files do not label the same sentences in the same order", file=sys.stderr)
        return 2
    print(f"{len(a)} sentences")
    _print("B against A, strict", agreement(a, b))
    _print("B against A, lenient", agreement(a, b, lenient=True))
    if "--tagger" in argv:
        _print("tagger against A", tagger_scores(a))
        _print("tagger against B", tagger_scores(b))
        disputed = disputed_outcomes(a, b)
        print(f"(outcomes of the {len(disputed)} sentences A and B list differently are left out below)")
        _print("tagger against the shared labels", tagger_scores(shared(a, b), disputed))
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv))
