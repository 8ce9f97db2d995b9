"""Outlook's Thread-Index (MAPI ConversationIndex): 22 header bytes — a reserved byte, a
FILETIME and the conversation's GUID — then 5 bytes per reply. Its length gives the reply
depth, every shorter prefix is an ancestor's index, and the first 22 bytes name the
conversation, so emails with no Message-ID still thread.

Mail carries it base64-encoded (the ``Thread-Index`` header); review platforms export it as
that base64 or as hexadecimal (``ConversationIndex``). Both are stored as base64.
"""

from __future__ import annotations

import base64
import binascii
import string

HEADER_BYTES = 22
REPLY_BYTES = 5
_HEX = frozenset(string.hexdigits)


def _well_formed(raw: bytes) -> bool:
    return len(raw) >= HEADER_BYTES and (len(raw) - HEADER_BYTES) % REPLY_BYTES == 0


def decode_thread_index(value: str | None) -> bytes | None:
    """The bytes of a stored (base64) Thread-Index when well formed, else None."""
    if not value:
        return None
    try:
        raw = base64.b64decode(value.strip(), validate=True)
    except (binascii.Error, ValueError):
        return None
    return raw if _well_formed(raw) else None


def normalise_thread_index(value: str) -> str:
    """A Thread-Index as written (base64, or hexadecimal with optional ``0x`` and spaces)
    to the base64 gaptrack stores; ValueError says why a value is not one."""
    text = "".join(value.split())
    if not text:
        raise ValueError("is empty")
    hex_text = text[2:] if text[:2].lower() == "0x" else text
    raw: bytes | None = None
    if len(hex_text) % 2 == 0 and set(hex_text) <= _HEX:
        raw = bytes.fromhex(hex_text)
        if not _well_formed(raw):
            raw = None  # perhaps base64 that happens to be all hex digits
    if raw is None:
        try:
            raw = base64.b64decode(text, validate=True)
        except (binascii.Error, ValueError):
            raise ValueError(f"{value[:60]!r} is neither base64 nor hexadecimal") from None
        if not _well_formed(raw):
            raise ValueError(
                f"decodes to {len(raw)} bytes; a Thread-Index has {HEADER_BYTES}, then "
                f"{REPLY_BYTES} per reply"
            )
    return base64.b64encode(raw).decode("ascii")


def reply_depth(raw: bytes) -> int:
    return (len(raw) - HEADER_BYTES) // REPLY_BYTES
