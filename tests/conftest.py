"""Test fixtures: every database test runs on a real SQLite file and a real PostgreSQL server.

PostgreSQL comes from ``$GAPTRACK_TEST_POSTGRES_URL`` (``tools/run-tests.sh`` starts one).
Without it the PostgreSQL half is skipped and says why; with ``GAPTRACK_REQUIRE_POSTGRES=1``
(CI) an unreachable server fails the whole run instead.
"""

from __future__ import annotations

import itertools
import os
import shutil
from collections.abc import Iterator
from pathlib import Path

import pytest
import sqlalchemy as sa
from sqlalchemy.engine import Engine

from gaptrack.db import make_engine, open_database

ROOT = Path(__file__).resolve().parent.parent
FIXTURES = ROOT / "gaptrack" / "demo" / "cases"  # the demo cases, shipped in the package
PG_URL = os.environ.get("GAPTRACK_TEST_POSTGRES_URL")
REQUIRE_PG = os.environ.get("GAPTRACK_REQUIRE_POSTGRES") == "1"
BACKENDS_RAN: set[str] = set()
_counter = itertools.count()


def _pg_reachable() -> str | None:
    if not PG_URL:
        return "GAPTRACK_TEST_POSTGRES_URL is not set (tools/run-tests.sh starts a server)"
    try:
        with make_engine(PG_URL).connect() as connection:
            connection.execute(sa.text("SELECT 1"))
    except Exception as exc:  # the reason is shown in the skip / failure
        return f"PostgreSQL at {PG_URL} is not reachable: {exc}"
    return None


PG_PROBLEM = _pg_reachable()


def pytest_sessionstart(session: pytest.Session) -> None:
    if REQUIRE_PG and PG_PROBLEM:
        raise pytest.UsageError(f"PostgreSQL is required here but: {PG_PROBLEM}")


def pytest_report_header(config: pytest.Config) -> str:
    pg = "postgresql" if not PG_PROBLEM else f"postgresql SKIPPED ({PG_PROBLEM})"
    return f"gaptrack backends: sqlite, {pg}"


def pytest_sessionfinish(session: pytest.Session) -> None:
    """A pytest-xdist worker hands the backends it ran to the controller (below)."""
    output = getattr(session.config, "workeroutput", None)
    if output is not None:
        output["gaptrack_backends"] = sorted(BACKENDS_RAN)


@pytest.hookimpl(optionalhook=True)  # a pytest-xdist hook: absent when run without it
def pytest_testnodedown(node: object, error: object) -> None:
    BACKENDS_RAN.update(getattr(node, "workeroutput", {}).get("gaptrack_backends", ()))


def pytest_terminal_summary(terminalreporter: pytest.TerminalReporter) -> None:
    ran = ", ".join(sorted(BACKENDS_RAN)) or "none"
    terminalreporter.write_line(f"gaptrack database backends that ran: {ran}")


@pytest.fixture(scope="session")
def _sqlite_template(tmp_path_factory: pytest.TempPathFactory) -> Path:
    path = tmp_path_factory.mktemp("template") / "template.db"
    engine = open_database(f"sqlite:///{path}")
    with engine.connect() as connection:
        connection.exec_driver_sql("PRAGMA wal_checkpoint(TRUNCATE)")
    engine.dispose()
    return path


@pytest.fixture(scope="session")
def _pg_template() -> Iterator[str]:
    assert PG_URL is not None
    admin = make_engine(PG_URL, isolation_level="AUTOCOMMIT")
    name = f"gt_template_{os.getpid()}"
    with admin.connect() as connection:
        connection.exec_driver_sql(f"DROP DATABASE IF EXISTS {name} WITH (FORCE)")
        connection.exec_driver_sql(f"CREATE DATABASE {name}")
    url = sa.make_url(PG_URL).set(database=name).render_as_string(hide_password=False)
    open_database(url).dispose()
    yield name
    with admin.connect() as connection:
        connection.exec_driver_sql(f"DROP DATABASE IF EXISTS {name} WITH (FORCE)")
    admin.dispose()


@pytest.fixture(params=["sqlite", pytest.param("postgres", marks=pytest.mark.postgres)])
def backend(request: pytest.FixtureRequest) -> str:
    if request.param == "postgres" and PG_PROBLEM:
        pytest.skip(PG_PROBLEM)
    BACKENDS_RAN.add(request.param)
    return str(request.param)


@pytest.fixture
def db_url(backend: str, request: pytest.FixtureRequest, tmp_path: Path) -> Iterator[str]:
    """A fresh database at the newest schema, on the backend under test."""
    if backend == "sqlite":
        template: Path = request.getfixturevalue("_sqlite_template")
        path = tmp_path / "gaptrack.db"
        shutil.copyfile(template, path)
        yield f"sqlite:///{path}"
        return
    template_name: str = request.getfixturevalue("_pg_template")
    assert PG_URL is not None
    name = f"gt_{os.getpid()}_{next(_counter)}"
    admin = make_engine(PG_URL, isolation_level="AUTOCOMMIT")
    with admin.connect() as connection:
        connection.exec_driver_sql(f"CREATE DATABASE {name} TEMPLATE {template_name}")
    yield sa.make_url(PG_URL).set(database=name).render_as_string(hide_password=False)
    with admin.connect() as connection:
        connection.exec_driver_sql(f"DROP DATABASE IF EXISTS {name} WITH (FORCE)")
    admin.dispose()


@pytest.fixture
def engine(db_url: str) -> Iterator[Engine]:
    engine = open_database(db_url)
    yield engine
    engine.dispose()


@pytest.fixture
def sqlite_engine(tmp_path: Path, _sqlite_template: Path) -> Iterator[Engine]:
    """SQLite only: for tests of SQLite-specific behaviour (files, the TUI's default)."""
    BACKENDS_RAN.add("sqlite")
    path = tmp_path / "gaptrack.db"
    shutil.copyfile(_sqlite_template, path)
    engine = open_database(f"sqlite:///{path}")
    yield engine
    engine.dispose()
