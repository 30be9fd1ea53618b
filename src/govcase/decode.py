"""Bytes -> text: which codec a document is in, and decoding it (pure).

Order of evidence: a byte-order mark; for HTML the declared charset, when the
bytes really decode with it; strict UTF-8; then the candidates a Chinese
collection arrives in (GB18030, Big5, UTF-16 without BOM), scored by how much
of the decoded text is ordinary Chinese (``cleaning.hanzi.readability``).
charset-normalizer is not used: it is slower and, on short Chinese pages, no
better than this scoring; a wrong guess between GB18030 and Big5 costs the
whole article.
"""
from __future__ import annotations

import codecs
import re
from dataclasses import dataclass

from govcase.cleaning.hanzi import readability
from govcase.errors import RejectedDocument

MAX_BYTES = 20 * 1024 * 1024  # a news article is < 1 MB; 20 MB is surely not one
MAX_LINE_CHARS = 200_000  # longer than any paragraph; such a line is a dump, not an article
SAMPLE_BYTES = 64 * 1024  # enough text to score a codec; scoring the whole file is wasted time
MIN_READABILITY = 0.6  # below this no candidate codec gives Chinese (or ASCII) text
MAX_CONTROL_SHARE = 0.02  # text has almost no control bytes besides \t \n \r (UTF-16 aside)
MAX_REPLACED_SHARE = 0.01  # decoding may replace this share of characters, no more

_BOMS = (  # longest first: the UTF-32 LE mark starts with the UTF-16 LE one
    (codecs.BOM_UTF32_LE, "utf-32"),
    (codecs.BOM_UTF32_BE, "utf-32"),
    (codecs.BOM_UTF8, "utf-8-sig"),
    (codecs.BOM_UTF16_LE, "utf-16"),
    (codecs.BOM_UTF16_BE, "utf-16"),
)
_DECLARED = re.compile(rb"""<meta[^>]{0,200}?charset\s*=\s*["']?\s*([A-Za-z0-9_.:-]{2,40})""", re.IGNORECASE)
# declared names -> the codec that decodes what pages labelled so really contain
_ALIASES = {
    "gb2312": "gb18030", "gbk": "gb18030", "x-gbk": "gb18030", "cp936": "gb18030", "euc-cn": "gb18030",
    "gb_2312-80": "gb18030", "gb18030": "gb18030", "big5": "big5", "big-5": "big5", "x-x-big5": "big5",
    "cp950": "cp950", "big5-hkscs": "big5hkscs", "utf8": "utf-8", "utf-8": "utf-8", "unicode": "utf-16",
}
# codecs.lookup() names of codecs that reject invalid byte sequences (a single-byte codec never does)
_MULTIBYTE = {"gb18030", "big5", "cp950", "big5hkscs", "utf-8", "utf-16", "utf-32", "gbk", "gb2312", "euc_jp",
              "shift_jis", "euc_kr"}
_CANDIDATES = ("gb18030", "big5", "cp950", "utf-16-le", "utf-16-be")
_CONTROL = re.compile(rb"[\x00-\x08\x0b\x0e-\x1a\x1c-\x1f\x7f]")
# What no database column of text can hold: NUL (PostgreSQL refuses it) and lone surrogates
# (no UTF-8 encoder writes them). Both backends get the same text.
_UNSTORABLE = re.compile("[\x00\ud800-\udfff]")


@dataclass(frozen=True)
class Decoded:
    """Decoded text and what decoding had to give up."""

    text: str
    truncated: bool = False  # the bytes ended inside a multi-byte character; it was dropped
    replaced: int = 0  # characters replaced by U+FFFD elsewhere


def detect_encoding(data: bytes, media_type: str = "text") -> str:
    """The Python codec name ``data`` is written in.

    Raises RejectedDocument: ``too-large``, ``empty``, ``binary``,
    ``undecodable``, ``huge-line`` (a text line over MAX_LINE_CHARS).
    """
    check_size(data)
    encoding = _bom_encoding(data)
    if encoding is None and media_type == "html":
        encoding = _declared_encoding(data)
    if encoding is None:
        encoding = _sniff(data)
    if media_type != "html":  # minified HTML is one long line and still a page
        check_lines(data, encoding)
    return encoding


def storable(text: str) -> str:
    """``text`` without NULs, its lone surrogates as U+FFFD: what SQLite and PostgreSQL both store."""
    if not _UNSTORABLE.search(text):
        return text
    return _UNSTORABLE.sub(lambda m: "" if m.group() == "\x00" else "\ufffd", text)


def decode(data: bytes, encoding: str) -> str:
    """``data`` as text; see ``decode_text`` for what is reported besides the text."""
    return decode_text(data, encoding).text


