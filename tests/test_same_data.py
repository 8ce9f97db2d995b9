"""Both backends accept the same data (issue 17, line 8).

Lengths, NUL bytes and integer ranges are checked once where values enter, so what loads on
SQLite loads on PostgreSQL, or both refuse it with the same clean error: long participant
names and addresses in headers (cut to their columns: the document keeps the header), an
``--actor`` or ``--production`` past its column, and every case-file string field past its
column's width. Numbers past PostgreSQL's INTEGER and NUL bytes: tests/test_bad_input.py.
"""

from __future__ import annotations

from pathlib import Path

import pytest
import sqlalchemy as sa
from sqlalchemy.engine import Engine

from gaptrack.casefile.widths import width
from gaptrack.errors import CaseFileError, InputError
from gaptrack.importers.dat import write_dat
from gaptrack.limits import ADDRESS_WIDTH, NAME_WIDTH
from gaptrack.models import metadata
from gaptrack.service.cases import load_case_files
from gaptrack.service.intake import import_dat, import_mail
from tests.importers.builders import create_party
from tests.support import cli as _cli
from tests.support import row_counts

LONG_NAME = "Very Long Name " * 30  # 450 characters
CUT = LONG_NAME[:NAME_WIDTH].rstrip()
LONG_ADDRESS = "x" * 330 + "@long.example"


def test_the_limits_are_the_columns() -> None:
    columns = metadata.tables["document_participant"].c
    assert (columns.name.type.length, columns.name_norm.type.length) == (NAME_WIDTH, NAME_WIDTH)
    assert columns.address.type.length == ADDRESS_WIDTH


def _participants(engine: Engine) -> list[tuple[str, str | None, str | None]]:
    with engine.connect() as conn:
        return sorted(conn.execute(sa.text(  # type: ignore[arg-type]
            "SELECT role, name, address FROM document_participant")).all())


def test_long_header_names_and_addresses_load_alike(engine: Engine, tmp_path: Path) -> None:
    create_party(engine)
    path = tmp_path / "long.dat"
    sender = f'"{LONG_NAME}" <{LONG_ADDRESS}>'
    write_dat(path, [["ABC-1", "ABC-1", sender, f"{LONG_NAME} <b@y.example>", "hello"]],
              header=["BEGBATES", "ENDBATES", "FROM", "TO", "SUBJECT"])
    import_dat(engine, path, party="kushner", production="LONG")
    people = _participants(engine)
    assert people == [("sender", CUT, None), ("to", CUT, "b@y.example")]
    with engine.connect() as conn:  # the header itself is kept as written
        assert conn.execute(sa.text("SELECT sender FROM document")).scalar_one() == sender


def test_a_long_mail_display_name_loads_alike(engine: Engine, tmp_path: Path) -> None:
    create_party(engine)
    path = tmp_path / "long.eml"
    path.write_text(f'From: "{LONG_NAME}" <a@x.example>\nTo: b@y.example\nSubject: s\n'
                    "Message-ID: <long@x.example>\n\nbody\n", encoding="utf-8")
    import_mail(engine, path, party="kushner", production="LONGMAIL")
    assert ("sender", CUT, "a@x.example") in _participants(engine)


def test_a_long_actor_or_production_is_refused_alike(engine: Engine, db_url: str,
                                                     tmp_path: Path) -> None:
    create_party(engine)
    path = tmp_path / "one.dat"
    write_dat(path, [["ABC-1", "ABC-1"]], header=["BEGBATES", "ENDBATES"])
    before = row_counts(engine)
    actor = _cli(db_url, "--actor", "a" * 121, "import", "dat", str(path), "--party", "kushner")
    assert actor.returncode == 2 and "Traceback" not in actor.stderr, actor.stderr
    assert "--actor: is 121 characters long; at most 120 fit" in actor.stderr
    with pytest.raises(InputError, match="--production: is 121 characters long"):
        import_dat(engine, path, party="kushner", production="P" * 121)
    with pytest.raises(InputError, match="--actor: holds a NUL byte"):
        import_dat(engine, path, party="kushner", production="P", actor="a\x00b")
    assert row_counts(engine) == before


# (section YAML with {v} where the long value goes, the field named, its model and field)
CASE_FIELDS = {
    "party name": ("parties:\n  - {{slug: p, name: {v}}}\n", "name", "PartySpec", "name"),
    "alias": ("parties:\n  - {{slug: p, name: P, aliases: [{v}]}}\n", "aliases[0]",
              "PartySpec", "aliases"),
    "address": ("parties:\n  - {{slug: p, name: P, addresses: [{v}]}}\n", "addresses[0]",
                "PartySpec", "addresses"),
    "honorific": ("counsel:\n  - {{slug: c, name: C, honorific: {v}}}\n", "honorific",
                  "CounselSpec", "honorific"),
    "committee contact email": (
        "committees:\n  - {{slug: c, name: C, chamber: house, contacts: "
        "[{{name: N, email: {v}}}]}}\n", "email", "ContactSpec", "email"),
    "event actor": ("events:\n  - {{at: 2020-01-01T00:00:00, actor: {v}, action: note}}\n",
                    "actor", "EventSpec", "actor"),
    "event key": ("events:\n  - {{at: 2020-01-01T00:00:00, actor: a, action: note, "
                  "key: {v}}}\n", "key", "EventSpec", "key"),
}


@pytest.mark.parametrize("case", list(CASE_FIELDS), ids=list(CASE_FIELDS))
def test_case_file_strings_past_their_column_are_refused_alike(
    engine: Engine, tmp_path: Path, case: str
) -> None:
    text, field, model, name = CASE_FIELDS[case]
    most = width(model, name)
    assert most is not None
    path = tmp_path / "long.yaml"
    path.write_text(text.format(v="v" * (most + 1)), encoding="utf-8")
    before = row_counts(engine)
    with pytest.raises(CaseFileError) as caught:
        load_case_files(engine, [path])
    message = str(caught.value)
    assert f"{path}:" in message and field in message, message
    assert f"is {most + 1} characters long; at most {most} fit" in message
    assert row_counts(engine) == before
    path.write_text(text.format(v="v" * most), encoding="utf-8")  # at the width: it loads
    load_case_files(engine, [path])
