"""Every input failure is a GaptrackError naming where, and changes nothing (issue 17, lines
2 and 8), on both backends: a minimal reproducer per class of failure seen in the wild, and a
Hypothesis fuzz test per reader (DAT with OPT, mail, privilege log, case file) asserting a
clean error or a success — never another exception — and the database unchanged after an
error. ``GAPTRACK_FUZZ_EXAMPLES`` sets the examples per reader (``make fuzz``: 200)."""

from __future__ import annotations

import datetime as dt
import itertools
import os
from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest
import sqlalchemy as sa
import xlsxwriter
from hypothesis import HealthCheck, assume, given, settings
from hypothesis import strategies as st
from sqlalchemy.engine import Engine

from gaptrack.errors import GaptrackError
from gaptrack.importers.dat import write_dat
from gaptrack.importers.mimedepth import MAX_MIME_DEPTH
from gaptrack.service.cases import load_case_files
from gaptrack.service.intake import import_dat, import_mail, import_path, import_privlog
from tests.importers.builders import create_party
from tests.support import cli, row_counts

EXAMPLES = int(os.environ.get("GAPTRACK_FUZZ_EXAMPLES", "15"))
FUZZ = settings(max_examples=EXAMPLES, deadline=None, database=None,
                suppress_health_check=[HealthCheck.function_scoped_fixture,
                                       HealthCheck.too_slow, HealthCheck.data_too_large])
HEADER = ["BEGBATES", "ENDBATES", "BEGATTACH", "PGCOUNT", "DATESENT", "TIMESENT", "TIMEZONE",
          "FROM", "TO", "SUBJECT", "MESSAGEID", "TEXTPATH"]
_names = itertools.count()
TALLY: dict[str, dict[str, int]] = {}


def _outcome(engine: Engine, reader: str, work: Callable[[], Any]) -> None:
    """Run ``work``: success, or a GaptrackError with the database as it was."""
    before = row_counts(engine)
    tally = TALLY.setdefault(f"{reader}/{engine.dialect.name}",
                             {"inputs": 0, "clean errors": 0, "successes": 0})
    tally["inputs"] += 1
    try:
        work()
    except GaptrackError as exc:
        tally["clean errors"] += 1
        if os.environ.get("GAPTRACK_FUZZ_SHOW"):  # what the clean errors said (make fuzz)
            print(f"fuzz {reader}/{engine.dialect.name}: {exc.title}: {str(exc)[:160]}")
        assert str(exc)
        assert row_counts(engine) == before, f"{reader}: the failed input changed the database"
        return
    tally["successes"] += 1


def _rejected(engine: Engine, work: Callable[[], Any], *words: str) -> None:
    before = row_counts(engine)
    with pytest.raises(GaptrackError) as caught:
        work()
    for word in words:
        assert word in str(caught.value), str(caught.value)
    assert row_counts(engine) == before


# --- reproducers: one per class of failure -------------------------------------------------

DAT_CASES = {
    "bates of 2**63": ({"BEGBATES": "ABC-9223372036854775808"}, "BEGBATES", "too large"),
    "attachment of 2**63": ({"BEGATTACH": "ABC-99999999999999999999"}, "BEGATTACH", "large"),
    "PGCOUNT of 2**31": ({"PGCOUNT": "2147483648"}, "PGCOUNT", "too many"),
    "PGCOUNT ²": ({"PGCOUNT": "²"}, "PGCOUNT", "not a number"),
    "TIMEZONE +99:00": ({"DATESENT": "2016-01-01", "TIMEZONE": "+99:00"}, "TIMEZONE", "zone"),
    "year 9999 with a zone": ({"DATESENT": "12/31/9999", "TIMESENT": "23:59",
                               "TIMEZONE": "-1200"}, "DATESENT", "1-9999"),
    "a NUL byte": ({"SUBJECT": "a\x00b"}, "SUBJECT", "NUL"),
    "a NUL byte in FROM": ({"FROM": "x\x00@y.example"}, "FROM", "NUL"),
}


