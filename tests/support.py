"""Helpers shared by tests (no fixtures here: those live in conftest.py)."""

from __future__ import annotations

import os
import subprocess
import sys
import traceback
from collections.abc import Mapping
from dataclasses import dataclass
from pathlib import Path
from types import SimpleNamespace

import sqlalchemy as sa
from click.testing import CliRunner
from sqlalchemy.engine import Engine

from gaptrack.cli.main import run
from gaptrack.models import metadata
from gaptrack.search.index import forget_checks
from gaptrack.service.views import clear_cache

ROOT = Path(__file__).resolve().parent.parent
PROG = "python -m gaptrack"  # what Click calls the program in usage lines, as in a process


def row_counts(engine: Engine) -> dict[str, int]:
    """Rows per table: compare before and after to show that bad input changed nothing."""
    with engine.connect() as connection:
        return {
            name: int(
                connection.execute(sa.select(sa.func.count()).select_from(table)).scalar_one()
            )
            for name, table in sorted(metadata.tables.items())
        }


def table_snapshot(engine: Engine) -> dict[str, list[tuple[object, ...]]]:
    """Every row of every table, sorted: a stronger 'nothing changed' than counts."""
    out: dict[str, list[tuple[object, ...]]] = {}
    with engine.connect() as connection:
        for name, table in sorted(metadata.tables.items()):
            rows = connection.execute(sa.select(table)).all()
            out[name] = sorted((tuple(r) for r in rows), key=repr)
    return out


@dataclass(frozen=True)
class Ran:
    """One run of the ``gaptrack`` command: what ``subprocess.run`` returns, in short."""

    args: list[str]
    returncode: int
    stdout: str
    stderr: str


def cli(
    db: str | Path | None,
    *args: str | Path,
    cwd: Path = ROOT,
    env: Mapping[str, str] | None = None,
    input: str = "",
    process: bool = False,
) -> Ran:
    """Run ``gaptrack [--db DB] ARGS`` and capture its exit code, stdout and stderr apart.

    In this process by default, through the entry point's own ``run`` (the same error
    handling and exit codes), as a fresh process would start: no view kept from before, the
    working directory and environment given, both put back afterwards. ``process=True``
    starts a real ``python -m gaptrack`` instead, for what needs one (the entry point itself,
    signals, a terminal, other processes). ``env`` replaces the whole environment; ``input``
    is what stdin holds."""
    argv = [*(["--db", str(db)] if db is not None else []), *(str(a) for a in args)]
    if process:
        done = subprocess.run([sys.executable, "-m", "gaptrack", *argv], input=input,
                              capture_output=True, text=True, cwd=cwd, env=env, check=False)
        return Ran(argv, done.returncode, done.stdout, done.stderr)
    return _in_process(argv, cwd, env, input)


def _in_process(argv: list[str], cwd: Path, env: Mapping[str, str] | None, input: str) -> Ran:
    saved_env, saved_cwd = dict(os.environ), os.getcwd()
    clear_cache()
    forget_checks()
    code = 0
    with CliRunner().isolation(input=input) as (out, err, _):
        if env is not None:
            os.environ.clear()
            os.environ.update(env)
        os.chdir(cwd)
        try:
            run(argv, prog_name=PROG)
        except SystemExit as exc:
            code = _exit_code(exc)
        except Exception:  # what Python prints for an uncaught error, and its exit code
            traceback.print_exc()
            code = 1
        finally:
            sys.stdout.flush()
            sys.stderr.flush()
            os.chdir(saved_cwd)
            os.environ.clear()
            os.environ.update(saved_env)
            clear_cache()
            forget_checks()
        stdout, stderr = out.getvalue(), err.getvalue()
    return Ran(argv, code, stdout.decode(), stderr.decode(errors="backslashreplace"))


def _exit_code(exc: SystemExit) -> int:
    if exc.code is None:
        return 0
    if isinstance(exc.code, int):
        return exc.code
    print(exc.code, file=sys.stderr)  # sys.exit("message"): Python prints it, exits 1
    return 1


def copy_rows(engine: Engine, where: str) -> list[SimpleNamespace]:
    """The matching keys of the documents ``where`` (SQL) selects, in Bates order, as the gap
    engine's queries hand them to ``gaptrack.gaps.unify.group_copies`` (the sent time as
    milliseconds, ``gaptrack.gaps.sql.epoch_ms``)."""
    from gaptrack.gaps import sql as t

    d = t.document
    sent = t.epoch_ms(d.c.date_sent, engine.dialect.name).label("sent_ms")
    with engine.connect() as connection:
        found = connection.execute(
            sa.select(d.c.mih, d.c.body_hash, d.c.fingerprint, sent)
            .where(sa.text(where)).order_by(d.c.bates_prefix, d.c.bates_begin)
        ).all()
    return [SimpleNamespace(**row._mapping) for row in found]
