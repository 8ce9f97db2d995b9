"""Read one case file: YAML with line numbers, then the Pydantic model of the format.

A validation error names the file, the line and the field of the *first* problem (and how
many more there are), e.g. ``fixtures/x.yaml:42: field 'productions[0].documents[3].date_sent':
Input should be a valid datetime``.
"""

from __future__ import annotations

import datetime as dt
import difflib
import hashlib
from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any, get_args

from pydantic import BaseModel, ValidationError

from gaptrack.casefile.schema import CaseFile
from gaptrack.casefile.widths import width
from gaptrack.casefile.yamlsrc import LineMap, field_label, read_yaml
from gaptrack.errors import CaseFileError
from gaptrack.limits import MAX_BIGINT, MAX_INT


@dataclass(frozen=True, slots=True)
class ParsedFile:
    """A validated case file and where each of its values was written."""

    name: str  # as the user gave it: messages show this
    case: CaseFile
    lines: LineMap
    sha256: str = ""  # of the file's bytes: recorded with the load event

    def error(self, message: str, path: Sequence[str | int]) -> CaseFileError:
        """A :class:`CaseFileError` located at ``path`` in this file."""
        return CaseFileError(
            message, file=self.name, line=self.lines.line(path), field=field_label(path) or None
        )


def _message(error: dict[str, object]) -> str:
    kind = error.get("type")
    msg = str(error.get("msg", "invalid value"))
    if kind == "missing":
        return "required field is missing"
    if kind == "extra_forbidden":
        return "unknown field (check the spelling)"
    value = error.get("input")
    if kind not in ("missing",) and isinstance(value, str | int | float | bool):
        return f"{msg} (got {value!r})"
    return msg


def _model_in(annotation: Any) -> type[BaseModel] | None:
    """The case-file model inside ``X``, ``list[X]`` or ``X | None``."""
    if isinstance(annotation, type) and issubclass(annotation, BaseModel):
        return annotation
    for arg in get_args(annotation):
        found = _model_in(arg)
        if found is not None:
            return found
    return None


def _fields_at(path: Sequence[str | int]) -> list[str]:
    """The field names (as written in YAML) allowed at ``path``: for spelling hints."""
    model: type[BaseModel] | None = CaseFile
    for part in path:
        if model is None:
            return []
        if isinstance(part, int):
            continue
        found = next((f for n, f in model.model_fields.items() if (f.alias or n) == part), None)
        model = _model_in(found.annotation) if found is not None else None
    if model is None:
        return []
    return [f.alias or n for n, f in model.model_fields.items()]


def validate(data: object, lines: LineMap, name: str) -> ParsedFile:
    if data is None:
        data = {}
    if not isinstance(data, dict):
        raise CaseFileError(
            "a case file is a mapping of sections (committees:, parties:, requests: ...)",
            file=name,
            line=lines.line(()),
        )
    try:
        case = CaseFile.model_validate(data)
    except ValidationError as exc:
        errors = exc.errors()
        # A misspelt key also makes the real one "missing": report the misspelling first.
        errors.sort(key=lambda e: e["type"] != "extra_forbidden")
        first = errors[0]
        path = [p for p in first["loc"] if isinstance(p, str | int)]
        message = _message(dict(first))
        if first["type"] == "extra_forbidden":
            close = difflib.get_close_matches(str(path[-1]), _fields_at(path[:-1]), n=1)
            if close:
                message += f"; did you mean {close[0]!r}?"
        more = f" (and {len(errors) - 1} more problems)" if len(errors) > 1 else ""
        raise CaseFileError(
            message + more,
            file=name,
            line=lines.line(path),
            field=field_label(path) or None,
        ) from exc
    return ParsedFile(name=name, case=case, lines=lines)


def _unstorable(value: Any, name: str | int, most: int | None = None) -> str | None:
    """Why ``value`` (of the field ``name``, its column ``most`` characters wide) cannot be
    stored alike on SQLite and PostgreSQL, if it cannot: Bates numbers are BIGINT columns,
    other numbers INTEGER ones."""
    if isinstance(value, str) and "\x00" in value:
        return "holds a NUL byte"
    if isinstance(value, str) and most is not None and len(value) > most:
        return f"is {len(value)} characters long; at most {most} fit"
    if isinstance(value, bool):
        return None
    limit = MAX_BIGINT if "bates" in str(name) else MAX_INT
    if isinstance(value, int) and not -limit <= value <= limit:
        return f"is too large a number to store (at most {limit})"
    if isinstance(value, dt.datetime) and value.tzinfo is not None:
        try:
            value.astimezone(dt.UTC)
        except OverflowError:
            return "falls outside the years 1-9999 in UTC"
    return None


def check_storable(case: BaseModel, lines: LineMap, name: str) -> None:
    """Every value of a validated case, checked once against what both databases store
    (gaptrack.limits): NUL bytes, integer ranges, dates that overflow in UTC, strings longer
    than their column (gaptrack.casefile.widths)."""
    stack: list[tuple[Any, tuple[str | int, ...], int | None]] = [(case, (), None)]
    while stack:
        value, path, most = stack.pop()
        if isinstance(value, BaseModel):
            model = type(value).__name__
            for field_name, info in type(value).model_fields.items():
                stack.append((getattr(value, field_name), (*path, info.alias or field_name),
                              width(model, field_name)))
        elif isinstance(value, list | tuple):
            stack.extend((v, (*path, i), most) for i, v in enumerate(value))
        elif isinstance(value, dict):
            stack.extend((v, (*path, str(k)), None) for k, v in value.items())
        else:
            problem = _unstorable(value, path[-1] if path else "", most)
            if problem is not None:
                raise CaseFileError(problem, file=name, line=lines.line(path),
                                    field=field_label(path))


def read_case_file(path: str | Path) -> ParsedFile:
    """Parse and validate one file; any problem raises :class:`CaseFileError`."""
    name = str(path)
    data, lines = read_yaml(Path(path), name)
    parsed = validate(data, lines, name)
    check_storable(parsed.case, lines, name)
    digest = hashlib.sha256(Path(path).read_bytes()).hexdigest()
    return ParsedFile(parsed.name, parsed.case, parsed.lines, digest)
