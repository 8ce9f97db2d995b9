"""Concordance DAT/OPT intake, on both backends, from files the tests build (issue 4)."""

from __future__ import annotations

import datetime as dt
import json
from pathlib import Path

import pytest
import sqlalchemy as sa
from sqlalchemy.engine import Engine

from gaptrack.errors import ConflictError, LoadFileError
from gaptrack.importers.dat import SEP, read_dat
from gaptrack.importers.encoding import detect_encoding
from gaptrack.service.intake import import_dat
from tests.importers.builders import (
    HEADER,
    ROWS,
    build_dat,
    build_dat_raw,
    build_opt,
    create_party,
    header_line,
    mixed_line,
)
from tests.support import Ran, cli, row_counts, table_snapshot

ROOT = Path(__file__).resolve().parent.parent


def documents(engine: Engine) -> list[dict[str, object]]:
    with engine.connect() as connection:
        rows = connection.execute(
            sa.text(
                "SELECT id, begin_label, end_label, custodian, subject, sender, recipients, cc,"
                " doc_type, page_count, parent_id, date_sent, mih, fingerprint, message_id"
                " FROM document ORDER BY bates_prefix, bates_begin"
            )
        ).mappings()
        return [dict(r) for r in rows]


def by_label(engine: Engine) -> dict[str, dict[str, object]]:
    return {str(d["begin_label"]): d for d in documents(engine)}


def naive(value: object) -> dt.datetime | None:
    if value is None:
        return None
    if isinstance(value, str):
        value = dt.datetime.fromisoformat(value)
    assert isinstance(value, dt.datetime)
    return value.astimezone(dt.UTC).replace(tzinfo=None) if value.tzinfo else value


def check_standard_rows(engine: Engine) -> None:
    docs = by_label(engine)
    assert list(docs) == [r[0] for r in ROWS]
    parent = docs["KUSH-000001"]
    assert parent["custodian"] == "Kushner, Jared"
    assert parent["doc_type"] == "email"
    assert parent["recipients"] == "Zoë Adviser <zoe@campaign.example>"
    # 10:31 at -0400 is 14:31 UTC.
    assert naive(parent["date_sent"]) == dt.datetime(2016, 9, 16, 14, 31)
    assert parent["mih"] is not None and parent["fingerprint"] is not None
    for child in ("KUSH-000003", "KUSH-000004"):
        assert docs[child]["parent_id"] == parent["id"]
        assert docs[child]["doc_type"] == "attachment"
    assert docs["KUSH-000005"]["subject"] == f"Dinner{SEP}invite"
    assert docs["KUSH-000006"]["subject"] == "Memo line one\nline two"
    assert docs["KUSH-000006"]["doc_type"] == "other"


# --- the reader, every variant (no database) -------------------------------------------------

ENCODINGS = ["utf-8", "utf-8-sig", "cp1252", "utf-16", "utf-16-le"]


@pytest.mark.parametrize("encoding", ENCODINGS)
@pytest.mark.parametrize("header", [True, False], ids=["header", "no-header"])
@pytest.mark.parametrize("quote", [True, False], ids=["quoted", "bare"])
def test_reader_reads_every_variant(
    tmp_path: Path, encoding: str, header: bool, quote: bool
) -> None:
    path = build_dat(
        tmp_path / "v.dat", header=HEADER if header else None, encoding=encoding, quote=quote
    )
    detected = detect_encoding(path)
    expected = {"utf-8-sig": "utf-8-sig", "utf-16": "utf-16", "utf-16-le": "utf-16-le"}
    assert detected == expected.get(encoding, encoding)
    records = list(read_dat(path, detected))
    values = [r.values for r in records]
    assert values == ([HEADER] if header else []) + [list(r) for r in ROWS]
    assert [r.line for r in records] == list(range(1, len(values) + 1))


