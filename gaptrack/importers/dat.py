"""Concordance DAT load files: a streaming reader and a writer (docs/architecture.md §5).

One record per line (CRLF); fields wrapped in þ (U+00FE) and separated by DC4 (U+0014, the
byte 0x14 in every 8-bit encoding — some fonts draw it as ¶, but ¶ U+00B6 is never the
separator); ® (U+00AE) stands for a newline inside a field; ``;`` separates multiple values.
Quoting is optional per field. A quoted field may contain the separator and, rarely, a real
line break, so a record can span physical lines.

The reader decodes the file and yields :class:`DatRecord` values one at a time: memory stays
flat however large the file.
"""

from __future__ import annotations

import io
from collections.abc import Iterable, Iterator, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import BinaryIO

from gaptrack.errors import LoadFileError

QUOTE = "\u00fe"  # þ
SEP = "\x14"  # DC4
NEWLINE = "\u00ae"  # ®
MULTI = ";"
# A record whose quote never closes is given this many physical lines before it is an error.
MAX_CONTINUATION_LINES = 1000


@dataclass(slots=True)
class DatRecord:
    """One record as read: its first physical line (1-based) and its field values.

    ® has already been turned into ``\\n``; ``;`` multi-values are left joined (see
    :func:`multi`).
    """

    line: int
    values: list[str]


def multi(value: str) -> list[str]:
    """The ``;``-separated values of a field, stripped, empties dropped."""
    return [v.strip() for v in value.split(MULTI) if v.strip()]


def _split_slow(text: str) -> list[str] | None:
    """Split a record that has a separator inside quotes (or a stray þ).

    A quoted field closes at the first þ followed by the separator or the end of the record.
    Returns None when a quote is still open at the end: the record continues on the next line.
    """
    out: list[str] = []
    pos = 0
    end = len(text)
    while True:
        if pos < end and text[pos] == QUOTE:
            search = pos + 1
            while True:
                close = text.find(QUOTE, search)
                if close < 0:
                    return None
                after = close + 1
                if after == end or text[after] == SEP:
                    break
                search = after
            out.append(text[pos + 1 : close])
            pos = after
        else:
            nxt = text.find(SEP, pos)
            if nxt < 0:
                out.append(text[pos:])
                return out
            out.append(text[pos:nxt])
            pos = nxt
        if pos >= end:
            return out
        pos += 1  # past the separator
        if pos == end:
            out.append("")
            return out


_QUOTED_SEP = QUOTE + SEP + QUOTE


def split_record(text: str) -> list[str] | None:
    """The field values of one record's text (without its line ending)."""
    if text[:1] == QUOTE and text[-1:] == QUOTE:
        # Fast path for the usual record, every field quoted: split on þ¶þ. It is exact when
        # each þ is accounted for by those splits and the outer quotes: then no value holds
        # a þ, each closes at the þ before its separator, as _split_slow reads it, and a
        # separator left inside a value was quoted there.
        values = text[1:-1].split(_QUOTED_SEP)
        if text.count(QUOTE) == 2 * len(values):
            return values
    pieces = text.split(SEP)
    if QUOTE not in text:
        return pieces
    out: list[str] = []
    for piece in pieces:
        if QUOTE in piece:
            if piece[0] == QUOTE and piece[-1] == QUOTE and piece.count(QUOTE) == 2:
                out.append(piece[1:-1])
                continue
            return _split_slow(text)
        out.append(piece)
    return out


def _strip_eol(line: str) -> str:
    if line.endswith("\n"):
        line = line[:-1]
    if line.endswith("\r"):
        line = line[:-1]
    return line


class _CountingReader(io.RawIOBase):
    """A raw stream that counts the bytes handed to the decoder: drives the progress bar."""

    def __init__(self, handle: BinaryIO) -> None:
        self._handle = handle
        self.count = 0

    def readable(self) -> bool:
        return True

    def readinto(self, buffer: memoryview) -> int:  # type: ignore[override]
        n = self._handle.readinto(buffer)  # type: ignore[attr-defined]
        self.count += n or 0
        return int(n or 0)

    def close(self) -> None:
        self._handle.close()
        super().close()


