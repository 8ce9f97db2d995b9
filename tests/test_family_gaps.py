"""The incomplete-family and privilege-contradicted gap kinds, on both backends: which
attachments count as the same file, which log entries are the same email another party
produced, and how every face (gaps, the letter) shows them."""

from __future__ import annotations

import datetime as dt
import json
from pathlib import Path

from sqlalchemy.engine import Engine
from typer.testing import CliRunner

from gaptrack.cli.main import app
from gaptrack.gaps.model import GapKind
from gaptrack.service import views
from gaptrack.service.letter import draft_letter, letter_model
from tests.familycase import AS_OF, load_family_case

runner = CliRunner()


def _gaps(engine: Engine, kind: GapKind, as_of: dt.date = AS_OF) -> dict[str, list[str]]:
    views.clear_cache()
    return {
        g.key: list(g.evidence.bates)
        for g in views.case_view(engine, as_of=as_of).gaps
        if g.kind is kind
    }


def test_a_family_missing_one_attachment_is_a_gap_of_the_party(
    engine: Engine, tmp_path: Path
) -> None:
    load_family_case(engine, tmp_path)
    found = _gaps(engine, GapKind.INCOMPLETE_FAMILY)
    # Budget.xlsx only; the lease (same MD5, other case) and the map (same name and pages)
    # are Paula's own attachments. An email with no attachments lacks Quinn's one; a draft
    # with another MD5 is another version. Quinn is asked nothing: it owes nothing.
    assert found == {
        "incomplete-family:paula:PAULA-0001:QUINN-0007": ["QUINN-0007"],
        "incomplete-family:paula:PAULA-0007:QUINN-0011": ["QUINN-0011"],
        "incomplete-family:paula:PAULA-0008:QUINN-0013": ["QUINN-0013"],
    }
    [gap] = [g for g in views.case_view(engine, as_of=AS_OF).gaps
             if g.key.endswith("QUINN-0007")]
    assert gap.party == "paula" and gap.evidence.producing_party == "quinn"
    assert gap.evidence.referring_bates == ["PAULA-0001"]
    assert "with 2 attachments" in gap.evidence.summary


def test_a_family_counts_only_productions_received_by_the_date(
    engine: Engine, tmp_path: Path
) -> None:
    load_family_case(engine, tmp_path)
    # Quinn's volume arrived 2017-02-15, Paula's 2017-03-10: before then no two copies exist.
    assert _gaps(engine, GapKind.INCOMPLETE_FAMILY, dt.date(2017, 3, 1)) == {}


def test_an_attachment_paula_adds_later_closes_the_gap(engine: Engine, tmp_path: Path) -> None:
    from tests.familycase import CASE

    later = CASE + """
  - slug: paula-vol3
    party: paula
    volume: PAULA003
    date_received: 2017-05-10
    bates_prefix: PAULA-
    documents:
      - {bates: PAULA-0200, type: email, custodian: Paula Park, date_sent: 2017-01-10 09:00:00,
         from: Paula Park <paula@p.example>, to: [Quinn Quade <quinn@q.example>],
         subject: Lease terms, message_id: <lease@p.example>, text: Terms attached.}
      - {bates: PAULA-0201, type: attachment, parent: PAULA-0200, title: budget.xlsx,
         md5: cccc0000cccc0000cccc0000cccc0000}
"""
    # The new volume must sit with the productions: put it before the known items.
    head, tail = later.split("known_items:", 1)
    extra = tail[tail.index("  - slug: paula-vol3"):]
    tail = tail[: tail.index("  - slug: paula-vol3")]
    load_family_case(engine, tmp_path, head + extra + "known_items:" + tail)
    found = _gaps(engine, GapKind.INCOMPLETE_FAMILY)
    assert "incomplete-family:paula:PAULA-0001:QUINN-0007" not in found  # another copy has it
    assert "incomplete-family:paula:PAULA-0001:QUINN-0007" in _gaps(
        engine, GapKind.INCOMPLETE_FAMILY, dt.date(2017, 5, 1)
    )


