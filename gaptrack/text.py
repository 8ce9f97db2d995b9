"""Data shown to a person: one sanitiser for every renderer (TUI, CLI tables, letters, reports).

Everything gaptrack shows came from outside — load files, mailboxes, case files — and may hold
bytes meant for the terminal rather than the reader: ``ESC ] 0 ; … BEL`` retitles a terminal,
``ESC [ 31m`` recolours it, and a right-to-left override (U+202E) makes ``gpj.exe`` read as
``exe.jpg``. :func:`printable` shows each such character as its escape (``\\x1b``,
``\\u202e``), so it is visible and inert; :func:`clip` bounds very long values for display;
:func:`display` does both. :func:`html_text` also escapes ``& < >`` for Markdown and HTML.

Line breaks and tabs are kept (``keep_newlines=False`` escapes them too, for one-line cells).
"""

from __future__ import annotations

import html
import re

# C0 controls but tab and newline, DEL, C1 controls; bidi embeddings, overrides and isolates
# (U+202A–U+202E, U+2066–U+2069), the Arabic letter mark, and line/paragraph separators.
_UNSAFE = re.compile("[\x00-\x08\x0b-\x1f\x7f-\x9f\u061c\u202a-\u202e\u2066-\u2069\u2028\u2029]")
_UNSAFE_ONE_LINE = re.compile(
    "[\x00-\x1f\x7f-\x9f\u061c\u202a-\u202e\u2066-\u2069\u2028\u2029]"
)
DISPLAY_LIMIT = 2000  # characters of one value shown in a table cell or a caption
ELLIPSIS = "…"


def _escape(match: re.Match[str]) -> str:
    code = ord(match.group())
    return f"\\x{code:02x}" if code < 0x100 else f"\\u{code:04x}"


def printable(value: str, *, keep_newlines: bool = True) -> str:
    """``value`` with every control, escape and bidi-override character shown as its escape."""
    pattern = _UNSAFE if keep_newlines else _UNSAFE_ONE_LINE
    if pattern.search(value) is None:
        return value
    return pattern.sub(_escape, value)


def clip(value: str, limit: int = DISPLAY_LIMIT) -> str:
    """At most ``limit`` characters, the cut marked with an ellipsis."""
    if len(value) <= limit:
        return value
    return value[: max(limit - 1, 0)] + ELLIPSIS


def display(value: object, limit: int | None = DISPLAY_LIMIT, *, keep_newlines: bool = True) -> str:
    """Any value as safe plain text for a person: ``str()``, clipped, then :func:`printable`.

    Clipping comes first, so a huge value costs no more than ``limit`` characters to show,
    and again after escaping, so the result never exceeds ``limit``.
    """
    text = "" if value is None else str(value)
    if limit is None:
        return printable(text, keep_newlines=keep_newlines)
    return clip(printable(clip(text, limit), keep_newlines=keep_newlines), limit)


def html_text(value: object, limit: int | None = None) -> str:
    """:func:`display` with ``& < >`` escaped: for Markdown and HTML output."""
    return html.escape(display(value, limit), quote=False)


def _json_escape(match: re.Match[str]) -> str:
    return f"\\u{ord(match.group()):04x}"


def safe_output(text: str, fmt: str) -> str:
    """A rendered report made safe to print or save, whatever its data held.

    The last guard before output: JSON keeps its meaning (each unsafe character becomes a
    ``\\uXXXX`` escape that decodes to the same data), every other format shows the
    characters as escapes (:func:`printable`).
    """
    if str(fmt).lower() == "json":
        return _UNSAFE_ONE_LINE.sub(_json_escape, text) if _UNSAFE.search(text) else text
    return printable(text)
