"""govcase show: the terminal view, and HTML pages checked in headless Chromium."""
from __future__ import annotations

import os
import re
import shutil
import subprocess
from collections import defaultdict
from html.parser import HTMLParser

import pytest
from sqlalchemy import create_engine, text
from typer.testing import CliRunner

from govcase.cli import app

from conftest import BACKENDS
from seeded import seeded_url

runner = CliRunner()
SEED_STEMS = ("000", "001", "002", "003", "004")


def chromium() -> str:
    """The headless browser; in CI (CI or GOVCASE_REQUIRE_PG set) its absence is a failure."""
    path = shutil.which("chromium") or shutil.which("chromium-browser")
    if path:
        return path
    if os.environ.get("CI") or os.environ.get("GOVCASE_REQUIRE_PG"):
        pytest.fail("chromium is not installed; .ci/run installs it (apt-get install -y chromium)")
    pytest.skip("chromium is not installed (apt-get install -y chromium) and CI is not set")


def rendered_dom(browser: str, page, tmp_path) -> str:
    result = subprocess.run(
        [browser, "--headless", "--disable-gpu", "--no-sandbox", "--no-first-run", "--disable-extensions",
         f"--user-data-dir={tmp_path / 'profile'}", "--dump-dom", page.resolve().as_uri()],
        capture_output=True, text=True, timeout=120)
    assert result.returncode == 0 and "</html>" in result.stdout, result.stderr[-2000:]
    return result.stdout


class Marks(HTMLParser):
    """The text of every highlight per fact, the classes it carries, anchors and links."""

    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.text: dict[str, str] = defaultdict(str)
        self.classes: dict[str, set[str]] = defaultdict(set)
        self.ids: set[str] = set()
        self.links: set[str] = set()
        self._open: tuple[list[str], list[str]] | None = None

    def handle_starttag(self, tag, attrs):
        attrs = dict(attrs)
        if attrs.get("id"):
            self.ids.add(attrs["id"])
        if tag == "a" and attrs.get("href", "").startswith("#"):
            self.links.add(attrs["href"][1:])
        if tag == "mark" and attrs.get("data-facts"):
            self._open = (attrs["data-facts"].split(), (attrs.get("class") or "").split())

    def handle_endtag(self, tag):
        if tag == "mark":
            self._open = None

    def handle_data(self, data):
        if self._open:
            facts, classes = self._open
            for fact in facts:
                self.text[fact] += data
                self.classes[fact].update(classes)


def outcomes(url: str, stem: str) -> list[tuple]:
    engine = create_engine(url)
    with engine.connect() as conn:
        return list(conn.execute(text(
            "SELECT o.id, o.evidence_id, o.surface, substr(a.body, o.char_start + 1, o.char_end - o.char_start) "
            "FROM outcomes o JOIN articles a ON a.id = o.article_id JOIN sources s ON s.id = a.source_id "
            "WHERE s.label LIKE :stem"), {"stem": f"%/{stem}_%"}))


def test_every_outcome_is_highlighted_in_the_rendered_page(tmp_path):
    browser = chromium()
    url = seeded_url("sqlite")
    total = 0
    for stem in SEED_STEMS:
        page = tmp_path / f"{stem}.html"
        result = runner.invoke(app, ["show", f"{stem}_", "--db", url, "--html", str(page)])
        assert result.exit_code == 0, result.output
        source = page.read_text(encoding="utf-8")
        assert not re.search(r"<script|<link|\bsrc=|https?://", source), "the page must be self-contained"
        dom = Marks()
        dom.feed(rendered_dom(browser, page, tmp_path))
        expected = outcomes(url, stem)
        assert expected, stem
        for outcome_id, evidence_id, surface, span in expected:
            fact = f"outcome-{outcome_id}"
            assert "outcome" in dom.classes[fact], f"{stem}: {surface} is not highlighted as an outcome"
            assert dom.text[fact] == span == surface, (stem, surface, dom.text[fact])
            assert fact in dom.ids and f"ev-{evidence_id}" in dom.ids  # link targets exist
            assert {fact, f"ev-{evidence_id}"} <= dom.links  # the fact table links to both
        total += len(expected)
    assert total >= 25


