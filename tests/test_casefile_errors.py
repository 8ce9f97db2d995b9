"""Bad case files: the message names the file, the line and the field; nothing changes."""

from __future__ import annotations

from pathlib import Path

import pytest
from sqlalchemy.engine import Engine

from gaptrack.errors import CaseFileError
from gaptrack.service.cases import load_case_files
from tests.conftest import FIXTURES
from tests.support import cli as _cli
from tests.support import table_snapshot

GOOD = """\
committees:
  - slug: hpsci-test
    name: Test Committee
    chamber: house
parties:
  - slug: alice
    name: Alice Example
    addresses: [alice@example.test]
requests:
  - slug: req-1
    committee: hpsci-test
    title: Test letter
    date_sent: 2020-01-02
    to: [alice]
    items:
      - number: 1
        text: Everything.
productions:
  - slug: alice-vol1
    party: alice
    volume: VOL001
    date_received: 2020-02-01
    bates_prefix: ALICE-
    documents:
      - bates: ALICE-000001
        type: email
        date_sent: 2020-01-15 10:00:00
        from: alice@example.test
        subject: Hello
        answers: [req-1#1]
      - bates: ALICE-000002
        type: memo
"""


def line_of(text: str, needle: str) -> int:
    """1-based line of the first line containing ``needle``."""
    for number, line in enumerate(text.splitlines(), start=1):
        if needle in line:
            return number
    raise AssertionError(f"{needle!r} not in the test text")


# (case id, text replaced, replacement, line marker (in the bad text), field, words in reason)
CASES = [
    ("invalid-yaml", "    name: Alice Example\n", "    name: [Alice Example\n",
     None, None, "invalid YAML"),
    ("missing-field", "    name: Alice Example\n", "", "- slug: alice", "parties[0].name",
     "required"),
    ("misspelled-field", "    volume: VOL001\n", "    volumen: VOL001\n", "volumen:",
     "productions[0].volumen", "unknown field (check the spelling); did you mean 'volume'?"),
    ("misspelled-optional", "        subject: Hello\n", "        subjet: Hello\n", "subjet:",
     "productions[0].documents[0].subjet", "did you mean 'subject'?"),
    ("mistyped-field", "        type: memo\n", "        type: memo\n        pages: many\n",
     "pages: many", "productions[0].documents[1].pages", "integer"),
    ("bad-enum", "    chamber: house\n", "    chamber: lower\n", "chamber: lower",
     "committees[0].chamber", "lower"),
    ("unknown-party", "    party: alice\n", "    party: bob\n", "party: bob",
     "productions[0].party", "unknown party 'bob'"),
    ("unknown-item", "answers: [req-1#1]", "answers: [req-1#7]", "answers: [req-1#7]",
     "productions[0].documents[0].answers[0]", "req-1#7"),
    ("unknown-request", "    to: [alice]\n", "    to: [alice]\n    follows_up: req-0\n",
     "follows_up: req-0", "requests[0].follows_up", "unknown request 'req-0'"),
    ("duplicate-bates", "      - bates: ALICE-000002\n", "      - bates: ALICE-000001\n",
     "bates: ALICE-000001\n        type: memo", "productions[0].documents[1].bates",
     "duplicate Bates number ALICE-000001"),
    ("bad-date", "date_sent: 2020-01-15 10:00:00", "date_sent: 2020-13-45 10:00:00",
     "2020-13-45", "productions[0].documents[0].date_sent", "2020-13-45"),
    ("bad-date-only", "date_sent: 2020-01-02", "date_sent: 2nd of January",
     "2nd of January", "requests[0].date_sent", "date"),
]


def bad_text(old: str, new: str) -> str:
    assert old in GOOD
    return GOOD.replace(old, new, 1)


def expected_line(text: str, marker: str | None) -> int | None:
    if marker is None:
        return None
    if "\n" in marker:  # a marker over two lines: the first one
        index = text.index(marker)
        return text.count("\n", 0, index) + 1
    return line_of(text, marker)


@pytest.fixture
def loaded(engine: Engine) -> Engine:
    """A database that already holds a case, so "nothing changed" means something."""
    load_case_files(engine, [FIXTURES / "sjc-kushner-2017.yaml"])
    return engine


def test_good_file_loads(engine: Engine, tmp_path: Path) -> None:
    path = tmp_path / "good.yaml"
    path.write_text(GOOD)
    report = load_case_files(engine, [path])
    assert report.to_dict()["added"]["document"] == 2


@pytest.mark.parametrize(("old", "new", "marker", "field", "reason"),
                         [c[1:] for c in CASES], ids=[c[0] for c in CASES])
