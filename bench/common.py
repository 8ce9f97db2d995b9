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
