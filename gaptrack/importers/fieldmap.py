"""Vendor field names to gaptrack fields: ``BEGBATES``, ``BegBates``, ``Bates Begin``… all mean
the first Bates number of a document.

Names are compared after normalisation (NFKC, case folded, every space — including a
non-breaking one — and punctuation removed), so ``Custodian/Source`` is ``custodiansource``.
``--map FIELD=COLUMN`` overrides the table; COLUMN is a column name or a 1-based position.
"""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field

from gaptrack.errors import LoadFileError

# gaptrack field -> vendor names, normalised, most specific first (the first synonym present
# wins when two columns claim the same field).
DAT_SYNONYMS: dict[str, tuple[str, ...]] = {
    "begin_bates": (
        "begbates",
        "batesbegin",
        "beginbates",
        "begdoc",
        "prodbeg",
        "prodbegbates",
        "begproddoc",
        "prodbegdoc",
        "begbatesnumber",
        "batesbeg",
        "startbates",
        "begno",
        "bates",
        "batesnumber",
        "batesno",
    ),
    "end_bates": (
        "endbates",
        "batesend",
        "enddoc",
        "prodend",
        "prodendbates",
        "endproddoc",
        "prodenddoc",
        "endbatesnumber",
        "endingbates",
        "endno",
    ),
    "begin_attach": (
        "begattach",
        "begattch",
        "batesbeginattach",
        "begattachment",
        "attachbeg",
        "prodbegattach",
        "begfamily",
        "familybeg",
        "attachrangebeg",
        "begattachbates",
    ),
    "end_attach": (
        "endattach",
        "endattch",
        "batesendattach",
        "endattachment",
        "attachend",
        "prodendattach",
        "endfamily",
        "familyend",
        "attachrangeend",
        "endattachbates",
    ),
    "parent_bates": ("parentid", "parentbates", "parentdocid", "parentbeg", "parent"),
    "custodian": (
        "custodian",
        "custodiansource",
        "custodianname",
        "custodians",
        "allcustodians",
        "source",
    ),
    "sender": ("from", "emailfrom", "sender", "author", "emailauthor"),
    "to": ("to", "emailto", "recipients", "recipient"),
    "cc": ("cc", "emailcc"),
    "bcc": ("bcc", "emailbcc"),
    "subject": ("subject", "emailsubject", "emailsubjecttitle"),
    "title": ("title", "doctitle", "documenttitle"),
    "file_name": ("filename", "nativefilename", "originalfilename"),
    "date_sent": (
        "datesent",
        "sentdate",
        "emaildatesent",
        "datetimesent",
        "sentdatetime",
        "date",
        "docdate",
        "datetime",
    ),
    "time_sent": ("timesent", "senttime", "emailtimesent"),
    "timezone": ("timezone", "timezoneused", "tz"),
    "date_created": ("datecreated", "createdate", "creationdate", "datecreate"),
    "md5": ("md5hash", "md5", "hashmd5", "md5value"),
    "sha1": ("sha1hash", "sha1", "hashsha1"),
    "message_id": ("messageid", "emailmessageid", "internetmessageid", "msgid"),
    "in_reply_to": ("inreplyto", "inreplytoid"),
    "references": ("references", "emailreferences"),
    # Outlook's Thread-Index / MAPI ConversationIndex (base64 or hexadecimal).
    "thread_index": ("threadindex", "emailthreadindex", "conversationindex",
                     "emailconversationindex", "prconversationindex"),
    "page_count": ("pgcount", "pages", "pagecount", "pagecnt", "numpages", "numberofpages"),
    "text_path": (
        "textpath",
        "textlink",
        "textfile",
        "textfilepath",
        "ocrpath",
        "extractedtextpath",
    ),
    "native_path": ("nativepath", "nativelink", "nativefile", "nativefilepath", "native"),
    "doc_type": ("doctype", "documenttype", "recordtype", "filetype"),
    "file_ext": ("fileext", "fileextension", "extension", "docext"),
    # The extracted text itself, inline (a value that is a file path is read as TEXTPATH).
    "text": ("text", "extractedtext", "body", "bodytext", "emailbody", "fulltext", "ocrtext",
             "documenttext"),
}

