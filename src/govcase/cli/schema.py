"""govcase db: the schema's Alembic revisions (upgrade, downgrade, current)."""
from __future__ import annotations

from typing import Optional

import typer

from govcase.cli import DbOption, _errors, db_app, out
from govcase.settings import Settings


@db_app.command("upgrade")
def db_upgrade(db: Optional[str] = DbOption,
               revision: str = typer.Argument("head", help="Target revision.")) -> None:
    """Apply migrations up to REVISION (govcase also does this on first use).

    Example: govcase db upgrade --db postgresql://postgres@127.0.0.1/test

    Example: govcase db upgrade 0005 --db cases.db
    """
    from govcase import db as dbmod

    with _errors():
        engine = dbmod.make_engine(Settings.from_env(db).db_url)
        dbmod.upgrade(engine, revision)
        if revision == "head":
            dbmod.seed_codebook(engine)
        out.print(f"database at revision {dbmod.current_revision(engine)}")


@db_app.command("downgrade")
def db_downgrade(revision: str = typer.Argument(..., help="Target revision, e.g. base."),
                 db: Optional[str] = DbOption) -> None:
    """Undo migrations down to REVISION (base drops every govcase table).

    The database then stays at REVISION: other commands refuse it, rather than upgrade it again
    silently, until `govcase db upgrade`.

    Example: govcase db downgrade 0005 --db cases.db

    Example: govcase db downgrade base --db sqlite:///scratch.db
    """
    from govcase import db as dbmod

    with _errors():
        engine = dbmod.make_engine(Settings.from_env(db).db_url)
        dbmod.downgrade(engine, revision)
        out.print(f"database at revision {dbmod.current_revision(engine) or 'base'}")


@db_app.command("current")
def db_current(db: Optional[str] = DbOption) -> None:
    """Print the database's migration revision and the newest one.

    Example: govcase db current

    Example: govcase db current --db postgresql://postgres@127.0.0.1/test
    """
    from govcase import db as dbmod

    with _errors():
        engine = dbmod.make_engine(Settings.from_env(db).db_url)
        out.print(f"current {dbmod.current_revision(engine) or 'base'}, head {dbmod.head_revision()}")
