"""EML and MBOX intake: multipart bodies, RFC 2047 headers, missing Message-IDs, forwards."""

from __future__ import annotations

import datetime as dt
from pathlib import Path

import pytest
import sqlalchemy as sa
from sqlalchemy.engine import Engine

from gaptrack.errors import LoadFileError
from gaptrack.importers.mail import parse_message
from gaptrack.matching import edrm_mih
from gaptrack.service.intake import import_mail
from tests.importers.builders import (
    FORWARDED_BODY,
    create_party,
    email,
    write_eml,
    write_mbox,
)
from tests.support import cli, table_snapshot


def rows(engine: Engine, sql: str) -> list[tuple[object, ...]]:
    with engine.connect() as connection:
        return [tuple(r) for r in connection.execute(sa.text(sql)).all()]


def participants(engine: Engine, label: str) -> set[tuple[str, str]]:
    return {
        (str(r[0]), str(r[1] or r[2]))
        for r in rows(
            engine,
            "SELECT p.role, p.address, p.name FROM document_participant p JOIN document d"
            f" ON d.id = p.document_id WHERE d.begin_label = '{label}'",
        )
    }


def test_parse_multipart_prefers_plain_and_decodes_rfc2047(tmp_path: Path) -> None:
    message = email(
        sender="=?utf-8?q?Zo=C3=AB_Adviser?= <zoe@campaign.example>",
        subject="=?utf-8?b?UmU6IERpbm5lciBpbnZpdGUg4oCU?=",
        body="Plain text body.",
        html="<p>HTML <b>body</b></p>",
    )
    parsed = parse_message(bytes(message), tmp_path / "x.eml", 1)
    assert parsed.sender == "Zoë Adviser <zoe@campaign.example>"
    assert parsed.subject == "Re: Dinner invite —"
    assert parsed.text.strip() == "Plain text body."
    assert parsed.date == dt.datetime(2016, 9, 16, 14, 31)


def test_parse_html_only_is_stripped(tmp_path: Path) -> None:
    message = email(body="", html="")
    message.clear_content()
    message.set_content("<html><head><style>p{}</style></head><body><p>Hello &amp; bye</p>"
                        "<br>next</body></html>", subtype="html")
    parsed = parse_message(bytes(message), tmp_path / "h.eml", 1)
    assert parsed.text == "Hello & bye\n\nnext"


def test_import_folder_of_eml(engine: Engine, tmp_path: Path) -> None:
    create_party(engine)
    folder = tmp_path / "mail"
    folder.mkdir()
    write_eml(folder / "1.eml", email(
        subject="Fwd: Wikileaks", body=FORWARDED_BODY,
        attachments=[("a.pdf", b"%PDF-1"), ("b.pdf", b"%PDF-2")],
    ))
    write_eml(folder / "2.eml", email(
        sender="=?utf-8?q?Sergei_Millian?= <sm@example.ru>",
        to="Jared Kushner <jared@kushner.example>",
        subject="=?utf-8?q?Dinner_invite?=", message_id=None, body="Join us.",
    ))
    report = import_mail(engine, folder, party="kushner", production="Kushner Mail 1")
    assert report.records == 2 and report.documents == 4
    assert report.attachments_linked == 2
    docs = rows(engine, "SELECT begin_label, parent_id, doc_type, subject, message_id, mih,"
                        " body_hash, fingerprint, title FROM document ORDER BY bates_begin")
    labels = [d[0] for d in docs]
    assert labels == [f"KUSHNER-MAIL-1-{n:06d}" for n in range(1, 5)]
    parent_id = rows(engine, f"SELECT id FROM document WHERE begin_label = '{labels[0]}'")[0][0]
    assert [d[1] for d in docs] == [None, parent_id, parent_id, None]
    assert [d[2] for d in docs] == ["email", "attachment", "attachment", "email"]
    assert docs[0][5] == edrm_mih("<wl-9@kushner.example>")
    assert docs[0][7] is not None  # its own text is short: no body hash (MIN_BODY_CHARS)
    assert docs[0][6] is None
    assert [d[8] for d in docs[1:3]] == ["a.pdf", "b.pdf"]
    # The missing Message-ID is allowed: no MIH, but a fingerprint.
    assert docs[3][3] == "Dinner invite" and docs[3][4] is None and docs[3][5] is None
    assert docs[3][7] is not None
    people = participants(engine, labels[0])
    assert ("forwarded", "jared@kushner.example") in people
    assert ("quoted", "contact@wl.example") in people
    assert ("quoted", "djt@campaign.example") in people
    meta = report.email_metadata
    assert meta is not None and meta.missing_message_id == 1