def test_reader_mixed_quoting_embedded_newline_and_separator(tmp_path: Path) -> None:
    path = build_dat_raw(
        tmp_path / "m.dat", [header_line(HEADER), *(mixed_line(r) for r in ROWS)]
    )
    records = list(read_dat(path, "utf-8"))
    assert [r.values for r in records[1:]] == [list(r) for r in ROWS]
    raw = path.read_bytes()
    assert b"\xc2\xae" in raw  # ® on disk for the memo's line break
    assert b"\x14" in raw and "¶".encode() not in raw


def test_cp1252_thorn_is_one_byte(tmp_path: Path) -> None:
    path = build_dat(tmp_path / "c.dat", encoding="cp1252")
    raw = path.read_bytes()
    assert raw.startswith(b"\xfeBEGBATES\xfe\x14")
    assert detect_encoding(path) == "cp1252"


def test_record_spanning_physical_lines(tmp_path: Path) -> None:
    # A quoted field with a real CRLF inside: the record continues on the next line.
    path = build_dat_raw(
        tmp_path / "s.dat",
        [header_line(["BEGBATES", "SUBJECT"]), "þA-0001þ\x14þfirst", "secondþ", "þA-0002þ\x14x"],
    )
    records = list(read_dat(path, "utf-8"))
    assert [(r.line, r.values) for r in records[1:]] == [
        (2, ["A-0001", "first\nsecond"]),
        (4, ["A-0002", "x"]),
    ]


# --- imports, on SQLite and PostgreSQL --------------------------------------------------------


@pytest.mark.parametrize("encoding", ENCODINGS)
def test_import_each_encoding(engine: Engine, tmp_path: Path, encoding: str) -> None:
    create_party(engine)
    path = build_dat(tmp_path / "v.dat", encoding=encoding)
    report = import_dat(engine, path, party="kushner", production="Vol 1")
    assert report.encoding == {"utf-8-sig": "utf-8-sig"}.get(encoding, report.encoding)
    assert report.documents == 5 and report.bad_count == 0
    assert report.fields is not None and report.fields.unmapped == ["CONFIDENTIALITY"]
    check_standard_rows(engine)


def test_import_mixed_quoting_and_nbsp_header(engine: Engine, tmp_path: Path) -> None:
    create_party(engine)
    names = ["Bates\u00a0Begin", "Bates End", "BegAttach", "EndAttach", "Custodian/Source",
             "Email From", "To", "CC", "Email Subject/Title", "Date Sent", "Time Sent",
             "TimeZone", "MessageID", "Pages", "Confidentiality"]
    path = build_dat_raw(
        tmp_path / "h.dat", [header_line(names), *(mixed_line(r) for r in ROWS)]
    )
    report = import_dat(engine, path, party="kushner", production="House style")
    assert report.fields is not None
    assert report.fields.mapping["begin_bates"] == "Bates\u00a0Begin"
    assert report.fields.mapping["custodian"] == "Custodian/Source"
    assert report.fields.mapping["subject"] == "Email Subject/Title"
    check_standard_rows(engine)


def test_headerless_volume_follows_the_previous_layout(engine: Engine, tmp_path: Path) -> None:
    create_party(engine)
    import_dat(engine, build_dat(tmp_path / "v1.dat"), party="kushner", production="Vol 1")
    rows = [["KUSH-000007", "KUSH-000007", *[""] * 13]]
    report = import_dat(
        engine, build_dat(tmp_path / "v2.dat", rows, header=None), party="kushner",
        production="Vol 2",
    )
    assert report.fields is not None and not report.fields.header_row
    assert report.documents == 1
    assert report.bates is not None and report.bates.prefixes[0].status == "continues"


def test_headerless_file_with_positional_map(engine: Engine, tmp_path: Path) -> None:
    create_party(engine)
    path = build_dat(tmp_path / "n.dat", [["X-01", "Ann <ann@x.example>"]], header=None)
    with pytest.raises(LoadFileError, match="no Bates column"):
        import_dat(engine, path, party="kushner", production="N")
    report = import_dat(
        engine, path, party="kushner", production="N", field_map=["begin_bates=1", "from=2"]
    )
    assert report.documents == 1
    assert by_label(engine)["X-01"]["sender"] == "Ann <ann@x.example>"