@pytest.mark.parametrize("case", list(DAT_CASES), ids=list(DAT_CASES))
def test_dat_values_outside_what_databases_store(engine: Engine, tmp_path: Path,
                                                 case: str) -> None:
    create_party(engine)
    values, field, words = DAT_CASES[case]
    row = {name: "" for name in HEADER} | {"BEGBATES": "ABC-1", "ENDBATES": "ABC-1"} | values
    path = tmp_path / "bad.dat"
    write_dat(path, [[row[h] for h in HEADER]], header=HEADER)
    _rejected(engine, lambda: import_dat(engine, path, party="kushner", production="B"),
              f"{path}:2", f"field '{field}'", words)


def test_a_long_textpath_part_is_a_missing_file(engine: Engine, tmp_path: Path) -> None:
    create_party(engine)
    path = tmp_path / "long.dat"
    write_dat(path, [["ABC-1", "T\\" + "x" * 300 + ".txt"]], header=["BEGBATES", "TEXTPATH"])
    assert import_dat(engine, path, party="kushner", production="L").text_files_missing == 1


def test_privilege_log_utf16_with_an_odd_length(engine: Engine, tmp_path: Path) -> None:
    create_party(engine)
    path = tmp_path / "log.csv"
    path.write_bytes("entry,date,author,privilege\n1,2016-01-01,x,AC\n".encode("utf-16")
                     + b"\x00")
    _rejected(engine, lambda: import_privlog(engine, path, party="kushner"),
              str(path), "cannot be read as utf-16")


def test_privilege_log_cell_past_the_csv_field_limit(engine: Engine, tmp_path: Path) -> None:
    create_party(engine)
    path = tmp_path / "log.csv"
    path.write_text("entry,privilege,description\n1,AC," + "d" * 200_000 + "\n",
                    encoding="utf-8")
    assert import_privlog(engine, path, party="kushner").entries == 1


def test_privilege_log_nul_byte(engine: Engine, tmp_path: Path) -> None:
    create_party(engine)
    path = tmp_path / "log.csv"
    path.write_text("entry,privilege,description\n1,AC,a\x00b\n", encoding="utf-8")
    _rejected(engine, lambda: import_privlog(engine, path, party="kushner"), "NUL")


def _nested(path: Path, depth: int) -> Path:
    """A message whose text sits ``depth`` multipart levels down, with an attachment at the
    top level (above any cut)."""
    parts = [f'Content-Type: multipart/mixed; boundary="b{n}"\n\n--b{n}\n' for n in range(depth)]
    body = "".join(parts) + "Content-Type: text/plain\n\nhello from the bottom\n"
    body += "".join(f"--b{n}--\n" for n in reversed(range(1, depth)))
    body += ('--b0\nContent-Type: application/pdf\nContent-Disposition: attachment; '
             'filename="top.pdf"\n\nJVBERi0=\n--b0--\n')
    path.write_text("From: a@x.example\nTo: b@y.example\nSubject: deep\n"
                    "Message-ID: <deep@x.example>\nMIME-Version: 1.0\n" + body, encoding="utf-8")
    return path


def test_deeply_nested_mime_is_cut_and_the_message_kept(engine: Engine, tmp_path: Path) -> None:
    """Past MAX_MIME_DEPTH levels the deeper parts are left out; the message, its headers and
    its top-level attachment load, and the QC names the message and the depth."""
    create_party(engine)
    path = _nested(tmp_path / "deep.eml", 1200)
    report = import_mail(engine, path, party="kushner", production="DEEP")
    assert report.documents == 2  # the message and its attachment
    cut = [f for f in report.findings if "deeper than" in f]
    assert cut == [f"1 messages nest MIME parts or attached messages deeper than "
                   f"{MAX_MIME_DEPTH} levels: kept, with the parts below that depth left out "
                   f"({path}:1)"]
    with engine.connect() as conn:
        row = conn.execute(sa.text("SELECT subject, text FROM document WHERE doc_type = 'email'"
                                   )).one()
    assert row[0] == "deep" and "hello from the bottom" not in (row[1] or "")


