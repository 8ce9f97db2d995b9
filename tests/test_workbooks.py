"""Excel workbooks (``--format xlsx``) and CSV byte-order marks, read back with openpyxl, an
independent reader: sheets, headers, a date cell, a Bates cell (text), the chart."""

from __future__ import annotations

import datetime as dt
from pathlib import Path

import openpyxl
import pytest
from openpyxl.chart.bar_chart import BarChart
from sqlalchemy.engine import Engine

from gaptrack.service.cases import load_case_files
from tests.conftest import FIXTURES
from tests.importers.builders import HEADER, build_dat, create_party
from tests.support import cli as run

AS_OF = "2017-11-16"


@pytest.fixture
def demo(engine: Engine, db_url: str) -> str:
    load_case_files(engine, sorted(FIXTURES.glob("*.yaml")))
    return db_url


def headers(ws: object) -> list[object]:
    return [c.value for c in ws[1]]  # type: ignore[index]


def column(ws: object, name: str) -> list[object]:
    index = headers(ws).index(name)
    return [row[index] for row in ws.iter_rows(min_row=2, values_only=True)]  # type: ignore[attr-defined]


def check_chart(book: openpyxl.Workbook) -> None:
    known = book["Known items by party"]
    assert headers(known)[:5] == [
        "party", "slug", "known produced", "known not produced", "known items"
    ]
    assert known.freeze_panes == "A2" and known.auto_filter.ref
    slugs = column(known, "slug")
    assert "kushner" in slugs
    kushner = slugs.index("kushner") + 2
    produced, missing = known.cell(kushner, 3).value, known.cell(kushner, 4).value
    assert isinstance(produced, int) and isinstance(missing, int) and missing > 0
    charts = known._charts
    assert len(charts) == 1 and isinstance(charts[0], BarChart)
    assert len(charts[0].series) == 2  # produced / not produced, per party


def test_status_workbook(demo: str, tmp_path: Path) -> None:
    out = tmp_path / "status.xlsx"
    result = run(demo, "status", "--as-of", AS_OF, "--format", "xlsx", "-o", str(out))
    assert result.returncode == 0, result.stderr
    book = openpyxl.load_workbook(out)
    assert book.sheetnames == ["About", "Status", "Known items by party"]
    assert book["About"]["B2"].value == dt.datetime(2017, 11, 16)
    status = book["Status"]
    assert headers(status)[:7] == ["party", "committee", "request", "item", "text", "status",
                                   "deadline"]
    assert status.freeze_panes == "A2"
    assert status.auto_filter.ref == f"A1:M{status.max_row}"
    assert status.column_dimensions["E"].width > 20  # fitted to the item texts
    deadlines = dict(zip(column(status, "request"), column(status, "deadline"), strict=True))
    assert deadlines["sjc-2017-11-16"] == dt.datetime(2017, 11, 27)  # an Excel date
    assert status.cell(2, headers(status).index("deadline") + 1).number_format == "yyyy-mm-dd"
    assert all(isinstance(v, int) for v in column(status, "documents"))
    check_chart(book)


def test_gaps_workbook_bates_are_text(demo: str, tmp_path: Path) -> None:
    out = tmp_path / "gaps.xlsx"
    result = run(demo, "gaps", "--as-of", AS_OF, "-f", "xlsx", "-o", str(out))
    assert result.returncode == 0, result.stderr
    book = openpyxl.load_workbook(out)
    assert book.sheetnames == ["About", "Gaps", "Known items by party"]
    gaps = book["Gaps"]
    assert headers(gaps)[:3] == ["party", "party name", "kind"]
    bates = [v for v in column(gaps, "Bates") if v]
    assert bates and all(isinstance(v, str) for v in bates)
    assert "HICKS-000101" in bates  # leading zeros kept: text, not a number
    dates = [v for v in column(gaps, "date") if v is not None]
    assert dates and all(isinstance(v, dt.datetime) for v in dates)
    check_chart(book)
    # --party narrows the chart to that party.
    one = tmp_path / "one.xlsx"
    assert run(demo, "gaps", "--as-of", AS_OF, "-p", "kushner", "-f", "xlsx", "-o",
               str(one)).returncode == 0  # fmt: skip
    assert column(openpyxl.load_workbook(one)["Known items by party"], "slug") == ["kushner"]


