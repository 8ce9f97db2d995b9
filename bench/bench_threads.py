"""Threads for all parties of a synthetic case (100,000 documents by default; SQLite), against
a bare recursive CTE over In-Reply-To in the same run (target: within 3x).

``threads`` is :func:`gaptrack.service.threads.party_threads` with no party: every thread
rebuilt (Message-ID and fingerprint copies merged, references, Thread-Index, ghosts) and
every message's producers, participants and lacking parties read. The bare CTE only walks
each reply up its ``document_reference`` chain to a root and counts the roots.
``BENCH_SCALE=0.01`` for a quick run.
"""

from __future__ import annotations

import tempfile
import time
from pathlib import Path

from bench.common import peak_rss_mb, report, scale
from gaptrack.db import open_database
from gaptrack.gaps.materialise import refresh_derived
from gaptrack.service.threads import party_threads

BARE = """
WITH RECURSIVE edge(child, parent) AS (
  SELECT r.document_id, p.id FROM document_reference r JOIN document p ON p.mih = r.mih
), chain(doc, root) AS (
  SELECT d.id, d.id FROM document d
  WHERE d.mih IS NOT NULL
    AND NOT EXISTS (SELECT 1 FROM document_reference r WHERE r.document_id = d.id)
  UNION
  SELECT e.child, c.root FROM chain c JOIN edge e ON e.parent = c.doc
)
SELECT count(DISTINCT root) FROM chain WHERE doc != root
"""


def main() -> None:
    n_documents = scale(100_000)
    with tempfile.TemporaryDirectory() as tmp:
        engine = open_database(f"sqlite:///{Path(tmp) / 'threads.db'}")
        from gaptrack.synthetic import build_synthetic

        build_synthetic(engine, n_documents, parties=50)
        refresh_derived(engine)
        best_ours, best_bare = float("inf"), float("inf")
        threads = roots = 0
        for _ in range(3):
            start = time.perf_counter()
            views = party_threads(engine)
            best_ours = min(best_ours, time.perf_counter() - start)
            threads = len(views)
            with engine.connect() as connection:
                start = time.perf_counter()
                roots = int(connection.exec_driver_sql(BARE).scalar_one())
                best_bare = min(best_bare, time.perf_counter() - start)
        messages = sum(len(v.messages) for v in views)
        ghosts = sum(1 for v in views for m in v.messages if m.ghost)
        engine.dispose()
    report(
        "threads",
        documents=n_documents,
        threads=threads,
        messages=messages,
        ghost_messages=ghosts,
        bare_threads_with_replies=roots,
        threads_seconds=best_ours,
        bare_cte_seconds=best_bare,
        ratio_to_bare=best_ours / best_bare if best_bare else float("inf"),
        peak_rss_mb=peak_rss_mb(),
    )


if __name__ == "__main__":
    main()
