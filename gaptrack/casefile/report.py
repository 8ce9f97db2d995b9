"""What a load did, as plain values: rows added, updated and removed per table, per file."""

from __future__ import annotations

from collections import Counter
from dataclasses import dataclass, field
from typing import Any


@dataclass(slots=True)
class FileReport:
    file: str
    added: Counter[str] = field(default_factory=Counter)
    updated: Counter[str] = field(default_factory=Counter)
    removed: Counter[str] = field(default_factory=Counter)

    @property
    def changed(self) -> bool:
        return any(self.added.values()) or any(self.updated.values()) or any(
            self.removed.values()
        )

    def to_dict(self) -> dict[str, Any]:
        def clean(counter: Counter[str]) -> dict[str, int]:
            return {k: v for k, v in sorted(counter.items()) if v}

        return {
            "file": self.file,
            "added": clean(self.added),
            "updated": clean(self.updated),
            "removed": clean(self.removed),
        }


@dataclass(slots=True)
class LoadReport:
    files: list[FileReport] = field(default_factory=list)
    # Things worth a look that do not stop the load (signatories vs committee membership).
    warnings: list[str] = field(default_factory=list)
    # A shared party's aliases, addresses and counsel no file of the load declares: kept,
    # or removed (as events) when ``pruned``. Entries: file, table, party, value.
    not_declared: list[dict[str, Any]] = field(default_factory=list)
    pruned: bool = False

    @property
    def changed(self) -> bool:
        return any(f.changed for f in self.files)

    def total(self, which: str) -> dict[str, int]:
        """Summed ``added`` / ``updated`` / ``removed`` counts over every file."""
        out: Counter[str] = Counter()
        for report in self.files:
            out.update(getattr(report, which))
        return {k: v for k, v in sorted(out.items()) if v}

    def to_dict(self) -> dict[str, Any]:
        return {
            "changed": self.changed,
            "files": [f.to_dict() for f in self.files],
            "added": self.total("added"),
            "updated": self.total("updated"),
            "removed": self.total("removed"),
            "warnings": list(self.warnings),
            "not_declared": list(self.not_declared),
            "pruned": self.pruned,
        }
