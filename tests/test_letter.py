"""Deficiency letters: what they cite, in what words, on both backends; golden files."""

from __future__ import annotations

import datetime as dt
import email
import re
from email import policy
from pathlib import Path

import pytest
from sqlalchemy.engine import Engine

from gaptrack.errors import InputError, NotFoundError
from gaptrack.reports.deadline import add_business_days
from gaptrack.reports.letter import render_letter
from gaptrack.service import gaps
from gaptrack.service.cases import export_case, load_case_files
from gaptrack.service.letter import draft_letter, letter_model
from tests.conftest import FIXTURES
from tests.test_reports_golden import check_golden

AS_OF = dt.date(2017, 11, 16)
PAGE_AS_OF = dt.date(2017, 5, 22)  # after both of the Carter Page letter's deadlines
# The four deficiencies of the 16 Nov 2017 letter as the case file records them.
REAL_LETTER = ["DJTFP-0000340", "HICKS-000101", "DJTFP-0000341", "Phone records"]
UNREVIEWED = ["DJTFP-0000343", "DJTFP-0000344", "HICKS-000102"]


@pytest.fixture
def kushner(engine: Engine) -> Engine:
    load_case_files(engine, [FIXTURES / "sjc-kushner-2017.yaml"])
    return engine


@pytest.fixture
def page(engine: Engine) -> Engine:
    load_case_files(engine, [FIXTURES / "ssci-carter-page-2017.yaml"])
    return engine


def text_of(engine: Engine, party: str, as_of: dt.date, **options: object) -> str:
    result = draft_letter(engine, party=party, as_of=as_of, **options)  # type: ignore[arg-type]
    assert isinstance(result, str)
    return result


def bullets(text: str) -> list[str]:
    return [line for line in text.splitlines() if line.startswith("- ")]


@pytest.mark.parametrize("fmt", ["md", "html"])
def test_kushner_golden(kushner: Engine, fmt: str) -> None:
    check_golden(f"kushner-letter.{fmt}", text_of(kushner, "kushner", AS_OF, fmt=fmt,
                                                  business_days=6))  # fmt: skip


def test_kushner_with_findings_golden(kushner: Engine) -> None:
    text = text_of(kushner, "kushner", AS_OF, business_days=6, include_findings=True)
    check_golden("kushner-letter-findings.md", text)


def test_bates_only_golden(kushner: Engine) -> None:
    text = text_of(kushner, "kushner", AS_OF, bates_only=True, business_days=6)
    check_golden("kushner-letter-bates-only.md", text)
    forwarded = text.split("## Documents Mr. Kushner forwarded")[1].split("##")[0]
    assert "WikiLeaks" not in forwarded and "HICKS-000101" in forwarded


@pytest.mark.parametrize("fmt", ["md", "html"])
def test_page_golden(page: Engine, fmt: str) -> None:
    check_golden(f"page-letter.{fmt}", text_of(page, "carter-page", PAGE_AS_OF, fmt=fmt))


def test_kushner_cites_the_real_letters_deficiencies_each_once(kushner: Engine) -> None:
    text = text_of(kushner, "kushner", AS_OF, business_days=6)
    lines = bullets(text)
    assert len(lines) == len(REAL_LETTER)
    for needle in REAL_LETTER:
        assert sum(needle in line for line in lines) == 1, needle
    sections = {b.partition("\n")[0]: b for b in text.split("\n## ")[1:]}
    assert "HICKS-000101" in sections["Documents Mr. Kushner forwarded"]
    assert "the third request of the Committee's October 18, 2017 letter" in text
    assert "DJTFP-0000340" in sections["Documents Mr. Kushner forwarded"]
    assert "Millian" in sections["Documents Mr. Kushner received or was copied on"]
    assert "Phone records" in sections["Documents presumed to exist"]
    for needle in UNREVIEWED:  # unreviewed findings stay out by default
        assert needle not in text
    # Tone: counsel's salutation, "your client's production", no internal codes or IDs.
    assert "Dear Mr. Lowell:" in text and "your client's production" in text
    assert not re.search(r"[a-z]+-\d{4}-\d{2}-\d{2}#", text)
    assert "<" not in text and "@" not in text
    assert "the fourth request" in text and "No. 4" not in text
    assert "by November 27, 2017." in text  # six business days, skipping Thanksgiving
    assert "cc:" not in text  # the ranking member signs too
    assert text.rstrip().endswith("Ranking Member")


