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
