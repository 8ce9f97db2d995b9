"""What gaptrack derives from a produced document's own fields, whatever the source format.

Case files, DAT load files and mailboxes all end here, so every document gets the same
matching keys (:mod:`gaptrack.matching`) and the same list of participants, including the
people who appear only inside a quoted forwarded / original-message block.
"""

from __future__ import annotations

import datetime as dt
import re
from collections.abc import Iterable
from dataclasses import dataclass, field
from email.utils import parsedate_to_datetime
from functools import lru_cache

from gaptrack.matching import (
    body_hash,
    edrm_mih,
    fingerprint_from_keys,
    normalise_message_id,
    normalise_name,
    normalise_subject,
    parse_addresses,
    participant_key,
)
from gaptrack.models.enums import ParticipantRole

# The lines that open a quoted message in the bodies of real productions.
_BLOCK_START = re.compile(
    r"^[ \t>]*(?:"
    r"-{2,}\s*(?P<orig>original message)\s*-{2,}"
    r"|-{2,}\s*(?P<fwd>forwarded message)\s*-{2,}"
    r"|(?P<begin>begin forwarded message):"
    r"|(?P<by>-+\s*forwarded by\s+(?P<by_name>.+?)\s+on\s+.+?-+)"
    # Outlook 2010+: a rule of underscores, then From:/Sent:/To:/Subject: lines.
    r"|(?P<rule>_{10,})"
    # Gmail / Apple Mail replies: "On <date>, Name <address> wrote:".
    r"|(?P<wrote>on\s.+?,\s*(?P<wrote_who>[^,]+?)\s+wrote:)"
    r")\s*$",
    re.IGNORECASE | re.MULTILINE,
)
_HEADER = re.compile(r"^[ \t>]*(from|sent|date|to|cc|bcc|subject)\s*:\s*(.*)$", re.IGNORECASE)
_FORWARD_SUBJECT = re.compile(r"^\s*(?:fw|fwd)\s*:", re.IGNORECASE)


@dataclass(frozen=True, slots=True)
class Participant:
    role: ParticipantRole
    name: str
    address: str

    @property
    def name_norm(self) -> str:
        return normalise_name(self.name)


@dataclass(slots=True)
class QuotedMessage:
    """A message quoted inside another: who it was from and to, and how it was quoted."""

    forwarded: bool  # a forward (vs. an original message quoted in a reply)
    sender: str = ""
    to: str = ""
    cc: str = ""
    sent: str = ""
    subject: str = ""
    forwarded_by: str = ""  # Lotus Notes "Forwarded by X on ..." names the forwarder


@dataclass(slots=True)
class Derived:
    subject_norm: str
    mih: str | None
    fingerprint: str | None
    body_hash: str | None
    participants: list[Participant] = field(default_factory=list)
    quoted: list[QuotedMessage] = field(default_factory=list)
    references: list[str] = field(default_factory=list)  # normalised Message-IDs


def quoted_messages(text: str | None) -> list[QuotedMessage]:
    """Every quoted forwarded / original message in ``text``, outermost first."""
    if not text:
        return []
    found: list[QuotedMessage] = []
    lines = text.splitlines()
    for match in _BLOCK_START.finditer(text):
        forwarded = bool(match.group("fwd") or match.group("begin") or match.group("by"))
        quoted = QuotedMessage(forwarded=forwarded)
        if match.group("by"):
            quoted.forwarded_by = match.group("by_name").strip()
        if match.group("wrote"):
            # The author is named in the line itself; what follows is quoted text, whose
            # header-like lines belong to older messages.
            quoted.sender = match.group("wrote_who").strip()
            found.append(quoted)
            continue
        line_no = text.count("\n", 0, match.end()) + 1
        current: str | None = None
        for line in lines[line_no : line_no + 16]:
            header = _HEADER.match(line)
            if header:
                current = header.group(1).lower()
                value = header.group(2).strip()
                if current == "from":
                    quoted.sender = value
                elif current in ("sent", "date"):
                    quoted.sent = value
                elif current == "to":
                    quoted.to = value
                elif current == "cc":
                    quoted.cc = value
                elif current == "subject":
                    quoted.subject = value
            elif not line.strip():
                if quoted.sender:
                    break
            elif current in ("to", "cc"):  # a folded header line continues the list
                if current == "to":
                    quoted.to += " " + line.strip()
                else:
                    quoted.cc += " " + line.strip()
        found.append(quoted)
    return found


def parse_sent(value: str) -> dt.datetime | None:
    """A quoted ``Sent:`` / ``Date:`` value as naive UTC, when it can be read."""
    try:
        parsed = parsedate_to_datetime(value)
    except (TypeError, ValueError, IndexError):
        return None
    if parsed.tzinfo is not None:
        parsed = parsed.astimezone(dt.UTC).replace(tzinfo=None)
    return parsed


def is_forward(subject: str | None, quoted: list[QuotedMessage]) -> bool:
    return bool(_FORWARD_SUBJECT.match(subject or "")) or any(q.forwarded for q in quoted[:1])


