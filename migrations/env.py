"""Alembic environment: govcase's models are the target; SQLite uses batch mode."""
from __future__ import annotations

import os

from alembic import context
from sqlalchemy import create_engine

from govcase.models import SQLITE_INDEX_PREFIX, Base, declare_postgresql_indexes
from govcase.settings import normalise_db_url

config = context.config
declare_postgresql_indexes()  # the models' PostgreSQL-only indexes, which the commands do without
target_metadata = Base.metadata


def _url() -> str:
    x = context.get_x_argument(as_dictionary=True)
    return normalise_db_url(x.get("db") or os.environ.get("GOVCASE_DB_URL")
                            or config.get_main_option("sqlalchemy.url"))


def _configure(connection) -> None:
    dialect = connection.dialect.name

    def include_name(name, type_, _parents) -> bool:
        """SQLite's search index is FTS5 virtual tables (and their shadow tables), which
        SQLAlchemy cannot describe; migration 0005 is their only definition."""
        return not (dialect == "sqlite" and type_ == "table" and name.startswith(SQLITE_INDEX_PREFIX))

    def include_object(obj, _name, type_, _reflected, _compare_to) -> bool:
        """An index or foreign key a model keeps for one database (``info={"dialect": ...}``)
        exists only there."""
        return not (type_ in ("index", "foreign_key_constraint") and obj.info.get("dialect", dialect) != dialect)

    context.configure(
        connection=connection,
        target_metadata=target_metadata,
        render_as_batch=dialect == "sqlite",
        compare_type=True,
        include_name=include_name,
        include_object=include_object,
    )


def run_migrations_offline() -> None:
    context.configure(url=_url(), target_metadata=target_metadata, literal_binds=True,
                      render_as_batch=_url().startswith("sqlite"))
    with context.begin_transaction():
        context.run_migrations()


def run_migrations_online() -> None:
    connection = config.attributes.get("connection")
    if connection is not None:  # govcase.db.upgrade passes its own connection
        _configure(connection)
        with context.begin_transaction():
            context.run_migrations()
        return
    engine = create_engine(_url())
    with engine.connect() as connection:
        _configure(connection)
        with context.begin_transaction():
            context.run_migrations()


if context.is_offline_mode():
    run_migrations_offline()
else:
    run_migrations_online()
