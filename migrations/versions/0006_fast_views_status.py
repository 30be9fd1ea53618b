"""Views that stay fast as the corpus grows, the indexes they use, outcomes.status as a closed
set, and the installed versions of the rules (so SQL sees stale facts).

0003's ``v_street_counts`` and ``v_district_counts`` counted a place's measures and
mechanisms with ``article_id IN (SELECT ... FROM v_article_places ...)`` once per row:
0.04 s at 5 articles, 102 s at 294, unfinished at 1,956 on SQLite (issue 18). Here each
count is one grouped pass: the canonical articles' (article, place) pairs are mapped once
to the district and street above each place (a small table of every place, materialised),
and the facts are joined to that. ``v_article_measures`` and ``v_article_mechanisms``
pick each (article, code)'s first sentence through the composite indexes below instead of
scanning an article's mentions three times. The SQL is written out here (and 0003's read
from its file for the downgrade), so this revision keeps making the same views.

``outcomes.status`` held the status word as written (签约, 投入使用, 新增 ... about 100
words, listed nowhere), so a query that summed by street added 5 lifts in use to 14
signed for. It becomes a closed set of stages with a CHECK constraint (the list below,
models.OUTCOME_STAGES; docs/schema.md says what each means), and the word moves to the new
column ``status_word``. Existing rows are converted with data/status_stages.tsv as it is
when the migration runs (a word it lacks becomes "other"); the downgrade puts the words back.

``installed_versions`` holds the versions of the cleaning and tagging rules and data that
govcase found installed when it last opened the database: after a lexicon edit the next
command (``govcase stats`` included) records the new version, and articles whose
``tag_version`` differs are stale in SQL too (docs/queries.md, "stale-articles").

Revision ID: 0006
Revises: 0005
Create Date: 2026-12-07 03:00:00
"""
from __future__ import annotations

import importlib.util
from pathlib import Path

from alembic import op
import sqlalchemy as sa


revision = '0006'
down_revision = '0005'
branch_labels = None
depends_on = None

STAGES = ("planned", "started", "added", "completed", "in_use", "signed", "remaining", "total",
          "reached", "done", "other")
_CHECK = "status IN (" + ", ".join(f"'{s}'" for s in STAGES) + ")"

# (index name, table, columns): what the views and the documented queries look facts up by
INDEXES = (
    ("ix_place_mentions_article_place", "place_mentions", ["article_id", "place_id"]),
    ("ix_measure_mentions_article_code", "measure_mentions", ["article_id", "measure_code", "char_start"]),
    ("ix_mechanism_mentions_article_code", "mechanism_mentions", ["article_id", "mechanism_code", "char_start"]),
    ("ix_outcomes_article_measure", "outcomes", ["article_id", "measure_code"]),
)


def _v0003():
    path = Path(__file__).with_name("0003_analyst_views.py")
    spec = importlib.util.spec_from_file_location("govcase_migration_0003", path)
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


_ARTICLE_COLUMNS = "a.article_id, a.source, a.title, a.published, a.published_year"

# Joins that only add columns are LEFT JOINs on a unique key (every such row exists: the
# foreign keys are NOT NULL), so SQLite and PostgreSQL leave them out of a query that does
# not read their columns: counting v_article_measures per district read each measure's
# first sentence and evidence as an inner join, for nothing.
_ARTICLES = """
SELECT a.id AS article_id, s.label AS source, a.title AS title, a.published AS published,
  CASE WHEN a.published LIKE '1___-%' OR a.published LIKE '2___-%' THEN CAST(SUBSTR(a.published, 1, 4) AS INTEGER) END AS published_year,
  a.outlet AS outlet, a.url AS url,
  CASE WHEN a.duplicate_of_id IS NULL THEN 1 ELSE 0 END AS is_canonical,
  a.duplicate_of_id AS duplicate_of_id, COALESCE(a.duplicate_of_id, a.id) AS story_id,
  a.clean_version AS clean_version, a.tag_version AS tag_version, a.run_id AS run_id
FROM articles a
LEFT JOIN sources s ON s.id = a.source_id"""

# Canonical articles by ``duplicate_of_id IS NULL``, not ``is_canonical = 1``: PostgreSQL
# estimated the CASE expression behind is_canonical at 0.5% of the articles, and on that
# estimate joined two views by nested loops (31 s for "elevator-streets" at 20,000 articles);
# the null fraction of a column it knows.
_CANONICAL = "a.duplicate_of_id IS NULL"

