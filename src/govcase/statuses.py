"""Where a counted thing stands (outcomes.status): a closed set, so figures in unlike states
(5 lifts in use, 14 signed for) are never added up by a query that groups by it.

The tagger keeps the status word as the article writes it (新增, 签约, 投入使用 ...:
outcomes.status_word); data/status_stages.tsv maps each word to its stage. The stages
themselves are schema (models.OUTCOME_STAGES, a CHECK constraint since migration 0006).
"""
from __future__ import annotations

from functools import lru_cache
from pathlib import Path

from govcase.datafiles import data_rows
from govcase.records import OUTCOME_STAGES
from govcase.settings import default_data_dir

FILE = "status_stages.tsv"
OTHER = "other"


@lru_cache(maxsize=4)
def _stages(data_dir: str) -> dict[str, str]:
    path = Path(data_dir) / FILE
    if not path.is_file():
        return {}
    table = {}
    for lineno, cells in data_rows(path.read_text(encoding="utf-8")):
        if len(cells) < 2 or cells[1] not in OUTCOME_STAGES:
            raise ValueError(f"{path}:{lineno}: want WORD<TAB>STAGE with STAGE one of {', '.join(OUTCOME_STAGES)}")
        table[cells[0]] = cells[1]
    return table


def stage_of(word: str | None, data_dir: Path | None = None) -> str | None:
    """The stage of a status word; None for no word, "other" for a word the table lacks."""
    if word is None:
        return None
    return _stages(str(data_dir or default_data_dir())).get(word, OTHER)


def stage_table(data_dir: Path | None = None) -> dict[str, str]:
    return dict(_stages(str(data_dir or default_data_dir())))
