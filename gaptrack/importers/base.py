"""The importer protocol and the registry of formats (docs/architecture.md, "The intake pipeline").

A format is one module holding a class that follows :class:`Importer` — what it reads, how it
recognises its input by content, how it streams records and maps each one to a
:class:`~gaptrack.importers.mapping.DocumentDraft` — and one line in :data:`REGISTRY`. Hashing,
idempotency, the owning party and production, the writer, families, QC, the source-file
records and the event belong to :func:`gaptrack.importers.run.run_import`; the CLI's
``gaptrack import`` commands are made from the registry.
"""

from __future__ import annotations

import importlib
from collections.abc import Iterator
from contextlib import AbstractContextManager
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING, Any, Literal, Protocol

from gaptrack.errors import InputError, LoadFileError
from gaptrack.models import SourceKind

if TYPE_CHECKING:
    from gaptrack.importers.run import Run

Target = Literal["documents", "privilege-log"]


@dataclass(frozen=True, slots=True)
class FormatOption:
    """An option some formats take, beyond those every import takes (party, production…)."""

    name: str  # the keyword in ImportRequest.options and the CLI's --flag (dashes for _)
    help: str
    multiple: bool = False  # repeatable (a list of strings)
    path: bool = False  # a file


OPTIONS: dict[str, FormatOption] = {
    o.name: o
    for o in (
        FormatOption(
            "opt",
            "The image load file, Opticon OPT or IPRO LFP (page counts, document ends); "
            "by default the .opt or .lfp named like the load file, beside it.",
            path=True,
        ),
        FormatOption("encoding", "Override the detected encoding (utf-8, cp1252, utf-16...)."),
        FormatOption(
            "map",
            "FIELD=COLUMN: read a gaptrack field from a column (name or number).",
            multiple=True,
        ),
        FormatOption(
            "bates_prefix",
            "The Bates prefix: of the numbers read when it ends in a digit (ABC2017-), or of "
            "the numbers assigned (mail; numbering continues after the last one used).",
        ),
        FormatOption(
            "delimiter", "Field separator of a delimited load file (',', '|', '^', 'tab')."
        ),
        FormatOption("quote", "Quote character of a delimited load file ('\"', 'þ', 'none')."),
        FormatOption("newline", "The character standing for a newline inside a field ('®')."),
        FormatOption(
            "text_root",
            "Folder TEXTPATH files are read from (default: the load file's folder); paths "
            "pointing outside it are reported, never read.",
            path=True,
        ),
    )
}


class Importer(Protocol):
    """One input format. :func:`importer` makes a fresh instance per import, so a format may
    keep what :meth:`load` read for :meth:`finish`; each import gets a fresh :class:`Run`."""

    name: str  # the format's name on the command line: gaptrack import NAME PATH
    kind: SourceKind  # how its source files are recorded
    target: Target  # what it loads
    summary: str  # one line for --list-formats and the command's help
    options: tuple[str, ...]  # the OPTIONS it takes

    def detect(self, path: Path) -> bool:
        """Whether ``path`` (a file or folder) holds this format, judged by content."""
        ...

    def sources(self, path: Path) -> list[Path]:
        """The files an import of ``path`` reads, hashed for idempotency (an error if none)."""
        ...

    def prepare(self, path: Path, options: dict[str, Any]) -> AbstractContextManager[Any]:
        """What is set up before the database is opened (e.g. a mapping child); its value is
        ``Run.state``."""
        ...

    def bulk(self, path: Path) -> bool:
        """Whether the load is big enough for the database's bulk-load mode."""
        ...

    def load(self, run: Run) -> None:
        """Stream the records, map them and write them through ``run`` (all of them)."""
        ...

    def finish(self, run: Run) -> None:
        """After the documents and families are in: anything the format adds (OPT pages)."""
        ...


# The formats, in the order detection tries them (most specific content test first). A new
# format is a module and one line here: "name": "module:Class".
REGISTRY: dict[str, str] = {
    "pst": "gaptrack.importers.formats.outlook:PstImporter",
    "msg": "gaptrack.importers.formats.outlook:MsgImporter",
    "dat": "gaptrack.importers.formats.loadfile:DatImporter",
    "privlog": "gaptrack.importers.formats.privilege:PrivilegeLogImporter",
    "xlsx": "gaptrack.importers.formats.excel:ExcelLoadFileImporter",
    "csv": "gaptrack.importers.formats.loadfile:DelimitedImporter",
    "edrm": "gaptrack.importers.formats.edrm:EdrmImporter",
    "mail": "gaptrack.importers.formats.mailbox:MailImporter",
    "pdf": "gaptrack.importers.formats.pdf:PdfImporter",
}


def importer(name: str) -> Importer:
    """The registered importer called ``name``."""
    target = REGISTRY.get(name.lower())
    if target is None:
        raise InputError(f"unknown format {name!r}; formats: {', '.join(REGISTRY)}")
    module, _, attr = target.partition(":")
    found: Importer = getattr(importlib.import_module(module), attr)()
    return found


def importers() -> Iterator[Importer]:
    for name in REGISTRY:
        yield importer(name)


def detect(path: Path) -> Importer:
    """The format of ``path``, by content; an error naming the formats when none fits."""
    if not path.exists():
        raise LoadFileError("no such file or folder", file=path)
    for candidate in importers():
        if candidate.detect(path):
            return candidate
    raise LoadFileError(
        "cannot tell the format; name it: gaptrack import FORMAT PATH "
        f"(formats: {', '.join(REGISTRY)})",
        file=path,
    )
