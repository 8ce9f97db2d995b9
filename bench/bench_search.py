"""Full-text search over a synthetic case (100,000 documents by default, text ~1 KB each;
SQLite): index build time and size against the text size, and 100 seeded queries through
``gaptrack search``'s service (ranked page of 20, count, snippets) against a bare FTS5
``MATCH`` of the same queries (bm25 order, first 20 rowids) in the same run.

Each document's text is padded to about 1 KB with words drawn (Zipf-like, seeded) from a
vocabulary of 20,000 made-up words, so common and rare words both occur. The queries mix one
rare word, two words, a phrase, an OR and a prefix. ``BENCH_SCALE=0.01`` for a quick run.
"""

from __future__ import annotations

import random
import statistics
import tempfile
import time
from pathlib import Path

from bench.common import peak_rss_mb, report, scale
from gaptrack.db import open_database
from gaptrack.search import parse_query, rebuild_index
from gaptrack.search.query import fts5_match
from gaptrack.service.search import search_documents

SEED = 7
QUERIES = 100
VOCABULARY = 20_000
TEXT_BYTES = 1_000


def vocabulary(rng: random.Random) -> list[str]:
    syllables = ["ka", "lo", "mi", "ra", "te", "su", "no", "vi", "de", "xo", "pa", "gu"]
    words: set[str] = set()
    while len(words) < VOCABULARY:
        words.add("".join(rng.choice(syllables) for _ in range(rng.randint(2, 4))))
    return sorted(words)


def pad_texts(engine: object, words: list[str], rng: random.Random) -> int:
    """Give every document ~1 KB of text; the characters of text written."""
    weights = [1 / (n + 1) for n in range(len(words))]
    written = 0
    with engine.begin() as connection:  # type: ignore[attr-defined]
        raw = connection.connection.driver_connection
        ids = [r[0] for r in raw.execute("SELECT id FROM document ORDER BY id")]
        batch: list[tuple[str, int]] = []
        for doc_id in ids:
            body = " ".join(rng.choices(words, weights=weights, k=TEXT_BYTES // 8))
            batch.append((body, doc_id))
            written += len(body)
            if len(batch) >= 5000:
                raw.executemany("UPDATE document SET text = ? WHERE id = ?", batch)
                batch = []
        raw.executemany("UPDATE document SET text = ? WHERE id = ?", batch)
    return written


def queries(words: list[str], rng: random.Random) -> list[str]:
    out = []
    for n in range(QUERIES):
        common, rare = words[rng.randint(0, 200)], words[rng.randint(2000, VOCABULARY - 1)]
        shape = n % 5
        out.append([rare, f"{common} {rare}", f'"{common} {words[rng.randint(0, 50)]}"',
                    f"{rare} OR {words[rng.randint(2000, VOCABULARY - 1)]}",
                    f"{rare[:4]}*"][shape])
    return out


def percentile(values: list[float], q: float) -> float:
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, int(q * len(ordered)))]


def main() -> None:
    n_documents = scale(100_000)
    rng = random.Random(SEED)
    with tempfile.TemporaryDirectory() as tmp:
        path = Path(tmp) / "search.db"
        engine = open_database(f"sqlite:///{path}")
        from gaptrack.synthetic import build_synthetic

        build_synthetic(engine, n_documents, parties=50)
        words = vocabulary(rng)
        text_chars = pad_texts(engine, words, rng)
        with engine.begin() as connection:
            raw = connection.connection.driver_connection
            raw.execute("DROP TABLE IF EXISTS document_fts")
        with engine.connect() as connection:
            connection.exec_driver_sql("PRAGMA wal_checkpoint(TRUNCATE)")
            before = _used_bytes(connection)
        start = time.perf_counter()
        with engine.begin() as connection:
            rebuild_index(connection)
        build_seconds = time.perf_counter() - start
        with engine.connect() as connection:
            connection.exec_driver_sql("PRAGMA wal_checkpoint(TRUNCATE)")
            index_bytes = _used_bytes(connection) - before
        asked = queries(words, rng)
        search_documents(engine, asked[0])  # warm: the index check, the caches
        ours, bare = [], []
        hits = 0
        for text in asked:
            start = time.perf_counter()
            result = search_documents(engine, text, limit=20)
            ours.append(time.perf_counter() - start)
            hits += result.total
        with engine.connect() as connection:
            raw = connection.connection.driver_connection
            for text in asked:
                match = fts5_match(parse_query(text))
                start = time.perf_counter()
                raw.execute(
                    "SELECT rowid FROM document_fts WHERE document_fts MATCH ?"
                    " ORDER BY bm25(document_fts) LIMIT 20",
                    (match,),
                ).fetchall()
                bare.append(time.perf_counter() - start)
        engine.dispose()
    report(
        "search",
        documents=n_documents,
        text_mb=round(text_chars / 1e6, 1),
        index_build_seconds=build_seconds,
        index_mb=round(index_bytes / 1e6, 1),
        index_to_text=round(index_bytes / text_chars, 3),
        queries=len(asked),
        mean_total_hits=round(hits / len(asked)),
        search_p50_ms=statistics.median(ours) * 1000,
        search_p95_ms=percentile(ours, 0.95) * 1000,
        bare_match_p50_ms=statistics.median(bare) * 1000,
        bare_match_p95_ms=percentile(bare, 0.95) * 1000,
        rate_vs_bare=sum(bare) / sum(ours),
        peak_rss_mb=peak_rss_mb(),
    )


def _used_bytes(connection: object) -> int:
    pages = connection.exec_driver_sql("PRAGMA page_count").scalar_one()  # type: ignore[attr-defined]
    free = connection.exec_driver_sql("PRAGMA freelist_count").scalar_one()  # type: ignore[attr-defined]
    size = connection.exec_driver_sql("PRAGMA page_size").scalar_one()  # type: ignore[attr-defined]
    return int((pages - free) * size)


if __name__ == "__main__":
    main()
