"""Outlook's own files as importers: PST/OST stores and single ``.msg`` items.

Both are mail imports: the messages go through the mail importer's reading loop, mapping
(:func:`~gaptrack.importers.mapping.map_mail`: participants, Message-ID, references,
fingerprint, attachments as family members), Bates numbering and QC; only the reader differs
(:mod:`gaptrack.importers.pstfile`, :mod:`gaptrack.importers.msgfile`, both giving the
:class:`~gaptrack.importers.mail.MailMessage` an EML gives). Items that are not mail are
skipped and counted in the QC report.
"""

from __future__ import annotations

from pathlib import Path

from gaptrack.errors import LoadFileError
from gaptrack.importers.formats.mailbox import MailImporter
from gaptrack.importers.msgfile import is_msg, msg_files, read_msg
from gaptrack.importers.pstfile import binding, is_pst, pst_files, read_pst
from gaptrack.models import SourceKind


class PstImporter(MailImporter):
    name = "pst"
    kind = SourceKind.PST
    summary = ("Outlook PST/OST stores: every folder, attachments as family members "
               "(needs the extra: pip install 'gaptrack[pst]')")
    reader = staticmethod(read_pst)

    def detect(self, path: Path) -> bool:
        if path.is_dir():
            return any(is_pst(p) for p in path.rglob("*") if p.is_file())
        return is_pst(path)

    def sources(self, path: Path) -> list[Path]:
        binding()  # before anything else: without the extra, say how to install it
        files = pst_files(path)
        if not files:
            raise LoadFileError("no PST or OST file found", file=path)
        return files


class MsgImporter(MailImporter):
    name = "msg"
    kind = SourceKind.MSG
    summary = "Outlook .msg items: one file or a folder of them, attachments as family members"
    reader = staticmethod(read_msg)

    def detect(self, path: Path) -> bool:
        if path.is_dir():
            return any(is_msg(p) for p in path.rglob("*") if p.is_file())
        return is_msg(path)

    def sources(self, path: Path) -> list[Path]:
        files = msg_files(path)
        if not files:
            raise LoadFileError("no Outlook .msg item found", file=path)
        return files
