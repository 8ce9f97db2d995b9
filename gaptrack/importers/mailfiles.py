"""Which files are mail, and the messages in each: MBOX mailboxes split on their ``From ``
lines (with the line each message starts on), everything else one message (EML, maildir
files, ``.txt`` exports, files with no suffix) — judged by content, not by name.
"""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

from gaptrack.errors import LoadFileError
from gaptrack.importers.mail import MailMessage, parse_message
from gaptrack.importers.mailhead import opens_with_headers

_CHUNK = 1 << 20


def is_mbox(path: Path) -> bool:
    with path.open("rb") as handle:
        return handle.read(5) == b"From "


def looks_like_mail(path: Path) -> bool:
    """An mbox, or a file that opens with RFC 5322 header fields, one of them a mail field."""
    try:
        with path.open("rb") as handle:
            head = handle.read(8192)
    except OSError:
        return False
    return head.startswith(b"From ") or opens_with_headers(head)


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
    chunks (memory flat). As :mod:`mailbox` does, every line starting ``From `` starts a
    message; the separator line itself is not part of it."""
    with path.open("rb") as handle:
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
                if not buffer.startswith(b"From "):
                    if eof:
                        return
                    continue
                start = 0
            search = start + 1
            while True:
                nxt = buffer.find(b"\nFrom ", search)
                if nxt < 0:
                    break
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
    if is_mbox(path):
        done = 0
        for raw, number, line in mbox_messages(path):
            done += len(raw)
            yield _parse_or_error(raw, path, number, line, line + 1), done
        return
    raw = path.read_bytes()
    yield _parse_or_error(raw, path, 1, 1, 1), len(raw)
