"""Initial schema: sources, articles, places, facts with their evidence, runs, rejects.

Revision ID: 0001
Revises: 
Create Date: 2026-11-22 02:45:13.846895
"""
from __future__ import annotations

from alembic import op
import sqlalchemy as sa


revision = '0001'
down_revision = None
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table('measures',
    sa.Column('code', sa.String(length=32), nullable=False),
    sa.Column('zh', sa.String(length=64), nullable=False),
    sa.PrimaryKeyConstraint('code', name=op.f('pk_measures'))
    )
    op.create_table('mechanisms',
    sa.Column('code', sa.String(length=32), nullable=False),
    sa.Column('zh', sa.String(length=64), nullable=False),
    sa.PrimaryKeyConstraint('code', name=op.f('pk_mechanisms'))
    )
    op.create_table('places',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('key', sa.String(length=512), nullable=False),
    sa.Column('name', sa.String(length=128), nullable=False),
    sa.Column('level', sa.String(length=16), nullable=False),
    sa.Column('parent_id', sa.Integer(), nullable=True),
    sa.Column('code', sa.String(length=16), nullable=True),
    sa.ForeignKeyConstraint(['parent_id'], ['places.id'], name=op.f('fk_places_parent_id_places'), ondelete='RESTRICT'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_places')),
    sa.UniqueConstraint('key', name=op.f('uq_places_key'))
    )
    with op.batch_alter_table('places', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_places_code'), ['code'], unique=False)
        batch_op.create_index(batch_op.f('ix_places_level'), ['level'], unique=False)
        batch_op.create_index(batch_op.f('ix_places_name'), ['name'], unique=False)
        batch_op.create_index(batch_op.f('ix_places_parent_id'), ['parent_id'], unique=False)

    op.create_table('runs',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('command', sa.String(length=32), nullable=False),
    sa.Column('started_at', sa.DateTime(timezone=True), nullable=False),
    sa.Column('finished_at', sa.DateTime(timezone=True), nullable=True),
    sa.Column('status', sa.String(length=16), nullable=False),
    sa.Column('clean_version', sa.String(length=64), nullable=False),
    sa.Column('tag_version', sa.String(length=64), nullable=False),
    sa.Column('lexicon_version', sa.String(length=64), nullable=True),
    sa.Column('govcase_version', sa.String(length=32), nullable=False),
    sa.Column('summary', sa.Text(), nullable=True),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_runs'))
    )
    op.create_table('place_aliases',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('place_id', sa.Integer(), nullable=False),
    sa.Column('alias', sa.String(length=128), nullable=False),
    sa.ForeignKeyConstraint(['place_id'], ['places.id'], name=op.f('fk_place_aliases_place_id_places'), ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_place_aliases')),
    sa.UniqueConstraint('place_id', 'alias', name=op.f('uq_place_aliases_place_id_alias'))
    )
    with op.batch_alter_table('place_aliases', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_place_aliases_alias'), ['alias'], unique=False)
        batch_op.create_index(batch_op.f('ix_place_aliases_place_id'), ['place_id'], unique=False)

    op.create_table('sources',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('sha256', sa.String(length=64), nullable=False),
    sa.Column('label', sa.Text(), nullable=False),
    sa.Column('media_type', sa.String(length=16), nullable=False),
    sa.Column('encoding', sa.String(length=32), nullable=True),
    sa.Column('size', sa.Integer(), nullable=False),
    sa.Column('raw', sa.LargeBinary(), nullable=False),
    sa.Column('hints', sa.Text(), nullable=True),
    sa.Column('created_at', sa.DateTime(timezone=True), nullable=False),
    sa.Column('run_id', sa.Integer(), nullable=True),
    sa.ForeignKeyConstraint(['run_id'], ['runs.id'], name=op.f('fk_sources_run_id_runs'), ondelete='SET NULL'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_sources')),
    sa.UniqueConstraint('sha256', name=op.f('uq_sources_sha256'))
    )
    with op.batch_alter_table('sources', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_sources_run_id'), ['run_id'], unique=False)

    op.create_table('articles',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('source_id', sa.Integer(), nullable=False),
    sa.Column('title', sa.Text(), nullable=True),
    sa.Column('published', sa.String(length=32), nullable=True),
    sa.Column('published_precision', sa.String(length=16), nullable=True),
    sa.Column('outlet', sa.Text(), nullable=True),
    sa.Column('author', sa.Text(), nullable=True),
    sa.Column('editor', sa.Text(), nullable=True),
    sa.Column('url', sa.Text(), nullable=True),
    sa.Column('body', sa.Text(), nullable=False),
    sa.Column('script', sa.String(length=16), nullable=False),
    sa.Column('encoding', sa.String(length=32), nullable=True),
    sa.Column('flags', sa.Text(), nullable=True),
    sa.Column('duplicate_of_id', sa.Integer(), nullable=True),
    sa.Column('clean_version', sa.String(length=64), nullable=False),
    sa.Column('tag_version', sa.String(length=64), nullable=True),
    sa.Column('load_version', sa.String(length=64), nullable=True),
    sa.Column('cleaned_at', sa.DateTime(timezone=True), nullable=False),
    sa.Column('run_id', sa.Integer(), nullable=True),
    sa.ForeignKeyConstraint(['duplicate_of_id'], ['articles.id'], name=op.f('fk_articles_duplicate_of_id_articles'), ondelete='SET NULL'),
    sa.ForeignKeyConstraint(['run_id'], ['runs.id'], name=op.f('fk_articles_run_id_runs'), ondelete='SET NULL'),
    sa.ForeignKeyConstraint(['source_id'], ['sources.id'], name=op.f('fk_articles_source_id_sources'), ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_articles')),
    sa.UniqueConstraint('source_id', name=op.f('uq_articles_source_id'))
    )
    with op.batch_alter_table('articles', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_articles_duplicate_of_id'), ['duplicate_of_id'], unique=False)
        batch_op.create_index('ix_articles_pending_tag', ['tag_version'], unique=False)
        batch_op.create_index(batch_op.f('ix_articles_run_id'), ['run_id'], unique=False)

    op.create_table('rejects',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('stage', sa.String(length=16), nullable=False),
    sa.Column('location', sa.Text(), nullable=False),
    sa.Column('source_id', sa.Integer(), nullable=True),
    sa.Column('sha256', sa.String(length=64), nullable=True),
    sa.Column('reason', sa.String(length=32), nullable=False),
    sa.Column('detail', sa.Text(), nullable=True),
    sa.Column('created_at', sa.DateTime(timezone=True), nullable=False),
    sa.Column('run_id', sa.Integer(), nullable=True),
    sa.ForeignKeyConstraint(['run_id'], ['runs.id'], name=op.f('fk_rejects_run_id_runs'), ondelete='SET NULL'),
    sa.ForeignKeyConstraint(['source_id'], ['sources.id'], name=op.f('fk_rejects_source_id_sources'), ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_rejects')),
    sa.UniqueConstraint('stage', 'location', name=op.f('uq_rejects_stage_location'))
    )
    with op.batch_alter_table('rejects', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_rejects_reason'), ['reason'], unique=False)
        batch_op.create_index(batch_op.f('ix_rejects_run_id'), ['run_id'], unique=False)
        batch_op.create_index(batch_op.f('ix_rejects_source_id'), ['source_id'], unique=False)

    op.create_table('source_locations',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('source_id', sa.Integer(), nullable=False),
    sa.Column('location', sa.Text(), nullable=False),
    sa.ForeignKeyConstraint(['source_id'], ['sources.id'], name=op.f('fk_source_locations_source_id_sources'), ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_source_locations')),
    sa.UniqueConstraint('source_id', 'location', name=op.f('uq_source_locations_source_id_location'))
    )
    with op.batch_alter_table('source_locations', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_source_locations_source_id'), ['source_id'], unique=False)

    op.create_table('evidence',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('article_id', sa.Integer(), nullable=False),
    sa.Column('char_start', sa.Integer(), nullable=False),
    sa.Column('char_end', sa.Integer(), nullable=False),
    sa.Column('text', sa.Text(), nullable=False),
    sa.ForeignKeyConstraint(['article_id'], ['articles.id'], name=op.f('fk_evidence_article_id_articles'), ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_evidence')),
    sa.UniqueConstraint('article_id', 'char_start', 'char_end', name=op.f('uq_evidence_article_id_char_start_char_end'))
    )
    with op.batch_alter_table('evidence', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_evidence_article_id'), ['article_id'], unique=False)

    op.create_table('tag_results',
    sa.Column('article_id', sa.Integer(), nullable=False),
    sa.Column('tag_version', sa.String(length=64), nullable=False),
    sa.Column('payload', sa.Text(), nullable=False),
    sa.Column('tagged_at', sa.DateTime(timezone=True), nullable=False),
    sa.Column('run_id', sa.Integer(), nullable=True),
    sa.ForeignKeyConstraint(['article_id'], ['articles.id'], name=op.f('fk_tag_results_article_id_articles'), ondelete='CASCADE'),
    sa.ForeignKeyConstraint(['run_id'], ['runs.id'], name=op.f('fk_tag_results_run_id_runs'), ondelete='SET NULL'),
    sa.PrimaryKeyConstraint('article_id', name=op.f('pk_tag_results'))
    )
    with op.batch_alter_table('tag_results', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_tag_results_run_id'), ['run_id'], unique=False)

    op.create_table('measure_mentions',
    sa.Column('article_id', sa.Integer(), nullable=False),
    sa.Column('evidence_id', sa.Integer(), nullable=False),
    sa.Column('measure_code', sa.String(length=32), nullable=False),
    sa.Column('surface', sa.String(length=128), nullable=False),
    sa.Column('pattern_id', sa.String(length=64), nullable=True),
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('char_start', sa.Integer(), nullable=False),
    sa.Column('char_end', sa.Integer(), nullable=False),
    sa.ForeignKeyConstraint(['article_id'], ['articles.id'], name=op.f('fk_measure_mentions_article_id_articles'), ondelete='CASCADE'),
    sa.ForeignKeyConstraint(['evidence_id'], ['evidence.id'], name=op.f('fk_measure_mentions_evidence_id_evidence'), ondelete='CASCADE'),
    sa.ForeignKeyConstraint(['measure_code'], ['measures.code'], name=op.f('fk_measure_mentions_measure_code_measures'), ondelete='RESTRICT'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_measure_mentions'))
    )
    with op.batch_alter_table('measure_mentions', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_measure_mentions_article_id'), ['article_id'], unique=False)
        batch_op.create_index(batch_op.f('ix_measure_mentions_evidence_id'), ['evidence_id'], unique=False)
        batch_op.create_index(batch_op.f('ix_measure_mentions_measure_code'), ['measure_code'], unique=False)

    op.create_table('mechanism_mentions',
    sa.Column('article_id', sa.Integer(), nullable=False),
    sa.Column('evidence_id', sa.Integer(), nullable=False),
    sa.Column('mechanism_code', sa.String(length=32), nullable=False),
    sa.Column('surface', sa.String(length=128), nullable=False),
    sa.Column('pattern_id', sa.String(length=64), nullable=True),
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('char_start', sa.Integer(), nullable=False),
    sa.Column('char_end', sa.Integer(), nullable=False),
    sa.ForeignKeyConstraint(['article_id'], ['articles.id'], name=op.f('fk_mechanism_mentions_article_id_articles'), ondelete='CASCADE'),
    sa.ForeignKeyConstraint(['evidence_id'], ['evidence.id'], name=op.f('fk_mechanism_mentions_evidence_id_evidence'), ondelete='CASCADE'),
    sa.ForeignKeyConstraint(['mechanism_code'], ['mechanisms.code'], name=op.f('fk_mechanism_mentions_mechanism_code_mechanisms'), ondelete='RESTRICT'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_mechanism_mentions'))
    )
    with op.batch_alter_table('mechanism_mentions', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_mechanism_mentions_article_id'), ['article_id'], unique=False)
        batch_op.create_index(batch_op.f('ix_mechanism_mentions_evidence_id'), ['evidence_id'], unique=False)
        batch_op.create_index(batch_op.f('ix_mechanism_mentions_mechanism_code'), ['mechanism_code'], unique=False)

    op.create_table('place_mentions',
    sa.Column('article_id', sa.Integer(), nullable=False),
    sa.Column('evidence_id', sa.Integer(), nullable=False),
    sa.Column('place_id', sa.Integer(), nullable=False),
    sa.Column('surface', sa.String(length=128), nullable=False),
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('char_start', sa.Integer(), nullable=False),
    sa.Column('char_end', sa.Integer(), nullable=False),
    sa.ForeignKeyConstraint(['article_id'], ['articles.id'], name=op.f('fk_place_mentions_article_id_articles'), ondelete='CASCADE'),
    sa.ForeignKeyConstraint(['evidence_id'], ['evidence.id'], name=op.f('fk_place_mentions_evidence_id_evidence'), ondelete='CASCADE'),
    sa.ForeignKeyConstraint(['place_id'], ['places.id'], name=op.f('fk_place_mentions_place_id_places'), ondelete='RESTRICT'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_place_mentions'))
    )
    with op.batch_alter_table('place_mentions', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_place_mentions_article_id'), ['article_id'], unique=False)
        batch_op.create_index(batch_op.f('ix_place_mentions_evidence_id'), ['evidence_id'], unique=False)
        batch_op.create_index(batch_op.f('ix_place_mentions_place_id'), ['place_id'], unique=False)

    op.create_table('projects',
    sa.Column('article_id', sa.Integer(), nullable=False),
    sa.Column('evidence_id', sa.Integer(), nullable=False),
    sa.Column('name', sa.String(length=128), nullable=False),
    sa.Column('place_id', sa.Integer(), nullable=True),
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('char_start', sa.Integer(), nullable=False),
    sa.Column('char_end', sa.Integer(), nullable=False),
    sa.ForeignKeyConstraint(['article_id'], ['articles.id'], name=op.f('fk_projects_article_id_articles'), ondelete='CASCADE'),
    sa.ForeignKeyConstraint(['evidence_id'], ['evidence.id'], name=op.f('fk_projects_evidence_id_evidence'), ondelete='CASCADE'),
    sa.ForeignKeyConstraint(['place_id'], ['places.id'], name=op.f('fk_projects_place_id_places'), ondelete='RESTRICT'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_projects'))
    )
    with op.batch_alter_table('projects', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_projects_article_id'), ['article_id'], unique=False)
        batch_op.create_index(batch_op.f('ix_projects_evidence_id'), ['evidence_id'], unique=False)
        batch_op.create_index(batch_op.f('ix_projects_name'), ['name'], unique=False)
        batch_op.create_index(batch_op.f('ix_projects_place_id'), ['place_id'], unique=False)

    op.create_table('outcomes',
    sa.Column('article_id', sa.Integer(), nullable=False),
    sa.Column('evidence_id', sa.Integer(), nullable=False),
    sa.Column('value', sa.Float(), nullable=False),
    sa.Column('surface', sa.String(length=64), nullable=False),
    sa.Column('unit', sa.String(length=16), nullable=False),
    sa.Column('unit_class', sa.String(length=16), nullable=False),
    sa.Column('approx', sa.String(length=8), nullable=True),
    sa.Column('metric', sa.String(length=64), nullable=True),
    sa.Column('status', sa.String(length=16), nullable=True),
    sa.Column('place_id', sa.Integer(), nullable=True),
    sa.Column('project_id', sa.Integer(), nullable=True),
    sa.Column('measure_code', sa.String(length=32), nullable=True),
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('char_start', sa.Integer(), nullable=False),
    sa.Column('char_end', sa.Integer(), nullable=False),
    sa.ForeignKeyConstraint(['article_id'], ['articles.id'], name=op.f('fk_outcomes_article_id_articles'), ondelete='CASCADE'),
    sa.ForeignKeyConstraint(['evidence_id'], ['evidence.id'], name=op.f('fk_outcomes_evidence_id_evidence'), ondelete='CASCADE'),
    sa.ForeignKeyConstraint(['measure_code'], ['measures.code'], name=op.f('fk_outcomes_measure_code_measures'), ondelete='RESTRICT'),
    sa.ForeignKeyConstraint(['place_id'], ['places.id'], name=op.f('fk_outcomes_place_id_places'), ondelete='RESTRICT'),
    sa.ForeignKeyConstraint(['project_id'], ['projects.id'], name=op.f('fk_outcomes_project_id_projects'), ondelete='SET NULL'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_outcomes'))
    )
    with op.batch_alter_table('outcomes', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_outcomes_article_id'), ['article_id'], unique=False)
        batch_op.create_index(batch_op.f('ix_outcomes_evidence_id'), ['evidence_id'], unique=False)
        batch_op.create_index(batch_op.f('ix_outcomes_measure_code'), ['measure_code'], unique=False)
        batch_op.create_index(batch_op.f('ix_outcomes_place_id'), ['place_id'], unique=False)
        batch_op.create_index(batch_op.f('ix_outcomes_project_id'), ['project_id'], unique=False)

    op.create_table('project_measures',
    sa.Column('project_id', sa.Integer(), nullable=False),
    sa.Column('measure_code', sa.String(length=32), nullable=False),
    sa.ForeignKeyConstraint(['measure_code'], ['measures.code'], name=op.f('fk_project_measures_measure_code_measures'), ondelete='RESTRICT'),
    sa.ForeignKeyConstraint(['project_id'], ['projects.id'], name=op.f('fk_project_measures_project_id_projects'), ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('project_id', 'measure_code', name=op.f('pk_project_measures'))
    )
    with op.batch_alter_table('project_measures', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_project_measures_measure_code'), ['measure_code'], unique=False)



def downgrade() -> None:
    with op.batch_alter_table('project_measures', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_project_measures_measure_code'))

    op.drop_table('project_measures')
    with op.batch_alter_table('outcomes', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_outcomes_project_id'))
        batch_op.drop_index(batch_op.f('ix_outcomes_place_id'))
        batch_op.drop_index(batch_op.f('ix_outcomes_measure_code'))
        batch_op.drop_index(batch_op.f('ix_outcomes_evidence_id'))
        batch_op.drop_index(batch_op.f('ix_outcomes_article_id'))

    op.drop_table('outcomes')
    with op.batch_alter_table('projects', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_projects_place_id'))
        batch_op.drop_index(batch_op.f('ix_projects_name'))
        batch_op.drop_index(batch_op.f('ix_projects_evidence_id'))
        batch_op.drop_index(batch_op.f('ix_projects_article_id'))

    op.drop_table('projects')
    with op.batch_alter_table('place_mentions', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_place_mentions_place_id'))
        batch_op.drop_index(batch_op.f('ix_place_mentions_evidence_id'))
        batch_op.drop_index(batch_op.f('ix_place_mentions_article_id'))

    op.drop_table('place_mentions')
    with op.batch_alter_table('mechanism_mentions', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_mechanism_mentions_mechanism_code'))
        batch_op.drop_index(batch_op.f('ix_mechanism_mentions_evidence_id'))
        batch_op.drop_index(batch_op.f('ix_mechanism_mentions_article_id'))

    op.drop_table('mechanism_mentions')
    with op.batch_alter_table('measure_mentions', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_measure_mentions_measure_code'))
        batch_op.drop_index(batch_op.f('ix_measure_mentions_evidence_id'))
        batch_op.drop_index(batch_op.f('ix_measure_mentions_article_id'))

    op.drop_table('measure_mentions')
    with op.batch_alter_table('tag_results', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_tag_results_run_id'))

    op.drop_table('tag_results')
    with op.batch_alter_table('evidence', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_evidence_article_id'))

    op.drop_table('evidence')
    with op.batch_alter_table('source_locations', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_source_locations_source_id'))

    op.drop_table('source_locations')
    with op.batch_alter_table('rejects', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_rejects_source_id'))
        batch_op.drop_index(batch_op.f('ix_rejects_run_id'))
        batch_op.drop_index(batch_op.f('ix_rejects_reason'))

    op.drop_table('rejects')
    with op.batch_alter_table('articles', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_articles_run_id'))
        batch_op.drop_index('ix_articles_pending_tag')
        batch_op.drop_index(batch_op.f('ix_articles_duplicate_of_id'))

    op.drop_table('articles')
    with op.batch_alter_table('sources', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_sources_run_id'))

    op.drop_table('sources')
    with op.batch_alter_table('place_aliases', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_place_aliases_place_id'))
        batch_op.drop_index(batch_op.f('ix_place_aliases_alias'))

    op.drop_table('place_aliases')
    op.drop_table('runs')
    with op.batch_alter_table('places', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_places_parent_id'))
        batch_op.drop_index(batch_op.f('ix_places_name'))
        batch_op.drop_index(batch_op.f('ix_places_level'))
        batch_op.drop_index(batch_op.f('ix_places_code'))

    op.drop_table('places')
    op.drop_table('mechanisms')
    op.drop_table('measures')
