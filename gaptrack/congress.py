"""The ``unitedstates/congress-legislators`` files, read into plain values.

Three files of that project, as a user downloads them into one folder:

- ``committees-current.yaml``: a list of committees, each with ``type`` (house, senate,
  joint), ``name`` and ``thomas_id`` (``SSJU``), and its ``subcommittees`` (whose own
  ``thomas_id`` is a suffix: ``HSAG`` + ``15``);
- ``committee-membership-current.yaml``: a mapping from a committee's (or subcommittee's,
  ``HSAG15``) thomas_id to its members, each with ``name``, ``bioguide``, ``party``
  (majority / minority), ``rank`` and, for leaders only, ``title`` ("Chairman", "Ranking
  Member", "Vice Chairman");
- ``legislators-current.yaml``: a list of legislators with ``id.bioguide``, ``name.first``,
  ``name.last``, ``name.official_full`` and their ``terms`` (``type`` rep / sen, ``start``).

The membership file describes the current Congress only. A Congress begins on 3 January of an
odd year, so the files are taken to cover letters from the start of the Congress of the newest
House term in ``legislators-current.yaml`` onwards.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import yaml

from gaptrack.errors import InputError

COMMITTEES = "committees-current.yaml"
MEMBERSHIP = "committee-membership-current.yaml"
LEGISLATORS = "legislators-current.yaml"
CHAMBERS = {"house", "senate", "joint"}


@dataclass(frozen=True, slots=True)
class CommitteeRecord:
    thomas_id: str
    name: str
    chamber: str


@dataclass(frozen=True, slots=True)
class MemberRecord:
    thomas_id: str
    bioguide: str
    name: str
    title: str | None
    rank: int | None
    side: str | None


@dataclass(frozen=True, slots=True)
class LegislatorRecord:
    bioguide: str
    name: str
    first: str
    last: str


@dataclass(slots=True)
class CongressFiles:
    committees: list[CommitteeRecord] = field(default_factory=list)
    members: list[MemberRecord] = field(default_factory=list)
    legislators: list[LegislatorRecord] = field(default_factory=list)
    congress_start: dt.date | None = None


def _load(path: Path) -> Any:
    if not path.is_file():
        raise InputError(f"{path.name} is missing from {path.parent}", file=path)
    loader = getattr(yaml, "CSafeLoader", yaml.SafeLoader)  # the C loader: 5-10x faster
    try:
        with path.open("rb") as handle:
            return yaml.load(handle, Loader=loader)  # a safe loader
    except yaml.MarkedYAMLError as exc:
        line = exc.problem_mark.line + 1 if exc.problem_mark else None
        raise InputError(f"not valid YAML: {exc.problem}", file=path, line=line) from None


def _text(value: Any, path: Path, where: str, *, required: bool = True) -> str:
    if value is None or value == "":
        if required:
            raise InputError("missing", file=path, field=where)
        return ""
    if not isinstance(value, str | int):
        raise InputError(f"expected text, found {type(value).__name__}", file=path, field=where)
    return str(value).strip()


def read_committees(path: Path) -> list[CommitteeRecord]:
    data = _load(path)
    if not isinstance(data, list):
        raise InputError("expected a list of committees", file=path)
    out = []
    for i, entry in enumerate(data):
        where = f"[{i}]"
        if not isinstance(entry, dict):
            raise InputError("expected a mapping", file=path, field=where)
        chamber = _text(entry.get("type"), path, f"{where}.type").lower()
        if chamber not in CHAMBERS:
            raise InputError(f"unknown type {chamber!r}", file=path, field=f"{where}.type")
        out.append(
            CommitteeRecord(
                thomas_id=_text(entry.get("thomas_id"), path, f"{where}.thomas_id").upper(),
                name=_text(entry.get("name"), path, f"{where}.name"),
                chamber=chamber,
            )
        )
    return out


def read_membership(path: Path) -> list[MemberRecord]:
    data = _load(path)
    if not isinstance(data, dict):
        raise InputError("expected a mapping of thomas_id to members", file=path)
    out = []
    for thomas_id, members in data.items():
        if not isinstance(members, list):
            raise InputError("expected a list of members", file=path, field=str(thomas_id))
        for i, member in enumerate(members):
            where = f"{thomas_id}[{i}]"
            if not isinstance(member, dict):
                raise InputError("expected a mapping", file=path, field=where)
            rank = member.get("rank")
            if rank is not None and not isinstance(rank, int):
                raise InputError("expected a whole number", file=path, field=f"{where}.rank")
            out.append(
                MemberRecord(
                    thomas_id=str(thomas_id).upper(),
                    bioguide=_text(member.get("bioguide"), path, f"{where}.bioguide"),
                    name=_text(member.get("name"), path, f"{where}.name"),
                    title=_text(member.get("title"), path, f"{where}.title", required=False)
                    or None,
                    rank=rank,
                    side=_text(member.get("party"), path, f"{where}.party", required=False)
                    or None,
                )
            )
    return out


def read_legislators(path: Path) -> tuple[list[LegislatorRecord], dt.date | None]:
    """The legislators, and the start of the Congress of the newest House term."""
    data = _load(path)
    if not isinstance(data, list):
        raise InputError("expected a list of legislators", file=path)
    out = []
    newest: dt.date | None = None
    for i, entry in enumerate(data):
        where = f"[{i}]"
        if not isinstance(entry, dict):
            raise InputError("expected a mapping", file=path, field=where)
        ids, names = entry.get("id") or {}, entry.get("name") or {}
        first = _text(names.get("first"), path, f"{where}.name.first", required=False)
        last = _text(names.get("last"), path, f"{where}.name.last")
        full = _text(names.get("official_full"), path, f"{where}.name.official_full",
                     required=False)  # fmt: skip
        out.append(
            LegislatorRecord(
                bioguide=_text(ids.get("bioguide"), path, f"{where}.id.bioguide"),
                name=full or f"{first} {last}".strip(),
                first=first,
                last=last,
            )
        )
        for j, term in enumerate(entry.get("terms") or []):
            if term.get("type") != "rep" or not term.get("start"):
                continue
            start = _date(term["start"], path, f"{where}.terms[{j}].start")
            newest = start if newest is None or start > newest else newest
    return out, (congress_start(newest) if newest else None)


def _date(value: Any, path: Path, where: str) -> dt.date:
    if isinstance(value, dt.date):
        return value
    try:
        return dt.date.fromisoformat(str(value))
    except ValueError:
        raise InputError(f"not a date: {value!r}", file=path, field=where) from None


def congress_start(day: dt.date) -> dt.date:
    """3 January of the odd year that began the Congress sitting on ``day``."""
    year = day.year if day.year % 2 == 1 else day.year - 1
    start = dt.date(year, 1, 3)
    return start if day >= start else dt.date(year - 2, 1, 3)


def read_folder(folder: Path) -> CongressFiles:
    """The three files from ``folder``; an :class:`InputError` names the file and field."""
    if not folder.is_dir():
        raise InputError(f"{folder} is not a folder", file=folder)
    legislators, start = read_legislators(folder / LEGISLATORS)
    return CongressFiles(
        committees=read_committees(folder / COMMITTEES),
        members=read_membership(folder / MEMBERSHIP),
        legislators=legislators,
        congress_start=start,
    )
