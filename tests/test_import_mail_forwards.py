"""Forward as attachment in RFC 5322 mail: a ``message/rfc822`` part (or a ``.eml`` file sent
as bytes) is an email family member of its own — participants, sent time, Message-ID,
fingerprint, body hash — matching the sender's own copy; nesting is bounded and an attached
message that is malformed is kept and reported while the outer message loads. Files are
written to disk by the tests and imported on both backends."""

from __future__ import annotations

from email import message_from_bytes, policy
from email.message import EmailMessage
from pathlib import Path
from types import SimpleNamespace

import pytest
import sqlalchemy as sa
from sqlalchemy.engine import Engine

from gaptrack.gaps.unify import group_copies
from gaptrack.importers import mimedepth
from gaptrack.service.intake import import_mail, import_path
from tests.builders.rtf import alices_eml
from tests.importers.builders import create_party, email, write_eml, write_mbox
from tests.support import copy_rows

BOB = "Bob Baker <bob@b.example>"
CAROL = "Carol Cole <carol@c.example>"
ROUTES = "<routes-7@b.example>"  # the Message-ID of Alice's copy (tests/builders/rtf.py)


def rows(engine: Engine, sql: str) -> list[tuple[object, ...]]:
    with engine.connect() as connection:
        return [tuple(r) for r in connection.execute(sa.text(sql)).all()]


def parties(engine: Engine) -> None:
    create_party(engine, "alice", "Alice Able", ["alice@a.example"])
    create_party(engine, "bob", "Bob Baker", ["bob@b.example"])
    create_party(engine, "carol", "Carol Cole", ["carol@c.example"])


def read(path: Path) -> EmailMessage:
    return message_from_bytes(path.read_bytes(), policy=policy.default)  # type: ignore[return-value]


def forward(inner: EmailMessage, name: str, *, sender: str = BOB, subject: str = "Fw: Routes",
            message_id: str = "<fw-1@b.example>") -> EmailMessage:
    """``inner`` forwarded as an attachment (``message/rfc822``), as mail clients do."""
    out = email(sender=sender, to=CAROL, subject=subject, body="See attached.",
                message_id=message_id)
    out.add_attachment(inner, filename=name)
    return out


def family(engine: Engine, prefix: str) -> list[tuple[object, ...]]:
    return rows(engine, "SELECT c.begin_label, c.doc_type, c.title, c.sender, c.message_id,"
                        " p.begin_label, c.native_path, c.date_sent"
                        " FROM document c LEFT JOIN document p ON p.id = c.parent_id"
                        f" WHERE c.bates_prefix = '{prefix}' ORDER BY c.begin_label")


def copies(engine: Engine, message_id: str) -> list[SimpleNamespace]:
    return copy_rows(engine, f"message_id = '{message_id}'")


def test_forward_as_attachment_is_an_email_matching_alices_copy(
    engine: Engine, tmp_path: Path
) -> None:
    parties(engine)
    alice = alices_eml(tmp_path)
    import_path(engine, alice, party="alice", production="Alice 1")
    (tmp_path / "bob").mkdir()
    fw = write_eml(tmp_path / "bob" / "fw.eml", forward(read(alice), "Routes and permits.eml"))
    report = import_path(engine, fw, party="bob", production="Bob 1")
    assert report.documents == 2 and report.header_problem_count == 0
    top, attached = family(engine, "BOB-1-")
    assert top[1:6] == ("email", None, BOB, "<fw-1@b.example>", None)
    assert attached[1:6] == ("email", "Routes and permits.eml", BOB, ROUTES, "BOB-1-000001")
    assert attached[6] == "fw.eml#1/Routes and permits.eml"
    assert str(attached[7]).startswith("2017-03-02 10:15:07")  # its own sent time
    people = rows(engine, "SELECT p.role, y.slug FROM document_participant p"
                          " JOIN document d ON d.id = p.document_id"
                          " JOIN party y ON y.id = p.party_id"
                          " WHERE d.begin_label = 'BOB-1-000002' ORDER BY p.role")
    assert people == [("sender", "bob"), ("to", "alice")]
    mine, forwarded = copies(engine, ROUTES)  # ALICE-1- sorts before BOB-1-
    assert mine.mih is not None and mine.mih == forwarded.mih
    assert mine.fingerprint is not None and mine.fingerprint == forwarded.fingerprint
    assert mine.body_hash is not None and mine.body_hash == forwarded.body_hash
    assert len(group_copies([mine, forwarded], lambda r: ())) == 1  # one email, two copies


def test_eml_file_sent_as_bytes_is_read_only_when_it_is_mail(
    engine: Engine, tmp_path: Path
) -> None:
    parties(engine)
    alice = alices_eml(tmp_path)
    out = email(sender=BOB, to=CAROL, subject="Two files", body="Both attached.",
                message_id="<two@b.example>")
    out.add_attachment(alice.read_bytes(), maintype="application", subtype="octet-stream",
                       filename="routes.eml")
    out.add_attachment(b"milk\neggs\n", maintype="application", subtype="octet-stream",
                       filename="shopping.eml")  # named .eml, not mail: stays a file
    report = import_path(engine, write_eml(tmp_path / "two.eml", out), party="bob",
                         production="Bob 1")
    assert report.documents == 3
    assert [r[1:5] for r in family(engine, "BOB-1-")] == [
        ("email", None, BOB, "<two@b.example>"),
        ("email", "routes.eml", BOB, ROUTES),
        ("attachment", "shopping.eml", None, None)]


