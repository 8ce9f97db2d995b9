"""Outlook .msg items: files the tests write as compound files ([MS-CFB], tests/builders),
read through the mail mapping; a sent copy without transport headers matches the
recipient's EML copy; a damaged file is a clean error naming it."""

from __future__ import annotations

import datetime as dt
from pathlib import Path

import olefile
import pytest
import sqlalchemy as sa
from sqlalchemy.engine import Engine

from gaptrack.errors import LoadFileError
from gaptrack.gaps.unify import group_copies
from gaptrack.service.intake import import_path
from tests.builders import cfb
from tests.builders.msg import Msg, write_msg
from tests.importers.builders import create_party, email, write_eml
from tests.support import cli as gaptrack
from tests.support import copy_rows

SENT = dt.datetime(2017, 1, 5, 17, 0, 4)
BOB = ("Bob Baker", "bob@b.example")
TO = [("Alice Able", "alice@a.example", 1), ("Carol Cole", "carol@c.example", 2)]
BODY = "Three routes for the pipeline are on the table.\r\nPick one by Friday."


def rows(engine: Engine, sql: str) -> list[tuple[object, ...]]:
    with engine.connect() as connection:
        return [tuple(r) for r in connection.execute(sa.text(sql)).all()]


def parties(engine: Engine) -> None:
    create_party(engine, "alice", "Alice Able", ["alice@a.example"])
    create_party(engine, "bob", "Bob Baker", ["bob@b.example"])


def sent_copy(**changes: object) -> Msg:
    """Bob's Sent Items copy: no transport headers, no Message-ID."""
    values: dict[str, object] = dict(subject="Route options", sender=BOB, recipients=TO,
                                     sent=SENT, body=BODY,
                                     attachments=[("routes.pdf", b"%PDF-1.4 routes")])
    values.update(changes)
    return Msg(**values)  # type: ignore[arg-type]


def alices_copy(tmp_path: Path) -> Path:
    (tmp_path / "alice").mkdir()
    return write_eml(tmp_path / "alice" / "route.eml", email(
        sender="Bob Baker <bob@b.example>", to="Alice Able <alice@a.example>",
        cc="Carol Cole <carol@c.example>", subject="Route options", body=BODY,
        message_id="<route-1@b.example>", date=SENT.replace(second=31, tzinfo=dt.UTC)))


def test_cfb_writer_gives_files_olefile_reads_strictly(tmp_path: Path) -> None:
    tree: cfb.Tree = {"small": b"abc", "big": bytes(range(256)) * 20,
                      "edge": b"e" * 4095, "box": {"inner": b"x" * 70, "empty": {}}}
    path = tmp_path / "t.cfb"
    path.write_bytes(cfb.build(tree))
    with olefile.OleFileIO(str(path), raise_defects=olefile.DEFECT_INCORRECT) as ole:
        assert sorted(ole.listdir(streams=True, storages=True)) == [
            ["big"], ["box"], ["box", "empty"], ["box", "inner"], ["edge"], ["small"]]
        assert ole.openstream("small").read() == b"abc"
        assert ole.openstream("big").read() == bytes(range(256)) * 20  # its own sectors
        assert ole.openstream("edge").read() == b"e" * 4095  # the mini stream's largest
        assert ole.openstream("box/inner").read() == b"x" * 70
        assert ole.get_type("box/empty") == olefile.STGTY_STORAGE


def test_sent_msg_without_headers_matches_the_recipients_eml(
    engine: Engine, tmp_path: Path
) -> None:
    parties(engine)
    import_path(engine, alices_copy(tmp_path), party="alice", production="Alice 1")
    msg = write_msg(tmp_path / "bob" / "route.msg", sent_copy())
    report = import_path(engine, msg.parent, party="bob", production="Bob 1")  # detected
    assert report.kind == "msg" and report.documents == 2
    sent = rows(engine, "SELECT sender, recipients, cc, subject, date_sent, message_id,"
                        " doc_type, native_path, text FROM document"
                        " WHERE begin_label = 'BOB-1-000001'")[0]
    assert sent[:4] == ("Bob Baker <bob@b.example>", "Alice Able <alice@a.example>",
                        "Carol Cole <carol@c.example>", "Route options")
    assert str(sent[4]).startswith("2017-01-05 17:00:04") and sent[5] is None
    assert sent[6:8] == ("email", "route.msg#1")
    assert sent[8] == BODY.replace("\r\n", "\n")
    child = rows(engine, "SELECT c.doc_type, c.title, p.begin_label FROM document c"
                         " JOIN document p ON p.id = c.parent_id"
                         " WHERE c.begin_label = 'BOB-1-000002'")
    assert child == [("attachment", "routes.pdf", "BOB-1-000001")]
    people = rows(engine, "SELECT p.role, y.slug FROM document_participant p"
                          " JOIN document d ON d.id = p.document_id"
                          " LEFT JOIN party y ON y.id = p.party_id"
                          " WHERE d.begin_label = 'BOB-1-000001' ORDER BY p.role, p.address")
    assert ("sender", "bob") in people and ("to", "alice") in people
    emails = rows(engine, "SELECT mih, body_hash, fingerprint, date_sent, begin_label"
                          " FROM document WHERE doc_type = 'email'")
    assert len(emails) == 2 and emails[0][2] is not None and emails[0][2] == emails[1][2]
    found = copy_rows(engine, "doc_type = 'email'")
    assert len(group_copies(found, lambda r: ())) == 1  # one email, two copies


