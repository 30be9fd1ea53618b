"""Precision and recall of measures, mechanisms and outcomes on tests/cases/blind.tsv.

usage: .venv/bin/python tests/blind_score.py [blind.tsv|blind2.tsv|blind3.tsv] [--errors]

Each sentence is tagged as a one-sentence article (``tag``), after the script normalisation
that clean applies to every body (``clean.normalise``: traditional -> simplified, full-width
digits): the pipeline never hands tag a traditional body, so neither does this score. Codes are scored as
sets per sentence (an optional ``?code`` is neither rewarded nor penalised);
outcomes as (value, unit) pairs, and for matched ones whether ``approx`` agrees.
"""
from __future__ import annotations

import sys
from collections import Counter
from pathlib import Path

sys.path.insert(0, str(Path(__file__).parent))

from casefiles import blind_cases  # noqa: E402
from govcase.clean import normalise  # noqa: E402
from govcase.records import CleanArticle  # noqa: E402
from govcase.tag import tag  # noqa: E402
from govcase.tagging.lexicon import load_lexicon  # noqa: E402


KINDS = (("measures", "measure"), ("mechanisms", "mechanism"))


def tagged_cases(name: str, lexicon=None):
    """Each sentence of a blind set tagged as a one-sentence article: (lineno, sentence, codes,
    outcomes, tagged, got), ``got[kind]`` the codes tagged minus those the labels hold optional only."""
    lexicon = lexicon or load_lexicon()
    for lineno, sentence, codes, outcomes in blind_cases(name):
        tagged = tag(CleanArticle(body=normalise(sentence).text), lexicon)
        got = {}
        for _, kind in KINDS:
            required, optional = codes[kind]
            mentions = tagged.measures if kind == "measure" else tagged.mechanisms
            got[kind] = {m.code for m in mentions} - (optional - required)
        yield lineno, sentence, codes, outcomes, tagged, got


def score(show_errors: bool = False, name: str = "blind.tsv") -> dict[str, tuple[int, int, int]]:
    """{field: (true positives, false positives, false negatives)}; approx as (agree, disagree, 0)."""
    tally = {f: [0, 0, 0] for f in ("measures", "mechanisms", "outcomes", "outcome_approx")}
    for lineno, sentence, codes, outcomes, tagged, got in tagged_cases(name):
        for field, kind in KINDS:
            required = codes[kind][0]
            _add(tally[field], len(got[kind] & required), got[kind] - required, required - got[kind], lineno,
                 field, show_errors)
        want = Counter((o.value, o.unit) for o in outcomes)
        have = Counter((o.value, o.unit) for o in tagged.outcomes)
        _add(tally["outcomes"], sum((want & have).values()), set(have - want), set(want - have),
             lineno, "outcomes", show_errors)
        approx = {(o.value, o.unit): o.approx for o in outcomes}
        for o in tagged.outcomes:
            if (o.value, o.unit) in approx:
                ok = (o.approx or None) == approx[o.value, o.unit]
                tally["outcome_approx"][0 if ok else 1] += 1
                if not ok and show_errors:
                    print(f"line {lineno} approx {o.value}{o.unit}: {o.approx!r} != {approx[o.value, o.unit]!r}")
    return {f: tuple(v) for f, v in tally.items()}


def _add(t: list[int], hits: int, extra: set, missed: set, lineno: int, field: str, show: bool) -> None:
    t[0] += hits
    t[1] += len(extra)
    t[2] += len(missed)
    if show and (extra or missed):
        print(f"line {lineno} {field}: extra {sorted(extra)} missed {sorted(missed)}")


def main(argv: list[str]) -> int:
    names = [a for a in argv[1:] if a.endswith(".tsv")]
    result = score("--errors" in argv, names[0] if names else "blind.tsv")
    print(f"{'field':<15} {'P':>6} {'R':>6}   tp fp fn")
    for field, (tp, fp, fn) in result.items():
        p = tp / (tp + fp) if tp + fp else 1.0
        r = tp / (tp + fn) if tp + fn else 1.0
        if field == "outcome_approx":
            print(f"{field:<15} {p:6.3f} {'':>6}   agree {tp} of {tp + fp}")
        else:
            print(f"{field:<15} {p:6.3f} {r:6.3f}   {tp} {fp} {fn}")
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv))
