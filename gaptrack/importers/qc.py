"""The intake QC report: is the production just loaded sound? (issue 4, docs/architecture.md §5)

Bates continuity, gaps and overlaps (inside the production and against the party's earlier
volumes), DAT↔OPT page reconciliation, field names and order against earlier volumes,
documents missing key email metadata, and how the file was read. Computed with set-based SQL
after the rows are written, inside the import's transaction; stored in ``source_file.details``.
"""

from __future__ import annotations

from typing import Any

from sqlalchemy.engine import Connection

from gaptrack.importers.continuity import BatesTracker
from gaptrack.importers.qcreport import (
    BadRecord,
    BatesFinding,
    BatesReport,
    EmailMetadataReport,
    FieldReport,
    IntakeReport,
    PageReport,
    PrefixContinuity,
)
from gaptrack.importers.rows import SqlDialect
from gaptrack.importers.staging import OPT_TABLE
from gaptrack.importers.tally import EXAMPLES, DocumentTally

# The report models are also reached from here (the run, the faces, the report writers).
__all__ = [
    "BadRecord",
    "BatesFinding",
    "BatesReport",
    "EmailMetadataReport",
    "FieldReport",
    "IntakeReport",
    "PageReport",
    "PrefixContinuity",
    "bates_report",
    "email_report",
    "field_report",
    "findings",
    "page_report",
]


def bates_report(
    conn: Connection, production_id: int, party_id: int, tracked: BatesTracker | None = None
) -> BatesReport:
    """Continuity inside the production and against the party's earlier volumes.

    ``tracked``: what the writer counted as the rows went in; when they came in Bates order
    it answers the questions about the production itself without sorting it again.
    """
    m = SqlDialect(conn).mark
    if tracked is not None and tracked.ordered and tracked.prefixes:
        report, prefixes = _tracked_report(tracked)
    else:
        report, prefixes = _queried_report(conn, production_id)
    # A party's first volume has nothing earlier to continue or overlap (a document's party
    # is its production's): the queries below would walk all of its rows to find nothing.
    earlier = conn.exec_driver_sql(
        f"SELECT 1 FROM production WHERE party_id = {m} AND id <> {m} LIMIT 1",
        (party_id, production_id),
    ).first() is not None
    for prefix, first, last, docs in prefixes:
        entry = PrefixContinuity(
            prefix=prefix,
            first=int(first),
            last=int(last),
            documents=int(docs),
            status="first volume",
        )
        report.prefixes.append(entry)
        if not earlier:
            continue
        _against_earlier(conn, report, entry, party_id, production_id)
    return report


def _against_earlier(
    conn: Connection,
    report: BatesReport,
    entry: PrefixContinuity,
    party_id: int,
    production_id: int,
) -> None:
    """Whether ``entry``'s prefix continues the party's earlier volumes, and which earlier
    documents it overlaps (counted into ``report``)."""
    m = SqlDialect(conn).mark
    previous = conn.exec_driver_sql(
        "SELECT d.bates_end, p.volume FROM document d JOIN production p"
        " ON p.id = d.production_id"
        f" WHERE d.party_id = {m} AND d.bates_prefix = {m} AND d.production_id <> {m}"
        f" AND d.bates_begin < {m} ORDER BY d.bates_end DESC LIMIT 1",
        (party_id, entry.prefix, production_id, entry.first),
    ).first()
    if previous is not None:
        entry.previous_last = int(previous[0])
        entry.previous_production = previous[1]
        expected = entry.previous_last + 1
        if entry.first == expected:
            entry.status = "continues"
        elif entry.first > expected:
            entry.status = "gap"
            entry.detail = (
                f"{entry.first - expected} numbers missing after {previous[1]} ended at "
                f"{entry.previous_last}"
            )
        else:
            entry.status = "overlap"
            entry.detail = f"{previous[1]} already ran to {entry.previous_last}"
    overlap_where = (
        f" FROM document o WHERE o.party_id = {m} AND o.production_id <> {m}"
        f" AND o.bates_prefix = {m} AND o.bates_begin <= {m} AND o.bates_end >= {m}"
    )
    args = (party_id, production_id, entry.prefix, entry.last, entry.first)
    count = conn.exec_driver_sql(f"SELECT count(*) {overlap_where}", args).scalar_one()
    if count:
        report.overlaps_with_earlier += int(count)
        labels = (
            conn.exec_driver_sql(
                f"SELECT o.begin_label {overlap_where} ORDER BY o.bates_begin LIMIT {EXAMPLES}",
                args,
            )
            .scalars()
            .all()
        )
        report.overlap_examples.extend(str(label) for label in labels)


