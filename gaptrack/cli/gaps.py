"""``gaptrack gaps``, ``status``, ``letter`` and ``findings``: thin faces over service.gaps."""

from __future__ import annotations

import datetime as dt
from pathlib import Path

import typer

from gaptrack.cli.context import state
from gaptrack.cli.dates import parse_date
from gaptrack.cli.files import BomOption, emit, require_output, wants_bom
from gaptrack.reports.tabular import ReportFormat
from gaptrack.service import gaps as service

EXIT_GAPS = 1

AsOf = typer.Option(
    None, "--as-of", metavar="DATE", help="Compute as of this date (YYYY-MM-DD). Default: today."
)
PartyOpt = typer.Option(None, "--party", "-p", help="Party slug, name or alias.")
CommitteeOpt = typer.Option(None, "--committee", "-c", help="Committee slug, name or thomas_id.")
RequestOpt = typer.Option(None, "--request", "-r", help="Request (letter) slug or title.")
Format = typer.Option(
    ReportFormat.TABLE,
    "--format",
    "-f",
    help="Output format: table, json, csv, md, html, or xlsx (an Excel workbook; needs -o).",
)
Check = typer.Option(
    False, "--check", help="Exit 1 when outstanding gaps exist, 0 when there are none."
)
Output = typer.Option(None, "--output", "-o", help="Write to this file instead of stdout.")
KindOpt = typer.Option(
    None,
    "--kind",
    "-k",
    help="Only these gap kinds (repeat or comma-separate): known-not-produced, inferred, "
    "nothing-produced, overdue, withheld, referenced-unproduced.",
)


def as_of_date(value: str | None) -> dt.date:
    """The face reads the clock for the default; the engine never does."""
    return parse_date(value, option="--as-of") or dt.date.today()


def _emit(text: str, output: Path | None) -> None:
    emit(text, output, fmt="text")


def gaps_command(
    ctx: typer.Context,
    party: str | None = PartyOpt,
    committee: str | None = CommitteeOpt,
    request: str | None = RequestOpt,
    kind: list[str] | None = KindOpt,
    as_of: str | None = AsOf,
    fmt: ReportFormat = Format,
    check: bool = Check,
    output: Path | None = Output,
    bom: bool | None = BomOption,
) -> None:
    """List the gaps: known documents not produced, documents other parties produced that the
    party left out, items with nothing produced, passed deadlines, withheld documents, and
    emails referred to that nobody produced. Each gap carries its evidence.

    JSON output follows docs/json-schema.md (schema "gaptrack/gaps@1").
    Exit codes: 0 success (with --check: no gaps); 1 with --check when gaps exist; 2 error.
    """
    when = as_of_date(as_of)  # a bad date is refused before the database is opened
    engine = state(ctx).existing
    kinds = service.parse_kinds(kind)
    found = service.find_gaps(  # only the JSON document shows the thread around a gap
        engine, as_of=when, party=party, committee=committee, request=request, kinds=kinds,
        thread=fmt is ReportFormat.JSON,
    )
    from gaptrack.reports.gaps import render_gaps

    filters = {
        "party": party,
        "committee": committee,
        "request": request,
        "kinds": sorted(k.value for k in kinds) if kind else None,
    }
    if fmt is ReportFormat.XLSX:
        from gaptrack.reports.xlsx import gaps_workbook, write_workbook

        view = service.case_view(  # the same (cached) view the gaps came from
            engine, as_of=when, party=party, committee=committee, request=request, kinds=kinds
        )
        book = gaps_workbook(found, view.summaries, as_of=when, filters=filters)
        write_workbook(require_output(output, "xlsx"), book)
    else:
        text = render_gaps(found, fmt, as_of=when, filters=filters)
        emit(text, output, bom=fmt is ReportFormat.CSV and wants_bom(bom, output), fmt=fmt)
    if check and found:
        raise typer.Exit(EXIT_GAPS)


def status_command(
    ctx: typer.Context,
    party: str | None = PartyOpt,
    committee: str | None = CommitteeOpt,
    request: str | None = RequestOpt,
    kind: list[str] | None = KindOpt,
    as_of: str | None = AsOf,
    fmt: ReportFormat = Format,
    check: bool = Check,
    output: Path | None = Output,
    bom: bool | None = BomOption,
) -> None:
    """Show the status ledger: each request item per party (requested, partially produced,
    produced, withheld, no responsive documents, overdue, ignored) with the reason, rolled up
    to each letter, and per party the gaps and the share of known items produced (the same
    figures as the TUI's main screen). With --kind, only the items with a gap of those kinds.

    JSON output follows docs/json-schema.md (schema "gaptrack/status@1").
    Exit codes: 0 success (with --check: no gaps); 1 with --check when gaps exist; 2 error.
    """
    when = as_of_date(as_of)  # a bad date is refused before the database is opened
    engine = state(ctx).existing
    filters = {"party": party, "committee": committee, "request": request}
    if fmt is ReportFormat.XLSX:
        from gaptrack.reports.xlsx import status_workbook, write_workbook

        view = service.case_view(engine, as_of=when, kinds=kind, **filters)
        book = status_workbook(
            view.status_rows(), view.summaries, as_of=when, filters={**filters, "kinds": kind}
        )
        write_workbook(require_output(output, "xlsx"), book)
    else:
        text = service.status_report(engine, as_of=when, fmt=fmt, kinds=kind, **filters)
        emit(text, output, bom=fmt is ReportFormat.CSV and wants_bom(bom, output), fmt=fmt)
    # The same (kept) case view: --check answers for exactly the rows printed.
    if check and service.has_gaps(engine, as_of=when, kinds=kind, **filters):
        raise typer.Exit(EXIT_GAPS)


