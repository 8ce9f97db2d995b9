"""Outlook items whose body is only compressed RTF, and items with an attached message
(attach method 5), as .msg files the tests write (tests/builders/msg.py): the RTF body's text
is stored and hashes like the EML copy's body; the attached message is an email family member
with its own participants, date, Message-ID and fingerprint, matching another party's copy."""

from __future__ import annotations

import datetime as dt
from pathlib import Path

import pytest
import sqlalchemy as sa
from compressed_rtf import compress
from sqlalchemy.engine import Engine

from gaptrack.gaps.unify import group_copies
from gaptrack.importers import mapi
from gaptrack.importers.rtfbody import rtf_body_text
from gaptrack.service.intake import import_path
from tests.builders.msg import Msg, write_msg
from tests.builders.rtf import LINES, SENT, alices_eml, html_rtf
from tests.importers.builders import create_party
from tests.support import copy_rows

BOB, ALICE, CAROL = ("Bob Baker", "bob@b.example"), ("Alice Able", "alice@a.example"), (
    "Carol Cole", "carol@c.example")
def rows(engine: Engine, sql: str) -> list[tuple[object, ...]]:
    with engine.connect() as connection:
        return [tuple(r) for r in connection.execute(sa.text(sql)).all()]


def parties(engine: Engine) -> None:
    create_party(engine, "alice", "Alice Able", ["alice@a.example"])
    create_party(engine, "bob", "Bob Baker", ["bob@b.example"])
    create_party(engine, "carol", "Carol Cole", ["carol@c.example"])


def test_rtf_helper_reads_both_variants_and_refuses_a_bad_crc() -> None:
    plain = b"{\\rtf1\\ansi\\ansicpg1252\\fromtext \\deff0 Caf\\'e9 menu\\par second}"
    assert rtf_body_text(compress(plain)) == "Café menu\nsecond"  # LZFu
    assert rtf_body_text(compress(plain, compressed=False)) == "Café menu\nsecond"  # MELA
    assert rtf_body_text(plain + b"\x00") == "Café menu\nsecond"  # as libpff's rtf_body gives
    assert rtf_body_text(compress(html_rtf())) == "\n".join(LINES)
    broken = bytearray(compress(plain))
    broken[20] ^= 0xFF
    try:
        rtf_body_text(bytes(broken))
    except ValueError as exc:
        assert "CRC" in str(exc)
    else:
        raise AssertionError("a bad CRC was read")


def test_msg_with_only_an_rtf_body_stores_its_text_and_matches_the_eml(
    engine: Engine, tmp_path: Path
) -> None:
    parties(engine)
    import_path(engine, alices_eml(tmp_path), party="alice", production="Alice 1")
    sent = Msg("Routes and permits", BOB, [(*ALICE, 1)], SENT, rtf=compress(html_rtf()))
    report = import_path(engine, write_msg(tmp_path / "bob" / "routes.msg", sent),
                         party="bob", production="Bob 1")
    assert report.documents == 1 and not report.header_problems
    got = rows(engine, "SELECT y.slug, d.text, d.body_hash, d.fingerprint FROM document d"
                       " JOIN party y ON y.id = d.party_id ORDER BY y.slug")
    assert [r[0] for r in got] == ["alice", "bob"]
    alice, bob = got
    assert bob[1] == "\n".join(LINES)  # the RTF body's text, stored and searchable
    assert bob[2] is not None and bob[2] == alice[2]  # one body hash for both copies
    assert bob[3] is not None and bob[3] == alice[3]


def test_unreadable_rtf_body_keeps_the_message_and_says_so(
    engine: Engine, tmp_path: Path
) -> None:
    parties(engine)
    broken = bytearray(compress(html_rtf()))
    broken[30] ^= 0xFF
    sent = Msg("Routes and permits", BOB, [(*ALICE, 1)], SENT, rtf=bytes(broken))
    report = import_path(engine, write_msg(tmp_path / "routes.msg", sent),
                         party="bob", production="Bob 1")
    assert report.documents == 1
    assert [(p.field, "CRC" in p.reason) for p in report.header_problems] == [
        ("PR_RTF_COMPRESSED", True)]
    assert rows(engine, "SELECT subject, text FROM document") == [("Routes and permits", None)]