def test_map_override_and_unmapped_columns(engine: Engine, tmp_path: Path) -> None:
    create_party(engine)
    path = build_dat(
        tmp_path / "o.dat", [["CTRL-1", "Z-0001", "Jane"]], header=["DOCID", "PRODBATES", "Owner"]
    )
    report = import_dat(
        engine, path, party="kushner", production="O",
        field_map=["begin_bates=PRODBATES", "custodian=owner"],
    )
    assert report.fields is not None
    assert report.fields.unmapped == ["DOCID"]
    assert by_label(engine)["Z-0001"]["custodian"] == "Jane"


def test_opt_page_ids_with_suffixes_fill_page_counts(engine: Engine, tmp_path: Path) -> None:
    create_party(engine)
    rows = [[*r[:13], "", *r[14:]] for r in ROWS]  # the DAT gives no page counts
    rows[0][13] = "3"  # ... except one, which disagrees with the images
    dat = build_dat(tmp_path / "p.dat", rows)
    opt = build_opt(
        tmp_path / "p.opt",
        [("KUSH-000001", 2), ("KUSH-000003", 1), ("KUSH-000004", 4), ("KUSH-000006", 1),
         ("KUSH-000009", 2)],
    )
    report = import_dat(engine, dat, opt=opt, party="kushner", production="P")
    pages = {k: v["page_count"] for k, v in by_label(engine).items()}
    assert pages == {"KUSH-000001": 3, "KUSH-000003": 1, "KUSH-000004": 4,
                     "KUSH-000005": None, "KUSH-000006": 1}
    assert report.pages == 9  # the production's total counts the pages the OPT filled in
    check = report.page_check
    assert check is not None
    assert (check.opt_documents, check.opt_pages) == (5, 10)
    assert check.filled_from_opt == 3
    assert check.mismatched == 1 and check.mismatch_examples == ["KUSH-000001: DAT 3, OPT 2"]
    assert check.missing_from_opt_examples == ["KUSH-000005"]
    assert check.missing_from_dat_examples == ["KUSH-000009_0001"]
    with engine.connect() as connection:
        kinds = connection.execute(sa.text("SELECT kind FROM source_file ORDER BY kind")).all()
    assert [k[0] for k in kinds] == ["dat", "opt"]


def test_family_from_parentid(engine: Engine, tmp_path: Path) -> None:
    create_party(engine)
    path = build_dat(
        tmp_path / "f.dat",
        [["F-001", "", "Ann <a@x.example>"], ["F-002", "F-001", ""], ["F-003", "F-001", ""]],
        header=["BegBates", "ParentID", "Email From"],
    )
    report = import_dat(engine, path, party="kushner", production="F")
    docs = by_label(engine)
    assert docs["F-002"]["parent_id"] == docs["F-001"]["id"]
    assert docs["F-003"]["parent_id"] == docs["F-001"]["id"]
    assert report.attachments_linked == 2 and report.orphan_attachments == 0


def test_family_parent_later_in_file_and_orphan(engine: Engine, tmp_path: Path) -> None:
    """A child listed before its parent is linked at the end; one whose parent is nowhere
    is counted as an orphan and keeps no parent."""
    create_party(engine)
    path = build_dat(
        tmp_path / "f.dat",
        [["G-001", "G-002", ""], ["G-002", "", "Ann <a@x.example>"], ["G-003", "G-002", ""],
         ["G-004", "G-099", ""]],
        header=["BegBates", "ParentID", "Email From"],
    )
    report = import_dat(engine, path, party="kushner", production="G")
    docs = by_label(engine)
    assert docs["G-001"]["parent_id"] == docs["G-002"]["id"]
    assert docs["G-003"]["parent_id"] == docs["G-002"]["id"]
    assert docs["G-004"]["parent_id"] is None
    assert report.attachments_linked == 2 and report.orphan_attachments == 1


