"""Readers for the hand-written case tables under tests/cases/ (shared by the table tests)."""
from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

CASES = Path(__file__).parent / "cases"


@dataclass(frozen=True)
class ExpectedOutcome:
    value: float
    unit: str
    approx: str | None
    metric: str | None = None  # checked only when given
    status: str | None = None  # checked only when given


def _rows(name: str):
    for lineno, line in enumerate((CASES / name).read_text(encoding="utf-8").splitlines(), 1):
        if line.strip() and not line.startswith("#"):
            yield lineno, line.split("\t")


def outcome_cases() -> list[tuple[int, str, list[ExpectedOutcome]]]:
    out = []
    for lineno, cols in _rows("outcomes.tsv"):
        sentence, spec = cols[0], cols[1].strip()
        expected = []
        if spec != "none":
            for item in spec.split(" ; "):
                value, unit, *extra = item.split()
                keys = dict(x.split("=", 1) for x in extra)
                expected.append(ExpectedOutcome(float(value), unit, keys.get("a"), keys.get("m"),
                                                keys.get("s")))
        out.append((lineno, sentence, expected))
    return out


def code_cases() -> list[tuple[int, str, dict[str, tuple[set[str], set[str]]]]]:
    """(line, sentence, {kind: (required codes, optional codes)})."""
    out = []
    for lineno, cols in _rows("codes.tsv"):
        sentence, spec = cols[0], {}
        for kind, field in zip(("measure", "mechanism"), cols[1:3]):
            codes = [c.strip() for c in field.split(",") if c.strip() not in ("", "-")]
            spec[kind] = ({c for c in codes if not c.startswith("?")},
                          {c[1:] for c in codes if c.startswith("?")})
        out.append((lineno, sentence, spec))
    return out


def _codes(field: str) -> tuple[set[str], set[str]]:
    codes = [c.strip() for c in field.split(",") if c.strip() not in ("", "-")]
    return {c for c in codes if not c.startswith("?")}, {c[1:] for c in codes if c.startswith("?")}


def blind_cases(name: str = "blind.tsv") -> list[tuple[int, str, dict[str, tuple[set[str], set[str]]],
                                                       list[ExpectedOutcome]]]:
    """(line, sentence, {kind: (required, optional)}, outcomes) of a blind set (blind.tsv, blind2.tsv)."""
    out = []
    for lineno, cols in _rows(name):
        sentence, measures, mechanisms, outcomes = cols[:4]
        expected = []
        if outcomes.strip() != "none":
            for item in outcomes.strip().split(" ; "):
                value, unit, *extra = item.split()
                keys = dict(x.split("=", 1) for x in extra)
                expected.append(ExpectedOutcome(float(value), unit, keys.get("a")))
        out.append((lineno, sentence, {"measure": _codes(measures), "mechanism": _codes(mechanisms)},
                     expected))
    return out
