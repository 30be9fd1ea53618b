"""What a run did, for the command's summary and its row in ``runs``."""
from __future__ import annotations

from collections import Counter
from dataclasses import dataclass, field


@dataclass
class RunReport:
    command: str
    stored: int = 0  # new sources: bytes this run stored (not another process running at once)
    already_stored: int = 0  # inputs whose bytes an earlier run (or another process) had stored
    repeated: int = 0  # inputs whose bytes came earlier in this same run (a copy in the folder)
    cleaned: int = 0
    tagged: int = 0
    loaded: int = 0
    duplicates: int = 0  # articles cleaned in this run that joined an older article's cluster
    kept: int = 0  # articles a lexicon edit cannot touch: their facts stand under the new version
    rejects: Counter = field(default_factory=Counter)  # (stage, reason) -> new rejects
    run_id: int | None = None
    refused: int = 0  # inputs of this run rejected at ingest, new or already recorded
    missing: list[str] = field(default_factory=list)  # paths given that do not exist

    @property
    def complete(self) -> bool:
        """Every input given became an article: nothing missing, refused or newly rejected."""
        return not (self.missing or self.refused or self.rejects)

    @property
    def rejected(self) -> int:
        return sum(self.rejects.values())

    @property
    def unchanged(self) -> int:
        """Inputs that stored nothing new: already stored, or repeated within the run."""
        return self.already_stored + self.repeated

    def as_dict(self) -> dict:
        return {"command": self.command, "stored": self.stored, "unchanged": self.unchanged,
                "already_stored": self.already_stored, "repeated": self.repeated,
                "cleaned": self.cleaned, "tagged": self.tagged, "loaded": self.loaded,
                "duplicates": self.duplicates, "kept": self.kept,
                "rejected": {f"{s}/{r}": n for (s, r), n in sorted(self.rejects.items())},
                "refused_inputs": self.refused, "missing": self.missing, "run_id": self.run_id}

    def summary(self) -> list[str]:
        """The lines the command prints (one line, then one per kind of trouble)."""
        parts = [f"{self.stored} stored", f"{self.already_stored} already stored",
                 f"{self.repeated} repeated in the input"] if self.command == "ingest" else []
        parts += [f"{self.cleaned} cleaned", f"{self.tagged} tagged", f"{self.loaded} loaded",
                  f"{self.rejected} rejected"] + ([f"{self.kept} kept"] if self.kept else [])
        lines = [f"{self.command}: " + ", ".join(parts)]
        lines += [f"  rejected at {stage}: {reason} x{n}" for (stage, reason), n in sorted(self.rejects.items())]
        lines += [f"  missing: {path}" for path in self.missing]
        if self.refused and not self.rejected:
            lines.append(f"  {self.refused} inputs were rejected before (`govcase stats` lists the reasons)")
        if self.command == "ingest" and self.stored == 0 and self.rejected == 0 and not (
                self.cleaned or self.tagged or self.loaded or self.missing or self.refused):
            lines.append("  nothing new: every input was already stored and processed")
        return lines
