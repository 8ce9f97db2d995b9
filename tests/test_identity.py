"""The identity resolver: address fields as real mail and load files write them, and one
answer to "which party is this?" whichever path stored the participant."""

from __future__ import annotations

from pathlib import Path

import pytest
import sqlalchemy as sa
from sqlalchemy.engine import Engine

from gaptrack.identity.names import normalise_name, parse_people
from gaptrack.service.cases import load_case_files
from gaptrack.service.intake import import_dat, import_mail
from tests.importers.builders import build_dat
from tests.support import cli

X500 = (
    "/O=EXCHANGELABS/OU=EXCHANGE ADMINISTRATIVE GROUP (FYDIBOHF23SPDLT)/CN=RECIPIENTS/CN=KLAY"
)


@pytest.mark.parametrize(
    ("header", "single", "expected"),
    [
        # Unquoted "Last, First [M]", as DAT exports and Outlook's quoted headers write them.
        ("Hicks, Hope", False, [("Hicks, Hope", "")]),
        ("Doe, Jane Q", False, [("Doe, Jane Q", "")]),
        ("Doe, Jane Q.; Hicks, Hope", False, [("Doe, Jane Q.", ""), ("Hicks, Hope", "")]),
        ("van der Berg, Anna", False, [("van der Berg, Anna", "")]),
        ("Jane Doe, Esq.", False, [("Jane Doe, Esq.", "")]),
        # ... but full names separated by commas are a list, and so are addresses.
        ("Jane Doe, John Smith", False, [("Jane Doe", ""), ("John Smith", "")]),
        ("a@b.example, Doe, Jane", False, [("", "a@b.example"), ("Doe, Jane", "")]),
        # An address after the comma: a list, unless it is a From field (one person).
        ("Doe, Jane <JDoe@Example.com>", False, [("Doe", ""), ("Jane", "jdoe@example.com")]),
        ("Doe, Jane <JDoe@Example.com>", True, [("Doe, Jane", "jdoe@example.com")]),
        ('"Doe, Jane" <jdoe@example.com>, "Hicks, Hope" <hh@wh.example>', False,
         [("Doe, Jane", "jdoe@example.com"), ("Hicks, Hope", "hh@wh.example")]),
        # Outlook's quoted From.
        ("Hicks, Hope [mailto:HHicks@wh.example]", False, [("Hicks, Hope", "hhicks@wh.example")]),
        # Exchange X.500 / legacy DNs: the last CN, bare or in angle brackets.
        (X500, True, [("KLAY", "")]),
        (f"Kenneth Lay <{X500}>", False, [("Kenneth Lay", "")]),
        ("</O=EXCHANGELABS/OU=EXCHANGE ADMINISTRATIVE GROUP (FYDIBOHF23SPDLT)/CN=RECIPIENTS"
         "/CN=3f2504e04f8911d39a0c0305e82c3301-jdoe>", False, [("jdoe", "")]),
        # Lotus Notes names, abbreviated and canonical.
        ("Jane Q Doe/HOU/ECT@ECT", False, [("Jane Q Doe", "")]),
        ("Sara Shackleton/HOU/ECT@ECT, Jeff Dasovich/NA/Enron@Enron", False,
         [("Sara Shackleton", ""), ("Jeff Dasovich", "")]),
        ("CN=Jane Q Doe/OU=HOU/O=ECT@ECT", False, [("Jane Q Doe", "")]),
        # Group syntax names nobody.
        ("undisclosed-recipients:;", False, []),
    ],
)
def test_address_fields(header: str, single: bool, expected: list[tuple[str, str]]) -> None:
    assert parse_people(header, single=single) == expected


@pytest.mark.parametrize(
    "forms",
    [
        ["Hicks, Hope", "Hope Hicks", "HOPE  HICKS", "Ms. Hope Hicks", "'Hope Hicks'"],
        ["Doe, Jane Q.", "Jane Q Doe", "Jane Q. Doe", "Ms. Jane Q Doe, Esq.", "Doe, Jane Q"],
        ["José Álvarez", "Jose Alvarez", "Mr. JOSÉ ÁLVAREZ", "Álvarez, José"],
        ["Jane Doe (Legal)", "Jane Doe"],
    ],
)
def test_name_forms_fold_to_one(forms: list[str]) -> None:
    assert len({normalise_name(f) for f in forms}) == 1, [normalise_name(f) for f in forms]