def test_8bit_bytes_in_part_headers_load(engine: Engine, tmp_path: Path) -> None:
    """The library hands such a header over as a ``Header`` object, not text: read as text."""
    create_party(engine)
    path = tmp_path / "8bit.eml"
    path.write_bytes('From: a@x.example\nSubject: s\nMessage-ID: <8bit@x.example>\n'
                     'Content-Type: multipart/mixed; boundary="b"\n\n--b\n'
                     'Content-Type: text/plain; charset="é"\n\nthe body\n--b\n'
                     'Content-Type: text/plain\nContent-Disposition: attachment; '
                     'filename="é.txt"\n\nhi\n--b--\n'.encode())
    report = import_mail(engine, path, party="kushner", production="EIGHT")
    assert report.documents == 2


def test_mime_nested_up_to_the_depth_is_read_whole(engine: Engine, tmp_path: Path) -> None:
    create_party(engine)
    path = _nested(tmp_path / "nested.eml", MAX_MIME_DEPTH)
    report = import_mail(engine, path, party="kushner", production="NESTED")
    assert not [f for f in report.findings if "deeper than" in f]
    with engine.connect() as conn:
        text = conn.execute(sa.text("SELECT text FROM document WHERE doc_type = 'email'"
                                    )).scalar_one()
    assert "hello from the bottom" in text


YAML_CASES = {
    "recursive alias": ("a: &a [*a]\n", "aliases"),
    "billion laughs": ("a: &a [x,x,x,x,x,x,x,x,x]\nb: &b [*a,*a,*a,*a,*a,*a,*a,*a,*a]\n"
                       "c: [*b,*b,*b,*b,*b,*b,*b,*b,*b]\n", "aliases"),
    "!!timestamp": ("case: !!timestamp abc\n", "case"),
    "!!float abc": ("case:\n  title: !!float abc\n", "float"),
    "an empty !!int": ("case:\n  title: !!int \n", "tag cannot read"),
    "a big integer": ("productions:\n  - slug: v\n    party: p\n    volume: V\n"
                      "    date_received: 2017-01-01\n    page_count: 99999999999999999999\n",
                      "page_count"),
    "a page count past 2**31": ("productions:\n  - slug: v\n    party: p\n    volume: V\n"
                                "    date_received: 2017-01-01\n    page_count: 2147483648\n",
                                "too large"),
    "year 9999 with a zone": ("events:\n  - at: 9999-12-31T23:59:59-05:00\n    actor: a\n"
                              "    action: note\n", "1-9999"),
    "a NUL byte": ('parties:\n  - slug: p\n    name: "a\\0b"\n', "NUL"),
}


@pytest.mark.parametrize("case", list(YAML_CASES), ids=list(YAML_CASES))
def test_case_file_classes(engine: Engine, tmp_path: Path, case: str) -> None:
    text, words = YAML_CASES[case]
    path = tmp_path / "bad.yaml"
    path.write_text(text, encoding="utf-8")
    _rejected(engine, lambda: load_case_files(engine, [path]), str(path), words)


@pytest.mark.parametrize("target", ["folder", "missing/out.md", "/dev/full"])
def test_output_that_cannot_be_written_is_a_clean_error(sqlite_engine: Engine, tmp_path: Path,
                                                        target: str) -> None:
    if target == "/dev/full" and not Path("/dev/full").exists():
        pytest.skip("no /dev/full here")
    out = target if target.startswith("/") else str(tmp_path / target)
    (tmp_path / "folder").mkdir()
    url = sqlite_engine.url.render_as_string(hide_password=False)
    for command in (["gaps", "--as-of", "2017-11-16"], ["export"]):
        done = cli(url, *command, "-o", out)
        assert done.returncode == 2, done.stderr
        assert done.stderr.startswith("error: ") and "Traceback" not in done.stderr
        assert "cannot write" in done.stderr


