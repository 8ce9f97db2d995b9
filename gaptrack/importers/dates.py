"""Dates and times as load files write them, to naive UTC.

DATESENT is ``09/16/2016`` or ``2016-09-16`` or ``20160916`` (sometimes with the time in the
same field); TIMESENT is ``10:31:00`` or ``10:31 AM``; TIMEZONE is ``UTC``, ``-0500``,
``GMT-05:00``, ``EST`` or an IANA name. With no zone the time is taken as UTC.
"""

from __future__ import annotations

import datetime as dt
import re
from email.utils import parsedate_to_datetime
from functools import lru_cache
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

_DATE_FORMATS = ("%m/%d/%Y", "%Y-%m-%d", "%Y%m%d", "%Y/%m/%d", "%m/%d/%y", "%d-%b-%Y", "%d %b %Y",
                 "%b %d, %Y", "%B %d, %Y", "%b %d %Y", "%B %d %Y", "%d %B %Y", "%Y.%m.%d")
# A date written out ("Sep 16, 2016", "September 16, 2016", "16 September 2016"): its words
# stay together when the time is split off.
_WRITTEN = re.compile(r"^([A-Za-z]+\.? \d{1,2},? \d{4}|\d{1,2} [A-Za-z]+\.? \d{4})\s*(.*)$")
_TIME_FORMATS = (
    "%H:%M:%S",
    "%H:%M",
    "%I:%M:%S %p",
    "%I:%M %p",
    "%I:%M:%S%p",
    "%I:%M%p",
    "%H:%M:%S.%f",
)
_TRAILING_OFFSET = re.compile(r"([+-]\d{2}:?\d{2})$")
_OFFSET = re.compile(r"^(?:utc|gmt)?\s*([+-])(\d{1,2}):?(\d{2})?$", re.IGNORECASE)
_ABBREVIATIONS = {
    "utc": 0,
    "gmt": 0,
    "z": 0,
    "est": -5,
    "edt": -4,
    "cst": -6,
    "cdt": -5,
    "mst": -7,
    "mdt": -6,
    "pst": -8,
    "pdt": -7,
    "bst": 1,
    "cet": 1,
    "cest": 2,
}


class DateError(ValueError):
    pass


@lru_cache(maxsize=4096)
def parse_date(value: str) -> dt.date:
    text = value.strip()
    if len(text) == 10 and text[2] == "/" and text[5] == "/" and text.replace("/", "").isdigit():
        try:
            return dt.date(int(text[6:]), int(text[:2]), int(text[3:5]))
        except ValueError as exc:
            raise DateError(f"{value!r} is not a date: {exc}") from exc
    for fmt in _DATE_FORMATS:
        try:
            return dt.datetime.strptime(text, fmt).date()
        except ValueError:
            continue
    raise DateError(f"{value!r} is not a date (e.g. 09/16/2016 or 2016-09-16)")


@lru_cache(maxsize=4096)
def parse_time(value: str) -> dt.time:
    text = value.strip()
    if len(text) == 8 and text[2] == ":" and text[5] == ":" and text.replace(":", "").isdigit():
        try:
            return dt.time(int(text[:2]), int(text[3:5]), int(text[6:]))
        except ValueError as exc:
            raise DateError(f"{value!r} is not a time: {exc}") from exc
    for fmt in _TIME_FORMATS:
        try:
            return dt.datetime.strptime(text.upper(), fmt).time()
        except ValueError:
            continue
    raise DateError(f"{value!r} is not a time (e.g. 10:31:00 or 10:31 AM)")


@lru_cache(maxsize=256)
def parse_zone(value: str) -> dt.tzinfo:
    text = value.strip()
    offset = _OFFSET.match(text)
    if offset:
        sign, hours, minutes = offset.groups()
        delta = dt.timedelta(hours=int(hours), minutes=int(minutes or 0))
        if delta >= dt.timedelta(hours=24):
            raise DateError(f"{value!r} is not a time zone: offsets stop short of 24 hours")
        return dt.timezone(-delta if sign == "-" else delta)
    if text.casefold() in _ABBREVIATIONS:
        return dt.timezone(dt.timedelta(hours=_ABBREVIATIONS[text.casefold()]))
    windows = _windows_zone(text)
    if windows is not None:
        return windows
    try:
        return ZoneInfo(text)
    except (ZoneInfoNotFoundError, ValueError) as exc:
        raise DateError(f"{value!r} is not a time zone (e.g. UTC, -0500, EST)") from exc


# Windows display names as review platforms export them ("(UTC-05:00) Eastern Time (US &
# Canada)"): the zones of most productions by name, so summer time is kept; any other by the
# offset its name states.
_DISPLAY = re.compile(r"^\((?:UTC|GMT)\s*(?:([+-]\d{1,2}):?(\d{2}))?\)\s*(.*)$", re.IGNORECASE)
_DISPLAY_ZONES = {
    "eastern time (us & canada)": "America/New_York",
    "central time (us & canada)": "America/Chicago",
    "mountain time (us & canada)": "America/Denver",
    "pacific time (us & canada)": "America/Los_Angeles",
    "arizona": "America/Phoenix",
    "alaska": "America/Anchorage",
    "hawaii": "Pacific/Honolulu",
    "indiana (east)": "America/Indiana/Indianapolis",
    "atlantic time (canada)": "America/Halifax",
    "dublin, edinburgh, lisbon, london": "Europe/London",
    "amsterdam, berlin, bern, rome, stockholm, vienna": "Europe/Berlin",
    "brussels, copenhagen, madrid, paris": "Europe/Paris",
    "belgrade, bratislava, budapest, ljubljana, prague": "Europe/Budapest",
    "sarajevo, skopje, warsaw, zagreb": "Europe/Warsaw",
    "athens, bucharest": "Europe/Bucharest",
    "helsinki, kyiv, riga, sofia, tallinn, vilnius": "Europe/Kiev",
    "jerusalem": "Asia/Jerusalem",
    "moscow, st. petersburg": "Europe/Moscow",
    "moscow, st. petersburg, volgograd": "Europe/Moscow",
    "coordinated universal time": "UTC",
}


