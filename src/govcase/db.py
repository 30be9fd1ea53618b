"""Engines, schema migrations on first use, and codebook reference rows."""
from __future__ import annotations

import errno
import os
import sqlite3
import urllib.parse
from contextlib import contextmanager
from operator import itemgetter
from pathlib import Path
from typing import Callable, Iterator, Sequence

from sqlalchemy import Engine, create_engine, event, inspect, select, text
from sqlalchemy.exc import ArgumentError, OperationalError
from sqlalchemy.orm import Session, sessionmaker

from govcase.codebook import DEFAULT_PATH as DEFAULT_CODEBOOK
from govcase.codebook import load_codebook
from govcase.errors import DatabaseError
from govcase.models import Measure, Mechanism
from govcase.revision import head_revision
from govcase.settings import migrations_dir

# Any constant works; it only has to be the same for every govcase process.
_PG_MIGRATION_LOCK = 7_310_104_003


def make_engine(url: str, immediate: bool = False) -> Engine:
    """An engine for ``url``. ``immediate`` (SQLite): every transaction starts as a writer
    (BEGIN IMMEDIATE), so concurrent writers wait for each other at the start instead of
    failing when a read-only transaction later tries to write."""
    try:
        if url.startswith("sqlite"):
            frozen = _on_read_only_filesystem(url)
            connect = {"creator": lambda: sqlite3.connect(f"file:{frozen}?immutable=1", uri=True)} if frozen else {}
            engine = create_engine(url, connect_args={"timeout": 60}, **connect)
            event.listen(engine, "connect", _sqlite_read_only_pragmas if frozen else _sqlite_pragmas)
            event.listen(engine, "handle_error", _interrupted_is_no_disconnect)
            if immediate:
                event.listen(engine, "connect", _sqlite_manual_transactions)
                event.listen(engine, "begin", lambda conn: conn.exec_driver_sql("BEGIN IMMEDIATE"))
        else:
            engine = create_engine(url, pool_pre_ping=True)
    except (ArgumentError, ImportError) as exc:
        raise DatabaseError(f"cannot use database URL {url!r}: {exc}. "
                            "Use sqlite:///FILE.db or postgresql://USER@HOST/DB") from exc
    return engine


def _sqlite_pragmas(dbapi_connection, _record) -> None:
    cursor = dbapi_connection.cursor()
    cursor.execute("PRAGMA foreign_keys=ON")
    cursor.execute("PRAGMA journal_mode=WAL")  # readers (analysts) do not block a reload
    cursor.execute("PRAGMA synchronous=NORMAL")
    # checkpoint the WAL into the database every 64 MB, not every 4 MB (the default): a
    # 5,000-article ingest writes ~170 MB, and each checkpoint syncs both files and copies
    # index pages the next batches write again (commits: 1.1 -> 0.75 s of the writer's CPU,
    # 4.2 -> 2.6-3.9 s of its wall time). A crashed process loses no commit either way, and
    # what was stored before is never at risk (the database file changes only in a checkpoint,
    # after the WAL is synced); a power cut may undo up to 64 MB of the latest commits, not 4
    cursor.execute("PRAGMA wal_autocheckpoint=16384")
    # 8 MB (default 2 MB): the token index is written all over. 32 MB held 26 MB more in the
    # writer of a 5,000-article ingest (peak PSS 404 -> 378 MB) for ~0.5 s of its 12 s of CPU
    cursor.execute("PRAGMA cache_size=-8192")
    cursor.close()


def _interrupted_is_no_disconnect(context) -> None:
    """Ctrl-C or SIGTERM (govcase.errors.Terminated) raised in the middle of a statement is an
    error like any other for SQLite: the connection is fine, and its transaction is rolled back.

    SQLAlchemy takes an exception that is not an Exception for a lost connection and closes
    the connection without closing the statement's cursor first. sqlite3 (3.11 on) then keeps
    it open, its transaction and write lock with it, until that cursor is freed, and the
    cursor lives in the frames of the exception still unwinding: the run row's last update
    (Pipeline._recorded) waited 60 s for the lock and the interrupted ingest ended with exit 3
    "database stayed locked" instead of 130/143 (SIGTERM while storing, 3 runs in 30 of
    test_ctrl_c_and_sigterm... under load)."""
    if not isinstance(context.original_exception, Exception):
        context.is_disconnect = False


