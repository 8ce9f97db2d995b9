"""Bates numbers: prefix + zero-padded number (+ optional suffix), stored apart.

A prefix that ends in a digit ("ABC2017-000123" vs "ABC2017000123") makes a bare label
ambiguous, so callers that know the production's prefix pass it and it wins.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

# prefix (anything, lazily), number (the last run of digits before an optional suffix),
# suffix: "_0002", ".001" or "-0002" page suffixes after the number.
_LABEL = re.compile(r"^(?P<prefix>.*?)(?P<number>\d+)(?P<suffix>(?:[_.]\d+)?)$")


@dataclass(frozen=True, slots=True)
class Bates:
    prefix: str
    number: int
    width: int
    suffix: str = ""

    @property
    def label(self) -> str:
        return f"{self.prefix}{self.number:0{self.width}d}{self.suffix}"

    def __str__(self) -> str:
        return self.label


def parse_bates(label: str, prefix: str | None = None) -> Bates:
    """Split a Bates label; raise ``ValueError`` with a reason when it is not one."""
    text = label.strip()
    if not text:
        raise ValueError("empty Bates number")
    if prefix is not None and text.startswith(prefix):
        rest = text[len(prefix) :]
        match = re.fullmatch(r"(?P<number>\d+)(?P<suffix>(?:[_.]\d+)?)", rest)
        if match is None:
            raise ValueError(f"{label!r} has no number after the prefix {prefix!r}")
        digits = match["number"]
        return Bates(prefix, int(digits), len(digits), match["suffix"])
    match = _LABEL.match(text)
    if match is None:
        raise ValueError(f"{label!r} does not end in a number")
    digits = match["number"]
    return Bates(match["prefix"], int(digits), len(digits), match["suffix"])


def format_bates(prefix: str, number: int, width: int = 6, suffix: str = "") -> str:
    return f"{prefix}{number:0{width}d}{suffix}"
