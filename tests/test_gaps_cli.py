"""The acceptance of issue 3 through the real CLI: ``gaps --format json`` and ``letter`` on the
Kushner fixture; ``--check`` and error exit codes."""

from __future__ import annotations

import json

import pytest
from sqlalchemy.engine import Engine

from gaptrack.service.cases import load_case_files
from tests.conftest import FIXTURES
from tests.support import cli as run


@pytest.fixture
def kushner(engine: Engine, db_url: str) -> str:
    load_case_files(engine, [FIXTURES / "sjc-kushner-2017.yaml"])
    return db_url


def test_acceptance_gaps_json(kushner: str) -> None:
    result = run(kushner, "gaps", "--party", "kushner", "--format", "json", "--as-of",
                 "2017-11-16")  # fmt: skip
    assert result.returncode == 0, result.stderr
    document = json.loads(result.stdout)
    assert document["schema"] == "gaptrack/gaps@1"
    gaps = document["gaps"]

    def one(**wanted: object) -> dict[str, object]:
        found = [g for g in gaps if all(
            (g["evidence"] if k in g["evidence"] and k not in g else g).get(k) == v
            for k, v in wanted.items())]  # fmt: skip
        assert len(found) == 1, (wanted, [g["key"] for g in gaps])
        return found[0]

    wikileaks = one(known_item="kushner-wikileaks-forward")
    assert (wikileaks["item"], wikileaks["evidence"]["producing_party"]) == ("3", "hicks")
    assert wikileaks["evidence"]["bates"] == ["HICKS-000101"]
    assert wikileaks["evidence"]["role"] == "forwarded"
    backdoor = one(known_item="kushner-backdoor-overture")
    assert (backdoor["item"], backdoor["evidence"]["producing_party"]) == ("2", "djtfp")
    assert backdoor["evidence"]["bates"] == ["DJTFP-0000340"]
    millian = [g for g in gaps if g["item"] == "2" and g["evidence"]["role"] == "cc"]
    assert {b for g in millian for b in g["evidence"]["bates"]} >= {"DJTFP-0000341"}
    assert all(g["evidence"]["producing_party"] == "djtfp" for g in millian)
    phone = one(known_item="kushner-phone-records")
    assert phone["item"] == "4" and phone["evidence"]["basis"] == "presumed"
    nothing = [g for g in gaps if g["kind"] == "nothing-produced" and g["item"] == "4"]
    assert nothing, "phone records: nothing produced for request 4"
    # The sender's copy of the WikiLeaks forward (DJTFP-0000211, another Message-ID) is the
    # same email as the known item's basis: not reported twice.
    assert not [g for g in gaps if "DJTFP-0000211" in g["evidence"]["bates"]]


@pytest.mark.parametrize("as_of", [["--as-of", "2017-11-16"], []])
def test_acceptance_letter(kushner: str, as_of: list[str]) -> None:
    result = run(kushner, "letter", "--party", "kushner", *as_of)
    assert result.returncode == 0, result.stderr
    text = result.stdout
    forwarded = text.split("## Documents Mr. Kushner forwarded")[1].split("\n## ")[0]
    assert "HICKS-000101" in forwarded and "the third request" in forwarded
    assert "DJTFP-0000340" in forwarded and "the second request" in forwarded
    copied = text.split("## Documents Mr. Kushner received or was copied on")[1].split("\n## ")[0]
    assert "DJTFP-0000341" in copied and "the second request" in copied
    presumed = text.split("## Documents presumed to exist")[1].split("\n## ")[0]
    assert "Phone records" in presumed and "the fourth request" in presumed


def test_check_exit_codes(kushner: str) -> None:
    assert run(kushner, "gaps", "--party", "kushner", "--as-of", "2017-11-16",
               "--check").returncode == 1  # fmt: skip
    # Before the first letter nothing was owed.
    assert run(kushner, "gaps", "--as-of", "2017-10-01", "--check").returncode == 0
    assert run(kushner, "status", "--as-of", "2017-10-01", "--check").returncode == 0
    assert run(kushner, "status", "--as-of", "2017-11-16", "--check").returncode == 1
    bad = run(kushner, "gaps", "--party", "nobody")
    assert bad.returncode == 2 and "unknown party" in bad.stderr
    assert run(kushner, "gaps", "--as-of", "16/11/2017").returncode == 2
    assert run(kushner, "gaps", "--kind", "missing").returncode == 2
    assert run(kushner, "letter", "--party", "kushner", "--format", "pdf").returncode == 2


def test_findings_commands(kushner: str) -> None:
    key = "inferred:kushner:sjc-2017-10-18#3:HICKS-000102"
    listed = run(kushner, "gaps", "--party", "kushner", "--as-of", "2017-11-16", "-f", "csv")
    assert key in listed.stdout
    result = run(kushner, "findings", "dismiss", key, "--reason", "a reply, not a document")
    assert result.returncode == 0, result.stderr
    again = run(kushner, "gaps", "--party", "kushner", "--as-of", "2017-11-16", "-f", "csv")
    assert key not in again.stdout
    assert run(kushner, "findings", "dismiss", key, "--reason", "x").returncode == 2
    promoted = run(kushner, "findings", "promote",
                   "inferred:kushner:sjc-2017-10-18#2:DJTFP-0000343")  # fmt: skip
    assert promoted.returncode == 0, promoted.stderr
    assert "known item" in promoted.stdout