def _queried_report(
    conn: Connection, production_id: int
) -> tuple[BatesReport, list[tuple[Any, ...]]]:
    """The in-production part of the report (gaps, overlaps, each prefix's range), queried."""
    m = SqlDialect(conn).mark
    report = BatesReport()
    windowed = (
        "SELECT bates_prefix, bates_begin, bates_end, begin_label,"
        " LAG(bates_end) OVER (PARTITION BY bates_prefix ORDER BY bates_begin) AS prev_end,"
        " LAG(end_label) OVER (PARTITION BY bates_prefix ORDER BY bates_begin) AS prev_label"
        f" FROM document WHERE production_id = {m}"
    )
    counts = conn.exec_driver_sql(
        "SELECT sum(CASE WHEN bates_begin > prev_end + 1 THEN 1 ELSE 0 END),"
        " sum(CASE WHEN bates_begin <= prev_end THEN 1 ELSE 0 END)"
        f" FROM ({windowed}) w WHERE prev_end IS NOT NULL",
        (production_id,),
    ).one()
    report.gaps, report.overlaps = int(counts[0] or 0), int(counts[1] or 0)
    if report.gaps or report.overlaps:
        rows = conn.exec_driver_sql(
            f"SELECT begin_label, prev_label, bates_begin, prev_end FROM ({windowed}) w"
            " WHERE prev_end IS NOT NULL AND (bates_begin > prev_end + 1"
            " OR bates_begin <= prev_end) ORDER BY bates_prefix, bates_begin"
            f" LIMIT {EXAMPLES}",
            (production_id,),
        ).all()
        for label, prev_label, begin, prev_end in rows:
            report.examples.append(_finding(label, prev_label, begin, prev_end))
    prefixes = conn.exec_driver_sql(
        "SELECT bates_prefix, min(bates_begin), max(bates_end), count(*) FROM document"
        f" WHERE production_id = {m} GROUP BY bates_prefix ORDER BY bates_prefix",
        (production_id,),
    ).all()
    return report, [tuple(p) for p in prefixes]


def _finding(label: str, prev_label: str, begin: int, prev_end: int) -> BatesFinding:
    gap = begin > prev_end + 1
    return BatesFinding(
        kind="gap" if gap else "overlap",
        after=prev_label,
        at=label,
        missing=int(begin - prev_end - 1) if gap else None,
    )


def _tracked_report(tracked: BatesTracker) -> tuple[BatesReport, list[tuple[Any, ...]]]:
    """The in-production part of the report from the writer's counts (same answers as
    :func:`_queried_report`, whose queries sort by prefix and number)."""
    report = BatesReport()
    prefixes: list[tuple[Any, ...]] = []
    for prefix in sorted(tracked.prefixes):
        run = tracked.prefixes[prefix]
        report.gaps += run.gaps
        report.overlaps += run.overlaps
        for begin, label, prev_label, prev_end in run.examples:
            if len(report.examples) < EXAMPLES:
                report.examples.append(_finding(label, prev_label, begin, prev_end))
        prefixes.append((prefix, run.first, run.max_end, run.count))
    return report, prefixes


