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


def synthetic_url(n_documents: int, *, seed: int = 2017, parties: int = 50,
                  known_items: int | None = None, watch: Any = None) -> str:
    """A SQLite URL to the synthetic case of these arguments, built once and kept.

    Building a million-document case takes minutes, so it is kept in ``BENCH_CACHE`` (default
    ``bench/.cache``) under a name made of its arguments and a hash of the generator's source:
    the same arguments and generator give the same database (``build_synthetic`` is seeded).
    Benchmarks only read it. Opening it upgrades an older schema (new indexes included), and
    ``refresh_derived`` re-derives when the derivation changed, so neither needs a rebuild.
    A build that did not finish leaves no file under the final name. An empty case
    (``n_documents=0``) is an empty database with the schema. ``watch``: a date whose status
    part the database keeps after each write (:func:`gaptrack.service.view_store.watch`), as
    a case watched at that date has it.
    """
    import hashlib

    import gaptrack.synthetic as synthetic
    from gaptrack.db import open_database

    # The generator's source (every module of its package) names the cache: a change to it
    # builds a new database.
    source = b"".join(p.read_bytes() for p in sorted(Path(synthetic.__file__).parent.glob("*.py")))
    tag = hashlib.sha256(source).hexdigest()[:10]
    known = n_documents // 100 if known_items is None else known_items  # the generator's default
    folder = Path(os.environ.get("BENCH_CACHE") or Path(__file__).parent / ".cache")
    folder.mkdir(parents=True, exist_ok=True)
    path = folder / f"synthetic-{n_documents}-s{seed}-p{parties}-k{known}-{tag}.db"
    if not path.exists():
        partial = path.with_name(path.name + ".partial")
        for stale in (partial, Path(f"{partial}-wal"), Path(f"{partial}-shm")):
            stale.unlink(missing_ok=True)
        engine = open_database(f"sqlite:///{partial}")
        if n_documents:
            synthetic.build_synthetic(engine, n_documents, seed=seed, parties=parties,
                                      known_items=known_items)
        with engine.connect() as connection:  # fold the WAL in before the rename
            connection.exec_driver_sql("PRAGMA wal_checkpoint(TRUNCATE)")
        engine.dispose()
        partial.rename(path)
    engine = open_database(f"sqlite:///{path}")  # an older schema is upgraded here
    if n_documents:
        from gaptrack.gaps.materialise import refresh_derived

        refresh_derived(engine)  # cheap when current; re-derives after a derivation change
        if watch is not None:
            from gaptrack.service.view_store import watch as keep_status

            keep_status(engine, [watch])  # cheap when kept already
    engine.dispose()
    return f"sqlite:///{path}"