@pytest.mark.parametrize("pipeline", [False, True])
def test_absent_values_are_stored_as_null(engine: Engine, tmp_path: Path, pipeline: bool) -> None:
    """Empty fields (and keys that cannot be derived) are NULL, never empty strings: read
    here or in a mapping child, on either backend (the bulk paths carry them as "")."""
    create_party(engine)
    path = build_dat(
        tmp_path / "n.dat",
        [["N-001", "", "", "", ""], ["N-002", "Ann <a@x.example>", "", "<m@x>", "2"]],
        header=["BegBates", "Email From", "Custodian", "MessageID", "PageCount"],
    )
    import_dat(engine, path, party="kushner", production="N", pipeline=pipeline)
    with engine.connect() as connection:
        found = connection.execute(sa.text("SELECT * FROM document ORDER BY id")).mappings()
        docs = {str(d["begin_label"]): dict(d) for d in found}
    bare = docs["N-001"]
    for column in ("custodian", "title", "date_sent", "sender", "recipients", "subject",
                   "subject_norm", "message_id", "mih", "md5", "body_hash", "fingerprint",
                   "page_count", "text", "text_path", "native_path", "parent_id"):
        assert bare[column] is None, column
    assert bare["bates_suffix"] == ""  # not nullable: the empty suffix is a value
    full = docs["N-002"]
    assert full["page_count"] == 2 and full["message_id"] == "<m@x>" and full["mih"]
    with engine.connect() as connection:
        rows = connection.execute(
            sa.text("SELECT role, address, name, name_norm, party_id FROM document_participant")
        ).all()
    assert [tuple(r) for r in rows] == [("sender", "a@x.example", "Ann", "ann", None)]


def test_text_files_give_body_hash_and_forwarded_participants(
    engine: Engine, tmp_path: Path
) -> None:
    create_party(engine)
    (tmp_path / "TEXT").mkdir()
    (tmp_path / "TEXT" / "T-1.txt").write_text(
        # The author's own text long enough for a body hash (matching.MIN_BODY_CHARS).
        "FYI: the dinner invitation below came in this morning; please tell me who from the "
        "campaign should attend, and whether counsel needs to see it first. The hotel has "
        "asked for the list of names by Friday.\n\n-----Original Message-----\n"
        "From: Sergei Millian <sm@example.ru>\n"
        "Sent: Tuesday, September 20, 2016 9:00 AM\nTo: Campaign <campaign@campaign.example>\n"
        "Subject: Dinner invite\n\nPlease join us.\n",
        encoding="utf-8",
    )
    path = build_dat(
        tmp_path / "t.dat",
        [["T-1", "Jared Kushner <jared@kushner.example>", "Official <o@campaign.example>",
          "FW: Dinner invite", "TEXT\\T-1.txt"],
         ["T-2", "", "", "", "TEXT\\missing.txt"]],
        header=["BEGBATES", "FROM", "TO", "SUBJECT", "TEXTPATH"],
    )
    report = import_dat(engine, path, party="kushner", production="T")
    assert report.text_files_missing == 1
    with engine.connect() as connection:
        body = connection.execute(
            sa.text("SELECT body_hash FROM document WHERE begin_label = 'T-1'")
        ).scalar_one()
        people = connection.execute(
            sa.text(
                "SELECT p.role, p.address, p.party_id FROM document_participant p"
                " JOIN document d ON d.id = p.document_id WHERE d.begin_label = 'T-1'"
                " ORDER BY p.role, p.address"
            )
        ).all()
    assert body is not None
    roles = {(r[0], r[1]) for r in people}
    assert ("forwarded", "jared@kushner.example") in roles
    assert ("quoted", "sm@example.ru") in roles
    party_ids = {r[1]: r[2] for r in people}
    assert party_ids["jared@kushner.example"] is not None  # resolved to the party


# --- idempotency, bad input, QC ---------------------------------------------------------------


def test_same_file_twice_is_a_no_op(engine: Engine, tmp_path: Path) -> None:
    create_party(engine)
    path = build_dat(tmp_path / "v.dat")
    import_dat(engine, path, party="kushner", production="Vol 1")
    before = table_snapshot(engine)
    again = import_dat(engine, path, party="kushner", production="Vol 1 again")
    assert again.already_loaded
    assert "already loaded" in again.message and "nothing changed" in again.message
    assert table_snapshot(engine) == before