def test_bad_input_names_file_line_field_and_changes_nothing(
    loaded: Engine, tmp_path: Path, old: str, new: str, marker: str | None, field: str | None,
    reason: str,
) -> None:
    text = bad_text(old, new)
    path = tmp_path / "bad.yaml"
    path.write_text(text)
    before = table_snapshot(loaded)
    with pytest.raises(CaseFileError) as info:
        load_case_files(loaded, [FIXTURES / "sjc-kushner-2017.yaml", path])
    error = info.value
    assert error.file == str(path)
    assert reason in error.message
    if marker is not None:
        assert error.line == expected_line(text, marker)
        assert error.message.startswith(f"{path}:{error.line}: field '{field}': ")
    else:  # invalid YAML: the line where the parser gave up
        assert error.line is not None and error.line >= line_of(text, "[Alice Example")
        assert error.message.startswith(f"{path}:{error.line}: ")
    assert table_snapshot(loaded) == before


def test_invalid_yaml_reports_its_line(engine: Engine, tmp_path: Path) -> None:
    path = tmp_path / "tabs.yaml"
    path.write_text("parties:\n  - slug: a\n\tname: A\n")
    with pytest.raises(CaseFileError) as info:
        load_case_files(engine, [path])
    assert info.value.line == 3
    assert str(info.value).startswith(f"{path}:3: invalid YAML")


def test_duplicate_key_is_an_error(engine: Engine, tmp_path: Path) -> None:
    path = tmp_path / "dupkey.yaml"
    path.write_text(GOOD.replace("    volume: VOL001\n", "    volume: VOL001\n    volume: X\n"))
    with pytest.raises(CaseFileError) as info:
        load_case_files(engine, [path])
    assert info.value.field == "productions[0].volume"
    assert info.value.line == line_of(path.read_text(), "volume: X")


def test_duplicate_bates_across_files(engine: Engine, tmp_path: Path) -> None:
    first = tmp_path / "one.yaml"
    first.write_text(GOOD)
    second = tmp_path / "two.yaml"
    text = (
        "productions:\n"
        "  - slug: alice-vol2\n"
        "    party: alice\n"
        "    volume: VOL002\n"
        "    date_received: 2020-03-01\n"
        "    documents:\n"
        "      - bates: ALICE-000002\n"
    )
    second.write_text(text)
    before = table_snapshot(engine)
    with pytest.raises(CaseFileError) as info:
        load_case_files(engine, [first, second])
    assert info.value.file == str(second)
    assert info.value.line == 7
    assert info.value.field == "productions[0].documents[0].bates"
    assert f"{first}:" in info.value.message  # where the number was first used
    assert table_snapshot(engine) == before


def test_duplicate_bates_against_the_database(engine: Engine, tmp_path: Path) -> None:
    first = tmp_path / "one.yaml"
    first.write_text(GOOD)
    load_case_files(engine, [first])
    second = tmp_path / "two.yaml"
    second.write_text(
        "productions:\n"
        "  - slug: alice-vol2\n"
        "    party: alice\n"
        "    volume: VOL002\n"
        "    date_received: 2020-03-01\n"
        "    documents:\n"
        "      - bates: ALICE-000003\n"
        "      - bates: ALICE-000001\n"
    )
    before = table_snapshot(engine)
    with pytest.raises(CaseFileError) as info:
        load_case_files(engine, [second])
    assert (info.value.line, info.value.field) == (8, "productions[0].documents[1].bates")
    assert "'alice-vol1'" in info.value.message
    assert table_snapshot(engine) == before


def test_conflicting_shared_definition(engine: Engine, tmp_path: Path) -> None:
    first = tmp_path / "one.yaml"
    first.write_text(GOOD)
    second = tmp_path / "two.yaml"
    second.write_text("parties:\n  - slug: alice\n    name: Alice Other\n")
    with pytest.raises(CaseFileError) as info:
        load_case_files(engine, [first, second])
    assert (info.value.file, info.value.line) == (str(second), 2)
    assert "defined differently" in info.value.message


@pytest.mark.parametrize(("old", "new", "marker", "field"),
                         [c[1:5] for c in CASES if c[0] in ("unknown-party", "bad-date",
                                                            "duplicate-bates", "missing-field")],
                         ids=["missing-field", "unknown-party", "duplicate-bates", "bad-date"])
