"""A load file's extracted-text files (TEXTPATH): found where exports put them, read in the
encoding they were written in, and never outside the production."""

from __future__ import annotations

from pathlib import Path

from gaptrack.importers.encoding import detect_bytes
from gaptrack.importers.paths import resolve_inside


class TextLoader:
    """Reads TEXTPATH files: relative to the DAT, often written with backslashes, and only
    inside ``base`` (:func:`~gaptrack.importers.paths.resolve_inside`); a path pointing
    outside is counted in ``outside`` and never opened.

    ``volume``: the production volume holding the DAT's ``DATA`` folder. Exports name text
    files from the volume (``TEXT\\0001.txt``, ``\\VOL001\\TEXT\\0001.txt``,
    ``VOL001\\TEXT\\0001.txt``): a path not found under ``base`` is looked for there, a
    leading separator and a leading folder named as the volume dropped — never above it."""

    def __init__(self, base: Path, volume: Path | None = None) -> None:
        self.base = base
        self.volume = volume
        self.missing = 0
        self.outside = 0

    def _in_volume(self, value: str) -> Path | None:
        if self.volume is None:
            return None
        text = value.strip().replace("\\", "/")
        if text.startswith("//"):  # a network share: never
            return None
        parts = text.lstrip("/").split("/")
        if len(parts) > 1 and parts[0].casefold() == self.volume.name.casefold():
            parts = parts[1:]
        # From the DAT's folder but bounded by the volume (..\\TEXT\\0001.txt), then from
        # the volume itself.
        below = f"{self.base.name}/{text}" if not text.startswith("/") else None
        for candidate in (below, "/".join(parts)):
            found = resolve_inside(self.volume, candidate) if candidate else None
            if _is_file(found):
                return found
        return None

    def __call__(self, value: str) -> str | None:
        path = resolve_inside(self.base, value)
        if not _is_file(path):
            path = self._in_volume(value) or path
        if path is None:
            self.outside += 1
            return None
        try:
            if not path.is_file():
                self.missing += 1
                return None
            data = path.read_bytes()
        except OSError:
            self.missing += 1
            return None
        return data.decode(detect_bytes(data[:65536]), errors="replace").replace("\x00", "")


def _is_file(path: Path | None) -> bool:
    try:
        return path is not None and path.is_file()
    except OSError:  # a name too long for the file system
        return False