_NOT_ALNUM = re.compile(r"[\W_]+", re.UNICODE)


def normalise_field_name(name: str) -> str:
    """``" Bates\\u00a0Begin "`` -> ``"batesbegin"``."""
    return _NOT_ALNUM.sub("", unicodedata.normalize("NFKC", name).casefold())


def known_field(column: str, synonyms: Mapping[str, tuple[str, ...]] = DAT_SYNONYMS) -> str | None:
    norm = normalise_field_name(column)
    for name, names in synonyms.items():
        if norm in names:
            return name
    return None


def looks_like_header(
    values: Sequence[str], synonyms: Mapping[str, tuple[str, ...]] = DAT_SYNONYMS
) -> bool:
    """A header names a Bates column, or at least two known fields; data rows name none."""
    known = [known_field(v, synonyms) for v in values]
    first = next(iter(synonyms))
    return first in known or sum(1 for k in known if k) >= 2


def parse_overrides(pairs: Sequence[str]) -> dict[str, str]:
    """``["begin_bates=DOCID", "custodian=3"]`` -> ``{"begin_bates": "DOCID", ...}``."""
    out: dict[str, str] = {}
    for pair in pairs:
        name, sep, column = pair.partition("=")
        if not sep or not name.strip() or not column.strip():
            raise LoadFileError(f"--map {pair!r}: write FIELD=COLUMN", field=pair)
        out[name.strip()] = column.strip()
    return out


@dataclass(slots=True)
class FieldMap:
    """Which column (0-based) holds each gaptrack field, and the columns left over."""

    columns: list[str]  # the file's column names (or "column N" with no header)
    index: dict[str, int] = field(default_factory=dict)
    unmapped: list[str] = field(default_factory=list)

    def mapping(self) -> dict[str, str]:
        return {name: self.columns[i] for name, i in self.index.items()}

    def column_name(self, name: str) -> str:
        return self.columns[self.index[name]]


def build_field_map(
    columns: Sequence[str],
    overrides: Mapping[str, str] | None = None,
    *,
    synonyms: Mapping[str, tuple[str, ...]] = DAT_SYNONYMS,
    file: str | None = None,
) -> FieldMap:
    """Map ``columns`` to gaptrack fields: overrides first, then the synonym table."""
    norms = [normalise_field_name(c) for c in columns]
    index: dict[str, int] = {}
    for name, column in (overrides or {}).items():
        target = known_field(name, {k: (normalise_field_name(k),) for k in synonyms})
        if target is None:
            target = known_field(name, synonyms)
        if target is None:
            valid = ", ".join(synonyms)
            raise LoadFileError(
                f"--map: unknown field {name!r}; fields are {valid}", file=file, field=name
            )
        if column.isdigit():
            position = int(column) - 1
            if not 0 <= position < len(columns):
                raise LoadFileError(
                    f"--map {name}={column}: the file has {len(columns)} columns",
                    file=file,
                    field=name,
                )
        else:
            wanted = normalise_field_name(column)
            if wanted not in norms:
                raise LoadFileError(
                    f"--map {name}={column}: no such column; columns are " + ", ".join(columns),
                    file=file,
                    field=name,
                )
            position = norms.index(wanted)
        index[target] = position
    taken = set(index.values())
    for name, names in synonyms.items():
        if name in index:
            continue
        for synonym in names:
            if synonym in norms and norms.index(synonym) not in taken:
                index[name] = norms.index(synonym)
                taken.add(index[name])
                break
    unmapped = [c for i, c in enumerate(columns) if i not in taken]
    return FieldMap(list(columns), index, unmapped)
