"""Run every ``bench/bench_*.py`` in its own process (so peak RSS is its own)."""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path
from typing import Any


def main(argv: list[str]) -> int:
    here = Path(__file__).parent
    wanted = set(argv)
    failures = 0
    ran: list[str] = []
    for path in sorted(here.glob("bench_*.py")):
        name = path.stem.removeprefix("bench_")
        if wanted and name not in wanted:
            continue
        print(f"-- bench/{path.name}", flush=True)
        result = subprocess.run([sys.executable, "-m", f"bench.{path.stem}"], cwd=here.parent)
        failures += result.returncode != 0
        ran.append(name)
    summarise(ran)
    return 1 if failures else 0


def verdict(figures: dict[str, Any], key: str, target: Any) -> str:
    """'met' or 'NOT MET': a boolean target is the verdict itself; a numeric one is a floor for
    the bench's ``ratio_*`` figure (``target_ratio``) or a ceiling for its ``import_peak_rss_mb``
    (``target_peak_rss_mb``)."""
    if isinstance(target, bool):
        return "met" if target else "NOT MET"
    if key == "target_ratio":
        ratio = next(v for k, v in figures.items() if k.startswith("ratio_"))
        ok = float(ratio) >= float(target)
        return f"{'met' if ok else 'NOT MET'} ({float(ratio):.3f} against {target})"
    if key == "target_peak_rss_mb":
        peak = figures["import_peak_rss_mb"]
        ok = float(peak) < float(target)
        return f"{'met' if ok else 'NOT MET'} ({float(peak):.0f} MB against {target})"
    return f"unjudged ({target})"


def summarise(names: list[str]) -> None:
    """The targets of the benchmarks that ran, in one place (from bench/results/NAME.json)."""
    from bench.common import RESULTS

    lines = []
    for name in names:
        path = RESULTS / f"{name}.json"
        if not path.exists():
            continue
        figures = json.loads(path.read_text())
        lines += [f"   {name}: {key.removeprefix('target_')}  {verdict(figures, key, value)}"
                  for key, value in figures.items() if key.startswith("target_")]
    if lines:
        print("== targets", *lines, sep="\n", flush=True)


if __name__ == "__main__":
    raise SystemExit(main(sys.argv[1:]))
