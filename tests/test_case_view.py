"""One answer on every screen: the main-screen line, the party header, the Known items tab,
``gaptrack status``, ``gaptrack gaps`` and the letter's confirmed count agree, on every fixture
and a synthetic case, at several dates, on both backends. Each face is asked separately (the
view cache is cleared between them), so agreement is not one cached value read twice."""

from __future__ import annotations

import datetime as dt
import json
import re
from pathlib import Path

import pytest
from sqlalchemy.engine import Engine
from typer.testing import CliRunner

from gaptrack.cli.main import app
from gaptrack.models import KnownStatus
from gaptrack.service import views
from gaptrack.service.cases import load_case_files
from gaptrack.service.gaps import party_summaries
from gaptrack.synthetic import build_synthetic
from gaptrack.tui.screens.main import COLUMNS as MAIN_COLUMNS
from gaptrack.tui.screens.main import party_record
from gaptrack.tui.screens.party import fetch_party, party_caption
from gaptrack.tui.widgets.known import KnownTable
from tests.conftest import FIXTURES
from tests.support import cli

DATES = ["2017-05-10", "2017-09-01", "2017-11-16", "2017-11-30", "2018-03-01"]
runner = CliRunner()

# A later Kushner volume holding his copy of the WikiLeaks forward (the recipient's Message-ID,
# as HICKS-000101 carries it): an import that matches a known item.
LATER_VOLUME = """
productions:
  - slug: kushner-vol002
    party: kushner
    volume: KUSHNER002
    date_received: 2017-11-20
    answers: [sjc-2017-11-16]
    bates_prefix: KUSHNER-
    documents:
      - bates: KUSHNER-000101
        type: email
        custodian: Jared Kushner
        date_sent: 2016-09-21 15:58:00
        from: Jared Kushner <jared@campaign.example>
        to: [Hope Hicks <hhicks@campaign.example>]
        subject: "Fwd: WikiLeaks DM"
        message_id: <INBOX-A7F3.20160921155800@mail.campaign.example>
        answers: [sjc-2017-11-16#3]
"""

MAIN_AT = {c.key: i for i, c in enumerate(MAIN_COLUMNS)}  # the main screen's columns


def _cli(engine: Engine, *args: str) -> str:
    url = engine.url.render_as_string(hide_password=False)
    result = runner.invoke(app, ["--db", url, *args])
    assert result.exit_code == 0, result.output
    return result.output


def _faces(engine: Engine, as_of: dt.date) -> dict[str, dict[str, tuple[int, int, int]]]:
    """Per face, per party: (gaps, known produced, known total)."""
    when = as_of.isoformat()
    views.clear_cache()
    main: dict[str, tuple[int, int, int]] = {}
    for summary in party_summaries(engine, as_of=as_of):
        cells = party_record(summary).cells
        produced, total = re.findall(r"(\d+)/(\d+)", str(cells[MAIN_AT["produced"]]))[0]
        main[summary.party] = (int(str(cells[MAIN_AT["gaps"]])), int(produced), int(total))
    header: dict[str, tuple[int, int, int]] = {}
    tab: dict[str, tuple[int, int]] = {}
    for slug in main:
        views.clear_cache()
        party = fetch_party(engine, slug, as_of)
        caption = party_caption(party, as_of)
        gaps = int(re.search(r"(\d+) gaps", caption).group(1))  # type: ignore[union-attr]
        produced, total = re.search(r"produced (\d+)/(\d+)", caption).groups()  # type: ignore[union-attr]
        header[slug] = (gaps, int(produced), int(total))
        rows = [KnownTable.record(k) for k in party.known]
        counted = [r for r in rows if r.data.counted]
        tab[slug] = (
            sum(1 for r in counted if str(r.cells[2]) == KnownStatus.PRODUCED),
            len(counted),
        )
    views.clear_cache()
    status = json.loads(_cli(engine, "status", "--as-of", when, "--format", "json"))
    status_line = {
        p["party"]: (p["outstanding_gaps"], p["known_produced"], p["known_total"])
        for p in status["parties"]
    }
    views.clear_cache()
    listed = json.loads(_cli(engine, "gaps", "--as-of", when, "--format", "json"))["gaps"]
    gaps_cli = {slug: sum(1 for g in listed if g["party"] == slug) for slug in main}
    return {
        "main": main,
        "header": header,
        "status": status_line,
        "known tab": {s: (main[s][0], *tab[s]) for s in main},
        "gaps": {s: (gaps_cli[s], main[s][1], main[s][2]) for s in main},
    }