def decode_text(data: bytes, encoding: str) -> Decoded:
    """Decode, dropping an incomplete character at the very end (``truncated``).

    A few undecodable bytes elsewhere become U+FFFD (``replaced``); more than
    MAX_REPLACED_SHARE of the text raises RejectedDocument("undecodable"). NULs are dropped
    (``storable``): a text with a few of them is still a text.
    """
    try:
        return Decoded(storable(data.decode(encoding)))
    except UnicodeDecodeError:
        pass
    except LookupError as exc:
        raise RejectedDocument("undecodable", f"unknown encoding {encoding!r}; pass a Python codec name") from exc
    full = data.decode(encoding, errors="replace")
    # an incremental decoder holds back an incomplete trailing sequence instead of replacing it
    held = codecs.getincrementaldecoder(encoding)(errors="replace").decode(data, final=False)
    truncated = len(full) > len(held) and full.startswith(held) and not full[len(held):].strip("\ufffd")
    text = held if truncated else full
    replaced = text.count("\ufffd")
    if _damaged_spots(text) > max(3, MAX_REPLACED_SHARE * len(text)):
        raise RejectedDocument("undecodable", f"{replaced} of {len(text)} characters do not decode as {encoding}")
    return Decoded(storable(text), truncated, replaced)


def check_size(data: bytes) -> None:
    if len(data) > MAX_BYTES:
        raise RejectedDocument("too-large", f"{len(data)} bytes; an article is far below {MAX_BYTES}")
    if not data.strip(b" \t\r\n\x0b\x0c") or data in {bom for bom, _ in _BOMS}:
        raise RejectedDocument("empty", "no content")


def check_lines(data: bytes, encoding: str) -> None:
    """Reject a document with a line longer than MAX_LINE_CHARS characters."""
    if len(data) <= MAX_LINE_CHARS:  # no line is longer than the document: nearly every one
        return
    longest = max(data.split(b"\n"), key=len)
    if len(longest) > MAX_LINE_CHARS:  # a character takes at least one byte: only then count characters
        chars = len(longest.decode(encoding, errors="replace"))
        if chars > MAX_LINE_CHARS:
            raise RejectedDocument("huge-line", f"a line of {chars} characters; split the dump into articles")


def _bom_encoding(data: bytes) -> str | None:
    for bom, name in _BOMS:
        if data.startswith(bom):
            return name
    return None


def _declared_encoding(data: bytes) -> str | None:
    """The charset a page declares, if the bytes decode with it (pages do lie)."""
    match = _DECLARED.search(data[:4096])
    if not match:
        return None
    name = match.group(1).decode("ascii").lower()
    name = _ALIASES.get(name, name)
    try:
        codecs.lookup(name)
    except LookupError:
        return None
    if name in ("big5", "cp950") and not _decodes(data, name):
        name = "big5hkscs" if _decodes(data, "big5hkscs") else "cp950"
    if not _decodes(data, name):
        return None
    if data.isascii():
        return "utf-8"
    if codecs.lookup(name).name not in _MULTIBYTE:
        # a single-byte codec decodes anything: believe it only when no Chinese codec reads better
        try:
            return _sniff(data)
        except RejectedDocument:
            return name
    if name != "utf-8" and _decodes(data, "utf-8"):
        # UTF-8 bytes often decode as GB18030 too (into nonsense): let the text decide
        sample = data[:SAMPLE_BYTES]
        if readability(sample.decode("utf-8", errors="replace")) >= readability(sample.decode(name, errors="replace")):
            return "utf-8"
    return name


def _decodes(data: bytes, encoding: str) -> bool:
    """Strict decoding succeeds, allowing only an incomplete character at the end."""
    try:
        data.decode(encoding)
        return True
    except UnicodeDecodeError as exc:
        return exc.end >= len(data) - 3 and exc.reason in ("unexpected end of data", "incomplete multibyte sequence")


_REPLACED_RUN = re.compile("\ufffd+")


def _damaged_spots(text: str) -> int:
    """Runs of U+FFFD: one bad byte inside a character replaces up to four characters, and
    is still one spot of damage."""
    return len(_REPLACED_RUN.findall(text)) if "\ufffd" in text else 0


def _mostly_utf8(data: bytes) -> bool:
    """UTF-8 with a few bad bytes: many valid multi-byte characters, few invalid sequences
    (text in another codec read as UTF-8 gives about as many invalid sequences as valid ones)."""
    text = data.decode("utf-8", errors="replace")
    bad = _damaged_spots(text) - _damaged_spots(data.decode("utf-8", errors="ignore"))
    wide = len(data) - len(text)  # bytes beyond the first of each multi-byte character, roughly
    return 0 < bad <= max(3, MAX_REPLACED_SHARE * len(text)) and wide >= 20 * bad


def _sniff(data: bytes) -> str:
    sample = data[:SAMPLE_BYTES]
    # a stray NUL or two is damage in a text; binary files have control bytes throughout
    binary = len(_CONTROL.findall(sample)) > MAX_CONTROL_SHARE * len(sample)
    if not binary and (_decodes(data, "utf-8") or _mostly_utf8(data)):
        return "utf-8"
    scores = {}
    for name in _CANDIDATES:
        if name.startswith("utf-16") and (b"\x00" not in sample and len(data) % 2):
            continue
        text = sample.decode(name, errors="replace")
        scores[name] = readability(text)
    best = max(scores, key=lambda name: (scores[name], -_CANDIDATES.index(name)))
    if best == "cp950" and scores["big5"] >= scores["cp950"]:
        best = "big5"
    if scores[best] >= MIN_READABILITY:
        return best
    if binary:
        raise RejectedDocument("binary", "NUL or control bytes throughout; not a text or HTML file")
    raise RejectedDocument("undecodable", f"no codec gives Chinese text (best {best} at {scores[best]:.2f})")
