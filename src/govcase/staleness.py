"""Stale facts made visible: articles made by other rules or data than the installed ones.

``govcase reload`` redoes an article whose clean or tag version is not the installed one.
Before issue 18 nothing showed that until a run happened: after a lexicon edit, ``stats``
and the documented stale query said all was current. Now each command that reads the
database records the installed versions in ``installed_versions`` (migration 0006), and
``stats`` counts the articles that differ, as the documented query does in SQL.
"""
from __future__ import annotations

from datetime import datetime, timezone
from pathlib import Path

from sqlalchemy import Engine, func, select
from sqlalchemy.exc import OperationalError
from sqlalchemy.orm import Session

from govcase import models as m
from govcase.db import upsert
from govcase.stale import current_versions
from govcase.tagging.lexicon import load_lexicon
from govcase.versions import clean_version, govcase_version, tag_version


def installed(data_dir: Path) -> dict[str, str]:
    return {"clean": clean_version(data_dir), "tag": tag_version(data_dir),
            "lexicon": load_lexicon(data_dir).version, "govcase": govcase_version()}


def record_installed(engine: Engine, data_dir: Path) -> dict[str, str]:
    """Write the installed versions into ``installed_versions``; a read-only database is left as is."""
    versions = installed(data_dir)
    now = datetime.now(timezone.utc)
    try:
        with Session(engine) as session, session.begin():
            have = dict(session.execute(select(m.InstalledVersion.name, m.InstalledVersion.version)).all())
            for name, version in versions.items():
                if have.get(name) != version:
                    upsert(session, m.InstalledVersion, {"name": name, "version": version, "recorded_at": now},
                           ("name",))
    except OperationalError:  # a read-only file: the counts below still use the installed versions
        pass
    return versions


def stale_counts(engine: Engine, data_dir: Path) -> dict[str, int]:
    """Articles to redo from clean (other cleaning rules) and from tag (other tagging rules or data)."""
    versions = record_installed(engine, data_dir)
    a = m.Article
    with Session(engine) as session:
        clean = session.scalar(select(func.count()).where(a.clean_version != versions["clean"]))
        current = current_versions(session, versions["tag"])  # with those a reload kept (govcase.stale)
        tag = session.scalar(select(func.count()).where(a.clean_version == versions["clean"],
                                                        a.tag_version.is_not(None),
                                                        a.tag_version.not_in(current)))
    return {"clean": clean, "tag": tag}
