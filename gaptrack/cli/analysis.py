"""``gaptrack search``, ``terms``: thin faces over service.search (and, below, the thread
and coverage services)."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import typer

from gaptrack.cli.context import state
from gaptrack.cli.output import FormatOption, OutputFormat, render_rows
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
    fmt: OutputFormat = FormatOption,
    output: Path | None = Output,
) -> None:
    """Search-term report: per term, documents hit, with families, families, unique hits,
    and documents per party and per production."""
    report = search_service.term_report(state(ctx).existing, file, party=party)
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
    _emit(render_rows(rows, columns, fmt, title="Search-term report", document=document),
          output)


def register(app: typer.Typer) -> None:
    app.command("search")(search_command)
    app.command("terms")(terms_command)
