"""Text out of mail: header values (RFC 2047 decoded, 8-bit bytes read as UTF-8, else
cp1252), a part's payload in its charset, and HTML bodies made plain text."""

from __future__ import annotations

import html
import re
from email.header import Header, decode_header
from email.message import Message

_TAG = re.compile(r"<[^>]+>")
_DROP = re.compile(r"<(script|style|head)\b.*?</\1\s*>", re.IGNORECASE | re.DOTALL)
_BREAK = re.compile(r"<\s*(br|/p|/div|/tr|/li|/h\d)\b[^>]*>", re.IGNORECASE)
_SPACE = re.compile(r"\s+")
CHARSET = re.compile(r"""charset\s*=\s*["']?([^"';\s]+)""", re.IGNORECASE)


def html_to_text(markup: str) -> str:
    text = _DROP.sub("", markup)
    text = _BREAK.sub("\n", text)
    text = _TAG.sub("", text)
    return re.sub(r"\n\s*\n+", "\n\n", html.unescape(text)).strip()


def decode_bytes(data: bytes, charset: str | None) -> str:
    if charset in (None, "unknown-8bit", "us-ascii", "ascii"):
        try:
            return data.decode("utf-8")
        except UnicodeDecodeError:
            return data.decode("cp1252", errors="replace")
    try:
        return data.decode(charset, errors="replace")
    except LookupError:
        return data.decode("utf-8", errors="replace")


def decode_value(value: str | Header) -> str:
    """A header's text: RFC 2047 words decoded, raw 8-bit bytes read as UTF-8 (else cp1252),
    folding and runs of white space made one space."""
    if isinstance(value, str) and "=?" not in value:
        if "\n" in value or "\t" in value or "  " in value:
            return _SPACE.sub(" ", value).strip()
        return value.strip()
    parts = decode_header(value)  # raises on a malformed encoded word: the caller falls back
    text = "".join(
        decode_bytes(part, charset) if isinstance(part, bytes) else part
        for part, charset in parts
    )
    return _SPACE.sub(" ", text).strip()


def raw_value(value: str | Header) -> str:
    return _SPACE.sub(" ", str(value)).strip()


def field_text(part: Message, name: str) -> str:
    """A part's header as text: the library gives a ``Header`` object, not a string, for a
    value holding 8-bit bytes."""
    return str(part.get(name) or "")


def part_charset(part: Message) -> str | None:
    """The Content-Type's charset, found without parsing every parameter."""
    found = CHARSET.search(field_text(part, "Content-Type"))
    return found.group(1).strip().lower() if found else None


def payload_text(part: Message) -> str:
    payload = part.get_payload(decode=True)
    if isinstance(payload, bytes):
        return decode_bytes(payload, part_charset(part))
    return str(payload or "")
