"""Repair GBK byte-shift mojibake: 龍?督值 -> 龍?街道.

Flags: ``mojibake-repaired`` (a run was re-read), ``mojibake-lost-bytes`` (a character whose
bytes are gone is marked "?" in the text: 龍?街道 is 龍潭街道; the place resolver matches such
names), ``mojibake-unrepaired`` (damage was seen and left as it is).

When one byte of a GBK/GB18030 text is lost, every later double-byte
character is read one byte out of step (its trail byte with the next lead
byte) until an ASCII byte puts the reader back in step. The result is a run
of valid but rare characters. Re-encoding the run gives the bytes back; a
decoder that may drop a byte wherever that helps (a lowest-cost path over
byte positions, the cost of a character being -log of its frequency) reads
them in step again. A run is replaced only when the new reading is far more
likely than the old one, so ordinary text with a rare name is left alone.
"""
from __future__ import annotations

import re
from functools import lru_cache

from govcase import regexcache
from govcase.cleaning.hanzi import (
    HAN, char_cost, known_chars, rare_char_spans, unknown_char_spans, unusual_chars,
)

# what a run of shifted GBK can contain: Han, other double-byte GBK symbols (kana,
# box drawing, Greek, Cyrillic, full-width forms) and the ASCII bytes 0x40-0x7E that
# GBK uses as trail bytes. Whitespace, digits, ASCII and Chinese punctuation end a run.
_RUN_CHARS = f"{HAN}\u0391-\u03c9\u0401-\u0451\u2460-\u2642\u3041-\u30ff\u3105-\u3129\uff21-\uff5a@-~"
_RUN = regexcache.compile(f"[{_RUN_CHARS}]+")
_NOT_RUN = regexcache.compile(f"[^{_RUN_CHARS}]")
# Both begin with the character they look for, their lookbehinds after it: re then skips to
# the candidates (an ASCII letter, a "?") in one fast scan instead of trying the lookbehind at
# every position of the text (the two took a third of repair_mojibake's time on c1000).
_ASCII_IN_HAN = regexcache.compile(f"[@-~](?<=[{HAN}][@-~])(?=[{HAN}])")  # a lone trail byte: 端罗r貿
_LOST_MARK = regexcache.compile(f"\\?(?<=[{HAN}]\\?)(?=[{HAN}])")  # a "?" for a lost byte; the character after it is suspect
SKIP_COST = 12.0  # cost of declaring a byte lost: about a character of frequency 1/160000
EDGE_SKIP_COST = 2.0  # ... next to a "?" that already marks a lost byte: that loss is known
ASCII_COST = 10.0  # an ASCII letter between Chinese characters is rare in running text
# a character outside GB2312 and its traditional forms, in a run being re-read, is likelier two
# damaged bytes (marked lost) than a character: 民蒷?貫 is 民生貫 with 生's trail byte gone
UNKNOWN_PAIR_COST = 2 * SKIP_COST + 1.0
MARGIN = 10.0  # the repaired reading must be cheaper by this much: e^10, some 20000 times more likely
MARGIN_AFTER_LOST = 5.0  # ... or by this much when the run starts at a "?" and its first byte is the one lost
PUNCT_COST = 4.0  # ，。、 and the like: about one character in twenty of running text
_COMMON_PUNCT = frozenset("，。、；：？！“”‘’（）《》【】…—·")
WINDOW = 8  # characters either side of a suspect one that the decoder re-reads
RESIDUE_GAP = 6  # unknown characters this close together are left-over mojibake, not a rare name
LOST = "\x00"  # marks a dropped byte in the decoder's output until it becomes "?"


