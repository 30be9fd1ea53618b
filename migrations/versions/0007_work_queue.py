"""A work queue claimed by many workers, and near-duplicate clusters settled by a rule on content.

``work_queue``: sources with stages to run; PostgreSQL workers on any machine claim batches of
it with FOR UPDATE SKIP LOCKED, and a claim expires so a killed worker's batch is taken over.
``cluster_queue``: articles whose signature changed, settled by whichever process next holds
the cluster step. ``articles.duplicate_parent_id``: the earliest (by published date, then
sha256) of the same stories told earlier; following it up gives ``duplicate_of_id``, so the
clusters no longer depend on the order of arrival. Every signed article is queued for
settling, so the next run rebuilds the clusters by the new rule.

Revision ID: 0007
Revises: 0005
Create Date: 2026-12-07 03:00:00
"""
from __future__ import annotations

from alembic import op
import sqlalchemy as sa


revision = '0007'
down_revision = '0005'
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table('work_queue',
    sa.Column('source_id', sa.Integer(), nullable=False),
    sa.Column('first_stage', sa.Integer(), nullable=False),
    sa.Column('claimed_by', sa.String(length=64), nullable=True),
    sa.Column('claimed_until', sa.DateTime(timezone=True), nullable=True),
    sa.ForeignKeyConstraint(['source_id'], ['sources.id'], name=op.f('fk_work_queue_source_id_sources'),
                            ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('source_id', name=op.f('pk_work_queue'))
    )
    op.create_table('cluster_queue',
    sa.Column('article_id', sa.Integer(), nullable=False),
    sa.ForeignKeyConstraint(['article_id'], ['articles.id'], name=op.f('fk_cluster_queue_article_id_articles'),
                            ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('article_id', name=op.f('pk_cluster_queue'))
    )
    # added in place, without batch mode: that would rebuild articles under the views that read it
    op.add_column('articles', sa.Column('duplicate_parent_id', sa.Integer(), nullable=True))
    op.create_index(op.f('ix_articles_duplicate_parent_id'), 'articles', ['duplicate_parent_id'], unique=False)
    op.execute("INSERT INTO cluster_queue (article_id) SELECT article_id FROM article_signatures")


def downgrade() -> None:
    op.drop_index(op.f('ix_articles_duplicate_parent_id'), table_name='articles')
    op.drop_column('articles', 'duplicate_parent_id')
    op.drop_table('cluster_queue')
    op.drop_table('work_queue')
