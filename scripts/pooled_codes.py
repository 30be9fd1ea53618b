"""Pooled evidence for the code rules over the studied blind sets (blind4-17): per set P/R, and per rule.

usage: .venv/bin/python scripts/pooled_codes.py [--rules] [--min 3] [--code CODE] [--json OUT]

Every sentence of blind4.tsv ... blind17.tsv is tagged as a one-sentence article (as tests/blind_score.py
does). Printed: P/R of measures, mechanisms and outcomes per set and pooled. With ``--rules``, for each
rule that fired (a mention's pattern_id: a lexicon entry, or a compositional rule such as
``building_repair:act+扶手``): how often the code it gave was labelled in that sentence (``hit``),
optional (``opt``) or not labelled (``miss``), pooled over all sets and labellers, and the same
for the firings where no other rule gave that code in the sentence (``alone``: the rule's own effect
on the score). An entry whose
firings the labellers mostly reject is a candidate to drop or to give context; one they mostly take
is worth keeping. """
from __future__ import annotations

import argparse
import json
import sys
from collections import Counter, defaultdict
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT / "tests"))

from blind_score import KINDS, tagged_cases  # noqa: E402
from govcase.tagging.lexicon import load_lexicon  # noqa: E402

SETS = tuple(f"blind{n}.tsv" for n in range(4, 18))  # the studied sets; a new unseen set is added once scored
FIELDS = ("measures", "mechanisms", "outcomes")


def run(sets=SETS):
    """({set: {field: [tp, fp, fn]}}, {pattern_id: Counter(hit/opt/miss)}, [(set, line, sentence, field, extra, missed)])."""
    lexicon = load_lexicon()
    tallies = {}
    rules: dict[str, Counter] = defaultdict(Counter)
    errors = []
    for name in sets:
        t = tallies[name] = {f: [0, 0, 0] for f in FIELDS}
        for lineno, sentence, codes, outcomes, tagged, got_by_kind in tagged_cases(name, lexicon):
            for field, kind in KINDS:
                required, optional = codes[kind]
                mentions = tagged.measures if kind == "measure" else tagged.mechanisms
                got = got_by_kind[kind]
                t[field][0] += len(got & required)
                t[field][1] += len(got - required)
                t[field][2] += len(required - got)
                if got ^ required:
                    errors.append((name, lineno, sentence, field, sorted(got - required), sorted(required - got)))
                fired = {m.pattern_id: m.code for m in mentions}
                sources = Counter(fired.values())
                for pid, code in fired.items():
                    verdict = "hit" if code in required else "opt" if code in optional else "miss"
                    rules[pid][verdict] += 1
                    if sources[code] == 1:  # the only rule that gave the code: its own effect on the score
                        rules[pid]["alone_" + verdict] += 1
            want = Counter((o.value, o.unit) for o in outcomes)
            have = Counter((o.value, o.unit) for o in tagged.outcomes)
            hits = sum((want & have).values())
            t["outcomes"][0] += hits
            t["outcomes"][1] += sum(have.values()) - hits
            t["outcomes"][2] += sum(want.values()) - hits
    return tallies, rules, errors


def _pr(tp, fp, fn):
    return (tp / (tp + fp) if tp + fp else 1.0), (tp / (tp + fn) if tp + fn else 1.0)


def main(argv=None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--rules", action="store_true", help="print each rule's pooled firings")
    ap.add_argument("--min", type=int, default=3, help="rules that fired at least this often")
    ap.add_argument("--match", default="", help="only rules whose pattern_id holds this text")
    ap.add_argument("--json", type=Path, help="write the tallies, rules and errors here")
    args = ap.parse_args(argv)
    tallies, rules, errors = run()
    pooled = {f: [sum(t[f][i] for t in tallies.values()) for i in range(3)] for f in FIELDS}
    print(f"{'set':<13}" + "".join(f"{f:>22}" for f in FIELDS))
    for name, t in list(tallies.items()) + [("pooled", pooled)]:
        print(f"{name:<13}" + "".join("{:>11.3f}/{:.3f}    ".format(*_pr(*t[f])) for f in FIELDS))
    print("pooled tp/fp/fn: " + ", ".join(f"{f} {pooled[f]}" for f in FIELDS))
    if args.rules:
        for pid, c in sorted(rules.items(), key=lambda kv: (kv[1]["hit"] / sum(kv[1].values()), kv[0])):
            n = c['hit'] + c['opt'] + c['miss']
            if n >= args.min and args.match in pid:
                print(f"{c['hit']:4d} {c['opt']:3d} {c['miss']:4d}  {c['hit'] / n:.2f}  alone {c['alone_hit']:3d} "
                      f"{c['alone_miss']:3d}  {pid}")
    if args.json:
        args.json.write_text(json.dumps({"tallies": tallies, "rules": rules, "errors": errors},
                                        ensure_ascii=False, indent=0), encoding="utf-8")
    return 0


if __name__ == "__main__":
    sys.exit(main())
