"""The analyst views (created by migrations 0003 and 0005) and what can be exported as a table.

The views' SQL lives in migrations/versions/0003_analyst_views.py and, for
``tokens``, 0005_article_words.py: a migration
must keep creating the same views whatever this module says later. This module
only names them, in dependency order, with the columns that make their rows
unique (the order of a CSV export).
"""
from __future__ import annotations

from sqlalchemy import Engine, inspect

from govcase.models import Base

# view -> the columns that order its rows (a key of the view)
VIEWS: dict[str, tuple[str, ...]] = {
    "v_place_chain": ("place_id",),
    "v_articles": ("article_id",),
    "v_article_places": ("article_id", "place_id"),
    "v_outcomes": ("outcome_id",),
    "v_article_measures": ("article_id", "measure_code"),
    "v_article_mechanisms": ("article_id", "mechanism_code"),
    "v_street_counts": ("street_id",),
    "v_district_counts": ("district_id",),
    "tokens": ("article_id", "kind", "token"),
}


def table_names() -> list[str]:
    return sorted(Base.metadata.tables)


def exportable() -> list[str]:
    """Every view, then every table, by name."""
    return list(VIEWS) + table_names()


def missing_views(engine: Engine) -> list[str]:
    have = set(inspect(engine).get_view_names())
    return [v for v in VIEWS if v not in have]
