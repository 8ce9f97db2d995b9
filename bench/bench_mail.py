"""Import of a large MBOX against a bare baseline in the same run (issue 12).

* generate a seeded MBOX of ``scale(100_000)`` messages: threads (In-Reply-To and References
  to earlier messages), forwards whose bodies quote the forwarded message's headers, one
  message in twenty with RFC 2047 non-ASCII headers, bodies of 1–3 KB;
* import it with ``gaptrack.service.intake.import_mail`` into a fresh SQLite file, in a
  process of its own (its peak RSS is its own, plus its mapping child's);
* the bare baseline, also in its own process: the same file read with :mod:`mailbox`, each
  message parsed with :mod:`email`'s ``compat32`` policy, From/To/Cc/Subject/Date/Message-ID
  and the text body taken, and inserted with ``sqlite3`` ``executemany`` in one transaction
  into the same ``document`` table of a fresh gaptrack database — the least work that puts
  those messages where gaptrack keeps them (no decoding, participants, keys or families);
* each side on a quiet disk (``os.sync`` first, its database deleted after).

Reports records/s of both, the ratio and the import's peak RSS. Target: ratio ≥ 0.5, peak
RSS < 300 MB. Nothing asserts on time.
"""

from __future__ import annotations

import datetime as dt
import json
import random
import resource
import sys
import tempfile
import time
from email.header import Header
from email.utils import format_datetime
from pathlib import Path

from bench.common import peak_rss_mb, report, run_side, scale

_WORDS = [
    "memo", "draft", "meeting", "schedule", "campaign", "dinner", "invite", "budget", "review",
    "contract", "call", "follow", "up", "attached", "please", "see", "below", "thanks",
    "regards", "committee", "request", "document", "production", "counsel", "letter",
    "deadline", "schedule", "travel", "hotel", "agenda", "notes",
]
_NAMES = [("Jane", "Doe"), ("John", "Roe"), ("Hope", "Hicks"), ("Sergei", "Millian"),
          ("Abbe", "Lowell"), ("Zoë", "Adviser"), ("José", "Núñez"), ("Mike", "Smith"),
          ("Ann", "Lee"), ("Raj", "Patel")]


def _person(rng: random.Random, encoded: bool) -> str:
    first, last = rng.choice(_NAMES)
    address = f"{first.lower()[:1]}{last.lower()}{rng.randrange(40)}@example{rng.randrange(5)}.com"
    address = address.encode("ascii", "ignore").decode()
    if encoded:
        return f"{Header(f'{first} {last}', 'utf-8').encode()} <{address}>"
    return f"{first} {last} <{address}>"


def _body(rng: random.Random) -> str:
    size = rng.randrange(1000, 3000)
    words: list[str] = []
    length = 0
    while length < size:
        word = rng.choice(_WORDS)
        words.append(word)
        length += len(word) + 1
    lines = [" ".join(words[i:i + 12]) for i in range(0, len(words), 12)]
    return "\n".join(lines) + "\n"


def generate_mbox(path: Path, count: int, seed: int = 12) -> None:
    """A seeded mailbox of ``count`` messages (see the module's docstring)."""
    rng = random.Random(seed)
    start = 1_473_000_000
    ids: list[str] = []
    with path.open("wb") as out:
        for n in range(count):
            encoded = rng.random() < 0.05
            sender, to = _person(rng, encoded), _person(rng, False)
            subject = " ".join(rng.choice(_WORDS) for _ in range(rng.randrange(2, 7)))
            when = start + n * 37
            date = format_datetime(dt.datetime.fromtimestamp(when, dt.UTC))
            message_id = f"<m{n}.{rng.randrange(1 << 30)}@example.com>"
            headers = [f"From: {sender}", f"To: {to}"]
            if rng.random() < 0.3:
                headers.append(f"Cc: {_person(rng, False)}")
            body = _body(rng)
            kind = rng.random()
            if ids and kind < 0.35:  # a reply in a thread
                parent = rng.choice(ids[-200:])
                subject = "Re: " + subject
                headers += [f"In-Reply-To: {parent}", f"References: {parent}"]
            elif ids and kind < 0.5:  # a forward quoting the forwarded headers
                subject = "Fwd: " + subject
                body += (f"\n-----Original Message-----\nFrom: {_person(rng, False)}\n"
                         f"Sent: {date}\nTo: {to}\nSubject: {subject[5:]}\n\n{_body(rng)[:600]}")
            if encoded:
                subject = Header(subject + " — überprüft", "utf-8").encode()
            headers += [f"Subject: {subject}", f"Date: {date}", f"Message-ID: {message_id}",
                        "MIME-Version: 1.0", "Content-Type: text/plain; charset=utf-8",
                        "Content-Transfer-Encoding: 8bit"]
            ids.append(message_id)
            text = "\n".join(headers) + "\n\n" + body.replace("\nFrom ", "\n>From ")
            out.write(f"From MAILER-DAEMON {time.asctime(time.gmtime(when))}\n".encode())
            out.write(text.encode("utf-8") + b"\n")


