"""The CLI end to end through typer's runner, on SQLite and PostgreSQL."""
from __future__ import annotations

import json
import shutil

from typer.main import get_command
from typer.testing import CliRunner

from govcase.cli import app
from govcase.export import stats

from conftest import SEEDS

runner = CliRunner()


def run(*args: str, ok: bool = True):
    result = runner.invoke(app, list(args), catch_exceptions=False)
    if ok:
        assert result.exit_code == 0, result.output
    return result


def export(db_url: str, tmp_path, name: str = "e.jsonl") -> list[dict]:
    out = tmp_path / name
    run("export", "--db", db_url, "--format", "jsonl", "--out", str(out))
    return [json.loads(line) for line in out.read_text(encoding="utf-8").splitlines()]


def counts(db_url: str) -> dict:
    from govcase.db import open_database
    return stats(open_database(db_url))["counts"]


def _commands(group, prefix: str = ""):
    for name, command in group.commands.items():
        yield f"{prefix}{name}", command
        if getattr(command, "commands", None):  # a command group such as `db`
            yield from _commands(command, f"{prefix}{name} ")


def test_every_command_has_help_with_an_example():
    for name, command in _commands(get_command(app)):
        assert command.help and "Example" in command.help, f"`govcase {name}` needs help with an example"
        result = runner.invoke(app, name.split() + ["--help"])
        assert result.exit_code == 0 and "Usage" in result.output


def test_ingesting_the_seeds_twice_changes_nothing(db_url, tmp_path):
    first = run("ingest", str(SEEDS), "--db", db_url)
    assert "5 stored" in first.output and "5 loaded" in first.output
    before, exported = counts(db_url), export(db_url, tmp_path, "1.jsonl")
    second = run("ingest", str(SEEDS), "--db", db_url, "--json")
    report = json.loads(second.output)
    assert (report["stored"], report["unchanged"], report["loaded"], report["run_id"]) == (0, 5, 0, None)
    assert counts(db_url) == before
    assert export(db_url, tmp_path, "2.jsonl") == exported
    assert before["articles"] == 5 and before["runs"] == 1 and before["rejects"] == 0


def test_stages_run_alone_give_the_same_export_as_one_ingest(db_url, tmp_path, sqlite_url):
    run("ingest", str(SEEDS), "--db", db_url, "--stage", "ingest")
    assert counts(db_url)["articles"] == 0
    for stage in ("clean", "tag", "load"):
        assert "5 " + {"clean": "cleaned", "tag": "tagged", "load": "loaded"}[stage] in run(stage, "--db", db_url).output
        assert "0 cleaned, 0 tagged, 0 loaded" in run(stage, "--db", db_url).output  # nothing left to do
    run("ingest", str(SEEDS), "--db", sqlite_url)
    assert export(db_url, tmp_path, "staged.jsonl") == export(sqlite_url, tmp_path, "whole.jsonl")


def test_reload_all_reruns_everything_and_keeps_the_same_rows(db_url, tmp_path):
    run("ingest", str(SEEDS), "--db", db_url)
    before, exported = counts(db_url), export(db_url, tmp_path, "1.jsonl")
    report = json.loads(run("reload", "--all", "--db", db_url, "--json").output)
    assert (report["cleaned"], report["tagged"], report["loaded"]) == (5, 5, 5)
    after = counts(db_url)
    assert after.pop("runs") == before.pop("runs") + 1
    assert after == before
    assert export(db_url, tmp_path, "2.jsonl") == exported
    stale = json.loads(run("reload", "--db", db_url, "--json").output)
    assert (stale["cleaned"], stale["tagged"], stale["loaded"]) == (0, 0, 0)


