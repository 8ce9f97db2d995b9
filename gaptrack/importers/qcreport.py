"""What an intake QC report says (docs/architecture.md §5): the models stored in
``source_file.details`` and shown by the faces. The checks that fill them are in
:mod:`gaptrack.importers.qc`."""

from __future__ import annotations

from typing import Any

from pydantic import BaseModel, Field

from gaptrack.identity.report import ParticipantReport


class BadRecord(BaseModel):
    file: str | None = None
    line: int | None = None
    field: str | None = None
    reason: str


class BatesFinding(BaseModel):
    kind: str  # "gap" | "overlap"
    after: str | None = None  # the label before the gap / overlap
    at: str  # the label where it shows
    missing: int | None = None  # numbers skipped (gaps)


class PrefixContinuity(BaseModel):
    prefix: str
    first: int
    last: int
    documents: int
    previous_last: int | None = None  # the party's highest number before this volume
    previous_production: str | None = None
    status: str  # "first volume", "continues", "gap", "overlap"
    detail: str = ""


class BatesReport(BaseModel):
    prefixes: list[PrefixContinuity] = []
    gaps: int = 0
    overlaps: int = 0
    examples: list[BatesFinding] = []
    overlaps_with_earlier: int = 0
    overlap_examples: list[str] = []


class PageReport(BaseModel):
    opt_documents: int = 0
    opt_pages: int = 0
    dat_pages: int | None = None  # the DAT's own page counts, where given
    filled_from_opt: int = 0
    mismatched: int = 0
    mismatch_examples: list[str] = []
    missing_from_opt: int = 0
    missing_from_opt_examples: list[str] = []
    missing_from_dat: int = 0
    missing_from_dat_examples: list[str] = []
    declared_differs: int = 0  # OPT PAGECOUNT differs from the pages listed


class FieldReport(BaseModel):
    names: list[str] = []
    mapping: dict[str, str] = {}
    unmapped: list[str] = []
    header_row: bool = True
    previous_production: str | None = None
    same_as_previous: bool | None = None
    added: list[str] = []
    removed: list[str] = []
    reordered: bool = False


class EmailMetadataReport(BaseModel):
    emails: int = 0
    missing_sender: int = 0
    missing_recipients: int = 0
    missing_date: int = 0
    missing_subject: int = 0
    missing_message_id: int = 0
    examples: list[str] = []  # labels of emails missing any of them


