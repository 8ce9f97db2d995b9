"""Native email: EML files, MBOX mailboxes, maildir folders and any file that is RFC 5322.

What is mail is judged by content, not by name: a folder is searched for files that start
with an mbox ``From `` line or with a block of RFC 5322 header fields (maildir's ``cur/``,
``new/`` and ``tmp/`` files, with ``:`` in their names and no suffix, ``.txt`` exports, ``.eml``).

Messages are parsed with the ``compat32`` policy (about six times faster than
``policy.default``) and only the headers gaptrack stores are decoded (RFC 2047,
``decode_header``). A header that cannot be read — an encoded word in an unknown charset, or
an address list the library's own parser fails on (group syntax such as
``To: unlisted-recipients:; (no To-header on input)`` makes it raise ``AttributeError``) — is
kept as written and listed as a :class:`HeaderProblem`; the message is never rejected for it.
The body is the text/plain part when there is one, else the HTML part with its tags stripped;
attachments become documents of the same family.

Positions are lines: an EML's line 1, an MBOX message's ``From `` separator line (with the
message number). Which files are mail, and the messages of each, are
:mod:`gaptrack.importers.mailfiles`'s.
"""

from __future__ import annotations

import binascii
import hashlib
import re
from email import message_from_bytes
from email.header import Header
from email.message import Message
from email.policy import default as strict_policy
from pathlib import Path

from gaptrack.errors import LoadFileError
from gaptrack.identity.names import parse_people
from gaptrack.importers import mailembed
from gaptrack.importers.dates import written_datetime as parse_date
from gaptrack.importers.mailhead import HeadBlock, split_head
from gaptrack.importers.mailparts import attachments, parts
from gaptrack.importers.mailtext import (
    CHARSET,
    decode_bytes,
    decode_value,
    html_to_text,
    payload_text,
    raw_value,
)
from gaptrack.importers.mailtypes import HeaderProblem, MailAttachment, MailMessage
from gaptrack.importers.mimedepth import MAX_MIME_DEPTH, cut_nesting, may_nest_deeply
from gaptrack.threads.outlook import normalise_thread_index

_SPACE = re.compile(r"\s+")
_BRACKETED_ID = re.compile(r"<[^<>\s@]+@[^<>\s]+>")
ADDRESS_HEADERS = ("From", "To", "Cc", "Bcc")
# The reader's types and text helpers, imported from here by the other mail readers.
__all__ = [
    "HeaderProblem",
    "MailAttachment",
    "MailMessage",
    "decode_value",
    "html_to_text",
    "message_ids",
    "parse_date",
    "parse_message",
]


def _addresses_fail(name: str, value: str) -> str | None:
    """Why the library's address parser rejects ``value``, for values that use group
    syntax (``:`` … ``;``) — the only cheap parse never fails otherwise."""
    if ":" not in value:
        return None
    try:
        _ = strict_policy.header_factory(name, value).addresses
    except Exception as exc:
        return f"{type(exc).__name__}: {exc}"
    return None


class _Headers:
    """Reads the stored headers of one message, noting those kept as written."""

    def __init__(self, found: _Fields, out: MailMessage, raw: bytes, first: int) -> None:
        self.found, self.out, self.raw, self.first = found, out, raw, first

    def get(self, name: str) -> str:
        value = self.found.get(name.lower())
        if value is None:
            return ""
        try:
            text = decode_value(value)
        except Exception as exc:
            self.note(name, f"kept as written ({type(exc).__name__}: {exc})")
            return raw_value(value)
        if name in ADDRESS_HEADERS:
            failure = _addresses_fail(name, text)
            if failure is not None:
                self.note(name, f"not an address list the email package can parse ({failure});"
                                " kept as written")
        return text

    def note(self, name: str, reason: str) -> None:
        out = self.out
        out.problems.append(
            HeaderProblem(str(out.source), self.first + _header_line(self.raw, name), name, reason)
        )


_Fields = dict[str, "str | Header"]


def _library_fields(message: Message) -> _Fields:
    """The first field of each name (lower-cased), as ``Message.get`` gives it — which walks
    every header per call."""
    found: _Fields = {}
    fetch = message.policy.header_fetch_parse
    for key, value in message._headers:  # type: ignore[attr-defined]
        name = key.lower()
        if name not in found:
            found[name] = fetch(key, value)
    return found


