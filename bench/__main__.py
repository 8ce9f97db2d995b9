"""Run every ``bench/bench_*.py`` in its own process (so peak RSS is its own)."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path


def main(argv: list[str]) -> int:
    here = Path(__file__).parent
    wanted = set(argv)
    failures = 0
    for path in sorted(here.glob("bench_*.py")):
        name = path.stem.removeprefix("bench_")
        if wanted and name not in wanted:
            continue
        print(f"-- bench/{path.name}", flush=True)
        result = subprocess.run([sys.executable, "-m", f"bench.{path.stem}"], cwd=here.parent)
        failures += result.returncode != 0
    return 1 if failures else 0


if __name__ == "__main__":
    raise SystemExit(main(sys.argv[1:]))
