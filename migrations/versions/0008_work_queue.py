"""A work queue claimed by many workers, and near-duplicate clusters settled by a rule on content.

``work_queue``: sources with stages to run; PostgreSQL workers on any machine claim batches of
it with FOR UPDATE SKIP LOCKED, and a claim expires so a killed worker's batch is taken over.
``cluster_queue``: articles whose signature changed, settled by whichever process next holds
the cluster step. ``articles.duplicate_parent_id``: the earliest (by published date, then
sha256) of the same stories told earlier; following it up gives ``duplicate_of_id``, so the
clusters no longer depend on the order of arrival. Every signed article is queued for
settling, so the next run rebuilds the clusters by the new rule.

On PostgreSQL the fact tables lose the foreign keys that were checked row by row (two thirds
of the server's work per article; govcase.models.SQLITE_ONLY_KEYS says which and why), a
statement-level trigger deletes an article's facts with it instead, and the large text
columns are compressed with lz4 where the server has it (pglz cost more CPU and compressed
Chinese text little).

Revision ID: 0008
Revises: 0007
Create Date: 2026-12-07 03:00:00
"""
from __future__ import annotations

from alembic import op
import sqlalchemy as sa


revision = '0008'
down_revision = '0007'
branch_labels = None
depends_on = None


# (table, column, referred table, ON DELETE) of the keys PostgreSQL no longer checks
_KEYS = [
    ('place_mentions', 'article_id', 'articles', 'CASCADE'), ('place_mentions', 'evidence_id', 'evidence', 'CASCADE'),
    ('place_mentions', 'place_id', 'places', 'RESTRICT'),
    ('measure_mentions', 'article_id', 'articles', 'CASCADE'),
    ('measure_mentions', 'evidence_id', 'evidence', 'CASCADE'),
    ('measure_mentions', 'measure_code', 'measures', 'RESTRICT'),
    ('mechanism_mentions', 'article_id', 'articles', 'CASCADE'),
    ('mechanism_mentions', 'evidence_id', 'evidence', 'CASCADE'),
    ('mechanism_mentions', 'mechanism_code', 'mechanisms', 'RESTRICT'),
    ('projects', 'article_id', 'articles', 'CASCADE'), ('projects', 'evidence_id', 'evidence', 'CASCADE'),
    ('projects', 'place_id', 'places', 'RESTRICT'),
    ('outcomes', 'article_id', 'articles', 'CASCADE'), ('outcomes', 'evidence_id', 'evidence', 'CASCADE'),
    ('outcomes', 'place_id', 'places', 'RESTRICT'), ('outcomes', 'project_id', 'projects', 'SET NULL'),
    ('outcomes', 'measure_code', 'measures', 'RESTRICT'),
    ('project_measures', 'measure_code', 'measures', 'RESTRICT'),
    ('evidence', 'article_id', 'articles', 'CASCADE'), ('minhash_bands', 'article_id', 'articles', 'CASCADE'),
]
_FACTS = ('outcomes', 'projects', 'place_mentions', 'measure_mentions', 'mechanism_mentions', 'evidence',
          'minhash_bands')
_DELETE_FACTS = """
CREATE FUNCTION govcase_delete_facts() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
""" + "".join(f"    DELETE FROM {t} WHERE article_id IN (SELECT id FROM gone);\n" for t in _FACTS) + """    RETURN NULL;
END $$"""
_TRIGGER = ("CREATE TRIGGER articles_delete_facts AFTER DELETE ON articles REFERENCING OLD TABLE AS gone "
            "FOR EACH STATEMENT EXECUTE FUNCTION govcase_delete_facts()")
_COMPRESSED = (('articles', 'body'), ('tag_results', 'payload'), ('evidence', 'text'),
               ('article_words', 'word'), ('sources', 'raw'))


def _key_name(table: str, column: str, referred: str) -> str:
    return f'fk_{table}_{column}_{referred}'


def _postgresql_upgrade() -> None:
    for table, column, referred, _ in _KEYS:
        op.drop_constraint(_key_name(table, column, referred), table, type_='foreignkey')
    op.execute(_DELETE_FACTS)
    op.execute(_TRIGGER)
    lz4 = op.get_bind().exec_driver_sql(
        "SELECT 'lz4' = ANY(enumvals) FROM pg_settings WHERE name = 'default_toast_compression'").scalar()
    for table, column in _COMPRESSED if lz4 else ():
        op.execute(f"ALTER TABLE {table} ALTER COLUMN {column} SET COMPRESSION lz4")


def _postgresql_downgrade() -> None:
    for table, column in _COMPRESSED:
        op.execute(f"ALTER TABLE {table} ALTER COLUMN {column} SET COMPRESSION default")
    op.execute("DROP TRIGGER articles_delete_facts ON articles")
    op.execute("DROP FUNCTION govcase_delete_facts()")
    for table, column, referred, ondelete in _KEYS:
        remote = 'code' if referred in ('measures', 'mechanisms') else 'id'
        op.create_foreign_key(_key_name(table, column, referred), table, referred, [column], [remote],
                              ondelete=ondelete)


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
    if op.get_bind().dialect.name == 'postgresql':
        _postgresql_upgrade()


def downgrade() -> None:
    if op.get_bind().dialect.name == 'postgresql':
        _postgresql_downgrade()
    op.drop_index(op.f('ix_articles_duplicate_parent_id'), table_name='articles')
    op.drop_column('articles', 'duplicate_parent_id')
    op.drop_table('cluster_queue')
    op.drop_table('work_queue')
