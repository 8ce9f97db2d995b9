"""Demo data for the TUI tests: the fixture cases, loaded into the backend under test."""

from __future__ import annotations

from collections.abc import Iterator

import pytest
from sqlalchemy.engine import Engine

from tui.demo import load_demo


@pytest.fixture
def demo_engine(engine: Engine) -> Iterator[Engine]:
    load_demo(engine)
    yield engine


@pytest.fixture
def demo_url(demo_engine: Engine) -> str:
    return demo_engine.url.render_as_string(hide_password=False)