def _windows_zone(text: str) -> dt.tzinfo | None:
    """A Windows zone: its id (``Eastern Standard Time``, mapped with tzlocal's table of
    Windows ids to IANA zones) or its display name; None when ``text`` is neither."""
    from tzlocal.windows_tz import win_tz

    if text in win_tz:
        return ZoneInfo(win_tz[text])
    shown = _DISPLAY.match(text)
    if shown is None:
        return None
    hours, minutes, name = shown.groups()
    named = _DISPLAY_ZONES.get(name.strip().casefold())
    if named is not None:
        return ZoneInfo(named)
    offset = dt.timedelta(hours=abs(int(hours or 0)), minutes=int(minutes or 0))
    return dt.timezone(-offset if (hours or "+").startswith("-") else offset)


def _split_date_time(value: str) -> tuple[str, str]:
    text = value.strip()
    written = _WRITTEN.match(text)
    if written:
        return written.group(1).replace(".", ""), written.group(2).strip()
    if "T" in text[8:11]:
        date_part, _, rest = text.partition("T")
        return date_part, rest
    date_part, _, rest = text.partition(" ")
    return date_part, rest.strip()


def written_day(value: str) -> dt.date:
    """The calendar day a value names, as written (a time or zone after it is not applied:
    a privilege log's "9/16/2016 11:30 PM EDT" is the 16th)."""
    return parse_date(_split_date_time(value)[0])


def combine(date: str, time: str = "", zone: str = "") -> dt.datetime | None:
    """DATESENT (+ TIMESENT, TIMEZONE) as naive UTC; None when the date is empty."""
    if not date.strip():
        return None
    date_part, time_part = _split_date_time(date)
    if time_part.endswith("Z"):
        time_part, zone = time_part[:-1], zone or "UTC"
    else:
        match = _TRAILING_OFFSET.search(time_part) if time_part else None
        if match and ":" in time_part[: match.start()]:
            time_part, zone = time_part[: match.start()], zone or match.group(1)
    day = parse_date(date_part)
    clock = parse_time(time or time_part) if (time or time_part).strip() else dt.time()
    moment = dt.datetime.combine(day, clock)
    if zone.strip():
        moment = moment.replace(tzinfo=parse_zone(zone))
        try:
            moment = moment.astimezone(dt.UTC).replace(tzinfo=None)
        except OverflowError as exc:
            raise DateError(f"{date!r} in UTC falls outside the years 1-9999") from exc
    return moment


# A 12-hour clock: "4:39 PM", "4:39:05 p.m.". RFC 5322's reader takes the digits and drops the
# AM/PM, which put every afternoon of Outlook's "Sent: Monday, May 14, 2001 4:39 PM" twelve
# hours early.
_CLOCK_12H = re.compile(r"\b(\d{1,2})(:\d{2}(?::\d{2})?)\s*([ap])\.?\s?m\b\.?", re.IGNORECASE)
_COMMENT = re.compile(r"\([^()]*\)")  # an RFC 5322 comment (not nested)
_SPACES = re.compile(r"\s+")


def _to_24h(match: re.Match[str]) -> str:
    hour = int(match.group(1)) % 12 + (12 if match.group(3).lower() == "p" else 0)
    return f"{hour:02d}{match.group(2)}"


def _rfc_date(value: str) -> dt.datetime | None:
    try:
        return parsedate_to_datetime(value)
    except (TypeError, ValueError, IndexError):
        return None


def written_datetime(value: str) -> dt.datetime | None:
    """A date and time as mail writes it, as naive UTC; None when it cannot be read.

    A Date header (RFC 5322, comments anywhere in it, the obsolete ``09 : 55`` spacing), a
    quoted or printed header as Outlook writes it (``Monday, May 14, 2001 4:39 PM``, the
    12-hour clock read as such), and the ISO and US forms some exporting tools write
    (``2001-05-14 16:39:00``, ``5/14/2001 4:39 PM``, read as load files' dates are).
    """
    if not value:
        return None
    moment = _rfc_date(value) if not _CLOCK_12H.search(value) else None
    if moment is None:  # rare: the clean-ups are kept off the common path
        uncommented = _SPACES.sub(" ", _COMMENT.sub(" ", value)).strip()
        clean = _CLOCK_12H.sub(_to_24h, uncommented).replace(" :", ":").replace(": ", ":")
        moment = _rfc_date(clean)
        if moment is None:
            try:
                return combine(uncommented)
            except ValueError:
                return None
    if moment.tzinfo is not None:
        moment = moment.astimezone(dt.UTC).replace(tzinfo=None)
    return moment
