"""govcase serve: Datasette on the database with metadata generated from docs/, rendered in
headless Chromium (the home page, a view with its facets, a canned query).

Screenshots go to $GOVCASE_SCREENSHOT_DIR when it is set (else the test's own folder)."""
from __future__ import annotations

import os
import socket
import sqlite3
import subprocess
import sys
import time
import urllib.request
from pathlib import Path

import pytest
from typer.testing import CliRunner

from govcase.cli import app
from govcase.docs import documented_queries, schema_descriptions
from govcase.export import open_existing
from govcase.serve import FACETS, metadata

from seeded import seeded_url
from test_show import chromium

runner = CliRunner()


@pytest.fixture(scope="module")
def cases_db(tmp_path_factory) -> Path:
    path = tmp_path_factory.mktemp("serve") / "cases.db"
    source, copy = sqlite3.connect(seeded_url("sqlite").removeprefix("sqlite:///")), sqlite3.connect(path)
    source.backup(copy)
    source.close(), copy.close()
    return path


def test_metadata_comes_from_the_docs(cases_db):
    meta = metadata(open_existing(str(cases_db)), "cases")
    database = meta["databases"]["cases"]
    described = schema_descriptions()
    assert database["tables"]["v_outcomes"]["description"] == described["v_outcomes"].description
    assert database["tables"]["outcomes"]["columns"]["status_word"].startswith("the word the article uses")
    assert database["tables"]["v_outcomes"]["facets"] == FACETS["v_outcomes"]
    names = {q.name for q in documented_queries("sqlite")}
    assert set(database["queries"]) == names and "elevator-counts" in names
    assert all("-- query:" not in q["sql"] for q in database["queries"].values())
    for view, facets in FACETS.items():  # every facet is a column the docs describe
        assert set(facets) <= set(described[view].columns), view


def test_serve_refuses_postgresql_and_missing_files_in_one_line(tmp_path):
    result = runner.invoke(app, ["serve", "--db", "postgresql://nobody@127.0.0.1:1/none"])
    assert result.exit_code == 2 and len(result.stderr.strip().splitlines()) == 1
    missing = runner.invoke(app, ["serve", "--db", str(tmp_path / "absent.db")])
    assert missing.exit_code == 2 and "no such file" in missing.stderr


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def _wait(url: str, seconds: float = 60) -> None:
    deadline = time.monotonic() + seconds
    while True:
        try:
            urllib.request.urlopen(url, timeout=5).read()
            return
        except OSError:
            if time.monotonic() > deadline:
                raise
            time.sleep(0.3)


def _browse(browser: str, url: str, shot: Path, profile: Path) -> str:
    common = [browser, "--headless", "--disable-gpu", "--no-sandbox", "--no-first-run", "--disable-extensions",
              f"--user-data-dir={profile}", "--window-size=1280,1400"]
    done = subprocess.run([*common, f"--screenshot={shot}", url], capture_output=True, text=True, timeout=120)
    assert done.returncode == 0 and shot.stat().st_size > 10_000, done.stderr[-2000:]
    dom = subprocess.run([*common, "--dump-dom", url], capture_output=True, text=True, timeout=120)
    assert dom.returncode == 0 and "</html>" in dom.stdout, dom.stderr[-2000:]
    return dom.stdout


def test_datasette_renders_home_view_and_canned_query(cases_db, tmp_path):
    pytest.importorskip("datasette", reason="pip install -e '.[serve]'")
    browser = chromium()
    shots = Path(os.environ.get("GOVCASE_SCREENSHOT_DIR") or tmp_path)
    shots.mkdir(parents=True, exist_ok=True)
    port = _free_port()
    server = subprocess.Popen([sys.executable, "-m", "govcase", "serve", "--db", str(cases_db), "--port", str(port),
                               "--metadata", str(tmp_path / "metadata.json")],
                              stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)
    try:
        base = f"http://127.0.0.1:{port}"
        _wait(base + "/")
        home = _browse(browser, base + "/", shots / "serve-home.png", tmp_path / "p1")
        assert "govcase" in home and 'href="/cases"' in home and "Grassroots-governance cases as rows" in home
        view = _browse(browser, base + "/cases/v_outcomes", shots / "serve-view.png", tmp_path / "p2")
        assert "One row per outcome of a canonical article" in view
        assert "measure_code" in view and "facet" in view.lower() and "北新泾街道" in view
        assert "interrupted" not in view.lower()
        canned = _browse(browser, base + "/cases/elevator-counts", shots / "serve-query.png", tmp_path / "p3")
        assert "How many elevators, per street?" in canned
        assert "in_use" in canned and "signed" in canned and "北新泾街道" in canned
    finally:
        server.terminate()
        server.wait(timeout=30)
    with pytest.raises(OSError):  # govcase serve took Datasette down with it: the port is free
        _wait(f"http://127.0.0.1:{port}/", seconds=3)