def page_report(conn: Connection, production_id: int, filled: int) -> PageReport:
    m = SqlDialect(conn).mark
    report = PageReport(filled_from_opt=filled)
    opt = conn.exec_driver_sql(
        "SELECT count(*), coalesce(sum(pages), 0),"
        " sum(CASE WHEN declared IS NOT NULL AND declared <> pages THEN 1 ELSE 0 END)"
        f" FROM {OPT_TABLE}"
    ).one()
    report.opt_documents, report.opt_pages = int(opt[0]), int(opt[1])
    report.declared_differs = int(opt[2] or 0)
    join = (
        f" FROM document d JOIN {OPT_TABLE} o ON o.prefix = d.bates_prefix"
        f" AND o.number = d.bates_begin WHERE d.production_id = {m}"
        " AND d.page_count IS NOT NULL AND d.page_count <> o.pages"
    )
    report.mismatched = int(
        conn.exec_driver_sql(f"SELECT count(*) {join}", (production_id,)).scalar_one()
    )
    if report.mismatched:
        rows = conn.exec_driver_sql(
            f"SELECT d.begin_label, d.page_count, o.pages {join}"
            f" ORDER BY d.bates_prefix, d.bates_begin LIMIT {EXAMPLES}",
            (production_id,),
        ).all()
        report.mismatch_examples = [f"{r[0]}: DAT {r[1]}, OPT {r[2]}" for r in rows]
    not_in_opt = (
        f" FROM document d WHERE d.production_id = {m} AND NOT EXISTS (SELECT 1 FROM {OPT_TABLE}"
        " o WHERE o.prefix = d.bates_prefix AND o.number = d.bates_begin)"
    )
    report.missing_from_opt = int(
        conn.exec_driver_sql(f"SELECT count(*) {not_in_opt}", (production_id,)).scalar_one()
    )
    if report.missing_from_opt:
        report.missing_from_opt_examples = [
            str(v)
            for v in conn.exec_driver_sql(
                f"SELECT d.begin_label {not_in_opt} ORDER BY d.bates_prefix, d.bates_begin"
                f" LIMIT {EXAMPLES}",
                (production_id,),
            ).scalars()
        ]
    not_in_dat = (
        f" FROM {OPT_TABLE} o WHERE NOT EXISTS (SELECT 1 FROM document d"
        f" WHERE d.production_id = {m} AND d.bates_prefix = o.prefix"
        " AND d.bates_begin = o.number)"
    )
    report.missing_from_dat = int(
        conn.exec_driver_sql(f"SELECT count(*) {not_in_dat}", (production_id,)).scalar_one()
    )
    if report.missing_from_dat:
        report.missing_from_dat_examples = [
            str(v)
            for v in conn.exec_driver_sql(
                f"SELECT o.label {not_in_dat} ORDER BY o.line LIMIT {EXAMPLES}",
                (production_id,),
            ).scalars()
        ]
    return report


def email_report(
    conn: Connection, production_id: int, tally: DocumentTally | None = None
) -> EmailMetadataReport:
    """Emails of the production missing key metadata: from ``tally``, what the writer
    counted of every row it wrote (SQLite), or else by a query."""
    if tally is not None:
        return EmailMetadataReport(
            emails=tally.emails,
            missing_sender=tally.missing_sender,
            missing_recipients=tally.missing_recipients,
            missing_date=tally.missing_date,
            missing_subject=tally.missing_subject,
            missing_message_id=tally.missing_message_id,
            examples=[label for _, _, label in tally.examples],
        )
    m = SqlDialect(conn).mark
    row = conn.exec_driver_sql(
        "SELECT count(*),"
        " sum(CASE WHEN sender IS NULL THEN 1 ELSE 0 END),"
        " sum(CASE WHEN recipients IS NULL AND cc IS NULL AND bcc IS NULL THEN 1 ELSE 0 END),"
        " sum(CASE WHEN date_sent IS NULL THEN 1 ELSE 0 END),"
        " sum(CASE WHEN subject IS NULL THEN 1 ELSE 0 END),"
        " sum(CASE WHEN message_id IS NULL THEN 1 ELSE 0 END)"
        f" FROM document WHERE production_id = {m} AND doc_type = 'email'",
        (production_id,),
    ).one()
    values = [int(v or 0) for v in row]
    report = EmailMetadataReport(
        emails=values[0],
        missing_sender=values[1],
        missing_recipients=values[2],
        missing_date=values[3],
        missing_subject=values[4],
        missing_message_id=values[5],
    )
    if any(values[1:]):
        report.examples = [
            str(v)
            for v in conn.exec_driver_sql(
                f"SELECT begin_label FROM document WHERE production_id = {m}"
                " AND doc_type = 'email' AND (sender IS NULL OR date_sent IS NULL"
                " OR subject IS NULL OR message_id IS NULL"
                " OR (recipients IS NULL AND cc IS NULL AND bcc IS NULL))"
                f" ORDER BY bates_prefix, bates_begin LIMIT {EXAMPLES}",
                (production_id,),
            ).scalars()
        ]
    return report


