"""The helper process started with a small ingest or a reload (govcase.prestart)."""
from __future__ import annotations

import multiprocessing
import subprocess
import sys

from govcase import prestart
from govcase.records import RawDocument
from govcase.settings import default_data_dir
from govcase.work import WORK_STAGES, Task, perform_batch, performed


def _folder(tmp_path, n: int, suffix: str = ".txt"):
    folder = tmp_path / f"in-{n}{suffix}"
    folder.mkdir()
    for i in range(n):
        (folder / f"a{i}{suffix}").write_text(f"某街道加装电梯{i + 1}台，居民议事会协商停车管理。", encoding="utf-8")
    return folder


def test_a_helper_is_wanted_for_a_few_files_and_a_reload_only(tmp_path):
    few, many = _folder(tmp_path, 3), _folder(tmp_path, prestart.POOL_THRESHOLD + 1)
    assert prestart.wanted(["ingest", str(few), "--db", "x.db"])
    assert prestart.wanted(["ingest", "--db", "x.db", str(few / "a0.txt")])
    assert prestart.wanted(["reload", "--db", "x.db"])
    assert not prestart.wanted(["ingest", str(many)])  # the pool's workers do a large ingest
    assert not prestart.wanted(["ingest", str(few), str(few), "--stage", "ingest"])  # stores only
    assert not prestart.wanted(["ingest", str(_folder(tmp_path, 1, ".jsonl"))])  # any number of articles
    assert not prestart.wanted(["ingest", str(tmp_path / "missing")])
    assert not prestart.wanted(["reload", "--all"])
    assert not prestart.wanted(["reload", "--dry-run"])
    assert not prestart.wanted(["ingest", "--help"])
    assert not prestart.wanted(["stats"]) and not prestart.wanted([])


def test_an_ingests_helper_loads_the_html_parser_only_for_pages(tmp_path):
    texts, pages = _folder(tmp_path, 2), _folder(tmp_path, 2, ".html")
    assert prestart.helper_for(["ingest", str(texts), "--db", "x.db"]) == {"pages": False}
    assert prestart.helper_for(["ingest", str(texts), str(pages / "a0.html")]) == {"pages": True}
    assert prestart.helper_for(["ingest", str(pages)]) == {"pages": True}
    assert prestart.helper_for(["reload", "--db", "x.db"]) == {"tag_only": True}
    code = ("import sys; from govcase.settings import default_data_dir; from govcase.work import warm; "
            "warm(default_data_dir(), pages=False); print('bs4' in sys.modules, 'govcase.clean' in sys.modules)")
    done = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    assert done.stdout.split() == ["False", "True"]


def test_a_helper_without_the_html_parser_still_cleans_a_page():
    page = ("<html><head><title>某街道加装电梯</title></head><body><div class='article'><p>"
            + "上海市徐汇区天平路街道某小区加装电梯12台，居民议事会协商停车管理。" * 3
            + "</p></div></body></html>").encode("utf-8")
    task = Task(0, "page", WORK_STAGES, raw=RawDocument("page.html", page, "html", "0" * 64, "utf-8"))
    data_dir = default_data_dir()
    prestart.start(data_dir, pages=False)
    try:
        (helped,) = next(performed([[task]], data_dir, 1, prestart.helper()))
    finally:
        prestart.stop()
    assert helped == perform_batch([task], data_dir)[0] and helped.is_tagged


def _tasks() -> list[Task]:
    text = "上海市徐汇区天平路街道某小区加装电梯12台，居民议事会协商停车管理。".encode("utf-8")
    return [Task(i, f"made-up-{i}", WORK_STAGES, raw=RawDocument(f"made-up-{i}", text * (i + 1), "text",
                                                                f"{i:064x}", "utf-8")) for i in range(3)]


def test_the_helper_gives_what_this_process_gives_and_is_stopped():
    data_dir = default_data_dir()
    prestart.start(data_dir)
    try:
        helped = [r for batch in performed([_tasks()[:2], _tasks()[2:]], data_dir, 1, prestart.helper())
                  for r in batch]
    finally:
        prestart.stop()
    assert helped == perform_batch(_tasks(), data_dir)
    assert not multiprocessing.active_children()


def test_an_unused_helper_is_stopped_while_it_loads():
    prestart.start(default_data_dir())
    prestart.stop()
    assert not multiprocessing.active_children() and prestart.helper() is None


def test_a_small_ingest_through_the_command_line_uses_the_helper_and_ends_it(tmp_path):
    folder = _folder(tmp_path, 2)
    db = tmp_path / "small.db"
    run = subprocess.run([sys.executable, "-c", "from govcase.cli import main; main()", "ingest", str(folder),
                          "--db", str(db)], capture_output=True, text=True, timeout=600)
    assert run.returncode == 0, run.stderr
    assert "2 stored" in run.stdout and "2 tagged" in run.stdout and run.stderr == ""


def test_a_reloads_helper_loads_the_tag_stage_alone(tmp_path):
    """work.warm(tag_only=True): what a reload's stale articles need (tag, load), not clean."""
    import subprocess
    import sys

    code = ("import sys; from govcase.settings import default_data_dir; from govcase.work import warm; "
            "warm(default_data_dir(), tag_only=True); "
            "print('govcase.clean' in sys.modules, 'govcase.tag' in sys.modules, 'numpy' in sys.modules)")
    done = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    assert done.stdout.split() == ["False", "True", "False"]


def test_the_html_parser_is_loaded_without_css_selectors_and_without_a_warning():
    code = ("import sys, warnings; warnings.simplefilter('error'); import govcase.cleaning.html as h; "
            "page = h.parse_html('<html><body><div><p>' + '某街道加装电梯。' * 20 + '</p></div></body></html>'); "
            "print('soupsieve' in sys.modules, bool(page.lines))")
    done = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    assert done.stdout.split() == ["False", "True"] and done.stderr == ""
