"""The shortcuts of the outcomes pass give what the plain code gives (tagging.numbers'
skipping of numerals that begin no quantity, numerals.skip_to_digits)."""
from __future__ import annotations

import random
import re

from govcase.tagging import numbers
from govcase.tagging.numerals import _DIGIT_RANGES, BIG_UNITS, CN_DIGITS, SMALL_UNITS, TENS, skip_to_digits


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


def test_skipped_numerals_and_qualifiers_are_none(monkeypatch):
    """find_quantities skips numerals (_measure_followers) and qualifier reads (_qualifier_ends)
    that cannot give anything: the same quantities as with no skipping."""
    followers = "".join(sorted(numbers._measure_followers()))[:60]
    alphabet = ("0123456789一二三两十百千万亿余多来几成分之/-至到 \u3000年个户人元米平方大起步是，、。的总数为"
                "约近超过不足以上下左右占达有逾将接\n" + followers)
    texts = ["一起进一步统一，三成员，十余万户，一万，两三百人，三分之二，1/3，总户数4078，六至八个",
             "约占总人口的38%，约为小区总数的\n56%，近千户，上百人，不少于300人，超过5万元"]
    texts += _random_texts(alphabet, 20000, 11)
    fast = [numbers.find_quantities(text) for text in texts]
    with monkeypatch.context() as patch:
        patch.setattr(numbers, "_measure_followers", lambda: _Everything())
        patch.setattr(numbers, "_qualifier_ends", lambda: _Everything())
        plain = [numbers.find_quantities(text) for text in texts]
    assert fast == plain
    assert sum(map(len, fast)) > 5000  # the texts do hold quantities
    assert sum(q.approx is not None for found in fast for q in found) > 1000  # and qualifiers
    assert sum(map(len, fast)) > 5000  # the texts do hold quantities


def test_the_digit_ranges_hold_every_digit():
    ranges = re.compile(f"[{_DIGIT_RANGES}]")
    digits = [chr(c) for c in range(0x110000) if chr(c).isdecimal()]
    assert len(digits) > 600 and all(ranges.fullmatch(d) for d in digits)
    assert ranges.findall("，。、“”：；（）！？…—　社区居民") == []  # what the engine skips by lookup


def test_skip_to_digits_finds_the_same_matches():
    patterns = [r"\d(?<![\d.]\d)\d{3}\s?年", r"[\d〇零一二三]\s?([^\d\s])", r"[上本\d一](?:(?<=[上本])世|(?<=[\d一])\d*世)"]
    alphabet = "0123456789１٣𝟘一二三〇零上本世年 .a，“\U0001f600"
    texts = _random_texts(alphabet, 20000, 12)
    for source in patterns:
        plain, fast = re.compile(source), re.compile(skip_to_digits(source))
        assert fast.pattern != plain.pattern
        for text in texts:
            assert [m.span() for m in fast.finditer(text)] == [m.span() for m in plain.finditer(text)], text


def test_word_sets_answer_as_the_plain_loops():
    """WordSet.starting and .ending skip places that no word starts or ends: the same answers."""
    words = ["约", "大约", "不到", "到", "以上", "上", "超过百", "过"]
    found = numbers.WordSet(words)

    def starting(text: str, i: int) -> str | None:
        return next((text[i:i + k] for k in found.lengths if text[i:i + k] in found.words and i + k <= len(text)),
                    None)

    def ending(text: str, i: int, lo: int) -> str | None:
        return next((text[i - k:i] for k in found.lengths if i - k >= lo and text[i - k:i] in found.words), None)

    for text in _random_texts("约大不到以上超过百 a", 5000, 13):
        for i in range(len(text) + 3):
            assert found.starting(text, i) == starting(text, i), (text, i)
            for lo in (0, 1, 2):
                assert found.ending(text, i, lo) == ending(text, i, lo), (text, i, lo)