def test_findings_come_apart_and_labelled(kushner: Engine) -> None:
    plain = text_of(kushner, "kushner", AS_OF, business_days=6)
    text = text_of(kushner, "kushner", AS_OF, business_days=6, include_findings=True)
    letter, _, findings = text.partition("\n---\n")
    assert letter.rstrip() == plain.rstrip()  # the letter itself is unchanged
    assert findings.startswith("\n## For review before sending: unconfirmed findings")
    for needle in UNREVIEWED:  # each cited once as the document missing
        assert sum(f" as {needle};" in line for line in bullets(findings)) == 1
    referred = findings.split("### Documents referred to in other parties' productions")[1]
    # Described from the quoted headers, never as a bare Message-ID.
    assert 'An email from Donald Trump Jr. of September 21, 2016, "WikiLeaks DM", which ' \
        "Mr. Kushner forwarded" in referred
    assert "Russian backdoor overture and dinner invite" in referred
    assert "The email to which an email from Sergei Millian of July 14, 2016" in referred
    assert "<" not in findings and "@" not in findings


def test_a_promoted_finding_is_confirmed(kushner: Engine) -> None:
    gaps.promote_finding(kushner, "inferred:kushner:sjc-2017-10-18#3:HICKS-000102",
                         actor="test", reason="checked")  # fmt: skip
    text = text_of(kushner, "kushner", AS_OF, business_days=6)
    assert len(bullets(text)) == len(REAL_LETTER) + 1
    assert sum("HICKS-000102" in line for line in bullets(text)) == 1


def test_items_not_yet_due_are_not_deficiencies(kushner: Engine, page: Engine) -> None:
    # 16 Nov 2017: the renewed items of that day's letter are due on 27 Nov.
    text = text_of(kushner, "kushner", AS_OF)
    assert "nothing has been produced" not in text.lower()
    # 1 Dec 2017: they are due, but each renews an item a cited document answers: once only.
    later = text_of(kushner, "kushner", dt.date(2017, 12, 1))
    assert len(bullets(later)) == len(REAL_LETTER)
    # The case view settles the 3 Nov deadline (its open items were renewed on 16 Nov).
    assert "The deadline of November 27, 2017 has passed" in later
    # Carter Page on 10 May 2017: only the meeting list (due 9 May) is overdue.
    early = text_of(page, "carter-page", dt.date(2017, 5, 10))
    assert "the first request" in early and "the second request" not in early
    assert "The deadline of May 9, 2017 has passed." in early


def test_page_letter_does_not_contradict_itself(page: Engine) -> None:
    text = text_of(page, "carter-page", PAGE_AS_OF)
    assert "Dear Mr. Page:" in text and "received no documents from you" in text
    assert "not included" not in text and "your client" not in text
    assert "certified as complete" not in text  # nothing was produced to certify
    assert "Testimony or public reports describe" in text
    assert "The deadlines of May 9, 2017 and May 19, 2017 have passed." in text


def test_chairman_alone_copies_the_ranking_member(kushner: Engine, page: Engine) -> None:
    text = text_of(kushner, "kushner", AS_OF, signed_by=("Chairman",))
    assert "Dianne Feinstein  \nRanking Member" not in text
    assert text.rstrip().endswith("cc: The Honorable Dianne Feinstein, Ranking Member")
    other = text_of(page, "carter-page", PAGE_AS_OF, signed_by=("Richard Burr",))
    assert "cc: The Honorable Mark R. Warner, Vice Chairman" in other
    with pytest.raises(InputError, match="no signatory"):
        text_of(kushner, "kushner", AS_OF, signed_by=("Speaker",))


def test_letter_model_for_the_email(kushner: Engine) -> None:
    model = letter_model(kushner, party="kushner", as_of=AS_OF)
    assert model.to_address == "abbe.lowell@counsel.example"
    assert [a for _, a in model.cc_addresses] == [
        "investigations@judiciary-rep.example",
        "investigations@judiciary-dem.example",
    ]
    assert model.salutation == "Dear Mr. Lowell:" and model.cited() == len(REAL_LETTER)


def test_honorific_and_contacts_round_trip(kushner: Engine) -> None:
    exported = export_case(kushner)
    assert "honorific: Mr." in exported and "investigations@judiciary-dem.example" in exported


