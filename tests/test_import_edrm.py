"""EDRM XML 1.2 load files: tags mapped like load-file fields, text files, attachments."""

from __future__ import annotations

from pathlib import Path

import pytest
import sqlalchemy as sa
from sqlalchemy.engine import Engine

from gaptrack.errors import LoadFileError
from gaptrack.service.intake import import_path
from tests.importers.builders import create_party

XML = """<?xml version="1.0" encoding="UTF-8"?>
<Root DataInterchangeType="Update" Description="Volume 3">
  <Batch name="VOL003">
    <Documents>
      <Document DocID="D1" DocType="Message" MimeType="message/rfc822">
        <Tags>
          <Tag TagName="#BegBates" TagDataType="Text" TagValue="EDR0000001"/>
          <Tag TagName="#EndBates" TagDataType="Text" TagValue="EDR0000002"/>
          <Tag TagName="#From" TagDataType="Text"
               TagValue="Jared Kushner &lt;jared@kushner.example&gt;"/>
          <Tag TagName="#To" TagDataType="Text"
               TagValue="Zoë Adviser &lt;zoe@campaign.example&gt;"/>
          <Tag TagName="#Subject" TagDataType="Text" TagValue="FW: Wikileaks"/>
          <Tag TagName="#DateSent" TagDataType="DateTime" TagValue="2016-09-16T14:31:00Z"/>
          <Tag TagName="#MessageID" TagDataType="Text" TagValue="&lt;wl-1@kushner.example&gt;"/>
          <Tag TagName="#Custodian" TagDataType="Text" TagValue="Kushner, Jared"/>
        </Tags>
        <Files>
          <File FileType="Text"><ExternalFile FilePath="TEXT" FileName="D1.txt"/></File>
          <File FileType="Native"><ExternalFile FilePath="NATIVE" FileName="D1.msg"/></File>
        </Files>
      </Document>
      <Document DocID="D2" DocType="File" MimeType="application/pdf">
        <Tags>
          <Tag TagName="#BegBates" TagDataType="Text" TagValue="EDR0000003"/>
          <Tag TagName="#EndBates" TagDataType="Text" TagValue="EDR0000003"/>
          <Tag TagName="#FileName" TagDataType="Text" TagValue="invite.pdf"/>
        </Tags>
      </Document>
      <Document DocID="D3" DocType="File">
        <Tags>
          <Tag TagName="#BegBates" TagDataType="Text" TagValue="EDR0000004"/>
          <Tag TagName="#Subject" TagDataType="Text" TagValue="Memo"/>
        </Tags>
      </Document>
    </Documents>
    <Relationships>
      <Relationship Type="Attachment" ParentDocID="D1" ChildDocID="D2"/>
    </Relationships>
  </Batch>
</Root>
"""


def rows(engine: Engine, sql: str) -> list[tuple[object, ...]]:
    with engine.connect() as connection:
        return [tuple(r) for r in connection.execute(sa.text(sql)).all()]


def test_edrm_xml(engine: Engine, tmp_path: Path) -> None:
    create_party(engine)
    (tmp_path / "TEXT").mkdir()
    (tmp_path / "TEXT" / "D1.txt").write_text("See the WikiLeaks note below.", encoding="utf-8")
    path = tmp_path / "vol003.xml"
    path.write_text(XML, encoding="utf-8")
    report = import_path(engine, path, party="kushner", production="Vol 3")  # detected
    assert report.kind == "edrm" and report.documents == 3 and report.bad_count == 0
    assert report.attachments_linked == 1
    docs = rows(engine, "SELECT d.begin_label, d.end_label, d.subject, d.message_id,"
                        " d.custodian, d.text, d.native_path, d.source_line, p.begin_label"
                        " FROM document d LEFT JOIN document p ON p.id = d.parent_id"
                        " ORDER BY d.bates_begin")
    assert docs[0][:8] == ("EDR0000001", "EDR0000002", "FW: Wikileaks", "<wl-1@kushner.example>",
                           "Kushner, Jared", "See the WikiLeaks note below.", "NATIVE/D1.msg", 5)
    assert docs[1][0] == "EDR0000003" and docs[1][8] == "EDR0000001"  # the attachment
    assert docs[2][:3] == ("EDR0000004", "EDR0000004", "Memo")
    sent = rows(engine, "SELECT date_sent FROM document WHERE begin_label = 'EDR0000001'")
    assert str(sent[0][0]).startswith("2016-09-16 14:31")
    people = rows(engine, "SELECT p.role, p.address FROM document_participant p JOIN document d"
                          " ON d.id = p.document_id WHERE d.begin_label = 'EDR0000001'"
                          " ORDER BY p.role, p.address")
    assert ("forwarded", "jared@kushner.example") in people


def test_malformed_edrm_xml_names_the_line(engine: Engine, tmp_path: Path) -> None:
    create_party(engine)
    path = tmp_path / "bad.xml"
    path.write_text(XML.replace("</Documents>", "</Document>"), encoding="utf-8")
    with pytest.raises(LoadFileError) as raised:
        import_path(engine, path, party="kushner", format="edrm")
    assert raised.value.line is not None and "XML" in str(raised.value)
    assert rows(engine, "SELECT count(*) FROM production") == [(0,)]
