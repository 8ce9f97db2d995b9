"""YAML with line numbers: every value of a case file knows the line it was written on.

PyYAML's compose API keeps each node's start mark, so we build the plain data and, beside it,
a map from the value's path (``("productions", 0, "documents", 3, "date_sent")``) to its line.
Validation and reference errors use that map to name the file, the line and the field.

Timestamps are left as strings: Pydantic parses them, so an impossible date such as
``2017-13-45`` becomes a field error with a line instead of a crash inside the YAML library.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import yaml

from gaptrack.errors import CaseFileError

PathKey = tuple[str | int, ...]


# libyaml's parser is ~10x faster on a few thousand documents and keeps the same marks.
_Base: Any = getattr(yaml, "CSafeLoader", yaml.SafeLoader)


class _Loader(_Base):
    """Safe loader that keeps timestamps as text (see the module docstring)."""


def _timestamp_as_text(loader: Any, node: yaml.Node) -> Any:
    assert isinstance(node, yaml.ScalarNode)
    return loader.construct_scalar(node)


_Loader.add_constructor("tag:yaml.org,2002:timestamp", _timestamp_as_text)


@dataclass(slots=True)
class LineMap:
    """Line (1-based) of every key / sequence entry, by path."""

    lines: dict[PathKey, int] = field(default_factory=dict)

    def line(self, path: Sequence[str | int]) -> int:
        """The line of ``path``, else of its nearest ancestor that has one."""
        key = tuple(path)
        while key:
            found = self.lines.get(key)
            if found is not None:
                return found
            key = key[:-1]
        return self.lines.get((), 1)


def field_label(path: Sequence[str | int]) -> str:
    """``productions[0].documents[3].date_sent`` for a path."""
    out = ""
    for part in path:
        if isinstance(part, int):
            out += f"[{part}]"
        else:
            out += f".{part}" if out else part
    return out


def _walk(node: yaml.Node, path: PathKey, lines: dict[PathKey, int], name: str) -> None:
    if isinstance(node, yaml.MappingNode):
        for key_node, value_node in node.value:
            if not isinstance(key_node, yaml.ScalarNode):
                continue
            child = (*path, str(key_node.value))
            if child in lines:
                # PyYAML keeps the last of two equal keys; a silent overwrite hides typos.
                raise CaseFileError(
                    f"duplicate key {key_node.value!r} (first on line {lines[child]})",
                    file=name,
                    line=key_node.start_mark.line + 1,
                    field=field_label(child),
                )
            lines[child] = key_node.start_mark.line + 1
            _walk(value_node, child, lines, name)
    elif isinstance(node, yaml.SequenceNode):
        for index, item in enumerate(node.value):
            child = (*path, index)
            lines[child] = item.start_mark.line + 1
            _walk(item, child, lines, name)


def read_yaml(path: Path, display: str | None = None) -> tuple[Any, LineMap]:
    """Parse ``path``; invalid YAML raises :class:`CaseFileError` with its line."""
    name = display or str(path)
    try:
        text = path.read_text(encoding="utf-8")
    except OSError as exc:
        raise CaseFileError(f"cannot read the file: {exc.strerror or exc}", file=name) from exc
    except UnicodeDecodeError as exc:
        line = path.read_bytes()[: exc.start].count(b"\n") + 1
        raise CaseFileError("the file is not UTF-8 text", file=name, line=line) from exc
    return parse_yaml(text, name)


def _refuse_aliases(root: yaml.Node, name: str) -> None:
    """A node reached twice is an alias (``*name``): refused before anything is built, so a
    recursive alias or a "billion laughs" file costs no more than its own size."""
    seen: set[int] = set()
    stack = [root]
    while stack:
        node = stack.pop()
        if id(node) in seen:
            raise CaseFileError("YAML aliases (*name) are not allowed in case files: write "
                                "the value out", file=name, line=node.start_mark.line + 1)
        seen.add(id(node))
        if isinstance(node, yaml.MappingNode):
            for key, value in node.value:
                stack.extend((key, value))
        elif isinstance(node, yaml.SequenceNode):
            stack.extend(node.value)


# What PyYAML's constructors raise on a scalar its tag cannot read (``!!int`` with nothing
# after it: IndexError).
_UNREADABLE = (ValueError, OverflowError, ArithmeticError, IndexError)


def _bad_scalar(loader: Any, root: yaml.Node) -> yaml.Node | None:
    """The first scalar its tag cannot read (``!!float abc``), for the error's line."""
    stack = [root]
    while stack:
        node = stack.pop()
        if isinstance(node, yaml.ScalarNode):
            try:
                loader.construct_object(node, deep=True)
            except (*_UNREADABLE, yaml.YAMLError):
                return node
        elif isinstance(node, yaml.MappingNode):
            stack.extend(v for pair in reversed(node.value) for v in reversed(pair))
        elif isinstance(node, yaml.SequenceNode):
            stack.extend(reversed(node.value))
    return None


def parse_yaml(text: str, name: str) -> tuple[Any, LineMap]:
    loader = _Loader(text)
    try:
        node = loader.get_single_node()
        if node is None:
            return {}, LineMap({(): 1})
        _refuse_aliases(node, name)
        try:
            data = loader.construct_document(node)
        except _UNREADABLE as exc:
            bad = _bad_scalar(loader, node)
            raise CaseFileError(
                f"a value its tag cannot read: {exc}", file=name,
                line=bad.start_mark.line + 1 if bad is not None else None,
            ) from exc
    except yaml.MarkedYAMLError as exc:
        mark = exc.problem_mark or exc.context_mark
        line = mark.line + 1 if mark is not None else None
        reason = " ".join(p for p in (exc.context, exc.problem) if p) or "invalid YAML"
        raise CaseFileError(f"invalid YAML: {reason}", file=name, line=line) from exc
    except yaml.YAMLError as exc:
        raise CaseFileError(f"invalid YAML: {exc}", file=name) from exc
    finally:
        loader.dispose()
    lines: dict[PathKey, int] = {(): node.start_mark.line + 1}
    _walk(node, (), lines, name)
    return data, LineMap(lines)
