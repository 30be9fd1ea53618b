"""Search tokens as one row per article (article_words), with a full-text index; `tokens` is a view.

0004 wrote a row per token (1.5M rows, 70 MB for 5,000 articles), and writing them was the
largest single cost of an ingest: 7 of the writer's 18 CPU seconds on SQLite. One row per
article with a column per kind stores the same words for a twentieth of that: on SQLite the
words joined by line breaks, indexed by an FTS5 table; on PostgreSQL text[] columns with GIN
indexes. At one row per article the foreign key costs nothing, so deleting an article deletes
its words (0004's table had none, and could keep words of deleted articles).

The FTS5 index (``article_words_fts``) is an external-content table over ``article_words``:
govcase inserts into both (govcase.search.write_tokens; an insert trigger made the index
2.5 times as costly to write, FTS5 then flushing its buffer after every row), and a delete
trigger keeps it in step with every delete, cascades from ``articles`` included. Its
tokenizer is FTS5's ascii one with every ASCII punctuation character and the space made word
characters, so each line of a column is one FTS word: exactly the token, but for A-Z, which
the index folds to lower case.

Analysts' (token, kind, article_id) rows stay available as the view ``tokens``: on SQLite
over an fts5vocab table of the index, on PostgreSQL the arrays unnested.

Tokens are derived rows. Like 0004, the upgrade and the downgrade mark every article's
facts for loading again (``load_version`` NULL), so the next ``govcase ingest`` or
``govcase reload`` writes the tokens from the stored tag results without re-tagging.

Revision ID: 0005
Revises: 0004
Create Date: 2026-11-22 08:00:00
"""
from __future__ import annotations

from alembic import op
import sqlalchemy as sa
from sqlalchemy.dialects import postgresql

from govcase.errors import DatabaseError


revision = '0005'
down_revision = '0004'
branch_labels = None
depends_on = None

KINDS = ('word', 'measure', 'mechanism', 'place')
# every ASCII punctuation character and the space are parts of words: only the line break
# (and the other control characters) separates the FTS words
_WORD_CHARACTERS = ''.join(c for c in map(chr, range(0x20, 0x7f)) if not c.isalnum())


def _quoted(text: str) -> str:
    return "'" + text.replace("'", "''") + "'"


_SQLITE_INDEX = f"""
CREATE VIRTUAL TABLE article_words_fts USING fts5(
    {', '.join(KINDS)},
    content='article_words', content_rowid='article_id', detail=column,
    tokenize={_quoted('ascii tokenchars ' + _quoted(_WORD_CHARACTERS))})"""
_SQLITE_DELETE_TRIGGER = f"""
CREATE TRIGGER article_words_fts_delete AFTER DELETE ON article_words BEGIN
    INSERT INTO article_words_fts(article_words_fts, rowid, {', '.join(KINDS)})
    VALUES ('delete', old.article_id, {', '.join(f'old.{k}' for k in KINDS)});
END"""
_SQLITE_TOKENS = """
CREATE VIEW tokens AS
SELECT term AS token, col AS kind, doc AS article_id FROM article_words_vocab"""
_POSTGRESQL_TOKENS = "CREATE VIEW tokens AS\n" + "\nUNION ALL\n".join(
    f"SELECT unnest({k}) AS token, '{k}'::text AS kind, article_id FROM article_words" for k in KINDS)


def _reload_facts() -> None:
    op.execute("UPDATE articles SET load_version = NULL")


def _sqlite() -> bool:
    return op.get_bind().dialect.name == 'sqlite'


def _create_sqlite_index() -> None:
    try:
        op.execute(_SQLITE_INDEX)
    except sa.exc.OperationalError as exc:
        if 'no such module: fts5' not in str(exc):
            raise
        import sqlite3

        raise DatabaseError(f"this Python's SQLite ({sqlite3.sqlite_version}) has no FTS5, "
                            "which govcase's search index needs: use a Python whose sqlite3 module "
                            "includes FTS5 (the python.org and most Linux builds do), or PostgreSQL") from None
    op.execute(_SQLITE_DELETE_TRIGGER)
    op.execute("CREATE VIRTUAL TABLE article_words_vocab USING fts5vocab(article_words_fts, 'instance')")


def upgrade() -> None:
    op.drop_index(op.f('ix_tokens_article_id'), table_name='tokens')
    op.drop_table('tokens')
    words = sa.Text().with_variant(postgresql.ARRAY(sa.Text()), 'postgresql')
    op.create_table('article_words',
    sa.Column('article_id', sa.Integer(), nullable=False),
    *(sa.Column(kind, words, nullable=False) for kind in KINDS),
    sa.ForeignKeyConstraint(['article_id'], ['articles.id'], name=op.f('fk_article_words_article_id_articles'),
                            ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('article_id', name=op.f('pk_article_words'))
    )
    if _sqlite():
        _create_sqlite_index()
        op.execute(_SQLITE_TOKENS)
    else:
        for kind in KINDS:
            op.create_index(op.f(f'ix_article_words_{kind}'), 'article_words', [kind], unique=False,
                            postgresql_using='gin')
        op.execute(_POSTGRESQL_TOKENS)
    _reload_facts()


def downgrade() -> None:
    op.execute("DROP VIEW tokens")
    if _sqlite():
        op.execute("DROP TABLE article_words_vocab")
        op.execute("DROP TRIGGER article_words_fts_delete")
        op.execute("DROP TABLE article_words_fts")
    else:
        for kind in KINDS:
            op.drop_index(op.f(f'ix_article_words_{kind}'), table_name='article_words')
    op.drop_table('article_words')
    op.create_table('tokens',
    sa.Column('token', sa.String(length=128), nullable=False),
    sa.Column('kind', sa.String(length=16), nullable=False),
    sa.Column('article_id', sa.Integer(), nullable=False),
    sa.PrimaryKeyConstraint('token', 'kind', 'article_id', name=op.f('pk_tokens')),
    sqlite_with_rowid=False
    )
    op.create_index(op.f('ix_tokens_article_id'), 'tokens', ['article_id'], unique=False)
    _reload_facts()