# --- fuzzing ---------------------------------------------------------------------------------

NASTY = st.sampled_from(["", "\x00", "þ", "\x14", "®", ";", "\r\n", "\\", "..", "²", "-",
                         "9223372036854775808", "+99:00", "9999", "<a@b>", "[b]", "\x1b[31m",
                         "ABC-", "0", "2147483648", "\ufeff", "\ud7ff", "\u202e"])
VALUE = st.one_of(st.text(max_size=12), NASTY, st.builds("".join, st.lists(NASTY, max_size=4)))


@FUZZ
@given(rows=st.lists(st.lists(VALUE, min_size=len(HEADER), max_size=len(HEADER)),
                     min_size=1, max_size=4),
       mutate=st.lists(st.tuples(st.integers(0, 400), st.binary(min_size=1, max_size=3)),
                       max_size=3),
       opt=st.one_of(st.none(), st.text(max_size=60)), sane=st.booleans())
def test_fuzz_dat_and_opt(engine: Engine, tmp_path: Path, rows: list[list[str]],
                          mutate: list[tuple[int, bytes]], opt: str | None,
                          sane: bool) -> None:
    if not row_counts(engine)["party"]:
        create_party(engine)
    n = next(_names)
    path = tmp_path / f"f{n}.dat"
    clean = [[v.replace("®", "") for v in r] for r in rows]  # (the writer refuses ®)
    if sane:  # well-formed numbers and dates: the free-text fields get exercised too
        clean = [[f"ABC-{i + 1:04d}", "", "", "", "", "", "", *r[7:]]
                 for i, r in enumerate(clean)]
    else:
        clean = [["ABC-" + r[0], *r[1:]] for r in clean]
    try:
        write_dat(path, clean, header=HEADER)
    except ValueError:  # what the test's writer cannot express (the reader sees it via mutate)
        assume(False)
    data = bytearray(path.read_bytes())
    for at, junk in mutate if not sane else []:
        data[min(at, len(data)):min(at, len(data))] = junk
    path.write_bytes(bytes(data))
    opt_path = None
    if opt is not None:
        opt_path = tmp_path / f"f{n}.opt"
        opt_path.write_text(opt, encoding="utf-8", errors="surrogatepass")
    _outcome(engine, "dat", lambda: import_dat(engine, path, party="kushner",
                                               production=f"F{n}", opt=opt_path))


@FUZZ
@given(header=st.lists(st.sampled_from(["From", "To", "Cc", "Subject", "Date", "Message-ID",
                                        "In-Reply-To", "Content-Type", "X-Junk"]),
                       max_size=6),
       values=st.lists(VALUE, min_size=6, max_size=6), body=st.binary(max_size=200))
def test_fuzz_mail(engine: Engine, tmp_path: Path, header: list[str], values: list[str],
                   body: bytes) -> None:
    if not row_counts(engine)["party"]:
        create_party(engine)
    n = next(_names)
    path = tmp_path / f"m{n}.eml"
    lines = "".join(f"{h}: {v}\n" for h, v in zip(header, values, strict=False))
    path.write_bytes(lines.encode("utf-8", "surrogatepass") + b"\n" + body)
    _outcome(engine, "mail", lambda: import_mail(engine, path, party="kushner",
                                                 production=f"M{n}"))


@FUZZ
@given(cells=st.lists(st.lists(VALUE, min_size=1, max_size=5), min_size=1, max_size=4),
       encoding=st.sampled_from(["utf-8", "utf-16", "cp1252"]), sane=st.booleans())
