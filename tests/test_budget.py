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


def test_an_alarm_swallowed_by_code_not_ours_sounds_again():
    # a gc callback, or a rule's bare ``except Exception``, can swallow the first alarm
    import signal
    import time

    swallowed = []
    with pytest.raises(RejectedDocument) as caught:
        with budget._deadline(0.01, 0.01):
            try:
                while True:
                    time.sleep(0.001)
            except Exception as exc:  # the first alarm lands here and is lost
                swallowed.append(exc)
            while True:
                time.sleep(0.001)
    assert caught.value.reason == "tag-timeout" and len(swallowed) == 1
    assert signal.getitimer(signal.ITIMER_REAL) == (0.0, 0.0)
    with budget._deadline(5):
        time.sleep(0.01)
    assert signal.getitimer(signal.ITIMER_REAL) == (0.0, 0.0)  # nor does a block that ended in time


OTHER = "浦东新区潍坊新村街道某小区新增停车位120个，楼组长上门走访居民80户。\n"


def test_a_batch_is_tagged_as_each_article_alone():
    from govcase.tag import tag

    lexicon = load_lexicon(default_data_dir())
    articles = [CleanArticle(body=b) for b in (BODY, OTHER, BODY + OTHER, "没有地名也没有数字。")]
    assert budget.tag_batch(articles, lexicon) == [tag(a, lexicon) for a in articles]


def test_one_article_over_a_budget_or_failing_stops_that_article_alone(monkeypatch):
    import time

    from govcase import tag as tag_module

    lexicon = load_lexicon(default_data_dir())
    monkeypatch.setattr(budget, "MAX_TAG_CHARS", len(BODY) * 100)
    broken, slow = CleanArticle(body="坏" + OTHER), CleanArticle(body="慢" + OTHER)
    real = tag_module.find_article_codes

    def codes(job, lex):  # in the second pass, one article meets a rule error, one a rule that hangs
        if job.article is broken:
            raise ValueError("a rule broke")
        if job.article is slow:
            time.sleep(5)
        real(job, lex)

    monkeypatch.setattr(tag_module, "PASSES", (tag_module.find_article_places, codes, tag_module.find_article_facts))
    batch = [CleanArticle(body=BODY), CleanArticle(body=BODY * 101), broken, slow, CleanArticle(body=OTHER)]
    out = budget.tag_batch(batch, lexicon, seconds=1)
    assert out[1].reason == "too-long"
    assert isinstance(out[2], ValueError)
    assert out[3].reason == "tag-timeout"
    assert {o.value for o in out[0].outcomes} >= {5, 14} and {o.value for o in out[4].outcomes} >= {120, 80}
    budget.tag_within_budget(CleanArticle(body=BODY), lexicon, seconds=60)  # no alarm left armed