_ARTICLE_PLACES = f"""
SELECT {_ARTICLE_COLUMNS},
  c.place_id, c.name AS place_name, c.level AS place_level, c.code AS place_code,
  c.province, c.city, c.district, c.district_id, c.street, c.street_id, c.community,
  c.chain AS place_chain, g.mentions
FROM (SELECT article_id, place_id, COUNT(*) AS mentions FROM place_mentions GROUP BY article_id, place_id) g
JOIN v_articles a ON a.article_id = g.article_id AND {_CANONICAL}
JOIN v_place_chain c ON c.place_id = g.place_id"""

_OUTCOMES = f"""
SELECT o.id AS outcome_id, {_ARTICLE_COLUMNS},
  o.value, o.unit, o.approx, o.metric, o.status, o.status_word, o.surface, o.unit_class,
  o.place_id, c.name AS place_name, c.level AS place_level,
  c.province, c.city, c.district, c.district_id, c.street, c.street_id, c.community, c.estate, c.area,
  c.chain AS place_chain,
  o.measure_code, me.zh AS measure_zh, o.project_id, pr.name AS project_name,
  o.evidence_id, e.text AS evidence, o.char_start, o.char_end
FROM outcomes o
JOIN v_articles a ON a.article_id = o.article_id AND {_CANONICAL}
LEFT JOIN evidence e ON e.id = o.evidence_id
LEFT JOIN v_place_chain c ON c.place_id = o.place_id
LEFT JOIN measures me ON me.code = o.measure_code
LEFT JOIN projects pr ON pr.id = o.project_id"""


def _per_article(kind: str) -> str:
    """One row per (article, code): how often, the first supporting sentence (by the
    (article_id, code, char_start) index: one seek per row), outcomes of the code."""
    table, column, codes = f"{kind}_mentions", f"{kind}_code", f"{kind}s"
    first = (f"SELECT x.id FROM {table} x WHERE x.article_id = g.article_id AND x.{column} = g.{column} "
             f"ORDER BY x.char_start, x.id LIMIT 1")
    outcomes = ""
    if kind == "measure":
        outcomes = (",\n  (SELECT COUNT(*) FROM outcomes o WHERE o.article_id = g.article_id "
                    "AND o.measure_code = g.measure_code) AS outcomes")
    return f"""
SELECT {_ARTICLE_COLUMNS},
  g.{column}, k.zh AS {kind}_zh, g.mentions, f.surface, f.evidence_id, e.text AS evidence{outcomes}
FROM (SELECT article_id, {column}, COUNT(*) AS mentions FROM {table} GROUP BY article_id, {column}) g
JOIN v_articles a ON a.article_id = g.article_id AND {_CANONICAL}
LEFT JOIN {codes} k ON k.code = g.{column}
LEFT JOIN {table} f ON f.id = ({first})
LEFT JOIN evidence e ON e.id = f.evidence_id"""


def _counts(level: str) -> str:
    """Counts per district or street over canonical articles that name it or a place in it,
    each a grouped pass over the facts (no per-row subquery)."""
    key = f"{level}_id"
    above = "c.province, c.city" + (", c.district" if level == "street" else "")
    streets, streets_join = "", ""
    if level == "district":
        streets = ", COALESCE(s.streets, 0) AS streets"
        streets_join = ("\nLEFT JOIN (SELECT place_id, COUNT(DISTINCT street_id) AS streets FROM named "
                        "GROUP BY place_id) s ON s.place_id = n.place_id")
    # distinct (place, code) pairs, then a count: DISTINCT can hash where COUNT(DISTINCT) sorts
    # (PostgreSQL sorted 400,000 rows on disk per kind)
    per_code = "\n".join(
        f"LEFT JOIN (SELECT place_id, COUNT(*) AS n FROM (SELECT DISTINCT d.place_id, x.{kind}_code FROM "
        f"(SELECT DISTINCT article_id, place_id FROM named) d "
        f"JOIN {kind}_mentions x ON x.article_id = d.article_id) pairs GROUP BY place_id) {alias} "
        f"ON {alias}.place_id = n.place_id"
        for kind, alias in (("measure", "ms"), ("mechanism", "mc")))
    return f"""
WITH above AS MATERIALIZED (
  SELECT place_id, {key} AS place_key, street_id FROM v_place_chain WHERE {key} IS NOT NULL),
named AS MATERIALIZED (
  SELECT DISTINCT g.article_id, p.place_key AS place_id, p.street_id
  FROM (SELECT DISTINCT article_id, place_id FROM place_mentions) g
  JOIN articles a ON a.id = g.article_id AND a.duplicate_of_id IS NULL
  JOIN above p ON p.place_id = g.place_id)
SELECT c.place_id AS {key}, c.name AS {level}, c.code AS {level}_code, {above}, c.chain AS place_chain,
  n.articles{streets}, COALESCE(o.n, 0) AS outcomes, COALESCE(ms.n, 0) AS measures,
  COALESCE(mc.n, 0) AS mechanisms
FROM (SELECT place_id, COUNT(DISTINCT article_id) AS articles FROM named GROUP BY place_id) n
JOIN v_place_chain c ON c.place_id = n.place_id{streets_join}
LEFT JOIN (SELECT p.place_key AS place_id, COUNT(*) AS n FROM outcomes x
           JOIN articles a ON a.id = x.article_id AND a.duplicate_of_id IS NULL
           JOIN above p ON p.place_id = x.place_id GROUP BY p.place_key) o ON o.place_id = n.place_id
{per_code}"""