def repair_mojibake(text: str) -> tuple[str, tuple[str, ...]]:
    """Text with shifted-GBK runs re-read in step, and the flags that say what happened."""
    rare = [m.start() for m in rare_char_spans(text)]
    if not rare and "?" not in text and not _ASCII_IN_HAN.search(text):
        return text, ()
    repaired = unrepaired = lost = False
    out, last = [], 0
    for start, end in _windows(text, rare):
        window = text[start:end]
        before = text[start - 1] if start else ""
        after = text[end] if end < len(text) else ""
        fixed = _reread(window, before == "?", after == "?")
        if fixed is None:
            # several unusual characters in a row with no better reading: probably damage left behind
            unrepaired = unrepaired or _looks_garbled(window)
            continue
        out.append(text[last:start])
        out.append(_mark_lost(fixed, before, after))
        last = end
        repaired = True
        lost = lost or LOST in fixed
    out.append(text[last:])
    if repaired:
        text = "".join(out)
        unknown = [m.start() for m in unknown_char_spans(text)]
    else:  # the text as it came: its unknown characters are among its rare ones
        known = known_chars()
        unknown = [at for at in rare if text[at] not in known]
    unrepaired = unrepaired or _residue(unknown)
    flags = (("mojibake-repaired",) if repaired else ()) + (("mojibake-lost-bytes",) if lost else ()) + \
        (("mojibake-unrepaired",) if unrepaired else ())
    return text, flags


def _residue(positions: list[int]) -> bool:
    """Two characters outside GB2312 (and its traditional forms) close together (at ``positions``,
    ascending): damage left in the text."""
    return any(b - a <= RESIDUE_GAP for a, b in zip(positions, positions[1:]))


def _suspects(text: str, rare: list[int]) -> list[int]:
    """Positions where a shifted run may be: rare characters, a lone ASCII letter between
    characters (a trail byte read alone: 端罗r貿), the character after a "?" that marks a lost byte.

    Common characters alone can be shifted GBK too (寺農 read out of step is 端罗r); these
    signs are what gives such a run away.
    """
    found = set(rare)  # rare: the positions of the rare characters
    found.update(m.start() for m in _ASCII_IN_HAN.finditer(text))
    if "?" in text:
        found.update(m.end() for m in _LOST_MARK.finditer(text))
    return sorted(found)


def _windows(text: str, rare: list[int]) -> list[tuple[int, int]]:
    """Spans of text around suspect characters, within one run, WINDOW characters either side.

    Re-reading only these keeps the decoder off the long stretches of ordinary text; only
    the runs that hold a suspect are looked for (a page has thousands of runs, a few suspects).
    """
    spans: list[tuple[int, int]] = []
    run_start = run_end = 0
    backwards = None  # the text reversed, to find where a run starts
    for at in _suspects(text, rare):
        if not run_start <= at < run_end:
            run = _RUN.match(text, at)
            if run is None:  # not in a run: nothing to re-read
                continue
            if backwards is None:
                backwards = text[::-1]
            before = _NOT_RUN.search(backwards, len(text) - 1 - at)
            run_start, run_end = (len(text) - before.start() if before else 0), run.end()
        start, end = max(run_start, at - WINDOW), min(run_end, at + WINDOW + 1)
        if spans and start <= spans[-1][1] and spans[-1][0] >= run_start:
            spans[-1] = (spans[-1][0], max(end, spans[-1][1]))
        else:
            spans.append((start, end))
    return spans


# A site repeats its furniture and a crawl its stories, and with them the rare characters that
# send a window of text to the decoder: over 1,500 c5000 articles 7,142 windows were re-read, 99
# of them distinct. Remembering 4,096 readings (about 1 MB) halves repair_mojibake's time there.
REMEMBERED_READINGS = 4096


@lru_cache(maxsize=REMEMBERED_READINGS)  # the windows that are not re-read repeat as much as those that are
def _looks_garbled(run: str) -> bool:
    unusual = unusual_chars(run)
    return len(unusual) >= 3 and len(unusual) >= 0.4 * len(run)


