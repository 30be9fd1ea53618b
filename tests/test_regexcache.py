"""Regular expressions kept compiled between runs (govcase.regexcache): the same patterns as
re.compile's, and a damaged or foreign file is compiled again, never trusted."""
from __future__ import annotations

import marshal
import re

import pytest

from govcase import regexcache

PATTERNS = [
    (r"(?P<year>\d{4})年(?P<month>\d{1,2})月", 0),
    ("|".join(["街道办事处", "街道", "社区居委会", "社区", "居委会"]), 0),
    (r"[^\u4e00-\u9fff\s]+", 0),
    (r"(?<![\d.])\d+(?:\.\d+)?(?=[个户])", 0),
    (r"\bjan(?:uary)?\b", re.IGNORECASE),
    (r"(?x) a  b  # spaced", 0),
    (r"(x)|(?:y)(z)?", re.MULTILINE | re.DOTALL),
]
TEXT = "2023年10月，某街道社区加装电梯12个，3.5户 January jan AB ab x yz"


def _files(tmp_path):
    return sorted((tmp_path / "govcase" / "regex").iterdir())


@pytest.mark.parametrize("pattern, flags", PATTERNS)
def test_a_pattern_compiled_then_read_back_is_re_compiles(tmp_path, monkeypatch, pattern, flags):
    monkeypatch.setenv("XDG_CACHE_HOME", str(tmp_path))
    made, read, plain = regexcache.compile(pattern, flags), regexcache.compile(pattern, flags), re.compile(pattern, flags)
    assert len(_files(tmp_path)) == 1
    for pat in (made, read):
        assert pat == plain and pat.flags == plain.flags and pat.groups == plain.groups
        assert pat.groupindex == plain.groupindex
        assert [m.span() for m in pat.finditer(TEXT)] == [m.span() for m in plain.finditer(TEXT)]


@pytest.mark.parametrize("damage", [b"", b"not marshal", marshal.dumps((0, [1, 2, 3], 0, {}, (None,))),
                                    marshal.dumps(("a", "tuple", "of", "strings", "!"))])
def test_a_damaged_or_foreign_file_is_compiled_again(tmp_path, monkeypatch, damage):
    monkeypatch.setenv("XDG_CACHE_HOME", str(tmp_path))
    pattern = r"(?P<n>\d+)户"
    regexcache.compile(pattern)
    (path,) = _files(tmp_path)
    path.write_bytes(damage)
    assert regexcache.compile(pattern) == re.compile(pattern)
    assert regexcache.compile(pattern).search("共12户").group("n") == "12"
    assert path.read_bytes() != damage  # written again, whole


def test_patterns_differ_by_flags_and_a_bad_one_raises_as_re_does(tmp_path, monkeypatch):
    monkeypatch.setenv("XDG_CACHE_HOME", str(tmp_path))
    assert regexcache.compile("abc").search("ABC") is None
    assert regexcache.compile("abc", re.IGNORECASE).search("ABC") is not None
    assert len(_files(tmp_path)) == 2
    with pytest.raises(re.error):
        regexcache.compile("(unclosed")


def test_a_cache_folder_that_cannot_be_written_costs_only_the_compiling(tmp_path, monkeypatch):
    blocker = tmp_path / "file"
    blocker.write_text("a file where the cache folder would be")
    monkeypatch.setenv("XDG_CACHE_HOME", str(blocker))
    assert regexcache.compile(r"\d+号") == re.compile(r"\d+号")


def test_files_unread_for_keep_days_are_removed_when_one_is_written(tmp_path, monkeypatch):
    import os
    import time

    from govcase.diskcache import KEEP_DAYS

    monkeypatch.setenv("XDG_CACHE_HOME", str(tmp_path))
    monkeypatch.setattr(regexcache, "_written", 0)
    regexcache.compile("an old lexicon's word")
    (old,) = _files(tmp_path)
    then = time.time() - (KEEP_DAYS + 1) * 86400
    os.utime(old, (then, then))
    monkeypatch.setattr(regexcache, "_written", 0)  # the next write sweeps the folder
    regexcache.compile("a new one")
    assert not old.exists() and len(_files(tmp_path)) == 1


def test_the_folder_keeps_at_most_max_files_the_oldest_written_going_first(tmp_path, monkeypatch):
    import os
    import time

    monkeypatch.setenv("XDG_CACHE_HOME", str(tmp_path))
    monkeypatch.setattr(regexcache, "MAX_FILES", 8)
    for i in range(9):  # no sweep meanwhile (only every _PRUNE_EVERY writes)
        monkeypatch.setattr(regexcache, "_written", 1)
        regexcache.compile(f"word{i}")
    files = _files(tmp_path)
    for age, path in enumerate(files):  # make their ages known: the first oldest
        then = time.time() - 1000 + age
        os.utime(path, (then, then))
    monkeypatch.setattr(regexcache, "_written", 0)  # the next write sweeps
    regexcache.compile("the tenth")
    left = _files(tmp_path)
    assert len(left) == 8 * 3 // 4  # down to three quarters of MAX_FILES: the 4 oldest gone
    assert set(files[-5:]) <= set(left) and not set(files[:4]) & set(left)
