"""Privilege-log intake: vendor column names, bad rows, idempotency."""

from __future__ import annotations

import csv
import datetime as dt
from pathlib import Path

import pytest
import sqlalchemy as sa
from sqlalchemy.engine import Engine

from gaptrack.errors import LoadFileError
from gaptrack.service.intake import import_privlog
from tests.importers.builders import create_party
from tests.support import table_snapshot

HEADER = ["Priv Log #", "Doc Date", "Author", "Recipient(s)", "CC", "Description",
          "Privilege Claimed", "Doc Type", "Bates"]


def write_log(path: Path, rows: list[list[str]], encoding: str = "utf-8") -> Path:
    with path.open("w", encoding=encoding, newline="") as handle:
        writer = csv.writer(handle)
        writer.writerow(HEADER)
        writer.writerows(rows)
    return path


ROWS = [
    ["PRIV-001", "09/21/2016", "Abbe Lowell", "Jared Kushner", "Zoë Counsel",
     "Email seeking legal advice re: dinner invite", "Attorney-Client", "Email", "KUSH-P-0001"],
    ["PRIV-002", "2016-10-02", "Abbe Lowell", "", "", "Draft response", "Work Product", "", ""],
]


def test_privilege_log_loads(engine: Engine, tmp_path: Path) -> None:
    create_party(engine)
    report = import_privlog(engine, write_log(tmp_path / "log.csv", ROWS, "cp1252"),
                            party="kushner")
    assert report.entries == 2 and report.encoding == "cp1252"
    with engine.connect() as connection:
        got = connection.execute(sa.text(
            "SELECT entry_no, doc_date, author, recipients, privilege, bates, source_line"
            " FROM privilege_entry ORDER BY entry_no"
        )).all()
    first = got[0]
    assert first[0] == "PRIV-001"
    assert str(first[1])[:10] == str(dt.date(2016, 9, 21))
    assert first[3] == "Jared Kushner; Zoë Counsel"
    assert (first[4], first[5], first[6]) == ("Attorney-Client", "KUSH-P-0001", 2)
    assert got[1][3] is None
    again = import_privlog(engine, tmp_path / "log.csv", party="kushner")
    assert again.already_loaded


def test_bad_row_names_line_and_field(engine: Engine, tmp_path: Path) -> None:
    create_party(engine)
    bad = [list(r) for r in ROWS]
    bad[1][1] = "someday"
    path = write_log(tmp_path / "bad.csv", bad)
    before = table_snapshot(engine)
    with pytest.raises(LoadFileError) as caught:
        import_privlog(engine, path, party="kushner")
    assert (caught.value.line, caught.value.field) == (3, "Doc Date")
    assert table_snapshot(engine) == before
    report = import_privlog(engine, path, party="kushner", skip_bad=True)
    assert report.entries == 1 and report.bad_count == 1


def test_duplicate_entry_and_missing_privilege(engine: Engine, tmp_path: Path) -> None:
    create_party(engine)
    rows = [ROWS[0], ROWS[0], [*ROWS[1][:6], "", *ROWS[1][7:]]]
    report = import_privlog(engine, write_log(tmp_path / "d.csv", rows), party="kushner",
                            skip_bad=True)
    reasons = [(b.line, b.field, b.reason) for b in report.bad_records]
    assert reasons[0][:2] == (3, "Priv Log #") and "duplicate" in reasons[0][2]
    assert reasons[1][:2] == (4, "Privilege Claimed")


def test_csv_log_with_a_title_block_above_its_header(engine: Engine, tmp_path: Path) -> None:
    create_party(engine)
    path = tmp_path / "log.csv"
    path.write_text(
        "Privilege Log of Jared Kushner,,,\n"
        ",,,\n"
        "Log No.,Date,Description,Privilege/Protection Asserted\n"
        "1,n.d.,Handwritten notes,Attorney-Client\n"
        "2,09/16/2016,Advice,Work Product\n", encoding="utf-8")
    report = import_privlog(engine, path, party="kushner")
    assert report.entries == 2 and report.bad_count == 0
    with engine.connect() as connection:
        stored = connection.execute(sa.text(
            "SELECT entry_no, doc_date, source_line FROM privilege_entry ORDER BY entry_no"
        )).all()
    assert [(e, str(d)[:10] if d else None, line) for e, d, line in stored] == [
        ("1", None, 4), ("2", "2016-09-16", 5)]


def test_a_date_that_is_no_date_still_names_its_row(engine: Engine, tmp_path: Path) -> None:
    create_party(engine)
    path = tmp_path / "log.csv"
    path.write_text("Log No.,Date,Privilege\n1,sometime in spring,Attorney-Client\n",
                    encoding="utf-8")
    with pytest.raises(LoadFileError) as caught:
        import_privlog(engine, path, party="kushner")
    assert caught.value.line == 2 and caught.value.field == "Date"


def test_written_out_dates_and_times_keep_their_day(engine: Engine, tmp_path: Path) -> None:
    create_party(engine)
    path = tmp_path / "log.csv"
    path.write_text(
        "Log No.,Date,Privilege\n"
        '1,"September 16, 2016",Attorney-Client\n'
        '2,"Sep 17, 2016 4:39 PM",Work Product\n'
        "3,09/18/2016 11:30 PM -0400,Work Product\n", encoding="utf-8")
    report = import_privlog(engine, path, party="kushner")
    assert report.entries == 3 and report.bad_count == 0
    with engine.connect() as connection:
        days = [str(r[0])[:10] for r in connection.execute(sa.text(
            "SELECT doc_date FROM privilege_entry ORDER BY entry_no"))]
    assert days == ["2016-09-16", "2016-09-17", "2016-09-18"]


def test_semicolon_log_in_cp1252_as_european_excel_saves_it(engine: Engine,
                                                            tmp_path: Path) -> None:
    create_party(engine)
    path = tmp_path / "log.csv"
    path.write_bytes("Log No.;Date;Author;Description;Privilege\r\n"
                     "1;09/16/2016;Abbe Lowell;Advice \u201cdraft\u201d;Attorney-Client\r\n"
                     .encode("cp1252"))
    report = import_privlog(engine, path, party="kushner")  # no --encoding, no --delimiter
    assert report.entries == 1 and report.bad_count == 0
    with engine.connect() as connection:
        stored = connection.execute(sa.text(
            "SELECT description, privilege FROM privilege_entry")).one()
    assert tuple(stored) == ("Advice \u201cdraft\u201d", "Attorney-Client")
