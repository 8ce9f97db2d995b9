"""Outlook's Thread-Index read at intake, on both backends: from a DAT column (base64 under
``Thread-Index``, hexadecimal under ``Conversation Index``) and from a mail header; the thread
builder joins emails that share its 22-byte root and shows the ancestors its depth proves."""

from __future__ import annotations

import base64
import datetime as dt
from pathlib import Path

import pytest
import sqlalchemy as sa
from sqlalchemy.engine import Engine

from gaptrack.errors import LoadFileError
from gaptrack.service.intake import import_dat, import_mail
from gaptrack.service.threads import party_threads
from gaptrack.threads.outlook import decode_thread_index, normalise_thread_index
from tests.importers.builders import build_dat, create_party, email, write_eml
from tests.support import table_snapshot

# One conversation: a root (22 bytes) and two replies below it (5 bytes each).
ROOT = bytes([1]) + bytes(range(1, 22))
DEPTH1 = ROOT + b"\x10\x00\x00\x00\x01"
DEPTH2 = DEPTH1 + b"\x10\x00\x00\x00\x02"
OTHER_ROOT = bytes([1]) + bytes(range(101, 122))


def b64(raw: bytes) -> str:
    return base64.b64encode(raw).decode()


def stored(engine: Engine) -> dict[str, str | None]:
    with engine.connect() as connection:
        return {r[0]: r[1] for r in connection.execute(
            sa.text("SELECT begin_label, thread_index FROM document"))}


def test_thread_index_normalised_from_base64_and_hex() -> None:
    assert normalise_thread_index(b64(DEPTH2)) == b64(DEPTH2)
    assert normalise_thread_index(DEPTH2.hex()) == b64(DEPTH2)
    assert normalise_thread_index("0x" + DEPTH1.hex().upper()) == b64(DEPTH1)
    assert decode_thread_index(b64(DEPTH2)) == DEPTH2
    for bad in ("AAAA", "not base64!", b64(ROOT + b"\x01")):
        with pytest.raises(ValueError):
            normalise_thread_index(bad)


def load_dat(engine: Engine, tmp_path: Path) -> Path:
    """Bob's DAT: no Message-IDs; a ``Conversation Index`` column in hexadecimal."""
    header = ["BEGBATES", "FROM", "TO", "SUBJECT", "DATESENT", "Conversation Index"]
    rows = [
        ["BOB-0001", "Bob Baker <bob@b.example>", "Alice Able <alice@a.example>", "Tickets",
         "2017-03-01 09:00", ROOT.hex()],
        ["BOB-0002", "Carol Cole <carol@c.example>", "Bob Baker <bob@b.example>",
         "RE: RE: Tickets", "2017-03-03 09:00", "0x" + DEPTH2.hex().upper()],
        ["BOB-0003", "Bob Baker <bob@b.example>", "Dan Dee <dan@d.example>", "Other",
         "2017-03-04 09:00", OTHER_ROOT.hex()],
    ]
    path = build_dat(tmp_path / "bob.dat", rows, header=header)
    import_dat(engine, path, party="bob", production="Bob 1")
    return path


def parties(engine: Engine) -> None:
    create_party(engine, "alice", "Alice Able", ("alice@a.example",))
    create_party(engine, "bob", "Bob Baker", ("bob@b.example",))
    create_party(engine, "carol", "Carol Cole", ("carol@c.example",))


def test_thread_index_from_a_dat_field_threads_without_message_ids(
    engine: Engine, tmp_path: Path
) -> None:
    parties(engine)
    load_dat(engine, tmp_path)
    assert stored(engine) == {"BOB-0001": b64(ROOT), "BOB-0002": b64(DEPTH2),
                              "BOB-0003": b64(OTHER_ROOT)}
    [thread] = party_threads(engine, "bob")
    # The root was produced; the reply at depth 2 proves the one between, nobody's.
    assert [[c.bates for c in m.copies] for m in thread.messages] == [
        ["BOB-0001"], [], ["BOB-0002"]]
    assert [m.depth for m in thread.messages] == [0, 1, 2]
    middle = thread.messages[1]
    assert middle.ghost and middle.ghost_basis == "thread-index"
    assert middle.referenced_by == ["BOB-0002"]
    assert thread.messages[2].parent == middle.key


def test_thread_index_from_a_mail_header_joins_the_dat_conversation(
    engine: Engine, tmp_path: Path
) -> None:
    parties(engine)
    load_dat(engine, tmp_path)
    folder = tmp_path / "mail"
    folder.mkdir()
    message = email(sender="Alice Able <alice@a.example>", to="Bob Baker <bob@b.example>",
                    subject="RE: Tickets", message_id=None, body="Booked.",
                    date=dt.datetime(2017, 3, 2, 9, 0, tzinfo=dt.UTC))
    message["Thread-Index"] = b64(DEPTH1)
    write_eml(folder / "1.eml", message)
    bad = email(subject="Odd", message_id="<odd@a.example>", body="x")
    bad["Thread-Index"] = "not a thread index"
    write_eml(folder / "2.eml", bad)
    report = import_mail(engine, folder, party="alice", production="Alice mail",
                         bates_prefix="ALICE-")
    values = stored(engine)
    assert values["ALICE-000001"] == b64(DEPTH1)
    # A header that is no Thread-Index is kept as written, and said so.
    assert values["ALICE-000002"] == "not a thread index"
    assert [p.field for p in report.header_problems] == ["Thread-Index"]
    [thread] = party_threads(engine, "alice")
    # Alice's reply fills the place the depth-2 reply proved: no message is missing now.
    assert [[c.bates for c in m.copies] for m in thread.messages] == [
        ["BOB-0001"], ["ALICE-000001"], ["BOB-0002"]]
    assert not any(m.ghost for m in thread.messages)


def test_a_bad_thread_index_in_a_dat_names_file_line_and_field(
    engine: Engine, tmp_path: Path
) -> None:
    parties(engine)
    header = ["BEGBATES", "SUBJECT", "ThreadIndex"]
    rows = [["BOB-0001", "Fine", b64(ROOT)], ["BOB-0002", "Bad", "AAAA"]]
    path = build_dat(tmp_path / "bad.dat", rows, header=header)
    before = table_snapshot(engine)
    with pytest.raises(LoadFileError, match="not an Outlook Thread-Index") as caught:
        import_dat(engine, path, party="bob", production="Bad")
    assert (caught.value.file, caught.value.line, caught.value.field) == (
        str(path), 3, "ThreadIndex")
    assert table_snapshot(engine) == before
