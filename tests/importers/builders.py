"""Builders for the load files and mailboxes the intake tests read.

Every variant is written by the tests themselves (docs/architecture.md §5): each encoding, with and
without a header row, quoted and bare fields, ® for embedded newlines, a quoted field holding
the 0x14 separator, a non-breaking space in a header name, OPT page ids with suffixes, and a
family of a parent and two attachments.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Sequence
from email.message import EmailMessage
from email.utils import format_datetime
from pathlib import Path

from sqlalchemy.engine import Engine

from gaptrack.db import session_scope
from gaptrack.importers.dat import NEWLINE, QUOTE, SEP, format_record, write_dat
from gaptrack.models import Party, PartyAddress, PartyAlias

HEADER = [
    "BEGBATES", "ENDBATES", "BEGATTACH", "ENDATTACH", "CUSTODIAN", "FROM", "TO", "CC",
    "SUBJECT", "DATESENT", "TIMESENT", "TIMEZONE", "MESSAGEID", "PGCOUNT", "CONFIDENTIALITY",
]

# A parent email with two attachments, a stand-alone email whose subject holds the separator
# (so it must be quoted) and a body-like subject with a line break (written as ®), and a memo.
ROWS = [
    [
        "KUSH-000001", "KUSH-000002", "KUSH-000001", "KUSH-000004", "Kushner, Jared",
        "Jared Kushner <jared@kushner.example>", "Zoë Adviser <zoe@campaign.example>",
        "", "FW: Wikileaks", "09/16/2016", "10:31:00", "-0400", "<wl-1@kushner.example>", "2",
        "Confidential",
    ],
    [
        "KUSH-000003", "KUSH-000003", "KUSH-000001", "KUSH-000004", "Kushner, Jared",
        "", "", "", "", "", "", "", "", "1", "",
    ],
    [
        "KUSH-000004", "KUSH-000004", "KUSH-000001", "KUSH-000004", "Kushner, Jared",
        "", "", "", "", "", "", "", "", "1", "",
    ],
    [
        "KUSH-000005", "KUSH-000005", "", "", "Kushner, Jared",
        "Sergei Millian <sm@example.ru>", "campaign@campaign.example",
        "Jared Kushner <jared@kushner.example>", f"Dinner{SEP}invite", "2016-09-20", "", "",
        "<dinner-2@example.ru>", "", "",
    ],
    [
        "KUSH-000006", "KUSH-000006", "", "", "Kushner, Jared", "", "", "",
        "Memo line one\nline two", "", "", "", "", "", "Highly Confidential",
    ],
]


def create_party(
    engine: Engine,
    slug: str = "kushner",
    name: str = "Jared Kushner",
    addresses: Sequence[str] = ("jared@kushner.example",),
    aliases: Sequence[str] = (),
) -> int:
    with session_scope(engine) as session:
        party = Party(slug=slug, name=name)
        session.add(party)
        session.flush()
        assert party.id is not None
        for address in addresses:
            session.add(PartyAddress(party_id=party.id, address=address))
        for alias in aliases:
            session.add(PartyAlias(party_id=party.id, alias=alias, alias_norm=alias.casefold()))
        return party.id


def build_dat(
    path: Path,
    rows: Sequence[Sequence[str]] = ROWS,
    *,
    header: Sequence[str] | None = HEADER,
    encoding: str = "utf-8",
    quote: bool = True,
) -> Path:
    """A DAT through the writer under test (quoted, or bare where the format allows)."""
    write_dat(path, rows, header=header, encoding=encoding, quote=quote)
    return path


def build_dat_raw(path: Path, lines: Sequence[str], *, encoding: str = "utf-8") -> Path:
    """A DAT from hand-written record lines (for mixed quoting and malformed input)."""
    path.write_bytes("".join(line + "\r\n" for line in lines).encode(encoding))
    return path


def q(value: str) -> str:
    return f"{QUOTE}{value}{QUOTE}"


def mixed_line(values: Sequence[str]) -> str:
    """Quote every other field and leave empty and date fields bare, like real vendors do."""
    out = []
    for i, value in enumerate(values):
        bare = (not value or i % 2 == 1) and SEP not in value
        out.append(value.replace("\n", NEWLINE) if bare else q(value.replace("\n", NEWLINE)))
    return SEP.join(out)


def header_line(names: Sequence[str]) -> str:
    return format_record(names)


def build_opt(
    path: Path, documents: Sequence[tuple[str, int]], *, suffixes: bool = True,
    declare: bool = True,
) -> Path:
    """An OPT: one line per page. With ``suffixes`` page ids are ``ABC-0001_0002``."""
    lines = []
    for begin, pages in documents:
        for page in range(1, pages + 1):
            if suffixes:
                page_id = f"{begin}_{page:04d}"
            else:
                page_id = begin if page == 1 else f"{begin}.{page:03d}"
            first = page == 1
            count = str(pages) if first and declare else ""
            lines.append(
                f"{page_id},VOL001,IMAGES\\001\\{page_id}.tif,{'Y' if first else ''},,,{count}"
            )
    path.write_text("\r\n".join(lines) + "\r\n", encoding="utf-8")
    return path


def email(
    *,
    sender: str = "Jared Kushner <jared@kushner.example>",
    to: str = "Campaign Official <official@campaign.example>",
    cc: str | None = None,
    subject: str = "Wikileaks",
    body: str = "See below.",
    html: str | None = None,
    message_id: str | None = "<wl-9@kushner.example>",
    date: dt.datetime = dt.datetime(2016, 9, 16, 14, 31, tzinfo=dt.UTC),
    attachments: Sequence[tuple[str, bytes]] = (),
    in_reply_to: str | None = None,
) -> EmailMessage:
    message = EmailMessage()
    message["From"] = sender
    message["To"] = to
    if cc:
        message["Cc"] = cc
    message["Subject"] = subject
    message["Date"] = format_datetime(date)
    if message_id:
        message["Message-ID"] = message_id
    if in_reply_to:
        message["In-Reply-To"] = in_reply_to
    message.set_content(body)
    if html is not None:
        message.add_alternative(html, subtype="html")
    for name, data in attachments:
        message.add_attachment(data, maintype="application", subtype="pdf", filename=name)
    return message


FORWARDED_BODY = """FYI - see below.

---------- Forwarded message ---------
From: Wikileaks Contact <contact@wl.example>
Date: Fri, 16 Sep 2016 10:00:00 -0400
Subject: Wikileaks
To: Donald Trump Jr. <djt@campaign.example>

Great news, the site is live.
"""


def write_eml(path: Path, message: EmailMessage) -> Path:
    path.write_bytes(bytes(message))
    return path


def write_mbox(path: Path, messages: Sequence[EmailMessage]) -> Path:
    import mailbox

    box = mailbox.mbox(path)
    box.lock()
    try:
        for message in messages:
            box.add(message)
        box.flush()
    finally:
        box.unlock()
        box.close()
    return path