class IntakeReport(BaseModel):
    """What an import did and what it found. ``already_loaded``: nothing was done."""

    kind: str
    source: str
    sha256: str
    party: str
    production: str | None = None
    already_loaded: bool = False
    message: str = ""
    encoding: str | None = None
    records: int = 0
    documents: int = 0
    entries: int = 0  # privilege-log entries
    pages: int | None = None
    attachments_linked: int = 0
    orphan_attachments: int = 0
    text_files_missing: int = 0
    text_files_outside: int = 0  # TEXTPATH values pointing outside the text root: not read
    text_root: str | None = None
    bad_records: list[BadRecord] = []
    bad_count: int = 0
    fields: FieldReport | None = None
    bates: BatesReport | None = None
    page_check: PageReport | None = None
    email_metadata: EmailMetadataReport | None = None
    participants: ParticipantReport | None = None  # who is linked to a party, who is not
    # Files left out because a file of the same SHA-256 was loaded (before, or earlier in this run)
    skipped_files: list[str] = Field(default_factory=list)
    # Headers kept as written because they could not be read (the message was loaded).
    header_problems: list[BadRecord] = Field(default_factory=list)
    header_problem_count: int = 0
    findings: list[str] = []  # one line per problem worth a person's attention

    def summary_rows(self) -> list[dict[str, Any]]:
        """(check, result) rows for the CLI table."""
        rows: list[dict[str, Any]] = [
            {
                "check": "source",
                "result": f"{self.source} ({self.kind}, sha256 {self.sha256[:12]}…)",
            },
        ]
        if self.already_loaded:
            rows.append({"check": "status", "result": self.message})
            return rows
        self._read_rows(rows)
        self._field_rows(rows)
        self._bates_rows(rows)
        self._check_rows(rows)
        self._file_rows(rows)
        return rows

    def _read_rows(self, rows: list[dict[str, Any]]) -> None:
        """Production, encoding, what was read and loaded, bad records."""
        if self.production:
            rows.append({"check": "production", "result": self.production})
        if self.encoding:
            rows.append({"check": "encoding", "result": self.encoding})
        rows.append({"check": "records read", "result": self.records})
        if self.kind == "privlog":
            rows.append({"check": "entries loaded", "result": self.entries})
        else:
            rows.append({"check": "documents loaded", "result": self.documents})
            rows.append({"check": "pages", "result": self.pages if self.pages is not None else ""})
        if self.bad_count:
            rows.append({"check": "bad records skipped", "result": self.bad_count})
            for bad in self.bad_records:
                where = f"{bad.file}:{bad.line}" + (f" field '{bad.field}'" if bad.field else "")
                rows.append({"check": "  bad record", "result": f"{where}: {bad.reason}"})

    def _field_rows(self, rows: list[dict[str, Any]]) -> None:
        """The load file's header and fields against earlier volumes."""
        if self.fields is not None:
            f = self.fields
            rows.append({"check": "header row", "result": "yes" if f.header_row else "no"})
            rows.append({"check": "unmapped columns", "result": ", ".join(f.unmapped) or "none"})
            if f.previous_production:
                same = (
                    "same names and order"
                    if f.same_as_previous
                    else (
                        f"added {f.added or '-'}; removed {f.removed or '-'}"
                        + ("; order changed" if f.reordered else "")
                    )
                )
                rows.append({"check": f"fields vs {f.previous_production}", "result": same})

    def _bates_rows(self, rows: list[dict[str, Any]]) -> None:
        """Bates continuity per prefix, inside and against earlier volumes."""
        if self.bates is not None:
            for p in self.bates.prefixes:
                rows.append(
                    {
                        "check": f"Bates {p.prefix}",
                        "result": f"{p.first}–{p.last}, {p.documents} docs: {p.status}"
                        + (f" ({p.detail})" if p.detail else ""),
                    }
                )
            rows.append({"check": "Bates gaps inside", "result": self.bates.gaps})
            rows.append({"check": "Bates overlaps inside", "result": self.bates.overlaps})
            if self.bates.overlaps_with_earlier:
                rows.append(
                    {
                        "check": "overlaps earlier volumes",
                        "result": self.bates.overlaps_with_earlier,
                    }
                )

    def _check_rows(self, rows: list[dict[str, Any]]) -> None:
        """Pages against the OPT, email metadata, participants, families."""
        if self.page_check is not None:
            pc = self.page_check
            rows.append(
                {
                    "check": "DAT↔OPT pages",
                    "result": f"OPT {pc.opt_documents} docs / {pc.opt_pages} pages; "
                    f"filled {pc.filled_from_opt}; mismatched {pc.mismatched}; "
                    f"not in OPT {pc.missing_from_opt}; not in DAT {pc.missing_from_dat}",
                }
            )
        if self.email_metadata is not None and self.email_metadata.emails:
            e = self.email_metadata
            rows.append(
                {
                    "check": "emails missing metadata",
                    "result": f"of {e.emails}: from {e.missing_sender}, to {e.missing_recipients}, "
                    f"date {e.missing_date}, subject {e.missing_subject}, "
                    f"Message-ID {e.missing_message_id}",
                }
            )
        if self.participants is not None:
            for check, result in self.participants.summary():
                rows.append({"check": check, "result": result})
        if self.attachments_linked or self.orphan_attachments:
            rows.append(
                {
                    "check": "families",
                    "result": f"{self.attachments_linked} attachments linked, "
                    f"{self.orphan_attachments} without their parent",
                }
            )

    def _file_rows(self, rows: list[dict[str, Any]]) -> None:
        """Text files, files skipped, headers kept as written, findings."""
        if self.text_files_missing:
            rows.append({"check": "text files missing", "result": self.text_files_missing})
        if self.text_files_outside:
            rows.append({"check": "text paths outside", "result": self.text_files_outside})
        if self.skipped_files:
            rows.append({
                "check": "files already loaded",
                "result": f"{len(self.skipped_files)} skipped (the same bytes as a file "
                "loaded before or earlier in this import): " + ", ".join(self.skipped_files[:5])
                + (" …" if len(self.skipped_files) > 5 else ""),
            })
        if self.header_problem_count:
            rows.append({"check": "headers kept as written", "result": self.header_problem_count})
            for bad in self.header_problems:
                rows.append({"check": "  header",
                             "result": f"{bad.file}:{bad.line} {bad.field}: {bad.reason}"})
        for finding in self.findings:
            rows.append({"check": "finding", "result": finding})
