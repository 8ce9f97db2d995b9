"""Full-text search over a synthetic case (1,000,000 documents by default, text ~1 KB each;
SQLite): index build time and size against the text size, and 100 seeded queries through
``gaptrack search``'s service (ranked page of 20, count, snippets) against a bare FTS5
``MATCH`` of the same queries (bm25 order, first 20 rowids) in the same run (target: at
least half the bare rate).

The case is the cached synthetic one (``bench.common.synthetic_url``, in ``BENCH_CACHE``),
copied into a temporary folder (``BENCH_TMP``, else the system's) and changed only there:
each document's text is padded to about 1 KB with words drawn (Zipf-like, seeded) from a
vocabulary of 20,000 made-up words, so common and rare words both occur. The queries mix one
rare word, two words, a phrase, an OR and a prefix. ``BENCH_SCALE=0.01`` for a quick run.
"""

from __future__ import annotations

import itertools
import os
import random
import sqlite3
import statistics
import tempfile
import time
from pathlib import Path

from bench.common import peak_rss_mb, report, scale, synthetic_url
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
    # Cumulative weights once: ``choices(weights=…)`` would sum all 20,000 on every call.
    cumulative = list(itertools.accumulate(1 / (n + 1) for n in range(len(words))))
    written = 0
    with engine.begin() as connection:  # type: ignore[attr-defined]
        raw = connection.connection.driver_connection
        ids = [r[0] for r in raw.execute("SELECT id FROM document ORDER BY id")]
        batch: list[tuple[str, int]] = []
        for doc_id in ids:
            body = " ".join(rng.choices(words, cum_weights=cumulative, k=TEXT_BYTES // 8))
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


def copy_case(source: Path, path: Path) -> None:
    """A private copy of the cached case (SQLite's backup: consistent, WAL included); the
    cache is opened read-only."""
    src = sqlite3.connect(f"file:{source}?mode=ro", uri=True)
    dst = sqlite3.connect(path)
    try:
        src.backup(dst)
    finally:
        src.close()
        dst.close()


def main() -> None:
    n_documents = scale(1_000_000)
    rng = random.Random(SEED)
    source = Path(synthetic_url(n_documents, parties=50).removeprefix("sqlite:///"))
    with tempfile.TemporaryDirectory(dir=os.environ.get("BENCH_TMP")) as tmp:
        path = Path(tmp) / "search.db"
        copy_case(source, path)
        engine = open_database(f"sqlite:///{path}")
        words = vocabulary(rng)
        text_chars = pad_texts(engine, words, rng)
        with engine.begin() as connection:
            raw = connection.connection.driver_connection
            assert raw is not None  # a live connection
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
            assert raw is not None  # a live connection
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
        ratio_rate_to_bare=sum(bare) / sum(ours),
        target_ratio=0.5,
        peak_rss_mb=peak_rss_mb(),
    )


def _used_bytes(connection: object) -> int:
    pages = connection.exec_driver_sql("PRAGMA page_count").scalar_one()  # type: ignore[attr-defined]
    free = connection.exec_driver_sql("PRAGMA freelist_count").scalar_one()  # type: ignore[attr-defined]
    size = connection.exec_driver_sql("PRAGMA page_size").scalar_one()  # type: ignore[attr-defined]
    return int((pages - free) * size)


if __name__ == "__main__":
    main()
