"""Per-article budgets of the tag stage: over one, the article is a reject, not a stalled run."""
from __future__ import annotations

import pytest

from govcase import budget
from govcase.errors import RejectedDocument
from govcase.records import CleanArticle
from govcase.settings import default_data_dir
from govcase.tagging.lexicon import load_lexicon

BODY = "长宁区北新泾街道新泾五村小区加装电梯已投入使用5台，签约14台。居民区党总支通过议事会协商解决停车难问题。\n"


def test_an_article_within_budget_is_tagged():
    tagged = budget.tag_within_budget(CleanArticle(body=BODY), load_lexicon(default_data_dir()), seconds=60)
    assert {o.value for o in tagged.outcomes} >= {5, 14}


def test_an_article_over_the_size_budget_is_rejected(monkeypatch):
    monkeypatch.setattr(budget, "MAX_TAG_CHARS", len(BODY) * 3)
    with pytest.raises(RejectedDocument) as caught:
        budget.tag_within_budget(CleanArticle(body=BODY * 4), load_lexicon(default_data_dir()))
    assert caught.value.reason == "too-long"


def test_an_article_over_the_time_budget_is_rejected_and_the_timer_is_gone():
    lexicon = load_lexicon(default_data_dir())
    with pytest.raises(RejectedDocument) as caught:
        budget.tag_within_budget(CleanArticle(body=BODY * 3000), lexicon, seconds=0.01)
    assert caught.value.reason == "tag-timeout"
    budget.tag_within_budget(CleanArticle(body=BODY), lexicon, seconds=60)  # no alarm left armed
