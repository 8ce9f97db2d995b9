"""Outlook's winmail.dat (TNEF): its files join the email's family beside the container, so
a copy of the same email another party produced with the files attached natively does not
make them look missing."""

from __future__ import annotations

import datetime as dt
from pathlib import Path

import pytest
import sqlalchemy as sa
from sqlalchemy.engine import Engine

from gaptrack.gaps.model import GapKind
from gaptrack.service import views
from gaptrack.service.cases import load_case_files
from gaptrack.service.intake import import_mail
from tests.builders.tnef import tnef
from tests.importers.builders import create_party, email, write_eml

pytest.importorskip("tnefparse", reason="the optional extra tnef (make setup installs it)")

FILES = [("agenda.pdf", b"%PDF-1.4 the agenda"), ("notes.docx", b"PK\x03\x04 the notes")]


def rows(engine: Engine, sql: str) -> list[tuple[object, ...]]:
    with engine.connect() as connection:
        return [tuple(r) for r in connection.execute(sa.text(sql)).all()]


def _winmail_copy(path: Path) -> Path:
    message = email(subject="Meeting", message_id="<tnef-1@kushner.example>")
    message.add_attachment(tnef(FILES, body="See attached."), maintype="application",
                           subtype="ms-tnef", filename="winmail.dat")
    return write_eml(path, message)


def test_winmail_dat_files_join_the_family(engine: Engine, tmp_path: Path) -> None:
    create_party(engine)
    report = import_mail(engine, _winmail_copy(tmp_path / "a.eml"), party="kushner",
                         production="K")
    assert report.documents == 4
    members = rows(engine, "SELECT title, md5 FROM document WHERE parent_id IS NOT NULL"
                           " ORDER BY id")
    import hashlib

    assert [m[0] for m in members] == ["winmail.dat", "agenda.pdf", "notes.docx"]
    assert members[1][1] == hashlib.md5(FILES[0][1]).hexdigest()


CASE = """
committees:
  - {slug: sjc, name: Senate Judiciary Committee, chamber: senate, thomas_id: SSJU}
parties:
  - {slug: kushner, name: Jared Kushner, addresses: [jared@kushner.example]}
  - {slug: official, name: Campaign Official, addresses: [official@campaign.example]}
requests:
  - slug: r1
    committee: sjc
    title: Request to Jared Kushner
    date_sent: 2017-10-01
    deadline: 2017-11-15
    to: [kushner]
    signatories:
      - {name: Pat Chair, role: Chairman}
    items:
      - {number: 1, text: Communications with campaign officials.}
"""


def test_native_copy_elsewhere_finds_nothing_missing(engine: Engine, tmp_path: Path) -> None:
    """The other party's copy has the files natively: Kushner's family, read through the
    container, holds them too (without the container's files it would lack both)."""
    (tmp_path / "case.yaml").write_text(CASE, encoding="utf-8")
    load_case_files(engine, [tmp_path / "case.yaml"])
    import_mail(engine, _winmail_copy(tmp_path / "a.eml"), party="kushner", production="K",
                received=dt.date(2017, 11, 1))
    native = email(subject="Meeting", message_id="<tnef-1@kushner.example>",
                   attachments=FILES)
    import_mail(engine, write_eml(tmp_path / "b.eml", native), party="official",
                production="O", received=dt.date(2017, 11, 1))
    views.clear_cache()
    found = [g.key for g in views.case_view(engine, as_of=dt.date(2017, 11, 16)).gaps
             if g.kind is GapKind.INCOMPLETE_FAMILY]
    assert found == []
