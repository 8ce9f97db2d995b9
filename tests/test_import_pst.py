"""Outlook PST/OST intake: stores the tests write (tests/builders/pst.py, [MS-PST]) with an
Inbox and a Sent Items copy that has no transport headers, matched to the recipient's EML;
and a small real store (tests/data/pst, Apache-2.0): every folder walked, items that are not
mail skipped and counted, damaged stores and a missing libpff binding as clean errors that
change nothing."""

from __future__ import annotations

import base64
import datetime as dt
import shutil
import subprocess
import sys
from pathlib import Path

import pytest
import sqlalchemy as sa
from sqlalchemy.engine import Engine

from gaptrack.errors import LoadFileError
from gaptrack.gaps.unify import group_copies
from gaptrack.importers import mapi
from gaptrack.importers.base import detect
from gaptrack.importers.pstfile import INSTALL, binding, read_pst
from gaptrack.service.intake import import_path
from tests.builders.pst import Message, write_pst
from tests.importers.builders import create_party, email, write_eml
from tests.support import copy_rows

STORE = Path(__file__).parent / "data" / "pst" / "dist-list.pst"
ALICE, BOB, CAROL = (("Alice Able", "alice@a.example"), ("Bob Baker", "bob@b.example"),
                     ("Carol Cole", "carol@c.example"))
SENT = dt.datetime(2017, 1, 6, 9, 0, 2)
BUDGET = "The budget for the second quarter is attached.\r\nTell me by Friday."
THREAD_INDEX = bytes([1]) + bytes(range(5)) + bytes(range(16, 32))  # 22 bytes: a new thread
RECEIVED_HEADERS = (
    "Received: from mx.b.example by mx.a.example; Thu, 5 Jan 2017 17:00:40 +0000\r\n"
    "From: Bob Baker <bob@b.example>\r\nTo: Alice Able <alice@a.example>\r\n"
    "Subject: Route options\r\nDate: Thu, 05 Jan 2017 12:00:31 -0500\r\n"
    "Message-ID: <route-1@b.example>\r\nMIME-Version: 1.0\r\n"
    "Content-Type: text/plain; charset=utf-8\r\n\r\n")
pytest.importorskip("pypff", reason="libpff-python (the optional 'pst' extra) is not installed")


def gaptrack(
    db_url: str, *args: str, block_pypff: bool = False
) -> subprocess.CompletedProcess[str]:
    """The real CLI in a child process; ``block_pypff``: as if the extra were not installed."""
    code = ("import sys\n" + ("sys.modules['pypff'] = None\n" if block_pypff else "")
            + "from gaptrack.cli.main import run\nsys.argv = ['gaptrack', *sys.argv[1:]]\nrun()")
    return subprocess.run([sys.executable, "-c", code, "--db", db_url, *args],
                          capture_output=True, text=True, check=False)


def alices_store(path: Path) -> Path:
    """Alice's PST: Bob's message in her Inbox (with the headers it arrived with), her own to
    Bob and Carol in Sent Items (none: Outlook stores no transport headers for what it sent),
    and a contact."""
    return write_pst(path, {
        "Inbox": [Message("Route options", BOB, [(*ALICE, 1)], dt.datetime(2017, 1, 5, 17, 0, 40),
                          body="Three routes.", headers=RECEIVED_HEADERS)],
        "Sent Items": [Message("Budget", ALICE, [(*BOB, 1), (*CAROL, 2)], SENT, body=BUDGET,
                               attachments=[("budget.xlsx", b"PK\x03\x04 q2 budget")],
                               thread_index=THREAD_INDEX)],
        "Contacts": [Message("Bob Baker", BOB, [], SENT, item_class="IPM.Contact")],
    })


def rows(engine: Engine, sql: str) -> list[tuple[object, ...]]:
    with engine.connect() as connection:
        return [tuple(r) for r in connection.execute(sa.text(sql)).all()]


