"""Which text encoding a load file uses: BOM, then UTF-16 shape, then UTF-8, then cp1252.

Real productions arrive as UTF-8 (with and without a BOM), cp1252 and UTF-16. Only a sample
of the head of the file is examined, so detection costs the same for any file size.
"""

from __future__ import annotations

import codecs
from pathlib import Path

SAMPLE_BYTES = 256 * 1024


def _looks_utf16(sample: bytes) -> str | None:
    """UTF-16 without a BOM: ASCII text has a zero in every other byte."""
    if len(sample) < 4:
        return None
    even = sample[0::2]
    odd = sample[1::2]
    if odd.count(0) > 0.4 * len(odd) and even.count(0) < 0.05 * len(even):
        return "utf-16-le"
    if even.count(0) > 0.4 * len(even) and odd.count(0) < 0.05 * len(odd):
        return "utf-16-be"
    return None


def detect_bytes(sample: bytes) -> str:
    """The codec name for a sample of a file's first bytes."""
    if sample.startswith(codecs.BOM_UTF8):
        return "utf-8-sig"
    if sample.startswith((codecs.BOM_UTF16_LE, codecs.BOM_UTF16_BE)):
        return "utf-16"
    utf16 = _looks_utf16(sample)
    if utf16:
        return utf16
    try:
        # final=False: the sample may end inside a multi-byte character.
        codecs.getincrementaldecoder("utf-8")().decode(sample, final=False)
        return "utf-8"
    except UnicodeDecodeError:
        pass
    # Not UTF-8: US productions are almost always Windows-1252. Ask charset-normalizer only
    # when cp1252 cannot even decode the bytes (its 5 undefined code points).
    try:
        sample.decode("cp1252")
        return "cp1252"
    except UnicodeDecodeError:
        from charset_normalizer import from_bytes

        best = from_bytes(sample).best()
        return best.encoding if best is not None else "latin-1"


def detect_encoding(path: Path) -> str:
    with path.open("rb") as handle:
        return detect_bytes(handle.read(SAMPLE_BYTES))


def normalise_encoding(name: str) -> str:
    """A user's ``--encoding`` as a codec name; raises LookupError for unknown names.

    ``CP-1252`` and ``UTF_16`` are accepted as well as Python's own spellings.
    """
    try:
        return codecs.lookup(name).name
    except LookupError:
        return codecs.lookup(name.lower().replace("-", "").replace("_", "")).name
