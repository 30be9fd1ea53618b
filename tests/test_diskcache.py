"""Built data cached per version: read back the same, other versions kept, old files pruned."""
from __future__ import annotations

import os
import time

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
