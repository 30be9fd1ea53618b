"""The clean stage's faster pattern forms find exactly what the forms they replaced found.

Patterns that began with a lookbehind now begin with the character they look for (re
then skips to it in one scan); lists of patterns became one alternation; some results
are now found rather than left over. Each is checked against its former form.
"""
from __future__ import annotations

import re

from hypothesis import given, settings
from hypothesis import strategies as st

from govcase.cleaning import boilerplate, hanzi, html, lines, mojibake, script
from govcase.cleaning.hanzi import HAN
from govcase.cleaning.resources import cue_regex, cues

_GLOSS_BEFORE = re.compile(rf"(?<=[^\s(（])[(（]{script._PINYIN}[)）]")
_BROKEN_GLOSS_BEFORE = re.compile(rf"(?<=\?){script._PINYIN}\)")
_ASCII_IN_HAN_BEFORE = re.compile(f"(?<=[{HAN}])[@-Z\\[-~](?=[{HAN}])")
_AFTER_LOST_BEFORE = re.compile(f"(?<=[{HAN}]\\?)[{HAN}]")
_SPACES_BEFORE = re.compile(r"[ \t\u00a0\u2002-\u200a\u3000\u202f\u205f]+")


def _starts(pattern: re.Pattern[str], text: str) -> list[int]:
    return [match.start() for match in pattern.finditer(text)]


@settings(max_examples=300, deadline=None)
@given(st.text(alphabet="區域(（)）qūzhíabü? \n", max_size=30))
def test_glosses_are_removed_as_the_lookbehind_patterns_removed_them(text: str) -> None:
    assert [m.span() for m in script.GLOSS.finditer(text)] == [m.span() for m in _GLOSS_BEFORE.finditer(text)]
    assert script.remove_glosses(text) == _BROKEN_GLOSS_BEFORE.sub("", _GLOSS_BEFORE.sub("", text))


@settings(max_examples=300, deadline=None)
@given(st.text(alphabet="端罗r貿民?生@~[Z 1。\n", max_size=30))
def test_mojibake_suspects_are_found_as_the_lookbehind_patterns_found_them(text: str) -> None:
    assert _starts(mojibake._ASCII_IN_HAN, text) == _starts(_ASCII_IN_HAN_BEFORE, text)
    assert [m.end() for m in mojibake._LOST_MARK.finditer(text)] == _starts(_AFTER_LOST_BEFORE, text)


@settings(max_examples=300, deadline=None)
@given(st.text(alphabet="街道 \t\u00a0\u3000\u2009\u200b\n", max_size=30))
def test_a_single_space_left_alone_gives_the_same_text(text: str) -> None:
    assert script.normalize_spaces(text) == _SPACES_BEFORE.sub(" ", script._INVISIBLE.sub("", text))


@settings(max_examples=300, deadline=None)
@given(st.text(alphabet="街道㐀豈a1_ -，。é٣\t", max_size=30))
def test_counting_and_keys_found_rather_than_left_over(text: str) -> None:
    assert hanzi.han_count(text) == len(re.sub(f"[^{HAN}]+", "", text))
    assert boilerplate._key(text) == boilerplate._KEY.sub("", text)


@settings(max_examples=300, deadline=None)
@given(st.text(alphabet="新闻发布2023-1 2:05.…٣\n", max_size=30))
def test_a_dated_item_is_tried_only_when_it_ends_with_a_digit(text: str) -> None:
    assert bool(lines._dated_item(text)) == bool(lines._DATED_ITEM.match(text))


def test_one_alternation_finds_a_caption_where_one_of_its_patterns_did() -> None:
    patterns = [re.compile(p, re.IGNORECASE) for p in cues()["captions"]]
    for text in ["（资料图）", "配图", "图片：新华社", "图片为资料图", "某某街道的居民 记者 张三 摄",
                 "居民在广场上跳舞。", "图：", "组图 ", "[视频]某某"]:
        assert bool(lines._patterns()["captions"].search(text)) == any(p.search(text) for p in patterns)


def _covered_by_tries(text: str, pattern: re.Pattern[str]) -> bool:
    """lines._covered as it was: one anchored try per leading position."""
    first = next((i for i in range(min(len(text), lines.WIDGET_SLACK + 1)) if pattern.match(text, i)), None)
    if first is None:
        return False
    covered = sum(len(match.group()) for match in pattern.finditer(text, first))
    return covered > 0 and len(text) - covered <= min(lines.WIDGET_SLACK, covered)


@settings(max_examples=500, deadline=None)
@given(st.text(alphabet="分享到扫一扫纠错【】完()#热点 打印本页关闭窗口app新闻客户端订阅x1", max_size=24))
def test_widget_lines_are_found_by_one_match_as_by_a_try_per_position(text: str) -> None:
    widgets = cue_regex("widgets")
    assert lines._covered(text, widgets) == _covered_by_tries(text, widgets)


def test_a_widget_phrase_a_few_characters_in_covers_the_line() -> None:
    widgets = cue_regex("widgets")
    assert lines._covered("更多 分享到 扫一扫", widgets) == _covered_by_tries("更多 分享到 扫一扫", widgets) is True
    assert lines._covered("居民们在街道分享到了经验", widgets) is False


@settings(max_examples=300, deadline=None)
@given(st.text(alphabet="街道 \t\n\u00a0\u3000x", max_size=30))
def test_html_lines_lose_the_same_spaces_when_single_spaces_are_left_alone(text: str) -> None:
    assert html._SPACE_RUNS.sub(" ", text) == html._SPACES.sub(" ", text)


@settings(max_examples=500, deadline=None)
@given(st.text(alphabet="阅读全文更多MoRe.…>» \t\n街道1。-•", max_size=20))
def test_teasers_and_bullets_are_tried_only_where_they_can_match(text: str) -> None:
    assert bool(lines._teaser(text)) == bool(lines._TEASER.search(text))
    assert lines.classify(text).bulleted == bool(lines._BULLET.match(text.strip()) and
                                                 lines._BULLET.sub("", text.strip(), count=1).strip())
