"""The properties of a PST attached message, from the bytes libpff gives for it.

libpff's Python binding does not open an attached message (attach method 5) as an item: its
attachment's ``read_buffer`` gives the bytes of the node holding the message's property
context instead. That is a heap on node ([MS-PST] 2.3.1) holding a BTH ([MS-PST] 2.3.2) of
property records ([MS-PST] 2.3.3), read here. What the heap does not hold is out of reach: a
value stored in a subnode of its own (over 3,580 bytes: a long body, large transport headers)
and the message's recipients and attachments tables. The properties that are there — sender,
subject, submit time, Message-ID, the display To/Cc, usually the body — are what an attached
message needs to match its other copies.
"""

from __future__ import annotations

import struct
from typing import Any

from gaptrack.importers import mapi

BLOCK = 8176  # bytes of data in a full PST data block: a heap spanning blocks fills each
_HN_SIGNATURE, _PC_CLIENT, _BTH_SIGNATURE = 0xEC, 0xBC, 0xB5
_INLINE = (mapi.PT_LONG, mapi.PT_BOOLEAN, 0x0002)  # PT_SHORT too: the value is in the record


class HeapError(ValueError):
    """Bytes that are not a property context's heap."""


class _Heap:
    def __init__(self, data: bytes) -> None:
        if len(data) < 12 or data[2] != _HN_SIGNATURE:
            raise HeapError("not a heap on node (no 0xEC signature)")
        self.data = data
        self.client = data[3]
        self.root = struct.unpack_from("<I", data, 4)[0]

    def get(self, hid: int) -> bytes:
        """An allocation by HID: block index (high 16 bits), 1-based index (bits 5-15)."""
        if hid & 0x1F:
            raise HeapError(f"HID {hid:#x} is a subnode's NID, not in the heap")
        block, index = hid >> 16, (hid >> 5) & 0x7FF
        start = block * BLOCK
        page = self.data[start:start + BLOCK]
        if len(page) < 2:
            raise HeapError(f"HID {hid:#x}: no block {block}")
        at = struct.unpack_from("<H", page, 0)[0]  # ibHnpm: the page map's offset
        if at + 4 > len(page):
            raise HeapError(f"block {block}: page map out of range")
        count = struct.unpack_from("<H", page, at)[0]
        if not 1 <= index <= count or at + 4 + 2 * (count + 1) > len(page):
            raise HeapError(f"HID {hid:#x}: no allocation {index} in block {block}")
        begin, end = struct.unpack_from("<HH", page, at + 4 + 2 * (index - 1))
        if not begin <= end <= len(page):
            raise HeapError(f"HID {hid:#x}: allocation out of range")
        return page[begin:end]


def _records(heap: _Heap, hid: int, levels: int, depth: int = 0) -> list[bytes]:
    """The leaf records (8 bytes each) of a BTH, walking intermediate levels."""
    if depth > 8:  # a BTH of 2-byte keys is never this deep; a loop in damaged data is
        raise HeapError("BTH nested too deeply")
    data = heap.get(hid) if hid else b""
    if levels == 0:
        return [data[i:i + 8] for i in range(0, len(data) - 7, 8)]
    found: list[bytes] = []
    for i in range(0, len(data) - 5, 6):  # key (2 bytes), HID of the next level
        found += _records(heap, struct.unpack_from("<I", data, i + 2)[0], levels - 1, depth + 1)
    return found


def properties(data: bytes) -> dict[int, Any]:
    """The property context in ``data`` by property id, values decoded as
    :func:`mapi.decode` does; values kept in subnodes are left out."""
    heap = _Heap(data)
    if heap.client != _PC_CLIENT:
        raise HeapError(f"the heap holds no property context (client {heap.client:#x})")
    header = heap.get(heap.root)
    if len(header) < 8 or header[0] != _BTH_SIGNATURE or header[1:3] != b"\x02\x06":
        raise HeapError("not a property context's BTH")
    levels, root = header[3], struct.unpack_from("<I", header, 4)[0]
    props: dict[int, Any] = {}
    for record in _records(heap, root, levels):
        prop, kind, value = struct.unpack("<HHI", record)
        if kind in _INLINE:
            props[prop] = mapi.decode(kind, record[4:8])
        elif value & 0x1F == 0:  # in the heap (0: an empty value)
            props[prop] = mapi.decode(kind, heap.get(value) if value else b"")
    return props