def test_bad_inputs_are_rejected_with_reasons_and_the_run_goes_on(db_url, tmp_path):
    folder = tmp_path / "in"
    folder.mkdir()
    shutil.copy(SEEDS / "002_03a9dd1be5527ca3.txt", folder / "good.txt")
    (folder / "empty.txt").write_bytes(b"")
    (folder / "binary.txt").write_bytes(bytes(range(256)) * 40)
    (folder / "lines.jsonl").write_text(
        '{"url": "https://example.org/a", "title": "长宁区北新泾街道加装电梯", "published": "2023-10-17", '
        '"text": "长宁区北新泾街道新泾五村小区加装电梯已成功投入使用5台，签约14台。居民区党总支通过民主协商解决停车难问题。"}\n'
        "not json\n", encoding="utf-8")
    (folder / "notes.docx").write_bytes(b"PK")
    result = run("ingest", str(folder), str(folder / "notes.docx"), str(tmp_path / "missing"), "--db", db_url,
                 "--json", ok=False)
    assert result.exit_code == 1  # a scheduled job must notice: inputs missing or rejected
    report = json.loads(result.output)
    assert report["missing"] == [str(tmp_path / "missing")] and report["refused_inputs"] == 4
    assert report["stored"] == 2 and report["loaded"] == 2
    assert report["rejected"] == {"ingest/bad-jsonl": 1, "ingest/binary": 1, "ingest/empty": 1,
                                  "ingest/not-found": 1, "ingest/unsupported-type": 1}
    data = stats(__import__("govcase.db", fromlist=["open_database"]).open_database(db_url))
    assert data["rejects"]["ingest"] == {"bad-jsonl": 1, "binary": 1, "empty": 1, "not-found": 1,
                                         "unsupported-type": 1}
    records = {r["source"]: r for r in export(db_url, tmp_path)}
    jsonl = records["https://example.org/a"]
    assert jsonl["title"] == "长宁区北新泾街道加装电梯" and jsonl["published"] == "2023-10-17"
    assert {o["value"] for o in jsonl["outcomes"]} >= {5, 14}
    again = run("ingest", str(folder), "--db", db_url, "--json", ok=False)
    assert again.exit_code == 1  # the same bad inputs are still there: still not a clean run
    again = json.loads(again.output)
    assert again["rejected"] == {} and again["stored"] == 0 and again["run_id"] is None


def test_html_input_becomes_an_article(db_url, tmp_path):
    page = tmp_path / "page.html"
    page.write_text(
        "<html><head><meta charset='utf-8'><title>加梯提速_社区观察</title></head><body>"
        "<div class='nav'>首页 | 新闻 | 民生</div><h1>徐汇区长桥街道：加梯提速</h1>"
        "<div class='info'>发布时间:2024-03-05 来源:社区观察</div><div class='article'>"
        "<p>徐汇区长桥街道华滨居民区成立电梯更新专项小组，目前已完成3部电梯换新，剩余8部也已启动更新流程。</p>"
        "<p>居民区党总支牵头，连日上门走访，逐户解读政策。</p></div>"
        "<div class='footer'>版权所有 © 2012-2025 某某网</div></body></html>", encoding="utf-8")
    run("ingest", str(page), "--db", db_url)
    (record,) = export(db_url, tmp_path)
    assert record["title"] == "徐汇区长桥街道：加梯提速" and record["published"] == "2024-03-05"
    assert "版权所有" not in record["body"] and "首页" not in record["body"]
    assert {o["value"] for o in record["outcomes"]} == {3, 8}


def test_a_database_that_cannot_be_opened_is_one_line(tmp_path):
    result = run("stats", "--db", f"sqlite:///{tmp_path}/no/such/dir/x.db", ok=False)
    assert result.exit_code == 2
    assert result.output.startswith("govcase: cannot open database") and result.output.count("\n") == 1


def test_unknown_stage_and_format_are_refused(sqlite_url):
    assert run("ingest", str(SEEDS), "--db", sqlite_url, "--stage", "nope", ok=False).exit_code == 2
    assert run("export", "--db", sqlite_url, "--format", "xml", ok=False).exit_code == 2


def test_the_analyst_commands_are_there_with_examples():
    names = {name for name, _ in _commands(get_command(app))}
    assert {"show", "search", "export"} <= names
    assert "--format csv --table" in get_command(app).commands["export"].help


def test_bad_options_are_one_line_that_says_what_to_do():
    for args in (["show", "1", "--bogus"], ["search"], ["export", "--nope"], ["db", "upgrade", "--what"]):
        result = runner.invoke(app, args)
        assert result.exit_code == 2, (args, result.output)
        assert result.output.startswith("govcase: ") and result.output.count("\n") == 1, result.output
        assert "--help" in result.output


def test_read_commands_do_not_create_a_missing_database(tmp_path):
    for args in (["stats"], ["export", "--format", "jsonl"], ["search", "电梯"], ["show", "1"]):
        result = run(*args, "--db", f"sqlite:///{tmp_path}/absent.db", ok=False)
        assert result.exit_code == 2 and result.output.count("\n") == 1, result.output
        assert result.output.startswith("govcase: cannot open database") and "govcase ingest" in result.output
    assert not (tmp_path / "absent.db").exists()