def letter_command(
    ctx: typer.Context,
    party: str = typer.Option(..., "--party", "-p", help="Party slug, name or alias."),
    committee: str | None = CommitteeOpt,
    request: str | None = RequestOpt,
    kind: list[str] | None = KindOpt,
    as_of: str | None = typer.Option(
        None, "--as-of", metavar="DATE", help="Date of the letter (YYYY-MM-DD). Default: today."
    ),
    fmt: str = typer.Option(
        "md", "--format", "-f", help="md, html, docx (Word) or eml (an unsent email draft "
        "with the letter attached as .docx); docx and eml need --output."
    ),
    business_days: int = typer.Option(
        10,
        "--business-days",
        "-d",
        min=1,
        help="New deadline: this many business days after the letter's date (weekends and US "
        "federal holidays skipped).",
    ),
    include_findings: bool = typer.Option(
        False,
        "--include-findings",
        help="Add unreviewed inferred findings, apart and labelled, for review before sending.",
    ),
    signed_by: list[str] | None = typer.Option(
        None,
        "--signed-by",
        help="Signatory by name or role (repeat). Default: those of the latest letter. A "
        "chairman signing alone puts the ranking member on the cc line.",
    ),
    template: Path | None = typer.Option(
        None,
        "--template",
        exists=True,
        dir_okay=False,
        help="A .docx whose styles, margins, header and footer (the letterhead) the Word "
        "letter uses; its body is replaced by the letter.",
    ),
    bates_only: bool = typer.Option(
        False, "--bates-only", help="Cite Bates numbers and request numbers without content."
    ),
    output: Path | None = Output,
) -> None:
    """Draft a deficiency letter to a party's counsel, in the shape of the Senate Judiciary
    Committee's 16 Nov 2017 letter: the confirmed documents the party forwarded, sent,
    received or was copied on, that others' productions refer to, that testimony or reports
    describe and that are presumed to exist, each under the request it answers (by its
    ordinal: "the third request") with the other party's Bates numbers; requests past due with
    nothing produced; a new deadline; signature blocks.

    Exit codes: 0 success; 2 error.
    """
    from gaptrack.errors import InputError
    from gaptrack.service.letter import draft_letter

    form = fmt.strip().lower()
    if form in {"docx", "eml"} and output is None:
        raise InputError(f"--format {form} writes a file: give it with --output FILE")
    when = as_of_date(as_of)  # a bad date is refused before the database is opened
    engine = state(ctx).existing
    result = draft_letter(
        engine,
        party=party,
        as_of=when,
        fmt=form,
        template=template,
        committee=committee,
        request=request,
        kinds=tuple(kind or ()),
        business_days=business_days,
        bates_only=bates_only,
        include_findings=include_findings,
        signed_by=tuple(signed_by or ()),
    )
    if isinstance(result, bytes):
        assert output is not None
        output.write_bytes(result)
    else:
        _emit(result, output)


findings = typer.Typer(
    help="Decide on inferred findings: promote one to a known item, or dismiss it.",
    no_args_is_help=True,
)


@findings.command("promote")
def promote_command(
    ctx: typer.Context,
    key: str = typer.Argument(..., help="The gap key: inferred:<party>:<request>#<item>:<bates>."),
    reason: str | None = typer.Option(None, "--reason", help="Why (kept in the event log)."),
) -> None:
    """Promote an inferred finding to a known item of the party (recorded as an event)."""
    app = state(ctx)
    typer.echo(service.promote_finding(app.existing, key, actor=app.actor, reason=reason).summary)


@findings.command("dismiss")
def dismiss_command(
    ctx: typer.Context,
    key: str = typer.Argument(..., help="The gap key: inferred:<party>:<request>#<item>:<bates>."),
    reason: str = typer.Option(..., "--reason", help="Why it is not a gap (required)."),
) -> None:
    """Dismiss an inferred finding with a reason; it is not reported again (an event)."""
    app = state(ctx)
    typer.echo(service.dismiss_finding(app.existing, key, actor=app.actor, reason=reason).summary)


def register(app: typer.Typer) -> None:
    app.command("gaps")(gaps_command)
    app.command("status")(status_command)
    app.command("letter")(letter_command)
    app.add_typer(findings, name="findings")