def field_report(
    names: list[str],
    mapping: dict[str, str],
    unmapped: list[str],
    header_row: bool,
    previous: tuple[str, list[str]] | None,
) -> FieldReport:
    report = FieldReport(names=names, mapping=mapping, unmapped=unmapped, header_row=header_row)
    if previous is not None:
        volume, before = previous
        report.previous_production = volume
        report.same_as_previous = before == names
        report.added = [n for n in names if n not in before]
        report.removed = [n for n in before if n not in names]
        common_now = [n for n in names if n in before]
        common_before = [n for n in before if n in names]
        report.reordered = common_now != common_before
    return report


def findings(report: IntakeReport) -> list[str]:
    """One line per thing a person should look at."""
    out: list[str] = []
    if report.bates is not None:
        for p in report.bates.prefixes:
            if p.status in ("gap", "overlap"):
                out.append(f"Bates {p.prefix}: {p.status} — {p.detail}")
        if report.bates.gaps:
            out.append(f"{report.bates.gaps} gaps inside the production's Bates ranges")
        if report.bates.overlaps:
            out.append(f"{report.bates.overlaps} overlapping Bates ranges inside the production")
        if report.bates.overlaps_with_earlier:
            out.append(
                f"{report.bates.overlaps_with_earlier} documents of earlier volumes overlap "
                "this one's range"
            )
    if report.page_check is not None:
        pc = report.page_check
        if pc.mismatched:
            out.append(f"{pc.mismatched} documents' DAT page counts differ from the OPT")
        if pc.missing_from_opt:
            out.append(f"{pc.missing_from_opt} documents have no images in the OPT")
        if pc.missing_from_dat:
            out.append(f"{pc.missing_from_dat} OPT documents are not in the DAT")
    if report.fields is not None:
        f = report.fields
        if f.previous_production and not f.same_as_previous:
            out.append(
                f"field names/order differ from {f.previous_production} (committee instructions "
                "ask for identical fields across rolling productions)"
            )
        if f.unmapped:
            out.append(f"columns not mapped: {', '.join(f.unmapped)}")
    e = report.email_metadata
    if (
        e is not None
        and e.emails
        and (e.missing_sender or e.missing_recipients or e.missing_date or e.missing_message_id)
    ):
        out.append(
            f"emails missing key metadata: sender {e.missing_sender}, recipients "
            f"{e.missing_recipients}, date {e.missing_date}, Message-ID {e.missing_message_id}"
        )
    if report.orphan_attachments:
        out.append(f"{report.orphan_attachments} attachments whose parent was not found")
    if report.text_files_missing:
        out.append(f"{report.text_files_missing} TEXTPATH files not found")
    if report.text_files_outside:
        out.append(
            f"{report.text_files_outside} TEXTPATH values point outside {report.text_root}"
            " (not read)"
        )
    if report.bad_count:
        out.append(f"{report.bad_count} bad records skipped")
    if report.header_problem_count:
        names = sorted({h.field or "" for h in report.header_problems})
        out.append(
            f"{report.header_problem_count} headers could not be read and were kept as written "
            f"({', '.join(names)})"
        )
    return out
