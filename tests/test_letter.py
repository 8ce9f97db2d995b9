"""Deficiency letters: golden files, grouping as in the 2017 letter, business-day deadlines."""

from __future__ import annotations

import datetime as dt

import pytest
from sqlalchemy.engine import Engine

from gaptrack.errors import InputError, NotFoundError
from gaptrack.reports.deadline import add_business_days
from gaptrack.service import gaps
from gaptrack.service.cases import load_case_files
from tests.conftest import FIXTURES
from tests.test_reports_golden import check_golden

AS_OF = dt.date(2017, 11, 16)


@pytest.fixture
def kushner(engine: Engine) -> Engine:
    load_case_files(engine, [FIXTURES / "sjc-kushner-2017.yaml"])
    return engine


@pytest.mark.parametrize("fmt", ["md", "html"])
def test_letter_golden(kushner: Engine, fmt: str) -> None:
    text = gaps.draft_letter(kushner, party="kushner", as_of=AS_OF, fmt=fmt, business_days=6)
    check_golden(f"kushner-letter.{fmt}", text)


def test_letter_bates_only_golden(kushner: Engine) -> None:
    text = gaps.draft_letter(kushner, party="kushner", as_of=AS_OF, bates_only=True,
                             business_days=6)  # fmt: skip
    check_golden("kushner-letter-bates-only.md", text)
    assert "WikiLeaks" not in text.split("## Documents forwarded")[1].split("##")[0]


def sections(text: str) -> dict[str, str]:
    out: dict[str, str] = {}
    for block in text.split("\n## ")[1:]:
        heading, _, body = block.partition("\n")
        out[heading.strip()] = body.split("\nPlease produce")[0]
    return out


def test_letter_groups_as_the_2017_letter(kushner: Engine) -> None:
    text = gaps.draft_letter(kushner, party="kushner", as_of=AS_OF, business_days=6)
    parts = sections(text)
    forwarded = parts["Documents forwarded by Jared Kushner"]
    assert "the third request (No. 3)" in forwarded and "HICKS-000101" in forwarded
    assert "the second request (No. 2)" in forwarded and "DJTFP-0000340" in forwarded
    copied = parts["Documents sent or copied to Jared Kushner"]
    assert "Millian" in copied and "DJTFP-0000341" in copied
    presumed = parts["Documents presumed to exist"]
    assert "the fourth request (No. 4)" in presumed and "Phone records" in presumed
    # The new deadline: six business days after 16 Nov 2017, skipping Thanksgiving.
    assert "by November 27, 2017." in text
    assert text.rstrip().endswith("Ranking Member")
    assert "Charles E. Grassley" in text and "Abbe D. Lowell" in text


def test_letter_errors(kushner: Engine) -> None:
    with pytest.raises(NotFoundError):
        gaps.draft_letter(kushner, party="nobody", as_of=AS_OF)
    with pytest.raises(NotFoundError):  # no letter had been sent yet
        gaps.draft_letter(kushner, party="kushner", as_of=dt.date(2017, 1, 1))
    with pytest.raises(InputError):
        gaps.draft_letter(kushner, party="kushner", as_of=AS_OF, fmt="pdf")


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


def test_letter_names_every_passed_deadline_in_date_order(kushner: Engine) -> None:
    """After both letters' deadlines, the letter lists them by date, in the plural."""
    text = gaps.draft_letter(kushner, party="kushner", as_of=dt.date(2017, 12, 1))
    assert (
        "The deadlines of November 3, 2017 and November 27, 2017 have passed without a "
        "certification that the production is complete." in " ".join(text.split())
    )
    one = gaps.draft_letter(kushner, party="kushner", as_of=AS_OF)
    assert "The deadline of November 3, 2017 has passed" in " ".join(one.split())