def test_fuzz_privilege_log(engine: Engine, tmp_path: Path, cells: list[list[str]],
                            encoding: str, sane: bool) -> None:
    if not row_counts(engine)["party"]:
        create_party(engine)
    n = next(_names)
    path = tmp_path / f"p{n}.csv"
    if sane:  # an entry number and a privilege: the other cells get exercised too
        cells = [[str(i), *row[:2], "attorney-client", *row[2:3]] for i, row in enumerate(cells)]
    text = "entry,date,author,privilege,description\n" + "\n".join(
        ",".join(c.replace(",", " ") for c in row) for row in cells)
    path.write_bytes(text.encode(encoding, "replace") if encoding != "utf-8"
                     else text.encode("utf-8", "surrogatepass"))
    _outcome(engine, "privlog", lambda: import_privlog(engine, path, party="kushner"))


CELL = st.one_of(VALUE, st.integers(-2**70, 2**70), st.floats(allow_nan=True),
                st.dates(), st.booleans(), st.none())


@FUZZ
@given(cells=st.lists(st.lists(CELL, min_size=1, max_size=6), min_size=1, max_size=4),
       sane=st.booleans())
def test_fuzz_privilege_log_excel(engine: Engine, tmp_path: Path, cells: list[list[Any]],
                                  sane: bool) -> None:
    """The Excel privilege log: cells of any type (numbers past 2**63, NaN, dates, text)."""
    if not row_counts(engine)["party"]:
        create_party(engine)
    n = next(_names)
    if sane:
        cells = [[i, *(*row, None, None, None)[:3], "attorney-client", *row[3:4]]
                 for i, row in enumerate(cells, start=1)]
    book = xlsxwriter.Workbook(str(tmp_path / f"x{n}.xlsx"), {"nan_inf_to_errors": True,
                                                              "strings_to_numbers": False})
    sheet = book.add_worksheet("Privilege Log")
    sheet.write_row(0, 0, ["Priv Log No.", "Document Date", "Author", "Recipient(s)",
                           "Privilege Asserted", "Description"])
    for r, row in enumerate(cells, start=1):
        for c, value in enumerate(row):
            if isinstance(value, dt.date):
                sheet.write_datetime(r, c, dt.datetime.combine(value, dt.time()))
            elif isinstance(value, int) and not isinstance(value, bool):
                sheet.write_number(r, c, float(value))
            elif isinstance(value, str):
                sheet.write_string(r, c, value.encode("utf-8", "replace").decode("utf-8"))
            elif value is not None:
                sheet.write(r, c, value)
    book.close()
    _outcome(engine, "privlog-excel", lambda: import_path(engine, tmp_path / f"x{n}.xlsx",
                                                          party="kushner"))


YAML_PIECES = st.sampled_from([
    "parties:\n", "  - slug: p\n", "    name: ", "committees:\n", "requests:\n", "events:\n",
    "  - at: 2017-01-01T00:00:00Z\n", "    actor: a\n    action: note\n", "&a ", "*a", "!!float ",
    "!!int ", "!!timestamp ", "!!binary ", "- ", ": ", "[", "]", "{", "}", "\n", "  ",
    "99999999999999999999999", "9999-12-31T23:59:59-05:00", '"\\0"', "'", "known_items:\n",
    "    chamber: senate\n", "    party: p\n", "    basis: presumed\n", "\t",
])


@FUZZ
@given(pieces=st.lists(st.one_of(YAML_PIECES, VALUE), max_size=30))
def test_fuzz_case_file(engine: Engine, tmp_path: Path, pieces: list[str]) -> None:
    n = next(_names)
    path = tmp_path / f"c{n}.yaml"
    path.write_bytes("".join(pieces).encode("utf-8", "surrogatepass"))
    _outcome(engine, "casefile", lambda: load_case_files(engine, [path]))


def test_fuzz_tally_report() -> None:
    """Print what the fuzz tests saw (``make fuzz`` reads it)."""
    for name, tally in sorted(TALLY.items()):
        print(f"fuzz {name}: " + ", ".join(f"{k} {v}" for k, v in tally.items())
              + ", other exceptions 0")