def test_bad_record_names_file_line_field_and_changes_nothing(
    engine: Engine, tmp_path: Path
) -> None:
    create_party(engine)
    rows = [list(r) for r in ROWS]
    rows[2][9] = "31/31/2016"  # line 4: DATESENT
    path = build_dat(tmp_path / "bad.dat", rows)
    before = table_snapshot(engine)
    with pytest.raises(LoadFileError) as caught:
        import_dat(engine, path, party="kushner", production="Bad")
    error = caught.value
    assert (error.file, error.line, error.field) == (str(path), 4, "DATESENT")
    assert f"{path}:4: field 'DATESENT'" in str(error)
    assert table_snapshot(engine) == before


def test_skip_bad_lists_bad_records_and_loads_the_rest(engine: Engine, tmp_path: Path) -> None:
    create_party(engine)
    rows = [list(r) for r in ROWS]
    rows[1][13] = "many"  # PGCOUNT, line 3
    rows[4][1] = "OTHER-000001"  # ENDBATES with another prefix, line 6
    path = build_dat(tmp_path / "bad.dat", rows)
    report = import_dat(engine, path, party="kushner", production="Bad", skip_bad=True)
    assert report.documents == 3 and report.bad_count == 2
    assert [(b.line, b.field) for b in report.bad_records] == [(3, "PGCOUNT"), (6, "ENDBATES")]
    assert set(by_label(engine)) == {"KUSH-000001", "KUSH-000004", "KUSH-000005"}


def test_a_value_too_wide_for_its_column_is_bad_input(engine: Engine, tmp_path: Path) -> None:
    """Widths are those of the stored (stripped) value: white space around it is no excess."""
    create_party(engine)
    rows = [list(r) for r in ROWS]
    rows[1][4] = "C" * 301  # CUSTODIAN, line 3
    rows[3][4] = "  " + "D" * 300 + "  "  # line 5: fits once stripped
    path = build_dat(tmp_path / "wide.dat", rows)
    report = import_dat(engine, path, party="kushner", production="Wide", skip_bad=True)
    assert [(b.line, b.field) for b in report.bad_records] == [(3, "CUSTODIAN")]
    assert report.bad_records[0].reason.endswith("is 301 characters long; at most 300 fit")
    assert by_label(engine)["KUSH-000005"]["custodian"] == "D" * 300


def test_wrong_field_count_is_bad_input(engine: Engine, tmp_path: Path) -> None:
    create_party(engine)
    path = build_dat_raw(tmp_path / "w.dat", [header_line(["BEGBATES", "FROM"]), "þA-1þ"])
    with pytest.raises(LoadFileError, match="has 1 fields; the header has 2") as caught:
        import_dat(engine, path, party="kushner", production="W")
    assert caught.value.line == 2


def test_duplicate_bates_in_file_and_against_database(engine: Engine, tmp_path: Path) -> None:
    create_party(engine)
    create_party(engine, slug="other", name="Other Party", addresses=())
    rows = [list(r) for r in ROWS]
    rows[3][0] = rows[3][1] = "KUSH-000003"
    path = build_dat(tmp_path / "dup.dat", rows)
    before = row_counts(engine)
    with pytest.raises(LoadFileError, match="duplicate Bates number 'KUSH-000003'") as caught:
        import_dat(engine, path, party="kushner", production="Dup")
    assert (caught.value.line, caught.value.field) == (5, "begin_bates")
    assert row_counts(engine) == before
    import_dat(engine, build_dat(tmp_path / "v.dat"), party="kushner", production="Vol 1")
    clash = build_dat(tmp_path / "clash.dat", [ROWS[4]])
    with pytest.raises(LoadFileError, match="already in the database"):
        import_dat(engine, clash, party="other", production="Clash")


