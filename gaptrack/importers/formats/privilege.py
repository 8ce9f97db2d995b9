"""Privilege logs — CSV (and, through a reader of the sheet, Excel) — as an importer.

Columns are mapped like a load file's (:mod:`gaptrack.importers.privlog`); entry numbers
must be new for the party. The entries are written under the ``source_file`` row of the log.
"""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import nullcontext
from pathlib import Path
from typing import Any

from sqlmodel import select

from gaptrack.errors import LoadFileError
from gaptrack.importers import privlog as privlog_format
from gaptrack.importers.formats.loadfile import codec_of, overrides_of, require_file
from gaptrack.importers.qc import field_report
from gaptrack.importers.rows import TableWriter
from gaptrack.importers.run import Run
from gaptrack.models import PrivilegeEntry, Production, SourceKind
from gaptrack.service.lookup import resolve


class PrivilegeLogImporter:
    name = "privlog"
    kind = SourceKind.PRIVLOG
    target = "privilege-log"
    summary = ("Privilege log (CSV, or Excel .xlsx/.xls/.ods): date, author, recipients, "
               "description, privilege claimed")
    options = ("encoding", "map")

    def detect(self, path: Path) -> bool:
        suffix = path.suffix.lower()
        if not path.is_file():
            return False
        if suffix in privlog_format.EXCEL_SUFFIXES:
            return privlog_format.looks_like_excel_privilege_log(path)
        return suffix in (".csv", ".txt", ".tsv") and privlog_format.looks_like_privilege_log(
            path
        )

    def sources(self, path: Path) -> list[Path]:
        require_file(path)
        return [path]

    def prepare(self, path: Path, options: dict[str, Any]) -> nullcontext[None]:
        return nullcontext()

    def bulk(self, path: Path) -> bool:
        return False

    def rows(self, run: Run) -> Iterator[privlog_format.PrivilegeRow | LoadFileError]:
        overrides = overrides_of(run.option("map"))
        if run.path.suffix.lower() in privlog_format.EXCEL_SUFFIXES:
            codec = ""  # a workbook says its own encoding
        else:
            codec = codec_of(run.path, run.option("encoding"))
            run.report.encoding = run.inputs[0].encoding = codec
        self.log = privlog_format.reader_for(run.path, codec, overrides)
        return iter(self.log)

    def load(self, run: Run) -> None:
        """Read and check every entry (numbers new for the party); written by finish()."""
        report, session = run.report, run.session
        production = run.request.production
        run.production = resolve(session, Production, production) if production else None
        report.production = run.production.slug if run.production else None
        items = self.rows(run)
        taken = set(session.exec(
            select(PrivilegeEntry.entry_no).where(PrivilegeEntry.party_id == run.owner_id)
        ).all())
        seen: set[str] = set()
        self.entries: list[privlog_format.PrivilegeRow] = []
        for item in items:
            report.records += 1
            if isinstance(item, LoadFileError):
                run.bad(item)
                continue
            if item.entry_no in seen or item.entry_no in taken:
                where = "earlier in this file" if item.entry_no in seen else "already loaded"
                run.bad(LoadFileError(
                    f"duplicate entry number {item.entry_no!r} ({where})",
                    file=run.path, line=item.line, field=self.log.column_name("entry_no"),
                ))
                continue
            seen.add(item.entry_no)
            self.entries.append(item)
        if not self.entries:
            raise LoadFileError("no privilege-log entry could be loaded", file=run.path)
        fields = self.log.fields
        assert fields is not None
        report.fields = field_report(fields.columns, fields.mapping(), fields.unmapped, True, None)
        report.entries = len(self.entries)
        run.inputs[0].records = report.records

    def finish(self, run: Run) -> None:
        made = run.production
        out = TableWriter(run.conn)
        for entry in self.entries:
            out.add(PrivilegeEntry, {"party_id": run.owner_id,
                                     "production_id": made.id if made else None,
                                     "source_file_id": run.source_id, **entry.values()})
        out.flush()
