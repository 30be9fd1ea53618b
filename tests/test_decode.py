"""govcase.decode: which codec, and decoding with what was lost reported."""
from __future__ import annotations

import codecs
import random

import opencc
import pytest

from govcase import decode as decode_module
from govcase.decode import decode, decode_text, detect_encoding
from govcase.errors import RejectedDocument

SIMPLIFIED = (
    "徐汇区天平街道党工委全面践行人民城市理念，用调研“把脉”群众最关心的顽瘴痼疾，"
    "不断提升康平、梧桐和嘉澜三大网格的社区治理效能。\n"
    "小区加装电梯已成功投入使用5台，签约14台，探索出了一条党建引领居民自治的新路子。\n"
)
TRADITIONAL = opencc.OpenCC("s2tw").convert(SIMPLIFIED)  # Taiwan forms: what Big5 can encode


@pytest.mark.parametrize(
    ("data", "expected"),
    [
        (SIMPLIFIED.encode("utf-8"), "utf-8"),
        (codecs.BOM_UTF8 + SIMPLIFIED.encode("utf-8"), "utf-8-sig"),
        (SIMPLIFIED.encode("utf-16"), "utf-16"),  # with its BOM
        (SIMPLIFIED.encode("utf-16-le"), "utf-16-le"),
        (SIMPLIFIED.encode("utf-16-be"), "utf-16-be"),
        (SIMPLIFIED.encode("utf-32"), "utf-32"),
        (SIMPLIFIED.encode("gb18030"), "gb18030"),
        (SIMPLIFIED.encode("gbk"), "gb18030"),
        (TRADITIONAL.encode("big5"), "big5"),
        (TRADITIONAL.encode("gb18030"), "gb18030"),
        (b"plain ASCII text\n", "utf-8"),
    ],
)
def test_detect_encoding_of_chinese_text(data: bytes, expected: str) -> None:
    encoding = detect_encoding(data, "text")
    assert encoding == expected
    assert decode(data, encoding).lstrip("\ufeff") in (SIMPLIFIED, TRADITIONAL, "plain ASCII text\n")


def test_short_gbk_and_big5_lines_are_told_apart() -> None:
    assert detect_encoding("社区治理".encode("gbk"), "text") == "gb18030"
    assert detect_encoding("社區治理".encode("big5"), "text") == "big5"


def _page(charset: str, body: str) -> str:
    return f"<html><head><meta charset='{charset}'><title>t</title></head><body><p>{body}</p></body></html>"


def test_html_declared_charset_is_used_when_the_bytes_agree() -> None:
    data = _page("gb2312", SIMPLIFIED).encode("gbk")
    assert detect_encoding(data, "html") == "gb18030"
    http_equiv = f'<meta http-equiv="Content-Type" content="text/html; charset=big5"><p>{TRADITIONAL}</p>'
    assert detect_encoding(http_equiv.encode("big5"), "html") == "big5"


def test_html_declared_charset_that_lies_is_overruled() -> None:
    assert detect_encoding(_page("utf-8", SIMPLIFIED).encode("gbk"), "html") == "gb18030"
    assert detect_encoding(_page("gbk", SIMPLIFIED).encode("utf-8"), "html") == "utf-8"
    assert detect_encoding(_page("iso-8859-1", SIMPLIFIED).encode("gbk"), "html") == "gb18030"


def test_minified_html_is_not_a_huge_line() -> None:
    data = ("<p>" + SIMPLIFIED.replace("\n", "") + "</p>") * 3000
    assert len(data) > decode_module.MAX_LINE_CHARS
    assert detect_encoding(data.encode("utf-8"), "html") == "utf-8"


@pytest.mark.parametrize(
    ("data", "reason"),
    [
        (b"", "empty"),
        (b" \r\n\t\n", "empty"),
        (codecs.BOM_UTF8, "empty"),
        (random.Random(7).randbytes(4096), "binary"),
        (("社区" * 150_000).encode("utf-8"), "huge-line"),
        (bytes(range(0x80, 0x100)) * 40, "undecodable"),
    ],
)
def test_rejects(data: bytes, reason: str) -> None:
    with pytest.raises(RejectedDocument) as caught:
        detect_encoding(data, "text")
    assert caught.value.reason == reason


def test_too_large(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(decode_module, "MAX_BYTES", 1000)
    with pytest.raises(RejectedDocument) as caught:
        detect_encoding(SIMPLIFIED.encode("utf-8") * 20, "text")
    assert caught.value.reason == "too-large"


@pytest.mark.parametrize("encoding", ["utf-8", "gb18030", "utf-16-le"])
def test_truncated_last_character_is_dropped_and_reported(encoding: str) -> None:
    data = SIMPLIFIED.rstrip("\n").encode(encoding)[:-1]
    assert detect_encoding(data, "text") == encoding
    decoded = decode_text(data, encoding)
    assert decoded.truncated
    assert "\ufffd" not in decoded.text
    assert SIMPLIFIED.rstrip("\n").startswith(decoded.text)
    assert decoded.text == decode(data, encoding)


def test_a_few_bad_bytes_are_replaced_and_counted() -> None:
    data = SIMPLIFIED.encode("utf-8") * 5
    at = data.index(b"\n") + 1  # between two characters
    data = data[:at] + b"\xff" + data[at:]
    decoded = decode_text(data, "utf-8")
    assert decoded.replaced == 1 and not decoded.truncated


def test_many_bad_bytes_are_undecodable() -> None:
    with pytest.raises(RejectedDocument) as caught:
        decode_text(SIMPLIFIED.encode("gbk"), "utf-8")
    assert caught.value.reason == "undecodable"


def test_unknown_codec_name() -> None:
    with pytest.raises(RejectedDocument) as caught:
        decode_text(b"abc\xff", "no-such-codec")
    assert caught.value.reason == "undecodable"
