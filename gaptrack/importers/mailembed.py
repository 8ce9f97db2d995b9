"""A message attached to a message — "forward as attachment" (``message/rfc822``) or a saved
``.eml`` file sent as bytes — read with the same header and body code as a message of its
own (:func:`gaptrack.importers.mail.parse_message`), so it carries its own participants,
sent time, Message-ID, fingerprint and body hash and matches the other copies of it.

Nesting is bounded as the Outlook path bounds it: an attached message's depth is its
parent's, plus the multipart levels above it in the parent, plus one; one deeper than
:data:`~gaptrack.importers.mimedepth.MAX_MIME_DEPTH` is kept by name, as a file, and the
message is reported as cut. Problems inside an attached message (a header kept as written,
a Date that is not a date, no header fields at all, a body that cannot be read) are the
outer message's QC notes, each naming the attachment; the outer message always loads.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from typing import TYPE_CHECKING

from gaptrack.errors import LoadFileError
from gaptrack.importers import mimedepth

if TYPE_CHECKING:
    from gaptrack.importers.mailtypes import MailMessage

Parse = Callable[..., "MailMessage"]


@dataclass(slots=True)
class Where:
    """Where a message's attachments sit: its bytes, the file line of their first line, the
    depth of the part holding them (rfc822 levels and multipart levels together)."""

    raw: bytes
    first: int
    depth: int


def read(data: bytes, name: str, out: MailMessage, where: Where,
         parse: Parse) -> MailMessage | None:
    """The attached message ``data`` read as one, or None (kept as a file) when it lies too
    deep or cannot be read — either noted on ``out``."""
    from gaptrack.importers.mailtypes import HeaderProblem

    def note(header: str, reason: str, line: int) -> None:
        out.problems.append(HeaderProblem(str(out.source), line, header, reason))

    depth = where.depth + 1
    if depth > mimedepth.MAX_MIME_DEPTH:
        out.nesting_cut = True
        return None
    first = _first_line(data, where)
    try:
        inner = parse(data, out.source, out.number, out.line, first, depth=depth)
    except LoadFileError as exc:
        note("attachment", f"attached message {name!r} cannot be read ({exc.args[0]});"
                           " kept as a file", first)
        return None
    for problem in inner.problems:
        problem.reason = f"in attached message {name!r}: {problem.reason}"
    out.problems += inner.problems
    inner.problems = []
    out.nesting_cut = out.nesting_cut or inner.nesting_cut
    if not (inner.sender or inner.date_text or inner.message_id or inner.subject):
        note("attachment", f"attached message {name!r} has no header fields; kept as an"
                           " email without sender, date or Message-ID", first)
    return inner


def _first_line(data: bytes, where: Where) -> int:
    """The file line ``data`` starts on: where its first line occurs in its parent's bytes
    (the library rewrites an attached message, but keeps an ordinary first line as it was);
    the parent's first line when it is not found."""
    head = data.lstrip(b"\r\n").split(b"\n", 1)[0].rstrip(b"\r")
    at = where.raw.find(b"\n" + head) if head else -1
    return where.first + where.raw.count(b"\n", 0, at + 1) if at >= 0 else where.first