@lru_cache(maxsize=REMEMBERED_READINGS)
def _reread(run: str, lost_before: bool, lost_after: bool) -> str | None:
    """The cheapest in-step reading of ``run``'s GBK bytes, if it is much cheaper than ``run``.

    ``lost_before``/``lost_after``: a "?" stands next to the run, so a byte is known to be lost there.
    """
    try:
        data = run.encode("gbk")
    except UnicodeEncodeError:
        return None
    old_cost = sum(_cost(c) for c in run)
    best, new_cost = _cheapest_reading(data, EDGE_SKIP_COST if lost_before else SKIP_COST,
                                       EDGE_SKIP_COST if lost_after else SKIP_COST)
    margin = MARGIN_AFTER_LOST if lost_before and best.startswith(LOST) else MARGIN
    if best == run or new_cost > old_cost - margin:
        return None
    # the new reading must read as Chinese, not just be less bad
    if len(unusual_chars(best.replace(LOST, ""))) * 2 > len(unusual_chars(run)):
        return None
    return best


def _cost(char: str) -> float:
    cost = _costs().get(char)
    return char_cost(char) if cost is None else cost


@lru_cache(maxsize=None)
def _costs() -> dict[str, float]:
    """The cost of each character with a known one: ASCII, then common punctuation, then the table's."""
    costs = dict(known_chars())
    costs.update(dict.fromkeys(_COMMON_PUNCT, PUNCT_COST))
    costs.update(dict.fromkeys(map(chr, range(0x80)), ASCII_COST))
    return costs


def _pair_cost(char: str) -> float:
    if char in known_chars() or char in _COMMON_PUNCT:
        return _cost(char)
    return UNKNOWN_PAIR_COST


def _cheapest_reading(data: bytes, first_skip: float = SKIP_COST, last_skip: float = SKIP_COST) -> tuple[str, float]:
    """Lowest-cost decoding of ``data`` where any byte may be dropped (dynamic programming).

    ``first_skip``/``last_skip`` are the costs of dropping the first/last byte.
    """
    n = len(data)
    inf = float("inf")
    cost = [0.0] + [inf] * n
    back: list[tuple[int, str]] = [(0, "")] * (n + 1)
    # the steps from byte i, in this order (a tie keeps the first): drop the byte, read it as
    # ASCII, or read it with the next byte as a double-byte character
    for i in range(n):
        here = cost[i]
        if here == inf:
            continue
        byte = data[i]
        step = here + (first_skip if i == 0 else last_skip if i == n - 1 else SKIP_COST)
        if step < cost[i + 1]:
            cost[i + 1] = step
            back[i + 1] = (i, LOST)
        if byte < 0x80:
            # a letter right after a lead byte is likelier that lead byte's damaged trail byte (民裆l碡)
            lone = 0x40 <= byte <= 0x7E and i and data[i - 1] >= 0x81
            step = here + (SKIP_COST + 1.0 if lone else ASCII_COST)
            if step < cost[i + 1]:
                cost[i + 1] = step
                back[i + 1] = (i, chr(byte))
        elif i + 1 < n and 0x81 <= byte <= 0xFE and 0x40 <= data[i + 1] <= 0xFE and data[i + 1] != 0x7F:
            pair = _pair(data[i:i + 2])
            if pair and here + pair[1] < cost[i + 2]:
                cost[i + 2] = here + pair[1]
                back[i + 2] = (i, pair[0])
    chars, j = [], n
    while j:
        i, char = back[j]
        chars.append(char)
        j = i
    return "".join(reversed(chars)), cost[n]


@lru_cache(maxsize=65536)
def _pair(two: bytes) -> tuple[str, float] | None:
    """A GBK double-byte character and its cost, or None when the bytes are not one."""
    try:
        char = two.decode("gbk")
    except UnicodeDecodeError:
        return None
    return char, _pair_cost(char)


def _mark_lost(fixed: str, before: str, after: str) -> str:
    """A dropped byte is a lost character: write "?" unless a "?" already stands for it."""
    fixed = re.sub(f"{LOST}+", LOST, fixed)
    if fixed.startswith(LOST) and before == "?":
        fixed = fixed[1:]
    if fixed.endswith(LOST) and after == "?":
        fixed = fixed[:-1]
    return fixed.replace(LOST, "?")
