"""A minimal Unicode PST writer ([MS-PST]) for the tests: folders of messages with
recipients and attachments, no encryption (NDB_CRYPT_NONE), one data block per node.

Layers, bottom up:

* NDB: the header (with both CRCs), data blocks (64-byte aligned, with trailers), subnode
  blocks (SLBLOCK), and the node and block B-trees (NBT, BBT: 512-byte pages, one
  intermediate level when a leaf page overflows).
* LTP: heaps on node (HN) holding a property context (PC: a BTH of 2-byte keys) or a table
  context (TC: TCINFO, a row index BTH and the row matrix).
* Messaging: the message store, the root folder and its sub-folders with their hierarchy and
  contents tables, messages whose subnodes hold the recipients table, the attachments table
  and one PC per attachment; an attached message (attach method 5) is a subnode of its
  attachment's, with subnodes of its own ([MS-PST] 2.4.6.2), named by the attachment's
  PidTagAttachDataObject (a PtypObject: the subnode's NID and size).
"""

from __future__ import annotations

import datetime as dt
import struct
import zlib
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from gaptrack.importers.mapi import PT_BINARY, PT_BOOLEAN, PT_LONG, PT_SYSTIME, PT_UNICODE

_EPOCH = dt.datetime(1601, 1, 1)
_DATA_START = 0x4600  # after the header region and the first allocation map page

Props = dict[int, tuple[int, object]]  # property id -> (type, value)
SubNode = tuple[int, bytes, list[Any]]  # (nid, data, its own subnodes: SubNode again)
PT_OBJECT = 0x000D


# --- values ---------------------------------------------------------------------------------

def crc(data: bytes) -> int:
    """[MS-PST] 5.3: CRC-32 (reflected, polynomial 0xEDB88320) from 0, without the final
    inversion zlib applies."""
    return zlib.crc32(data, 0xFFFFFFFF) ^ 0xFFFFFFFF


def signature(ib: int, bid: int) -> int:
    """[MS-PST] 5.5 ComputeSig."""
    ib ^= bid
    return ((ib >> 16) ^ ib) & 0xFFFF


def filetime(moment: dt.datetime) -> int:
    delta = moment - _EPOCH
    return (delta.days * 86_400 + delta.seconds) * 10_000_000 + delta.microseconds * 10


def _encode(kind: int, value: object) -> bytes:
    if kind == PT_UNICODE:
        assert isinstance(value, str)
        return value.encode("utf-16-le")
    if kind in (PT_BINARY, PT_OBJECT):  # an object: its subnode's NID and size, given packed
        assert isinstance(value, bytes)
        return value
    if kind == PT_SYSTIME:
        assert isinstance(value, dt.datetime)
        return struct.pack("<Q", filetime(value))
    if kind == PT_BOOLEAN:
        return struct.pack("<I", 1 if value else 0)
    assert isinstance(value, int)
    return struct.pack("<I", value)


# --- LTP: heap on node, property and table contexts ----------------------------------------

class Heap:
    """A heap on node in one block: allocations addressed by HIDs."""

    def __init__(self, client: int) -> None:
        self.client = client
        self.allocations: list[bytes] = []
        self.root = 0

    def add(self, data: bytes) -> int:
        self.allocations.append(data)
        return len(self.allocations) << 5  # hidType 0, hidIndex (1-based), block 0

    def build(self) -> bytes:
        body = bytearray(12)
        offsets = []
        for data in self.allocations:
            offsets.append(len(body))
            body += data
        offsets.append(len(body))
        if len(body) % 2:
            body += b"\x00"
        map_at = len(body)
        body += struct.pack(f"<HH{len(offsets)}H", len(self.allocations), 0, *offsets)
        body[0:12] = struct.pack("<HBBI4s", map_at, 0xEC, self.client, self.root, b"")
        assert len(body) <= 8176, "one block per heap in this writer"
        return bytes(body)


def _bth(heap: Heap, key_size: int, entry_size: int, records: list[bytes]) -> int:
    """A one-level BTH of ``records`` (already in key order); its header's HID."""
    root = heap.add(b"".join(records)) if records else 0
    return heap.add(struct.pack("<BBBBI", 0xB5, key_size, entry_size, 0, root))


def _value_hnid(heap: Heap, kind: int, value: object) -> int:
    data = _encode(kind, value)
    if kind in (PT_LONG, PT_BOOLEAN):
        return int.from_bytes(data, "little")
    return heap.add(data) if data else 0


def property_context(props: Props) -> bytes:
    heap = Heap(0xBC)
    records = [struct.pack("<HHI", prop, kind, _value_hnid(heap, kind, value))
               for prop, (kind, value) in props.items()]
    records.sort(key=lambda r: struct.unpack("<H", r[:2])[0])  # by property id
    heap.root = _bth(heap, 2, 6, records)
    return heap.build()


