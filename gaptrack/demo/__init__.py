"""The demo cases, shipped inside the package so ``gaptrack demo`` works from an installed
wheel: three cases built from public reporting (see the README's tour of the demo)."""

from __future__ import annotations

from pathlib import Path

CASES = Path(__file__).resolve().parent / "cases"


def case_files() -> list[Path]:
    """The demo case files (YAML), in a fixed order."""
    return sorted(CASES.glob("*.yaml"))
