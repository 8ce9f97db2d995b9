"""The case-file loader and exporter: every section, updates, and the two commands."""

from __future__ import annotations

import hashlib
import json
from pathlib import Path

import pytest
import sqlalchemy as sa
from sqlalchemy.engine import Engine

from gaptrack.casefile.yamlsrc import parse_yaml
from gaptrack.service.cases import export_case, load_case_files
from tests.conftest import FIXTURES
from tests.support import cli as _cli
from tests.support import row_counts, table_snapshot

FULL = """\
committees:
  - {slug: hx, name: House Example Committee, chamber: house, thomas_id: HSXX}
counsel:
  - {slug: kc, name: Kim Counsel, firm: Counsel LLP, email: kim@counsel.test}
parties:
  - slug: pat
    name: Pat Party
    aliases: [Pat Party, P. Party]
    addresses: [Pat@Example.test]
    counsel: [kc]
  - slug: quinn
    name: Quinn Other
    addresses: [quinn@example.test]
requests:
  - slug: hx-1
    committee: hx
    title: First letter
    date_sent: 2021-03-01
    deadline: 2021-03-15
    to: [pat]
    via: kc
    items:
      - {number: 1, text: Emails with Quinn., criteria: {correspondents: [quinn]}}
      - {number: 2(a), text: Memos., deadline: 2021-03-08, criteria: {doc_types: [memo]}}
    certifications:
      - {item: 2(a), party: pat, kind: no-responsive-documents, date: 2021-03-10}
productions:
  - slug: pat-1
    party: pat
    volume: PAT001
    date_received: 2021-03-12
    answers: [hx-1]
    bates_prefix: PAT2021-
    certified_complete: true
    certification: Complete for item 1.
    documents:
      - bates: PAT2021-000010
        type: email
        date_sent: 2021-02-01T09:30:00-05:00
        from: '"Party, Pat" <pat@example.test>'
        to: [Quinn Other <quinn@example.test>]
        subject: Plans
        message_id: plans-1@example.test
        text: See attached.
        answers: [hx-1#1]
      - {bates: PAT2021-000011, bates_end: PAT2021-000013, type: attachment,
         parent: PAT2021-000010}
  - slug: quinn-1
    party: quinn
    volume: Q001
    date_received: 2021-03-20
    documents:
      - bates: Q-0001
        type: email
        date_sent: 2021-02-02 10:00:00
        from: Quinn Other <quinn@example.test>
        to: [pat@example.test]
        subject: "RE: Plans"
        in_reply_to: <plans-1@example.test>
        text: Thanks.
      - bates: Q-0002
        type: email
        from: Quinn Other <quinn@example.test>
        to: [P. Party]
        subject: Budget
privilege_logs:
  - party: pat
    production: pat-1
    entries:
      - {entry_no: "2", date: 2021-02-03, author: Pat Party, privilege: attorney-client,
         description: Advice on the request, item: hx-1#1}
      - {entry_no: "10", privilege: work product}
known_items:
  - slug: pat-budget
    party: pat
    item: hx-1#1
    description: The budget email Quinn sent Pat.
    basis: other-production
    document: Q-0002
    role: to
    status: withheld
    privilege_entry: "2"
  - slug: pat-plans
    party: pat
    item: hx-1#1
    description: The plans email.
    basis: testimony
    citation: Hearing transcript, p. 12
    status: produced
    produced_as: PAT2021-000010
events:
  - {at: 2021-03-20 12:00:00, actor: staff, action: note, entity: request, key: hx-1,
     reason: Production received.}
"""


def write(tmp_path: Path, text: str, name: str = "case.yaml") -> Path:
    path = tmp_path / name
    path.write_text(text, encoding="utf-8")
    return path


def one(engine: Engine, sql: str) -> tuple[object, ...]:
    with engine.connect() as conn:
        row = conn.execute(sa.text(sql)).one()
    return tuple(row)


def test_every_section_loads(engine: Engine, tmp_path: Path) -> None:
    load_case_files(engine, [write(tmp_path, FULL)])
    doc = one(engine, """SELECT bates_prefix, bates_begin, bates_end, date_sent, message_id, mih
                         FROM document WHERE begin_label = 'PAT2021-000010'""")
    assert doc[:3] == ("PAT2021-", 10, 10)
    assert str(doc[3]).startswith("2021-02-01 14:30:00")  # -05:00 stored as UTC
    assert doc[4] == "<plans-1@example.test>"
    assert one(engine, """SELECT p.begin_label, d.bates_end FROM document d
                          JOIN document p ON p.id = d.parent_id
                          WHERE d.begin_label = 'PAT2021-000011'""") == ("PAT2021-000010", 13)
    assert one(engine, "SELECT address FROM party_address WHERE address LIKE 'pat%'") == (
        "pat@example.test",)
    # Participants resolve by address, and by alias when there is no address.
    assert one(engine, """SELECT p.slug FROM document_participant dp
                          JOIN document d ON d.id = dp.document_id
                          JOIN party p ON p.id = dp.party_id
                          WHERE d.begin_label = 'Q-0002' AND dp.role = 'to'""") == ("pat",)
    assert one(engine, """SELECT k.status, e.entry_no, d.begin_label FROM known_item k
                          JOIN privilege_entry e ON e.id = k.privilege_entry_id
                          JOIN document d ON d.id = k.basis_document_id
                          WHERE k.slug = 'pat-budget'""") == ("withheld", "2", "Q-0002")
    assert one(engine, """SELECT d.begin_label FROM known_item k
                          JOIN document d ON d.id = k.produced_document_id
                          WHERE k.slug = 'pat-plans'""") == ("PAT2021-000010",)
    assert one(engine, """SELECT c.kind, i.number FROM item_certification c
                          JOIN request_item i ON i.id = c.item_id""") == (
        "no-responsive-documents", "2(a)")
    assert one(engine, """SELECT bates_first, bates_last, doc_count, page_count
                          FROM production WHERE slug = 'pat-1'""") == (10, 13, 2, 4)
    assert one(engine, "SELECT counsel_id IS NOT NULL FROM request_recipient")[0]


