"""Measure and mechanism sentences written for this table (tests/cases/codes.tsv).

Written from how Chinese governance reports word each measure and mechanism, not
copied from the seed or dev articles, and labelled by hand before the tagger was
run: positives in many wordings, and negatives (directions past a 停车场, a
biography, national policy talk, a hypothetical, a bare description).
"""
from __future__ import annotations

import pytest

from casefiles import code_cases
from govcase.tagging.codes import find_codes
from govcase.tagging.lexicon import load_lexicon
from govcase.text import split_sentences

CASES = code_cases()


@pytest.fixture(scope="module")
def lexicon():
    return load_lexicon()


def test_the_table_covers_every_code_and_has_negatives(lexicon):
    required = {code for _, _, spec in CASES for req, _ in spec.values() for code in req}
    assert required == lexicon.codes("measure") | lexicon.codes("mechanism")
    assert sum(1 for _, _, spec in CASES if not any(req for req, _ in spec.values())) >= 10


@pytest.mark.parametrize("lineno, sentence, spec", CASES, ids=[f"line{lineno}" for lineno, _, _ in CASES])
def test_code_sentence(lineno, sentence, spec, lexicon):
    measures, mechanisms = find_codes(sentence, split_sentences(sentence), lexicon)
    for kind, mentions in (("measure", measures), ("mechanism", mechanisms)):
        required, optional = spec[kind]
        got = {m.code for m in mentions}
        assert required <= got, f"{kind}: missing {sorted(required - got)}"
        assert got <= required | optional, f"{kind}: unexpected {sorted(got - required - optional)}"
