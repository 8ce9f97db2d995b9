"""A parsed message's parts: the text body (plain, else HTML), and the attachments — an
attached message read as one (:mod:`gaptrack.importers.mailembed`), Outlook's winmail.dat
opened (:mod:`gaptrack.importers.tnef`)."""

from __future__ import annotations

import hashlib
import mimetypes
from email.message import Message

from gaptrack.importers import mailembed
from gaptrack.importers.mailhead import opens_with_headers
from gaptrack.importers.mailtext import decode_value, field_text, raw_value
from gaptrack.importers.mailtypes import MailAttachment, MailMessage
from gaptrack.importers.tnef import is_tnef, tnef_files


def parts(message: Message) -> tuple[Message | None, Message | None, list[tuple[Message, int]]]:
    """(text/plain body, text/html body, attachments with the multipart levels above each),
    a forwarded message being one."""
    plain: Message | None = None
    markup: Message | None = None
    found: list[tuple[Message, int]] = []
    stack = [(message, 0)]
    while stack:
        part, level = stack.pop()
        ctype = part.get_content_type()
        if part is not message and ctype == "message/rfc822":
            found.append((part, level))
            continue
        if part.is_multipart():
            # a message/rfc822 holds its message as a one-item list: not a multipart level
            below = level + (part.get_content_maintype() == "multipart")
            inner = part.get_payload()
            stack.extend((p, below) for p in reversed(inner))  # type: ignore[arg-type]
            continue
        disposition = field_text(part, "Content-Disposition")
        kind = disposition.split(";")[0].strip().lower() if disposition else ""
        named = bool(disposition or not ctype.startswith("text/")) and part.get_filename()
        if kind == "attachment" or (named and kind != "inline"):
            found.append((part, level))
        elif ctype == "text/plain" and plain is None:
            plain = part
        elif ctype == "text/html" and markup is None:
            markup = part
    return plain, markup, found


def attachments(part: Message, out: MailMessage, where: mailembed.Where,
                parse: mailembed.Parse) -> list[MailAttachment]:
    """The part's attachment, and the files in it when it is Outlook's TNEF container
    (``winmail.dat``: :mod:`gaptrack.importers.tnef`)."""
    found, data = _attachment(part, out, where, parse)
    inner = tnef_files(data) if is_tnef(data) else None
    if not inner:
        return [found]
    return [found, *(MailAttachment(name, mimetypes.guess_type(name)[0]
                                    or "application/octet-stream", len(body),
                                    hashlib.md5(body).hexdigest()) for name, body in inner)]


def _attachment(part: Message, out: MailMessage, where: mailembed.Where,
                parse: mailembed.Parse) -> tuple[MailAttachment, bytes]:
    """The attachment; an attached message (``message/rfc822``, or a ``.eml`` file sent as
    bytes that opens with mail headers) read as one (:mod:`gaptrack.importers.mailembed`)."""
    try:
        name, data = _attachment_bytes(part)
    except RecursionError:  # a forward nested past what the library writes back: by name
        out.nesting_cut = True
        name, data = _name(part, "(forwarded message)"), b""
    found = MailAttachment(name, part.get_content_type(), len(data), hashlib.md5(data).hexdigest())
    if data and (found.content_type == "message/rfc822" or (
            name.lower().endswith(".eml") and opens_with_headers(data))):
        found.message = mailembed.read(data, name, out, where, parse)
    return found, data


def _attachment_bytes(part: Message) -> tuple[str, bytes]:
    """(name, bytes) of an attachment; a forwarded message's bytes as the library writes
    them (it keeps the parsed message, not the bytes it came from)."""
    if part.get_content_type() == "message/rfc822":
        inner = part.get_payload()
        first = inner[0] if isinstance(inner, list) and inner else None
        data = first.as_bytes() if isinstance(first, Message) else b""
        return _name(part, "(forwarded message)"), data
    payload = part.get_payload(decode=True)
    data = payload if isinstance(payload, bytes) else bytes(str(payload or ""), "utf-8")
    return _name(part, "(unnamed attachment)"), data


def _name(part: Message, unnamed: str) -> str:
    name = part.get_filename() or unnamed
    try:
        return decode_value(name)
    except Exception:
        return raw_value(name)
