"""Built data cached per version: read back the same, other versions kept, old files pruned."""
from __future__ import annotations

import os
import pickle
import time
from pathlib import Path

import pytest

from govcase import diskcache
from govcase.placenames.gazetteer import NationalGazetteer, _parse, gazetteer_path, load_gazetteer
from govcase.settings import default_data_dir


def test_a_value_is_built_once_then_read_back(tmp_path, monkeypatch):
    monkeypatch.setenv("XDG_CACHE_HOME", str(tmp_path))
    builds = []
    build = lambda: builds.append(1) or {"a": (1, 2)}  # noqa: E731
    assert diskcache.cached("thing", b"v1", build, dict) == {"a": (1, 2)}
    assert diskcache.cached("thing", b"v1", build, dict) == {"a": (1, 2)}
    assert len(builds) == 1


def test_other_versions_are_kept_and_long_unread_ones_pruned(tmp_path, monkeypatch):
    monkeypatch.setenv("XDG_CACHE_HOME", str(tmp_path))
    diskcache.cached("thing", b"checkout one", lambda: {"one": 1}, dict)
    (one,) = (tmp_path / "govcase").glob("thing-*.pickle")
    diskcache.cached("thing", b"checkout two", lambda: {"two": 2}, dict)
    assert len(list((tmp_path / "govcase").glob("thing-*.pickle"))) == 2  # neither deletes the other
    assert diskcache.cached("thing", b"checkout one", lambda: {"rebuilt": 1}, dict) == {"one": 1}
    old = time.time() - (diskcache.KEEP_DAYS + 1) * 86400
    os.utime(one, (old, old))
    diskcache.cached("thing", b"checkout three", lambda: {"three": 3}, dict)
    assert not one.exists() and len(list((tmp_path / "govcase").glob("thing-*.pickle"))) == 2


def test_a_damaged_or_foreign_file_is_rebuilt(tmp_path, monkeypatch):
    monkeypatch.setenv("XDG_CACHE_HOME", str(tmp_path))
    diskcache.cached("thing", b"k", lambda: {"x": 1}, dict)
    (path,) = (tmp_path / "govcase").glob("thing-*.pickle")
    path.write_bytes(b"not a pickle")
    assert diskcache.cached("thing", b"k", lambda: {"x": 2}, dict) == {"x": 2}
    assert diskcache.cached("thing", b"k", lambda: ["a list"], list) == ["a list"]  # a dict is not a list


def test_the_gazetteer_read_back_from_the_cache_finds_the_same(tmp_path, monkeypatch):
    monkeypatch.setenv("XDG_CACHE_HOME", str(tmp_path))
    path = gazetteer_path(default_data_dir())
    load_gazetteer.cache_clear()
    try:
        load_gazetteer(path)  # parsed and cached
        load_gazetteer.cache_clear()
        cached, parsed = load_gazetteer(path), _parse(path)
        assert isinstance(cached, NationalGazetteer) and cached is not parsed
        assert cached.units == parsed.units and cached.keys == parsed.keys and cached.children == parsed.children
        for name, level in (("徐汇区", "district"), ("天平路街道", "street"), ("成华区", "district")):
            assert cached.find(name, level) == parsed.find(name, level) != []
    finally:
        load_gazetteer.cache_clear()


FIXTURE = Path(__file__).parent / "fixtures" / "gazetteer-fixture.tsv"


def _only_cache(folder: Path) -> Path:
    (path,) = (folder / "govcase").glob("gazetteer-*.pickle")
    return path


def test_the_gazetteer_cache_follows_the_file(tmp_path, monkeypatch):
    """An edited gazetteer is parsed again (its cache is keyed by the file's content), and the
    cached copy of each version answers as that version does."""
    monkeypatch.setenv("XDG_CACHE_HOME", str(tmp_path / "cache"))
    path = tmp_path / "gazetteer.tsv"
    path.write_text(FIXTURE.read_text(encoding="utf-8"), encoding="utf-8")
    load_gazetteer.cache_clear()
    try:
        assert load_gazetteer(path).find("天平路街道", "street")
        text = path.read_text(encoding="utf-8").replace("天平路街道", "天平新街道")
        path.write_text(text, encoding="utf-8")
        load_gazetteer.cache_clear()
        edited = load_gazetteer(path)
        assert not edited.find("天平路街道", "street") and edited.find("天平新街道", "street")
        assert len(list((tmp_path / "cache" / "govcase").glob("gazetteer-*.pickle"))) == 2
        load_gazetteer.cache_clear()
        again = load_gazetteer(path)  # read back from the second file
        assert again.units == edited.units and again.keys == edited.keys
    finally:
        load_gazetteer.cache_clear()


@pytest.mark.parametrize("damage", ["truncated", "garbage", "old state"])
def test_a_damaged_gazetteer_cache_is_parsed_again_not_trusted(tmp_path, monkeypatch, damage):
    monkeypatch.setenv("XDG_CACHE_HOME", str(tmp_path))
    load_gazetteer.cache_clear()
    try:
        parsed = load_gazetteer(FIXTURE)
        cache = _only_cache(tmp_path)
        if damage == "truncated":
            cache.write_bytes(cache.read_bytes()[: cache.stat().st_size // 2])
        elif damage == "garbage":
            cache.write_bytes(b"\x80\x05" + bytes(range(256)) * 10)
        else:  # a file another layout wrote under this key: its fields are not this module's
            state = parsed.__getstate__()
            state["_blocks"] = state.pop("_blob")
            cache.write_bytes(pickle.dumps(_Raw(state)))
        load_gazetteer.cache_clear()
        read = load_gazetteer(FIXTURE)
        assert read.units == parsed.units and read.keys == parsed.keys and read._blob == parsed._blob
        street = next(code for code, unit in read.units.items() if unit.level == "street" and unit.nbs)
        assert read.communities(street) == parsed.communities(street) != ()
        assert pickle.loads(_only_cache(tmp_path).read_bytes()).keys == parsed.keys  # written again, whole
    finally:
        load_gazetteer.cache_clear()


class _Raw:
    """Pickles as a NationalGazetteer with the given state."""

    def __init__(self, state: dict):
        self.state = state

    def __reduce__(self):
        return NationalGazetteer.__new__, (NationalGazetteer,), self.state


def test_the_codebook_read_back_from_the_cache_needs_no_yaml_and_follows_the_file(tmp_path):
    import subprocess
    import sys

    from govcase.codebook import DEFAULT_PATH

    book = tmp_path / "codebook.yaml"
    book.write_bytes(DEFAULT_PATH.read_bytes())
    code = ("import sys; from pathlib import Path; from govcase.codebook import load_codebook, _parsed; "
            f"p = Path({str(book)!r}); b = load_codebook(p); parsed = 'yaml' in sys.modules; "
            "print(parsed, b == _parsed(p), 'zz_test' in b.measures)")
    env = {**os.environ, "XDG_CACHE_HOME": str(tmp_path / "cache")}

    def run() -> list[str]:
        return subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True,
                              env=env).stdout.split()

    assert run() == ["True", "True", "False"]  # parsed, and kept
    assert run() == ["False", "True", "False"]  # read back: no YAML parser, the same codebook
    book.write_text(book.read_text(encoding="utf-8").replace("measures:\n", "measures:\n  zz_test:\n    zh: 测试\n", 1),
                    encoding="utf-8")
    assert run() == ["True", "True", "True"]  # edited: parsed again
