"""All gaps of a synthetic case (1,000,000 documents, 50 parties, 10,000 known items; SQLite).

Reports the build and derivation times, the seconds for every gap kind (best of three warm
runs, derivation already current), peak RSS, and the ratio to a bare SQL anti-join over the
same tables in the same run (issue #3: within 3x).

The bare anti-join asks the engine's two document questions of the case's own tables, with
nothing else: which known items rest on a document of which the owing party has no copy by
MIH, and on which responsive document of another party a party asked for it appears with no
copy by MIH among its own documents. It counts its rows; it builds no evidence, matches no
body hash or fingerprint, reads no privilege log, groups no copies. It walks
``document_item`` in document order, the fastest plan found for it (the planner's own choice,
by item, takes three times as long). The known-item half alone (a few thousand of the
engine's rows) is reported too, as ``bare_known_antijoin_*``.

The case is built (and derived) in a child process, so the peak RSS reported is that of the
gap computation alone; the bare queries run with the same connection settings as the engine.
``BENCH_SCALE=0.01`` for a quick run.
"""

from __future__ import annotations

import datetime as dt
import json
import subprocess
import sys
import tempfile
import time
from pathlib import Path

import sqlalchemy as sa

from bench.common import peak_rss_mb, report, scale
from gaptrack.db import open_database
from gaptrack.gaps.engine import compute_gaps
from gaptrack.gaps.materialise import refresh_derived
from gaptrack.gaps.scope import Scope
from gaptrack.gaps.sql import tune
from gaptrack.service import gaps, views

AS_OF = dt.date(2017, 9, 1)

BARE_KNOWN = """
SELECT count(*) FROM known_item k JOIN document b ON b.id = k.basis_document_id
WHERE NOT EXISTS (SELECT 1 FROM document c WHERE c.mih = b.mih AND c.party_id = k.party_id)
"""
BARE_INFERRED = """
SELECT count(*) FROM document_item di INDEXED BY sqlite_autoindex_document_item_1
JOIN document d ON d.id = di.document_id
JOIN request_item ri ON ri.id = di.item_id
JOIN request_recipient rr ON rr.request_id = ri.request_id
WHERE d.party_id != rr.party_id
  AND EXISTS (SELECT 1 FROM document_participant p
              WHERE p.document_id = d.id AND p.party_id = rr.party_id)
  AND NOT EXISTS (SELECT 1 FROM document c WHERE c.mih = d.mih AND c.party_id = rr.party_id)
"""
BARE_ANTIJOIN = f"SELECT ({BARE_KNOWN.strip()}) + ({BARE_INFERRED.strip()})"


def best_of(runs: int, fn: object) -> tuple[float, object]:
    best, value = float("inf"), None
    for _ in range(runs):
        start = time.perf_counter()
        value = fn()  # type: ignore[operator]
        best = min(best, time.perf_counter() - start)
    return best, value


def build(url: str, n_documents: int, n_known: int) -> None:
    """In a child process: build the synthetic case and bring the derived facts up to date."""
    from gaptrack.synthetic import build_synthetic

    engine = open_database(url)
    start = time.perf_counter()
    case = build_synthetic(engine, n_documents, parties=50, known_items=n_known)
    build_seconds = time.perf_counter() - start
    start = time.perf_counter()
    derived = refresh_derived(engine)
    derive_seconds = time.perf_counter() - start
    print(
        json.dumps(
            {
                "documents": case.documents,
                "parties": case.parties,
                "known_items": case.known_items,
                "build_seconds": round(build_seconds, 2),
                "derive_seconds": round(derive_seconds, 2),
                "derived_rows": derived.responsive_rows,
            }
        )
    )


