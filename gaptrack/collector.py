"""Pausing Python's cyclic garbage collector around bulk work (the gap engine, imports,
threads)."""

from __future__ import annotations

import gc
from collections.abc import Iterator
from contextlib import contextmanager


@contextmanager
def collector_paused() -> Iterator[None]:
    """Run without the cyclic garbage collector, and keep it from scanning what is left.

    Bulk work makes millions of short-lived tuples (rows read, rows written) and tens of
    thousands of longer-lived result objects. Every 700 allocations the collector would
    walk the young ones, and as results pile up, repeatedly all of them: a twentieth of an
    import's writing time, seconds of a gap run. None of them is in a reference cycle, so
    reference counting frees them. Afterwards, freezing then unfreezing moves the survivors,
    unscanned, into the oldest generation, as if they had been there all along; any cycle
    made meanwhile is collected by the collector's next pass.
    """
    enabled = gc.isenabled()
    gc.disable()
    try:
        yield
    finally:
        gc.freeze()
        gc.unfreeze()
        if enabled:
            gc.enable()
