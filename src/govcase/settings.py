"""One frozen Settings object, built once at the edge (the CLI or a caller)."""
from __future__ import annotations

import os
from dataclasses import dataclass, field
from pathlib import Path

DEFAULT_DB_URL = "sqlite:///govcase.db"
PACKAGE_DIR = Path(__file__).resolve().parent


def _project_dir(name: str) -> Path:
    """A top-level project folder (data/, migrations/, seeds/).

    In a checkout (an editable install) it stands next to src/; a wheel carries
    it inside the package (see [tool.setuptools] package-dir in pyproject.toml).
    """
    checkout = PACKAGE_DIR.parents[1] / name
    return checkout if checkout.is_dir() else PACKAGE_DIR / name


def default_data_dir() -> Path:
    return Path(os.environ.get("GOVCASE_DATA_DIR") or _project_dir("data"))


def migrations_dir() -> Path:
    return _project_dir("migrations")


def seeds_dir() -> Path:
    return _project_dir("seeds")


def docs_dir() -> Path:
    return _project_dir("docs")


def normalise_db_url(url: str) -> str:
    """Accept the URLs people paste: postgres://, postgresql:// use psycopg 3; a plain file
    path (``my.db``, ``/data/cases.db``) is a SQLite database, as sqlite-utils and Datasette
    take it."""
    if "://" not in url:
        return f"sqlite:///{url}"
    for prefix in ("postgres://", "postgresql://"):
        if url.startswith(prefix):
            return "postgresql+psycopg://" + url[len(prefix):]
    return url


@dataclass(frozen=True)
class Settings:
    db_url: str = DEFAULT_DB_URL
    data_dir: Path = field(default_factory=default_data_dir)
    workers: int = 1  # processes that clean and tag; 1 runs them in this process

    @classmethod
    def from_env(cls, db_url: str | None = None, workers: int | None = None, **kwargs) -> "Settings":
        """Settings from arguments, else $GOVCASE_DB_URL / $GOVCASE_WORKERS, else defaults
        (workers: the machine's cores)."""
        url = db_url or os.environ.get("GOVCASE_DB_URL") or DEFAULT_DB_URL
        workers = workers or int(os.environ.get("GOVCASE_WORKERS") or 0) or default_workers()
        return cls(db_url=normalise_db_url(url), workers=workers, **kwargs)


def default_workers() -> int:
    """The cores this process may use (a container's CPU set, not the host's count)."""
    try:
        return max(1, len(os.sched_getaffinity(0)))
    except AttributeError:  # not on Linux
        return max(1, os.cpu_count() or 1)
