"""Message bodies Outlook stored only as compressed RTF (``PR_RTF_COMPRESSED``, 0x1009).

Exchange and Outlook often keep no plain or HTML body, only the RTF one, compressed as
[MS-OXRTFCP] describes: a 16-byte header (sizes, the type ``LZFu`` for compressed or
``MELA`` for stored as is, a CRC), then the data. ``compressed-rtf`` (MIT) undoes it.

The RTF often encapsulates another body ([MS-OXRTFEX]): ``\\fromhtml1`` holds an HTML body,
its tags in ``{\\*\\htmltag…}`` destinations and its text as ordinary RTF text;
``\\fromtext`` holds a plain-text body. ``striprtf`` (BSD-3-Clause) reads the RTF's text and
skips the ``{\\*…}`` destinations, so the text of an encapsulated HTML body comes out as its
reader sees it (``&amp;`` as ``&``, ``<br>`` as a line break) — the text an EML copy of the same
message gives through :func:`gaptrack.importers.mail.html_to_text`, so both copies get one
body hash.
"""

from __future__ import annotations

import codecs
import re

from compressed_rtf import decompress
from striprtf.striprtf import rtf_to_text

_KINDS = (b"LZFu", b"MELA")  # [MS-OXRTFCP] 2.1.3.1.1: compressed, uncompressed
_CODE_PAGE = re.compile(rb"\\ansicpg(\d+)")


class RtfError(ValueError):
    """Compressed RTF that cannot be read (a bad header or CRC, truncated data)."""


def is_compressed(data: bytes) -> bool:
    return len(data) >= 16 and data[8:12] in _KINDS


def decompressed(data: bytes) -> bytes:
    """The RTF of a ``PR_RTF_COMPRESSED`` value; RTF already decompressed is returned as is
    (libpff gives it so)."""
    if data.lstrip()[:5] == b"{\\rtf":
        return data
    if not is_compressed(data):
        raise RtfError("not compressed RTF: no LZFu or MELA header")
    try:
        rtf: bytes = decompress(data)
    except Exception as exc:  # the library raises bare Exception on a bad CRC or size
        raise RtfError(f"cannot decompress the RTF body: {exc}") from exc
    return rtf


def _encoding(rtf: bytes) -> str:
    """The document's ANSI code page (``\\ansicpg1252``), when Python knows it."""
    found = _CODE_PAGE.search(rtf[:2048])
    if found:
        name = f"cp{int(found.group(1))}"
        try:
            codecs.lookup(name)
            return name
        except LookupError:
            pass
    return "cp1252"


def rtf_body_text(data: bytes) -> str:
    """The text of an RTF body, compressed or not; :class:`RtfError` when unreadable."""
    rtf = decompressed(data)
    try:
        # RTF is 7-bit text: bytes above 127 are escaped (\'hh, \uN), so latin-1 is lossless.
        text: str = rtf_to_text(rtf.decode("latin-1"), encoding=_encoding(rtf),
                                errors="replace")
    except Exception as exc:  # striprtf raises what its parsing meets on malformed RTF
        raise RtfError(f"cannot read the RTF body: {type(exc).__name__}: {exc}") from exc
    return text.replace("\r\n", "\n").replace("\x00", "").strip()
