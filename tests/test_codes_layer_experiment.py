"""scripts/codes_layer_experiment.py (issue 16, branch i16d): the learned layer it evaluates is deterministic,
vetoes and adds as its doc says, scores as blind_score does, and never reads the unseen sets.
Made-up sentences only; the experiment's figures are in benchmarks/RESULTS.md ("i16d")."""
from __future__ import annotations

import importlib.util
from pathlib import Path

import numpy as np

SCRIPT = Path(__file__).resolve().parents[1] / "scripts" / "codes_layer_experiment.py"
_spec = importlib.util.spec_from_file_location("codes_layer_experiment", SCRIPT)
exp = importlib.util.module_from_spec(_spec)
_spec.loader.exec_module(exp)

CODES = ["measure:elevator_retrofit", "measure:parking", "mechanism:deliberation"]
TOY = [  # (sentence, required codes, codes the rules fired)
    ("小区加装电梯后老人下楼方便多了。", {"measure:elevator_retrofit"}, {"measure:elevator_retrofit"}),
    ("三号楼的加装电梯工程完工了。", {"measure:elevator_retrofit"}, {"measure:elevator_retrofit"}),
    ("居民希望加装电梯，但至今没有动工。", set(), {"measure:elevator_retrofit"}),
    ("社区新划了四十个停车位。", {"measure:parking"}, {"measure:parking"}),
    ("停车难的问题通过错峰停车得到缓解。", {"measure:parking"}, set()),
    ("居民议事会商量了停车位怎么分。", {"measure:parking", "mechanism:deliberation"}, {"mechanism:deliberation"}),
    ("楼组长召集居民开会协商加装电梯的费用。", {"measure:elevator_retrofit", "mechanism:deliberation"},
     {"measure:elevator_retrofit"}),
    ("今天天气很好。", set(), set()),
] * 3  # MIN_DF is 3: each gram of the toy set is seen three times


def _rows():
    rows = []
    for sentence, required, _ in TOY:
        codes = {k: ({c.split(":")[1] for c in required if c.startswith(k + ":")}, set()) for k in exp.KINDS}
        rows.append(exp.Row("toy", sentence, codes))
    return rows


def _fit():
    rows = _rows()
    y, mask = exp.label_arrays(rows, CODES)
    return exp.Model(CODES).fit([exp.features(r.text, fired) for r, (_, _, fired) in zip(rows, TOY)], y, mask)


def test_fit_is_deterministic():
    a, b = _fit(), _fit()
    assert a.vocab == b.vocab
    assert np.array_equal(a.w, b.w) and np.array_equal(a.b, b.b)


def test_layer_learns_wording_and_names_its_reasons():
    model = _fit()
    feats = exp.features("二号楼也加装电梯了。", set())
    p = model.predict([feats])[0]
    assert p[model.index["measure:elevator_retrofit"]] > p[model.index["measure:parking"]]
    reasons = model.reasons(feats, "measure:elevator_retrofit")
    assert reasons and all(f.startswith(("g:", "R:")) for f, _ in reasons)


def test_decide_vetoes_fired_codes_and_adds_confident_ones():
    p = np.array([[0.05, 0.95, 0.3]])
    fired = np.array([[True, False, True]])
    assert decide_row(p, fired, 0.1, 0.4) == [False, True, True]
    assert decide_row(p, fired, 0.0, 2.0) == [True, False, True]  # the rules alone


def decide_row(p, fired, tv, ta):
    return exp.decide(p, fired, tv, ta)[0].tolist()


def test_tally_ignores_optional_codes():
    row = exp.Row("toy", "某句。", {"measure": ({"parking"}, {"greening"}), "mechanism": (set(), set())})
    codes = ["measure:greening", "measure:parking", "measure:roads"]
    t = exp.tally([row], codes, np.array([[True, True, True]]))
    assert t["measure"] == [1, 1, 0]  # parking right, roads wrong, greening optional


def test_experiment_never_reads_the_unseen_sets():
    assert "blind6.tsv" not in exp.TRAIN_SETS and exp.HELD_OUT == "blind5.tsv"
    assert "blind6" not in SCRIPT.read_text(encoding="utf-8").replace("blind6.tsv is never read", "")
