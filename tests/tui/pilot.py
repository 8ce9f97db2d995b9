"""Helpers for Pilot tests: wait for workers, read what widgets show, add awkward data."""

from __future__ import annotations

import datetime as dt
from typing import Any

from rich.text import Text
from sqlalchemy.engine import Engine
from sqlmodel import select
from textual.pilot import Pilot
from textual.widgets import DataTable, Static

from gaptrack.db import session_scope
from gaptrack.models import DocType, Document, Party, Production

MARKUP_SUBJECTS = ["[draft] memo", "[b]x[/b]", "[link=http://evil.example]click[/link]"]


async def settle(pilot: Pilot[Any], rounds: int = 100) -> None:
    """Let every worker finish and every message land (workers may start more workers)."""
    app = pilot.app
    for _ in range(rounds):
        await pilot.pause()
        await app.workers.wait_for_complete()
        await pilot.pause()
        if not any(w.is_running for w in app.workers):
            return


def rows(table: DataTable[Any]) -> list[list[str]]:
    """The table's cells as the plain text a person sees."""
    out = []
    for row in range(table.row_count):
        out.append([c.plain if isinstance(c, Text) else str(c) for c in table.get_row_at(row)])
    return out


def static_text(widget: Static) -> str:
    content = widget.content
    return content.plain if isinstance(content, Text) else str(content)


def add_markup_documents(engine: Engine) -> None:
    """Documents whose subjects look like Rich markup: they must show verbatim."""
    with session_scope(engine) as session:
        party = session.exec(select(Party).where(Party.slug == "kushner")).one()
        production = session.exec(select(Production).where(Production.party_id == party.id)).first()
        assert production is not None and production.id is not None and party.id is not None
        for n, subject in enumerate(MARKUP_SUBJECTS, start=900):
            session.add(
                Document(
                    production_id=production.id, party_id=party.id, bates_prefix="KUSHNER-",
                    bates_begin=n, bates_end=n, begin_label=f"KUSHNER-000{n}",
                    end_label=f"KUSHNER-000{n}", custodian="[red]Custodian[/red]",
                    doc_type=DocType.MEMO, subject=subject, text=f"body of {subject}",
                    date_sent=dt.datetime(2016, 10, 1, 12, n - 900, tzinfo=dt.UTC),
                )
            )


async def palette_search(pilot: Pilot[Any], text: str) -> None:
    """Type into the command palette and wait (polling) until it lists hits."""
    from textual.command import CommandList

    await pilot.press("ctrl+p")
    await settle(pilot)
    await pilot.press(*text)
    for _ in range(200):
        await pilot.pause(0.05)
        found = pilot.app.screen.query(CommandList)
        if found and found.first().option_count > 0:
            return
    raise AssertionError(f"the palette listed nothing for {text!r}")