def _sqlite_read_only_pragmas(dbapi_connection, _record) -> None:
    dbapi_connection.execute("PRAGMA foreign_keys=ON")


def _on_read_only_filesystem(url: str) -> str | None:
    """The path of a SQLite database file on a read-only filesystem (a snapshot, a read-only
    mount), else None. It is opened immutable: SQLite could not make its WAL index beside
    it, and nobody can change it while it is read."""
    from sqlalchemy.engine import make_url

    try:
        database = make_url(url).database
    except ArgumentError:
        return None
    if not database or database == ":memory:" or database.startswith("file:") or not os.path.isfile(database):
        return None
    try:
        read_only = bool(os.statvfs(database).f_flag & os.ST_RDONLY)
    except OSError:
        return None
    return urllib.parse.quote(os.path.abspath(database)) if read_only else None


def _sqlite_manual_transactions(dbapi_connection, _record) -> None:
    dbapi_connection.isolation_level = None  # let SQLAlchemy's "begin" event emit BEGIN itself


def alembic_config(url: str):
    import sys

    from alembic.config import Config  # Alembic is imported only when migrating (0.3 s)

    cfg = Config(stdout=sys.stdout)  # today's stdout, not the one of whenever Alembic was imported
    cfg.set_main_option("script_location", str(migrations_dir()))
    cfg.set_main_option("sqlalchemy.url", url.replace("%", "%%"))
    return cfg


def current_revision(engine: Engine) -> str | None:
    with engine.connect() as conn:
        if not inspect(conn).has_table("alembic_version"):
            return None
        return conn.execute(text("SELECT version_num FROM alembic_version")).scalar()


def upgrade(engine: Engine, revision: str = "head") -> None:
    """Apply migrations up to ``revision`` (serialised across processes on PostgreSQL)."""
    from alembic import command

    with _revision_errors(revision), _migrating(engine) as (cfg, conn):
        if conn.dialect.name == "postgresql":
            conn.execute(text("SELECT pg_advisory_xact_lock(:k)"), {"k": _PG_MIGRATION_LOCK})
        command.upgrade(cfg, revision)
    if revision == "head":
        hold(engine, False)


def downgrade(engine: Engine, revision: str = "base") -> None:
    """Undo migrations down to ``revision``, and hold the database there: commands no longer
    upgrade it on first use (it was taken down on purpose) until ``govcase db upgrade``."""
    from alembic import command

    with _revision_errors(revision), _migrating(engine) as (cfg, _conn):
        command.downgrade(cfg, revision)
    hold(engine, True)


@contextmanager
def _revision_errors(revision: str) -> Iterator[None]:
    """Alembic's errors for a revision it cannot find or reach, as one line."""
    from alembic.script.revision import RevisionError
    from alembic.util import CommandError

    try:
        yield
    except (CommandError, RevisionError) as exc:
        reason = " ".join(str(exc).split())
        raise DatabaseError(f"cannot migrate to {revision!r}: {reason}; revisions are base, "
                            f"0001 ... {head_revision()} and head (`govcase db current` shows where it is)") from None


# PRAGMA user_version on SQLite, a comment on alembic_version on PostgreSQL: schema metadata
# that no table or migration holds, so alembic check is blind to it and a downgrade keeps it
_HELD = 1806
_HELD_COMMENT = "govcase: downgraded on purpose"


def hold(engine: Engine, held: bool) -> None:
    """Mark (or unmark) the database as downgraded on purpose."""
    with engine.begin() as conn:
        if conn.dialect.name == "sqlite":
            conn.exec_driver_sql(f"PRAGMA user_version = {_HELD if held else 0}")
        elif inspect(conn).has_table("alembic_version"):
            comment = f"'{_HELD_COMMENT}'" if held else "NULL"
            conn.exec_driver_sql(f"COMMENT ON TABLE alembic_version IS {comment}")


