"""Outlook .msg files for the tests ([MS-OXMSG]), written with :mod:`tests.builders.cfb`.

A message is MAPI properties: strings and binaries in ``__substg1.0_IIIITTTT`` streams, and
one 16-byte entry per property in ``__properties_version1.0`` (the value itself for fixed-size
types such as the client submit time, the size for the others); recipients and attachments
are storages of their own.
"""

from __future__ import annotations

import datetime as dt
import struct
from dataclasses import dataclass, field
from pathlib import Path

from gaptrack.importers.mapi import PT_BINARY, PT_LONG, PT_SYSTIME, PT_UNICODE
from tests.builders import cfb
from tests.builders.pst import filetime

Value = str | bytes | int | dt.datetime
Props = dict[int, tuple[int, Value]]  # property id -> (type, value)


@dataclass
class Msg:
    subject: str
    sender: tuple[str, str]  # (name, SMTP address)
    recipients: list[tuple[str, str, int]]  # (name, address, 1 To / 2 Cc / 3 Bcc)
    sent: dt.datetime  # naive UTC
    body: str = ""
    message_id: str = ""
    in_reply_to: str = ""
    headers: str = ""  # PR_TRANSPORT_MESSAGE_HEADERS; "" for a sent copy
    attachments: list[tuple[str, bytes]] = field(default_factory=list)
    item_class: str = "IPM.Note"


def _storage(props: Props, header: bytes) -> cfb.Tree:
    tree: cfb.Tree = {}
    table = bytearray(header)
    for prop, (kind, value) in sorted(props.items()):
        tag = (prop << 16) | kind
        if kind == PT_UNICODE:
            assert isinstance(value, str)
            data = value.encode("utf-16-le") + b"\x00\x00"
        elif kind == PT_BINARY:
            assert isinstance(value, bytes)
            data = value
        else:
            number = filetime(value) if isinstance(value, dt.datetime) else int(value)  # type: ignore[arg-type]
            table += struct.pack("<IIQ", tag, 6, number)
            continue
        tree[f"__substg1.0_{tag:08X}"] = data
        table += struct.pack("<IIII", tag, 6, len(data), 0)
    tree["__properties_version1.0"] = bytes(table)
    return tree


def build(message: Msg) -> bytes:
    name, address = message.sender
    props: Props = {
        0x001A: (PT_UNICODE, message.item_class),
        0x0037: (PT_UNICODE, message.subject),
        0x0039: (PT_SYSTIME, message.sent),
        0x0C1A: (PT_UNICODE, name),
        0x0C1F: (PT_UNICODE, address),
        0x5D01: (PT_UNICODE, address),
        0x0E04: (PT_UNICODE, "; ".join(r[0] for r in message.recipients if r[2] == 1)),
        0x0E03: (PT_UNICODE, "; ".join(r[0] for r in message.recipients if r[2] == 2)),
        0x1000: (PT_UNICODE, message.body),
    }
    for prop, value in ((0x007D, message.headers), (0x1035, message.message_id),
                        (0x1042, message.in_reply_to)):
        if value:
            props[prop] = (PT_UNICODE, value)
    top = struct.pack("<8sIIII8s", b"", len(message.recipients), len(message.attachments),
                      len(message.recipients), len(message.attachments), b"")
    tree = _storage(props, top)
    tree["__nameid_version1.0"] = {}
    for index, (person, smtp, kind) in enumerate(message.recipients):
        tree[f"__recip_version1.0_#{index:08X}"] = _storage({
            0x3001: (PT_UNICODE, person), 0x3003: (PT_UNICODE, smtp),
            0x39FE: (PT_UNICODE, smtp), 0x0C15: (PT_LONG, kind)}, b"\x00" * 8)
    for index, (filename, data) in enumerate(message.attachments):
        tree[f"__attach_version1.0_#{index:08X}"] = _storage({
            0x3707: (PT_UNICODE, filename), 0x3701: (PT_BINARY, data),
            0x3705: (PT_LONG, 1)}, b"\x00" * 8)
    return cfb.build(tree)


def write_msg(path: Path, message: Msg) -> Path:
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_bytes(build(message))
    return path
