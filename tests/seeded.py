"""The seed database, loaded once per backend and test session, for read-only tests
(views, queries, show, search, csv export). A test that writes makes its own database."""
from __future__ import annotations

import atexit
import shutil
import tempfile
from decimal import Decimal
from pathlib import Path

from govcase.pipeline import Pipeline
from govcase.settings import Settings, normalise_db_url

from conftest import SEEDS, new_pg_database

_URLS: dict[str, str] = {}


def seeded_url(backend: str) -> str:
    """A database holding the five seed articles (ingested once per backend)."""
    if backend not in _URLS:
        url = _sqlite() if backend == "sqlite" else _postgresql()
        report = Pipeline(Settings(db_url=normalise_db_url(url), workers=1)).ingest([SEEDS])
        assert report.loaded == 5, report.as_dict()
        _URLS[backend] = url
    return _URLS[backend]


def _sqlite() -> str:
    folder = Path(tempfile.mkdtemp(prefix="govcase-seed-"))
    atexit.register(shutil.rmtree, folder, True)
    return f"sqlite:///{folder / 'seed.db'}"


def _postgresql() -> str:
    url, drop = new_pg_database("govcase_seed")
    atexit.register(drop)
    return url


def plain(value):
    """Numbers as Python ints/floats on both backends (PostgreSQL sums come back as Decimal)."""
    if isinstance(value, Decimal):
        value = float(value)
    if isinstance(value, float) and value.is_integer():
        return int(value)
    return value