def child_import(box: Path, db: Path) -> dict[str, float]:
    from gaptrack.db import open_database, session_scope
    from gaptrack.models import Party
    from gaptrack.service.intake import import_mail

    engine = open_database(f"sqlite:///{db}")
    with session_scope(engine) as session:
        session.add(Party(slug="bench", name="Bench Party"))
    start = time.perf_counter()
    result = import_mail(engine, box, party="bench", production="Bench mail")
    seconds = time.perf_counter() - start
    children = resource.getrusage(resource.RUSAGE_CHILDREN)
    mapper_mb = children.ru_maxrss / 1024
    return {"seconds": seconds, "records": result.records, "documents": result.documents,
            "peak_rss_mb": peak_rss_mb() + mapper_mb, "writer_peak_rss_mb": peak_rss_mb(),
            "mapper_peak_rss_mb": mapper_mb, "header_problems": result.header_problem_count}


def child_baseline(box: Path, db: Path) -> dict[str, float]:
    import mailbox
    import sqlite3
    from email import message_from_bytes

    from gaptrack.db import open_database

    open_database(f"sqlite:///{db}").dispose()  # the same schema, made by the migrations
    connection = sqlite3.connect(db)
    connection.execute("PRAGMA journal_mode=WAL")
    connection.execute("PRAGMA synchronous=NORMAL")
    connection.execute("INSERT INTO party (slug, name, kind) VALUES ('bench', 'Bench', 'person')")
    connection.execute(
        "INSERT INTO production (slug, party_id, volume, date_received, certified_complete,"
        " load_format) VALUES ('bench', 1, 'Bench', '2026-01-01', 0, 'mail')"
    )
    connection.commit()
    start = time.perf_counter()
    columns = ("production_id, party_id, bates_prefix, bates_begin, bates_end, begin_label,"
               " end_label, bates_suffix, sender, recipients, cc, subject, message_id, text,"
               " doc_type")
    sql = f"INSERT INTO document ({columns}) VALUES ({', '.join(['?'] * 15)})"
    count = 0
    batch: list[tuple[object, ...]] = []
    box_file = mailbox.mbox(box, create=False)
    for key in box_file.iterkeys():
        message = message_from_bytes(box_file.get_bytes(key))  # compat32
        count += 1
        label = f"B-{count:06d}"
        payload = message.get_payload(decode=True)
        text = payload.decode("utf-8", "replace") if isinstance(payload, bytes) else ""
        batch.append((1, 1, "B-", count, count, label, label, "", str(message["From"]),
                      str(message["To"]), str(message["Cc"] or ""), str(message["Subject"]),
                      str(message["Message-ID"]), text, "email"))
        if len(batch) == 5000:
            connection.executemany(sql, batch)
            batch = []
    connection.executemany(sql, batch)
    connection.commit()
    box_file.close()
    seconds = time.perf_counter() - start
    connection.close()
    return {"seconds": seconds, "records": count, "peak_rss_mb": peak_rss_mb()}


def run_child(kind: str, box: Path, db: Path) -> dict[str, float]:
    """One measured side in a process of its own, on a quiet disk (common.run_side)."""
    return run_side("bench.bench_mail", kind, box, db)


def main() -> None:
    messages = scale(100_000)
    with tempfile.TemporaryDirectory(prefix="gt-bench-") as folder:
        base = Path(folder)
        box = base / "bench.mbox"
        start = time.perf_counter()
        generate_mbox(box, messages)
        generated = time.perf_counter() - start
        bare = run_child("baseline", box, base / "baseline.db")
        ours = run_child("import", box, base / "import.db")
        size_mb = box.stat().st_size / 1e6
    bare_rate = bare["records"] / bare["seconds"]
    our_rate = ours["records"] / ours["seconds"]
    report(
        "mail",
        messages=messages,
        mbox_mb=round(size_mb, 1),
        generate_seconds=generated,
        import_seconds=ours["seconds"],
        import_records_per_s=round(our_rate),
        import_documents=ours["documents"],
        import_header_problems=ours["header_problems"],
        baseline_seconds=bare["seconds"],
        baseline_records_per_s=round(bare_rate),
        ratio_to_baseline=our_rate / bare_rate,
        target_ratio=0.5,
        import_peak_rss_mb=ours["peak_rss_mb"],
        import_writer_peak_rss_mb=ours["writer_peak_rss_mb"],
        import_mapper_peak_rss_mb=ours["mapper_peak_rss_mb"],
        baseline_peak_rss_mb=bare["peak_rss_mb"],
        target_peak_rss_mb=300,
    )


if __name__ == "__main__":
    if len(sys.argv) == 4:
        kind, box_arg, db_arg = sys.argv[1:]
        work = child_import if kind == "import" else child_baseline
        print(json.dumps(work(Path(box_arg), Path(db_arg))))
    else:
        main()
