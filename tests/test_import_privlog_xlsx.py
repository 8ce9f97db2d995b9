"""Privilege logs delivered as Excel workbooks: columns mapped like a CSV log's, dates and
numbers read as the sheet holds them, errors named by row."""

from __future__ import annotations

import datetime as dt
from pathlib import Path

import pytest
import sqlalchemy as sa
import xlsxwriter
from sqlalchemy.engine import Engine

from gaptrack.errors import LoadFileError
from gaptrack.service.intake import import_path
from tests.importers.builders import create_party


def workbook(path: Path, rows: list[list[object]]) -> Path:
    book = xlsxwriter.Workbook(str(path))
    sheet = book.add_worksheet("Privilege Log")
    dated = book.add_format({"num_format": "mm/dd/yyyy"})
    sheet.write_row(0, 0, ["Priv Log No.", "Document Date", "Author", "Recipient(s)",
                           "Description", "Privilege Asserted"])
    for number, row in enumerate(rows, start=1):
        for column, value in enumerate(row):
            if isinstance(value, dt.date):
                sheet.write_datetime(number, column, dt.datetime.combine(value, dt.time()),
                                     dated)
            elif value is not None:
                sheet.write(number, column, value)
    book.close()
    return path


ROWS: list[list[object]] = [
    [1, dt.date(2016, 9, 16), "Abbe Lowell", "Jared Kushner", "Advice on WikiLeaks email",
     "Attorney-Client"],
    [2, 42633.0, "Abbe Lowell", "Jared Kushner", "Draft response", "Work Product"],
]


def test_xlsx_privilege_log(engine: Engine, tmp_path: Path) -> None:
    create_party(engine)
    path = workbook(tmp_path / "privlog.xlsx", ROWS)
    report = import_path(engine, path, party="kushner")  # the format is detected
    assert report.kind == "privlog" and report.entries == 2 and report.bad_count == 0
    with engine.connect() as connection:
        stored = connection.execute(sa.text(
            "SELECT entry_no, doc_date, author, privilege, source_line FROM privilege_entry"
            " ORDER BY entry_no")).all()
    # Dates compared as text: raw SQL on SQLite returns the stored ISO date.
    assert [(r[0], str(r[1]), r[2], r[3], r[4]) for r in stored] == [
        ("1", "2016-09-16", "Abbe Lowell", "Attorney-Client", 2),
        ("2", "2016-09-20", "Abbe Lowell", "Work Product", 3),
    ]
    again = import_path(engine, path, party="kushner")
    assert again.already_loaded


def test_xlsx_bad_row_names_the_row_and_column(engine: Engine, tmp_path: Path) -> None:
    create_party(engine)
    path = workbook(tmp_path / "privlog.xlsx", [ROWS[0], [3, None, "X", "Y", "Z", None]])
    with pytest.raises(LoadFileError) as raised:
        import_path(engine, path, party="kushner", format="privlog")
    assert raised.value.line == 3 and raised.value.field == "Privilege Asserted"
    with engine.connect() as connection:
        assert connection.execute(sa.text("SELECT count(*) FROM privilege_entry")).scalar() == 0


def test_log_behind_a_cover_sheet_under_a_title_block(engine: Engine, tmp_path: Path) -> None:
    """As logs are served: a cover sheet first; on the log's sheet a title block above the
    header; dates written "Undated" or as a range; the privilege column named "Basis for
    Withholding". Every entry is kept, on its sheet row."""
    create_party(engine)
    path = tmp_path / "served.xlsx"
    book = xlsxwriter.Workbook(str(path))
    book.add_worksheet("Instructions").write(0, 0, "Privilege log served 16 Nov 2017")
    sheet = book.add_worksheet("Log")
    sheet.write(0, 0, "PRIVILEGE LOG OF JARED KUSHNER")
    sheet.write(1, 0, "Senate Judiciary Committee request of 18 October 2017")
    sheet.write_row(3, 0, ["Entry", "Date", "Author", "Recipients", "Description",
                           "Basis for Withholding"])
    sheet.write_row(4, 0, ["K-1", "Undated", "Abbe Lowell", "Jared Kushner", "Notes",
                           "Attorney-Client"])
    sheet.write_row(5, 0, ["K-2", "1/5/2017 - 1/9/2017", "Abbe Lowell", "Jared Kushner",
                           "Email chain", "Work Product"])
    book.close()
    report = import_path(engine, path, party="kushner")  # detected on the second sheet
    assert report.kind == "privlog" and report.entries == 2 and report.bad_count == 0
    with engine.connect() as connection:
        stored = connection.execute(sa.text(
            "SELECT entry_no, doc_date, privilege, source_line FROM privilege_entry"
            " ORDER BY entry_no")).all()
    assert [(e, str(d)[:10] if d else None, p, line) for e, d, p, line in stored] == [
        ("K-1", None, "Attorney-Client", 5), ("K-2", "2017-01-05", "Work Product", 6)]
