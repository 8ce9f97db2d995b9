"""What gaptrack derives from a produced document's own fields, whatever the source format.

Case files, DAT load files and mailboxes all end here, so every document gets the same
matching keys (:mod:`gaptrack.matching`) and the same list of participants, including the
people who appear only inside a quoted forwarded / original-message block.
"""

from __future__ import annotations

import re
from collections.abc import Iterable
from dataclasses import dataclass, field
from functools import lru_cache

from gaptrack.identity.names import parse_piece
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
from gaptrack.quotes import BLOCK_START, HEADER, HEADER_NAMES, NOTES_SENDER, might_quote, unwrap

_FORWARD_SUBJECT = re.compile(r"^\s*(?:fw|fwd|wg|tr|rv)\s*:", re.IGNORECASE)


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
    """Every quoted forwarded / original message in ``text``, outermost first (the layouts
    and languages of :mod:`gaptrack.quotes`)."""
    if not text or not might_quote(text):
        return []
    text = unwrap(text)
    found: list[QuotedMessage] = []
    lines = text.splitlines()
    for match in BLOCK_START.finditer(text):
        forwarded = bool(match.group("fwd") or match.group("begin") or match.group("by"))
        quoted = QuotedMessage(forwarded=forwarded)
        if match.group("by"):
            quoted.forwarded_by = match.group("by_name").strip()
        who = match.group("wrote_who") or match.group("schrieb_who")
        if who:
            # The author is named in the line itself; what follows is quoted text, whose
            # header-like lines belong to older messages.
            quoted.sender = who.strip()
            found.append(quoted)
            continue
        line_no = text.count("\n", 0, match.end()) + 1
        _read_headers(quoted, lines[line_no : line_no + 16])
        found.append(quoted)
    return found


def _read_headers(quoted: QuotedMessage, lines: list[str]) -> None:
    """Fill ``quoted`` from the header lines that follow a block's opening line."""
    current: str | None = None
    for n, line in enumerate(lines):
        header = HEADER.match(line)
        if header:
            current = HEADER_NAMES.get(header.group(1).lower())
            value = header.group(2).strip()
            if current == "from":
                quoted.sender = value
            elif current == "sent":
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
        elif n < 4 and not quoted.sender and (notes := NOTES_SENDER.match(line)):
            quoted.sender = notes.group("who").strip()


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
    senders = parse_addresses(sender, single=True)
    recipients = [parse_addresses(to), parse_addresses(cc), parse_addresses(bcc)]
    add(ParticipantRole.FORWARDED if forward else ParticipantRole.SENDER, senders)
    add(ParticipantRole.TO, recipients[0])
    add(ParticipantRole.CC, recipients[1])
    add(ParticipantRole.BCC, recipients[2])
    direct = {p.address or p.name_norm for p in people}
    for q in quoted:
        if q.forwarded_by:
            add(ParticipantRole.FORWARDED, parse_addresses(q.forwarded_by))
        for header, single in ((q.sender, True), (q.to, False), (q.cc, False)):
            for name, address in parse_addresses(header, single=single):
                key = address or normalise_name(name)
                if key in direct or (key, ParticipantRole.QUOTED) in seen:
                    continue
                seen.add((key, ParticipantRole.QUOTED))
                people.append(Participant(ParticipantRole.QUOTED, name, address))
    print_ = None
    sender_key = participant_key(*senders[0]) if senders else ""
    if senders:
        print_ = fingerprint_from_keys(
            sender_key,
            (participant_key(n, a) for pairs in recipients for n, a in pairs),
            subject,
        )
    refs = [normalise_message_id(r) for r in references if r and r.strip()]
    return Derived(
        subject_norm=normalise_subject(subject),
        mih=edrm_mih(message_id),
        fingerprint=print_,
        body_hash=body_hash(text, sender_key),
        participants=people,
        quoted=quoted,
        references=list(dict.fromkeys(refs)),
    )


# (role, address, name, name_norm): one document_participant row. As everywhere on the bulk
# path, an empty string stands for an absent value: the bulk insert stores it as NULL (see
# importers.writer, on why it binds no None).
ParticipantRow = tuple[str, str, str, str]


@dataclass(slots=True)
class DerivedRows:
    """:func:`derive` reduced to what a bulk writer stores (see :func:`derive_rows`); an
    absent key is an empty string."""

    subject_norm: str
    mih: str
    fingerprint: str
    body_hash: str
    participants: list[ParticipantRow]
    references: list[str]


_SENDER, _FORWARDED = str(ParticipantRole.SENDER), str(ParticipantRole.FORWARDED)
_TO, _CC, _BCC = str(ParticipantRole.TO), str(ParticipantRole.CC), str(ParticipantRole.BCC)

