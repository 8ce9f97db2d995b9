"""A minimal Compound File Binary writer ([MS-CFB]), for the tests' Outlook .msg files.

Version 3 (512-byte sectors). Streams under the 4,096-byte cutoff go to the mini stream
(64-byte mini sectors, chained in the mini FAT); larger ones get sectors of their own. The
layout is fixed: header, FAT sectors, directory, mini FAT, mini stream, large streams. Every
storage's children form a balanced binary tree in CFB order (shorter names first, then by
upper-cased name); all entries are black, which readers accept.
"""

from __future__ import annotations

import math
import struct
from dataclasses import dataclass, field

MAGIC = b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1"
SECTOR, MINI, CUTOFF = 512, 64, 4096
FREESECT, ENDOFCHAIN, FATSECT, NOSTREAM = 0xFFFFFFFF, 0xFFFFFFFE, 0xFFFFFFFD, 0xFFFFFFFF
STORAGE, STREAM, ROOT = 1, 2, 5

# A tree of storages: a name maps to bytes (a stream) or to a Tree (a storage).
Tree = dict[str, "bytes | Tree"]


@dataclass
class _Entry:
    name: str
    kind: int
    data: bytes = b""
    children: list[int] = field(default_factory=list)
    left: int = NOSTREAM
    right: int = NOSTREAM
    child: int = NOSTREAM
    start: int = ENDOFCHAIN
    size: int = 0


def _order(name: str) -> tuple[int, str]:
    return (len(name), name.upper())


def _flatten(tree: Tree) -> list[_Entry]:
    entries = [_Entry("Root Entry", ROOT)]

    def add(parent: int, items: Tree) -> None:
        for name, value in items.items():
            index = len(entries)
            if isinstance(value, bytes):
                entries.append(_Entry(name, STREAM, data=value, size=len(value)))
            else:
                entries.append(_Entry(name, STORAGE))
                add(index, value)
            entries[parent].children.append(index)

    add(0, tree)
    for entry in entries:
        entry.child = _balance(entries, sorted(entry.children,
                                               key=lambda i: _order(entries[i].name)))
    return entries


def _balance(entries: list[_Entry], ordered: list[int]) -> int:
    """The root of a balanced tree of ``ordered`` siblings (left/right links set)."""
    if not ordered:
        return NOSTREAM
    middle = len(ordered) // 2
    node = entries[ordered[middle]]
    node.left = _balance(entries, ordered[:middle])
    node.right = _balance(entries, ordered[middle + 1:])
    return ordered[middle]


def _chain(fat: list[int], first: int, count: int) -> None:
    for i in range(count):
        fat[first + i] = first + i + 1 if i < count - 1 else ENDOFCHAIN


def _dir_entry(entry: _Entry | None) -> bytes:
    if entry is None:
        return b"\x00" * 64 + struct.pack("<HBBIII", 0, 0, 0, NOSTREAM, NOSTREAM, NOSTREAM) \
            + b"\x00" * 48
    name = entry.name.encode("utf-16-le") + b"\x00\x00"
    assert len(name) <= 64, entry.name
    return (name.ljust(64, b"\x00")
            + struct.pack("<HBBIII", len(name), entry.kind, 1, entry.left, entry.right,
                          entry.child)
            + b"\x00" * 16 + b"\x00" * 4 + b"\x00" * 16
            + struct.pack("<IQ", entry.start, entry.size))


def build(tree: Tree) -> bytes:
    """The compound file holding ``tree``."""
    entries = _flatten(tree)
    mini_stream = bytearray()
    mini_fat: list[int] = []
    large: list[_Entry] = []
    for entry in entries:
        if entry.kind != STREAM or not entry.data:
            continue
        if entry.size >= CUTOFF:
            large.append(entry)
            continue
        sectors = math.ceil(entry.size / MINI)
        entry.start = len(mini_fat)
        mini_fat.extend([0] * sectors)
        _chain(mini_fat, entry.start, sectors)
        mini_stream += entry.data.ljust(sectors * MINI, b"\x00")
    dir_sectors = math.ceil(len(entries) / 4)
    minifat_sectors = math.ceil(len(mini_fat) * 4 / SECTOR)
    stream_sectors = math.ceil(len(mini_stream) / SECTOR)
    large_sectors = [math.ceil(e.size / SECTOR) for e in large]
    other = dir_sectors + minifat_sectors + stream_sectors + sum(large_sectors)
    fat_sectors = 1
    while fat_sectors * (SECTOR // 4) < other + fat_sectors:
        fat_sectors += 1
    assert fat_sectors <= 109, "no DIFAT sectors in this writer"
    fat = [FREESECT] * (fat_sectors * SECTOR // 4)
    for i in range(fat_sectors):
        fat[i] = FATSECT
    at = fat_sectors
    dir_start = at
    _chain(fat, at, dir_sectors)
    at += dir_sectors
    minifat_start = at if minifat_sectors else ENDOFCHAIN
    _chain(fat, at, minifat_sectors)
    at += minifat_sectors
    entries[0].start = at if stream_sectors else ENDOFCHAIN
    entries[0].size = len(mini_stream)
    _chain(fat, at, stream_sectors)
    at += stream_sectors
    for entry, count in zip(large, large_sectors, strict=True):
        entry.start = at
        _chain(fat, at, count)
        at += count
    header = (MAGIC + b"\x00" * 16
              + struct.pack("<HHHHH", 0x3E, 3, 0xFFFE, 9, 6) + b"\x00" * 6
              + struct.pack("<IIIIIIIII", 0, fat_sectors, dir_start, 0, CUTOFF,
                            minifat_start, minifat_sectors, ENDOFCHAIN, 0)
              + struct.pack("<109I", *([*range(fat_sectors)] + [FREESECT] * (109 - fat_sectors))))
    assert len(header) == SECTOR
    directory = b"".join(_dir_entry(e) for e in entries)
    directory += _dir_entry(None) * (dir_sectors * 4 - len(entries))
    body = (struct.pack(f"<{len(fat)}I", *fat) + directory
            + _pad(struct.pack(f"<{len(mini_fat)}I", *mini_fat)) + _pad(bytes(mini_stream))
            + b"".join(_pad(e.data) for e in large))
    assert len(body) == (fat_sectors + other) * SECTOR
    return header + body


def _pad(data: bytes) -> bytes:
    return data.ljust(math.ceil(len(data) / SECTOR) * SECTOR, b"\x00")
