"""Outlook PST and OST files ([MS-PST]), read with libpff's Python binding (``pypff``).

libpff-python is LGPL, so it is the optional extra ``pst`` (``pip install 'gaptrack[pst]'``);
an import of a PST without it is a clean error saying so. (PyPI's package called ``pypff`` is
an unrelated project: the binding is published as ``libpff-python`` and imported as ``pypff``.)

Every folder is walked, depth first, in the store's order; each item's properties, recipients
and attachments become a :class:`~gaptrack.importers.mapi.OutlookItem`, and what it means is
:mod:`gaptrack.importers.mapi`'s. Items that are not mail (contacts, appointments, tasks) are
passed over and counted. The folder path (``Top of Personal Folders/Sent Items``) is kept in
each message's location.

The body is read from the record set like every property: plain, then HTML, then the
compressed RTF one (:func:`gaptrack.importers.mapi.to_message`); libpff's ``plain_text_body``,
``html_body`` and ``rtf_body`` read the same properties (``rtf_body`` decompressed). An attached
message (attach method 5) is read from the bytes libpff gives for it
(:mod:`gaptrack.importers.pstheap`): its properties, not its recipients table or its own
attachments, which the binding does not reach (the QC report says so when it had some).
"""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path
from types import ModuleType
from typing import Any

from gaptrack.errors import InputError, LoadFileError
from gaptrack.importers import mapi, pstheap
from gaptrack.importers.mail import MailMessage

PST_MAGIC = b"!BDN"  # dwMagic of every PST and OST header
INSTALL = "reading PST/OST files needs the optional extra 'pst': pip install 'gaptrack[pst]'"


def is_pst(path: Path) -> bool:
    try:
        with path.open("rb") as handle:
            return handle.read(4) == PST_MAGIC
    except OSError:
        return False


def pst_files(path: Path) -> list[Path]:
    """One file, or every PST/OST under a folder, in name order."""
    if path.is_dir():
        return [p for p in sorted(path.rglob("*")) if p.is_file() and is_pst(p)]
    return [path] if path.exists() else []


def binding() -> ModuleType:
    """The ``pypff`` module, or the error saying how to install it."""
    try:
        import pypff
    except ImportError as exc:
        raise InputError(INSTALL) from exc
    module: ModuleType = pypff
    return module


def _props(record_set: Any) -> dict[int, Any]:
    found: dict[int, Any] = {}
    for entry in record_set.entries:
        prop = entry.entry_type
        if prop not in found:
            found[prop] = mapi.decode(entry.value_type, entry.data)
    return found


def _first_set(item: Any) -> dict[int, Any]:
    return _props(item.get_record_set(0)) if item.number_of_record_sets else {}


def _recipients(message: Any) -> list[mapi.Recipient]:
    table = getattr(message, "recipients", None)  # a bare pypff.item has no table
    if table is None:
        return []
    found = []
    for record_set in table.record_sets:
        props = _props(record_set)
        found.append(mapi.Recipient(
            name=str(props.get(mapi.DISPLAY_NAME) or ""),
            address=str(props.get(mapi.SMTP_ADDRESS) or props.get(mapi.EMAIL_ADDRESS) or ""),
            kind=int(props.get(mapi.RECIPIENT_TYPE) or 1),
        ))
    return found


_HAS_ATTACHMENTS = 0x10  # MSGFLAG_HASATTACH in PR_MESSAGE_FLAGS


def _attachment(attachment: Any, index: int, item: mapi.OutlookItem) -> mapi.Attachment:
    props = _first_set(attachment)
    size = attachment.size or 0
    try:
        data = bytes(attachment.read_buffer(size)) if size else b""
    except OSError:
        data = b""
    found = mapi.Attachment(
        name=mapi.attachment_name(props, index), data=data,
        content_type=str(props.get(mapi.ATTACH_MIME_TAG) or "application/octet-stream"),
    )
    if props.get(mapi.ATTACH_METHOD) == mapi.ATTACH_EMBEDDED_MSG and data:
        found.data = b""  # the bytes are the attached message's node, not a file
        try:
            inner = mapi.OutlookItem(props=pstheap.properties(data))
        except pstheap.HeapError as exc:
            item.notes.append(f"attached message {found.name!r} cannot be read: {exc}; "
                              "kept by name")
            return found
        if int(inner.props.get(mapi.MESSAGE_FLAGS) or 0) & _HAS_ATTACHMENTS:
            item.notes.append(f"attached message {found.name!r}: its own attachments are not "
                              "read (libpff's binding does not reach them)")
        found.item = inner
    return found


def read_item(message: Any) -> mapi.OutlookItem:
    item = mapi.OutlookItem(props=_first_set(message))
    if item.is_mail:
        item.recipients = _recipients(message)
        item.attachments = [_attachment(message.get_attachment(i), i + 1, item)
                            for i in range(getattr(message, "number_of_attachments", 0))]
    return item


def _folders(folder: Any, path: str) -> Iterator[tuple[Any, str]]:
    yield folder, path
    for index in range(folder.number_of_sub_folders):
        sub = folder.get_sub_folder(index)
        yield from _folders(sub, f"{path}/{sub.name or index}" if path else str(sub.name or index))


def read_pst(path: Path) -> Iterator[tuple[MailMessage | LoadFileError | mapi.Skipped, int]]:
    """Every item of every folder: a message, a :class:`~mapi.Skipped` non-mail item, or the
    error of one that cannot be read; with the bytes read so far (0: the mapper counts the
    whole file when it is done)."""
    pypff = binding()
    store = pypff.file()
    try:
        store.open(str(path))
    except OSError as exc:
        yield LoadFileError(f"cannot open the PST/OST: {exc}", file=path, line=1,
                            field="pst"), 0
        return
    try:
        yield from _items(store, path)
    except OSError as exc:  # a folder or table that cannot be read: the rest is unreachable
        yield LoadFileError(f"cannot read the PST/OST's folders: {exc}", file=path, line=1,
                            field="folder"), 0
    finally:
        store.close()


def _items(store: Any, path: Path) -> Iterator[tuple[MailMessage | LoadFileError
                                                     | mapi.Skipped, int]]:
    number = 0  # the item's position in the store: its "line" in errors
    for folder, where in _folders(store.root_folder, ""):
        for index in range(folder.number_of_sub_messages):
            number += 1
            try:
                item = read_item(folder.get_sub_message(index))
            except OSError as exc:
                yield LoadFileError(f"cannot read item {index + 1} of folder {where!r}: "
                                    f"{exc}", file=path, line=number, field="item"), 0
                continue
            if not item.is_mail:
                yield mapi.Skipped(item.item_class), 0
                continue
            message = mapi.to_message(item, path, number, line=number)
            message.location = f"{path.name}#{where}/{index + 1}"
            yield message, 0
