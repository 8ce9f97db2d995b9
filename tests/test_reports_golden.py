"""Reports are golden-file tested: the same database and as_of give the same bytes, on both
backends. Regenerate after an intended change with ``GAPTRACK_UPDATE_GOLDEN=1 pytest ...``."""

from __future__ import annotations

import datetime as dt
import os
from pathlib import Path

import pytest
from sqlalchemy.engine import Engine

from gaptrack.service import gaps
from gaptrack.service.cases import load_case_files
from tests.conftest import FIXTURES

GOLDEN = Path(__file__).parent / "golden"
UPDATE = os.environ.get("GAPTRACK_UPDATE_GOLDEN") == "1"
AS_OF = dt.date(2017, 11, 16)


def check_golden(name: str, text: str) -> None:
    path = GOLDEN / name
    if UPDATE or not path.exists():
        path.write_text(text, encoding="utf-8")
        if not UPDATE:
            pytest.fail(f"golden file {name} did not exist; written, check it in")
    assert text == path.read_text(encoding="utf-8"), (
        f"{name} differs; GAPTRACK_UPDATE_GOLDEN=1 rewrites it after an intended change"
    )


@pytest.fixture
def kushner(engine: Engine) -> Engine:
    load_case_files(engine, [FIXTURES / "sjc-kushner-2017.yaml"])
    return engine


@pytest.mark.parametrize("fmt", ["json", "csv", "md", "html", "table"])
def test_gaps_report(kushner: Engine, fmt: str) -> None:
    text = gaps.gaps_report(kushner, as_of=AS_OF, party="kushner", fmt=fmt)
    check_golden(f"kushner-gaps.{fmt}", text)


@pytest.mark.parametrize("fmt", ["json", "csv", "md", "html"])
def test_status_report(kushner: Engine, fmt: str) -> None:
    text = gaps.status_report(kushner, as_of=AS_OF, party="kushner", fmt=fmt)
    check_golden(f"kushner-status.{fmt}", text)


def test_reports_are_deterministic(kushner: Engine) -> None:
    one = gaps.gaps_report(kushner, as_of=AS_OF, fmt="json")
    two = gaps.gaps_report(kushner, as_of=AS_OF, fmt="json")
    assert one == two