def test_show_in_the_terminal_has_a_legend_and_the_body(tmp_path):
    result = runner.invoke(app, ["show", "seeds/articles/002_03a9dd1be5527ca3.txt", "--db", seeded_url("sqlite")])
    assert result.exit_code == 0, result.output
    assert "legend:" in result.output and "outcome" in result.output
    assert "小区加装电梯已成功投入使用5台" in result.output


@pytest.mark.parametrize("backend", BACKENDS)
def test_show_finds_articles_by_id_or_path_and_refuses_unknown_ones(backend, tmp_path):
    url = seeded_url(backend)
    page = tmp_path / "a.html"
    assert runner.invoke(app, ["show", "003_a320bd797d9e20fa.txt", "--db", url, "--html", str(page)]).exit_code == 0
    assert "老旧小区治理困境如何破解" in page.read_text(encoding="utf-8")
    unknown = runner.invoke(app, ["show", "999", "--db", url])
    assert unknown.exit_code == 2 and unknown.output.count("\n") == 1
    assert unknown.output.startswith("govcase: no article has id 999")
    missing = runner.invoke(app, ["show", "nothing_like_it", "--db", url])
    assert missing.exit_code == 2 and missing.output.startswith("govcase: no article matches 'nothing_like_it'")
    ambiguous = runner.invoke(app, ["show", "0_", "--db", url])  # 000_ ... 004_ all hold "0_"
    assert ambiguous.exit_code == 2 and "matches" in ambiguous.output and ambiguous.output.count("\n") == 1


@pytest.mark.parametrize("backend", BACKENDS)
def test_show_2_and_show_002_open_the_same_article(backend):
    url = seeded_url(backend)
    two, zero_two = (runner.invoke(app, ["show", ref, "--db", url]) for ref in ("2", "002"))
    assert two.exit_code == zero_two.exit_code == 0 and two.output == zero_two.output
    assert two.output.splitlines()[1].startswith("article 2 ")


def test_show_in_the_terminal_lists_codes_values_and_places():
    url = seeded_url("sqlite")
    result = runner.invoke(app, ["show", "seeds/articles/002_03a9dd1be5527ca3.txt", "--db", url])
    assert result.exit_code == 0, result.output
    text = result.output
    assert "elevator_retrofit" in text and "parking" in text  # measure codes
    assert "deliberation" in text  # a mechanism code
    assert "14 台" in text and "signed 签约" in text and "5 台" in text and "in_use 投入使用" in text  # values
    assert "上海市/长宁区/北新泾街道" in text  # a place with its chain


def test_show_on_a_missing_database_says_what_to_do(tmp_path):
    result = runner.invoke(app, ["show", "1", "--db", f"sqlite:///{tmp_path}/missing.db"])
    assert result.exit_code == 2 and result.output.count("\n") == 1
    assert "govcase ingest PATH" in result.output


def test_show_why_says_why_each_place_name_was_taken(tmp_path):
    """issue 15: `show --why` gives, beside each place, the reasons the finder has for the name."""
    url = seeded_url("sqlite")
    result = runner.invoke(app, ["show", "seeds/articles/002_03a9dd1be5527ca3.txt", "--db", url, "--why"])
    assert result.exit_code == 0, result.output
    why = result.output[result.output.index("why these places"):]
    assert "suffix 街道: street" in why  # the suffix that gave the street its level
    assert "gazetteer: 上海市/长宁区/北新泾街道" in why  # the unit the street name stands for
    assert "plausible" in why or "words of ordinary text" in why  # the estate/community model's view
    plain = runner.invoke(app, ["show", "seeds/articles/002_03a9dd1be5527ca3.txt", "--db", url])
    assert "why these places" not in plain.output  # only when asked
    page = tmp_path / "why.html"
    assert runner.invoke(app, ["show", "002_", "--db", url, "--why", "--html", str(page)]).exit_code == 0
    source = page.read_text(encoding="utf-8")
    assert '<table id="why">' in source and "北新泾街道" in source.split('<table id="why">')[1]
