"""Properties of the clean stage (hypothesis): idempotent, script conversion leaves simplified text alone."""
from __future__ import annotations

import hashlib
from pathlib import Path

import opencc
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from govcase.clean import clean, normalise
from govcase.cleaning.script import _script_chars, detect_script, to_simplified
from govcase.errors import RejectedDocument
from govcase.records import RawDocument


def _gb2312() -> str:
    """The 6763 characters of GB2312, the simplified standard."""
    chars = []
    for lead in range(0xB0, 0xF8):
        for trail in range(0xA1, 0xFF):
            try:
                chars.append(bytes([lead, trail]).decode("gb2312"))
            except UnicodeDecodeError:
                pass
    return "".join(chars)


GB2312 = _gb2312()
# nine GB2312 characters are also traditional-only forms to OpenCC (後, 菸, 摺 ...); a text of them is
# not simplified in any useful sense, and they are left out
SIMPLIFIED_CHARS = "".join(c for c in GB2312 if not _script_chars()[0].match(c))
SIMPLIFIED_TEXT = st.text(alphabet=SIMPLIFIED_CHARS + "，。、；：？！“”（）《》0123456789 \n", max_size=200)


@settings(max_examples=200, deadline=None)
@given(SIMPLIFIED_TEXT)
def test_conversion_never_changes_a_simplified_text(text: str) -> None:
    assert detect_script(text) == "simplified"
    assert to_simplified(text, detect_script(text)) == text


COMMON = GB2312[:3755]  # level 1: the characters of everyday text


@settings(max_examples=200, deadline=None)
@given(st.text(alphabet=COMMON + "，。、；：？！“”（）", min_size=1, max_size=200))
def test_normalising_an_ordinary_simplified_text_changes_nothing(text: str) -> None:
    """No gloss, no mojibake, no traditional form: script, repair and width leave it as it is."""
    assert normalise(text).text == text


SENTENCES = [
    "社区党委牵头建立三方联动机制，多次召开联动会议，协调解决小区停车难题。",
    "居民王阿姨说：“以前上下楼太难了，现在方便多了。”",
    "截至目前，该街道已完成老旧小区改造12个，惠及居民3000余户。",
    "龙潭街道以向龙社区整体营造为主要抓手，新增停车位100余个。",
    "下一步，街道将继续深化党建引领，推动基层治理现代化。",
]
_S2T = opencc.OpenCC("s2t")
GLOSSES = {"区": "區(qū)", "网": "網(wǎng)", "现": "現(xiàn)"}
FURNITURE = ["首页 | 新闻 | 民生 | 区镇", "猜你喜欢", "版权所有 © 2012-2025 某某网", "责任编辑：李娜", "扫码阅读手机版",
             "来源：社区观察 2023-05-11 23:02", "先服务后治理", "听新闻"]


def _traditional(sentence: str) -> str:
    text = _S2T.convert(sentence)
    for simple, glossed in GLOSSES.items():
        text = text.replace(_S2T.convert(simple), glossed)
    return text


PARAGRAPH = st.lists(st.sampled_from(SENTENCES), min_size=1, max_size=3).map("".join)
LINE = st.one_of(PARAGRAPH, PARAGRAPH.map(_traditional), st.sampled_from(FURNITURE))


def _raw(text: str, media_type: str = "text") -> RawDocument:
    data = text.encode("utf-8")
    return RawDocument("t.txt", data, media_type, hashlib.sha256(data).hexdigest())


@settings(max_examples=80, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(st.lists(LINE, min_size=1, max_size=10), st.sampled_from(["\n", "\n\n"]))
def test_cleaning_a_clean_body_again_gives_the_same_body(lines: list[str], joiner: str) -> None:
    """Whatever a page mixes (traditional text with glosses, furniture), its clean body is a fixed point."""
    try:
        body = clean(_raw(joiner.join(lines))).body
    except RejectedDocument:
        return
    assert clean(_raw(body)).body == body
    assert detect_script(body) == "simplified"


_TSPHRASES = [line.split("\t")[0] for line in
              (Path(opencc.__file__).parent / "dictionary" / "TSPhrases.txt").read_text(encoding="utf-8").splitlines()]
_T2S = opencc.OpenCC("t2s")
TRADITIONAL_PIECE = st.one_of(
    st.sampled_from(_TSPHRASES),  # phrases OpenCC converts as a whole (乾隆 keeps its 乾)
    st.sampled_from(_TSPHRASES).map(lambda p: p[:len(p) // 2 + 1]),  # and the start of one
    st.text(alphabet=_S2T.convert(COMMON[:800]) + COMMON[:200], min_size=1, max_size=8),
    st.sampled_from([" ", "\n", "，", "。", "-", ".", "「", "」", "　", "?", "—", "ab", "12"]),
)


@settings(max_examples=300, deadline=None)
@given(st.lists(TRADITIONAL_PIECE, max_size=30).map("".join))
def test_conversion_to_simplified_is_opencc_t2s(text: str) -> None:
    """to_simplified converts phrase-free segments with str.translate: the result is still OpenCC's."""
    assert to_simplified(text, "traditional") == _T2S.convert(text)