def test_the_built_store_opens_with_libpff(tmp_path: Path) -> None:
    items = [item for item, _ in read_pst(alices_store(tmp_path / "alice.pst"))]
    assert [type(i).__name__ for i in items] == ["MailMessage", "MailMessage", "Skipped"]
    inbox, sent = items[0], items[1]
    assert not isinstance(inbox, (mapi.Skipped, LoadFileError))
    assert not isinstance(sent, (mapi.Skipped, LoadFileError))
    assert inbox.location == "alice.pst#Top of Personal Folders/Inbox/1"
    assert (inbox.message_id, inbox.date) == ("<route-1@b.example>",
                                             dt.datetime(2017, 1, 5, 17, 0, 31))
    assert (sent.sender, sent.to, sent.cc) == ("Alice Able <alice@a.example>",
                                               "Bob Baker <bob@b.example>",
                                               "Carol Cole <carol@c.example>")
    assert [(a.filename, a.size) for a in sent.attachments] == [("budget.xlsx", 14)]


def test_a_large_folder_is_read_whole(tmp_path: Path) -> None:
    """40 messages: the node and block B-trees span several pages (an intermediate level)."""
    messages = [Message(f"Note {i}", BOB, [(*ALICE, 1)], SENT + dt.timedelta(minutes=i),
                        body=f"Note number {i}.") for i in range(40)]
    items = [item for item, _ in read_pst(write_pst(tmp_path / "big.pst", {"Inbox": messages}))]
    subjects = [i.subject for i in items if not isinstance(i, (mapi.Skipped, LoadFileError))]
    assert subjects == [f"Note {i}" for i in range(40)]


def test_sent_items_copy_without_headers_matches_the_recipients_eml(
    engine: Engine, tmp_path: Path
) -> None:
    for slug, (name, address) in (("alice", ALICE), ("bob", BOB), ("carol", CAROL)):
        create_party(engine, slug, name, [address])
    (tmp_path / "bob").mkdir()
    write_eml(tmp_path / "bob" / "budget.eml", email(
        sender="Alice Able <alice@a.example>", to="Bob Baker <bob@b.example>",
        cc="Carol Cole <carol@c.example>", subject="Budget", body=BUDGET,
        message_id="<budget-1@a.example>", date=SENT.replace(second=40, tzinfo=dt.UTC)))
    import_path(engine, tmp_path / "bob", party="bob", production="Bob 1")
    report = import_path(engine, alices_store(tmp_path / "alice.pst"), party="alice",
                         production="Alice PST")  # detected by content
    assert report.kind == "pst" and report.documents == 3  # two messages, one attachment
    assert "1 items that are not mail were skipped (IPM.Contact 1)" in report.findings
    sent = rows(engine, "SELECT sender, recipients, cc, subject, date_sent, message_id,"
                        " native_path, text FROM document WHERE subject = 'Budget'"
                        " AND bates_prefix = 'ALICE-PST-'")
    assert sent == [("Alice Able <alice@a.example>", "Bob Baker <bob@b.example>",
                     "Carol Cole <carol@c.example>", "Budget", sent[0][4], None,
                     "alice.pst#Top of Personal Folders/Sent Items/1",
                     BUDGET.replace("\r\n", "\n"))]
    assert str(sent[0][4]).startswith("2017-01-06 09:00:02")
    thread = rows(engine, "SELECT thread_index FROM document WHERE native_path"
                          " = 'alice.pst#Top of Personal Folders/Sent Items/1'")
    assert thread == [(base64.b64encode(THREAD_INDEX).decode(),)]  # PR_CONVERSATION_INDEX
    child = rows(engine, "SELECT c.doc_type, c.title, c.native_path FROM document c"
                         " JOIN document p ON p.id = c.parent_id WHERE p.subject = 'Budget'")
    assert child == [("attachment", "budget.xlsx",
                      "alice.pst#Top of Personal Folders/Sent Items/1/budget.xlsx")]
    copies = rows(engine, "SELECT mih, body_hash, fingerprint, date_sent FROM document"
                          " WHERE subject = 'Budget' AND doc_type = 'email'")
    assert len(copies) == 2 and copies[0][2] is not None and copies[0][2] == copies[1][2]
    found = copy_rows(engine, "subject = 'Budget' AND doc_type = 'email'")
    assert len(group_copies(found, lambda r: ())) == 1  # one email, two copies
    people = rows(engine, "SELECT p.role, y.slug FROM document_participant p"
                          " JOIN document d ON d.id = p.document_id"
                          " LEFT JOIN party y ON y.id = p.party_id"
                          " WHERE d.native_path LIKE 'alice.pst#%Sent Items/1'"
                          " ORDER BY p.role, y.slug")
    assert people == [("cc", "carol"), ("sender", "alice"), ("to", "bob")]
    inbox = rows(engine, "SELECT message_id, date_sent FROM document"
                         " WHERE native_path LIKE '%/Inbox/1'")
    assert inbox[0][0] == "<route-1@b.example>" and str(inbox[0][1]).startswith(
        "2017-01-05 17:00:31")