def derive(
    *,
    sender: str | Iterable[str] | None,
    to: str | Iterable[str] | None = None,
    cc: str | Iterable[str] | None = None,
    bcc: str | Iterable[str] | None = None,
    subject: str | None = None,
    message_id: str | None = None,
    references: Iterable[str] = (),
    text: str | None = None,
) -> Derived:
    """Matching keys, participants and references for one document."""
    quoted = quoted_messages(text)
    forward = is_forward(subject, quoted)
    people: list[Participant] = []
    seen: set[tuple[str, str]] = set()

    def add(role: ParticipantRole, pairs: list[tuple[str, str]]) -> None:
        for name, address in pairs:
            key = address or normalise_name(name)
            if (key, role) in seen:
                continue
            seen.add((key, role))
            people.append(Participant(role, name, address))

    # Each header is parsed once: the participants and the fingerprint share the result.
    senders = parse_addresses(sender)
    recipients = [parse_addresses(to), parse_addresses(cc), parse_addresses(bcc)]
    add(ParticipantRole.FORWARDED if forward else ParticipantRole.SENDER, senders)
    add(ParticipantRole.TO, recipients[0])
    add(ParticipantRole.CC, recipients[1])
    add(ParticipantRole.BCC, recipients[2])
    direct = {p.address or p.name_norm for p in people}
    for q in quoted:
        if q.forwarded_by:
            add(ParticipantRole.FORWARDED, parse_addresses(q.forwarded_by))
        for header in (q.sender, q.to, q.cc):
            for name, address in parse_addresses(header):
                key = address or normalise_name(name)
                if key in direct or (key, ParticipantRole.QUOTED) in seen:
                    continue
                seen.add((key, ParticipantRole.QUOTED))
                people.append(Participant(ParticipantRole.QUOTED, name, address))
    print_ = None
    if senders:
        print_ = fingerprint_from_keys(
            participant_key(*senders[0]),
            (participant_key(n, a) for pairs in recipients for n, a in pairs),
            subject,
        )
    refs = [normalise_message_id(r) for r in references if r and r.strip()]
    return Derived(
        subject_norm=normalise_subject(subject),
        mih=edrm_mih(message_id),
        fingerprint=print_,
        body_hash=body_hash(text),
        participants=people,
        quoted=quoted,
        references=list(dict.fromkeys(refs)),
    )


# (role, address or None, name or None, name_norm or None): one document_participant row.
ParticipantRow = tuple[str, str | None, str | None, str | None]


@dataclass(slots=True)
class DerivedRows:
    """:func:`derive` reduced to what a bulk writer stores (see :func:`derive_rows`)."""

    subject_norm: str
    mih: str | None
    fingerprint: str | None
    body_hash: str | None
    participants: list[ParticipantRow]
    references: list[str]


@lru_cache(maxsize=8192)
def _header(value: str) -> tuple[tuple[tuple[str, str], ...], tuple[str, ...]]:
    """A header's ``(name, address)`` pairs and their participant keys, once per value.

    Cached: correspondents recur across a production, so most headers were seen before.
    """
    pairs = tuple(parse_addresses(value))
    return pairs, tuple(participant_key(n, a) for n, a in pairs)


@lru_cache(maxsize=8192)
def _header_rows(value: str, role: str) -> tuple[ParticipantRow, ...]:
    """The participant rows one header yields in one role, duplicates (by key) dropped.

    Exactly what :func:`derive` adds for that header when no quoted block is involved: its
    de-duplication is by (key, role), and each header has a role of its own.
    """
    pairs, keys = _header(value)
    seen: set[str] = set()
    rows: list[ParticipantRow] = []
    for (name, address), key in zip(pairs, keys, strict=True):
        if key in seen:
            continue
        seen.add(key)
        rows.append((role, address or None, name or None, normalise_name(name) or None))
    return tuple(rows)


_SENDER, _FORWARDED = str(ParticipantRole.SENDER), str(ParticipantRole.FORWARDED)
_TO, _CC, _BCC = str(ParticipantRole.TO), str(ParticipantRole.CC), str(ParticipantRole.BCC)


def derive_rows(
    *,
    sender: str,
    to: str,
    cc: str,
    bcc: str,
    subject: str,
    message_id: str,
    references: list[str],
    text: str | None,
) -> DerivedRows:
    """:func:`derive` for one load-file record, with participants as rows — the bulk path.

    Same keys, same participants in the same order; empty strings stand for absent headers.
    A document whose text quotes other messages goes through :func:`derive` itself (its
    quoted participants are de-duplicated against the direct ones); every other document
    takes the cached per-header path, which skips building a ``Participant`` per person.
    """
    quoted = quoted_messages(text) if text else []
    if quoted:
        full = derive(
            sender=sender or None,
            to=to or None,
            cc=cc or None,
            bcc=bcc or None,
            subject=subject or None,
            message_id=message_id or None,
            references=references,
            text=text,
        )
        return DerivedRows(
            full.subject_norm,
            full.mih,
            full.fingerprint,
            full.body_hash,
            [
                (str(p.role), p.address or None, p.name or None, p.name_norm or None)
                for p in full.participants
            ],
            full.references,
        )
    people: list[ParticipantRow] = []
    print_ = None
    if sender:
        forward = bool(_FORWARD_SUBJECT.match(subject))
        people.extend(_header_rows(sender, _FORWARDED if forward else _SENDER))
        sender_keys = _header(sender)[1]
        if sender_keys:
            recipient_keys: list[str] = []
            for value in (to, cc, bcc):
                if value:
                    recipient_keys.extend(_header(value)[1])
            print_ = fingerprint_from_keys(sender_keys[0], recipient_keys, subject or None)
    if to:
        people.extend(_header_rows(to, _TO))
    if cc:
        people.extend(_header_rows(cc, _CC))
    if bcc:
        people.extend(_header_rows(bcc, _BCC))
    refs: list[str] = []
    if references:
        refs = list(dict.fromkeys(normalise_message_id(r) for r in references if r and r.strip()))
    return DerivedRows(
        normalise_subject(subject),
        edrm_mih(message_id),
        print_,
        body_hash(text),
        people,
        refs,
    )
