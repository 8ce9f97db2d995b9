"""The one exception hierarchy of gaptrack.

::

    GaptrackError                 title + message; the CLI prints it and exits 2
     +-- InputError               bad input: names the file, the line and the field
     |    +-- CaseFileError       a YAML case file
     |    +-- LoadFileError       a DAT / OPT / mailbox / privilege log
     +-- NotFoundError            an unknown party, committee, request, production...
     +-- ConflictError            the change contradicts what the database holds
     |    +-- StaleError          someone changed the record since it was read: reload
     +-- DatabaseError            the database cannot be reached or upgraded

Every error that reaches a face is one of these; faces never show a traceback for them.
"""

from __future__ import annotations

from pathlib import Path


class GaptrackError(Exception):
    """Base class: a short ``title`` and a human ``message``."""

    title = "gaptrack error"
    exit_code = 2

    def __init__(self, message: str, *, title: str | None = None) -> None:
        super().__init__(message)
        self.message = message
        if title is not None:
            self.title = title

    def __str__(self) -> str:
        return self.message


class InputError(GaptrackError):
    """Bad input. The message always says where: file, line and field."""

    title = "Bad input"

    def __init__(
        self,
        message: str,
        *,
        file: str | Path | None = None,
        line: int | None = None,
        field: str | None = None,
        title: str | None = None,
    ) -> None:
        self.file = str(file) if file is not None else None
        self.line = line
        self.field = field
        self.reason = message
        super().__init__(self._compose(message), title=title)

    def _compose(self, message: str) -> str:
        where = ""
        if self.file:
            where = self.file
            if self.line is not None:
                where += f":{self.line}"
        parts = [p for p in (where, f"field '{self.field}'" if self.field else "") if p]
        return f"{': '.join(parts)}: {message}" if parts else message


class CaseFileError(InputError):
    title = "Bad case file"


class LoadFileError(InputError):
    title = "Bad load file"


class NotFoundError(GaptrackError):
    title = "Not found"


class ConflictError(GaptrackError):
    title = "Conflict"


class StaleError(ConflictError):
    """The record changed after the face read it: the action was refused; reload and retry."""

    title = "Changed meanwhile"


class DatabaseError(GaptrackError):
    title = "Database error"