def _letter_agrees(engine: Engine, as_of: dt.date, party: str) -> None:
    """The letter cites each known item the party still owes, once (its confirmed count)."""
    from gaptrack.errors import GaptrackError
    from gaptrack.gaps.model import GapKind
    from gaptrack.service.letter import letter_model

    views.clear_cache()
    try:
        model = letter_model(engine, party=party, as_of=as_of)
    except GaptrackError:
        return  # no letter to this party yet
    view = views.case_view(engine, as_of=as_of, party=party).party_view(party)
    assert view is not None
    due = {(r.request, i.item): i.deadline for r in view.ledger for i in r.items}
    # Known items, and the kinds the letter cites as confirmed deficiencies without review.
    cited = {GapKind.KNOWN_NOT_PRODUCED, GapKind.INCOMPLETE_FAMILY,
             GapKind.PRIVILEGE_CONTRADICTED}
    owed = [
        g for g in view.gaps
        if g.kind in cited
        # Items not yet due are not deficiencies (the letter leaves them out).
        and (due.get((g.request, g.item)) or dt.date.min) < as_of
    ]
    # Requests with nothing produced are cited by request, not by document: counted apart.
    documents = sum(len(s.entries) for s in model.sections if s.kind.value != "nothing")
    assert documents == len(owed), f"the letter to {party} as of {as_of}"


def _assert_agree(engine: Engine, as_of: dt.date) -> dict[str, tuple[int, int, int]]:
    faces = _faces(engine, as_of)
    main = faces["main"]
    for name, figures in faces.items():
        assert figures == main, f"{name} disagrees with the main screen as of {as_of}"
    for party in ("kushner", "carter-page", "paula"):
        if party in main:
            _letter_agrees(engine, as_of, party)
    return main


def test_every_face_agrees_on_the_fixtures(engine: Engine) -> None:
    load_case_files(engine, sorted(FIXTURES.glob("*.yaml")))
    seen = {when: _assert_agree(engine, dt.date.fromisoformat(when)) for when in DATES}
    assert seen["2017-11-16"]["kushner"][1:] == (0, 4)  # four known, none produced yet


def test_every_face_agrees_after_an_import_matches_a_known_item(
    engine: Engine, tmp_path: Path
) -> None:
    load_case_files(engine, sorted(FIXTURES.glob("*.yaml")))
    later = tmp_path / "kushner-vol002.yaml"
    later.write_text(LATER_VOLUME, encoding="utf-8")
    load_case_files(engine, [later])
    before = _assert_agree(engine, dt.date(2017, 11, 16))
    after = _assert_agree(engine, dt.date(2017, 11, 25))
    assert before["kushner"][1:] == (0, 4)
    assert after["kushner"][1:] == (1, 4)  # the copy matched: produced on every face
    known = {k.slug: k for k in fetch_party(engine, "kushner", dt.date(2017, 11, 25)).known}
    forward = known["kushner-wikileaks-forward"]
    assert forward.status is KnownStatus.PRODUCED
    assert forward.recorded_status is KnownStatus.OUTSTANDING
    assert forward.produced_bates == "KUSHNER-000101"