def test_generations_are_kept_apart() -> None:
    assert normalise_name("John Smith Jr.") != normalise_name("John Smith")


# -- one answer whichever path stored the participant ------------------------------------

PARTIES = """
parties:
  - {slug: hicks, name: Hope Hicks, aliases: ["Hicks, Hope"]}
  - {slug: doe, name: Jane Q Doe}
  - {slug: lay, name: Kenneth Lay, aliases: [KLAY]}
  - {slug: dasovich, name: Jeff Dasovich}
  - {slug: alvarez, name: Jose Alvarez}
  - {slug: kushner, name: Jared Kushner, addresses: [jared@kushner.example]}
  - {slug: mike-a, name: Michael Able, aliases: [Mike]}
  - {slug: mike-b, name: Michael Baker, aliases: [Mike]}
"""

# The same people as a case file, a DAT and a mailbox write them.
CASE_DOCUMENT = f"""
productions:
  - slug: case-vol
    party: kushner
    volume: CASE001
    date_received: 2017-02-01
    bates_prefix: CASE-
    documents:
      - bates: CASE-0001
        type: email
        date_sent: 2017-01-02 10:00:00
        from: "{X500}"
        to: ["Hicks, Hope", "Jeff Dasovich/NA/Enron@Enron", Mike]
        cc: ["Mr. José Álvarez", "Doe, Jane Q", "jared@kushner.example"]
        subject: Names
"""
DAT_ROW = [
    "DAT-0001", "DAT-0001", X500, "Hicks, Hope; Jeff Dasovich/NA/Enron@Enron; Mike",
    "Mr. José Álvarez; Doe, Jane Q; jared@kushner.example", "Names", "01/02/2017",
]
MAIL = (
    f"From: {X500}\r\n"
    'To: "Hicks, Hope" <hhicks@personal.example>, Jeff Dasovich/NA/Enron@Enron, Mike\r\n'
    "Cc: =?utf-8?q?Mr=2E_Jos=C3=A9_=C3=81lvarez?=, \"Doe, Jane Q\","
    " Jared <jared@kushner.example>\r\n"
    "Subject: Names\r\nDate: Mon, 02 Jan 2017 10:00:00 +0000\r\n"
    "Message-ID: <names@example.com>\r\n\r\nHello.\r\n"
)
EXPECTED = {
    ("sender", "lay"), ("to", "hicks"), ("to", "dasovich"), ("to", None),
    ("cc", "alvarez"), ("cc", "doe"), ("cc", "kushner"),
}


def links(engine: Engine, prefix: str) -> set[tuple[str, str | None]]:
    with engine.connect() as conn:
        rows = conn.execute(sa.text(
            "SELECT p.role, party.slug FROM document_participant p"
            " JOIN document d ON d.id = p.document_id"
            " LEFT JOIN party ON party.id = p.party_id WHERE d.bates_prefix = :prefix"
        ), {"prefix": prefix}).all()
    return {(str(r[0]), r[1]) for r in rows}


def test_dat_mail_and_case_file_link_the_same_parties(engine: Engine, tmp_path: Path) -> None:
    case = tmp_path / "case.yaml"
    case.write_text(PARTIES + CASE_DOCUMENT, encoding="utf-8")
    load_case_files(engine, [case])
    dat = build_dat(tmp_path / "v.dat", [DAT_ROW], header=[
        "BEGBATES", "ENDBATES", "FROM", "TO", "CC", "SUBJECT", "DATESENT",
    ])
    import_dat(engine, dat, party="kushner", production="kushner-dat", bates_prefix="DAT-")
    folder = tmp_path / "mail"
    folder.mkdir()
    (folder / "1.eml").write_bytes(MAIL.encode("ascii"))
    import_mail(engine, folder, party="kushner", production="kushner-mail",
                bates_prefix="MAIL-")
    assert links(engine, "CASE-") == EXPECTED
    assert links(engine, "DAT-") == EXPECTED
    assert links(engine, "MAIL-") == EXPECTED


# -- unresolved names: reported with suggestions, fixed by an alias ----------------------

QC_PARTIES = """
parties:
  - {slug: hicks, name: Hope Hicks}
  - {slug: kushner, name: Jared Kushner, addresses: [jared@kushner.example]}
  - {slug: mike-a, name: Michael Able, aliases: [Mike]}
  - {slug: mike-b, name: Michael Baker, aliases: [Mike]}
"""


