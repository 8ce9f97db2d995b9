"""Business-day deadlines that skip weekends and US federal holidays (``holidays`` package)."""

from __future__ import annotations

import datetime as dt

import holidays


def federal_holidays(years: range) -> holidays.HolidayBase:
    return holidays.country_holidays("US", years=list(years))


def add_business_days(start: dt.date, days: int) -> dt.date:
    """The date ``days`` business days after ``start`` (``start`` itself is not counted)."""
    if days < 0:
        raise ValueError("days must be >= 0")
    off = federal_holidays(range(start.year, start.year + 2 + days // 200))
    current = start
    left = days
    while left:
        current += dt.timedelta(days=1)
        if current.weekday() < 5 and current not in off:
            left -= 1
    return current


def business_days_before(end: dt.date, days: int) -> dt.date:
    """The date ``days`` business days before ``end`` (``end`` itself is not counted)."""
    if days < 0:
        raise ValueError("days must be >= 0")
    off = federal_holidays(range(end.year - 1 - days // 200, end.year + 1))
    current = end
    left = days
    while left:
        current -= dt.timedelta(days=1)
        if current.weekday() < 5 and current not in off:
            left -= 1
    return current