def test_msg_with_transport_headers_reads_them(engine: Engine, tmp_path: Path) -> None:
    parties(engine)
    headers = ("Received: from mx.a.example by a.example; Thu, 5 Jan 2017 17:00:31 +0000\r\n"
               "From: \"Baker, Bob\" <bob@b.example>\r\nTo: Alice Able <alice@a.example>\r\n"
               "Subject: =?utf-8?q?Route_options_=E2=80=94_draft?=\r\n"
               "Date: Thu, 05 Jan 2017 12:00:31 -0500\r\nMessage-ID: <route-1@b.example>\r\n"
               "In-Reply-To: <ask-1@a.example>\r\nMIME-Version: 1.0\r\n"
               "Content-Type: multipart/mixed; boundary=\"b1\"\r\n\r\n")
    received = sent_copy(headers=headers, subject="ignored: the headers win", attachments=[],
                         recipients=[("Alice Able", "alice@a.example", 1)])
    path = write_msg(tmp_path / "in.msg", received)
    report = import_path(engine, path, party="alice", production="Alice MSG")
    assert report.documents == 1
    got = rows(engine, "SELECT sender, recipients, cc, subject, date_sent, message_id, mih"
                       " FROM document")[0]
    assert got[:4] == ('"Baker, Bob" <bob@b.example>', "Alice Able <alice@a.example>", None,
                       "Route options — draft")
    assert str(got[4]).startswith("2017-01-05 17:00:31")
    assert got[5] == "<route-1@b.example>" and got[6] is not None
    refs = rows(engine, "SELECT r.message_id FROM document_reference r")
    assert refs == [("<ask-1@a.example>",)]


def test_non_mail_items_are_skipped_and_counted_and_other_mail_named(
    engine: Engine, tmp_path: Path
) -> None:
    parties(engine)
    folder = tmp_path / "items"
    write_msg(folder / "a.msg", sent_copy())
    write_msg(folder / "b.msg", sent_copy(item_class="IPM.Contact", attachments=[]))
    write_eml(folder / "c.eml", email())  # mail of another format: named, not read
    report = import_path(engine, folder, party="bob", format="msg", production="Bob 2")
    assert report.documents == 2  # the message and its attachment
    assert "1 items that are not mail were skipped (IPM.Contact 1)" in report.findings
    assert any(f.startswith("1 files in the folder hold mail of another format and were not "
                            "read as msg: c.eml") for f in report.findings)


def test_damaged_msg_is_a_clean_error_naming_the_file(engine: Engine, tmp_path: Path,
                                                      db_url: str) -> None:
    parties(engine)
    good = cfb.build({"__properties_version1.0": b"\x00" * 32})
    path = tmp_path / "broken.msg"
    path.write_bytes(good[:520] + b"\xff" * 100)  # the header, then nothing it points to
    with pytest.raises(LoadFileError) as caught:
        import_path(engine, path, party="bob", production="Bob 3")
    assert "broken.msg" in str(caught.value) and "cannot read the Outlook item" in str(
        caught.value)
    assert rows(engine, "SELECT count(*) FROM document") == [(0,)]
    assert rows(engine, "SELECT count(*) FROM production") == [(0,)]
    done = gaptrack(db_url, "import", "msg", str(path), "--party", "bob")
    assert done.returncode == 2 and "Traceback" not in done.stderr
    assert done.stderr.startswith("error: ") and "broken.msg" in done.stderr
