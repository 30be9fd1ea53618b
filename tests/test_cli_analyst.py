"""The analyst's command line (issue 18): the habits of sqlite-utils and Datasette (-h,
--version, python -m govcase, query, tables, --db FILE, --out -, --force, --limit), and every
error path as one line with exit code 2."""
from __future__ import annotations

import csv
import io
import json
import shutil
import sqlite3
import subprocess
import sys

import pytest
from typer.main import get_command
from typer.testing import CliRunner

from govcase import __version__
from govcase.cli import app

from conftest import BACKENDS, SEEDS
from seeded import seeded_url

runner = CliRunner()


@pytest.fixture(scope="module")
def seed_file(tmp_path_factory) -> str:
    """A copy of the seed database as a plain file path (no sqlite:/// URL)."""
    url = seeded_url("sqlite")
    path = tmp_path_factory.mktemp("plain") / "seed.db"
    source, copy = sqlite3.connect(url.removeprefix("sqlite:///")), sqlite3.connect(path)
    source.backup(copy)  # the WAL's pages too
    source.close(), copy.close()
    return str(path)


def one_line_error(result, code: int = 2) -> str:
    assert result.exit_code == code, (result.exit_code, result.output)
    lines = result.stderr.strip().splitlines()
    assert len(lines) == 1 and lines[0].startswith("govcase: "), result.stderr
    assert "Traceback" not in result.output
    return lines[0]


def _commands(group, prefix: str = ""):
    for name, command in group.commands.items():
        yield f"{prefix}{name}", command
        if getattr(command, "commands", None):
            yield from _commands(command, f"{prefix}{name} ")


def test_every_command_has_several_examples_and_short_help():
    for name, command in _commands(get_command(app)):
        if getattr(command, "commands", None) is None:
            assert command.help.count("Example:") >= 2, f"`govcase {name}` needs several examples"
        assert runner.invoke(app, name.split() + ["-h"]).exit_code == 0, name
    assert runner.invoke(app, ["-h"]).exit_code == 0


def test_version_and_python_dash_m():
    assert runner.invoke(app, ["--version"]).stdout.strip() == f"govcase {__version__}"
    done = subprocess.run([sys.executable, "-m", "govcase", "--version"], capture_output=True, text=True)
    assert done.returncode == 0 and done.stdout.strip() == f"govcase {__version__}"


def test_format_choices_are_in_the_help():
    assert "<jsonl|csv>" in runner.invoke(app, ["export", "-h"]).stdout
    assert "<table|csv|json>" in runner.invoke(app, ["query", "-h"]).stdout
    bad = runner.invoke(app, ["export", "--format", "xml"])
    assert bad.exit_code == 2 and "'xml' is not one of 'jsonl', 'csv'" in bad.output


def test_db_takes_a_plain_file_path(seed_file):
    for args in (["stats"], ["search", "电梯"], ["show", "3"], ["export"], ["tables"]):
        result = runner.invoke(app, [*args, "--db", seed_file])
        assert result.exit_code == 0, (args, result.output)


def test_query_prints_a_table_csv_or_json(seed_file):
    sql = "SELECT district, articles FROM v_district_counts ORDER BY articles DESC, district"
    table = runner.invoke(app, ["query", sql, "--db", seed_file])
    assert table.exit_code == 0 and "徐汇区" in table.stdout and "district" in table.stdout
    rows = list(csv.reader(io.StringIO(runner.invoke(app, ["query", sql, "--db", seed_file,
                                                           "--format", "csv"]).stdout)))
    assert rows[0] == ["district", "articles"] and rows[1] == ["徐汇区", "3"]
    data = json.loads(runner.invoke(app, ["query", sql, "--db", seed_file, "--format", "json"]).stdout)
    assert data[0] == {"district": "徐汇区", "articles": 3} and len(data) == 3
    limited = runner.invoke(app, ["query", sql, "--db", seed_file, "--format", "json", "--limit", "1"])
    assert len(json.loads(limited.stdout)) == 1 and "first 1 rows shown" in limited.stderr


def test_query_rolls_back_what_it_changes(seed_file):
    result = runner.invoke(app, ["query", "DELETE FROM runs", "--db", seed_file])
    assert result.exit_code == 0
    count = runner.invoke(app, ["query", "SELECT COUNT(*) AS n FROM runs", "--db", seed_file, "--format", "json"])
    assert json.loads(count.stdout) == [{"n": 1}]