def test_mbox_numbering_continues_and_reload_is_a_no_op(engine: Engine, tmp_path: Path) -> None:
    create_party(engine)
    first = write_mbox(tmp_path / "a.mbox", [
        email(message_id=f"<m{i}@x.example>", subject=f"Message {i}") for i in range(3)
    ])
    report = import_mail(engine, first, party="kushner", production="Box A",
                         bates_prefix="KJ-")
    assert report.documents == 3
    second = write_mbox(tmp_path / "b.mbox", [email(message_id="<m9@x.example>")])
    import_mail(engine, second, party="kushner", production="Box B", bates_prefix="KJ-")
    labels = [r[0] for r in rows(engine, "SELECT begin_label FROM document ORDER BY id")]
    assert labels == ["KJ-000001", "KJ-000002", "KJ-000003", "KJ-000004"]
    # The line of each message's "From " separator, not its number in the mailbox.
    lines = [r[0] for r in rows(engine, "SELECT source_line FROM document ORDER BY id")]
    text = first.read_bytes().split(b"\n")
    froms = [i + 1 for i, line in enumerate(text) if line.startswith(b"From ")]
    assert lines == [*froms, 1] and froms[0] == 1 and len(froms) == 3
    before = table_snapshot(engine)
    again = import_mail(engine, first, party="kushner", production="Box A again")
    assert again.already_loaded and "nothing changed" in again.message
    assert table_snapshot(engine) == before
    cont = report.bates
    assert cont is not None and cont.prefixes[0].status == "first volume"


def test_folder_reload_loads_only_new_files(engine: Engine, tmp_path: Path) -> None:
    create_party(engine)
    folder = tmp_path / "mail"
    folder.mkdir()
    write_eml(folder / "1.eml", email(message_id="<one@x.example>"))
    import_mail(engine, folder, party="kushner", production="M1", bates_prefix="M-")
    write_eml(folder / "2.eml", email(message_id="<two@x.example>"))
    report = import_mail(engine, folder, party="kushner", production="M2", bates_prefix="M-")
    assert report.skipped_files == [str(folder / "1.eml")]
    assert report.documents == 1
    assert report.bates is not None and report.bates.prefixes[0].status == "continues"


def test_missing_path_is_an_input_error(engine: Engine, tmp_path: Path) -> None:
    create_party(engine)
    with pytest.raises(LoadFileError, match="no such file"):
        import_mail(engine, tmp_path / "nope.mbox", party="kushner", production="X")


def test_cli_import_mail_and_privlog(sqlite_engine: Engine, tmp_path: Path) -> None:
    import json

    create_party(sqlite_engine)
    db = str(sqlite_engine.url.database)
    box = write_mbox(tmp_path / "m.mbox", [email(message_id=None, subject="No id")])
    result = cli(db, "import", "mail", str(box), "--party", "kushner", "--production",
                 "Mailbox 1", "--format", "json")
    assert result.returncode == 0, result.stderr
    payload = json.loads(result.stdout)
    assert payload["documents"] == 1
    assert payload["email_metadata"]["missing_message_id"] == 1
    log = tmp_path / "log.csv"
    log.write_text("Entry,Date,Author,Privilege\n1,2016-09-01,Counsel,Attorney-Client\n")
    table = cli(db, "import", "privlog", str(log), "--party", "kushner")
    assert table.returncode == 0, table.stderr
    assert "entries loaded" in table.stdout


@pytest.mark.parametrize(
    ("body", "subject", "quoted", "sender_role"),
    [
        (
            "Thanks.\n\nOn Fri, Sep 16, 2016 at 10:00 AM, Wikileaks Contact "
            "<contact@wl.example> wrote:\n> From: someone <older@x.example>\n> hi\n",
            "Re: Wikileaks",
            {"contact@wl.example"},
            "sender",
        ),
        (
            "See below\n\n________________________________\nFrom: Sergei Millian "
            "<sm@example.ru>\nSent: Tuesday, September 20, 2016 9:00 AM\nTo: Campaign "
            "<campaign@campaign.example>\nSubject: Dinner invite\n\nPlease join.\n",
            "FW: Dinner invite",
            {"sm@example.ru", "campaign@campaign.example"},
            "forwarded",
        ),
    ],
    ids=["gmail-wrote", "outlook-rule"],
)
def test_reply_and_outlook_quote_styles(
    engine: Engine, tmp_path: Path, body: str, subject: str, quoted: set[str], sender_role: str
) -> None:
    create_party(engine)
    path = write_eml(tmp_path / "q.eml", email(subject=subject, body=body))
    import_mail(engine, path, party="kushner", production="Q", bates_prefix="Q-")
    people = participants(engine, "Q-000001")
    assert {a for role, a in people if role == "quoted"} == quoted
    assert (sender_role, "jared@kushner.example") in people
