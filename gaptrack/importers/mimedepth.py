"""MIME nested deeper than gaptrack reads: cut at :data:`MAX_MIME_DEPTH`, the message kept.

Python's ``email`` parser recurses once per nested multipart and fails near a thousand
levels; real mail nests a few levels (a forward of a forward of a reply: under twenty). A
message nested deeper than :data:`MAX_MIME_DEPTH` multipart levels is read with the parts
below that depth left out — its headers, the text and attachments above the cut are kept —
and the import's QC reports the message (file and line) and the depth it was cut at.
"""

from __future__ import annotations

import re

MAX_MIME_DEPTH = 100  # multipart levels read; deeper parts are left out (documented in QC)
_MULTIPART = re.compile(rb"^content-type:[ \t]*multipart/", re.IGNORECASE)
_BOUNDARY = re.compile(rb"""boundary\s*=\s*(?:"([^"\r\n]*)"|([^\s;"]+))""", re.IGNORECASE)


def may_nest_deeply(raw: bytes) -> bool:
    """A cheap test that lets every ordinary message through without a scan."""
    return raw.count(b"oundary") > MAX_MIME_DEPTH


def _header_boundary(lines: list[bytes], at: int) -> bytes | None:
    """The boundary of a multipart Content-Type starting at line ``at`` (folded lines too)."""
    text = lines[at]
    nxt = at + 1
    while nxt < len(lines) and lines[nxt][:1] in (b" ", b"\t"):
        text += lines[nxt]
        nxt += 1
    found = _BOUNDARY.search(text)
    return (found.group(1) or found.group(2)) if found else None


def _delimiter(line: bytes, stack: list[bytes]) -> tuple[bytes, bool] | None:
    """(boundary, closing) when ``line`` delimits a part of an open multipart, else None."""
    if not line.startswith(b"--") or not stack:
        return None
    marker = line.rstrip()[2:]
    if marker.endswith(b"--") and marker[:-2] in stack:
        return marker[:-2], True
    return (marker, False) if marker in stack else None


def cut_nesting(raw: bytes, limit: int = MAX_MIME_DEPTH) -> bytes | None:
    """``raw`` with every part nested deeper than ``limit`` multipart levels left out (up to
    the next delimiter of a part above the cut), or None when it nests no deeper."""
    lines = raw.replace(b"\r\n", b"\n").split(b"\n")
    kept: list[bytes] = []
    stack: list[bytes] = []
    part_start = 0  # in ``kept``: the newest delimiter, where the current part begins
    skipping = False
    cut = False
    for n, line in enumerate(lines):
        found = _delimiter(line, stack)
        if skipping and found is None:
            continue
        skipping = False
        if found is not None:
            name, closing = found
            del stack[stack.index(name) + (0 if closing else 1):]
            part_start = len(kept)
        elif _MULTIPART.match(line) and (boundary := _header_boundary(lines, n)) is not None:
            if len(stack) >= limit:  # leave this part out, from its delimiter on
                del kept[part_start + 1:]
                skipping = cut = True
                continue
            stack.append(boundary)
        kept.append(line)
    if not cut:
        return None
    kept.extend(b"--" + b + b"--" for b in reversed(stack))
    return b"\n".join(kept) + b"\n"
