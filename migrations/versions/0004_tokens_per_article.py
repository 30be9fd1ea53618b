"""Search tokens once per article: (token, kind, article_id), keyed by the token.

0003 stored one row per evidence sentence and token, with three indexes; most
words recur across an article's sentences, and the rows were the largest share
of what an ingest writes. Search now finds the articles by token and their
sentences by LIKE within them, so the sentence is not needed in the row. Nor is
a foreign key: on PostgreSQL its check on every row doubled the time of writing
the table, which is a derived index that govcase deletes with the facts.

Tokens are derived rows. The upgrade empties the table and marks every
article's facts for loading again (``load_version`` NULL), so the next
``govcase ingest`` or ``govcase reload`` writes the new tokens from the stored
tag results without re-tagging anything. The downgrade does the same for 0003's
table.

Revision ID: 0004
Revises: 0003
Create Date: 2026-11-22 06:00:00
"""
from __future__ import annotations

from alembic import op
import sqlalchemy as sa


revision = '0004'
down_revision = '0003'
branch_labels = None
depends_on = None


def _reload_facts() -> None:
    op.execute("UPDATE articles SET load_version = NULL")


def upgrade() -> None:
    with op.batch_alter_table('tokens', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_tokens_token'))
        batch_op.drop_index(batch_op.f('ix_tokens_evidence_id'))
        batch_op.drop_index(batch_op.f('ix_tokens_article_id'))
    op.drop_table('tokens')
    op.create_table('tokens',
    sa.Column('token', sa.String(length=128), nullable=False),
    sa.Column('kind', sa.String(length=16), nullable=False),
    sa.Column('article_id', sa.Integer(), nullable=False),
    sa.PrimaryKeyConstraint('token', 'kind', 'article_id', name=op.f('pk_tokens')),
    sqlite_with_rowid=False
    )
    with op.batch_alter_table('tokens', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_tokens_article_id'), ['article_id'], unique=False)
    _reload_facts()


def downgrade() -> None:
    with op.batch_alter_table('tokens', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_tokens_article_id'))
    op.drop_table('tokens')
    op.create_table('tokens',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('article_id', sa.Integer(), nullable=False),
    sa.Column('evidence_id', sa.Integer(), nullable=True),
    sa.Column('token', sa.String(length=128), nullable=False),
    sa.Column('kind', sa.String(length=16), nullable=False),
    sa.ForeignKeyConstraint(['article_id'], ['articles.id'], name=op.f('fk_tokens_article_id_articles'), ondelete='CASCADE'),
    sa.ForeignKeyConstraint(['evidence_id'], ['evidence.id'], name=op.f('fk_tokens_evidence_id_evidence'), ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_tokens'))
    )
    with op.batch_alter_table('tokens', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_tokens_article_id'), ['article_id'], unique=False)
        batch_op.create_index(batch_op.f('ix_tokens_evidence_id'), ['evidence_id'], unique=False)
        batch_op.create_index(batch_op.f('ix_tokens_token'), ['token'], unique=False)
    _reload_facts()
