"""The shortcuts of the outcomes pass give what the plain code gives (tagging.numbers'
skipping of numerals that begin no quantity, text.break_positions)."""
from __future__ import annotations

import random

from govcase.tagging import numbers
from govcase.tagging.numerals import BIG_UNITS, CN_DIGITS, SMALL_UNITS, TENS


class _Everything:
    """A set that holds every character: find_quantities then skips no numeral."""

    def __contains__(self, item: object) -> bool:
        return True


def _random_texts(alphabet: str, n: int, seed: int) -> list[str]:
    rnd = random.Random(seed)
    return ["".join(rnd.choice(alphabet) for _ in range(rnd.randint(1, 30))) for _ in range(n)]


def test_no_character_of_a_chinese_numeral_is_a_digit_or_space():
    for ch in "".join(CN_DIGITS) + "".join(SMALL_UNITS) + "".join(BIG_UNITS) + "".join(TENS) + "点":
        assert not ch.isdigit() and not ch.isspace(), ch


def test_skipped_numerals_are_no_quantity(monkeypatch):
    followers = "".join(sorted(numbers._measure_followers()))[:60]
    alphabet = "0123456789一二三两十百千万亿余多来几成分之/-至到 \u3000年个户人元米平方大起步是，、。的总数为" + followers
    texts = ["一起进一步统一，三成员，十余万户，一万，两三百人，三分之二，1/3，总户数4078，六至八个"]
    texts += _random_texts(alphabet, 20000, 11)
    fast = [numbers.find_quantities(text) for text in texts]
    numbers._measure_followers.cache_clear()
    with monkeypatch.context() as patch:
        patch.setattr(numbers, "_measure_followers", lambda: _Everything())
        plain = [numbers.find_quantities(text) for text in texts]
    assert fast == plain
    assert sum(map(len, fast)) > 5000  # the texts do hold quantities
