"""The DAT mapper's date fast path gives exactly what ``combine`` and ``sqlite_datetime`` give.

On SQLite the mapper builds the stored text of the usual DATESENT / TIMESENT from two small
caches instead of going through :func:`combine`; anything else (a time or a zone in the
field, a bad value, a year before 1000) still goes through :func:`combine`, errors and all.
"""

from __future__ import annotations

import datetime as dt

from hypothesis import given, settings
from hypothesis import strategies as st

from gaptrack.importers.dates import DateError, combine
from gaptrack.importers.mapping import _sqlite_text, sqlite_datetime

DATES = st.one_of(
    st.dates(min_value=dt.date(1, 1, 1)).flatmap(
        lambda d: st.sampled_from([
            d.strftime("%m/%d/%Y"), d.isoformat(), d.strftime("%Y%m%d"), d.strftime("%Y/%m/%d"),
            d.strftime("%d-%b-%Y"), d.strftime("%m/%d/%y"), f"{d.isoformat()} 10:31",
            f"{d.isoformat()}T10:31:00Z", f"{d.isoformat()}T10:31:00-05:00",
        ])
    ),
    st.sampled_from(
        ["13/45/2016", "02/30/2016", "2016-9-16", "x", "09/16/2016 junk", "0999-01-01"]
    ),
    st.text(alphabet="0123456789/-T :", max_size=12),
)
TIMES = st.one_of(
    st.times().flatmap(
        lambda t: st.sampled_from([
            t.strftime("%H:%M:%S"), t.strftime("%H:%M"), t.strftime("%I:%M %p"),
            t.strftime("%I:%M:%S%p").lower(), t.strftime("%H:%M:%S.%f"), "",
        ])
    ),
    st.sampled_from(["25:00:00", "10:61", "noon", "10:31:00 XM"]),
    st.text(alphabet="0123456789: APM", max_size=10),
)


@settings(max_examples=3000, deadline=None)
@given(date=DATES, time=TIMES)
def test_sqlite_date_text_matches_combine(date: str, time: str) -> None:
    """Where the fast path answers, it answers what combine() + sqlite_datetime() give; where
    it does not, the mapper asks combine(), which gives the value or the error as before."""
    date, time = date.strip(), time.strip()
    if not date:
        return
    fast = _sqlite_text(date, time)
    try:
        expected = sqlite_datetime(combine(date, time, ""))
    except DateError:
        assert fast is None
        return
    assert fast is None or fast == expected


def test_sqlite_date_text_takes_the_usual_forms() -> None:
    assert _sqlite_text("09/16/2016", "10:31:00") == "2016-09-16 10:31:00.000000"
    assert _sqlite_text("2016-09-16", "") == "2016-09-16 00:00:00.000000"
    assert _sqlite_text("20160916", "10:31 PM") == "2016-09-16 22:31:00.000000"
    # A time or a zone in the field, or a bad value: combine() decides.
    assert _sqlite_text("2016-09-16 10:31", "") is None
    assert _sqlite_text("2016-09-16T10:31:00Z", "") is None
    assert _sqlite_text("13/45/2016", "") is None
    assert _sqlite_text("09/16/2016", "25:00:00") is None


def test_windows_time_zones_as_review_platforms_export_them() -> None:
    """TIMEZONE fields hold Windows zone ids and display names: the named zones keep summer
    time; a display name not listed is read by the offset it states."""
    import pytest

    eastern = [
        "(UTC-05:00) Eastern Time (US & Canada)",
        "(GMT-05:00) Eastern Time (US & Canada)",
        "Eastern Standard Time",
        "America/New_York",
    ]
    for zone in eastern:
        assert combine("07/04/2016", "10:00", zone) == dt.datetime(2016, 7, 4, 14, 0), zone
        assert combine("01/04/2016", "10:00", zone) == dt.datetime(2016, 1, 4, 15, 0), zone
    assert combine("01/04/2016", "10:00", "(UTC+05:30) Chennai, Kolkata, Mumbai, New Delhi") \
        == dt.datetime(2016, 1, 4, 4, 30)
    assert combine("01/04/2016", "10:00", "W. Europe Standard Time") == dt.datetime(
        2016, 1, 4, 9, 0)
    with pytest.raises(DateError):
        combine("01/04/2016", "10:00", "Nowhere Standard Time")