def test_cli_exits_2_with_file_line_field(
    db_url: str, loaded: Engine, tmp_path: Path, old: str, new: str, marker: str, field: str
) -> None:
    text = bad_text(old, new)
    path = tmp_path / "bad.yaml"
    path.write_text(text)
    before = table_snapshot(loaded)
    result = _cli(db_url, "load", str(path))
    assert result.returncode == 2, result.stderr
    line = expected_line(text, marker)
    assert result.stderr.startswith("error: ")
    assert f"{path}:{line}: field '{field}'" in result.stderr
    assert result.stdout == ""
    assert table_snapshot(loaded) == before


SEMANTIC = [
    ("known-without-document",
     "known_items:\n  - {slug: k1, party: alice, description: d, basis: other-production}\n",
     2, "known_items[0].document", "needs the other party's document"),
    ("known-own-document",
     "known_items:\n  - {slug: k1, party: alice, description: d, basis: other-production,\n"
     "     document: ALICE-000001, role: sender}\n",
     3, "known_items[0].document", "own document"),  # the line of the key
    ("produced-as-other-party",
     "parties:\n  - {slug: bob, name: Bob}\n"
     "known_items:\n  - {slug: k1, party: bob, description: d, basis: presumed,\n"
     "     produced_as: ALICE-000001}\n",
     5, "known_items[0].produced_as", "not by 'bob'"),
]


@pytest.mark.parametrize(("extra", "line", "field", "reason"), [c[1:] for c in SEMANTIC],
                         ids=[c[0] for c in SEMANTIC])
def test_known_item_evidence_is_checked(
    engine: Engine, tmp_path: Path, extra: str, line: int, field: str, reason: str
) -> None:
    good = tmp_path / "good.yaml"
    good.write_text(GOOD)
    path = tmp_path / "extra.yaml"
    path.write_text(extra)
    before = table_snapshot(engine)
    with pytest.raises(CaseFileError) as info:
        load_case_files(engine, [good, path])
    assert (info.value.file, info.value.line, info.value.field) == (str(path), line, field)
    assert reason in info.value.message
    assert table_snapshot(engine) == before


def test_item_date_range_and_bates_prefix_are_checked(engine: Engine, tmp_path: Path) -> None:
    path = tmp_path / "range.yaml"
    path.write_text(GOOD.replace("        text: Everything.\n",
                                 "        text: Everything.\n        date_from: 2020-02-01\n"
                                 "        date_to: 2020-01-01\n"))
    with pytest.raises(CaseFileError) as info:
        load_case_files(engine, [path])
    assert info.value.field == "requests[0].items[0].date_to"
    path.write_text(GOOD.replace("      - bates: ALICE-000002\n", "      - bates: BOB-000002\n"))
    with pytest.raises(CaseFileError) as info:
        load_case_files(engine, [path])
    assert info.value.field == "productions[0].documents[1].bates"
    assert "prefix 'ALICE-'" in info.value.message


def test_an_address_identifies_one_party(engine: Engine, tmp_path: Path) -> None:
    path = tmp_path / "two.yaml"
    path.write_text(GOOD.replace(
        "    addresses: [alice@example.test]\n",
        "    addresses: [alice@example.test]\n  - slug: bob\n    name: Bob\n"
        "    addresses: [bob@example.test, Alice@Example.test]\n"))
    with pytest.raises(CaseFileError) as info:
        load_case_files(engine, [path])
    assert (info.value.line, info.value.field) == (11, "parties[1].addresses[1]")
    assert "already belongs to 'alice'" in info.value.message
    # Against the database: alice (not redefined by the second file) keeps her address.
    good = tmp_path / "good.yaml"
    good.write_text(GOOD)
    load_case_files(engine, [good])
    other = tmp_path / "other.yaml"
    other.write_text("parties:\n  - slug: bob\n    name: Bob\n    addresses:\n"
                     "      - alice@example.test\n")
    before = table_snapshot(engine)
    with pytest.raises(CaseFileError) as info:
        load_case_files(engine, [other])
    assert (info.value.line, info.value.field) == (5, "parties[0].addresses[0]")
    assert "belongs to party 'alice' in the database" in info.value.message
    assert table_snapshot(engine) == before


@pytest.mark.parametrize(("content", "line", "reason"), [
    (b"parties:\n  - slug: a\n    name: caf\xe9\n", 3, "not UTF-8"),
    (b"- just\n- a list\n", 1, "a case file is a mapping"),
    (b"parties:\n  - slug: Not A Slug\n    name: X\n", 2, "should match pattern"),
])
def test_other_malformed_files(engine: Engine, tmp_path: Path, content: bytes, line: int,
                               reason: str) -> None:
    path = tmp_path / "odd.yaml"
    path.write_bytes(content)
    with pytest.raises(CaseFileError) as info:
        load_case_files(engine, [path])
    assert (info.value.file, info.value.line) == (str(path), line)
    assert reason in info.value.message
