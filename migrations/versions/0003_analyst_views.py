"""Analyst views (one row per outcome, per article and measure/mechanism, counts per place) and the token table.

The views are plain SQL that runs on SQLite and PostgreSQL alike; they are not
models, so ``alembic check`` does not see them (the inspector lists tables only).
The SQL is written out here, not imported, so this revision keeps creating the
same views whatever the code does later.

A later migration that changes a table these views read must drop the views
first and create them again afterwards: SQLite's batch mode rebuilds a table
by copy-drop-rename, which fails while a view names it, and PostgreSQL refuses
to change a column a view uses. ``drop_views()`` / ``create_views()`` below do
it in the right order.

Revision ID: 0003
Revises: 0002
Create Date: 2026-11-22 04:00:00
"""
from __future__ import annotations

from alembic import op
import sqlalchemy as sa


revision = '0003'
down_revision = '0002'
branch_labels = None
depends_on = None

# Places hang at most six deep: province > city > district > street > community > estate/area.
_DEPTH = 6
_LEVELS = ("province", "city", "district", "street", "community", "estate", "area")


def _level(column: str, level: str) -> str:
    whens = " ".join(f"WHEN p{i}.level = '{level}' THEN p{i}.{column}" for i in range(_DEPTH))
    return f"CASE {whens} END"


def _place_chain() -> str:
    joins = "\n".join(f"LEFT JOIN places p{i} ON p{i}.id = p{i - 1}.parent_id" for i in range(1, _DEPTH))
    names = [f"{_level('name', level)} AS {level}" for level in _LEVELS]
    ids = [f"{_level('id', level)} AS {level}_id" for level in ("district", "street")]
    chain = " || ".join(f"COALESCE(p{i}.name || '/', '')" for i in range(_DEPTH - 1, 0, -1)) + " || p0.name"
    return f"""
SELECT p0.id AS place_id, p0.name AS name, p0.level AS level, p0.code AS code,
  {", ".join(names)},
  {", ".join(ids)},
  {chain} AS chain
FROM places p0
{joins}"""


_ARTICLES = """
SELECT a.id AS article_id, s.label AS source, a.title AS title, a.published AS published,
  CASE WHEN a.published LIKE '1___-%' OR a.published LIKE '2___-%' THEN CAST(SUBSTR(a.published, 1, 4) AS INTEGER) END AS published_year,
  a.outlet AS outlet, a.url AS url,
  CASE WHEN a.duplicate_of_id IS NULL THEN 1 ELSE 0 END AS is_canonical,
  a.duplicate_of_id AS duplicate_of_id, COALESCE(a.duplicate_of_id, a.id) AS story_id,
  a.clean_version AS clean_version, a.tag_version AS tag_version, a.run_id AS run_id
FROM articles a
JOIN sources s ON s.id = a.source_id"""

_ARTICLE_COLUMNS = "a.article_id, a.source, a.title, a.published, a.published_year"

_ARTICLE_PLACES = f"""
SELECT {_ARTICLE_COLUMNS},
  c.place_id, c.name AS place_name, c.level AS place_level, c.code AS place_code,
  c.province, c.city, c.district, c.district_id, c.street, c.street_id, c.community,
  c.chain AS place_chain, g.mentions
FROM (SELECT article_id, place_id, COUNT(*) AS mentions FROM place_mentions GROUP BY article_id, place_id) g
JOIN v_articles a ON a.article_id = g.article_id AND a.is_canonical = 1
JOIN v_place_chain c ON c.place_id = g.place_id"""

_OUTCOMES = f"""
SELECT o.id AS outcome_id, {_ARTICLE_COLUMNS},
  o.value, o.unit, o.approx, o.metric, o.status, o.surface, o.unit_class,
  o.place_id, c.name AS place_name, c.level AS place_level,
  c.province, c.city, c.district, c.district_id, c.street, c.street_id, c.community, c.estate, c.area,
  c.chain AS place_chain,
  o.measure_code, me.zh AS measure_zh, o.project_id, pr.name AS project_name,
  o.evidence_id, e.text AS evidence, o.char_start, o.char_end
FROM outcomes o
JOIN v_articles a ON a.article_id = o.article_id AND a.is_canonical = 1
JOIN evidence e ON e.id = o.evidence_id
LEFT JOIN v_place_chain c ON c.place_id = o.place_id
LEFT JOIN measures me ON me.code = o.measure_code
LEFT JOIN projects pr ON pr.id = o.project_id"""


