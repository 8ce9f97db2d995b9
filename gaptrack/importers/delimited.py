"""Load files beyond Concordance's defaults: CSV, pipe- or caret-separated, other quotes.

A :class:`Dialect` names the separator, the quote character (or none) and the character that
stands for a newline inside a field (Concordance's ®; none for CSV, whose quoted fields hold
real line breaks). Concordance's own dialect is read by the fast
:class:`~gaptrack.importers.dat.DatReader`; any other by :class:`DelimitedReader`, on
Python's :mod:`csv`. Both yield :class:`~gaptrack.importers.dat.DatRecord` values with the
line each record starts on, so the mapping and its errors are the same.
"""

from __future__ import annotations

import csv
from collections.abc import Iterator
from pathlib import Path
from typing import NamedTuple

from gaptrack.errors import LoadFileError
from gaptrack.importers.dat import NEWLINE, QUOTE, SEP, CountedTextFile, DatReader, DatRecord

_NAMED = {"tab": "\t", "\\t": "\t", "pipe": "|", "caret": "^", "comma": ",", "dc4": SEP,
          "\\x14": SEP, "semicolon": ";", "thorn": QUOTE, "none": "", "": ""}


class Dialect(NamedTuple):
    delimiter: str = SEP
    quote: str = QUOTE  # "" for none
    newline: str = NEWLINE  # "" for none

    @property
    def concordance(self) -> bool:
        return self == CONCORDANCE


CONCORDANCE = Dialect()
CSV = Dialect(",", '"', "")


def _char(value: str, option: str) -> str:
    text = _NAMED.get(value.lower(), value) if value is not None else value
    if len(text) > 1:
        raise LoadFileError(f"{option} takes one character (or tab, pipe, caret, none)",
                            field=option)
    return text


def dialect_of(delimiter: str | None, quote: str | None, newline: str | None,
               default: Dialect = CONCORDANCE) -> Dialect:
    """The dialect the options name, each option left out taken from ``default``."""
    chosen = Dialect(
        default.delimiter if delimiter is None else _char(delimiter, "--delimiter"),
        default.quote if quote is None else _char(quote, "--quote"),
        default.newline if newline is None else _char(newline, "--newline"),
    )
    if not chosen.delimiter:
        raise LoadFileError("--delimiter cannot be none", field="--delimiter")
    return chosen


class DelimitedReader(CountedTextFile):
    """Records of a delimited file in ``dialect``, decoded with ``encoding``."""

    dialect: Dialect

    def __init__(self, path: Path, encoding: str, dialect: Dialect) -> None:
        super().__init__(path, encoding)
        self.dialect = dialect

    def __iter__(self) -> Iterator[DatRecord]:
        stream = self._open_text("")
        quote = self.dialect.quote
        reader = csv.reader(
            stream, delimiter=self.dialect.delimiter, quotechar=quote or None,
            quoting=csv.QUOTE_MINIMAL if quote else csv.QUOTE_NONE, strict=False,
        )
        newline = self.dialect.newline
        start = 1
        try:
            for row in reader:
                line, start = start, reader.line_num + 1
                if not row or (len(row) == 1 and not row[0].strip()):
                    continue
                if line == 1 and row[0].startswith("\ufeff"):
                    row[0] = row[0][1:]
                if newline:
                    row = [v.replace(newline, "\n") if newline in v else v for v in row]
                yield DatRecord(line, row)
        except UnicodeDecodeError as exc:
            raise LoadFileError(
                f"cannot be decoded as {self.encoding} ({exc.reason}); "
                "pass --encoding to say which encoding the file uses",
                file=self.path, line=start,
            ) from exc
        except csv.Error as exc:
            raise LoadFileError(str(exc), file=self.path, line=start) from exc
        finally:
            stream.close()


def open_reader(path: Path, encoding: str, dialect: Dialect) -> DatReader | DelimitedReader:
    """The reader for ``dialect``: the fast Concordance one where it applies."""
    if dialect.concordance:
        return DatReader(path, encoding)
    return DelimitedReader(path, encoding, dialect)