def test_every_section_round_trips(engine: Engine, tmp_path: Path) -> None:
    load_case_files(engine, [write(tmp_path, FULL)])
    first = export_case(engine)
    assert "PAT2021-000013" in first  # an explicit end label survives
    assert "entry_no: '2'" in first.replace('"', "'")
    exported = write(tmp_path, first, "export.yaml")
    before = table_snapshot(engine)
    assert not load_case_files(engine, [exported]).changed
    assert table_snapshot(engine) == before
    assert export_case(engine) == first
    # The privilege log is written in entry order 2, 10 (natural), whatever the load order.
    assert first.index("entry_no: '2'") < first.index("entry_no: '10'")


def test_edits_update_and_remove_rows(engine: Engine, tmp_path: Path) -> None:
    load_case_files(engine, [write(tmp_path, FULL)])
    counts = row_counts(engine)
    edited = (FULL.replace("aliases: [Pat Party, P. Party]", "aliases: [Pat Party]")
              .replace("subject: Plans\n", "subject: Plans v2\n"))
    # Without --prune the alias is kept (another load may have declared it).
    assert load_case_files(engine, [write(tmp_path, edited)],
                           dry_run=True).to_dict()["removed"] == {}
    report = load_case_files(engine, [write(tmp_path, edited)], prune=True).to_dict()
    # Q-0002 was sent "to: P. Party". A party once resolved is kept (the gap engine resolves
    # parties too, and a reload must not undo its work).
    assert report["removed"] == {"party_alias": 1}
    assert report["added"] == {}
    assert report["updated"] == {"document": 1}
    assert one(engine, "SELECT subject_norm FROM document WHERE begin_label = 'PAT2021-000010'"
               ) == ("plans v2",)
    after = row_counts(engine)
    assert after["party_alias"] == counts["party_alias"] - 1
    assert after["event"] == counts["event"] + 2  # the load and the alias's prune event


def test_loads_are_all_or_nothing_across_files(engine: Engine, tmp_path: Path) -> None:
    good = write(tmp_path, FULL)
    bad = write(tmp_path, "parties:\n  - {slug: zed, name: Zed, counsel: [nobody]}\n", "b.yaml")
    before = table_snapshot(engine)
    with pytest.raises(Exception, match=r"b\.yaml:2: field 'parties\[0\]\.counsel\[0\]'"):
        load_case_files(engine, [good, bad])
    assert table_snapshot(engine) == before


def test_later_file_may_refer_to_what_the_database_holds(engine: Engine, tmp_path: Path) -> None:
    load_case_files(engine, [write(tmp_path, FULL)])
    extra = write(tmp_path, (
        "known_items:\n"
        "  - {slug: pat-more, party: pat, item: hx-1#2(a), description: More memos,\n"
        "     basis: other-production, document: Q-0001, role: to}\n"
    ), "extra.yaml")
    report = load_case_files(engine, [extra])
    assert report.to_dict()["added"] == {"known_item": 1}


def test_line_map_points_at_keys_and_items() -> None:
    text = "a:\n  b:\n    - x\n    - y: 1\n      z: [p, q]\n"
    data, lines = parse_yaml(text, "t.yaml")
    assert data == {"a": {"b": ["x", {"y": 1, "z": ["p", "q"]}]}}
    assert lines.line(("a", "b", 0)) == 3
    assert lines.line(("a", "b", 1, "z", 1)) == 5
    assert lines.line(("a", "b", 1, "missing")) == 4  # nearest ancestor


def test_cli_load_and_export(db_url: str, tmp_path: Path) -> None:
    fixture = str(FIXTURES / "sjc-kushner-2017.yaml")
    first = _cli(db_url, "load", fixture)
    assert first.returncode == 0, first.stderr
    assert "added" in first.stdout and "14 document" in first.stdout
    second = _cli(db_url, "load", fixture)
    assert (second.returncode, second.stdout) == (0, "nothing changed\n")
    as_json = json.loads(_cli(db_url, "load", "--format", "json", fixture).stdout)
    assert as_json["changed"] is False and as_json["files"][0]["file"] == fixture
    out = tmp_path / "out.yaml"
    exported = _cli(db_url, "export", "-o", str(out))
    assert exported.returncode == 0, exported.stderr
    assert _cli(db_url, "export").stdout == out.read_text(encoding="utf-8")
    assert _cli(db_url, "load", str(out)).stdout == "nothing changed\n"


