"""``gaptrack deadlines`` output: a table, JSON, or an iCalendar file for the committee calendar.

The ``.ics`` has one all-day event per deadline — a letter with staged deadlines (9 May for
item 1, 19 May for the rest) gives one event per stage — and a reminder a number of business
days before (weekends and US federal holidays skipped), at 09:00 on that day. Each event's UID
is derived from the letter, the party and the items, never from the date or the clock, so
importing a later export into a calendar updates the events instead of adding copies (a moved
deadline moves its event).
"""

from __future__ import annotations

import datetime as dt
import hashlib
from collections.abc import Sequence
from typing import Any

import icalendar

from gaptrack.reports.deadline import business_days_before
from gaptrack.reports.tabular import to_json, to_table
from gaptrack.service.browse import DeadlineRow

SCHEMA = "gaptrack/deadlines@1"
PRODID = "-//gaptrack//deadlines//EN"
UID_DOMAIN = "deadlines.gaptrack"
REMIND_AT = dt.timedelta(hours=9)  # the reminder fires at 09:00 local time
COLUMNS = ["deadline", "days", "state", "party", "request", "items", "committee"]


def state(row: DeadlineRow) -> str:
    if row.overdue:
        return "OVERDUE"
    return "met" if row.days_left < 0 else "open"


def deadline_uid(row: DeadlineRow) -> str:
    """Stable across exports: the letter, the party and the items, not the date."""
    key = f"{row.request}|{row.party}|{row.items}".encode()
    return f"{row.request}-{row.party}-{hashlib.sha256(key).hexdigest()[:12]}@{UID_DOMAIN}"


def deadline_row(row: DeadlineRow) -> dict[str, Any]:
    return {
        "deadline": row.deadline.isoformat(),
        "days": row.days_left,
        "state": state(row),
        "party": row.party_name,
        "request": row.request,
        "items": row.items,
        "committee": row.committee,
    }


def _title(row: DeadlineRow) -> str:
    if row.items == "all":
        items = "all items"
    else:
        items = f"item{'s' if ',' in row.items else ''} {row.items}"
    return f"Deadline: {row.party_name}, {row.request} ({items})"


def _event(row: DeadlineRow, *, remind_days: int, stamp: dt.datetime) -> icalendar.Event:
    event = icalendar.Event()
    event.add("uid", deadline_uid(row))
    event.add("dtstamp", stamp)
    event.add("summary", _title(row))
    event.add("dtstart", row.deadline)
    event.add("dtend", row.deadline + dt.timedelta(days=1))
    event.add("transp", "TRANSPARENT")
    event.add("categories", ["gaptrack", row.committee])
    event.add(
        "description",
        f"Committee: {row.committee}\nLetter: {row.request}\nParty: {row.party_name} "
        f"({row.party})\nItems: {row.items}\nState: {state(row)}",
    )
    if remind_days > 0:
        remind_on = business_days_before(row.deadline, remind_days)
        alarm = icalendar.Alarm()
        alarm.add("action", "DISPLAY")
        alarm.add("description", f"Due in {remind_days} business day(s): {_title(row)}")
        alarm.add("trigger", (remind_on - row.deadline) + REMIND_AT)
        event.add_component(alarm)
    return event


def render_ics(
    rows: Sequence[DeadlineRow], *, remind_days: int, stamp: dt.datetime
) -> bytes:
    """An iCalendar file; ``stamp`` (the export time, UTC) is the events' DTSTAMP."""
    calendar = icalendar.Calendar()
    calendar.add("prodid", PRODID)
    calendar.add("version", "2.0")
    calendar.add("calscale", "GREGORIAN")
    calendar.add("x-wr-calname", "gaptrack deadlines")
    for row in sorted(rows, key=lambda r: (r.deadline, r.request, r.party, r.items)):
        calendar.add_component(_event(row, remind_days=remind_days, stamp=stamp))
    return bytes(calendar.to_ical())


def render_deadlines(
    rows: Sequence[DeadlineRow], fmt: str, *, as_of: dt.date, due_within: int | None
) -> str:
    """``table`` or ``json`` (``ics`` is bytes: :func:`render_ics`)."""
    if fmt == "json":
        return to_json(
            {
                "schema": SCHEMA,
                "as_of": as_of.isoformat(),
                "due_within": due_within,
                "deadlines": [r.model_dump(mode="json") | {"uid": deadline_uid(r)} for r in rows],
            }
        )
    return to_table([deadline_row(r) for r in rows], COLUMNS, f"Deadlines as of {as_of}")
