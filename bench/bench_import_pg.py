"""The large DAT import on PostgreSQL against a bare ``COPY`` of the same rows (issue 13).

* generate the DAT of :mod:`bench.bench_import` (``scale(1_000_000)`` records);
* the bare baseline, in a process of its own: the file read line by line, split with
  ``str.split`` (``bench_import.bare_rows``) and written with psycopg 3's ``COPY … FROM
  STDIN`` into the ``document`` table of a fresh gaptrack database, in one transaction;
* the import (``gaptrack.service.intake.import_dat``, ``bench_import.child_import``) into
  another fresh database on the same server;
* beside it, for reference only (no target): a bare ``COPY`` of the rows the import writes,
  the documents (with ids) and their participants (From, To and Cc split on ``;``), so the
  import's own overhead can be told from the server's work on the rows it must write;
* report records/s of both, the ratio (target ≥ 0.5) and the import's client-side peak RSS
  (the server's memory is the server's). Nothing asserts on time.

The server: ``GAPTRACK_BENCH_POSTGRES_URL`` (a database URL; the benchmark creates and drops
databases ``gt_bench_copy`` and ``gt_bench_import`` beside it), else a throw-away server
started with ``tools/pgserver.sh`` (Debian's PostgreSQL) and stopped after.
"""

from __future__ import annotations

import json
import os
import socket
import subprocess
import sys
import tempfile
import time
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Any

from sqlalchemy.engine import make_url

from bench.bench_import import BARE_COLUMNS, bare_rows, child_import
from bench.common import peak_rss_mb, report, scale

ROOT = Path(__file__).resolve().parent.parent


@contextmanager
def server() -> Iterator[str]:
    """The URL of a PostgreSQL database to create the benchmark's databases beside."""
    given = os.environ.get("GAPTRACK_BENCH_POSTGRES_URL")
    if given:
        yield given
        return
    with tempfile.TemporaryDirectory(prefix="gt-bench-pg-") as folder:
        with socket.socket() as probe:  # a free port: a server already running is left be
            probe.bind(("127.0.0.1", 0))
            port = probe.getsockname()[1]
        env = {**os.environ, "PGPORT": str(port)}
        script = str(ROOT / "tools" / "pgserver.sh")
        url = subprocess.run([script, "start", folder], env=env, check=True,
                             capture_output=True, text=True).stdout.strip()
        try:
            yield url
        finally:
            subprocess.run([script, "stop", folder], env=env, check=False)


def _admin(url: str, sql: str) -> None:
    import psycopg

    target = make_url(url).set(drivername="postgresql", database="postgres")
    dsn = target.render_as_string(hide_password=False)
    with psycopg.connect(dsn, autocommit=True) as connection:
        connection.execute(sql)  # the names are the benchmark's own


def fresh_database(url: str, name: str) -> str:
    _admin(url, f"DROP DATABASE IF EXISTS {name}")
    _admin(url, f"CREATE DATABASE {name}")
    return make_url(url).set(database=name).render_as_string(hide_password=False)


def _participants(document_id: int, row: tuple[object, ...]) -> Iterator[tuple[object, ...]]:
    """The least a baseline does for a document's participants: From, To and Cc of the
    bare row split on ``;``, each ``Name <address>`` cut at ``<``."""
    for role, value in (("sender", row[9]), ("to", row[10]), ("cc", row[11])):
        for person in str(value or "").split(";"):
            name, _, address = person.partition("<")
            if name.strip() or address:
                yield (document_id, role, address.rstrip(">").strip().lower() or None,
                       name.strip() or None)


