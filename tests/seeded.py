"""The seed database, loaded once per backend and test session, for read-only tests
(views, queries, show, search, csv export). A test that writes makes its own database."""
from __future__ import annotations

import atexit
import shutil
import tempfile
import uuid
from decimal import Decimal
from pathlib import Path

from sqlalchemy import create_engine, text
from sqlalchemy.engine import make_url

from govcase.pipeline import Pipeline
from govcase.settings import Settings, normalise_db_url

from conftest import PG_URL, SEEDS

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
    name = f"govcase_seed_{uuid.uuid4().hex[:12]}"
    admin = create_engine(normalise_db_url(PG_URL), isolation_level="AUTOCOMMIT")
    with admin.connect() as conn:
        conn.execute(text(f'CREATE DATABASE "{name}"'))

    def drop() -> None:
        with admin.connect() as conn:
            conn.execute(text(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)'))
        admin.dispose()

    atexit.register(drop)
    return make_url(normalise_db_url(PG_URL)).set(database=name).render_as_string(hide_password=False)


def plain(value):
    """Numbers as Python ints/floats on both backends (PostgreSQL sums come back as Decimal)."""
    if isinstance(value, Decimal):
        value = float(value)
    if isinstance(value, float) and value.is_integer():
        return int(value)
    return value
