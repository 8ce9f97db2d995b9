"""A message's header block as real mail writes it, broken lines included.

RFC 5322 puts header fields (``Name: value``, continued on lines that start with white space)
above a blank line. Mail that went through old gateways, hand edits and exports breaks this
in two ways, both seen in real mailboxes:

* **a line inside the block that is not a field** — a fold that lost its indentation
  (``References: <a@b>, <invalid.`` then ``something@bar.net>``) or a damaged field name
  (``quite Delivered-To: …``). When the block goes on after it (the next line is a field, a
  continuation or the blank line), it is read as part of the field above;
* **no blank line before the body** — the header block stops at a line that is not a field
  and is followed by more text: the body starts there.

The email package stops reading headers at the first such line, so a message with a damaged
``Received`` line loses its From, To and Date. Here each repair is kept (:class:`Repair`) so
the import lists it in the QC report, and the message is still read whole. A file is mail
when its first line is a field and a mail field (From, To, Date…) is among the block's.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

HEADER_FIELD = re.compile(rb"^[!-9;-~]+[ \t]*:")  # an RFC 5322 header field name and its colon
MAIL_FIELDS = frozenset((b"from", b"to", b"subject", b"date", b"message-id", b"received", b"cc",
                         b"return-path", b"delivered-to", b"mime-version", b"sender",
                         b"reply-to"))


@dataclass(frozen=True, slots=True)
class Repair:
    """A broken header line, and how it was read."""

    line: int  # 1-based, from the message's first header line
    field: str  # the field it was read into ("" when it starts the body)
    reason: str


@dataclass(frozen=True, slots=True)
class HeadBlock:
    """The header lines (each broken one repaired), the body, and the repairs made."""

    lines: list[bytes]
    body: bytes
    repairs: tuple[Repair, ...] = ()

    def as_bytes(self) -> bytes:
        """The message with its header block repaired, for the email package to read."""
        return b"\n".join(self.lines) + b"\n\n" + self.body


def _is_continuation(line: bytes) -> bool:
    return line[:1] in (b" ", b"\t")


def split_head(raw: bytes) -> HeadBlock | None:
    """``raw`` (``\\n`` line ends) as header block and body; None when its first line is not
    a header field."""
    end = raw.find(b"\n\n")
    head, body = (raw[:end], raw[end + 2 :]) if end >= 0 else (raw, b"")
    lines = head.split(b"\n")
    if not lines or not HEADER_FIELD.match(lines[0]):
        return None
    match = HEADER_FIELD.match
    for n, line in enumerate(lines):  # the common case: every line a field or a fold
        if not match(line) and not _is_continuation(line):
            return _repaired(lines, body, n)
    return HeadBlock(lines, body)


def _repaired(lines: list[bytes], body: bytes, first_bad: int) -> HeadBlock:
    """The block from its first broken line on: folds joined, or the body begun early."""
    kept: list[bytes] = lines[:first_bad]
    repairs: list[Repair] = []
    field = ""
    for line in kept:
        if not _is_continuation(line):
            field = _name(line)
    for n in range(first_bad, len(lines)):
        line = lines[n]
        if HEADER_FIELD.match(line) or _is_continuation(line):
            field = field if _is_continuation(line) else _name(line)
            kept.append(line)
            continue
        after = lines[n + 1] if n + 1 < len(lines) else None
        if after is None or HEADER_FIELD.match(after) or _is_continuation(after):
            kept.append(b" " + line)
            repairs.append(Repair(n + 1, field, "a line that is not a header field, read as "
                                                 f"part of {field or 'the field above'}"))
            continue
        rest = b"\n".join(lines[n:])
        repairs.append(Repair(n + 1, "", "no blank line between the headers and the body; "
                                         "the body is read from this line"))
        return HeadBlock(kept, rest + (b"\n\n" + body if body else b""), tuple(repairs))
    return HeadBlock(kept, body, tuple(repairs))


def _name(line: bytes) -> str:
    return line.split(b":", 1)[0].strip().decode("ascii", "replace")


def opens_with_headers(head: bytes) -> bool:
    """``head`` (a file's first bytes) opens with RFC 5322 header fields, one a mail field."""
    block = split_head(head[:8192].replace(b"\r\n", b"\n"))
    if block is None:
        return False
    return any(line.split(b":", 1)[0].strip().lower() in MAIL_FIELDS
               for line in block.lines if not _is_continuation(line))
