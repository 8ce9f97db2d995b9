"""Which files are mail, and the messages in each: MBOX mailboxes split on their ``From ``
lines (with the line each message starts on), everything else one message (EML, maildir
files, ``.txt`` exports, files with no suffix) — judged by content, not by name. A file
compressed with gzip (mailing-list archives are served as ``2016-September.txt.gz``) is read
as what it holds.
"""

from __future__ import annotations

import gzip
import re
import zlib
from collections.abc import Iterator
from pathlib import Path
from typing import IO, cast

from gaptrack.errors import LoadFileError
from gaptrack.importers.mail import MailMessage, parse_message
from gaptrack.importers.mailhead import HEADER_FIELD, opens_with_headers

_CHUNK = 1 << 20
_YEAR = re.compile(rb"\b\d{4}\b")


_GZIP = b"\x1f\x8b"


def is_gzip(path: Path) -> bool:
    with path.open("rb") as handle:
        return handle.read(2) == _GZIP


def open_mail(path: Path) -> IO[bytes]:
    """The file's bytes as written, or as decompressed when it is gzip."""
    if is_gzip(path):
        return cast(IO[bytes], gzip.open(path, "rb"))
    return path.open("rb")


def lead(head: bytes) -> int:
    """How many bytes open ``head`` before its content: a UTF-8 byte order mark and blank
    lines, which some exporters write before the first header or ``From `` line."""
    rest = head[3:] if head.startswith(b"\xef\xbb\xbf") else head
    return len(head) - len(rest.lstrip(b" \t\r\n"))


def looks_like_mail(path: Path) -> bool:
    """An mbox, or a file that opens with RFC 5322 header fields, one of them a mail field
    (after the byte count line of Apple Mail's ``.emlx``)."""
    try:
        with open_mail(path) as handle:
            head = handle.read(8192)
    except (OSError, EOFError, zlib.error):  # gzip.BadGzipFile is an OSError
        return False
    head = head[lead(head):]
    return head.startswith(b"From ") or opens_with_headers(_emlx_message(head))


def _emlx_message(raw: bytes) -> bytes:
    """Apple Mail's ``.emlx``: a line with the message's length in bytes, the message, then
    a property list of flags. The message alone; any other file as it is."""
    cut = raw.find(b"\n", 0, 24)
    count = raw[:cut].strip()
    if cut <= 0 or not count.isdigit():
        return raw
    return raw[cut + 1 : cut + 1 + int(count)]


def mail_files(path: Path) -> list[Path]:
    """The files an import of ``path`` reads: one file, or every mail file under a folder
    (maildir's ``cur``/``new``/``tmp`` included), in name order."""
    if path.is_dir():
        return [p for p in sorted(path.rglob("*")) if p.is_file() and looks_like_mail(p)]
    if not path.exists():
        raise LoadFileError("no such file or folder", file=path)
    return [path]


def _parse_or_error(
    raw: bytes, path: Path, number: int, line: int, first: int
) -> MailMessage | LoadFileError:
    try:
        return parse_message(raw, path, number, line, first)
    except LoadFileError as exc:
        return exc


def mbox_messages(path: Path) -> Iterator[tuple[bytes, int, int]]:
    """(bytes, number, line of its ``From `` separator) per message of an MBOX, read in
    chunks (memory flat). A line starting ``From `` starts a message when it carries a date
    and a header field follows it (:func:`_starts_message`); the separator line itself is
    not part of the message."""
    with open_mail(path) as handle:
        buffer = b""
        line = 1  # the line buffer[0] is on
        number = 0
        start = -1  # where the current message's separator is in buffer (-1: none yet)
        eof = False
        while not eof:
            block = handle.read(_CHUNK)
            eof = not block
            buffer += block
            if start < 0:
                skip = lead(buffer)
                if not buffer[skip:].startswith(b"From "):
                    if eof or skip < len(buffer):
                        return
                    continue
                start = skip
                line += buffer.count(b"\n", 0, skip)
            search = start + 1
            while True:
                nxt = buffer.find(b"\nFrom ", search)
                if nxt < 0:
                    break
                verdict = _starts_message(buffer, nxt + 1, eof)
                if verdict is None:  # the next line is not in the buffer yet
                    break
                if not verdict:  # a body line that starts "From " (written unescaped)
                    search = nxt + 1
                    continue
                number += 1
                yield _body(buffer[start : nxt + 1]), number, line
                line += buffer.count(b"\n", start, nxt + 1)
                start = nxt + 1
                search = start + 1
            if eof:
                if start < len(buffer):
                    number += 1
                    yield _body(buffer[start:]), number, line
                return
            buffer = buffer[start:]
            start = 0


def _starts_message(buffer: bytes, at: int, eof: bool) -> bool | None:
    """Whether the ``From `` line at ``at`` separates two messages: it carries a date (the
    envelope's asctime ends with the year) and a header field follows it. Writers that do
    not escape body lines starting ``From `` (mboxo, many exporters) would otherwise cut a
    message there, and its tail would become a message with no headers. None: the buffer
    ends before the next line does."""
    end = buffer.find(b"\n", at)
    if end < 0:
        return None if not eof else False
    after = buffer.find(b"\n", end + 1)
    if after < 0 and not eof:
        return None
    following = buffer[end + 1 : after if after >= 0 else len(buffer)].rstrip(b"\r")
    return bool(HEADER_FIELD.match(following)) and _YEAR.search(buffer, at, end) is not None


def _body(chunk: bytes) -> bytes:
    """A message's bytes without its ``From `` separator line."""
    cut = chunk.find(b"\n")
    return chunk[cut + 1 :] if cut >= 0 else b""


def read_file(path: Path) -> Iterator[tuple[MailMessage | LoadFileError, int]]:
    """Messages of one file with the bytes consumed so far (for the progress bar).

    A message that cannot be read is yielded as its error, so the caller decides whether to
    stop (strict) or list it and go on (``--skip-bad``) — a generator cannot resume after
    raising.
    """
    scale = _compression(path)
    try:
        with open_mail(path) as handle:  # one opening for a one-message file (maildirs)
            raw = handle.read(_CHUNK)
            mbox = raw[lead(raw):].startswith(b"From ")
            if not mbox:
                raw += handle.read()
        if mbox:  # read again, in chunks: memory stays flat whatever the mailbox's size
            done = 0
            for message, number, line in mbox_messages(path):
                done += len(message)
                yield _parse_or_error(message, path, number, line, line + 1), int(done * scale)
            return
        raw = _emlx_message(raw[lead(raw):])
    except (EOFError, zlib.error, gzip.BadGzipFile) as exc:
        raise LoadFileError(f"the gzip file is damaged ({exc})", file=path) from exc
    yield _parse_or_error(raw, path, 1, 1, 1), int(len(raw) * scale)


def _compression(path: Path) -> float:
    """Bytes on disk per byte read (1 unless gzip: progress counts the file's bytes). gzip
    keeps the size it holds, modulo 4 GiB, in its last four bytes."""
    with path.open("rb") as handle:
        if handle.read(2) != _GZIP:
            return 1.0
        handle.seek(-4, 2)
        held = int.from_bytes(handle.read(4), "little")
    return min(1.0, path.stat().st_size / held) if held else 1.0
