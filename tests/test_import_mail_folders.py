"""Mail as it arrives: maildir folders, .txt and suffix-less messages, headers the email
package cannot parse, MBOX positions as lines, references that are not Message-IDs, and the
mapping child giving the same rows as this process."""

from __future__ import annotations

from pathlib import Path

import pytest
import sqlalchemy as sa
from sqlalchemy.engine import Engine

from gaptrack.errors import LoadFileError
from gaptrack.importers.mail import parse_message
from gaptrack.importers.mailfiles import mbox_messages
from gaptrack.service.intake import import_mail, import_path
from tests.importers.builders import create_party, email, write_eml, write_mbox

GROUP_TO = b"unlisted-recipients:; (no To-header on input)"


def rows(engine: Engine, sql: str) -> list[tuple[object, ...]]:
    with engine.connect() as connection:
        return [tuple(r) for r in connection.execute(sa.text(sql)).all()]


def group_syntax_message(subject: str = "Group syntax") -> bytes:
    """A message whose To header makes policy.default raise AttributeError."""
    message = bytes(email(subject=subject, message_id="<group-1@x.example>"))
    return message.replace(b"To: Campaign Official <official@campaign.example>",
                           b"To: " + GROUP_TO)


def maildir(root: Path) -> Path:
    """A maildir with messages in cur/ and new/ (':' in names), an empty tmp/, and the
    bookkeeping files a mail server leaves."""
    for sub in ("cur", "new", "tmp"):
        (root / sub).mkdir(parents=True)
    write_eml(root / "cur" / "1700000000.M1P1.host:2,S", email(message_id="<md-1@x.example>",
                                                                subject="Read one"))
    write_eml(root / "new" / "1700000001.M2P1.host", email(message_id="<md-2@x.example>",
                                                           subject="New one"))
    (root / "dovecot-uidlist").write_text("3 V1700000000 N3\n1 1700000000.M1P1.host\n")
    (root / "maildirfolder").write_bytes(b"")
    return root


def test_maildir_with_colons_loads_whole(engine: Engine, tmp_path: Path) -> None:
    create_party(engine)
    box = maildir(tmp_path / "Maildir")
    report = import_mail(engine, box, party="kushner", production="Maildir 1")
    assert report.records == 2 and report.documents == 2 and report.bad_count == 0
    subjects = {r[0] for r in rows(engine, "SELECT subject FROM document")}
    assert subjects == {"Read one", "New one"}
    paths = {str(r[0]) for r in rows(engine, "SELECT path FROM source_file")}
    assert any(p.endswith(":2,S") for p in paths) and len(paths) == 2


def test_txt_and_suffixless_files_are_mail(engine: Engine, tmp_path: Path) -> None:
    create_party(engine)
    text = write_eml(tmp_path / "saved message.txt", email(message_id="<txt-1@x.example>"))
    report = import_path(engine, text, party="kushner", production="Txt")  # detected
    assert report.kind == "mail" and report.documents == 1
    folder = tmp_path / "exports"
    folder.mkdir()
    write_eml(folder / "0001", email(message_id="<bare-1@x.example>", subject="No suffix"))
    (folder / "notes.txt").write_text("Shopping list\nmilk\n")  # not mail: left out
    report = import_mail(engine, folder, party="kushner", production="Bare")
    assert report.records == 1
    assert rows(engine, "SELECT subject FROM document WHERE message_id = '<bare-1@x.example>'") \
        == [("No suffix",)]


def test_group_syntax_header_kept_and_reported_in_strict_mode(
    engine: Engine, tmp_path: Path
) -> None:
    create_party(engine)
    box = tmp_path / "box.mbox"
    write_mbox(box, [email(message_id=f"<ok-{i}@x.example>") for i in range(2)])
    with box.open("ab") as handle:  # a third message, its To in group syntax
        handle.write(b"From MAILER-DAEMON Thu Sep 15 10:00:00 2016\n" + group_syntax_message()
                     + b"\n")
    separator_line = box.read_bytes().split(b"\n").index(
        b"From MAILER-DAEMON Thu Sep 15 10:00:00 2016") + 1
    report = import_mail(engine, box, party="kushner", production="Group")  # strict
    assert report.records == 3 and report.documents == 3 and report.bad_count == 0
    assert report.header_problem_count == 1
    problem = report.header_problems[0]
    assert problem.field == "To" and "AttributeError" in problem.reason
    assert problem.file == str(box) and problem.line is not None
    assert problem.line > separator_line  # the header's own line, after the separator
    lines = box.read_bytes().split(b"\n")
    assert lines[problem.line - 1].startswith(b"To: unlisted-recipients")
    assert any("To" in f and "kept as written" in f for f in report.findings)
    stored = rows(engine, "SELECT recipients FROM document WHERE message_id = "
                          "'<group-1@x.example>'")
    assert stored == [(GROUP_TO.decode(),)]


