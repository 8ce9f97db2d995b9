"""Production intake: load a production or a privilege log, in whatever format it came in.

Orchestration only: the format is named or detected (:mod:`gaptrack.importers.base`), and
the one intake run (:func:`gaptrack.importers.run.run_import`) loads it in one transaction.
The result is an :class:`~gaptrack.importers.qc.IntakeReport`.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Sequence
from pathlib import Path
from typing import Any

from sqlalchemy.engine import Engine

from gaptrack.errors import InputError
from gaptrack.importers.base import OPTIONS, detect, importer
from gaptrack.importers.qcreport import IntakeReport
from gaptrack.importers.run import ImportRequest, Progress, run_import

__all__ = ["Progress", "import_dat", "import_mail", "import_path", "import_privlog"]


def import_path(
    engine: Engine,
    path: Path,
    *,
    party: str,
    format: str | None = None,
    production: str | None = None,
    answers: Sequence[str] = (),
    received: dt.date | None = None,
    skip_bad: bool = False,
    force: bool = False,
    actor: str = "cli",
    progress: Progress | None = None,
    **options: Any,
) -> IntakeReport:
    """Load ``path`` as ``format`` (detected from its content when not given).

    ``options`` are the format's own (:data:`gaptrack.importers.base.OPTIONS`); one it does
    not take is an error rather than silently ignored.
    """
    path = Path(path)
    chosen = importer(format) if format else detect(path)
    given = {k: v for k, v in options.items() if v not in (None, (), [], {})}
    unused = sorted(k for k in given if k in OPTIONS and k not in chosen.options)
    if unused:
        flags = ", ".join("--" + k.replace("_", "-") for k in unused)
        raise InputError(f"{flags}: not an option of the {chosen.name} format")
    request = ImportRequest(
        party=party,
        production=production,
        answers=answers,
        received=received,
        skip_bad=skip_bad,
        force=force,
        actor=actor,
        progress=progress,
        options=options,
    )
    return run_import(engine, chosen, path, request)


def import_dat(
    engine: Engine,
    dat: Path,
    *,
    party: str,
    production: str,
    opt: Path | None = None,
    field_map: Sequence[str] | dict[str, str] = (),
    pipeline: bool | None = None,
    **kwargs: Any,
) -> IntakeReport:
    """Load a Concordance DAT (and its Opticon OPT) as a new production of ``party``.

    ``pipeline`` reads and maps the records in a child process while this one writes
    (:mod:`gaptrack.importers.pipeline`); by default it does so for large files on a machine
    with more than one core. Either way the same rows are written.
    """
    return import_path(engine, dat, format="dat", party=party, production=production,
                       opt=opt, map=field_map, pipeline=pipeline, **kwargs)


def import_mail(
    engine: Engine, path: Path, *, party: str, production: str, **kwargs: Any
) -> IntakeReport:
    """Load mail (EML, MBOX, maildir, RFC 5322 files) as a new production, numbering Bates."""
    return import_path(engine, path, format="mail", party=party, production=production,
                       **kwargs)


def import_privlog(
    engine: Engine,
    path: Path,
    *,
    party: str,
    field_map: Sequence[str] | dict[str, str] = (),
    format: str = "privlog",
    **kwargs: Any,
) -> IntakeReport:
    """Load a privilege log of ``party``; columns mapped like a load file's."""
    return import_path(engine, path, format=format, party=party, map=field_map, **kwargs)