def test_a_logged_entry_another_party_produced_is_a_possible_waiver(
    engine: Engine, tmp_path: Path
) -> None:
    load_family_case(engine, tmp_path)
    # P-7 only: P-8 is four days off, P-9 names someone not on the email, and P-10's email
    # was logged by Quinn too (a slip sheet), so Quinn made no disclosure.
    assert _gaps(engine, GapKind.PRIVILEGE_CONTRADICTED) == {
        "privilege-contradicted:paula:P-7": ["QUINN-0015"],
    }
    [gap] = [g for g in views.case_view(engine, as_of=AS_OF).gaps
             if g.kind is GapKind.PRIVILEGE_CONTRADICTED]
    assert gap.evidence.privilege_entry == "entry P-7: attorney-client"
    assert "possible waiver" in gap.evidence.summary


def test_the_gaps_command_lists_both_kinds(engine: Engine, tmp_path: Path) -> None:
    load_family_case(engine, tmp_path)
    views.clear_cache()
    url = engine.url.render_as_string(hide_password=False)
    result = runner.invoke(app, ["--db", url, "gaps", "--as-of", AS_OF.isoformat(),
                                 "--kind", "privilege-contradicted,incomplete-family",
                                 "--format", "json"])
    assert result.exit_code == 0, result.output
    kinds = [g["kind"] for g in json.loads(result.output)["gaps"]]
    assert sorted(kinds) == ["incomplete-family"] * 3 + ["privilege-contradicted"]
    table = runner.invoke(app, ["--db", url, "gaps", "--as-of", AS_OF.isoformat(),
                                "--kind", "privilege-contradicted"])
    assert table.exit_code == 0, table.output
    assert "privilege-contradicted" in table.output and "QUINN-0015" in table.output
    assert "waiver." in table.output


def test_the_letter_has_a_heading_for_each(engine: Engine, tmp_path: Path) -> None:
    load_family_case(engine, tmp_path)
    views.clear_cache()
    model = letter_model(engine, party="paula", as_of=AS_OF)
    sections = {s.kind.value: s for s in model.sections}
    family = sections["incomplete-family"]
    assert family.heading == "Attachments missing from produced emails"
    assert [e.bates for e in family.entries] == [["QUINN-0007"], ["QUINN-0011"], ["QUINN-0013"]]
    assert family.entries[0].sentence() == (
        'The attachment Budget.xlsx to an email from Paula Park of January 10, 2017, '
        '"Lease terms", which was produced as PAULA-0001 without it; produced by Quinn Quade '
        "as QUINN-0007."
    )
    waiver = sections["contradicted"]
    assert waiver.heading == "Documents withheld as privileged that another party produced"
    assert waiver.entries[0].sentence() == (
        'An email from Paula Park of February 2, 2017, "Settlement terms"; logged as entry '
        "P-7: attorney-client; produced by Quinn Quade as QUINN-0015."
    )
    text = draft_letter(engine, party="paula", as_of=AS_OF, fmt="html")
    assert isinstance(text, str)
    assert "Documents withheld as privileged that another party produced" in text


def test_a_withheld_document_another_party_produced_is_cited_once(
    engine: Engine, tmp_path: Path
) -> None:
    from tests.familycase import CASE

    # Quinn's copy answers Paula's item and the log's date is its own: the engine reports it
    # as withheld (Paula lacks it, her log names it) and as contradicted (Quinn produced it).
    case = CASE.replace(
        "subject: Settlement terms, text: Our position on settlement.}",
        "subject: Settlement terms, text: Our position on settlement., answers: [r1#1]}",
    ).replace("{entry_no: P-7, date: 2017-02-01,", "{entry_no: P-7, date: 2017-02-02,")
    load_family_case(engine, tmp_path, case)
    views.clear_cache()
    kinds = {g.kind for g in views.case_view(engine, as_of=AS_OF).gaps
             if "QUINN-0015" in g.evidence.bates}
    assert kinds == {GapKind.WITHHELD, GapKind.PRIVILEGE_CONTRADICTED}
    model = letter_model(engine, party="paula", as_of=AS_OF)
    cited = [(s.kind.value, e.bates) for s in model.sections for e in s.entries
             if "QUINN-0015" in e.bates]
    assert cited == [("contradicted", ["QUINN-0015"])]
