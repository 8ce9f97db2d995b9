"""Paths named inside a load file (TEXTPATH, NATIVEPATH): only ever inside the production.

A load file is input from outside the committee. A path it names (``TEXT\\0001.txt``) is
resolved against the load file's folder (or ``--text-root``), with both separator styles,
``..`` and symbolic links followed first; what lands outside that folder — ``..\\..\\etc\\passwd``,
``/proc/self/environ``, a link in ``TEXT/`` to ``/etc/shadow``, a Windows drive path — is
*outside*: never opened, and reported by the intake QC instead.
"""

from __future__ import annotations

import re
from pathlib import Path

_DRIVE = re.compile(r"^[A-Za-z]:")


def resolve_inside(root: Path, value: str) -> Path | None:
    """The real path ``value`` names under ``root``, or None when it points outside ``root``.

    The answer is fully resolved (links followed), so the caller opens exactly what was
    checked. Whether the file exists is the caller's question.
    """
    text = value.strip().replace("\\", "/")
    if not text or "\x00" in text or _DRIVE.match(text) or text.startswith("//"):
        return None
    try:
        base = root.resolve()
        target = (base / text).resolve()
    except (OSError, RuntimeError, ValueError):  # a link loop, a name too long
        return None
    if target == base or not target.is_relative_to(base):
        return None
    return target


def visible_files(folder: Path) -> list[Path]:
    """The files below ``folder``, in path order, without the ones systems hide
    (``.DS_Store``, ``Thumbs.db``, anything in a dot folder)."""
    return [p for p in sorted(folder.rglob("*")) if p.is_file()
            and not any(part.startswith(".") for part in p.relative_to(folder).parts)
            and p.name.lower() not in ("thumbs.db", "desktop.ini")]
