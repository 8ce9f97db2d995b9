"""Dates typed on the command line: one parser, one message, exit code 2 when unreadable."""

from __future__ import annotations

import datetime as dt

from gaptrack.errors import InputError


def parse_date(value: str | None, *, option: str) -> dt.date | None:
    """``YYYY-MM-DD`` to a date; None stays None (the caller picks its own default)."""
    if value is None:
        return None
    try:
        return dt.date.fromisoformat(value.strip())
    except ValueError:
        raise InputError(f"not a date: {value!r} (use YYYY-MM-DD)", field=option) from None
