"""Shared helpers for benchmarks: timing, peak memory, and one result line format."""

from __future__ import annotations

import json
import os
import resource
import sys
import time
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Any

RESULTS = Path(__file__).parent / "results"


def peak_rss_mb() -> float:
    """Peak resident set size of this process so far, in MB (Linux reports KiB)."""
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024


@contextmanager
def timer() -> Iterator[dict[str, float]]:
    out: dict[str, float] = {}
    start = time.perf_counter()
    try:
        yield out
    finally:
        out["seconds"] = time.perf_counter() - start


def timed(fn: Callable[[], Any]) -> tuple[float, Any]:
    start = time.perf_counter()
    value = fn()
    return time.perf_counter() - start, value


def report(name: str, **figures: Any) -> None:
    """Print one benchmark's figures and keep them in bench/results/<name>.json."""
    RESULTS.mkdir(exist_ok=True)
    figures = {"benchmark": name, **figures}
    (RESULTS / f"{name}.json").write_text(json.dumps(figures, indent=2, default=str) + "\n")
    width = max(len(k) for k in figures)
    print(f"== {name}")
    for key, value in figures.items():
        if key == "benchmark":
            continue
        shown = f"{value:.3f}" if isinstance(value, float) else str(value)
        print(f"   {key:<{width}}  {shown}")
    sys.stdout.flush()


def scale(default: int) -> int:
    """``BENCH_SCALE`` shrinks every benchmark for a quick run (e.g. 0.01)."""
    factor = float(os.environ.get("BENCH_SCALE", "1"))
    return max(1, int(default * factor))


def run_side(module: str, kind: str, source: Path, db: Path) -> dict[str, Any]:
    """One measured side of a benchmark (``python -m MODULE KIND SOURCE DB``, which prints
    its figures as a JSON line), in a process of its own, on a quiet disk: what earlier steps
    wrote (the input, the other side's database) is flushed first, so neither side pays for
    the other's write-back; the database it made is deleted after."""
    import subprocess

    os.sync()
    try:
        out = subprocess.run(
            [sys.executable, "-m", module, kind, str(source), str(db)],
            check=True, capture_output=True, text=True,
        )
        return dict(json.loads(out.stdout.strip().splitlines()[-1]))
    finally:
        for path in (db, Path(f"{db}-wal"), Path(f"{db}-shm"), Path(f"{db}-journal")):
            path.unlink(missing_ok=True)