def test_qc_continuity_fields_and_email_metadata(engine: Engine, tmp_path: Path) -> None:
    create_party(engine)
    import_dat(engine, build_dat(tmp_path / "v1.dat"), party="kushner", production="Vol 1")
    # Vol 2 skips KUSH-000007..9, overlaps nothing, drops a column and lacks email metadata.
    header = [h for h in HEADER if h != "CONFIDENTIALITY"]
    rows = [
        ["KUSH-000010", "KUSH-000010", "", "", "Kushner, Jared", "Ann <ann@x.example>", "", "",
         "No recipients", "", "", "", "", "1"],
        ["KUSH-000011", "KUSH-000011", "", "", "Kushner, Jared", "", "", "", "", "", "", "", "",
         "1"],
        ["KUSH-000013", "KUSH-000013", "", "", "Kushner, Jared", "Bo <bo@x.example>",
         "jared@kushner.example", "", "Hi", "10/01/2016", "", "", "<ok@x.example>", "1"],
    ]
    report = import_dat(
        engine, build_dat(tmp_path / "v2.dat", rows, header=header), party="kushner",
        production="Vol 2",
    )
    assert report.bates is not None
    prefix = report.bates.prefixes[0]
    assert (prefix.status, prefix.previous_last, prefix.previous_production) == (
        "gap", 6, "Vol 1"
    )
    assert report.bates.gaps == 1 and report.bates.examples[0].at == "KUSH-000013"
    assert report.fields is not None and report.fields.removed == ["CONFIDENTIALITY"]
    assert report.fields.same_as_previous is False
    meta = report.email_metadata
    assert meta is not None
    assert (meta.emails, meta.missing_recipients, meta.missing_date, meta.missing_message_id) == (
        2, 1, 1, 1
    )
    assert meta.examples == ["KUSH-000010"]
    assert any("field names/order differ" in f for f in report.findings)
    with engine.connect() as connection:
        details = connection.execute(
            sa.text("SELECT details FROM source_file WHERE path LIKE '%v2.dat'")
        ).scalar_one()
    stored = json.loads(details) if isinstance(details, str) else details
    assert stored["bates"]["prefixes"][0]["status"] == "gap"


def test_overlap_with_an_earlier_volume(engine: Engine, tmp_path: Path) -> None:
    create_party(engine)
    import_dat(engine, build_dat(tmp_path / "v1.dat"), party="kushner", production="Vol 1")
    rows = [["KUSH-000002_0001", "KUSH-000008"]]
    report = import_dat(
        engine, build_dat(tmp_path / "v2.dat", rows, header=["BEGBATES", "ENDBATES"]),
        party="kushner", production="Vol 2",
    )
    assert report.bates is not None
    assert report.bates.prefixes[0].status == "overlap"
    assert report.bates.overlaps_with_earlier == 5  # KUSH-000001 (to 2) and 3..6


def test_production_name_must_be_new(engine: Engine, tmp_path: Path) -> None:
    create_party(engine)
    import_dat(engine, build_dat(tmp_path / "v1.dat"), party="kushner", production="Vol 1")
    other = build_dat(tmp_path / "v2.dat", [["KUSH-000100"]], header=["BEGBATES"])
    with pytest.raises(ConflictError):
        import_dat(engine, other, party="kushner", production="Vol 1")


# --- the CLI ----------------------------------------------------------------------------------


def run_cli(*args: str) -> Ran:
    return cli(None, *args)


def test_cli_import_dat_json_then_no_op(sqlite_engine: Engine, tmp_path: Path) -> None:
    create_party(sqlite_engine)
    db = str(sqlite_engine.url.database)
    dat = build_dat(tmp_path / "v.dat", encoding="cp1252")
    opt = build_opt(tmp_path / "v.opt", [("KUSH-000001", 2)])
    result = run_cli("--db", db, "import", "dat", str(dat), "--opt", str(opt), "--party",
                     "kushner", "--production", "Vol 1", "--format", "json")
    assert result.returncode == 0, result.stderr
    payload = json.loads(result.stdout)
    assert payload["documents"] == 5 and payload["encoding"] == "cp1252"
    again = run_cli("--db", db, "import", "dat", str(dat), "--party", "kushner",
                    "--production", "Vol 1")
    assert again.returncode == 0
    assert "already loaded" in again.stdout
    table = run_cli("--db", db, "import", "dat", str(build_dat(tmp_path / "w.dat", [ROWS[0]],
                    header=[*HEADER[:14], "X"])), "--party", "kushner", "--production", "Vol 2")
    assert table.returncode == 2
    assert "duplicate Bates number" in table.stderr and "w.dat:2" in table.stderr


