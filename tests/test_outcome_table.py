"""Outcome sentences written for this table (tests/cases/outcomes.tsv), and evidence properties.

The sentences were written from how Chinese governance reports put figures, not
copied from the seed or dev articles, and labelled by hand before the tagger was
run on them. They cover the exclusions of codebook ``outcomes`` (years, dates,
clock times, ages, durations, ordinals, names, slogans, addresses, phones).
"""
from __future__ import annotations

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from casefiles import outcome_cases
from govcase.tagging.lexicon import load_lexicon
from govcase.load import plan_rows
from govcase.tagging.outcomes import find_outcomes
from govcase.records import CleanArticle
from govcase.tag import tag
from govcase.text import split_sentences

CASES = outcome_cases()


def test_the_table_is_large_and_covers_non_outcomes():
    assert len(CASES) >= 150
    assert sum(1 for _, _, expected in CASES if not expected) >= 50


@pytest.mark.parametrize("lineno, sentence, expected", CASES,
                         ids=[f"line{lineno}" for lineno, _, _ in CASES])
def test_outcome_sentence(lineno, sentence, expected):
    got = find_outcomes(sentence, split_sentences(sentence))
    assert [(o.value, o.unit, o.approx) for o in got] == [(e.value, e.unit, e.approx) for e in expected]
    for o, e in zip(got, expected):
        if e.metric:
            assert o.metric == e.metric
        if e.status:
            assert o.status == e.status


ARTICLE_PARTS = [sentence for _, sentence, _ in CASES]


@settings(max_examples=60, deadline=None)
@given(st.lists(st.sampled_from(ARTICLE_PARTS), min_size=1, max_size=12),
       st.sampled_from(["", "\n", " "]))
def test_evidence_holds_each_outcome_as_written(parts, joiner):
    """Through tag and the load plan: every evidence span is the body text at its offsets, and
    every outcome's evidence sentence contains its number as written."""
    body = joiner.join(parts)
    tagged = tag(CleanArticle(body=body), load_lexicon())
    plan = plan_rows(body, tagged)
    for sentence in plan.evidence:
        assert body[sentence.start:sentence.end] == sentence.text
    outcomes = [f for f in plan.facts if f.table == "outcomes"]
    assert len(outcomes) == len(tagged.outcomes)
    for fact in outcomes:
        evidence = plan.evidence[fact.evidence]
        surface = fact.values["surface"]
        assert body[fact.values["char_start"]:fact.values["char_end"]] == surface
        assert evidence.start <= fact.values["char_start"] and fact.values["char_end"] <= evidence.end
        assert surface in evidence.text
    for table in ("measure_mentions", "mechanism_mentions", "projects"):
        for fact in (f for f in plan.facts if f.table == table):
            evidence = plan.evidence[fact.evidence]
            assert evidence.start <= fact.values["char_start"] < evidence.end
