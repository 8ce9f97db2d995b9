"""Native email: EML files, folders of them, and MBOX mailboxes (stdlib ``email``/``mailbox``).

Messages are parsed with ``policy.default``, which decodes RFC 2047 headers
(``=?utf-8?q?...?=``). The body is the text/plain part when there is one, else the HTML part
with its tags stripped. Attachments become documents of the same family.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import html
import mailbox
import re
from collections.abc import Iterator
from dataclasses import dataclass, field
from email import policy
from email.message import EmailMessage, Message
from email.parser import BytesParser
from email.utils import parsedate_to_datetime
from pathlib import Path

from gaptrack.errors import LoadFileError

MAIL_SUFFIXES = {".eml", ".msg.eml", ".mbox", ".mbx"}
_TAG = re.compile(r"<[^>]+>")
_DROP = re.compile(r"<(script|style|head)\b.*?</\1\s*>", re.IGNORECASE | re.DOTALL)
_BREAK = re.compile(r"<\s*(br|/p|/div|/tr|/li|/h\d)\b[^>]*>", re.IGNORECASE)


@dataclass(slots=True)
class MailAttachment:
    filename: str
    content_type: str
    size: int
    md5: str


@dataclass(slots=True)
class MailMessage:
    """One message as read from its source, headers decoded."""

    source: Path
    number: int  # 1-based position in its file (always 1 for an EML file)
    sender: str = ""
    to: str = ""
    cc: str = ""
    bcc: str = ""
    subject: str = ""
    date: dt.datetime | None = None  # naive UTC
    date_text: str = ""
    message_id: str = ""
    in_reply_to: str = ""
    references: list[str] = field(default_factory=list)
    text: str = ""
    attachments: list[MailAttachment] = field(default_factory=list)
    md5: str = ""  # of the raw message bytes
    body_cut: bool = False  # MIME nesting deeper than MAX_MIME_DEPTH: body not read


MAX_MIME_DEPTH = 50  # multipart levels read; a message nested deeper keeps its headers only


def html_to_text(markup: str) -> str:
    text = _DROP.sub("", markup)
    text = _BREAK.sub("\n", text)
    text = _TAG.sub("", text)
    return re.sub(r"\n\s*\n+", "\n\n", html.unescape(text)).strip()


def _header(message: Message, name: str) -> str:
    value = message.get(name)
    if value is None:
        return ""
    return re.sub(r"\s+", " ", str(value)).strip()


def _content(part: Message) -> str:
    try:
        return str(part.get_content())  # type: ignore[attr-defined]
    except (LookupError, ValueError, AttributeError):
        payload = part.get_payload(decode=True)
        if isinstance(payload, bytes):
            charset = part.get_content_charset() or "utf-8"
            try:
                return payload.decode(charset, errors="replace")
            except LookupError:
                return payload.decode("latin-1")
        return str(payload or "")


def body_text(message: EmailMessage) -> str:
    """text/plain preferred; HTML stripped of tags as the fallback."""
    part = message.get_body(preferencelist=("plain", "html"))
    if part is None:
        return ""
    text = _content(part)
    if part.get_content_type() == "text/html":
        text = html_to_text(text)
    return text.replace("\r\n", "\n")


def attachments(message: EmailMessage) -> list[MailAttachment]:
    found: list[MailAttachment] = []
    for part in message.iter_attachments():
        payload = part.get_payload(decode=True)
        data = payload if isinstance(payload, bytes) else bytes(str(payload or ""), "utf-8")
        found.append(
            MailAttachment(
                filename=part.get_filename() or "(unnamed attachment)",
                content_type=part.get_content_type(),
                size=len(data),
                md5=hashlib.md5(data).hexdigest(),
            )
        )
    return found


def parse_date(value: str) -> dt.datetime | None:
    if not value:
        return None
    try:
        moment = parsedate_to_datetime(value)
    except (TypeError, ValueError, IndexError):
        return None
    if moment.tzinfo is not None:
        moment = moment.astimezone(dt.UTC).replace(tzinfo=None)
    return moment


def _too_deep(message: Message) -> bool:
    """Whether multiparts nest deeper than MAX_MIME_DEPTH (walked without recursion)."""
    stack: list[tuple[Message, int]] = [(message, 0)]
    while stack:
        part, depth = stack.pop()
        if depth > MAX_MIME_DEPTH:
            return True
        payload = part.get_payload()
        if isinstance(payload, list):
            stack.extend((p, depth + 1) for p in payload if isinstance(p, Message))
    return False


def parse_message(raw: bytes, source: Path, number: int) -> MailMessage:
    """A message's bytes to a :class:`MailMessage`; header problems name the header.

    Multiparts nested deeper than MAX_MIME_DEPTH are cut: the message is kept with its
    headers, its body and attachments are not read (``body_cut``)."""
    try:
        message = BytesParser(policy=policy.default).parsebytes(raw)
        deep = _too_deep(message)
    except RecursionError:
        deep = True
    if deep:
        message = BytesParser(policy=policy.default).parsebytes(raw, headersonly=True)
    assert isinstance(message, EmailMessage)
    current = "headers"
    try:
        out = MailMessage(source=source, number=number, md5=hashlib.md5(raw).hexdigest())
        for current in ("From", "To", "Cc", "Bcc", "Subject", "Message-ID", "In-Reply-To"):
            value = _header(message, current)
            attr = {"From": "sender", "Message-ID": "message_id", "In-Reply-To": "in_reply_to"}
            setattr(out, attr.get(current, current.lower()), value)
        current = "References"
        out.references = _header(message, "References").split()
        current = "Date"
        out.date_text = _header(message, "Date")
        out.date = parse_date(out.date_text)
        out.body_cut = deep
        if not deep:
            current = "body"
            out.text = body_text(message)
            current = "attachments"
            out.attachments = attachments(message)
    except LoadFileError:
        raise
    except RecursionError as exc:
        raise LoadFileError("the message nests too deeply to read", file=source, line=number,
                            field=current) from exc
    except Exception as exc:  # a malformed message: say which one and where
        raise LoadFileError(
            f"cannot read the message: {exc}", file=source, line=number, field=current
        ) from exc
    _drop_nul(out)
    return out


def _drop_nul(out: MailMessage) -> None:
    """NUL bytes carry nothing in mail and PostgreSQL's text cannot hold them: removed from
    every value here, where mail enters, so both backends store the same message."""
    for name in ("sender", "to", "cc", "bcc", "subject", "message_id", "in_reply_to",
                 "date_text", "text"):
        value = getattr(out, name)
        if "\x00" in value:
            setattr(out, name, value.replace("\x00", ""))
    out.references = [r.replace("\x00", "") for r in out.references]
    for attachment in out.attachments:
        attachment.filename = attachment.filename.replace("\x00", "")
        attachment.content_type = attachment.content_type.replace("\x00", "")


def is_mbox(path: Path) -> bool:
    with path.open("rb") as handle:
        return handle.read(5) == b"From "


def mail_files(path: Path) -> list[Path]:
    """The files an import of ``path`` reads: one file, or every mail file under a folder."""
    if path.is_dir():
        files = [
            p
            for p in sorted(path.rglob("*"))
            if p.is_file() and (p.suffix.lower() in MAIL_SUFFIXES or is_mbox(p))
        ]
        return files
    if not path.exists():
        raise LoadFileError("no such file or folder", file=path)
    return [path]


def _parse_or_error(raw: bytes, path: Path, number: int) -> MailMessage | LoadFileError:
    try:
        return parse_message(raw, path, number)
    except LoadFileError as exc:
        return exc


def read_file(path: Path) -> Iterator[tuple[MailMessage | LoadFileError, int]]:
    """Messages of one file with the bytes consumed so far (for the progress bar).

    A message that cannot be read is yielded as its error, so the caller decides whether to
    stop (strict) or list it and go on (``--skip-bad``) — a generator cannot resume after
    raising.
    """
    if is_mbox(path):
        box = mailbox.mbox(path, create=False)
        try:
            done = 0
            for number, key in enumerate(box.iterkeys(), start=1):
                raw = box.get_bytes(key)
                done += len(raw)
                yield _parse_or_error(raw, path, number), done
        finally:
            box.close()
        return
    raw = path.read_bytes()
    yield _parse_or_error(raw, path, 1), len(raw)
