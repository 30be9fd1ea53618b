"""Guarded regexes find exactly what the plain ones find."""
from __future__ import annotations

import re

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from govcase.cleaning import lines, script
from govcase.cleaning.guarded import guarded_regex
from govcase.cleaning.resources import cue_regex, cues

CUE_KEYS = ["end_markers", "widgets", "footer_headings", "html_furniture"]


def _plain(key: str) -> re.Pattern[str]:
    """The phrases under ``key`` as one alternation, unguarded."""
    phrases = sorted(cues()[key], key=len, reverse=True)
    return re.compile("(?:" + "|".join(f"(?:{p})" for p in phrases) + ")", re.IGNORECASE)


def _spans(pattern: re.Pattern[str], text: str) -> list[tuple[int, int]]:
    return [match.span() for match in pattern.finditer(text)]


def test_a_pattern_is_guarded_by_the_characters_its_matches_begin_with() -> None:
    pattern = r"(?:ab|[x-z]c?|^q)d|(?<=\d)e*f"
    assert guarded_regex(pattern).pattern == f"(?=[aefqx-z])(?:{pattern})"


@pytest.mark.parametrize("pattern", [r"\w+", r".{2}x", r"a*", r"(?:ab)?", r"[^a]b", r"(?i:a)b"])
def test_patterns_that_may_begin_anywhere_or_match_nothing_are_left_alone(pattern: str) -> None:
    assert guarded_regex(pattern).pattern == pattern


@pytest.mark.parametrize("key", CUE_KEYS)
def test_cue_phrases_are_found_as_before(key: str) -> None:
    guarded = cue_regex(key)
    assert guarded.pattern.startswith("(?=[")
    for text in ["Copyright © 2023 某某网 版权所有", "COPYRIGHT", "ıcp备12345号 İCP证", "下载新闻APP 分享到：",
                 "【纠错】 关闭窗口 打印本页", "请扫码关注", "未经授权，禁止转载", "相关阅读：", "猜你喜欢"]:
        assert _spans(guarded, text) == _spans(_plain(key), text)


CUE_TEXT = st.text(alphabet="版权所有©CcOoPpYyRrIiGgHhTtıİKkſ备证转载禁止未经授权关注扫码请欢迎分享到字号大中小纠错【】[]:： \t完（）",
                   max_size=40)


@settings(max_examples=300, deadline=None)
@given(CUE_TEXT)
def test_guarded_end_markers_and_widgets_match_the_same_spans(text: str) -> None:
    for key in ("end_markers", "widgets"):
        assert _spans(cue_regex(key), text) == _spans(_plain(key), text)


def _unguarded(pattern: re.Pattern[str]) -> re.Pattern[str]:
    """The pattern guarded_regex was given (which fails when ``pattern`` has no guard)."""
    return re.compile(re.fullmatch(r"\(\?=\[(?:\\.|[^\]])*\]\)\(\?:(.*)\)", pattern.pattern)[1], pattern.flags)


LINE_TEXT = st.text(alphabet="。！？!?；;…….．”’」』)）]】\"'更多moreMORE>»查看全文 \t街道a1", max_size=30)


@settings(max_examples=300, deadline=None)
@given(LINE_TEXT)
def test_guarded_line_end_patterns_match_the_same_spans(text: str) -> None:
    for pattern in (lines.SENTENCE_END, lines._PERIOD_END, lines._TEASER):
        assert _spans(pattern, text) == _spans(_unguarded(pattern), text)