def table_context(columns: list[tuple[int, int]], rows: list[tuple[int, Props]]) -> bytes:
    """A TC with the row id and version columns, then ``columns`` ((id, type)); each row is
    (row id, its values by property id)."""
    heap = Heap(0x7C)
    cols = [(0x67F2, PT_LONG), (0x67F3, PT_LONG), *columns]
    layout = []  # (tag, offset, size, bit)
    offset = 0
    for bit, (prop, kind) in enumerate(cols):
        size = 8 if kind == PT_SYSTIME else 4
        layout.append(((prop << 16) | kind, offset, size, bit))
        offset += size
    end_4b = offset
    bitmap = (len(cols) + 7) // 8
    row_size = end_4b + bitmap
    matrix = bytearray()
    index = []
    for number, (row_id, values) in enumerate(rows):
        row = bytearray(row_size)
        present = bytearray(bitmap)
        for (_, at, size, bit), (prop, kind) in zip(layout, cols, strict=True):
            if prop == 0x67F2:
                value: object = row_id
            elif prop == 0x67F3:
                value = 0
            elif prop in values:
                value = values[prop][1]
            else:
                continue
            if kind == PT_SYSTIME:
                raw = _encode(kind, value)
            else:
                raw = struct.pack("<I", _value_hnid(heap, kind, value))
            row[at:at + size] = raw
            present[bit // 8] |= 0x80 >> (bit % 8)
        row[end_4b:] = present
        matrix += row
        index.append(struct.pack("<II", row_id, number))
    rows_hid = heap.add(bytes(matrix)) if rows else 0
    index.sort(key=lambda r: struct.unpack("<I", r[:4])[0])
    row_index = _bth(heap, 4, 4, index)  # row id -> row number
    layout.sort()
    info = struct.pack("<BB4HIII", 0x7C, len(cols), end_4b, end_4b, end_4b, row_size,
                       row_index, rows_hid, 0)
    info += b"".join(struct.pack("<IHBB", *c) for c in layout)
    heap.root = heap.add(info)
    return heap.build()


# --- NDB: blocks, subnodes, B-trees, header --------------------------------------------------

def _align(size: int, unit: int) -> int:
    return -(-size // unit) * unit


class Store:
    """Nodes and blocks, laid out as a PST by :meth:`build`."""

    def __init__(self) -> None:
        self.blocks: list[tuple[int, bytes]] = []  # (bid, data)
        self.nodes: list[tuple[int, int, int, int]] = []  # (nid, bid data, bid sub, parent)
        self._next = 1

    def block(self, data: bytes, *, internal: bool = False) -> int:
        bid = (self._next << 2) | (2 if internal else 0)
        self._next += 1
        self.blocks.append((bid, data))
        return bid

    def node(self, nid: int, data: bytes, parent: int = 0,
             subnodes: list[SubNode] | None = None) -> None:
        bid = self.block(data)
        self.nodes.append((nid, bid, self._subnodes(subnodes or []), parent))

    def _subnodes(self, subnodes: list[SubNode]) -> int:
        """An SLBLOCK of the subnodes (each with its own SLBLOCK if it has subnodes); 0 for
        none."""
        if not subnodes:
            return 0
        entries = sorted((n, self.block(d), self._subnodes(inner)) for n, d, inner in subnodes)
        sl = struct.pack("<BBHI", 0x02, 0, len(entries), 0) + b"".join(
            struct.pack("<QQQ", n, b, s) for n, b, s in entries)
        return self.block(sl, internal=True)

    def build(self) -> bytes:
        out = bytearray(_DATA_START)
        refs: list[tuple[int, int, int]] = []  # (bid, ib, cb)
        for bid, data in sorted(self.blocks):
            ib = len(out)
            size = _align(len(data) + 16, 64)
            block = bytearray(data.ljust(size - 16, b"\x00"))
            block += struct.pack("<HHIQ", len(data), signature(ib, bid), crc(data), bid)
            out += block
            refs.append((bid, ib, len(data)))
        out += b"\x00" * (_align(len(out), 512) - len(out))
        pages = _Pages(out, self._next + 1)
        bbt = pages.tree(0x80, 24, [(bid, struct.pack("<QQHHI", bid, ib, cb, 2, 0))
                                    for bid, ib, cb in refs])
        nbt = pages.tree(0x81, 32, [(nid, struct.pack("<QQQII", nid, data, sub, parent, 0))
                                    for nid, data, sub, parent in sorted(self.nodes)])
        out[0:564] = _header(len(out), nbt, bbt, self._next << 2, pages.next_bid)
        return bytes(out)


class _Pages:
    """B-tree pages appended to the file: leaves of up to 488 // entry-size entries, and one
    intermediate level above them when there are several."""

    def __init__(self, out: bytearray, first_bid: int) -> None:
        self.out = out
        self.next_bid = first_bid << 2

    def page(self, ptype: int, entries: list[bytes], size: int, level: int) -> tuple[int, int]:
        bid = self.next_bid
        self.next_bid += 4
        ib = len(self.out)
        body = b"".join(entries).ljust(488, b"\x00")
        body += struct.pack("<BBBBI", len(entries), 488 // size, size, level, 0)
        self.out += body + struct.pack("<BBHIQ", ptype, ptype, signature(ib, bid), crc(body),
                                       bid)
        return bid, ib

    def tree(self, ptype: int, size: int, keyed: list[tuple[int, bytes]]) -> tuple[int, int]:
        per = 488 // size
        leaves = [keyed[i:i + per] for i in range(0, len(keyed), per)] or [[]]
        refs = [(chunk[0][0] if chunk else 0, self.page(ptype, [e for _, e in chunk], size, 0))
                for chunk in leaves]
        if len(refs) == 1:
            return refs[0][1]
        assert len(refs) <= 488 // 24, "two levels at most in this writer"
        return self.page(ptype, [struct.pack("<QQQ", key, bid, ib) for key, (bid, ib) in refs],
                         24, 1)


def _header(eof: int, nbt: tuple[int, int], bbt: tuple[int, int], next_b: int,
            next_p: int) -> bytes:
    rgnid = struct.pack("<32I", *([0x10000] * 32))
    root = struct.pack("<IQQQQQQQQBBH", 0, eof, 0x4400, 0, 0, nbt[0], nbt[1], bbt[0], bbt[1],
                       0, 0, 0)
    head = bytearray(struct.pack("<4sI", b"!BDN", 0))
    head += struct.pack("<HHHBBII", 0x4D53, 23, 19, 1, 1, 0, 0)
    head += struct.pack("<QQI", 0, next_p, 1) + rgnid + struct.pack("<Q", 0) + root
    head += struct.pack("<I", 0) + b"\xff" * 128 + b"\x00" * 128
    head += struct.pack("<BBHQ", 0x80, 0, 0, next_b)
    assert len(head) == 524, len(head)
    head[4:8] = struct.pack("<I", crc(bytes(head[8:8 + 471])))
    head += struct.pack("<I", crc(bytes(head[8:524])))
    head += b"\x00" * 36
    assert len(head) == 564
    return bytes(head)


# --- Messaging: store, folders, messages ----------------------------------------------------

@dataclass
class Message:
    subject: str
    sender: tuple[str, str]  # (name, SMTP address)
    recipients: list[tuple[str, str, int]]  # (name, address, 1 To / 2 Cc / 3 Bcc)
    sent: dt.datetime  # naive UTC
    body: str = ""
    headers: str = ""  # PR_TRANSPORT_MESSAGE_HEADERS; "" for a Sent Items copy
    message_id: str = ""
    attachments: list[tuple[str, bytes]] = field(default_factory=list)
    item_class: str = "IPM.Note"
    thread_index: bytes = b""  # PR_CONVERSATION_INDEX
    rtf: bytes = b""  # PR_RTF_COMPRESSED (as compressed_rtf.compress gives it)
    embedded: list[tuple[str, Message]] = field(default_factory=list)  # attached messages


_FOLDER_COLUMNS = [(0x3001, PT_UNICODE), (0x3602, PT_LONG), (0x3603, PT_LONG),
                   (0x360A, PT_BOOLEAN)]
_CONTENT_COLUMNS = [(0x001A, PT_UNICODE), (0x0037, PT_UNICODE), (0x0039, PT_SYSTIME)]
_RECIPIENT_COLUMNS = [(0x0C15, PT_LONG), (0x3001, PT_UNICODE), (0x3002, PT_UNICODE),
                      (0x3003, PT_UNICODE), (0x39FE, PT_UNICODE)]
_ATTACHMENT_COLUMNS = [(0x0E20, PT_LONG), (0x3704, PT_UNICODE), (0x3705, PT_LONG),
                       (0x3707, PT_UNICODE)]
NID_RECIPIENTS, NID_ATTACHMENTS = 0x692, 0x671


def _folder_props(name: str, count: int, subfolders: bool) -> Props:
    return {0x3001: (PT_UNICODE, name), 0x3602: (PT_LONG, count), 0x3603: (PT_LONG, 0),
            0x360A: (PT_BOOLEAN, subfolders)}


def _message_props(message: Message) -> Props:
    name, address = message.sender
    props: Props = {
        0x001A: (PT_UNICODE, message.item_class), 0x0037: (PT_UNICODE, message.subject),
        0x0039: (PT_SYSTIME, message.sent), 0x0E06: (PT_SYSTIME, message.sent),
        0x0C1A: (PT_UNICODE, name), 0x0C1F: (PT_UNICODE, address),
        0x5D01: (PT_UNICODE, address),
        0x0E07: (PT_LONG, 1 | (0x10 if message.attachments or message.embedded else 0)),
        0x0E04: (PT_UNICODE, "; ".join(r[0] for r in message.recipients if r[2] == 1)),
    }
    for prop, value in ((0x1000, message.body), (0x007D, message.headers),
                        (0x1035, message.message_id)):
        if value:
            props[prop] = (PT_UNICODE, value)
    if message.thread_index:
        props[0x0071] = (PT_BINARY, message.thread_index)
    if message.rtf:
        props[0x1009] = (PT_BINARY, message.rtf)
    return props


def _message_subnodes(message: Message) -> list[SubNode]:
    recipients = [(i, {0x0C15: (PT_LONG, kind), 0x3001: (PT_UNICODE, person),
                       0x3002: (PT_UNICODE, "SMTP"), 0x3003: (PT_UNICODE, smtp),
                       0x39FE: (PT_UNICODE, smtp)})
                  for i, (person, smtp, kind) in enumerate(message.recipients)]
    subnodes: list[SubNode] = [
        (NID_RECIPIENTS, table_context(_RECIPIENT_COLUMNS, recipients), [])]
    rows = []
    for index, (filename, data) in enumerate(message.attachments):
        nid = ((0x401 + index) << 5) | 0x05  # NID_TYPE_ATTACHMENT
        props: Props = {0x0E20: (PT_LONG, len(data)), 0x3704: (PT_UNICODE, filename),
                        0x3705: (PT_LONG, 1), 0x3707: (PT_UNICODE, filename),
                        0x3701: (PT_BINARY, data)}
        subnodes.append((nid, property_context(props), []))
        rows.append((nid, props))
    for index, (title, inner) in enumerate(message.embedded, start=len(message.attachments)):
        nid = ((0x401 + index) << 5) | 0x05
        item_nid = ((0x601 + index) << 5) | 0x04  # the attached message: NID_TYPE_NORMAL_MESSAGE
        item = property_context(_message_props(inner))
        props = {0x0E20: (PT_LONG, len(item)), 0x3001: (PT_UNICODE, title),
                 0x3705: (PT_LONG, 5),
                 0x3701: (PT_OBJECT, struct.pack("<II", item_nid, len(item)))}
        subnodes.append((nid, property_context(props),
                         [(item_nid, item, _message_subnodes(inner))]))
        rows.append((nid, props))
    subnodes.append((NID_ATTACHMENTS, table_context(_ATTACHMENT_COLUMNS, rows), []))
    return subnodes


def build(folders: dict[str, list[Message]], top: str = "Top of Personal Folders") -> bytes:
    """A store whose root holds ``top``, which holds the named folders of messages."""
    store = Store()
    store.node(0x21, property_context({0x3001: (PT_UNICODE, "Personal Folders"),
                                       0x0FF9: (PT_BINARY, bytes(range(16)))}))
    top_nid = (0x401 << 5) | 0x02
    _folder(store, 0x122, 0x122, "", [(top_nid, top)], [])
    children = [(((0x402 + i) << 5) | 0x02, name) for i, name in enumerate(folders)]
    _folder(store, top_nid, 0x122, top, children, [])
    number = 0x10000
    for (nid, name), messages in zip(children, folders.values(), strict=True):
        items = []
        for message in messages:
            number += 1
            items.append(((number << 5) | 0x04, message))
        _folder(store, nid, top_nid, name, [], items)
    return store.build()


def _folder(store: Store, nid: int, parent: int, name: str, children: list[tuple[int, str]],
            messages: list[tuple[int, Message]]) -> None:
    store.node(nid, property_context(_folder_props(name, len(messages), bool(children))),
               parent=parent)
    store.node(nid + 11, table_context(_FOLDER_COLUMNS, [
        (child, _folder_props(title, 0, False)) for child, title in children]))
    store.node(nid + 12, table_context(_CONTENT_COLUMNS, [
        (item, _message_props(message)) for item, message in messages]))
    for item, message in messages:
        store.node(item, property_context(_message_props(message)), parent=nid,
                   subnodes=_message_subnodes(message))


def write_pst(path: Path, folders: dict[str, list[Message]]) -> Path:
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_bytes(build(folders))
    return path
