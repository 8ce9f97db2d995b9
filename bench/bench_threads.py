"""Threads for all parties of a synthetic case (1,000,000 documents by default; SQLite),
against a bare recursive CTE over In-Reply-To in the same run (target: within 3x, on wall
seconds).

``threads`` is :func:`gaptrack.service.threads.party_threads` with no party: every thread
rebuilt (Message-ID and fingerprint copies merged, references, Thread-Index, quoted
headers, ghosts) and every message's producers, participants and lacking parties read. The
baseline, ``bare_cte``, walks each reply up its ``document_reference`` chain to a root and
counts the roots (the CTE alone). Beside it, ``bare_rows`` also returns what the user sees
of each message in a chain — its Bates number, who produced it and the parties on it
(``group_concat``) — as rows in Python: ``ratio_to_bare_rows`` compares like with like
(minus copies, Thread-Index, quoted headers and ghosts, which the CTE cannot see). Each side
runs three times, interleaved; the best wall and CPU seconds of each are kept. On a shared
machine the CPU ratios say how much of a wall ratio is the neighbours'.
The case is built once and kept (``bench.common.synthetic_url``, in ``BENCH_CACHE``).
``BENCH_SCALE=0.1`` for 100,000 documents.
"""

from __future__ import annotations

import time
from collections.abc import Callable
from typing import Any

from bench.common import peak_rss_mb, report, scale, synthetic_url
from gaptrack.db import open_database
from gaptrack.service.threads import party_threads

_CHAIN = """
WITH RECURSIVE edge(child, parent) AS (
  SELECT r.document_id, p.id FROM document_reference r JOIN document p ON p.mih = r.mih
), chain(doc, root) AS (
  SELECT d.id, d.id FROM document d
  WHERE d.mih IS NOT NULL
    AND NOT EXISTS (SELECT 1 FROM document_reference r WHERE r.document_id = d.id)
  UNION
  SELECT e.child, c.root FROM chain c JOIN edge e ON e.parent = c.doc
)
"""
BARE = _CHAIN + "SELECT count(DISTINCT root) FROM chain WHERE doc != root"
BARE_ROWS = _CHAIN + """
SELECT c.root, d.id, d.begin_label, p.slug,
       (SELECT group_concat(q.slug) FROM document_participant dp JOIN party q
          ON q.id = dp.party_id WHERE dp.document_id = d.id)
FROM chain c JOIN document d ON d.id = c.doc JOIN party p ON p.id = d.party_id
WHERE c.root IN (SELECT root FROM chain WHERE doc != root)
"""


def _best(fn: Callable[[], Any], best: dict[str, float]) -> Any:
    wall, cpu = time.perf_counter(), time.process_time()
    value = fn()
    best["wall"] = min(best.get("wall", float("inf")), time.perf_counter() - wall)
    best["cpu"] = min(best.get("cpu", float("inf")), time.process_time() - cpu)
    return value


def main() -> None:
    n_documents = scale(1_000_000)
    engine = open_database(synthetic_url(n_documents, parties=50))
    ours: dict[str, float] = {}
    count: dict[str, float] = {}
    rows: dict[str, float] = {}
    with engine.connect() as connection:
        def bare_count() -> int:
            return int(connection.exec_driver_sql(BARE).scalar_one())

        def bare_rows() -> int:
            cursor = connection.connection.cursor()
            cursor.execute(BARE_ROWS)
            return len(cursor.fetchall())

        for _ in range(3):
            views = _best(lambda: party_threads(engine), ours)
            roots = _best(bare_count, count)
            chained = _best(bare_rows, rows)
    messages = sum(len(v.messages) for v in views)
    ghosts = sum(1 for v in views for m in v.messages if m.ghost)
    engine.dispose()
    report(
        "threads",
        documents=n_documents,
        threads=len(views),
        messages=messages,
        ghost_messages=ghosts,
        bare_threads_with_replies=roots,
        bare_rows=chained,
        threads_seconds=ours["wall"],
        threads_cpu_seconds=ours["cpu"],
        bare_cte_seconds=count["wall"],
        bare_cte_cpu_seconds=count["cpu"],
        bare_rows_seconds=rows["wall"],
        bare_rows_cpu_seconds=rows["cpu"],
        ratio_to_bare=ours["wall"] / count["wall"] if count["wall"] else float("inf"),
        cpu_ratio_to_bare=ours["cpu"] / count["cpu"] if count["cpu"] else float("inf"),
        ratio_to_bare_rows=ours["wall"] / rows["wall"] if rows["wall"] else float("inf"),
        cpu_ratio_to_bare_rows=ours["cpu"] / rows["cpu"] if rows["cpu"] else float("inf"),
        target_within_3x_of_bare_cte=ours["wall"] <= 3 * count["wall"],
        peak_rss_mb=peak_rss_mb(),
    )


if __name__ == "__main__":
    main()
