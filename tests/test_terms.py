"""Search-term reports on both backends, through the service and the CLI."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from sqlalchemy.engine import Engine
from typer.testing import CliRunner

from gaptrack.cli.main import app
from gaptrack.errors import InputError
from gaptrack.service.search import term_report
from tests.analysiscase import load_analysis_case
from tests.support import row_counts


@pytest.fixture
def case(engine: Engine, tmp_path: Path) -> Engine:
    load_analysis_case(engine, tmp_path)
    return engine


def terms_file(tmp_path: Path, *lines: str) -> Path:
    path = tmp_path / "terms.txt"
    path.write_text("\n".join(lines) + "\n", encoding="utf-8")
    return path


def test_counts_per_term(case: Engine, tmp_path: Path) -> None:
    path = terms_file(tmp_path, "# terms for Alice", "route", "", "corridor", "résumé",
                      '"route was"', "nothing-here")
    rows = {r.term: r for r in term_report(case, path).terms}
    route = rows["route"]
    assert (route.documents, route.families, route.with_family) == (2, 2, 3)
    # BOB-0001 is also hit by '"route was"': only Alice's email is unique to "route".
    assert route.unique == 1
    assert route.by_party == {"alice": 1, "bob": 1}
    assert route.by_production == {"alice-vol1": 1, "bob-vol1": 1}
    corridor = rows["corridor"]  # an attachment: its family is the email and itself
    assert (corridor.documents, corridor.families, corridor.with_family) == (1, 1, 2)
    assert rows["résumé"].by_party == {"alice": 1, "carol": 1}
    assert rows["résumé"].unique == 2
    assert rows["nothing-here"].documents == 0  # "nothing here" as a phrase
    assert [r.line for r in term_report(case, path).terms] == [2, 4, 5, 6, 7]


def test_one_party(case: Engine, tmp_path: Path) -> None:
    report = term_report(case, terms_file(tmp_path, "route", "résumé"), party="bob")
    assert report.party == "bob"
    assert [(r.term, r.documents) for r in report.terms] == [("route", 1), ("résumé", 0)]


def test_a_bad_line_names_file_and_line_and_changes_nothing(
    case: Engine, tmp_path: Path
) -> None:
    before = row_counts(case)
    path = terms_file(tmp_path, "route", "-route")
    with pytest.raises(InputError) as caught:
        term_report(case, path)
    assert caught.value.line == 2 and caught.value.file == str(path)
    assert row_counts(case) == before


def test_cli_formats(case: Engine, db_url: str, tmp_path: Path) -> None:
    path = terms_file(tmp_path, "route", "corridor")
    runner = CliRunner()
    result = runner.invoke(app, ["--db", db_url, "terms", str(path), "-f", "json"])
    assert result.exit_code == 0, result.output
    document = json.loads(result.stdout)
    assert document["schema"] == "gaptrack/terms@1"
    assert [t["documents"] for t in document["terms"]] == [2, 1]
    csv = runner.invoke(app, ["--db", db_url, "terms", str(path), "-f", "csv"]).stdout
    header = "term,documents,with_family,families,unique,by_party,by_production"
    assert csv.splitlines()[0] == header
    assert csv.splitlines()[2] == "corridor,1,2,1,1,bob 1,bob-vol1 1"
    md = runner.invoke(app, ["--db", db_url, "terms", str(path), "-f", "md"]).stdout
    assert "| route | 2 | 3 | 2 | 2 | alice 1; bob 1 |" in md


def test_cli_search(case: Engine, db_url: str) -> None:
    runner = CliRunner()
    result = runner.invoke(app, ["--db", db_url, "search", "route", "--party", "bob",
                                 "-f", "csv"])
    assert result.exit_code == 0, result.output
    lines = result.stdout.splitlines()
    assert lines[1].startswith("1,BOB-0001,bob,bob-vol1,2017-02-03,Pipeline,")
    assert lines[1].endswith("The pipeline «route» was approved by the board.")
    data = json.loads(runner.invoke(app, ["--db", db_url, "search", "résumé", "-f",
                                          "json"]).stdout)
    assert data["total"] == 2 and data["schema"] == "gaptrack/search@1"
    memo = next(h for h in data["hits"] if h["bates"] == "ALICE-0004")
    start, end = memo["snippet"]["highlights"][0]
    assert memo["snippet"]["text"][start:end] == "RÉSUMÉ"


def test_cli_xlsx(case: Engine, db_url: str, tmp_path: Path) -> None:
    import openpyxl

    path = terms_file(tmp_path, "route", "résumé")
    target = tmp_path / "terms.xlsx"
    result = CliRunner().invoke(app, ["--db", db_url, "terms", str(path), "-f", "xlsx", "-o",
                                      str(target)])
    assert result.exit_code == 0, result.output
    book = openpyxl.load_workbook(target)
    terms = [[c.value for c in row] for row in book["Terms"].iter_rows()]
    assert terms[0][:3] == ["line", "term", "documents"]
    assert terms[1][:3] == [1, "route", 2] and terms[2][:3] == [2, "résumé", 2]
    parties = {(r[0].value, r[1].value): r[2].value for r in book["By party"].iter_rows(min_row=2)}
    assert parties == {("route", "alice"): 1, ("route", "bob"): 1, ("résumé", "alice"): 1,
                       ("résumé", "carol"): 1}
