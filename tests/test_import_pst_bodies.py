"""PST items whose body is only compressed RTF, and items with an attached message (attach
method 5), in stores the tests write (tests/builders/pst.py): the RTF body's text is stored
and hashes like the EML copy's; the attached message, read from the bytes libpff gives for it
(gaptrack.importers.pstheap), is an email family member matching another party's copy."""

from __future__ import annotations

import datetime as dt
from pathlib import Path

import pytest
import sqlalchemy as sa
from compressed_rtf import compress
from sqlalchemy.engine import Engine

from gaptrack.importers import pstheap
from gaptrack.importers.mapi import PT_LONG, PT_SYSTIME, PT_UNICODE
from gaptrack.service.intake import import_path
from tests.builders.pst import Message, property_context, write_pst
from tests.builders.rtf import LINES, SENT, alices_eml, html_rtf
from tests.importers.builders import create_party

pytest.importorskip("pypff", reason="libpff-python (the optional 'pst' extra) is not installed")
BOB, ALICE, CAROL = ("Bob Baker", "bob@b.example"), ("Alice Able", "alice@a.example"), (
    "Carol Cole", "carol@c.example")
HEADERS = ("Received: from mx.b.example by mx.c.example; Thu, 2 Mar 2017 10:15:30 +0000\r\n"
           "From: Bob Baker <bob@b.example>\r\nTo: Alice Able <alice@a.example>\r\n"
           "Subject: Routes and permits\r\nDate: Thu, 02 Mar 2017 10:15:07 +0000\r\n"
           "Message-ID: <routes-7@b.example>\r\n\r\n")


def rows(engine: Engine, sql: str) -> list[tuple[object, ...]]:
    with engine.connect() as connection:
        return [tuple(r) for r in connection.execute(sa.text(sql)).all()]


def parties(engine: Engine) -> None:
    for slug, name, address in (("alice", *ALICE), ("bob", *BOB), ("carol", *CAROL)):
        create_party(engine, slug, name, [address])


def test_pst_message_with_only_an_rtf_body_matches_the_eml(
    engine: Engine, tmp_path: Path
) -> None:
    parties(engine)
    import_path(engine, alices_eml(tmp_path), party="alice", production="Alice 1")
    sent = Message("Routes and permits", BOB, [(*ALICE, 1)], SENT, rtf=compress(html_rtf()))
    store = write_pst(tmp_path / "bob" / "bob.pst", {"Sent Items": [sent]})
    report = import_path(engine, store, party="bob", production="Bob 1")
    assert report.kind == "pst" and report.documents == 1 and not report.header_problems
    pypff = pytest.importorskip("pypff")
    opened = pypff.file()
    opened.open(str(store))
    try:  # libpff's own getter gives the RTF decompressed, as gaptrack reads it
        item = opened.root_folder.get_sub_folder(0).get_sub_folder(0).get_sub_message(0)
        assert item.rtf_body.rstrip(b"\x00") == html_rtf() and item.plain_text_body is None
    finally:
        opened.close()
    got = rows(engine, "SELECT y.slug, d.text, d.body_hash, d.fingerprint FROM document d"
                       " JOIN party y ON y.id = d.party_id ORDER BY y.slug")
    alice, bob = got
    assert bob[1] == "\n".join(LINES)
    assert bob[2] is not None and bob[2] == alice[2]
    assert bob[3] is not None and bob[3] == alice[3]


def test_pst_attached_message_is_an_email_family_member_matching_the_eml(
    engine: Engine, tmp_path: Path
) -> None:
    parties(engine)
    import_path(engine, alices_eml(tmp_path), party="alice", production="Alice 1")
    original = Message("Routes and permits", BOB, [(*ALICE, 1)], SENT, body="\n".join(LINES),
                       headers=HEADERS, message_id="<routes-7@b.example>",
                       attachments=[("bids.pdf", b"%PDF-1.4 bids")])
    forward = Message("Fw: Routes and permits", CAROL, [(*ALICE, 1)],
                      SENT + dt.timedelta(hours=1), body="See attached.",
                      embedded=[("Routes and permits", original)])
    store = write_pst(tmp_path / "carol" / "carol.pst", {"Sent Items": [forward]})
    report = import_path(engine, store, party="carol", production="Carol 1")
    assert report.documents == 2  # the forward and the attached message
    family = rows(engine, "SELECT c.doc_type, c.sender, c.recipients, c.message_id,"
                          " c.date_sent, p.begin_label, c.native_path, c.text"
                          " FROM document c LEFT JOIN document p ON p.id = c.parent_id"
                          " WHERE c.bates_prefix = 'CAROL-1-' ORDER BY c.begin_label")
    top, attached = family
    assert top[:2] == ("email", "Carol Cole <carol@c.example>") and top[5] is None
    assert attached[:4] == ("email", "Bob Baker <bob@b.example>",
                            "Alice Able <alice@a.example>", "<routes-7@b.example>")
    assert str(attached[4]).startswith("2017-03-02 10:15:07")
    assert attached[5] == "CAROL-1-000001"
    assert attached[6] == "carol.pst#Top of Personal Folders/Sent Items/1/Routes and permits"
    assert attached[7] == "\n".join(LINES)
    # Its own attachment is out of libpff's reach: named in the QC report, not dropped unseen.
    assert [(p.field, "its own attachments are not read" in p.reason)
            for p in report.header_problems] == [("attachment", True)]
    copies = rows(engine, "SELECT mih, body_hash, fingerprint FROM document"
                          " WHERE message_id = '<routes-7@b.example>'")
    assert len(copies) == 2 and copies[0][0] is not None and copies[0][0] == copies[1][0]
    assert copies[0][2] is not None and copies[0][2] == copies[1][2]  # same fingerprint
    assert copies[0][1] is not None and copies[0][1] == copies[1][1]


def test_heap_reader_reads_a_property_context_and_refuses_other_bytes() -> None:
    data = property_context({0x0037: (PT_UNICODE, "Hello"), 0x0E07: (PT_LONG, 17),
                             0x0039: (PT_SYSTIME, SENT), 0x1000: (PT_UNICODE, "")})
    props = pstheap.properties(data)
    assert props[0x0037] == "Hello" and props[0x0E07] == 17 and props[0x0039] == SENT
    assert props[0x1000] == ""
    with pytest.raises(pstheap.HeapError, match="not a heap"):
        pstheap.properties(b"%PDF-1.4 not a heap at all")
    with pytest.raises(pstheap.HeapError):
        pstheap.properties(data[:40])  # cut short: the allocations point past the end