def main() -> None:
    n_documents = scale(1_000_000)
    n_known = scale(10_000)
    with tempfile.TemporaryDirectory(prefix="bench-gaps-") as tmp:
        url = f"sqlite:///{Path(tmp) / 'gaps.db'}"
        command = ["build", url, str(n_documents), str(n_known)]
        child = subprocess.run(
            [sys.executable, "-m", "bench.bench_gaps", *command],
            check=True,
            capture_output=True,
            text=True,
        )
        built = json.loads(child.stdout.strip().splitlines()[-1])
        engine = open_database(url)

        def cold(fn: object) -> object:
            views.clear_cache()  # a fresh process: nothing kept
            return fn()  # type: ignore[operator]

        # The engine alone (gaps and known items, no ledger), as measured before the view.
        scope = Scope(as_of=AS_OF, dialect=engine.dialect.name)

        def engine_gaps() -> object:
            with engine.connect() as connection:
                return compute_gaps(connection, scope).gaps

        engine_seconds, _ = best_of(3, engine_gaps)
        # The whole case view: gaps, ledger, known items and counts, computed once.
        view_seconds, view = best_of(3, lambda: cold(lambda: views.case_view(engine, as_of=AS_OF)))
        assert isinstance(view, views.CaseView)
        found = view.gaps
        gap_seconds, _ = best_of(1, lambda: cold(lambda: gaps.find_gaps(engine, as_of=AS_OF)))
        ledger_seconds, _ = best_of(
            1, lambda: cold(lambda: gaps.status_ledger(engine, as_of=AS_OF))
        )
        # What a screen pays once the view is kept: the ledger, and one party's part.
        views.case_view(engine, as_of=AS_OF)
        kept_ledger_seconds, _ = best_of(3, lambda: gaps.status_ledger(engine, as_of=AS_OF))
        top = max(view.parties, key=lambda p: p.summary.outstanding_gaps).slug
        kept_party_seconds, _ = best_of(
            3, lambda: views.case_view(engine, as_of=AS_OF, party=top)
        )
        with engine.connect() as connection:
            tune(connection)  # the engine's own settings: a like-for-like baseline

            def bare(query: str) -> object:
                return connection.execute(sa.text(query)).scalar_one()

            bare_seconds, bare_rows = best_of(3, lambda: bare(BARE_ANTIJOIN))
            known_seconds, known_rows = best_of(3, lambda: bare(BARE_KNOWN))
        kinds: dict[str, int] = {}
        for gap in found:
            kinds[gap.kind.value] = kinds.get(gap.kind.value, 0) + 1
        engine.dispose()
    report(
        "gaps",
        **built,
        engine_gaps_seconds=round(engine_seconds, 3),
        case_view_seconds=round(view_seconds, 3),
        ratio_case_view_to_bare_antijoin=round(view_seconds / max(bare_seconds, 1e-9), 2),
        all_gaps_seconds=round(gap_seconds, 3),
        gaps=len(found),
        gaps_by_kind=kinds,
        status_ledger_seconds=round(ledger_seconds, 3),
        status_ledger_from_kept_view_seconds=round(kept_ledger_seconds, 4),
        party_view_from_kept_view_seconds=round(kept_party_seconds, 4),
        bare_antijoin_seconds=round(bare_seconds, 3),
        bare_antijoin_rows=bare_rows,
        ratio_to_bare_antijoin=round(gap_seconds / max(bare_seconds, 1e-9), 2),
        bare_known_antijoin_seconds=round(known_seconds, 4),
        bare_known_antijoin_rows=known_rows,
        ratio_to_bare_known_antijoin=round(gap_seconds / max(known_seconds, 1e-9), 1),
        target_all_gaps_under_5s=gap_seconds < 5,
        target_within_3x_of_bare_antijoin=gap_seconds <= 3 * bare_seconds,
        target_case_view_within_2x_of_bare_antijoin=view_seconds <= 2 * bare_seconds,
        peak_rss_mb=round(peak_rss_mb(), 1),  # the gap computation only (built in a child)
    )


if __name__ == "__main__":
    if len(sys.argv) > 1 and sys.argv[1] == "build":
        build(sys.argv[2], int(sys.argv[3]), int(sys.argv[4]))
    else:
        main()