def _per_article(kind: str) -> str:
    """One row per (article, code): how often, the first supporting sentence, outcomes of the code."""
    table, column, codes = f"{kind}_mentions", f"{kind}_code", f"{kind}s"
    first = (f"FROM {table} x JOIN evidence e ON e.id = x.evidence_id "
             f"WHERE x.article_id = g.article_id AND x.{column} = g.{column} ORDER BY x.char_start, x.id LIMIT 1")
    outcomes = ""
    if kind == "measure":
        outcomes = (",\n  (SELECT COUNT(*) FROM outcomes o WHERE o.article_id = g.article_id "
                    "AND o.measure_code = g.measure_code) AS outcomes")
    return f"""
SELECT {_ARTICLE_COLUMNS},
  g.{column}, k.zh AS {kind}_zh, g.mentions,
  (SELECT x.surface {first}) AS surface,
  (SELECT e.id {first}) AS evidence_id,
  (SELECT e.text {first}) AS evidence{outcomes}
FROM (SELECT article_id, {column}, COUNT(*) AS mentions FROM {table} GROUP BY article_id, {column}) g
JOIN v_articles a ON a.article_id = g.article_id AND a.is_canonical = 1
JOIN {codes} k ON k.code = g.{column}"""


def _counts(level: str) -> str:
    """Counts per district or street over canonical articles that name it or a place in it."""
    key = f"{level}_id"
    in_place = f"SELECT ap.article_id FROM v_article_places ap WHERE ap.{key} = c.place_id"
    streets = ""
    if level == "district":
        streets = (",\n  (SELECT COUNT(DISTINCT ap.street_id) FROM v_article_places ap "
                   "WHERE ap.district_id = c.place_id) AS streets")
    above = "c.province, c.city" + (", c.district" if level == "street" else "")
    return f"""
SELECT c.place_id AS {key}, c.name AS {level}, c.code AS {level}_code, {above}, c.chain AS place_chain,
  (SELECT COUNT(DISTINCT ap.article_id) FROM v_article_places ap WHERE ap.{key} = c.place_id) AS articles{streets},
  (SELECT COUNT(*) FROM v_outcomes o WHERE o.{key} = c.place_id) AS outcomes,
  (SELECT COUNT(DISTINCT x.measure_code) FROM v_article_measures x WHERE x.article_id IN ({in_place})) AS measures,
  (SELECT COUNT(DISTINCT x.mechanism_code) FROM v_article_mechanisms x WHERE x.article_id IN ({in_place}))
    AS mechanisms
FROM v_place_chain c
WHERE c.level = '{level}' AND EXISTS ({in_place})"""


# In dependency order: each view reads only tables and the views above it.
VIEWS = {
    "v_place_chain": _place_chain(),
    "v_articles": _ARTICLES,
    "v_article_places": _ARTICLE_PLACES,
    "v_outcomes": _OUTCOMES,
    "v_article_measures": _per_article("measure"),
    "v_article_mechanisms": _per_article("mechanism"),
    "v_street_counts": _counts("street"),
    "v_district_counts": _counts("district"),
}


def create_views() -> None:
    for name, sql in VIEWS.items():
        op.execute(f"CREATE VIEW {name} AS {sql}")


def drop_views() -> None:
    for name in reversed(list(VIEWS)):
        op.execute(f"DROP VIEW IF EXISTS {name}")


def upgrade() -> None:
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
    create_views()


def downgrade() -> None:
    drop_views()
    with op.batch_alter_table('tokens', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_tokens_token'))
        batch_op.drop_index(batch_op.f('ix_tokens_evidence_id'))
        batch_op.drop_index(batch_op.f('ix_tokens_article_id'))

    op.drop_table('tokens')
