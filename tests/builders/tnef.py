"""A minimal TNEF writer ([MS-OXTNEF]): the ``winmail.dat`` Exchange sends, holding files.

Each attribute is level (1 byte), id (2) and type (2), length (4), the data, and a checksum
(the data's bytes summed, modulo 65536). A file is attAttachRendData (which opens it),
attAttachTitle (its name) and attAttachData (its bytes), at the attachment level.
"""

from __future__ import annotations

import struct
from collections.abc import Sequence

SIGNATURE = 0x223E9F78
MESSAGE, ATTACHMENT = 1, 2
_BYTE, _STRING, _DWORD = 0x0006, 0x0001, 0x0008


def _attribute(level: int, name: int, kind: int, data: bytes) -> bytes:
    return (struct.pack("<BHHI", level, name, kind, len(data)) + data
            + struct.pack("<H", sum(data) & 0xFFFF))


def tnef(files: Sequence[tuple[str, bytes]], body: str = "") -> bytes:
    out = struct.pack("<IH", SIGNATURE, 0x0001)
    out += _attribute(MESSAGE, 0x9006, _DWORD, struct.pack("<I", 0x00010000))  # TNEF version
    out += _attribute(MESSAGE, 0x9007, _BYTE, struct.pack("<II", 1252, 0))  # OEM code page
    if body:
        out += _attribute(MESSAGE, 0x800C, 0x0002, body.encode("cp1252"))  # attBody
    for name, data in files:
        rendering = struct.pack("<HIIHH", 1, 0xFFFFFFFF, 0, 0, 0)  # attached by value
        out += _attribute(ATTACHMENT, 0x9002, _BYTE, rendering)
        out += _attribute(ATTACHMENT, 0x8010, _STRING, name.encode("cp1252") + b"\x00")
        out += _attribute(ATTACHMENT, 0x800F, _BYTE, data)
    return out