def test_tables_lists_tables_and_views_with_counts(seed_file):
    data = json.loads(runner.invoke(app, ["tables", "--db", seed_file, "--format", "json"]).stdout)
    by_name = {row["name"]: row for row in data}
    assert by_name["articles"] == {"name": "articles", "kind": "table", "rows": 5}
    assert by_name["v_district_counts"]["kind"] == "view" and by_name["v_district_counts"]["rows"] == 3
    assert "alembic_version" not in by_name


def test_out_dash_is_standard_output_and_files_are_not_overwritten(seed_file, tmp_path):
    to_stdout = runner.invoke(app, ["export", "--db", seed_file, "--out", "-"])
    assert to_stdout.exit_code == 0 and len(to_stdout.stdout.splitlines()) == 5
    assert not (tmp_path / "-").exists()
    target = tmp_path / "cases.jsonl"
    assert runner.invoke(app, ["export", "--db", seed_file, "--out", str(target)]).exit_code == 0
    target.write_text("keep me", encoding="utf-8")
    line = one_line_error(runner.invoke(app, ["export", "--db", seed_file, "--out", str(target)]))
    assert "exists; add --force" in line and target.read_text(encoding="utf-8") == "keep me"
    assert runner.invoke(app, ["export", "--db", seed_file, "--out", str(target), "--force"]).exit_code == 0
    assert len(target.read_text(encoding="utf-8").splitlines()) == 5
    page = tmp_path / "a.html"
    page.write_text("keep", encoding="utf-8")
    assert "exists; add --force" in one_line_error(runner.invoke(app, ["show", "3", "--db", seed_file,
                                                                       "--html", str(page)]))


def test_export_jsonl_joins_back_by_article_id(seed_file):
    records = [json.loads(line) for line in runner.invoke(app, ["export", "--db", seed_file]).stdout.splitlines()]
    ids = json.loads(runner.invoke(app, ["query", "SELECT article_id, source, url FROM v_articles", "--db",
                                         seed_file, "--format", "json"]).stdout)
    assert {(r["article_id"], r["source"], r["url"]) for r in records} == \
        {(r["article_id"], r["source"], r["url"]) for r in ids}
    keys = {(r["article_id"], o["char_start"]) for r in records for o in r["outcomes"]}
    rows = json.loads(runner.invoke(app, ["query", "SELECT article_id, char_start FROM v_outcomes", "--db",
                                          seed_file, "--format", "json"]).stdout)
    assert keys == {(r["article_id"], r["char_start"]) for r in rows}


# --- every error path of the issue: one line, exit code 2 --------------------------------------


@pytest.mark.parametrize("args, says", [
    (["db", "upgrade", "nope"], "cannot migrate to 'nope'"),
    (["db", "downgrade", "9999"], "cannot migrate to '9999'"),
    (["query", "SELECT * FROM no_such_table"], "the query failed"),
    (["query", "SELEC 1"], "the query failed"),
    (["show", "999"], "no article has id 999"),
    (["export", "--format", "csv"], "--format csv needs --table"),
    (["export", "--format", "csv", "--table", "nope"], "no table or view 'nope'"),
    (["query", "SELECT 1", "--out", "x.csv"], "--out needs --format csv or json"),
])
def test_error_paths_are_one_line(seed_file, args, says):
    assert says in one_line_error(runner.invoke(app, [*args, "--db", seed_file]))


def test_a_missing_plain_file_is_one_line(tmp_path):
    for args in (["stats"], ["search", "电梯"], ["show", "1"], ["export"], ["query", "SELECT 1"], ["tables"]):
        line = one_line_error(runner.invoke(app, [*args, "--db", str(tmp_path / "absent.db")]))
        assert "no such file" in line
    assert not (tmp_path / "absent.db").exists()


