"""Every command reads typed dates the same way: YYYY-MM-DD, else exit 2 naming the option."""

from __future__ import annotations

from pathlib import Path

import pytest

from gaptrack.cli.dates import parse_date
from gaptrack.errors import InputError
from tests.support import cli


def test_parse_date_reads_iso_dates_and_leaves_none_alone() -> None:
    assert str(parse_date(" 2017-11-16 ", option="--as-of")) == "2017-11-16"
    assert parse_date(None, option="--as-of") is None


def test_parse_date_names_the_option_and_the_format() -> None:
    with pytest.raises(InputError) as caught:
        parse_date("16/11/2017", option="--received")
    assert "--received" in str(caught.value) and "YYYY-MM-DD" in str(caught.value)


@pytest.mark.parametrize(
    "args",
    [
        ["gaps", "--as-of", "16/11/2017"],
        ["status", "--as-of", "yesterday"],
        ["import", "dat", "missing.dat", "-p", "x", "--production", "v", "--received", "13/13"],
    ],
)
def test_commands_refuse_unreadable_dates_with_exit_2(args: list[str], tmp_path: Path) -> None:
    result = cli(tmp_path / "t.db", *args, cwd=tmp_path)
    assert result.returncode == 2, result.stderr
    assert "YYYY-MM-DD" in result.stderr
    assert "Traceback" not in result.stderr
