"""Coverage for every party of a synthetic case (1,000,000 documents, 50 parties by default;
SQLite): :func:`gaptrack.service.coverage.coverage_report` by month for each of the 50
parties in turn, as ``gaptrack coverage --party P`` and the party screen ask for it (target:
all 50 under 2 s), against the bare SQL of the same counts in the same run — per party, its
documents per custodian and day, and the documents of other parties it is on per producer
and day (two ``GROUP BY`` queries, rows fetched, nothing else); and beside it the bare SQL of
the same sums over the kept ``coverage_count`` rows the report reads.

Each side runs twice, interleaved; the best of each is kept. ``as_of`` is the last
production's receipt, so every production counts. The case is built once and kept
(``bench.common.synthetic_url``, in ``BENCH_CACHE``). ``BENCH_SCALE=0.1`` for 100,000
documents.
"""

from __future__ import annotations

import datetime as dt
import time

from sqlalchemy.engine import Connection

from bench.common import peak_rss_mb, report, scale, synthetic_url
from gaptrack.coverage import Period
from gaptrack.db import open_database
from gaptrack.service.coverage import coverage_report

TARGET_SECONDS = 2.0
PARTIES = 50

_DAY = "date(coalesce(d.date_sent, d.date_created))"
BARE_OWN = f"""
SELECT d.custodian, {_DAY}, count(*) FROM document d
JOIN production pr ON pr.id = d.production_id
WHERE d.party_id = ? AND pr.date_received <= ? GROUP BY d.custodian, {_DAY}
"""
BARE_OTHERS = f"""
SELECT d.party_id, {_DAY}, count(*) FROM document d
JOIN production pr ON pr.id = d.production_id
WHERE d.id IN (SELECT document_id FROM document_participant WHERE party_id = ?)
  AND d.party_id != ? AND pr.date_received <= ? GROUP BY d.party_id, {_DAY}
"""


KEPT_OWN = """
SELECT c.custodian, c.day, sum(c.documents) FROM coverage_count c
JOIN production pr ON pr.id = c.production_id
WHERE c.subject_party_id = ? AND c.producer_party_id = ? AND pr.date_received <= ?
GROUP BY c.custodian, c.day
"""
KEPT_OTHERS = """
SELECT c.producer_party_id, c.day, sum(c.documents) FROM coverage_count c
JOIN production pr ON pr.id = c.production_id
WHERE c.subject_party_id = ? AND c.producer_party_id != ? AND pr.date_received <= ?
GROUP BY c.producer_party_id, c.day
"""


def _bare(connection: Connection, party_ids: list[int], as_of: dt.date,
          own: str = BARE_OWN, others: str = BARE_OTHERS) -> int:
    cursor = connection.connection.cursor()
    rows = 0
    for party_id in party_ids:
        on = (party_id, party_id, as_of.isoformat())
        rows += len(cursor.execute(own, on[1:] if own == BARE_OWN else on).fetchall())
        rows += len(cursor.execute(others, on).fetchall())
    cursor.close()
    return rows


def main() -> None:
    n_documents = scale(1_000_000)
    engine = open_database(synthetic_url(n_documents, parties=PARTIES))
    with engine.connect() as connection:
        parties = [(int(r[0]), str(r[1])) for r in connection.exec_driver_sql(
            "SELECT id, slug FROM party ORDER BY id")]
        as_of = dt.date.fromisoformat(str(connection.exec_driver_sql(
            "SELECT max(date_received) FROM production").scalar_one())[:10])
    ours = bare = kept = slowest = float("inf")
    flagged = cells = 0
    for _ in range(2):
        start, each = time.perf_counter(), 0.0
        flagged = cells = 0
        for _, slug in parties:
            one = time.perf_counter()
            found = coverage_report(engine, slug, as_of=as_of, by=Period.MONTH)
            each = max(each, time.perf_counter() - one)
            flagged += len(found.flags)
            cells += len(found.periods) * len(found.rows)
        ours, slowest = min(ours, time.perf_counter() - start), min(slowest, each)
        with engine.connect() as connection:
            start = time.perf_counter()
            bare_rows = _bare(connection, [p for p, _ in parties], as_of)
            bare = min(bare, time.perf_counter() - start)
            start = time.perf_counter()
            _bare(connection, [p for p, _ in parties], as_of, KEPT_OWN, KEPT_OTHERS)
            kept = min(kept, time.perf_counter() - start)
    engine.dispose()
    report(
        "coverage",
        documents=n_documents,
        parties=len(parties),
        matrix_cells=cells,
        flagged_periods=flagged,
        bare_rows=bare_rows,
        coverage_seconds=ours,
        slowest_party_seconds=slowest,
        bare_sql_seconds=bare,
        ratio_to_bare_sql=ours / bare if bare else float("inf"),
        bare_kept_sql_seconds=kept,
        ratio_to_bare_kept_sql=ours / kept if kept else float("inf"),
        target_coverage_50_parties_under_2s=len(parties) >= PARTIES and ours < TARGET_SECONDS,
        peak_rss_mb=peak_rss_mb(),
    )


if __name__ == "__main__":
    main()