def test_xlsx_needs_an_output_file(demo: str) -> None:
    result = run(demo, "gaps", "--as-of", AS_OF, "--format", "xlsx")
    assert result.returncode == 2
    assert "-o FILE.xlsx" in result.stderr


def test_csv_bom_default_on_files_only(demo: str, tmp_path: Path) -> None:
    out = tmp_path / "gaps.csv"
    assert run(demo, "gaps", "--as-of", AS_OF, "-f", "csv", "-o", str(out)).returncode == 0
    assert out.read_bytes().startswith(b"\xef\xbb\xbfkey,kind,")
    plain = run(demo, "gaps", "--as-of", AS_OF, "-f", "csv")
    assert plain.stdout.startswith("key,kind,")
    forced = run(demo, "status", "--as-of", AS_OF, "-f", "csv", "--bom")
    assert forced.stdout.startswith("\ufeffparty,")
    out.unlink()
    assert run(demo, "gaps", "--as-of", AS_OF, "-f", "csv", "-o", str(out),
               "--no-bom").returncode == 0  # fmt: skip
    assert out.read_bytes().startswith(b"key,kind,")


def test_intake_report_workbook(sqlite_engine: Engine, tmp_path: Path) -> None:
    create_party(sqlite_engine)
    db = str(sqlite_engine.url.database)
    first = run(db, "import", "dat", str(build_dat(tmp_path / "v1.dat")), "--party", "kushner",
                "--production", "Vol 1")  # fmt: skip
    assert first.returncode == 0, first.stderr
    rows = [["KUSH-000010", "KUSH-000010"], ["KUSH-000013", "KUSH-000013"]]
    v2 = build_dat(tmp_path / "v2.dat", rows, header=HEADER[:2])
    report = tmp_path / "qc.xlsx"
    result = run(db, "import", "dat", str(v2), "--party", "kushner", "--production", "Vol 2",
                 "--received", "2017-11-01", "--report", str(report))  # fmt: skip
    assert result.returncode == 0, result.stderr
    book = openpyxl.load_workbook(report)
    assert book.sheetnames == ["About", "QC", "Bates prefixes", "Bates findings"]
    assert book["About"]["B2"].value == dt.datetime(2017, 11, 1)
    assert headers(book["QC"]) == ["check", "result"]
    assert "production" in column(book["QC"], "check")
    prefixes = book["Bates prefixes"]
    assert column(prefixes, "prefix") == ["KUSH-"] and column(prefixes, "status") == ["gap"]
    findings = book["Bates findings"]
    assert findings.freeze_panes == "A2"
    assert column(findings, "at") == ["KUSH-000013"]  # text: the zeros are kept
    assert column(findings, "after") == ["KUSH-000010"]


def test_intake_report_suffix_is_checked_before_loading(
    sqlite_engine: Engine, tmp_path: Path
) -> None:
    create_party(sqlite_engine)
    db = str(sqlite_engine.url.database)
    result = run(db, "import", "dat", str(build_dat(tmp_path / "v1.dat")), "--party", "kushner",
                 "--production", "Vol 1", "--report", str(tmp_path / "qc.txt"))  # fmt: skip
    assert result.returncode == 2 and "--report" in result.stderr
    again = run(db, "import", "dat", str(tmp_path / "v1.dat"), "--party", "kushner",
                "--production", "Vol 1", "--report", str(tmp_path / "qc.json"))  # fmt: skip
    assert again.returncode == 0 and "already loaded" not in again.stdout
    assert '"documents": 5' in (tmp_path / "qc.json").read_text()
