"""``gaptrack committees import`` on small congress-legislators files the test writes (the
shapes of committees-current.yaml, committee-membership-current.yaml, legislators-current.yaml),
and the signatory check that ``load`` reports as warnings."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import sqlalchemy as sa
import yaml
from sqlalchemy.engine import Engine

from gaptrack.service.cases import load_case_files
from tests.conftest import FIXTURES
from tests.support import cli as run
from tests.support import table_snapshot

KUSHNER = FIXTURES / "sjc-kushner-2017.yaml"

COMMITTEES = [
    {"type": "senate", "name": "Senate Committee on the Judiciary", "url": "https://x.example",
     "thomas_id": "SSJU", "senate_committee_id": "SSJU", "jurisdiction": "...",
     "subcommittees": [{"name": "Crime and Terrorism", "thomas_id": "01",
                        "address": "224 DSOB", "phone": "(202) 224-5225"}]},
    {"type": "house", "name": "House Committee on Oversight and Government Reform",
     "thomas_id": "HSGO", "house_committee_id": "GO", "subcommittees": []},
]  # fmt: skip


def members(feinstein_title: str | None = "Ranking Member") -> dict[str, Any]:
    feinstein: dict[str, Any] = {"name": "Dianne Feinstein", "party": "minority", "rank": 1,
                                 "bioguide": "F000062"}  # fmt: skip
    if feinstein_title:
        feinstein["title"] = feinstein_title
    return {
        "SSJU": [
            {"name": "Chuck Grassley", "party": "majority", "rank": 1, "title": "Chairman",
             "bioguide": "G000386"},
            {"name": "Orrin G. Hatch", "party": "majority", "rank": 2, "bioguide": "H000338"},
            feinstein,
        ],
        "SSJU01": [{"name": "Lindsey Graham", "party": "majority", "rank": 1,
                    "title": "Chairman", "bioguide": "G000359"}],
        "HSGO": [{"name": "Trey Gowdy", "party": "majority", "rank": 1, "title": "Chairman",
                  "bioguide": "G000566"}],
    }  # fmt: skip


def legislator(bioguide: str, first: str, last: str, full: str, terms: list[Any]) -> Any:
    return {"id": {"bioguide": bioguide, "thomas": "00001", "govtrack": 1},
            "name": {"first": first, "last": last, "official_full": full},
            "bio": {"birthday": "1933-09-17", "gender": "M"}, "terms": terms}  # fmt: skip


def sen(start: str, end: str) -> dict[str, str]:
    return {"type": "sen", "start": start, "end": end, "state": "IA", "party": "Republican"}


LEGISLATORS = [
    legislator("G000386", "Charles", "Grassley", "Chuck Grassley",
               [sen("2011-01-05", "2017-01-03"), sen("2017-01-03", "2023-01-03")]),
    legislator("F000062", "Dianne", "Feinstein", "Dianne Feinstein",
               [sen("2013-01-03", "2019-01-03")]),
    legislator("H000338", "Orrin", "Hatch", "Orrin G. Hatch", [sen("2013-01-03", "2019-01-03")]),
    legislator("G000359", "Lindsey", "Graham", "Lindsey Graham",
               [sen("2015-01-06", "2021-01-03")]),
    legislator("G000566", "Harold", "Gowdy", "Trey Gowdy",
               [{"type": "rep", "start": "2015-01-06", "end": "2017-01-03", "state": "SC"},
                {"type": "rep", "start": "2017-01-03", "end": "2019-01-03", "state": "SC"}]),
]  # fmt: skip


def write_folder(folder: Path, membership: dict[str, Any] | None = None) -> Path:
    folder.mkdir(parents=True, exist_ok=True)
    dump = {"sort_keys": False, "allow_unicode": True}
    (folder / "committees-current.yaml").write_text(yaml.safe_dump(COMMITTEES, **dump))
    (folder / "committee-membership-current.yaml").write_text(
        yaml.safe_dump(membership or members(), **dump)
    )
    (folder / "legislators-current.yaml").write_text(yaml.safe_dump(LEGISLATORS, **dump))
    return folder


def seats(engine: Engine) -> list[tuple[Any, ...]]:
    with engine.connect() as connection:
        return [tuple(r) for r in connection.execute(sa.text(
            "SELECT c.thomas_id, m.bioguide_id, m.name, m.title, m.rank, m.side, m.valid_from, "
            "m.valid_to FROM committee_member m JOIN committee c ON c.id = m.committee_id "
            "ORDER BY c.thomas_id, m.rank, m.bioguide_id, m.valid_from"))]  # fmt: skip


def test_import_committees_members_and_titles(engine: Engine, db_url: str, tmp_path: Path) -> None:
    load_case_files(engine, [KUSHNER])  # the fixture has SSJU (slug ssju) already
    folder = write_folder(tmp_path / "congress")
    result = run(db_url, "committees", "import", str(folder), "--format", "json")
    assert result.returncode == 0, result.stderr
    report = json.loads(result.stdout)
    assert report["valid_from"] == "2017-01-03"  # the 115th Congress: newest House term
    assert report["committees_added"] == ["hsgo"] and report["committees_matched"] == 1
    assert report["seats"] == 4 and report["subcommittee_seats_skipped"] == 1
    assert report["warnings"] == [] and result.stderr == ""  # Grassley and Feinstein match
    rows = seats(engine)
    assert ("SSJU", "G000386", "Chuck Grassley", "Chairman", 1, "majority") in [r[:6] for r in rows]
    assert [r[:4] for r in rows if r[0] == "HSGO"] == [("HSGO", "G000566", "Trey Gowdy",
                                                        "Chairman")]  # fmt: skip
    with engine.connect() as connection:
        committee = connection.execute(
            sa.text("SELECT slug, name, chamber FROM committee WHERE thomas_id = 'HSGO'")
        ).one()
        legislators = connection.execute(sa.text("SELECT count(*) FROM legislator")).scalar()
        events = connection.execute(sa.text(
            "SELECT count(*) FROM event WHERE action = 'committees.import'")).scalar()  # fmt: skip
    assert tuple(committee) == ("hsgo", "House Committee on Oversight and Government Reform",
                                "house")  # fmt: skip
    assert (legislators, events) == (5, 1)
    # The same files again change nothing but the event log.
    before = {k: v for k, v in table_snapshot(engine).items() if k != "event"}
    assert run(db_url, "committees", "import", str(folder)).returncode == 0
    assert {k: v for k, v in table_snapshot(engine).items() if k != "event"} == before
    # A newer snapshot closes the older seats the day before it begins.
    newer = run(db_url, "committees", "import", str(folder), "--since", "2019-01-03",
                "-f", "json")  # fmt: skip
    assert json.loads(newer.stdout)["seats_closed"] == 4
    assert {str(r[7]) if r[7] else None for r in seats(engine)} == {"2019-01-02", None}


def test_load_warns_when_a_signatory_does_not_match(
    engine: Engine, db_url: str, tmp_path: Path
) -> None:
    no_title = members(feinstein_title=None)
    no_title["SSJU"] = [m for m in no_title["SSJU"] if m["bioguide"] != "G000386"]
    folder = write_folder(tmp_path / "congress", no_title)
    assert run(db_url, "committees", "import", str(folder)).returncode == 0
    loaded = run(db_url, "load", str(KUSHNER))
    assert loaded.returncode == 0, loaded.stderr
    warnings = [line for line in loaded.stderr.splitlines() if line.startswith("warning: ")]
    assert (
        "warning: letter sjc-2017-11-16: signatory Charles E. Grassley (G000386) is not a "
        "member of SSJU on 2017-11-16" in warnings
    )
    assert (
        "warning: letter sjc-2017-10-18: signatory Dianne Feinstein (F000062) signed as "
        "'Ranking Member', but SSJU lists the member without a title on 2017-10-18" in warnings
    )
    assert len(warnings) == 4  # two letters, two signatories each
    as_json = json.loads(run(db_url, "load", "-f", "json", str(KUSHNER)).stdout)
    assert len(as_json["warnings"]) == 4


def test_letters_before_the_files_are_not_checked(
    engine: Engine, db_url: str, tmp_path: Path
) -> None:
    folder = write_folder(tmp_path / "congress", {"SSJU": []})
    result = run(db_url, "committees", "import", str(folder), "--since", "2019-01-03")
    assert result.returncode == 0, result.stderr
    report = load_case_files(engine, [KUSHNER])
    assert report.warnings == []  # the 2017 letters predate the membership imported


def test_bad_files_name_file_and_field_and_change_nothing(
    engine: Engine, db_url: str, tmp_path: Path
) -> None:
    folder = write_folder(tmp_path / "congress")
    broken = members()
    del broken["SSJU"][0]["bioguide"]
    (folder / "committee-membership-current.yaml").write_text(yaml.safe_dump(broken))
    before = table_snapshot(engine)
    result = run(db_url, "committees", "import", str(folder))
    assert result.returncode == 2
    assert "committee-membership-current.yaml" in result.stderr
    assert "SSJU[0].bioguide" in result.stderr
    (folder / "legislators-current.yaml").write_text("- id: [unclosed\n")
    bad_yaml = run(db_url, "committees", "import", str(folder))
    assert bad_yaml.returncode == 2 and "legislators-current.yaml:" in bad_yaml.stderr
    (folder / "legislators-current.yaml").unlink()
    missing = run(db_url, "committees", "import", str(folder))
    assert missing.returncode == 2 and "legislators-current.yaml is missing" in missing.stderr
    assert table_snapshot(engine) == before
