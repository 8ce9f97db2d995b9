"""A production index delivered as a workbook: a cover sheet, a title block above the header,
dates as the sheet holds them, and families by BegAttach — imported like a DAT, detected by
content, on both backends."""

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


def index_workbook(path: Path) -> Path:
    book = xlsxwriter.Workbook(str(path))
    book.add_worksheet("Cover").write(0, 0, "Production volume KUSH-VOL003 (illustrative)")
    sheet = book.add_worksheet("Index")
    when = book.add_format({"num_format": "mm/dd/yyyy hh:mm"})
    sheet.write(0, 0, "Kushner production index")
    sheet.write_row(2, 0, ["BegBates", "EndBates", "BegAttach", "EndAttach", "From", "To",
                           "Subject", "Date Sent", "Custodian"])
    rows = [
        ["KUSH-000101", "KUSH-000102", "KUSH-000101", "KUSH-000103", "Jared Kushner "
         "<jared@kushner.example>", "Hope Hicks <hope@wh.example>", "Dinner invite",
         dt.datetime(2016, 9, 16, 14, 31), "Jared Kushner"],
        ["KUSH-000103", "KUSH-000103", "KUSH-000101", "KUSH-000103", "", "", "", None,
         "Jared Kushner"],
        ["KUSH-000104", "KUSH-000104", "", "", "", "", "Memo", None, "Jared Kushner"],
    ]
    for number, row in enumerate(rows, start=3):
        for column, value in enumerate(row):
            if isinstance(value, dt.datetime):
                sheet.write_datetime(number, column, value, when)
            elif value:
                sheet.write(number, column, value)
    book.close()
    return path


def test_workbook_index_imports_like_a_dat(engine: Engine, tmp_path: Path) -> None:
    create_party(engine)
    report = import_path(engine, index_workbook(tmp_path / "VOL003.xlsx"), party="kushner",
                         production="Vol 3")  # detected by content
    assert report.kind == "xlsx" and report.documents == 3 and report.bad_count == 0
    with engine.connect() as connection:
        docs = connection.execute(sa.text(
            "SELECT begin_label, subject, date_sent, parent_id IS NOT NULL, source_line"
            " FROM document ORDER BY bates_begin")).all()
    assert [(d[0], d[1], str(d[2])[:16] if d[2] else None, bool(d[3]), d[4]) for d in docs] == [
        ("KUSH-000101", "Dinner invite", "2016-09-16 14:31", False, 4),
        ("KUSH-000103", None, None, True, 5),
        ("KUSH-000104", "Memo", None, False, 6),
    ]


def test_a_workbook_without_an_index_is_a_clean_error(engine: Engine, tmp_path: Path) -> None:
    create_party(engine)
    path = tmp_path / "notes.xlsx"
    book = xlsxwriter.Workbook(str(path))
    book.add_worksheet("Notes").write(0, 0, "nothing like a load file here")
    book.close()
    with pytest.raises(LoadFileError, match="Bates"):
        import_path(engine, path, party="kushner", production="N", format="xlsx")
    with engine.connect() as connection:
        assert connection.execute(sa.text("SELECT count(*) FROM document")).scalar() == 0