def test_mbox_message_with_a_forward_two_levels_deep(engine: Engine, tmp_path: Path) -> None:
    parties(engine)
    alice = read(alices_eml(tmp_path))
    alice.add_attachment(b"%PDF-1.4 bids", maintype="application", subtype="pdf",
                         filename="bids.pdf")
    bobs = forward(alice, "Routes.eml")
    carols = forward(bobs, "Fw Routes.eml", sender=CAROL, subject="Fw: Fw: Routes",
                     message_id="<fw-2@c.example>")
    box = write_mbox(tmp_path / "carol.mbox", [email(message_id="<first@x.example>"), carols])
    report = import_mail(engine, box, party="carol", production="Carol 1")
    assert report.records == 2 and report.documents == 5 and report.header_problem_count == 0
    got = family(engine, "CAROL-1-")
    assert [r[1:6] for r in got] == [
        ("email", None, "Jared Kushner <jared@kushner.example>", "<first@x.example>", None),
        ("email", None, CAROL, "<fw-2@c.example>", None),
        ("email", "Fw Routes.eml", BOB, "<fw-1@b.example>", "CAROL-1-000002"),
        ("email", "Routes.eml", BOB, ROUTES, "CAROL-1-000003"),
        ("attachment", "bids.pdf", None, None, "CAROL-1-000004")]
    assert got[4][6] == "carol.mbox#2/Fw Routes.eml/Routes.eml/bids.pdf"


def test_malformed_attached_messages_are_kept_and_reported(
    engine: Engine, tmp_path: Path
) -> None:
    parties(engine)
    bare = "This forward lost its headers on the way."
    bad_date = (b"From: Bob Baker <bob@b.example>\n"
                b"To: unlisted-recipients:; (no To-header on input)\n"
                b"Subject: Undated\nDate: sometime last week\nMessage-ID: <undated@b.example>\n"
                b"\nNo usable date on this one.\n")
    raw = (f"From: {CAROL}\nTo: {BOB}\nSubject: Odd forwards\nMessage-ID: <odd@c.example>\n"
           "Date: Thu, 02 Mar 2017 11:00:00 +0000\nMIME-Version: 1.0\n"
           "Content-Type: multipart/mixed; boundary=XX\n\n--XX\nContent-Type: text/plain\n\n"
           f"Two odd ones.\n--XX\nContent-Type: message/rfc822\n\n{bare}\n"
           "--XX\nContent-Type: message/rfc822\n\n").encode() + bad_date + b"--XX--\n"
    path = tmp_path / "odd.eml"
    path.write_bytes(raw)
    report = import_mail(engine, path, party="carol", production="Carol 1")  # strict
    assert report.records == 1 and report.documents == 3 and report.bad_count == 0
    got = family(engine, "CAROL-1-")
    assert [r[1:6] for r in got] == [
        ("email", None, CAROL, "<odd@c.example>", None),
        ("email", "(forwarded message)", None, None, "CAROL-1-000001"),
        ("email", "(forwarded message)", BOB, "<undated@b.example>", "CAROL-1-000001")]
    assert got[2][7] is None  # the date that is not one: no sent time, the text kept
    assert rows(engine, "SELECT recipients FROM document"
                        " WHERE message_id = '<undated@b.example>'") \
        == [("unlisted-recipients:; (no To-header on input)",)]
    lines = raw.split(b"\n")
    problems = {(p.field, lines[p.line - 1].split(b":")[0].decode()): p.reason
                for p in report.header_problems if p.line is not None}
    assert all(p.file == str(path) for p in report.header_problems)
    assert len(report.header_problems) == report.header_problem_count == 3
    assert "no header fields" in problems[("attachment", bare.split(":")[0])]
    assert "AttributeError" in problems[("To", "To")]  # the library's parser fails on it
    assert "kept as written" in problems[("To", "To")]
    assert "not a date" in problems[("Date", "Date")]
    assert "in attached message '(forwarded message)'" in problems[("Date", "Date")]


def test_attached_messages_nested_too_deep_are_cut_and_reported(
    engine: Engine, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    parties(engine)
    monkeypatch.setattr(mimedepth, "MAX_MIME_DEPTH", 2)  # the real limit (100): a slow file
    inner = read(alices_eml(tmp_path))
    for level in range(3):  # each forward adds a multipart level and an rfc822 level
        inner = forward(inner, f"level {level}.eml", message_id=f"<fw-{level}@b.example>")
    path = write_eml(tmp_path / "deep.eml", inner)
    report = import_mail(engine, path, party="bob", production="Bob 1")
    # depth 2 = one multipart level + one attached message: the outermost attached forward
    # is read, the one inside it (depth 4) kept by name, as a file
    assert [r[1:3] for r in family(engine, "BOB-1-")] == [
        ("email", None), ("email", "level 2.eml"), ("attachment", "level 1.eml")]
    assert any("deep.eml:1" in f for f in report.findings)