def counts(engine: Engine) -> tuple[int, int, int]:
    with engine.connect() as connection:
        return tuple(  # type: ignore[return-value]
            connection.execute(sa.text(f"SELECT count(*) FROM {t}")).scalar_one()
            for t in ("document", "production", "source_file"))


def test_every_folder_is_walked_and_non_mail_items_are_passed_over() -> None:
    pypff = binding()
    store = pypff.file()
    store.open(str(STORE))
    try:
        from gaptrack.importers.pstfile import _folders

        paths = [where for _, where in _folders(store.root_folder, "")]
    finally:
        store.close()
    assert "Top of Personal Folders/Sent Items" in paths
    assert "Top of Personal Folders/Calendar" in paths and "Top of Personal Folders/Inbox" in paths
    items = [item for item, _ in read_pst(STORE)]
    assert all(isinstance(i, mapi.Skipped) for i in items)
    assert sorted(i.item_class for i in items if isinstance(i, mapi.Skipped)) == [
        "IPM.Appointment", "IPM.Contact", "IPM.DistList", "IPM.Microsoft.ScheduleData.FreeBusy"]


def test_a_store_without_mail_is_refused_with_the_items_counted(
    engine: Engine, tmp_path: Path
) -> None:
    create_party(engine, "alice", "Alice Able", ["alice@a.example"])
    copy = tmp_path / "archive.pst"
    shutil.copy(STORE, copy)
    assert detect(copy).name == "pst"  # by its magic, !BDN
    assert detect(tmp_path).name == "pst"
    with pytest.raises(LoadFileError) as caught:
        import_path(engine, copy, party="alice", production="Alice PST")
    message = str(caught.value)
    assert "archive.pst" in message and "no message could be loaded" in message
    assert "4 items that are not mail were skipped" in message
    assert "IPM.Appointment 1" in message and "IPM.Contact 1" in message
    assert counts(engine) == (0, 0, 0)


def test_a_damaged_store_is_a_clean_error(engine: Engine, tmp_path: Path, db_url: str) -> None:
    create_party(engine, "alice", "Alice Able", ["alice@a.example"])
    broken = tmp_path / "broken.pst"
    broken.write_bytes(STORE.read_bytes()[:4096])  # the header, then nothing it points to
    with pytest.raises(LoadFileError) as caught:
        import_path(engine, broken, party="alice", production="Alice PST")
    assert "broken.pst" in str(caught.value)
    assert counts(engine) == (0, 0, 0)
    done = gaptrack(db_url, "import", str(broken), "--party", "alice")
    assert done.returncode == 2 and "Traceback" not in done.stderr
    assert done.stderr.startswith("error: ") and "broken.pst" in done.stderr


def test_without_the_extra_the_import_says_how_to_install_it(
    engine: Engine, tmp_path: Path, db_url: str
) -> None:
    create_party(engine, "alice", "Alice Able", ["alice@a.example"])
    done = gaptrack(db_url, "import", "pst", str(STORE), "--party", "alice", block_pypff=True)
    assert done.returncode == 2 and "Traceback" not in done.stderr
    assert INSTALL in done.stderr and "pip install 'gaptrack[pst]'" in done.stderr
    assert counts(engine) == (0, 0, 0)
