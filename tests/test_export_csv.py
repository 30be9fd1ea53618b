"""govcase export --format csv: any table or view, for spreadsheets; jsonl unchanged."""
from __future__ import annotations

import csv
import io

import pytest
from typer.testing import CliRunner

from govcase.cli import app
from govcase.views import exportable

from conftest import BACKENDS, PG_URL
from seeded import seeded_url

runner = CliRunner()


@pytest.fixture(scope="module", params=BACKENDS)
def url(request) -> str:
    return seeded_url(request.param)


def test_a_view_as_csv_file_with_a_bom(url, tmp_path):
    out = tmp_path / "streets.csv"
    result = runner.invoke(app, ["export", "--format", "csv", "--table", "v_street_counts", "--db", url,
                                 "--out", str(out)])
    assert result.exit_code == 0, result.output
    raw = out.read_bytes()
    assert raw.startswith(b"\xef\xbb\xbf") and b"\r\n" in raw  # Excel reads UTF-8 by its BOM
    rows = list(csv.DictReader(io.StringIO(raw.decode("utf-8-sig"))))
    assert sorted(r["street"] for r in rows) == sorted(["徐家汇街道", "天平路街道", "北新泾街道", "长桥街道", "龙潭街道"])
    assert {r["articles"] for r in rows} == {"1"}


def test_every_table_and_view_exports(url):
    for name in exportable():
        result = runner.invoke(app, ["export", "--format", "csv", "--table", name, "--db", url])
        assert result.exit_code == 0, (name, result.output)
        header = next(csv.reader(io.StringIO(result.stdout)))
        assert header and not result.stdout.startswith("\ufeff")  # no BOM on standard output
        if name == "sources":
            assert "raw" not in header and "sha256" in header  # binary columns are left out


def test_outcomes_csv_has_integer_values_and_evidence(url):
    result = runner.invoke(app, ["export", "--format", "csv", "--table", "v_outcomes", "--db", url])
    rows = list(csv.DictReader(io.StringIO(result.stdout)))
    five = [r for r in rows if r["surface"] == "5台"]
    assert five and five[0]["value"] == "5" and "投入使用5台" in five[0]["evidence"]


def test_csv_option_errors_are_one_line(url):
    for args, words in ((["--format", "csv"], "needs --table"), (["--format", "csv", "--table", "nope"], "no table"),
                        (["--format", "jsonl", "--table", "runs"], "--table is for"),
                        (["--format", "xml"], "'xml' is not one of 'jsonl', 'csv'")):
        result = runner.invoke(app, ["export", *args, "--db", url])
        assert result.exit_code == 2 and result.output.count("\n") == 1 and words in result.output, result.output


@pytest.mark.pg
@pytest.mark.skipif(not PG_URL, reason="set GOVCASE_TEST_PG_URL to test PostgreSQL")
def test_search_words_export_alike_on_both_databases():
    """article_words holds arrays on PostgreSQL and lines on SQLite; the CSV is the same."""
    exports = [runner.invoke(app, ["export", "--format", "csv", "--table", "article_words", "--db", seeded_url(b)])
               for b in ("sqlite", "postgresql")]
    sqlite_rows, pg_rows = (list(csv.reader(io.StringIO(e.stdout)))[1:] for e in exports)
    assert sqlite_rows == pg_rows
    assert any("电梯" in row[1].split("\n") for row in sqlite_rows)  # column word: one token a line
