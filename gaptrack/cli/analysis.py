"""``gaptrack search``, ``terms``, ``threads`` and ``coverage``: thin faces over
service.search, service.threads and service.coverage."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import typer

from gaptrack.cli.context import state
from gaptrack.cli.output import FormatOption, OutputFormat, render_rows
from gaptrack.errors import InputError
from gaptrack.service import search as search_service

PartyOpt = typer.Option(None, "--party", "-p", help="Party slug, name or alias.")
Output = typer.Option(None, "--output", "-o", help="Write to this file instead of stdout.")


def _emit(text: str, output: Path | None) -> None:
    if output is None:
        typer.echo(text, nl=False)
    else:
        output.write_text(text, encoding="utf-8")


def _marked(snippet: Any, fmt: OutputFormat) -> str:
    if snippet is None:
        return ""
    if fmt is OutputFormat.MD:
        return str(snippet.marked("**", "**"))
    return str(snippet.marked())


def search_command(
    ctx: typer.Context,
    query: str = typer.Argument(
        ..., help='Words (all must occur), "a phrase", a OR b, -excluded, prefix*.'
    ),
    party: str | None = PartyOpt,
    production: str | None = typer.Option(
        None, "--production", "-v", help="Only this production (slug or volume)."
    ),
    limit: int = typer.Option(20, "--limit", "-n", min=1, max=10_000, help="Hits to show."),
    offset: int = typer.Option(0, "--offset", min=0, help="Skip this many hits first."),
    fmt: OutputFormat = FormatOption,
    output: Path | None = Output,
) -> None:
    """Full-text search over subjects, titles, participants and document text.

    Hits are ranked (subject and title weigh most), with Bates numbers and a snippet whose
    hits are marked «like this» (**like this** in md; offsets in json). Words match whole
    and fold case and accents: "résumé" finds "RÉSUMÉ", "page" does not find "pages".
    """
    result = search_service.search_documents(
        state(ctx).existing, query, party=party, production=production, limit=limit,
        offset=offset,
    )
    rows = [
        {
            "rank": h.rank, "bates": h.bates, "party": h.party, "production": h.production,
            "date": h.date_sent.date().isoformat() if h.date_sent else "",
            "subject": h.subject or "", "snippet": _marked(h.snippet, fmt),
        }
        for h in result.hits
    ]
    total = f"{result.total}{'+' if result.total_capped else ''}"
    document = {"schema": "gaptrack/search@1", **result.model_dump(mode="json")}
    columns = ["rank", "bates", "party", "production", "date", "subject", "snippet"]
    _emit(render_rows(rows, columns, fmt, title=f"{total} documents match {query!r}",
                      document=document), output)


def terms_command(
    ctx: typer.Context,
    file: Path = typer.Argument(..., help="Terms file: one search term or query per line."),
    party: str | None = PartyOpt,
    fmt: str = typer.Option(
        "table", "--format", "-f",
        help="Output format: table, json, csv, md, or xlsx (a workbook; needs -o).",
    ),
    output: Path | None = Output,
) -> None:
    """Search-term report: per term, documents hit, with families, families, unique hits,
    and documents per party and per production."""
    report = search_service.term_report(state(ctx).existing, file, party=party)
    if fmt.strip().lower() == "xlsx":
        import datetime as dt

        from gaptrack.cli.files import require_output
        from gaptrack.reports.xlsx import write_workbook
        from gaptrack.search.terms import terms_workbook

        write_workbook(require_output(output, "xlsx"),
                       terms_workbook(report.terms, source=report.source, party=report.party,
                                      as_of=dt.date.today()))
        return
    try:
        out_format = OutputFormat(fmt.strip().lower())
    except ValueError:
        raise InputError(f"--format must be table, json, csv, md or xlsx, not {fmt!r}") from None
    rows = [
        {
            **r.model_dump(exclude={"by_party", "by_production"}),
            "by_party": "; ".join(f"{k} {v}" for k, v in r.by_party.items()),
            "by_production": "; ".join(f"{k} {v}" for k, v in r.by_production.items()),
        }
        for r in report.terms
    ]
    columns = ["term", "documents", "with_family", "families", "unique", "by_party",
               "by_production"]
    document = {"schema": "gaptrack/terms@1", **report.model_dump(mode="json")}
    _emit(render_rows(rows, columns, out_format, title="Search-term report", document=document),
          output)


def _copies(message: Any) -> str:
    if message.ghost:
        return "(produced by nobody)"
    return "; ".join(f"{c.party} {c.bates}" for c in message.copies)


def threads_command(
    ctx: typer.Context,
    party: str | None = PartyOpt,
    missing_only: bool = typer.Option(
        False, "--missing", help="Only threads with a message a party on it did not produce."
    ),
    fmt: OutputFormat = FormatOption,
    output: Path | None = Output,
) -> None:
    """Email threads rebuilt across every party's productions.

    Each message shows who produced it (with Bates numbers), the parties on it, and the
    parties on it whose productions lack it. A message that produced emails reply to but
    nobody produced shows as "(produced by nobody)".
    """
    from gaptrack.service import threads as thread_service

    views = thread_service.party_threads(state(ctx).engine, party)
    if missing_only:
        views = [v for v in views if v.missing]
    rows = [
        {
            "thread": n, "depth": m.depth,
            "date": m.date.isoformat(sep=" ", timespec="minutes") if m.date else "",
            "subject": ("  " * m.depth) + (m.subject or ""), "produced_by": _copies(m),
            "on_it": "; ".join(m.on_it), "lacking": "; ".join(m.lacking),
        }
        for n, v in enumerate(views, start=1)
        for m in v.messages
    ]
    document = {"schema": "gaptrack/threads@1", "party": party,
                "threads": [v.as_json() for v in views]}
    columns = ["thread", "depth", "date", "subject", "produced_by", "on_it", "lacking"]
    _emit(render_rows(rows, columns, fmt, title=f"{len(views)} threads", document=document),
          output)


def coverage_command(
    ctx: typer.Context,
    party: str = typer.Option(..., "--party", "-p", help="Party slug, name or alias."),
    by: str = typer.Option("month", "--by", help="Period: month or week (weeks start Monday)."),
    as_of: str | None = typer.Option(
        None, "--as-of", metavar="DATE", help="Only productions received by this date."
    ),
    fmt: OutputFormat = FormatOption,
    output: Path | None = Output,
) -> None:
    """Per period: documents the party produced (per custodian) against documents other
    parties produced that it was on. "silent": others show it active, its production holds
    nothing; "fall": a robust z-score of its own count of -3.5 or less (see docs)."""
    from gaptrack.cli.gaps import as_of_date
    from gaptrack.coverage import Period
    from gaptrack.errors import InputError
    from gaptrack.service.coverage import coverage_report

    try:
        period = Period(by.strip().lower())
    except ValueError:
        raise InputError(f"--by must be month or week, not {by!r}") from None
    report = coverage_report(state(ctx).engine, party, as_of=as_of_date(as_of), by=period)
    rows = []
    for n, name in enumerate(report.periods):
        own = [f"{r.name} {r.counts[n]}" for r in report.rows
               if r.source == "own" and r.counts[n]]
        others = [f"{r.name} {r.counts[n]}" for r in report.rows
                  if r.source == "others" and r.counts[n]]
        rows.append({
            "period": name, "own": report.own_totals[n], "others": report.others_totals[n],
            "flag": report.flags.get(name, ""), "z": report.z.get(name, ""),
            "custodians": "; ".join(own), "others_by_party": "; ".join(others),
        })
    columns = ["period", "own", "others", "flag", "z", "custodians", "others_by_party"]
    document = {"schema": "gaptrack/coverage@1", **report.model_dump(mode="json")}
    title = f"Coverage of {report.party_name} by {period.value}"
    _emit(render_rows(rows, columns, fmt, title=title, document=document), output)


def register(app: typer.Typer) -> None:
    app.command("search")(search_command)
    app.command("terms")(terms_command)
    app.command("threads")(threads_command)
    app.command("coverage")(coverage_command)