def party_of(engine: Engine, name: str) -> set[str | None]:
    with engine.connect() as conn:
        rows = conn.execute(sa.text(
            "SELECT party.slug FROM document_participant p"
            " LEFT JOIN party ON party.id = p.party_id WHERE p.name = :name"
        ), {"name": name}).all()
    return {r[0] for r in rows}


def test_qc_lists_unresolved_and_an_alias_relinks(engine: Engine, tmp_path: Path) -> None:
    from gaptrack.service.parties import add_aliases

    case = tmp_path / "case.yaml"
    case.write_text(QC_PARTIES, encoding="utf-8")
    load_case_files(engine, [case])
    rows = [
        [f"DAT-{n:04d}", f"DAT-{n:04d}", "Hicks Hope", "jared@kushner.example; Mike",
         f"Note {n}", "01/02/2017"]
        for n in range(1, 4)
    ]
    dat = build_dat(tmp_path / "v.dat", rows, header=[
        "BEGBATES", "ENDBATES", "FROM", "TO", "SUBJECT", "DATESENT",
    ])
    report = import_dat(engine, dat, party="kushner", production="kushner-dat",
                        bates_prefix="DAT-")
    assert report.participants is not None
    assert (report.participants.participants, report.participants.linked) == (9, 3)
    found = {u.name: u for u in report.participants.unresolved}
    assert found["Hicks Hope"].count == 3
    assert found["Hicks Hope"].suggested == ["hicks"]
    assert found["Mike"].ambiguous and found["Mike"].suggested == ["mike-a", "mike-b"]
    assert any("unresolved" in r["check"] and "perhaps: hicks" in str(r["result"])
               for r in report.summary_rows())

    fixed = add_aliases(engine, "hicks", ["Hicks Hope", "Hope Hicks"], actor="test")
    assert fixed.added == ["Hicks Hope"] and fixed.already == ["Hope Hicks"]
    assert fixed.relinked == 3
    assert party_of(engine, "Hicks Hope") == {"hicks"}
    # The same name given to another party: it now fits two, and links to neither.
    clash = add_aliases(engine, "kushner", ["hicks hope"], actor="test")
    assert clash.ambiguous == {"hicks hope": ["hicks", "kushner"]}
    assert clash.relinked == 3
    assert party_of(engine, "Hicks Hope") == {None}
    with engine.connect() as conn:
        actions = conn.execute(sa.text(
            "SELECT action FROM event WHERE action = 'party.alias.add'")).all()
    assert len(actions) == 2


def test_cli_party_alias_add(sqlite_engine: Engine, tmp_path: Path) -> None:
    import json
    case = tmp_path / "case.yaml"
    case.write_text(QC_PARTIES, encoding="utf-8")
    load_case_files(sqlite_engine, [case])
    db = str(sqlite_engine.url.database)
    result = cli(db, "party", "alias", "add", "hicks", "Hicks, Hope", "HHICKS", "--format",
                 "json")
    assert result.returncode == 0, result.stderr
    payload = json.loads(result.stdout)
    assert payload["added"] == ["HHICKS"] and payload["already"] == ["Hicks, Hope"]
    missing = cli(db, "party", "alias", "add", "nobody", "X")
    assert missing.returncode == 2 and "unknown party" in missing.stderr


@pytest.mark.parametrize(
    ("header", "expected"),
    [
        # Outlook shows a delegate's send as "AGENT on behalf of PRINCIPAL", in printed and
        # quoted headers and in the From field of review-platform exports.
        ("Jane Aide on behalf of Jared Kushner", [("Jared Kushner", ""), ("Jane Aide", "")]),
        ("Aide, Jane On Behalf Of Kushner, Jared",
         [("Kushner, Jared", ""), ("Aide, Jane", "")]),
        ("Jane Aide <JA@x.example> on behalf of Jared Kushner <jk@x.example>",
         [("Jared Kushner", "jk@x.example"), ("Jane Aide", "ja@x.example")]),
        ("Jane Aide [mailto:ja@x.example] On Behalf Of Jared Kushner",
         [("Jared Kushner", ""), ("Jane Aide", "ja@x.example")]),
    ],
)
def test_on_behalf_of_names_the_principal_first(header: str,
                                                expected: list[tuple[str, str]]) -> None:
    assert parse_people(header, single=True) == expected