def _read_head(raw: bytes) -> tuple[_Fields, bytes, HeadBlock] | None:
    """(fields, body, block) read straight from the bytes: the first field of each name,
    unfolded, 8-bit bytes read as UTF-8 (else cp1252) — what the email package gives, a few
    times faster, and past broken header lines (:mod:`gaptrack.importers.mailhead`). None
    when the bytes do not open with a header field (the library then reads them)."""
    if b"\r" in raw:
        raw = raw.replace(b"\r\n", b"\n")
    block = split_head(raw)
    if block is None:
        return None
    found: _Fields = {}
    name = ""
    value = b""
    for line in block.lines:
        if line[:1] in (b" ", b"\t"):
            value += b"\n" + line
            continue
        if name and name not in found:
            found[name] = decode_bytes(value, None) if not value.isascii() else value.decode()
        colon = line.find(b":")
        name, value = line[:colon].rstrip().lower().decode("ascii"), line[colon + 1 :].lstrip()
    if name and name not in found:
        found[name] = decode_bytes(value, None) if not value.isascii() else value.decode()
    return found, block.body, block


def _simple_text(fields: _Fields, body: bytes) -> str | None:
    """The text of a one-part text/plain or text/html message, or None for any other (the
    library reads those: parts, attachments, odd encodings)."""
    ctype_field = str(fields.get("content-type") or "text/plain")
    ctype = ctype_field.split(";")[0].strip().lower()
    if ctype not in ("text/plain", "text/html") or "content-disposition" in fields:
        return None
    encoding = str(fields.get("content-transfer-encoding") or "").strip().lower()
    try:
        if encoding == "base64":
            body = binascii.a2b_base64(body)
        elif encoding == "quoted-printable":
            body = binascii.a2b_qp(body)
        elif encoding not in ("", "7bit", "8bit", "binary"):
            return None
    except (binascii.Error, ValueError):
        return None
    found = CHARSET.search(ctype_field)
    text = decode_bytes(body, found.group(1).strip().lower() if found else None)
    return html_to_text(text) if ctype == "text/html" else text


def _header_line(raw: bytes, name: str) -> int:
    """Lines from the message's first line to header ``name`` (0 if not found)."""
    end = raw.find(b"\n\n")
    head = raw[: end if end >= 0 else len(raw)].lower()
    at = head.find(b"\n" + name.lower().encode() + b":")
    return head.count(b"\n", 0, at + 1) if at >= 0 else 0


def message_ids(value: str) -> list[str]:
    """The Message-IDs in a References / In-Reply-To value: ``<…@…>`` tokens, wherever they
    sit (mailers separate them with spaces, commas, or nothing; In-Reply-To may add a
    comment); without brackets, the tokens with an ``@``."""
    if "<" in value:
        return _BRACKETED_ID.findall(value)
    return [token.strip(",;") for token in value.split() if "@" in token]


def parse_message(
    raw: bytes, source: Path, number: int, line: int = 1, first: int | None = None,
    depth: int = 0,
) -> MailMessage:
    """:func:`_parse_message`, with NUL bytes dropped from every value (PostgreSQL's text
    cannot hold them; both backends store the same message). MIME nested deeper than
    :data:`MAX_MIME_DEPTH` levels is cut there (see :mod:`gaptrack.importers.mimedepth`); a
    recursion the cut does not prevent is a clean error naming the message. ``depth``: an
    attached message's (:mod:`gaptrack.importers.mailembed`)."""
    try:
        out = _parse_message(raw, source, number, line, first, depth)
    except RecursionError as exc:
        raise LoadFileError(f"message {number} nests MIME parts too deeply to read "
                            f"(more than {MAX_MIME_DEPTH} levels are cut; this one recursed)",
                            file=source, line=line, field="body") from exc
    _drop_nul(out)
    return out


