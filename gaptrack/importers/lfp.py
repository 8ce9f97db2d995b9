"""IPRO LFP image load files: the image master (``IM``) records, one per page.

``IM,KEY,BOUNDARY,OFFSET,@VOLUME;PATH;FILE;TYPE[,ROTATION]`` — KEY is the page's image key
(its Bates label), OFFSET the page's place in a multi-page image file (0 for a single-page
one). BOUNDARY is the level the page starts: ``S`` source, ``B`` box, ``F`` folder, ``D``
document, ``C`` child (an attachment, which a load file lists as a document of its own), or
blank — a page that continues the document before it. Every boundary but blank therefore
starts a document here.

Other LFP commands (``IO`` info fields, ``IT`` issue tags, ``RD`` redactions, ``FT`` full
text …) and ``##`` comment lines say nothing about pages and are passed over. Pages come
out as :class:`~gaptrack.importers.opt.OptPage` rows, so an LFP gives page counts and
document breaks exactly as an Opticon OPT does (:func:`gaptrack.importers.opt.read_documents`).
"""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

from gaptrack.errors import LoadFileError
from gaptrack.importers.opt import OptPage

BREAKS = frozenset("SBFDC")  # every boundary above a page starts a document
COMMAND_LENGTH = 2


def _command(text: str, path: Path, line: int) -> str:
    command = text.split(",", 1)[0].strip()
    if len(command) != COMMAND_LENGTH or not command.isalpha() or "," not in text:
        raise LoadFileError(
            f"not an LFP record (a two-letter command and a comma): {text[:40]!r}",
            file=path, line=line, field="command",
        )
    return command.upper()


def _image(cells: list[str], path: Path, line: int) -> OptPage:
    """One ``IM`` record's page (``cells`` split on commas)."""
    if len(cells) < 5:
        raise LoadFileError(
            f"an IM record has at least 5 comma-separated fields, this one {len(cells)}",
            file=path, line=line, field="IM",
        )
    key, boundary, offset, location = (c.strip() for c in cells[1:5])
    if not key:
        raise LoadFileError("no image key", file=path, line=line, field="image key")
    flag = boundary.upper()
    if flag and flag not in BREAKS:
        raise LoadFileError(
            f"boundary {boundary!r} is not one of S, B, F, D, C or blank",
            file=path, line=line, field="boundary",
        )
    if offset and not offset.isdigit():
        raise LoadFileError(f"offset {offset!r} is not a number", file=path, line=line,
                            field="offset")
    parts = location.split(";")
    if not location.startswith("@") or len(parts) < 3:
        raise LoadFileError(
            f"the image is not @VOLUME;PATH;FILE: {location[:60]!r}",
            file=path, line=line, field="image",
        )
    folder, name = parts[1].strip(), parts[2].strip()
    return OptPage(
        line=line,
        page_id=key,
        volume=parts[0][1:].strip(),
        path=f"{folder}\\{name}" if folder else name,
        doc_break=bool(flag),
        page_count=None,  # an LFP declares none: pages are counted
    )


def read_lfp_pages(path: Path, encoding: str) -> Iterator[OptPage]:
    """The pages of an LFP file, in file order."""
    with path.open("r", encoding=encoding, newline="") as handle:
        for line_no, raw in enumerate(handle, start=1):
            text = raw.rstrip("\r\n")
            if not text.strip() or text.lstrip().startswith("##"):
                continue
            if _command(text, path, line_no) == "IM":
                yield _image(text.split(","), path, line_no)


def looks_like_lfp(path: Path) -> bool:
    """An ``.lfp`` file, or one with an ``IM`` record among its first lines (an OPT line
    starts with a page id, never with a two-letter command)."""
    if path.suffix.lower() == ".lfp":
        return True
    with path.open("rb") as handle:
        head = handle.read(1 << 16)
    return any(line.strip().lstrip(b"\xef\xbb\xbf")[:3].upper() == b"IM,"
               for line in head.splitlines())
