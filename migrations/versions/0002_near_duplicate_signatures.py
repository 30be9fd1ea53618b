"""Near-duplicate signatures: MinHash per article and its LSH bands, and the cluster similarity.

Revision ID: 0002
Revises: 0001
Create Date: 2026-11-22 03:03:00.072773
"""
from __future__ import annotations

from alembic import op
import sqlalchemy as sa


revision = '0002'
down_revision = '0001'
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table('article_signatures',
    sa.Column('article_id', sa.Integer(), nullable=False),
    sa.Column('minhash', sa.LargeBinary(), nullable=False),
    sa.Column('shingles', sa.Integer(), nullable=False),
    sa.Column('anchors', sa.Text(), nullable=False),
    sa.ForeignKeyConstraint(['article_id'], ['articles.id'], name=op.f('fk_article_signatures_article_id_articles'), ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('article_id', name=op.f('pk_article_signatures'))
    )
    op.create_table('minhash_bands',
    sa.Column('article_id', sa.Integer(), nullable=False),
    sa.Column('band', sa.Integer(), nullable=False),
    sa.Column('bucket', sa.BigInteger(), nullable=False),
    sa.ForeignKeyConstraint(['article_id'], ['articles.id'], name=op.f('fk_minhash_bands_article_id_articles'), ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('article_id', 'band', name=op.f('pk_minhash_bands'))
    )
    with op.batch_alter_table('minhash_bands', schema=None) as batch_op:
        batch_op.create_index('ix_minhash_bands_band_bucket', ['band', 'bucket'], unique=False)

    with op.batch_alter_table('articles', schema=None) as batch_op:
        batch_op.add_column(sa.Column('duplicate_similarity', sa.Float(), nullable=True))



def downgrade() -> None:
    with op.batch_alter_table('articles', schema=None) as batch_op:
        batch_op.drop_column('duplicate_similarity')

    with op.batch_alter_table('minhash_bands', schema=None) as batch_op:
        batch_op.drop_index('ix_minhash_bands_band_bucket')

    op.drop_table('minhash_bands')
    op.drop_table('article_signatures')
