"""Load files beyond Concordance's defaults: CSV, pipe and caret dialects, inline extracted
text of any length, and the format detected from the content."""

from __future__ import annotations

import csv
import json
from pathlib import Path

import pytest
import sqlalchemy as sa
from sqlalchemy.engine import Engine

from gaptrack.errors import InputError
from gaptrack.service.intake import import_path
from tests.importers.builders import build_dat, create_party
from tests.support import cli

HEADER = ["BEGBATES", "ENDBATES", "FROM", "TO", "SUBJECT", "DATESENT", "Extracted Text"]


def long_text() -> str:
    """5,000 characters with what a CSV must quote: commas, quotes, line breaks."""
    line = 'Paragraph with, commas and "quotes" about the Moscow dinner invite.\n'
    text = (line * (5000 // len(line) + 1))[:4999] + "."
    assert len(text) == 5000
    return text


def rows(engine: Engine, sql: str) -> list[tuple[object, ...]]:
    with engine.connect() as connection:
        return [tuple(r) for r in connection.execute(sa.text(sql)).all()]


def write_csv(path: Path, records: list[list[str]], *, delimiter: str = ",",
              quotechar: str = '"') -> Path:
    with path.open("w", encoding="utf-8", newline="") as handle:
        writer = csv.writer(handle, delimiter=delimiter, quotechar=quotechar,
                            quoting=csv.QUOTE_ALL, lineterminator="\r\n")
        writer.writerow(HEADER)
        writer.writerows(records)
    return path


RECORDS = [
    ["ABC0000001", "ABC0000003", "Jared Kushner <jared@kushner.example>",
     "Zoë Adviser <zoe@campaign.example>", "Dinner invite", "2016-09-20", long_text()],
    ["ABC0000004", "ABC0000004", "", "", "Memo", "", "Hello"],
]


def test_csv_with_5000_character_inline_text(engine: Engine, tmp_path: Path) -> None:
    create_party(engine)
    path = write_csv(tmp_path / "vol.csv", RECORDS)
    report = import_path(engine, path, party="kushner", production="CSV 1")  # detected
    assert report.kind == "csv" and report.documents == 2 and report.bad_count == 0
    stored = dict(rows(engine, "SELECT begin_label, text FROM document"))  # type: ignore[arg-type]
    assert stored["ABC0000001"] == long_text()
    assert stored["ABC0000004"] == "Hello"  # short text is text, not a file path
    hashes = rows(engine, "SELECT body_hash, text_path FROM document WHERE begin_label = "
                          "'ABC0000001'")
    assert len(hashes) == 1 and len(str(hashes[0][0])) == 64 and hashes[0][1] is None
    assert report.fields is not None
    assert report.fields.mapping["text"] == "Extracted Text"


def test_pipe_and_caret_dialect(engine: Engine, tmp_path: Path) -> None:
    create_party(engine)
    records = [[v.replace("\n", "®") for v in r] for r in RECORDS]
    path = write_csv(tmp_path / "vol.txt", records, delimiter="|", quotechar="^")
    report = import_path(engine, path, party="kushner", production="Pipe", format="csv",
                         delimiter="pipe", quote="^", newline="®")
    assert report.documents == 2
    text = rows(engine, "SELECT text FROM document WHERE begin_label = 'ABC0000001'")[0][0]
    assert text == long_text()


def test_semicolon_csv_is_detected_without_options(engine: Engine, tmp_path: Path) -> None:
    """Excel saves CSV with semicolons where the comma is the decimal mark."""
    create_party(engine)
    path = write_csv(tmp_path / "vol.csv", RECORDS, delimiter=";")
    report = import_path(engine, path, party="kushner", production="Semicolons")
    assert report.kind == "csv" and report.documents == 2
    text = rows(engine, "SELECT text FROM document WHERE begin_label = 'ABC0000001'")[0][0]
    assert text == long_text()


def test_concordance_dat_with_inline_text_and_text_paths(engine: Engine, tmp_path: Path) -> None:
    create_party(engine)
    (tmp_path / "TEXT").mkdir()
    (tmp_path / "TEXT" / "ABC0000002.txt").write_text("Text from the file.")
    dat = build_dat(tmp_path / "v.dat", [
        ["ABC0000001", "ABC0000001", "Subject one", long_text()],
        ["ABC0000002", "ABC0000002", "Subject two", "TEXT\\ABC0000002.txt"],
    ], header=["BEGBATES", "ENDBATES", "SUBJECT", "Extracted Text"])
    report = import_path(engine, dat, party="kushner", production="DAT inline")
    assert report.kind == "dat" and report.documents == 2
    texts = dict(rows(engine, "SELECT begin_label, text FROM document"))  # type: ignore[arg-type]
    assert texts == {"ABC0000001": long_text(), "ABC0000002": "Text from the file."}


def test_an_option_the_format_does_not_take_is_an_error(engine: Engine, tmp_path: Path) -> None:
    create_party(engine)
    path = write_csv(tmp_path / "vol.csv", RECORDS)
    with pytest.raises(InputError, match="--opt: not an option of the privlog format"):
        import_path(engine, path, party="kushner", format="privlog", opt=path)


def test_cli_detects_and_lists_formats(sqlite_engine: Engine, tmp_path: Path) -> None:
    create_party(sqlite_engine)
    db = str(sqlite_engine.url.database)
    path = write_csv(tmp_path / "vol.csv", RECORDS)
    run = ["--db", db, "import"]
    listed = cli(None, *run, "--list-formats")
    assert listed.returncode == 0
    names = [line.split()[0] for line in listed.stdout.splitlines()]
    # Outlook stores come before mail: a .msg or .pst is detected by its own reader first.
    assert names == ["pst", "msg", "dat", "privlog", "xlsx", "csv", "edrm", "mail",
                     "pdf"]
    done = cli(None, *run, str(path), "--party", "kushner", "--format", "json")
    assert done.returncode == 0, done.stderr
    payload = json.loads(done.stdout)
    assert payload["kind"] == "csv" and payload["production"] == "vol"
    unknown = cli(None, *run, "pdq", str(path), "--party", "kushner")
    assert unknown.returncode == 2 and "no such file or folder" in unknown.stderr
