"""What a mail reader yields: a message with its headers decoded, its attachments, and the
header problems met on the way (shared by the EML/MBOX, MSG and PST readers)."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field
from pathlib import Path


@dataclass(slots=True)
class MailAttachment:
    filename: str
    content_type: str
    size: int
    md5: str
    message: MailMessage | None = None  # an attached message read as one (Outlook's embedded)


@dataclass(slots=True)
class HeaderProblem:
    """A header kept as written because it could not be read."""

    file: str
    line: int
    header: str
    reason: str


@dataclass(slots=True)
class MailMessage:
    """One message as read from its source, headers decoded."""

    source: Path
    number: int  # 1-based position in its file (always 1 for an EML file)
    line: int = 1  # the line it starts on (MBOX: its "From " separator)
    sender: str = ""
    to: str = ""
    cc: str = ""
    bcc: str = ""
    subject: str = ""
    date: dt.datetime | None = None  # naive UTC
    date_text: str = ""
    message_id: str = ""
    in_reply_to: str = ""
    thread_index: str = ""  # Outlook's Thread-Index, as base64 (gaptrack.threads.outlook)
    references: list[str] = field(default_factory=list)
    text: str = ""
    attachments: list[MailAttachment] = field(default_factory=list)
    md5: str = ""  # of the raw message bytes
    problems: list[HeaderProblem] = field(default_factory=list)
    nesting_cut: bool = False  # MIME nested deeper than MAX_MIME_DEPTH: deeper parts left out
    location: str = ""  # where it was found, when more than file#number (a PST's folder)