def test_mbox_positions_are_separator_lines(tmp_path: Path) -> None:
    box = write_mbox(tmp_path / "b.mbox", [email(message_id=f"<p{i}@x.example>")
                                             for i in range(3)])
    lines = box.read_bytes().split(b"\n")
    separators = [i + 1 for i, line in enumerate(lines) if line.startswith(b"From ")]
    found = [(number, line) for _, number, line in mbox_messages(box)]
    assert found == list(zip([1, 2, 3], separators, strict=True))


def test_mbox_message_read_leniently_at_its_separator_line(engine: Engine, tmp_path: Path) -> None:
    create_party(engine)
    box = write_mbox(tmp_path / "b.mbox", [email(message_id="<a@x.example>")])
    broken = (b"From x Thu Sep 15 10:00:00 2016\nFrom: a@b.example\nSubject: broken\n"
              b"Content-Type: multipart/mixed; boundary=\"zz\"\n\n--zz\n"
              b"Content-Type: text/plain; charset=utf-8\nContent-Transfer-Encoding: base64\n\n"
              b"@@@not base64@@@\n--zz--\n")
    before = len(box.read_bytes().split(b"\n"))
    with box.open("ab") as handle:
        handle.write(broken)
    parsed = list(mbox_messages(box))
    assert parsed[1][1:] == (2, before)
    # A body that decodes badly is still read (replacement characters), never a crash.
    message = parse_message(parsed[1][0], box, 2, before)
    assert message.subject == "broken" and message.line == before


def test_references_without_at_are_not_message_ids(engine: Engine, tmp_path: Path) -> None:
    create_party(engine)
    raw = bytes(email(message_id="<r1@x.example>", in_reply_to="<parent@x.example>"))
    raw = raw.replace(b"In-Reply-To: <parent@x.example>",
                      b"In-Reply-To: <parent@x.example> (Jane's message of Monday)\n"
                      b"References: <ticket-4711> <root@x.example> 12345")
    path = tmp_path / "r.eml"
    path.write_bytes(raw)
    message = parse_message(raw, path, 1)
    assert message.references == ["<root@x.example>"]
    assert message.in_reply_to == "<parent@x.example>"
    import_mail(engine, path, party="kushner", production="Refs")
    stored = {r[0] for r in rows(engine, "SELECT message_id FROM document_reference")}
    assert stored == {"<parent@x.example>", "<root@x.example>"}


def test_no_mail_in_folder_is_an_error(engine: Engine, tmp_path: Path) -> None:
    create_party(engine)
    folder = tmp_path / "empty"
    folder.mkdir()
    (folder / "readme.txt").write_text("nothing here\n")
    with pytest.raises(LoadFileError, match="no mail found"):
        import_mail(engine, folder, party="kushner", production="Nothing")


def test_mapping_child_writes_what_this_process_writes(engine: Engine, tmp_path: Path) -> None:
    create_party(engine)
    create_party(engine, slug="other", name="Other", addresses=())
    messages = [email(message_id=f"<c{i}@x.example>", subject=f"Message {i}",
                      attachments=[("a.txt", b"attached")] if i % 3 == 0 else ())
                for i in range(30)]
    box = write_mbox(tmp_path / "c.mbox", messages)
    with box.open("ab") as handle:
        handle.write(b"From MAILER-DAEMON Thu Sep 15 10:00:00 2016\n" + group_syntax_message()
                     + b"\n")
    for party, pipeline in (("kushner", True), ("other", False)):
        report = import_mail(engine, box, party=party, production=f"Child {party}",
                             bates_prefix=f"{party.upper()}-", pipeline=pipeline)
        assert report.records == 31 and report.documents == 41
        assert report.header_problem_count == 1 and report.attachments_linked == 10
    query = (
        "SELECT d.bates_begin, d.subject, d.message_id, d.md5, d.date_sent, d.source_line,"
        " d.title, d.fingerprint, p.bates_begin FROM document d"
        " JOIN party y ON y.id = d.party_id LEFT JOIN document p ON p.id = d.parent_id"
        " WHERE y.slug = '{}' ORDER BY d.bates_begin"
    )
    child, local = rows(engine, query.format("kushner")), rows(engine, query.format("other"))
    assert len(child) == 41 and child == local
    people = (
        "SELECT d.bates_begin, p.role, p.address, p.name FROM document_participant p"
        " JOIN document d ON d.id = p.document_id JOIN party y ON y.id = d.party_id"
        " WHERE y.slug = '{}' ORDER BY 1, 2, 3, 4"
    )
    assert rows(engine, people.format("kushner")) == rows(engine, people.format("other"))
