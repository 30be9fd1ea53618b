"""What each tag version read (tag_inputs) and which older versions a reload found untouched
(tag_equivalents), for reloads by dependency; files' stamps (file_stamps), so an ingest of an
unchanged folder skips reading it.

Both tables are derived data: the downgrade drops them and loses nothing an ingest or a
reload cannot make again (articles tagged under a version with no tag_inputs row are all
tagged again by the next reload after an edit, as before this migration).

Revision ID: 0007
Revises: 0006
Create Date: 2026-12-07 03:00:00
"""
from __future__ import annotations

from alembic import op
import sqlalchemy as sa


revision = '0007'
down_revision = '0006'
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table('tag_inputs',
    sa.Column('tag_version', sa.String(length=64), nullable=False),
    sa.Column('rest', sa.String(length=64), nullable=False),
    sa.Column('lexicon', sa.Text(), nullable=False),
    sa.Column('created_at', sa.DateTime(timezone=True), nullable=False),
    sa.PrimaryKeyConstraint('tag_version', name=op.f('pk_tag_inputs'))
    )
    op.create_table('tag_equivalents',
    sa.Column('tag_version', sa.String(length=64), nullable=False),
    sa.Column('current', sa.String(length=64), nullable=False),
    sa.PrimaryKeyConstraint('tag_version', 'current', name=op.f('pk_tag_equivalents'))
    )
    op.create_table('file_stamps',
    sa.Column('location', sa.Text(), nullable=False),
    sa.Column('size', sa.BigInteger(), nullable=False),
    sa.Column('mtime_ns', sa.BigInteger(), nullable=False),
    sa.Column('source_id', sa.Integer(), nullable=False),
    sa.ForeignKeyConstraint(['source_id'], ['sources.id'], name=op.f('fk_file_stamps_source_id_sources'),
                            ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('location', name=op.f('pk_file_stamps'))
    )
    with op.batch_alter_table('file_stamps', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_file_stamps_source_id'), ['source_id'], unique=False)


def downgrade() -> None:
    with op.batch_alter_table('file_stamps', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_file_stamps_source_id'))
    op.drop_table('file_stamps')
    op.drop_table('tag_equivalents')
    op.drop_table('tag_inputs')