def test_letter_errors(kushner: Engine) -> None:
    with pytest.raises(NotFoundError):
        text_of(kushner, "nobody", AS_OF)
    with pytest.raises(NotFoundError):  # no letter had been sent yet
        text_of(kushner, "kushner", dt.date(2017, 1, 1))
    with pytest.raises(InputError):
        text_of(kushner, "kushner", AS_OF, fmt="pdf")
    with pytest.raises(InputError):
        gaps.draft_letter(kushner, party="kushner", as_of=AS_OF, fmt="docx")
    with pytest.raises(NotFoundError):
        text_of(kushner, "kushner", AS_OF, committee="no-such-committee")


@pytest.mark.parametrize(
    ("start", "days", "due"),
    [
        (dt.date(2017, 11, 16), 6, dt.date(2017, 11, 27)),  # Thanksgiving, 23 Nov
        (dt.date(2017, 12, 22), 1, dt.date(2017, 12, 26)),  # weekend, Christmas
        (dt.date(2018, 1, 12), 1, dt.date(2018, 1, 16)),  # Martin Luther King Jr. Day
        (dt.date(2017, 7, 3), 1, dt.date(2017, 7, 5)),  # Independence Day
        (dt.date(2017, 11, 16), 0, dt.date(2017, 11, 16)),
    ],
)
def test_business_days(start: dt.date, days: int, due: dt.date) -> None:
    assert add_business_days(start, days) == due


def test_an_agency_without_counsel(engine: Engine) -> None:
    load_case_files(engine, [FIXTURES / "campaign-contacts-2016.yaml"])
    text = text_of(engine, "cia", dt.date(2017, 12, 31))
    assert "Dear Sir or Madam:" in text and "received no documents from you" in text
    assert "Please produce the requested documents" in text and "these documents" not in text


def test_the_letter_cites_what_the_case_view_counts(kushner: Engine) -> None:
    """The letter's confirmed documents are the party's outstanding known items in the case
    view that every screen shows (all of them due on 16 Nov 2017)."""
    from gaptrack.service.views import case_view

    view = case_view(kushner, as_of=AS_OF, party="kushner")
    known = [g for g in view.gaps if g.kind.value == "known-not-produced"]
    model = letter_model(kushner, party="kushner", as_of=AS_OF)
    assert model.cited() == len(known) == len(REAL_LETTER)


def test_a_letter_via_several_counsel(engine: Engine, tmp_path: Path) -> None:
    case = (FIXTURES / "sjc-kushner-2017.yaml").read_text(encoding="utf-8")
    case = case.replace(
        "    email: abbe.lowell@counsel.example\n",
        "    email: abbe.lowell@counsel.example\n"
        "  - {slug: doe, name: Jane Q. Doe, honorific: Ms., firm: Doe LLP,"
        " email: jdoe@counsel.example}\n",
    )
    # The follow-up of 16 Nov 2017 goes via both counsel, Mr. Lowell first.
    head, tail = case.split("  - slug: sjc-2017-11-16\n")
    tail = tail.replace("    via: lowell\n", "    via: [lowell, doe]\n", 1)
    path = tmp_path / "kushner.yaml"
    path.write_text(head + "  - slug: sjc-2017-11-16\n" + tail, encoding="utf-8")
    load_case_files(engine, [path])
    model = letter_model(engine, party="kushner", as_of=AS_OF)
    assert model.salutation == "Dear Mr. Lowell and Ms. Doe:"
    assert model.recipient == [
        "Mr. Abbe D. Lowell",
        "Ms. Jane Q. Doe",
        "Doe LLP",
        "Counsel for Jared Kushner",
    ]
    assert model.to_more == [("Jane Q. Doe", "jdoe@counsel.example")]
    # Before the follow-up, the letter of 18 Oct went via Mr. Lowell alone.
    earlier = letter_model(engine, party="kushner", as_of=dt.date(2017, 11, 10))
    assert earlier.salutation == "Dear Mr. Lowell:"
    data = render_letter(model, "eml")
    assert isinstance(data, bytes)
    sent_to = email.message_from_bytes(data, policy=policy.default)["To"]
    assert [a.addr_spec for a in sent_to.addresses] == [
        "abbe.lowell@counsel.example",
        "jdoe@counsel.example",
    ]