def forwarded(tmp_path: Path, depth: int = 1) -> Path:
    """Carol forwards Bob's message to Alice as an attached item (the original has its
    transport headers and its own attachment), ``depth`` attached messages deep."""
    headers = ("Received: from mx.b.example by mx.c.example; Thu, 2 Mar 2017 10:15:30 +0000\r\n"
               "From: Bob Baker <bob@b.example>\r\nTo: Alice Able <alice@a.example>\r\n"
               "Subject: Routes and permits\r\nDate: Thu, 02 Mar 2017 10:15:07 +0000\r\n"
               "Message-ID: <routes-7@b.example>\r\n\r\n")
    inner = Msg("Routes and permits", BOB, [(*ALICE, 1)], SENT, body="\n".join(LINES),
                headers=headers, attachments=[("bids.pdf", b"%PDF-1.4 bids")])
    for level in range(depth):
        inner = Msg(f"Fw: level {level}" if level else "Fw: Routes and permits", CAROL,
                    [(*ALICE, 1)], SENT + dt.timedelta(hours=1 + level), body="See attached.",
                    embedded=[("Routes and permits", inner)])
    return write_msg(tmp_path / "carol" / "fw.msg", inner)


def test_attached_message_is_an_email_family_member_matching_the_eml(
    engine: Engine, tmp_path: Path
) -> None:
    parties(engine)
    import_path(engine, alices_eml(tmp_path), party="alice", production="Alice 1")
    report = import_path(engine, forwarded(tmp_path), party="carol", production="Carol 1")
    assert report.documents == 3  # the forward, the attached message, its attachment
    family = rows(engine, "SELECT c.begin_label, c.doc_type, c.title, c.sender, c.recipients,"
                          " c.message_id, c.date_sent, p.begin_label, c.native_path"
                          " FROM document c LEFT JOIN document p ON p.id = c.parent_id"
                          " WHERE c.bates_prefix = 'CAROL-1-' ORDER BY c.begin_label")
    assert [r[:3] for r in family] == [("CAROL-1-000001", "email", None),
                                       ("CAROL-1-000002", "email", "Routes and permits"),
                                       ("CAROL-1-000003", "attachment", "bids.pdf")]
    top, attached, bids = family
    assert top[3] == "Carol Cole <carol@c.example>" and top[7] is None
    assert attached[3:6] == ("Bob Baker <bob@b.example>", "Alice Able <alice@a.example>",
                             "<routes-7@b.example>")
    assert str(attached[6]).startswith("2017-03-02 10:15:07")
    assert attached[7] == "CAROL-1-000001" and bids[7] == "CAROL-1-000002"
    assert attached[8] == "fw.msg#1/Routes and permits"
    people = rows(engine, "SELECT p.role, y.slug FROM document_participant p"
                          " JOIN document d ON d.id = p.document_id"
                          " JOIN party y ON y.id = p.party_id"
                          " WHERE d.begin_label = 'CAROL-1-000002' ORDER BY p.role")
    assert people == [("sender", "bob"), ("to", "alice")]
    emails = rows(engine, "SELECT mih, body_hash, fingerprint, date_sent FROM document"
                          " WHERE message_id = '<routes-7@b.example>'")
    assert len(emails) == 2 and emails[0][2] is not None and emails[0][2] == emails[1][2]
    assert emails[0][1] is not None and emails[0][1] == emails[1][1]
    found = copy_rows(engine, "message_id = '<routes-7@b.example>'")
    assert len(group_copies(found, lambda r: ())) == 1  # one email, two parties' copies


def test_attached_messages_nested_too_deep_are_cut_and_reported(
    engine: Engine, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    parties(engine)
    monkeypatch.setattr(mapi, "MAX_EMBEDDED_DEPTH", 2)  # the real limit (100): a slow file
    report = import_path(engine, forwarded(tmp_path, depth=4), party="carol",
                         production="Carol 1")
    kinds = rows(engine, "SELECT doc_type, title FROM document ORDER BY begin_label")
    # the forward and two attached messages read; the third kept by name, as a file
    assert kinds == [("email", None), ("email", "Routes and permits"),
                     ("email", "Routes and permits"),
                     ("attachment", "Routes and permits")]
    assert any("fw.msg:1" in f for f in report.findings)
