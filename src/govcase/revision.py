"""The newest schema migration, read without SQLAlchemy or Alembic (a command that finds its
database up to date imports neither for it)."""
from __future__ import annotations

import re

from govcase.settings import migrations_dir

_REVISION = re.compile(r"^revision\s*=\s*['\"]([^'\"]+)['\"]", re.M)
_DOWN_REVISION = re.compile(r"^down_revision\s*=\s*['\"]([^'\"]+)['\"]", re.M)


def head_revision() -> str:
    """The newest migration: the one no other migration revises.

    Read from the migration files' own ``revision``/``down_revision`` lines, so that a
    command on an up-to-date database does not import Alembic; anything unusual
    (branches, several heads) is left to Alembic itself.
    """
    revisions, revised = set(), set()
    for path in (migrations_dir() / "versions").glob("*.py"):
        source = path.read_text(encoding="utf-8")
        revisions.update(_REVISION.findall(source))
        revised.update(_DOWN_REVISION.findall(source))
    heads = revisions - revised
    if len(heads) == 1:
        return heads.pop()
    from alembic.script import ScriptDirectory

    from govcase.db import alembic_config

    return ScriptDirectory.from_config(alembic_config("sqlite://")).get_current_head()
