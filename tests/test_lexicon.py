"""The lexicon: loads, validates against the codebook, versions its content."""
from __future__ import annotations

import re
import shutil
from pathlib import Path

import pytest

from govcase.codebook import load_codebook
from govcase.tagging.lexicon import DEFAULT_DATA_DIR, LexiconError, load_lexicon

# Every codebook code needs real breadth: this many surface forms at least.
MIN_ENTRIES_PER_CODE = 20
# Codebook cues the lexicon files under another code, on purpose (with the reason).
DEPARTURES = {
    ("waste", "垃圾乱堆放"): "dumped rubbish is a sanitation problem; waste is about sorting and bin rooms",
}


@pytest.fixture()
def data_copy(tmp_path: Path) -> Path:
    shutil.copytree(DEFAULT_DATA_DIR / "lexicon", tmp_path / "lexicon")
    return tmp_path


def append(path: Path, line: str) -> int:
    """Append a line; return its line number."""
    text = path.read_text(encoding="utf-8")
    path.write_text(text + line + "\n", encoding="utf-8")
    return len(text.splitlines()) + 1


def test_default_lexicon_loads_with_a_version():
    lexicon = load_lexicon()
    assert re.fullmatch(r"\S+\+[0-9a-f]{8}", lexicon.version)
    assert lexicon.version == f"{lexicon.explicit_version}+{lexicon.content_hash}"
    assert lexicon.entries


def test_loading_is_cached():
    assert load_lexicon() is load_lexicon(DEFAULT_DATA_DIR)


def test_every_codebook_code_has_many_entries():
    lexicon = load_lexicon()
    book = load_codebook()
    for kind, codes in (("measure", book.measures), ("mechanism", book.mechanisms)):
        for code in codes:
            n = sum(1 for e in lexicon.entries if e.kind == kind and e.code == code)
            assert n >= MIN_ENTRIES_PER_CODE, f"{code} has only {n} entries"


def test_codebook_cues_are_in_the_lexicon():
    """Each cue is an entry of its code, or contains one (新增停车位 holds 停车位)."""
    lexicon = load_lexicon()
    book = load_codebook()
    missing = [(code, cue) for section in (book.measures, book.mechanisms)
               for code, spec in section.items() for cue in spec["cues"]
               if (code, cue) not in DEPARTURES
               and not any(e.code == code and e.surface in cue.lower() for e in lexicon.entries)]
    assert not missing


def test_surfaces_are_simplified_chinese():
    from opencc import OpenCC

    t2s = OpenCC("t2s").convert
    lexicon = load_lexicon()
    words = {e.surface for e in lexicon.entries} | set().union(*lexicon.sets.values())
    assert sorted(w for w in words if t2s(w) != w) == []


def test_unknown_code_names_file_and_line(data_copy):
    lineno = append(data_copy / "lexicon" / "measures.tsv", "装电梯啦\televator_retrofitt")
    with pytest.raises(LexiconError) as err:
        load_lexicon(data_copy)
    assert f"measures.tsv:{lineno}" in str(err.value)
    assert "unknown measure code 'elevator_retrofitt'" in str(err.value)


def test_a_mechanism_code_is_no_measure(data_copy):
    append(data_copy / "lexicon" / "measures.tsv", "议事大厅\tdeliberation")
    with pytest.raises(LexiconError, match="unknown measure code 'deliberation'"):
        load_lexicon(data_copy)


@pytest.mark.parametrize("line,message", [
    ("“加梯”\televator_retrofit", "write the surface"),
    ("加梯了\televator_retrofit\t@nowhere", "unknown set @nowhere"),
    ("加梯了\televator_retrofit\t\t\tsometimes", "unknown flag"),
    ("加梯\televator_retrofit", "already listed on line"),
    ("加梯了", "expected `surface<TAB>code"),
    ("党建网\tparking", "also a stop phrase"),
])
def test_malformed_lines_are_reported(data_copy, line, message):
    lineno = append(data_copy / "lexicon" / "measures.tsv", line)
    with pytest.raises(LexiconError, match=message) as err:
        load_lexicon(data_copy)
    assert f"measures.tsv:{lineno}" in str(err.value)