def test_every_face_agrees_on_the_family_and_waiver_gaps(
    engine: Engine, tmp_path: Path
) -> None:
    from tests.familycase import load_family_case

    load_family_case(engine, tmp_path)
    seen = {when: _assert_agree(engine, dt.date.fromisoformat(when))
            for when in ("2017-03-01", "2017-04-01", "2017-06-01")}
    # 2 nothing-produced, 2 overdue, 3 incomplete-family and 1 privilege-contradicted gaps;
    # the known item is produced by then.
    assert seen["2017-06-01"]["paula"] == (8, 1, 1)
    assert seen["2017-04-01"]["paula"][1:] == (0, 1)  # asked for, not yet produced


def test_every_face_agrees_on_a_synthetic_case(engine: Engine) -> None:
    build_synthetic(engine, 3000, parties=8, known_items=60)
    totals = [_assert_agree(engine, dt.date.fromisoformat(when)) for when in ("2017-09-01",)]
    assert sum(v[0] for v in totals[0].values()) > 100  # the case has gaps to count


@pytest.mark.parametrize(
    "args",
    [
        ["gaps", "--check"],
        ["status"],
        ["letter", "--party", "kushner"],
        ["export"],
        ["findings", "dismiss", "inferred:a:b#1:C", "--reason", "r"],
        ["db", "info"],
    ],
)
def test_read_commands_never_create_a_database(tmp_path: Path, args: list[str]) -> None:
    missing = tmp_path / "typo.db"
    result = cli(missing, *args)
    assert not missing.exists()
    if args == ["db", "info"]:
        assert result.returncode == 0 and "no database" in result.stdout
        return
    assert result.returncode == 2
    assert result.stderr.startswith(f"error: No database: no gaptrack database at {missing}; ")
    assert "gaptrack db init or load/import" in result.stderr
    assert result.stdout == ""


def test_usage_errors_share_the_error_style(tmp_path: Path) -> None:
    result = cli(tmp_path / "x.db", "gaps", "--nope")
    assert result.returncode == 2
    assert result.stderr.startswith("error: Bad usage: ")
    assert "Error:" not in result.stderr


def test_a_party_screen_reuses_the_main_screens_computation(engine: Engine) -> None:
    load_case_files(engine, sorted(FIXTURES.glob("*.yaml")))
    views.clear_cache()
    whole = views.case_view(engine, as_of=dt.date(2017, 11, 16))
    party = views.case_view(engine, as_of=dt.date(2017, 11, 16), party="kushner")
    [kushner] = party.parties
    # The same rows (not equal ones computed again): one engine run for both screens.
    assert kushner.gaps[0] is whole.party_view("kushner").gaps[0]  # type: ignore[union-attr]
    assert kushner.ledger[0] is whole.party_view("kushner").ledger[0]  # type: ignore[union-attr]


def test_reads_never_refresh_derived_facts(engine: Engine) -> None:
    import sqlalchemy as sa

    from gaptrack.gaps import sql as t
    from gaptrack.service.coverage import coverage_report
    from gaptrack.service.threads import party_threads

    load_case_files(engine, sorted(FIXTURES.glob("*.yaml")))
    with engine.connect() as connection:
        before = connection.execute(sa.select(t.derived_state.c.data)).all()
    with engine.begin() as connection:  # a change that derivation would notice
        connection.execute(sa.insert(t.party_address).values(
            party_id=connection.execute(sa.select(t.party.c.id).limit(1)).scalar_one(),
            address="someone-new@example.org",
        ))
    views.clear_cache()
    views.case_view(engine, as_of=dt.date(2017, 11, 16))
    party_summaries(engine, as_of=dt.date(2017, 11, 16))
    # Coverage and threads read what derivation keeps; they never derive either.
    coverage_report(engine, "kushner", as_of=dt.date(2017, 11, 16))
    party_threads(engine, "kushner")
    with engine.connect() as connection:
        assert connection.execute(sa.select(t.derived_state.c.data)).all() == before