def test_encoding_override_and_decode_error(engine: Engine, tmp_path: Path) -> None:
    create_party(engine)
    path = build_dat(tmp_path / "c.dat", encoding="cp1252")
    before = table_snapshot(engine)
    with pytest.raises(LoadFileError, match="cannot be decoded as utf-8") as caught:
        import_dat(engine, path, party="kushner", production="C", encoding="utf-8")
    assert caught.value.line == 1
    assert table_snapshot(engine) == before
    with pytest.raises(LoadFileError, match="unknown encoding"):
        import_dat(engine, path, party="kushner", production="C", encoding="klingon")
    report = import_dat(engine, path, party="kushner", production="C", encoding="CP-1252")
    assert report.encoding == "cp1252"
    check_standard_rows(engine)


def test_resent_opt_is_used_and_recorded_once(engine: Engine, tmp_path: Path) -> None:
    create_party(engine)
    opt = build_opt(tmp_path / "all.opt", [("KUSH-000001", 2), ("KUSH-000100", 3)])
    import_dat(engine, build_dat(tmp_path / "v1.dat"), opt=opt, party="kushner",
               production="Vol 1")
    second = build_dat(tmp_path / "v2.dat", [["KUSH-000100"]], header=["BEGBATES"])
    report = import_dat(engine, second, opt=opt, party="kushner", production="Vol 2")
    assert by_label(engine)["KUSH-000100"]["page_count"] == 3
    assert any("already loaded with an earlier volume" in f for f in report.findings)
    with engine.connect() as connection:
        assert connection.execute(
            sa.text("SELECT count(*) FROM source_file WHERE kind = 'opt'")
        ).scalar_one() == 1


def test_rolling_volume_after_a_case_file_production(engine: Engine, tmp_path: Path) -> None:
    from gaptrack.service.cases import load_case_files

    load_case_files(engine, [ROOT / "gaptrack" / "demo" / "cases" / "sjc-kushner-2017.yaml"])
    with engine.connect() as connection:
        last = connection.execute(sa.text(
            "SELECT max(d.bates_end) FROM document d JOIN party p ON p.id = d.party_id"
            " WHERE p.slug = 'kushner' AND d.bates_prefix = 'KUSHNER-'"
        )).scalar_one()
    label = f"KUSHNER-{last + 1:06d}"
    dat = build_dat(
        tmp_path / "v2.dat",
        [[label, "Jared Kushner <jared@kushner.example>", "Sergei Millian <sm@example.ru>",
          "Re: dinner"]],
        header=["BEGBATES", "FROM", "TO", "SUBJECT"],
    )
    report = import_dat(engine, dat, party="kushner", production="KUSHNER002",
                        answers=["sjc-2017-11-16"])
    assert report.bates is not None
    entry = report.bates.prefixes[0]
    assert (entry.status, entry.previous_last) == ("continues", last)
    with engine.connect() as connection:
        answered = connection.execute(sa.text(
            "SELECT r.slug FROM production_request pr JOIN request r ON r.id = pr.request_id"
            " JOIN production p ON p.id = pr.production_id WHERE p.slug = 'kushner002'"
        )).scalars().all()
        millian = connection.execute(sa.text(
            "SELECT p.slug FROM document_participant dp JOIN party p ON p.id = dp.party_id"
            " JOIN document d ON d.id = dp.document_id"
            f" WHERE d.begin_label = '{label}' AND dp.role = 'to'"
        )).scalars().all()
    assert answered == ["sjc-2017-11-16"]
    assert millian == ["millian"]  # resolved through the case file's addresses or aliases
