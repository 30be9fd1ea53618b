"""tests/agreement.py: two labellings of one set compared, and the labels they share."""
from __future__ import annotations

from agreement import _labels, agreement, disputed_outcomes, shared

HEADER = "# sentence\tmeasures\tmechanisms\toutcomes\n"


def _write(tmp_path, name, rows):
    path = tmp_path / name
    path.write_text(HEADER + "".join("\t".join(r) + "\n" for r in rows), encoding="utf-8")
    return str(path)


def test_agreement_scores_b_against_a_and_keeps_what_both_share(tmp_path):
    a = _labels(_write(tmp_path, "a.tsv", [
        ("甲句。", "parking,greening", "volunteers", "6 部 ; 20 户"),
        ("乙句。", "-", "?multi_party", "none"),
        ("丙句。", "waste", "deliberation", "3 次"),
    ]))
    b = _labels(_write(tmp_path, "b.tsv", [
        ("甲句。", "parking", "volunteers,grid", "6 部"),
        ("乙句。", "roads", "multi_party", "none"),
        ("丙句。", "?waste", "deliberation", "3 次"),
    ]))
    strict = agreement(a, b)
    # measures: parking agreed; greening and waste missed; roads extra (A said nothing there)
    assert strict["measures"] == (1, 1, 2)
    # mechanisms: volunteers and deliberation agreed, grid extra, B's firm multi_party meets A's ?code
    assert strict["mechanisms"] == (2, 1, 0)
    assert strict["outcomes"] == (2, 0, 1)
    assert agreement(a, b, lenient=True)["measures"] == (2, 1, 1)  # B's ?waste meets A's waste

    both = shared(a, b)
    assert both[0][1]["measure"] == ({"parking"}, {"greening"})
    assert both[0][1]["mechanism"] == ({"volunteers"}, {"grid"})
    assert both[2][1]["measure"] == (set(), {"waste"})
    assert disputed_outcomes(a, b) == {0}