def is_held(engine: Engine) -> bool:
    with engine.connect() as conn:
        if conn.dialect.name == "sqlite":
            return conn.exec_driver_sql("PRAGMA user_version").scalar() == _HELD
        if not inspect(conn).has_table("alembic_version"):
            return False
        return conn.exec_driver_sql(
            "SELECT obj_description('alembic_version'::regclass, 'pg_class')").scalar() == _HELD_COMMENT


@contextmanager
def _migrating(engine: Engine) -> Iterator[tuple[object, object]]:
    """A connection in one transaction for Alembic. On SQLite, foreign keys are off while
    migrating: batch mode rebuilds a table by copy, drop and rename, and dropping a parent
    table with foreign keys on would cascade and delete its children's rows."""
    cfg = alembic_config(engine.url.render_as_string(hide_password=False))
    with engine.connect() as conn:
        sqlite_db = conn.dialect.name == "sqlite"
        if sqlite_db:  # on the driver's connection: outside any transaction, or SQLite ignores it
            conn.connection.driver_connection.execute("PRAGMA foreign_keys=OFF")
        try:
            with conn.begin():
                if sqlite_db and conn.exec_driver_sql("PRAGMA foreign_keys").scalar():
                    raise DatabaseError("cannot turn SQLite foreign keys off to migrate safely; "
                                        "close other connections of this process and retry")
                cfg.attributes["connection"] = conn
                yield cfg, conn
        finally:
            if sqlite_db:
                conn.connection.driver_connection.execute("PRAGMA foreign_keys=ON")


def seed_codebook(engine: Engine, path: Path | None = None) -> int:
    """Insert the codebook's measure and mechanism codes that are missing; returns how many."""
    book = load_codebook(path or DEFAULT_CODEBOOK)
    added = 0
    with Session(engine) as session, session.begin():
        for model, section in ((Measure, book.measures), (Mechanism, book.mechanisms)):
            have = set(session.scalars(select(model.code)))
            missing = [{"code": code, "zh": entry["zh"]} for code, entry in section.items() if code not in have]
            insert_ignore(session, model, missing)  # another process may be seeding too
            added += len(missing)
    return added


def open_database(url: str) -> Engine:
    """An engine on a database at the current schema, migrated and seeded if needed."""
    engine = make_engine(url)
    try:
        with _sqlite_setup_lock(engine):
            current, head = current_revision(engine), head_revision()
            if current != head:
                if is_held(engine):
                    raise DatabaseError(
                        f"the database was taken down to revision {current or 'base'} by `govcase db downgrade`; "
                        f"this govcase needs {head}: run `govcase db upgrade` to bring it up")
                upgrade(engine)
            seed_codebook(engine)
    except OperationalError as exc:
        engine.dispose()  # its connections closed now, not left to the collector (govcase.__main__)
        hint = ""
        if engine.url.get_backend_name() == "sqlite" and engine.url.database:
            hint = f" (does the folder {Path(engine.url.database).parent} exist and is it writable?)"
        reason = " ".join(str(exc.orig).split())
        raise DatabaseError(f"cannot open database {engine.url.render_as_string()}: {reason}{hint}") from exc
    except BaseException:
        engine.dispose()
        raise
    return engine


def sqlite_sidecar(engine: Engine, suffix: str) -> Path | None:
    """The file DB.suffix beside a SQLite database file (for its locks); None for PostgreSQL
    and in-memory SQLite."""
    database = engine.url.database
    if engine.dialect.name != "sqlite" or not database or database == ":memory:":
        return None
    return Path(database).with_name(f"{Path(database).name}.{suffix}")


