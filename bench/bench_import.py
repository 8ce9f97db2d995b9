"""Import of a large Concordance DAT against a bare baseline in the same run (issue 4).

* generate a DAT of ``scale(1_000_000)`` records (``BENCH_SCALE`` shrinks it);
* import it with ``gaptrack.service.intake.import_dat`` into a fresh SQLite file, in a child
  process of its own so that its peak RSS is its own;
* the bare baseline, also in its own process: the same file read line by line, split with
  ``str.split`` and inserted with ``sqlite3`` ``executemany`` in one transaction into the
  same ``document`` table of a fresh gaptrack database (same indexes) — the least work that
  puts those records where gaptrack keeps them. It stores no matching keys and no family
  parents, so on SQLite the partial indexes on those columns leave its rows out (this made
  the baseline about a quarter faster when they became partial);
* each side runs on a quiet disk: what earlier steps wrote is flushed first (``os.sync``)
  and each database is deleted once measured, so neither side pays for the other's
  write-back;
* report records/s of both, the ratio, and the import's peak RSS — the writing process's
  plus that of its mapping child, when the import reads and maps in one (a large DAT does,
  ``gaptrack.importers.pipeline``) — and the CPU seconds of each side, which show how much
  of the run could overlap on a machine with a free core. Target: ratio ≥ 0.5, peak RSS
  < 300 MB. Nothing asserts on time.
"""

from __future__ import annotations

import json
import resource
import sys
import tempfile
import time
from collections.abc import Iterator
from pathlib import Path

from bench.common import peak_rss_mb, report, run_side, scale

QUOTE, SEP = "\u00fe", "\x14"


BARE_COLUMNS = (
    "production_id, party_id, bates_prefix, bates_begin, bates_end, begin_label, end_label,"
    " bates_suffix, custodian, sender, recipients, cc, subject, message_id, md5, doc_type"
)


def bare_rows(dat: Path) -> Iterator[tuple[object, ...]]:
    """The least a baseline does with the generated DAT: split each line, strip the quotes,
    take the Bates numbers apart; the ``document`` row of production 1 and party 1."""
    with dat.open(encoding="utf-8", newline="") as handle:
        next(handle)  # the header
        for line in handle:
            f = [v.strip(QUOTE) for v in line.rstrip("\r\n").split(SEP)]
            yield (1, 1, f[0][:4], int(f[0][4:]), int(f[1][4:]), f[0], f[1], "", f[4], f[5],
                   f[6], f[7], f[8], f[11], f[13], "email")


def child_import(dat: Path, url: str) -> dict[str, float]:
    """The measured import into the database at ``url`` (bench_import_pg uses it too)."""
    from gaptrack.db import open_database, session_scope
    from gaptrack.models import Party
    from gaptrack.service.intake import import_dat

    engine = open_database(url)
    with session_scope(engine) as session:
        session.add(Party(slug="bench", name="Bench Party"))
    start = time.perf_counter()
    cpu = time.process_time()
    result = import_dat(engine, dat, party="bench", production="Bench volume")
    seconds = time.perf_counter() - start
    cpu = time.process_time() - cpu
    # A large DAT is read and mapped in a child process (importers.pipeline): its peak
    # counts too. Both peaks are added — an upper bound of what the import held at once.
    children = resource.getrusage(resource.RUSAGE_CHILDREN)
    mapper_mb = children.ru_maxrss / 1024
    return {
        "seconds": seconds,
        "records": result.documents,
        "peak_rss_mb": peak_rss_mb() + mapper_mb,
        "writer_peak_rss_mb": peak_rss_mb(),
        "mapper_peak_rss_mb": mapper_mb,
        "writer_cpu_seconds": cpu,
        "mapper_cpu_seconds": children.ru_utime + children.ru_stime,
    }


def child_baseline(dat: Path, db: Path) -> dict[str, float]:
    import sqlite3

    from gaptrack.db import open_database

    open_database(f"sqlite:///{db}").dispose()  # the same schema, made by the migrations
    connection = sqlite3.connect(db)
    connection.execute("PRAGMA journal_mode=WAL")
    connection.execute("PRAGMA synchronous=NORMAL")
    connection.execute("INSERT INTO party (slug, name, kind) VALUES ('bench', 'Bench', 'person')")
    connection.execute(
        "INSERT INTO production (slug, party_id, volume, date_received, certified_complete,"
        " load_format) VALUES ('bench', 1, 'Bench', '2026-01-01', 0, 'dat')"
    )
    connection.commit()
    start = time.perf_counter()
    sql = f"INSERT INTO document ({BARE_COLUMNS}) VALUES ({', '.join(['?'] * 16)})"
    count = 0
    batch: list[tuple[object, ...]] = []
    for row in bare_rows(dat):
        batch.append(row)
        count += 1
        if len(batch) == 5000:
            connection.executemany(sql, batch)
            batch = []
    connection.executemany(sql, batch)
    connection.commit()
    seconds = time.perf_counter() - start
    connection.close()
    return {"seconds": seconds, "records": count, "peak_rss_mb": peak_rss_mb()}


def run_child(kind: str, dat: Path, db: Path) -> dict[str, float]:
    """One measured side in a process of its own, on a quiet disk (common.run_side)."""
    return run_side("bench.bench_import", kind, dat, db)


def main() -> None:
    from gaptrack.importers.generate import generate_dat

    records = scale(1_000_000)
    with tempfile.TemporaryDirectory(prefix="gt-bench-") as folder:
        base = Path(folder)
        dat = base / "bench.dat"
        start = time.perf_counter()
        generate_dat(dat, records)
        generated = time.perf_counter() - start
        bare = run_child("baseline", dat, base / "baseline.db")
        ours = run_child("import", dat, base / "import.db")
        size_mb = dat.stat().st_size / 1e6
    bare_rate = bare["records"] / bare["seconds"]
    our_rate = ours["records"] / ours["seconds"]
    report(
        "import",
        records=records,
        dat_mb=round(size_mb, 1),
        generate_seconds=generated,
        import_seconds=ours["seconds"],
        import_records_per_s=round(our_rate),
        baseline_seconds=bare["seconds"],
        baseline_records_per_s=round(bare_rate),
        ratio_to_baseline=our_rate / bare_rate,
        target_ratio=0.5,
        import_writer_cpu_seconds=ours["writer_cpu_seconds"],
        import_mapper_cpu_seconds=ours["mapper_cpu_seconds"],
        import_peak_rss_mb=ours["peak_rss_mb"],
        import_writer_peak_rss_mb=ours["writer_peak_rss_mb"],
        import_mapper_peak_rss_mb=ours["mapper_peak_rss_mb"],
        baseline_peak_rss_mb=bare["peak_rss_mb"],
        target_peak_rss_mb=300,
    )


if __name__ == "__main__":
    if len(sys.argv) == 4:
        kind, dat_arg, db_arg = sys.argv[1:]
        if kind == "import":
            figures = child_import(Path(dat_arg), f"sqlite:///{db_arg}")
        else:
            figures = child_baseline(Path(dat_arg), Path(db_arg))
        print(json.dumps(figures))
    else:
        main()
