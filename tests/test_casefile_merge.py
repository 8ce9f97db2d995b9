"""Case files merge, never prune silently (issue 17, line 4).

A file owns only what it declares: a second file re-declaring a shared party with fewer
fields keeps the first file's description, aliases, addresses and counsel. ``load --prune``
lists what no file declares, asks (or ``--yes``), and removes it, one event per row.
"""

from __future__ import annotations

from pathlib import Path

import sqlalchemy as sa
from sqlalchemy.engine import Engine

from gaptrack.service.cases import load_case_files
from tests.support import Ran, cli, table_snapshot

FIRST = """\
counsel:
  - {slug: kc, name: Kim Counsel, firm: Counsel LLP}
  - {slug: lc, name: Lee Counsel}
parties:
  - slug: pat
    name: Pat Party
    description: the first file's words
    honorific: Ms.
    aliases: [P. Party, Patricia Party]
    addresses: [pat@example.test]
    counsel: [kc, lc]
"""
SECOND = """\
parties:
  - slug: pat
    name: Pat Party
    aliases: [Patricia Party]
"""


def _party(engine: Engine) -> tuple[object, ...]:
    with engine.connect() as conn:
        row = conn.execute(sa.text(
            "SELECT description, honorific, kind FROM party WHERE slug = 'pat'")).one()
        aliases = sorted(conn.execute(sa.text("SELECT alias FROM party_alias")).scalars())
        counsel = sorted(conn.execute(sa.text(
            "SELECT c.slug FROM representation r JOIN counsel c ON c.id = r.counsel_id"
        )).scalars())
        addresses = list(conn.execute(sa.text("SELECT address FROM party_address")).scalars())
    return (*row, aliases, counsel, addresses)


def _prunes(engine: Engine) -> list[tuple[str, str, str]]:
    with engine.connect() as conn:
        return sorted(conn.execute(sa.text(  # type: ignore[arg-type]
            "SELECT entity_key, actor, reason FROM event WHERE action = 'casefile.prune'"
        )).all())


def _files(tmp_path: Path) -> tuple[Path, Path]:
    first, second = tmp_path / "first.yaml", tmp_path / "second.yaml"
    first.write_text(FIRST, encoding="utf-8")
    second.write_text(SECOND, encoding="utf-8")
    return first, second


def test_a_file_with_fewer_fields_removes_nothing(engine: Engine, tmp_path: Path) -> None:
    first, second = _files(tmp_path)
    load_case_files(engine, [first])
    loaded = _party(engine)
    assert loaded == ("the first file's words", "Ms.", "person",
                      ["P. Party", "Patricia Party"], ["kc", "lc"], ["pat@example.test"])
    report = load_case_files(engine, [second])
    assert report.to_dict()["removed"] == {}
    assert _party(engine) == loaded
    assert {(e["table"], e["value"]) for e in report.not_declared} == {
        ("party_alias", "P. Party"), ("party_address", "pat@example.test"),
        ("representation", "kc"), ("representation", "lc")}
    assert _prunes(engine) == []


def test_a_null_field_is_cleared(engine: Engine, tmp_path: Path) -> None:
    first, _ = _files(tmp_path)
    load_case_files(engine, [first])
    cleared = tmp_path / "cleared.yaml"
    cleared.write_text("parties:\n  - {slug: pat, name: Pat Party, description: null}\n",
                       encoding="utf-8")
    load_case_files(engine, [cleared])
    assert _party(engine)[:2] == (None, "Ms.")


def test_prune_removes_what_no_file_declares_as_events(engine: Engine, tmp_path: Path) -> None:
    first, second = _files(tmp_path)
    load_case_files(engine, [first])
    before = table_snapshot(engine)
    dry = load_case_files(engine, [second], prune=True, dry_run=True)
    assert len(dry.not_declared) == 4
    assert table_snapshot(engine) == before  # a dry run changes nothing
    report = load_case_files(engine, [second], actor="alice", prune=True)
    assert report.to_dict()["removed"] == {"party_alias": 1, "party_address": 1,
                                           "representation": 2}
    assert _party(engine)[3:] == (["Patricia Party"], [], [])
    prunes = _prunes(engine)
    assert [(key, actor) for key, actor, _ in prunes] == [("pat", "alice")] * 4
    assert any("'P. Party' not declared by second.yaml" in reason for _, _, reason in prunes)


def test_cli_prune_lists_asks_and_needs_yes(db_url: str, tmp_path: Path) -> None:
    first, second = _files(tmp_path)

    def run(*args: str, answer: str = "") -> Ran:
        return cli(db_url, *args, input=answer)

    assert run("load", str(first)).returncode == 0
    kept = run("load", str(second))
    assert kept.returncode == 0, kept.stderr
    assert "kept (not declared; --prune removes it): pat party_alias 'P. Party'" in kept.stderr
    declined = run("load", "--prune", str(second), answer="n\n")
    assert declined.returncode == 0, declined.stderr
    assert "would remove: pat representation 'kc'" in declined.stderr
    assert "Remove these 4?" in declined.stderr
    agreed = run("load", "--prune", "--yes", str(second))
    assert agreed.returncode == 0, agreed.stderr
    assert "removed: pat party_alias 'P. Party'" in agreed.stderr
    assert run("audit", "verify").returncode == 0