@pytest.mark.parametrize("backend", BACKENDS)
def test_a_downgraded_database_is_not_upgraded_behind_the_analysts_back(backend, tmp_path, pg_databases):
    url = f"sqlite:///{tmp_path / 'held.db'}" if backend == "sqlite" else pg_databases()
    assert runner.invoke(app, ["ingest", str(SEEDS), "--db", url, "--workers", "1"]).exit_code == 0
    assert runner.invoke(app, ["db", "downgrade", "0005", "--db", url]).exit_code == 0
    for args in (["stats"], ["search", "电梯"], ["ingest", str(SEEDS)]):
        line = one_line_error(runner.invoke(app, [*args, "--db", url]))
        assert "taken down to revision 0005" in line and "govcase db upgrade" in line
    assert "current 0005" in runner.invoke(app, ["db", "current", "--db", url]).stdout
    assert runner.invoke(app, ["db", "upgrade", "--db", url]).exit_code == 0
    assert runner.invoke(app, ["stats", "--db", url]).exit_code == 0


def test_clean_all_warns_that_the_views_are_empty_until_tag_and_load(tmp_path):
    url = f"sqlite:///{tmp_path / 'c.db'}"
    assert runner.invoke(app, ["ingest", str(SEEDS), "--db", url, "--workers", "1"]).exit_code == 0
    result = runner.invoke(app, ["clean", "--all", "--db", url, "--workers", "1"])
    assert result.exit_code == 0 and "warning: 5 articles were cleaned again" in result.stderr
    assert "govcase reload --all" in result.stderr


def test_stats_and_the_stale_query_see_a_lexicon_edit_before_any_run(tmp_path, monkeypatch):
    from govcase.settings import default_data_dir

    url = f"sqlite:///{tmp_path / 's.db'}"
    assert runner.invoke(app, ["ingest", str(SEEDS), "--db", url, "--workers", "1"]).exit_code == 0
    stale = json.loads(runner.invoke(app, ["stats", "--json", "--db", url]).stdout)["stale"]
    assert stale == {"clean": 0, "tag": 0}
    data = tmp_path / "data"
    shutil.copytree(default_data_dir(), data)
    with (data / "lexicon" / "measures.tsv").open("a", encoding="utf-8") as handle:
        handle.write("\n# an analyst's edit\n")
    monkeypatch.setenv("GOVCASE_DATA_DIR", str(data))
    stats = json.loads(runner.invoke(app, ["stats", "--json", "--db", url]).stdout)
    assert stats["stale"] == {"clean": 0, "tag": 5}
    from govcase.docs import documented_queries

    sql = next(q.sql for q in documented_queries("sqlite") if q.name == "stale-articles")
    rows = json.loads(runner.invoke(app, ["query", "--db", url, "--format", "json", "--", sql]).stdout)
    assert len(rows) == 5


def test_overlapping_ingests_are_not_counted_twice_and_repeats_are_named(tmp_path):
    url = f"sqlite:///{tmp_path / 'r.db'}"
    folder = tmp_path / "in"
    folder.mkdir()
    for path in sorted(SEEDS.iterdir())[:3]:
        shutil.copy(path, folder / path.name)
    shutil.copy(sorted(SEEDS.iterdir())[0], folder / "copy_of_first.txt")  # same bytes twice in one folder
    first = json.loads(runner.invoke(app, ["ingest", str(folder), "--db", url, "--json", "--workers", "1"]).stdout)
    assert (first["stored"], first["already_stored"], first["repeated"]) == (3, 0, 1)
    second = runner.invoke(app, ["ingest", str(SEEDS), "--db", url, "--workers", "1"])
    assert "2 stored, 3 already stored, 0 repeated in the input" in second.stdout


def test_bytes_another_process_stored_at_the_same_time_count_as_already_stored():
    """Two ingests of overlapping folders at once: both insert the same new bytes (ON CONFLICT
    DO NOTHING); only the one whose row it is counts them as stored."""
    from govcase.pipeline import Pipeline, RunReport
    from govcase.records import RawDocument

    def doc(name: str, sha: str) -> RawDocument:
        return RawDocument(name, b"x", "text", sha)

    report = RunReport("ingest", run_id=7)
    docs = [doc("a.txt", "a"), doc("b.txt", "b"), doc("b-copy.txt", "b"), doc("c.txt", "c")]
    new = {"a": docs[0], "b": docs[1]}
    stored_by = {"a": (1, None),  # inserted meanwhile by another process: not this run's row
                 "b": (2, 7),  # this run's row
                 "c": (3, 5)}  # stored by an earlier run
    Pipeline._count_stored(docs, new, stored_by, report)
    assert (report.stored, report.already_stored, report.repeated) == (1, 2, 1)