def test_a_word_listed_twice_in_a_set_is_reported(data_copy):
    lineno = append(data_copy / "lexicon" / "context.tsv", "@stop\t党建网")
    with pytest.raises(LexiconError, match="@stop 党建网 is already listed on line") as err:
        load_lexicon(data_copy)
    assert f"context.tsv:{lineno}" in str(err.value)


def test_files_must_agree_on_the_version(data_copy):
    path = data_copy / "lexicon" / "mechanisms.tsv"
    path.write_text(re.sub(r"# version: \S+", "# version: 1999.01.01-9", path.read_text(encoding="utf-8")),
                    encoding="utf-8")
    with pytest.raises(LexiconError, match="different `# version:` lines"):
        load_lexicon(data_copy)


def test_a_missing_version_line_is_reported(data_copy):
    path = data_copy / "lexicon" / "context.tsv"
    path.write_text(re.sub(r"# version: \S+\n", "", path.read_text(encoding="utf-8")), encoding="utf-8")
    with pytest.raises(LexiconError, match="context.tsv:1: no `# version: ...` line"):
        load_lexicon(data_copy)


def test_a_missing_file_is_reported(data_copy):
    (data_copy / "lexicon" / "context.tsv").unlink()
    with pytest.raises(LexiconError, match="lexicon file missing"):
        load_lexicon(data_copy)


def test_a_changed_file_changes_the_version(data_copy):
    before = load_lexicon(data_copy)
    append(data_copy / "lexicon" / "mechanisms.tsv", "议事长廊\tdeliberation")
    after = load_lexicon(data_copy)
    assert after is not before
    assert after.explicit_version == before.explicit_version
    assert after.content_hash != before.content_hash and after.version != before.version
    assert "议事长廊" in {e.surface for e in after.entries}


def test_the_same_content_gives_the_same_version(data_copy):
    assert load_lexicon(data_copy).version == load_lexicon().version


def test_a_lexicon_read_back_from_the_cache_tags_as_one_built(data_copy, tmp_path, monkeypatch):
    """build_lexicon keeps each content's lexicon between runs (govcase.diskcache): read back,
    it is the same lexicon (entries, sets, matches), with the data folder it was asked for."""
    from govcase import diskcache
    from govcase.records import CleanArticle, tagged_to_json
    from govcase.tag import tag
    from govcase.tagging.lexicon import _lexicon_files, build_lexicon

    monkeypatch.setenv("XDG_CACHE_HOME", str(tmp_path / "cache"))
    (root, codebook), files = _lexicon_files(data_copy, None)
    built = build_lexicon(list(files), root, codebook)
    assert len(list((tmp_path / "cache" / "govcase").glob("lexicon-*.pickle"))) == 1
    elsewhere = tmp_path / "elsewhere"
    shutil.copytree(data_copy / "lexicon", elsewhere / "lexicon")
    (root2, _), files2 = _lexicon_files(elsewhere, None)
    read = build_lexicon(list(files2), root2, codebook)  # the same content: read back
    assert read is not built and read.data_dir == root2 and built.data_dir == root
    assert (read.version, read.entries, read.sets) == (built.version, built.entries, built.sets)
    article = CleanArticle("上海市徐汇区天平路街道某小区加装电梯12台，居民议事会协商停车管理，整治楼道堆物。")
    assert tagged_to_json(tag(article, read)) == tagged_to_json(tag(article, built))
    assert diskcache.cache_dir() == tmp_path / "cache" / "govcase"


def test_an_edited_or_broken_lexicon_is_built_again_not_read_back(data_copy, tmp_path, monkeypatch):
    monkeypatch.setenv("XDG_CACHE_HOME", str(tmp_path / "cache"))
    from govcase.tagging.lexicon import _lexicon_files, build_lexicon

    (root, codebook), files = _lexicon_files(data_copy, None)
    before = build_lexicon(list(files), root, codebook)
    append(data_copy / "lexicon" / "measures.tsv", "处理楼道渗漏\tbuilding_repair")
    after = build_lexicon(list(files), root, codebook)
    assert after.version != before.version and any(e.surface == "处理楼道渗漏" for e in after.entries)
    lineno = append(data_copy / "lexicon" / "measures.tsv", "装电梯啦\televator_retrofitt")
    for _ in range(2):  # an error is raised every time: nothing was kept of it
        with pytest.raises(LexiconError, match=f"measures.tsv:{lineno}"):
            build_lexicon(list(files), root, codebook)