def child_copy(dat: Path, url: str, *, participants: bool = False) -> dict[str, float]:
    """The bare ``COPY`` of the document rows; with ``participants``, of those rows (given
    ids, as the import gives its own) and of their participants' rows too: the rows the
    import writes, with nothing else done."""
    import psycopg

    from gaptrack.db import open_database

    open_database(url).dispose()  # the same schema, made by the migrations
    dsn = make_url(url).set(drivername="postgresql").render_as_string(hide_password=False)
    with psycopg.connect(dsn) as connection:
        connection.execute("INSERT INTO party (id, slug, name, kind)"
                           " VALUES (1, 'bench', 'Bench', 'person')")
        connection.execute(
            "INSERT INTO production (id, slug, party_id, volume, date_received,"
            " certified_complete, load_format) VALUES (1, 'bench', 1, 'Bench', '2026-01-01',"
            " false, 'dat')"
        )
        connection.commit()
        start = time.perf_counter()
        cpu = time.process_time()
        count = 0
        people: list[tuple[object, ...]] = []
        columns = f"id, {BARE_COLUMNS}" if participants else BARE_COLUMNS
        with connection.cursor() as cursor:
            with cursor.copy(f"COPY document ({columns}) FROM STDIN") as copy:
                for row in bare_rows(dat):
                    count += 1
                    if participants:
                        copy.write_row((count, *row))
                        people.extend(_participants(count, row))
                    else:
                        copy.write_row(row)
            if participants:
                with cursor.copy("COPY document_participant (document_id, role, address, name)"
                                 " FROM STDIN") as copy:
                    for person in people:
                        copy.write_row(person)
        connection.commit()
        seconds = time.perf_counter() - start
        cpu = time.process_time() - cpu
    return {"seconds": seconds, "records": count, "peak_rss_mb": peak_rss_mb(),
            "cpu_seconds": cpu, "participants": len(people)}


def run_child(kind: str, dat: Path, url: str, name: str) -> dict[str, Any]:
    """One measured side in a process of its own, into a database of its own (dropped
    after, so that the other side's writes are not in the server's way)."""
    target = fresh_database(url, name)
    try:
        out = subprocess.run(
            [sys.executable, "-m", "bench.bench_import_pg", kind, str(dat), target],
            check=True, capture_output=True, text=True, cwd=ROOT,
        )
        return dict(json.loads(out.stdout.strip().splitlines()[-1]))
    finally:
        _admin(url, f"DROP DATABASE IF EXISTS {name}")


def main() -> None:
    from gaptrack.importers.generate import generate_dat

    records = scale(1_000_000)
    with tempfile.TemporaryDirectory(prefix="gt-bench-") as folder, server() as url:
        dat = Path(folder) / "bench.dat"
        generate_dat(dat, records)
        bare = run_child("copy", dat, url, "gt_bench_copy")
        whole = run_child("copy_all", dat, url, "gt_bench_copy")
        ours = run_child("import", dat, url, "gt_bench_import")
    bare_rate = bare["records"] / bare["seconds"]
    our_rate = ours["records"] / ours["seconds"]
    report(
        "import_pg",
        records=records,
        import_seconds=ours["seconds"],
        import_records_per_s=round(our_rate),
        copy_seconds=bare["seconds"],
        copy_records_per_s=round(bare_rate),
        ratio_to_copy=our_rate / bare_rate,
        target_ratio=0.5,
        copy_with_participants_seconds=whole["seconds"],
        copy_with_participants_rows=whole["participants"],
        ratio_to_copy_with_participants=whole["seconds"] / ours["seconds"],
        import_writer_cpu_seconds=ours["writer_cpu_seconds"],
        import_mapper_cpu_seconds=ours["mapper_cpu_seconds"],
        copy_client_cpu_seconds=bare["cpu_seconds"],
        import_peak_rss_mb=ours["peak_rss_mb"],
        copy_peak_rss_mb=bare["peak_rss_mb"],
    )


if __name__ == "__main__":
    if len(sys.argv) == 4:
        kind, dat_arg, url_arg = sys.argv[1:]
        if kind == "import":
            print(json.dumps(child_import(Path(dat_arg), url_arg)))
        else:
            print(json.dumps(child_copy(Path(dat_arg), url_arg,
                                        participants=kind == "copy_all")))
    else:
        main()