class CountedTextFile:
    """A load file read as text, counting the bytes decoded so far (the progress bar)."""

    def __init__(self, path: Path, encoding: str) -> None:
        self.path = path
        self.encoding = encoding
        self._raw: _CountingReader | None = None

    @property
    def bytes_read(self) -> int:
        return self._raw.count if self._raw is not None else 0

    def _open_text(self, newline: str) -> io.TextIOWrapper:
        self._raw = _CountingReader(self.path.open("rb"))
        buffered = io.BufferedReader(self._raw, buffer_size=1 << 20)
        return io.TextIOWrapper(buffered, encoding=self.encoding, newline=newline)


class DatReader(CountedTextFile):
    """Iterate the records of a DAT file, decoding with ``encoding``."""

    def __iter__(self) -> Iterator[DatRecord]:
        # newline="\n": only LF ends a line (CRLF is stripped below); a stray CR inside a
        # field must not split the record.
        stream = self._open_text("\n")
        line_no = 0
        pending: list[str] = []
        start = 0
        try:
            # Iterating the stream (not readline()) and testing the common case inline: this
            # loop runs once per record of a million-record file.
            for raw in stream:
                line_no += 1
                line = raw[:-2] if raw[-2:] == "\r\n" else _strip_eol(raw)
                if line_no == 1 and line.startswith("\ufeff"):
                    line = line[1:]  # a BOM the codec did not consume
                if pending:
                    pending.append(line)
                    text = "\n".join(pending)
                else:
                    if not line or line.isspace():
                        continue
                    text = line
                    start = line_no
                if NEWLINE in text:
                    text = text.replace(NEWLINE, "\n")
                values = split_record(text)
                if values is None:
                    if not pending:
                        pending = [line]
                    if len(pending) > MAX_CONTINUATION_LINES:
                        raise LoadFileError(
                            "a þ-quoted field is never closed", file=self.path, line=start
                        )
                    continue
                if pending:
                    pending = []
                yield DatRecord(start, values)
            if pending:
                raise LoadFileError("a þ-quoted field is never closed", file=self.path, line=start)
        except UnicodeDecodeError as exc:
            raise LoadFileError(
                f"cannot be decoded as {self.encoding} ({exc.reason}); "
                "pass --encoding to say which encoding the file uses",
                file=self.path,
                line=line_no + 1,
            ) from exc
        finally:
            stream.close()


def read_dat(path: Path, encoding: str) -> Iterator[DatRecord]:
    return iter(DatReader(path, encoding))


def _format_value(value: str, quote: bool) -> str:
    if NEWLINE in value:
        raise ValueError("® cannot be written: the format reads it as a line break")
    if QUOTE + SEP in value:
        raise ValueError("þ followed by the separator cannot be written inside a field")
    text = value.replace("\r\n", "\n").replace("\n", NEWLINE)
    needs_quotes = quote or SEP in text or text.startswith(QUOTE)
    return f"{QUOTE}{text}{QUOTE}" if needs_quotes else text


def format_record(values: Sequence[str], *, quote: bool = True) -> str:
    """One record's line (without the line ending). Bare fields are quoted when they must be."""
    return SEP.join(_format_value(v, quote) for v in values)


def write_dat(
    target: Path | io.TextIOBase,
    rows: Iterable[Sequence[str]],
    *,
    header: Sequence[str] | None = None,
    encoding: str = "utf-8",
    quote: bool = True,
    line_ending: str = "\r\n",
) -> int:
    """Write a DAT file (or into an open text stream); returns the records written."""
    count = 0

    def emit(out: io.TextIOBase) -> int:
        n = 0
        if header is not None:
            out.write(format_record(header, quote=True) + line_ending)
        for row in rows:
            out.write(format_record(row, quote=quote) + line_ending)
            n += 1
        return n

    if isinstance(target, Path):
        with target.open("w", encoding=encoding, newline="") as out:
            count = emit(out)
    else:
        count = emit(target)
    return count
