"""Outlook's TNEF container (``winmail.dat``, ``application/ms-tnef``).

Exchange wraps a message's attachments in one ``winmail.dat`` file when it sends rich text to
a client it does not trust to read it. Read as a file, the family then has one opaque member
where the other parties' copies of the same email have the real attachments, and every one
of those looks missing. The container's files are read with tnefparse (LGPL-3.0, the optional
extra ``tnef``) and become family members beside it; the container itself is kept too, so
nothing received is left out. Without tnefparse the container stays a file, as before.
"""

from __future__ import annotations

import logging
from collections.abc import Sequence

TNEF_SIGNATURE = b"\x78\x9f\x3e\x22"  # 0x223E9F78, little-endian


def is_tnef(data: bytes) -> bool:
    return data[:4] == TNEF_SIGNATURE


def tnef_files(data: bytes) -> Sequence[tuple[str, bytes]] | None:
    """The (name, bytes) of each file in the container; None when tnefparse is not installed
    or the container cannot be read (it is then kept as the file it is)."""
    try:
        from tnefparse import TNEF
    except ImportError:
        return None
    logging.getLogger("tnefparse").setLevel(logging.ERROR)  # its warnings are not the user's
    try:
        container = TNEF(data, do_checksum=False)
        files = [(str(a.long_filename() or a.name or "(unnamed attachment)"), bytes(a.data))
                 for a in container.attachments]
    except Exception:  # a damaged container: kept whole, as any file that cannot be opened
        return None
    return [(name, body) for name, body in files if body]
