"""Outlook ``.msg`` files ([MS-OXMSG]): one item in a Compound File Binary ([MS-CFB]).

The compound file is read with ``olefile`` (BSD, maintained, pure Python). The item's MAPI
properties are its streams ``__substg1.0_IIIITTTT`` (property id, type) and, for fixed-size
values such as the client submit time, the 16-byte entries of ``__properties_version1.0``;
recipients and attachments are the storages ``__recip_version1.0_#N`` and
``__attach_version1.0_#N``. What the item means is :mod:`gaptrack.importers.mapi`'s.
"""

from __future__ import annotations

import hashlib
import io
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import olefile

from gaptrack.errors import LoadFileError
from gaptrack.importers import mapi
from gaptrack.importers.mail import MailMessage

CFB_MAGIC = b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1"
PROPERTIES = "__properties_version1.0"
_STREAM = "__substg1.0_"
_RECIPIENT = "__recip_version1.0_#"
_ATTACHMENT = "__attach_version1.0_#"
# Bytes before the property entries of __properties_version1.0: the top-level item's,
# a recipient's or an attachment's ([MS-OXMSG] 2.4.1).
_TOP_HEADER, _CHILD_HEADER = 32, 8
_FIXED = (mapi.PT_LONG, mapi.PT_BOOLEAN, mapi.PT_SYSTIME)


def is_msg(path: Path) -> bool:
    """A compound file that is an Outlook item (its top-level property stream), or a
    compound file named ``.msg`` (so a damaged one is reported, not passed over)."""
    try:
        with path.open("rb") as handle:
            if handle.read(8) != CFB_MAGIC:
                return False
    except OSError:
        return False
    if path.suffix.lower() == ".msg":
        return True
    try:
        with olefile.OleFileIO(str(path)) as ole:
            return bool(ole.exists(PROPERTIES))
    except Exception:  # olefile raises OSError and its own errors on damaged files
        return False


def msg_files(path: Path) -> list[Path]:
    """One file, or every Outlook item under a folder, in name order."""
    if path.is_dir():
        return [p for p in sorted(path.rglob("*")) if p.is_file() and is_msg(p)]
    return [path] if path.exists() else []


def _properties(ole: Any, storage: list[str], header: int) -> dict[int, Any]:
    """The properties of one storage: its streams, and the fixed values of its entries."""
    props: dict[int, Any] = {}
    depth = len(storage)
    for entry in ole.listdir(streams=True, storages=False):
        if len(entry) != depth + 1 or entry[:depth] != storage:
            continue
        name = entry[-1]
        if not name.startswith(_STREAM) or len(name) != len(_STREAM) + 8:
            continue
        tag = int(name[len(_STREAM):], 16)
        props[tag >> 16] = mapi.decode(tag & 0xFFFF, ole.openstream(entry).read())
    table = [*storage, PROPERTIES]
    if ole.exists("/".join(table)):
        raw = ole.openstream(table).read()
        for at in range(header, len(raw) - 15, 16):
            tag = int.from_bytes(raw[at:at + 4], "little")
            kind = tag & 0xFFFF
            if kind in _FIXED and (tag >> 16) not in props:
                props[tag >> 16] = mapi.decode(kind, raw[at + 8:at + 16])
    return props


def _children(ole: Any, prefix: str) -> list[str]:
    names = {e[0] for e in ole.listdir(streams=True, storages=True) if e[0].startswith(prefix)}
    return sorted(names)


def read_item(ole: Any) -> mapi.OutlookItem:
    item = mapi.OutlookItem(props=_properties(ole, [], _TOP_HEADER))
    for name in _children(ole, _RECIPIENT):
        props = _properties(ole, [name], _CHILD_HEADER)
        item.recipients.append(mapi.Recipient(
            name=str(props.get(mapi.DISPLAY_NAME) or ""),
            address=str(props.get(mapi.SMTP_ADDRESS) or props.get(mapi.EMAIL_ADDRESS) or ""),
            kind=int(props.get(mapi.RECIPIENT_TYPE) or 1),
        ))
    for index, name in enumerate(_children(ole, _ATTACHMENT), start=1):
        props = _properties(ole, [name], _CHILD_HEADER)
        data = props.get(mapi.ATTACH_DATA)
        item.attachments.append(mapi.Attachment(
            name=mapi.attachment_name(props, index),
            data=data if isinstance(data, bytes) else b"",
            content_type=str(props.get(mapi.ATTACH_MIME_TAG) or "application/octet-stream"),
        ))
    return item


def read_msg(path: Path) -> Iterator[tuple[MailMessage | LoadFileError | mapi.Skipped, int]]:
    """The one message of a ``.msg`` file with its size (the mail reader's contract); a
    file that is not a readable Outlook item is its error."""
    raw = path.read_bytes()
    try:
        with olefile.OleFileIO(io.BytesIO(raw)) as ole:  # bytes under 1,536 would be a name
            if not ole.exists(PROPERTIES):
                raise LoadFileError("not an Outlook item: the compound file has no "
                                    f"{PROPERTIES} stream", file=path, line=1, field="msg")
            item = read_item(ole)
    except LoadFileError as exc:
        yield exc, len(raw)
        return
    except Exception as exc:  # olefile: OSError, struct.error, IndexError on damaged files
        yield LoadFileError(f"cannot read the Outlook item: {type(exc).__name__}: {exc}",
                            file=path, line=1, field="msg"), len(raw)
        return
    if not item.is_mail:
        yield mapi.Skipped(item.item_class), len(raw)
        return
    yield mapi.to_message(item, path, 1, md5=hashlib.md5(raw).hexdigest()), len(raw)
