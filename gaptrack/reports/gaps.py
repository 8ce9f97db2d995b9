"""``gaptrack gaps`` output. The JSON document is specified in docs/json-schema.md."""

from __future__ import annotations

import datetime as dt
import html
from collections.abc import Sequence
from typing import Any

from gaptrack.gaps.kinds import OPT_IN_KINDS
from gaptrack.gaps.model import Gap, GapKind
from gaptrack.reports.tabular import (
    ReportFormat,
    html_page,
    report_format,
    to_csv,
    to_html_table,
    to_json,
    to_md,
    to_table,
)

SCHEMA = "gaptrack/gaps@1"
COLUMNS = [
    "party",
    "kind",
    "request",
    "item",
    "date",
    "title",
    "produced by",
    "bates",
    "role",
    "evidence",
]
CSV_COLUMNS = [
    "key",
    "kind",
    "party",
    "party_name",
    "committee",
    "request",
    "item",
    "item_text",
    "known_item",
    "title",
    "date",
    "summary",
    "basis",
    "producing_party",
    "producing_party_name",
    "bates",
    "role",
    "match_key",
    "citation",
    "privilege_entry",
    "deadline",
    "days_overdue",
    "referring_bates",
]


def gap_row(gap: Gap) -> dict[str, Any]:
    e = gap.evidence
    return {
        "key": gap.key,
        "kind": gap.kind.value,
        "party": gap.party,
        "party_name": gap.party_name,
        "committee": gap.committee,
        "request": gap.request,
        "item": gap.item,
        "item_text": gap.item_text,
        "known_item": gap.known_item,
        "title": gap.title,
        "date": gap.date.isoformat() if gap.date else None,
        "summary": e.summary,
        "evidence": e.summary,
        "basis": e.basis,
        "producing_party": e.producing_party,
        "producing_party_name": e.producing_party_name,
        "produced by": e.producing_party_name,
        "bates": e.bates or e.referring_bates,
        "role": e.role,
        "match_key": e.match_key.value if e.match_key else None,
        "citation": e.citation,
        "privilege_entry": e.privilege_entry,
        "deadline": e.deadline.isoformat() if e.deadline else None,
        "days_overdue": e.days_overdue,
        "referring_bates": e.referring_bates,
    }


def gaps_document(
    gaps: Sequence[Gap], *, as_of: dt.date, filters: dict[str, Any] | None = None
) -> dict[str, Any]:
    # Opt-in kinds (silent-period) are counted only when asked for, i.e. when present.
    counts = {kind.value: 0 for kind in GapKind if kind not in OPT_IN_KINDS}
    for gap in gaps:
        counts[gap.kind.value] = counts.get(gap.kind.value, 0) + 1
    return {
        "schema": SCHEMA,
        "as_of": as_of.isoformat(),
        "filters": {k: (filters or {}).get(k) for k in ("party", "committee", "request", "kinds")},
        "count": len(gaps),
        "counts": counts,
        "gaps": [gap.model_dump(mode="json") for gap in gaps],
    }


def render_gaps(
    gaps: Sequence[Gap],
    fmt: str | ReportFormat,
    *,
    as_of: dt.date,
    filters: dict[str, Any] | None = None,
) -> str:
    form = report_format(fmt)
    title = f"Gaps as of {as_of.isoformat()}"
    rows = [gap_row(g) for g in gaps]
    if form is ReportFormat.JSON:
        return to_json(gaps_document(gaps, as_of=as_of, filters=filters))
    if form is ReportFormat.CSV:
        return to_csv(rows, CSV_COLUMNS)
    if not gaps and form is ReportFormat.TABLE:
        return f"{title}\nno gaps{_described(filters)}\n"
    if form is ReportFormat.MD:
        lines = [f"# {title}", "", f"{len(gaps)} gap(s).", ""]
        return "\n".join(lines + to_md(rows, COLUMNS)) + "\n"
    if form is ReportFormat.HTML:
        body = [f"<h1>{html.escape(title)}</h1>", f"<p>{len(gaps)} gap(s).</p>"]
        return html_page(title, body + to_html_table(rows, COLUMNS))
    return to_table(rows, COLUMNS, title)


def _described(filters: dict[str, Any] | None) -> str:
    """`` (party kushner, kinds overdue)``: what an empty answer was asked about."""
    named = [
        f"{name} {', '.join(v) if isinstance(v, list) else v}"
        for name, v in (filters or {}).items()
        if v
    ]
    return f" ({'; '.join(named)})" if named else ""
