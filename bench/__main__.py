"""Run every ``bench/bench_*.py`` in its own process (so peak RSS is its own)."""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path


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


def summarise(names: list[str]) -> None:
    """The targets of the benchmarks that ran, in one place (from bench/results/NAME.json)."""
    from bench.common import RESULTS

    lines = []
    for name in names:
        path = RESULTS / f"{name}.json"
        if not path.exists():
            continue
        figures = json.loads(path.read_text())
        lines += [f"   {name}: {key.removeprefix('target_')}  {'met' if value else 'NOT MET'}"
                  for key, value in figures.items() if key.startswith("target_")]
    if lines:
        print("== targets", *lines, sep="\n", flush=True)


if __name__ == "__main__":
    raise SystemExit(main(sys.argv[1:]))