@pytest.mark.parametrize("command", ["load", "export"])
def test_commands_explain_themselves(command: str) -> None:
    result = _cli(None, command, "--help")
    assert result.returncode == 0
    assert "case file" in result.stdout.lower()


def test_reload_keeps_what_the_gap_engine_derived(engine: Engine, tmp_path: Path) -> None:
    """Participant parties and criteria answers written by others survive a reload."""
    text = FULL.replace("        subject: Budget\n",
                        "        subject: Budget\n        cc: [Someone Else <se@example.test>]\n")
    path = write(tmp_path, text)
    load_case_files(engine, [path])
    with engine.begin() as conn:
        conn.execute(sa.text("""
            UPDATE document_participant SET party_id = (SELECT id FROM party WHERE slug = 'quinn')
            WHERE address = 'se@example.test'"""))
        conn.execute(sa.text("""
            INSERT INTO document_item (document_id, item_id, source)
            SELECT d.id, i.id, 'criteria' FROM document d, request_item i
            WHERE d.begin_label = 'Q-0001' AND i.number IN ('1', '2(a)')
            ON CONFLICT DO NOTHING"""))  # a load derives them already; others may too
    before = table_snapshot(engine)
    assert not load_case_files(engine, [path]).changed
    assert table_snapshot(engine) == before
    # Tagging a pair the engine derived replaces the derived row instead of colliding.
    tagged = text.replace("        in_reply_to: <plans-1@example.test>\n",
                          "        in_reply_to: <plans-1@example.test>\n"
                          "        answers: [hx-1#1]\n")
    report = load_case_files(engine, [write(tmp_path, tagged)]).to_dict()
    assert report["added"] == {"document_item": 1}
    assert report["removed"] == {"document_item": 1}
    assert one(engine, """SELECT x.source FROM document_item x
                          JOIN document d ON d.id = x.document_id
                          JOIN request_item i ON i.id = x.item_id
                          WHERE d.begin_label = 'Q-0001' AND i.number = '1'""") == ("tagged",)


def test_bates_prefix_is_derived_and_exported(engine: Engine, tmp_path: Path) -> None:
    load_case_files(engine, [write(tmp_path, FULL)])
    assert one(engine, "SELECT bates_prefix FROM production WHERE slug = 'quinn-1'") == ("Q-",)
    assert "bates_prefix: Q-" in export_case(engine)


def _many(n: int, volume: str) -> str:
    """FULL plus a production of ``n`` emails (each replying to the one before)."""
    docs = "".join(
        f"      - {{bates: {volume}-{i:06d}, type: email, from: Pat Party <pat@example.test>,\n"
        f"         to: [quinn@example.test], subject: Note {i}, message_id: <{volume}{i}@x.test>,\n"
        f"         in_reply_to: <{volume}{i - 1}@x.test>, answers: [hx-1#1]}}\n"
        for i in range(1, n + 1)
    )
    production = (
        f"  - slug: pat-{volume.lower()}\n    party: pat\n    volume: {volume}\n"
        f"    date_received: 2021-04-01\n    documents:\n{docs}"
    )
    return FULL.replace("privilege_logs:\n", production + "privilege_logs:\n")


def test_statements_do_not_grow_with_the_number_of_documents(
    engine: Engine, tmp_path: Path
) -> None:
    """Batched per table: 5 or 300 documents take the same number of statements."""
    counts = []
    for n, volume in ((5, "FEW"), (300, "MANY")):
        path = write(tmp_path, _many(n, volume), f"{volume}.yaml")
        statements = 0

        def count(*_args: object) -> None:
            nonlocal statements
            statements += 1

        sa.event.listen(engine, "before_cursor_execute", count)
        try:
            load_case_files(engine, [path])
        finally:
            sa.event.remove(engine, "before_cursor_execute", count)
        counts.append(statements)
        assert one(engine, f"SELECT doc_count FROM production WHERE slug = 'pat-{volume.lower()}'"
                   ) == (n,)
    # The first load also wrote everything in FULL; row-by-row writes would need 300+.
    assert counts[1] <= counts[0], counts


def test_load_event_records_the_file_and_its_hash(engine: Engine, tmp_path: Path) -> None:
    path = write(tmp_path, FULL)
    load_case_files(engine, [path], actor="clerk")
    with engine.connect() as conn:
        (data,) = conn.execute(sa.text(
            "SELECT data FROM event WHERE action = 'load' AND actor = 'clerk'")).one()
    if isinstance(data, str):
        data = json.loads(data)
    assert data["sha256"] == hashlib.sha256(path.read_bytes()).hexdigest()
    assert data["added"]["document"] == 4 and data["file"] == str(path)