def _named_sender(sender: str, x_from: str) -> str:
    """The From field, with the sender's name from ``X-From`` when From holds only an
    address: corpora converted from Exchange and Notes stores (the Enron corpus among them)
    keep the name there, and a party is then found by its name too."""
    if not x_from or not sender or "<" in sender or " " in sender.strip():
        return sender
    people = parse_people(x_from, single=True)
    name = people[0][0] if people else ""
    if not name or "@" in name or '"' in name:
        return sender
    return f'"{name}" <{sender.strip()}>'


def _thread_index(headers: _Headers) -> str:
    """The Thread-Index header as stored (base64); one that is not a Thread-Index is kept as
    written, and noted, so the thread builder passes over it."""
    value = headers.get("Thread-Index")
    if not value:
        return ""
    try:
        return normalise_thread_index(value)
    except ValueError as exc:
        headers.note("Thread-Index", f"not an Outlook Thread-Index ({exc}); kept as written")
        return value.strip()


def _drop_nul(out: MailMessage) -> None:
    for name in ("sender", "to", "cc", "bcc", "subject", "message_id", "in_reply_to",
                 "thread_index", "date_text", "text"):
        value = getattr(out, name)
        if "\x00" in value:
            setattr(out, name, value.replace("\x00", ""))
    out.references = [r.replace("\x00", "") for r in out.references]
    for attachment in out.attachments:
        attachment.filename = attachment.filename.replace("\x00", "")
        attachment.content_type = attachment.content_type.replace("\x00", "")


def _parse_message(
    raw: bytes, source: Path, number: int, line: int = 1, first: int | None = None,
    depth: int = 0,
) -> MailMessage:
    """A message's bytes to a :class:`MailMessage`; a body or attachment that cannot be read
    is an error naming the file, line and part (headers never are: see HeaderProblem).
    ``line``: where the message starts (an MBOX's separator); ``first``: its first header's
    line (``line`` when not given)."""
    out = MailMessage(source=source, number=number, line=line, md5=hashlib.md5(raw).hexdigest())
    cut = cut_nesting(raw) if may_nest_deeply(raw) else None
    if cut is not None:  # read what lies above the cut (md5: of the message as received)
        raw, out.nesting_cut = cut, True
    quick = _read_head(raw)
    message = None if quick is not None else message_from_bytes(raw)
    fields = quick[0] if quick is not None else _library_fields(message)  # type: ignore[arg-type]
    headers = _Headers(fields, out, raw, line if first is None else first)
    if quick is not None and quick[2].repairs:
        raw = quick[2].as_bytes()  # the library reads the parts below the repaired block
        for repair in quick[2].repairs:
            out.problems.append(HeaderProblem(str(out.source), headers.first + repair.line - 1,
                                              repair.field or "(headers)", repair.reason))
    out.sender = _named_sender(headers.get("From"), headers.get("X-From"))
    out.to = headers.get("To")
    out.cc = headers.get("Cc")
    out.bcc = headers.get("Bcc")
    out.subject = headers.get("Subject")
    out.message_id = headers.get("Message-ID")
    out.in_reply_to = " ".join(message_ids(headers.get("In-Reply-To")))
    out.references = message_ids(headers.get("References"))
    out.thread_index = _thread_index(headers)
    # Outlook's "Save as" text writes the sent time as Sent:, with no Date: field.
    out.date_text = headers.get("Date") or headers.get("Sent")
    out.date = parse_date(out.date_text)
    if out.date is None and out.date_text:
        headers.note("Date", "not a date the email package can read; kept as written,"
                             " sent time left empty")
    current = "body"
    simple = _simple_text(quick[0], quick[1]) if quick is not None else None
    if simple is not None:
        out.text = simple.replace("\r\n", "\n")
        return out
    try:
        message = message or message_from_bytes(raw)
        plain, markup, found = parts(message)
        if plain is not None:
            out.text = payload_text(plain).replace("\r\n", "\n")
        elif markup is not None:
            out.text = html_to_text(payload_text(markup)).replace("\r\n", "\n")
        current = "attachments"
        below = headers.first
        out.attachments = [a for p, level in found for a in attachments(
            p, out, mailembed.Where(raw, below, depth + level), parse_message)]
    except Exception as exc:  # a malformed message: say which one and where
        raise LoadFileError(
            f"cannot read message {number}: {exc}", file=source, line=line, field=current
        ) from exc
    return out