@contextmanager
def _sqlite_setup_lock(engine: Engine) -> Iterator[None]:
    """Two processes opening one new SQLite database at once migrate it one after the other.

    SQLite runs Alembic's DDL outside a transaction, so without this the second process
    creates tables the first has just made ("table measures already exists"). PostgreSQL
    serialises migrations with an advisory lock instead (``upgrade``). The lock is a flock
    on a file beside the database, released when the process ends, however it ends.
    """
    path = sqlite_sidecar(engine, "setup-lock")
    if path is None:
        yield
        return
    import fcntl

    try:
        handle = open(path, "a")
    except OSError as exc:
        if exc.errno not in (errno.EROFS, errno.EACCES, errno.EPERM):
            raise
        yield  # a folder nobody may write: nobody can migrate there either, and reading needs no lock
        return
    with handle:
        fcntl.flock(handle, fcntl.LOCK_EX)
        try:
            yield
        finally:
            fcntl.flock(handle, fcntl.LOCK_UN)


def scratch_pg_database(server_url: str, prefix: str) -> tuple[str, Callable[[], None]]:
    """A new, empty database on the PostgreSQL server of ``server_url``, for tests and
    benchmarks: (its URL, a function that drops it)."""
    import uuid

    from sqlalchemy.engine import make_url

    from govcase.settings import normalise_db_url

    admin = create_engine(normalise_db_url(server_url), isolation_level="AUTOCOMMIT")
    name = f"{prefix}_{uuid.uuid4().hex[:12]}"
    with admin.connect() as conn:
        conn.execute(text(f'CREATE DATABASE "{name}"'))

    def drop() -> None:
        with admin.connect() as conn:
            conn.execute(text(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)'))
        admin.dispose()

    return make_url(normalise_db_url(server_url)).set(database=name).render_as_string(hide_password=False), drop


@contextmanager
def session_scope(engine: Engine) -> Iterator[Session]:
    """One transaction: committed when the block ends, rolled back on error."""
    factory = sessionmaker(engine, expire_on_commit=False)
    with factory() as session, session.begin():
        yield session


def _dialect_insert(session: Session, model):
    import importlib  # the dialect in use only: importing PostgreSQL's costs a SQLite run 50 ms

    name = "postgresql" if session.get_bind().dialect.name == "postgresql" else "sqlite"
    return importlib.import_module(f"sqlalchemy.dialects.{name}").insert(model)


def bulk_insert(conn, model, rows: list[dict] | list[tuple], columns: Sequence[str] | None = None) -> None:
    """Insert plain rows straight through the driver: COPY on PostgreSQL, executemany on SQLite.

    For the big fact tables SQLAlchemy's per-row parameter processing costs more than the
    database's own work; these rows are plain numbers and strings, so nothing is lost.
    ``rows`` are dicts with the same keys, or tuples in the order of ``columns``.
    """
    if not rows:
        return
    table = model.__table__
    if columns is None:
        columns = list(rows[0])
        pick = itemgetter(*columns)
        rows = [(pick(row),) for row in rows] if len(columns) == 1 else list(map(pick, rows))
    driver = conn.connection.driver_connection
    if conn.dialect.name == "postgresql":
        with driver.cursor() as cursor, cursor.copy(
                f'COPY {table.name} ({", ".join(columns)}) FROM STDIN') as copy:
            for row in rows:
                copy.write_row(row)
        return
    sql = f'INSERT INTO {table.name} ({", ".join(columns)}) VALUES ({", ".join("?" * len(columns))})'
    driver.executemany(sql, _sqlite_values(conn, table, columns, rows))


def _sqlite_values(conn, table, columns: Sequence[str], rows: Sequence[tuple]) -> Sequence[tuple]:
    """``rows`` with the values SQLAlchemy would convert for SQLite (datetimes to its text
    form) converted alike, so what goes straight to the driver reads back as the ORM wrote it."""
    convert = [table.c[name].type.dialect_impl(conn.dialect).bind_processor(conn.dialect) for name in columns]
    if not any(convert):
        return rows
    return [tuple(f(v) if f else v for f, v in zip(convert, row)) for row in rows]


def update_rows(conn, model, columns: Sequence[str], rows: Sequence[tuple], only_where: str = "") -> None:
    """Set ``columns`` of the rows of ``model`` whose id is the first value of each row
    (then the columns' values, in order), straight through the driver; ``only_where`` is an
    extra SQL condition on the table's columns ("code IS NULL").

    psycopg runs an executemany as one statement per row; on PostgreSQL the rows travel as
    one array per column instead and a single UPDATE joins them (a 5,000-article ingest
    sent 10,000 per-article UPDATEs). SQLite's executemany is one prepared statement run in C.
    """
    if not rows:
        return
    table = model.__table__
    driver = conn.connection.driver_connection
    condition = f" AND {table.name}.{only_where}" if only_where else ""
    if conn.dialect.name == "postgresql":
        types = [table.c[name].type.compile(dialect=conn.dialect) for name in ("id", *columns)]
        arrays = ", ".join(f"%s::{kind}[]" for kind in types)
        sets = ", ".join(f"{name} = v.{name}" for name in columns)
        with driver.cursor() as cursor:
            cursor.execute(f"UPDATE {table.name} SET {sets} FROM unnest({arrays}) AS v(id, {', '.join(columns)}) "
                           f"WHERE {table.name}.id = v.id{condition}", [list(values) for values in zip(*rows)])
        return
    sets = ", ".join(f"{name} = ?" for name in columns)
    driver.executemany(f"UPDATE {table.name} SET {sets} WHERE id = ?{condition}",
                       _sqlite_values(conn, table, (*columns, "id"), [(*row[1:], row[0]) for row in rows]))


def lower_to(conn, model, column: str, rows: Sequence[tuple[int, str]]) -> None:
    """Set ``column`` of each (id, value) row to the value where it is smaller than the stored
    one (in code point order) or none is stored: whatever order concurrent writers come in,
    the row ends with the smallest value any of them knew."""
    rows = sorted(rows)  # concurrent writers lock the rows in one order
    if not rows:
        return
    table = model.__table__.name
    driver = conn.connection.driver_connection
    if conn.dialect.name == "postgresql":
        with driver.cursor() as cursor:
            cursor.execute(f"UPDATE {table} t SET {column} = v.value FROM unnest(%s::integer[], %s::text[]) "
                           f"AS v(id, value) WHERE t.id = v.id AND (t.{column} IS NULL OR "
                           f't.{column} COLLATE "C" > v.value COLLATE "C")', [list(c) for c in zip(*rows)])
        return
    driver.executemany(f"UPDATE {table} SET {column} = ?1 WHERE id = ?2 AND ({column} IS NULL OR {column} > ?1)",
                       [(value, i) for i, value in rows])


def reserve_ids(conn, model, n: int) -> list[int]:
    """``n`` new primary keys for ``model``, so its rows can be bulk inserted with their ids known.

    PostgreSQL takes them from the table's sequence (safe with concurrent writers); SQLite
    continues after the largest id, which is safe because a SQLite writer holds the database's
    write lock for its whole transaction (govcase begins IMMEDIATE).
    """
    if n <= 0:
        return []
    table = model.__table__.name
    if conn.dialect.name == "postgresql":
        return list(conn.exec_driver_sql(
            f"SELECT nextval(pg_get_serial_sequence('{table}', 'id')) FROM generate_series(1, {int(n)})").scalars())
    first = conn.exec_driver_sql(f"SELECT COALESCE(MAX(id), 0) + 1 FROM {table}").scalar()
    return list(range(first, first + n))


def insert_ignore(session: Session, model, rows: list[dict]) -> None:
    """INSERT ... ON CONFLICT DO NOTHING: get-or-create that concurrent writers cannot break."""
    if rows:
        session.execute(_dialect_insert(session, model).on_conflict_do_nothing(), rows)


def upsert(session: Session, model, values: dict, keys: tuple[str, ...]) -> None:
    """INSERT ... ON CONFLICT (keys) DO UPDATE: one row per natural key, the latest values."""
    stmt = _dialect_insert(session, model).values(**values)
    changed = {k: stmt.excluded[k] for k in values if k not in keys}
    session.execute(stmt.on_conflict_do_update(index_elements=list(keys), set_=changed))