def _views(old) -> dict[str, str]:
    """0003's views in their order, with the ones this revision rewrites replaced."""
    views = dict(old.VIEWS)
    views.update({
        "v_articles": _ARTICLES,
        "v_article_places": _ARTICLE_PLACES,
        "v_outcomes": _OUTCOMES,
        "v_article_measures": _per_article("measure"),
        "v_article_mechanisms": _per_article("mechanism"),
        "v_street_counts": _counts("street"),
        "v_district_counts": _counts("district"),
    })
    return views


def _drop(views: dict[str, str]) -> None:
    for name in reversed(list(views)):
        op.execute(f"DROP VIEW IF EXISTS {name}")


def _create(views: dict[str, str]) -> None:
    for name, sql in views.items():
        op.execute(f"CREATE VIEW {name} AS {sql}")


def _stage_cases() -> str:
    """CASE status WHEN word THEN stage ... ELSE 'other' END, from data/status_stages.tsv."""
    # data/ beside migrations/: in a checkout, and inside the package of a wheel
    path = Path(__file__).resolve().parents[2] / "data" / "status_stages.tsv"
    pairs = []
    if path.is_file():
        for line in path.read_text(encoding="utf-8").splitlines():
            cells = line.split("\t")
            if line.startswith("#") or len(cells) < 2 or cells[1].strip() not in STAGES:
                continue
            pairs.append((cells[0].strip().replace("'", "''"), cells[1].strip()))
    whens = " ".join(f"WHEN '{word}' THEN '{stage}'" for word, stage in pairs)
    return f"CASE status {whens} ELSE 'other' END" if whens else "'other'"


def upgrade() -> None:
    op.create_table('installed_versions',
    sa.Column('name', sa.String(length=16), nullable=False),
    sa.Column('version', sa.String(length=64), nullable=False),
    sa.Column('recorded_at', sa.DateTime(timezone=True), nullable=False),
    sa.PrimaryKeyConstraint('name', name=op.f('pk_installed_versions'))
    )
    old = _v0003()
    _drop(old.VIEWS)
    with op.batch_alter_table('outcomes', schema=None) as batch_op:
        batch_op.add_column(sa.Column('status_word', sa.String(length=16), nullable=True))
    op.execute(f"UPDATE outcomes SET status_word = status, status = {_stage_cases()} WHERE status IS NOT NULL")
    with op.batch_alter_table('outcomes', schema=None) as batch_op:
        batch_op.create_check_constraint(op.f('ck_outcomes_status'), _CHECK)
    for name, table, columns in INDEXES:
        op.create_index(name, table, columns, unique=False)
    _create(_views(old))


def downgrade() -> None:
    old = _v0003()
    _drop(_views(old))
    for name, table, _columns in reversed(INDEXES):
        op.drop_index(name, table_name=table)
    with op.batch_alter_table('outcomes', schema=None) as batch_op:
        batch_op.drop_constraint(op.f('ck_outcomes_status'), type_='check')
    op.execute("UPDATE outcomes SET status = status_word")
    with op.batch_alter_table('outcomes', schema=None) as batch_op:
        batch_op.drop_column('status_word')
    _create(old.VIEWS)
    op.drop_table('installed_versions')