# A header's participant rows in one role (one per person, duplicates kept) and their
# participant keys, in the same order.
_Rows = tuple[tuple[ParticipantRow, ...], tuple[str, ...]]
_NO_ROWS: _Rows = ((), ())
# The pieces of headers read so far, per role: a plain dict (a miss costs less than an LRU
# miss), emptied if it ever fills — correspondents are far fewer than headers.
_PIECE_LIMIT = 65536
_PIECES: dict[str, dict[str, _Rows]] = {
    role: {} for role in (_SENDER, _FORWARDED, _TO, _CC, _BCC)
}


def _read_piece(piece: str, role: str) -> _Rows:
    """One ``;``-separated piece of a header as :func:`parse_addresses` reads it: its people
    as rows and keys (a sender's piece names one person: see gaptrack.identity.names)."""
    rows: list[ParticipantRow] = []
    keys: list[str] = []
    for name, address in parse_piece(piece, role in (_SENDER, _FORWARDED)):
        norm = normalise_name(name)
        rows.append((role, address, name, norm))
        keys.append(address or norm)  # participant_key(name, address)
    return tuple(rows), tuple(keys)


# Whole headers in an LRU cache: it evicts one at a time, so the memory of evicted entries
# is reused at once (a dict emptied when full handed whole arenas back to the system, and
# they had to be faulted in again).
@lru_cache(maxsize=16384)
def _header_rows(value: str, role: str) -> _Rows:
    """The participant rows one header yields in one role, duplicates (by key) dropped, and
    the participant keys of all its people (duplicates kept), once per (header, role).

    Exactly what :func:`derive` adds for that header when no quoted block is involved: its
    de-duplication is by (key, role), and each header has a role of its own. The people
    come in :func:`parse_addresses` order. A header never seen before is put together from
    its pieces, which usually were.
    """
    pieces = _PIECES[role]
    rows: tuple[ParticipantRow, ...] = ()
    keys: tuple[str, ...] = ()
    for piece in value.split(";"):
        part = pieces.get(piece)
        if part is None:
            if len(pieces) >= _PIECE_LIMIT:
                pieces.clear()
            part = pieces[piece] = _read_piece(piece, role)
        rows += part[0]
        keys += part[1]
    if len(keys) > 1 and len(set(keys)) < len(keys):  # someone named twice: keep the first
        seen: set[str] = set()
        kept: list[ParticipantRow] = []
        for row, key in zip(rows, keys, strict=True):
            if key not in seen:
                seen.add(key)
                kept.append(row)
        rows = tuple(kept)
    return rows, keys


_is_forward_subject = _FORWARD_SUBJECT.match


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

    Same keys, same participants in the same order; empty strings stand for absent headers
    (in the arguments) and for absent keys and names (in the answer).
    A document whose text quotes other messages goes through :func:`derive` itself (its
    quoted participants are de-duplicated against the direct ones); every other document
    takes the cached per-header path, which skips building a ``Participant`` per person.
    """
    return DerivedRows(
        *derive_row_values(sender, to, cc, bcc, subject, message_id, references, text)
    )


def derive_row_values(
    sender: str,
    to: str,
    cc: str,
    bcc: str,
    subject: str,
    message_id: str,
    references: list[str],
    text: str | None,
) -> tuple[str, str, str, str, list[ParticipantRow], list[str]]:
    """:func:`derive_rows` as a plain tuple in :class:`DerivedRows` field order.

    The DAT mapper calls this a million times per large import: positional arguments and a
    tuple cost less than keywords and an object.
    """
    if text and quoted_messages(text):
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
        return (
            full.subject_norm,
            full.mih or "",
            full.fingerprint or "",
            full.body_hash or "",
            [(str(p.role), p.address, p.name, p.name_norm) for p in full.participants],
            full.references,
        )
    print_ = sender_key = ""
    to_rows, to_keys = _header_rows(to, _TO) if to else _NO_ROWS
    cc_rows, cc_keys = _header_rows(cc, _CC) if cc else _NO_ROWS
    bcc_rows, bcc_keys = _header_rows(bcc, _BCC) if bcc else _NO_ROWS
    if sender:
        role = _FORWARDED if _is_forward_subject(subject) else _SENDER
        sender_rows, sender_keys = _header_rows(sender, role)
        people = list(sender_rows)
        if sender_keys:
            sender_key = sender_keys[0]
            print_ = fingerprint_from_keys(
                sender_key, to_keys + cc_keys + bcc_keys, subject or None
            ) or ""
        people += to_rows
    else:
        people = list(to_rows)
    if cc_rows:
        people += cc_rows
    if bcc_rows:
        people += bcc_rows
    refs: list[str] = []
    if references:
        refs = list(dict.fromkeys(normalise_message_id(r) for r in references if r and r.strip()))
    return (
        normalise_subject(subject),
        edrm_mih(message_id) or "",
        print_,
        (body_hash(text, sender_key) or "") if text else "",
        people,
        refs,
    )
