"""A mail message (EML, MBOX, MSG, PST: :class:`~gaptrack.importers.mail.MailMessage`) as a
family of drafts: the email, then its attachments, an attached message mapped as an email of
its own."""

from __future__ import annotations

import re
from typing import Any

from gaptrack.bates import format_bates
from gaptrack.derive import derive
from gaptrack.importers.drafts import (
    ROW_COLUMNS,
    DocumentDraft,
    mih_of,
    participant_rows,
    row_values,
)
from gaptrack.importers.mailtypes import MailMessage
from gaptrack.models.enums import DocType


def mail_prefix(production: str) -> str:
    """The default Bates prefix for a mailbox import: the production name, upper-cased."""
    stem = re.sub(r"[^A-Za-z0-9]+", "-", production).strip("-").upper() or "MAIL"
    return stem[:60] + "-"


def map_mail(message: MailMessage, prefix: str, number: int, width: int = 6) -> list[DocumentDraft]:
    """A message and its attachments as a family of drafts numbered from ``number``.

    An attached message read as one (an Outlook item's embedded message) is a family member
    mapped as an email of its own, with its own attachments under it, so it matches the other
    copies of the message it is.
    """
    return _mail_family(message, prefix, number, width, None, message.location
                        or f"{message.source.name}#{message.number}")


def _mail_family(message: MailMessage, prefix: str, number: int, width: int,
                 parent: tuple[str, int] | None, where: str,
                 title: str | None = None) -> list[DocumentDraft]:
    """``title``: an attached message's name as its parent shows it."""
    drafts = [_email_draft(message, prefix, number, width, parent, where, title)]
    for attachment in message.attachments:
        at = number + len(drafts)
        if attachment.message is not None:
            drafts += _mail_family(attachment.message, prefix, at, width, (prefix, number),
                                   f"{where}/{attachment.filename}", attachment.filename)
            continue
        child = format_bates(prefix, at, width)
        drafts.append(DocumentDraft(
            line=message.line, prefix=prefix, begin=at, suffix="",
            values=row_values({
                **{c: None for c in ROW_COLUMNS},
                "bates_prefix": prefix, "bates_begin": at, "bates_end": at,
                "bates_suffix": "", "begin_label": child, "end_label": child,
                "doc_type": str(DocType.ATTACHMENT), "title": attachment.filename,
                "date_sent": message.date, "md5": attachment.md5,
                "native_path": f"{where}/{attachment.filename}",
                "source_line": message.line,
            }),
            parent=(prefix, number),
        ))
    return drafts


def _email_draft(message: MailMessage, prefix: str, number: int, width: int,
                 parent: tuple[str, int] | None, where: str,
                 title: str | None) -> DocumentDraft:
    """The message's own document: headers, text, and what they derive (participants,
    fingerprint, body hash)."""
    derived = derive(
        sender=message.sender or None,
        to=message.to or None,
        cc=message.cc or None,
        bcc=message.bcc or None,
        subject=message.subject or None,
        message_id=message.message_id or None,
        references=[*message.in_reply_to.split(), *message.references],
        text=message.text or None,
    )
    label = format_bates(prefix, number, width)
    row: dict[str, Any] = {
        "bates_prefix": prefix,
        "bates_begin": number,
        "bates_end": number,
        "bates_suffix": "",
        "begin_label": label,
        "end_label": label,
        "custodian": None,
        "doc_type": str(DocType.EMAIL),
        "title": title,
        "date_sent": message.date,
        "date_created": None,
        "sender": message.sender or None,
        "recipients": message.to or None,
        "cc": message.cc or None,
        "bcc": message.bcc or None,
        "subject": message.subject or None,
        "subject_norm": derived.subject_norm or None,
        "message_id": message.message_id or None,
        "mih": derived.mih,
        "md5": message.md5,
        "sha1": None,
        "body_hash": derived.body_hash,
        "fingerprint": derived.fingerprint,
        "page_count": None,
        "text": message.text or None,
        "text_path": None,
        "native_path": where,
        "thread_index": message.thread_index or None,
        "source_line": message.line,
    }
    return DocumentDraft(
        line=message.line,
        prefix=prefix,
        begin=number,
        suffix="",
        values=row_values(row),
        participants=participant_rows(derived.participants),
        references=[(r, mih_of(r)) for r in derived.references],
        parent=parent,
    )
