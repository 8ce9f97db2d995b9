"""How a letter writes dates, request numbers, names and greetings."""

from __future__ import annotations

import datetime as dt
import re

_UNITS = [
    "",
    "first",
    "second",
    "third",
    "fourth",
    "fifth",
    "sixth",
    "seventh",
    "eighth",
    "ninth",
    "tenth",
    "eleventh",
    "twelfth",
    "thirteenth",
    "fourteenth",
    "fifteenth",
    "sixteenth",
    "seventeenth",
    "eighteenth",
    "nineteenth",
]
_TENS = ["", "", "twent", "thirt", "fort", "fift", "sixt", "sevent", "eight", "ninet"]
_CARDINAL_TENS = [
    "",
    "",
    "twenty",
    "thirty",
    "forty",
    "fifty",
    "sixty",
    "seventy",
    "eighty",
    "ninety",
]
_SUFFIXES = {"jr", "jr.", "sr", "sr.", "ii", "iii", "iv", "esq", "esq."}


def long_date(value: dt.date) -> str:
    """``November 16, 2017``."""
    return f"{value:%B} {value.day}, {value.year}"


def ordinal_word(number: int) -> str | None:
    """``3`` → ``third``, ``21`` → ``twenty-first``; None outside 1..99."""
    if not 0 < number < 100:
        return None
    if number < 20:
        return _UNITS[number]
    tens, units = divmod(number, 10)
    if units == 0:
        return _TENS[tens] + "ieth"
    return f"{_CARDINAL_TENS[tens]}-{_UNITS[units]}"


def request_words(item: str) -> str:
    """``"3"`` → ``the third request``; ``"3(a)"`` → ``request 3(a)``."""
    number = item.strip()
    word = ordinal_word(int(number)) if number.isdigit() else None
    return f"the {word} request" if word else f"request {number}"


def citation(item: str, letter_date: dt.date | None) -> str:
    """``the third request of the Committee's October 18, 2017 letter``."""
    head = request_words(item)
    return f"{head} of the Committee's {long_date(letter_date)} letter" if letter_date else head


def surname(name: str) -> str:
    """The family name of ``Abbe D. Lowell`` (``Lowell``); ``Donald Trump Jr.`` → ``Trump``."""
    if "," in name:  # "Lowell, Abbe D."
        return name.split(",", 1)[0].strip()
    words = [w for w in name.split() if w.lower().rstrip(",") not in _SUFFIXES]
    return words[-1] if words else name.strip()


def short_name(name: str, honorific: str | None) -> str:
    """``Mr. Kushner`` when an honorific is known, else the full name."""
    return f"{honorific.strip()} {surname(name)}" if honorific and honorific.strip() else name


def salutation(name: str, honorific: str | None) -> str:
    """``Dear Mr. Lowell:``; without an honorific, ``Dear Abbe D. Lowell:``."""
    return f"Dear {short_name(name, honorific)}:"


def and_list(words: list[str]) -> str:
    """``a``, ``a and b``, ``a, b and c``."""
    if len(words) <= 1:
        return "".join(words)
    return f"{', '.join(words[:-1])} and {words[-1]}"


def natural_key(text: str) -> tuple[object, ...]:
    """Sort ``2`` before ``10`` and ``3(a)`` after ``3``."""
    return tuple((0, int(p), "") if p.isdigit() else (1, 0, p) for p in re.split(r"(\d+)", text))


def file_stem(*parts: str) -> str:
    """A file name safe on every platform: ``letter-kushner-2017-11-16``."""
    text = "-".join(p for p in parts if p)
    return re.sub(r"[^A-Za-z0-9._-]+", "-", text).strip("-") or "letter"
