"""Outlook PST/OST intake on a small real store (tests/data/pst, Apache-2.0): every folder
walked, items that are not mail skipped and counted, damaged stores and a missing libpff
binding as clean errors that change nothing."""

from __future__ import annotations

import shutil
import subprocess
import sys
from pathlib import Path

import pytest
import sqlalchemy as sa
from sqlalchemy.engine import Engine

from gaptrack.errors import LoadFileError
from gaptrack.importers import mapi
from gaptrack.importers.base import detect
from gaptrack.importers.pstfile import INSTALL, binding, read_pst
from gaptrack.service.intake import import_path
from tests.importers.builders import create_party

STORE = Path(__file__).parent / "data" / "pst" / "dist-list.pst"
pytest.importorskip("pypff", reason="libpff-python (the optional 'pst' extra) is not installed")


def gaptrack(
    db_url: str, *args: str, block_pypff: bool = False
) -> subprocess.CompletedProcess[str]:
    """The real CLI in a child process; ``block_pypff``: as if the extra were not installed."""
    code = ("import sys\n" + ("sys.modules['pypff'] = None\n" if block_pypff else "")
            + "from gaptrack.cli.main import run\nsys.argv = ['gaptrack', *sys.argv[1:]]\nrun()")
    return subprocess.run([sys.executable, "-c", code, "--db", db_url, *args],
                          capture_output=True, text=True, check=False)


def counts(engine: Engine) -> tuple[int, int, int]:
    with engine.connect() as connection:
        return tuple(  # type: ignore[return-value]
            connection.execute(sa.text(f"SELECT count(*) FROM {t}")).scalar_one()
            for t in ("document", "production", "source_file"))


def test_every_folder_is_walked_and_non_mail_items_are_passed_over() -> None:
    pypff = binding()
    store = pypff.file()
    store.open(str(STORE))
    try:
        from gaptrack.importers.pstfile import _folders

        paths = [where for _, where in _folders(store.root_folder, "")]
    finally:
        store.close()
    assert "Top of Personal Folders/Sent Items" in paths
    assert "Top of Personal Folders/Calendar" in paths and "Top of Personal Folders/Inbox" in paths
    items = [item for item, _ in read_pst(STORE)]
    assert all(isinstance(i, mapi.Skipped) for i in items)
    assert sorted(i.item_class for i in items if isinstance(i, mapi.Skipped)) == [
        "IPM.Appointment", "IPM.Contact", "IPM.DistList", "IPM.Microsoft.ScheduleData.FreeBusy"]


def test_a_store_without_mail_is_refused_with_the_items_counted(
    engine: Engine, tmp_path: Path
) -> None:
    create_party(engine, "alice", "Alice Able", ["alice@a.example"])
    copy = tmp_path / "archive.pst"
    shutil.copy(STORE, copy)
    assert detect(copy).name == "pst"  # by its magic, !BDN
    assert detect(tmp_path).name == "pst"
    with pytest.raises(LoadFileError) as caught:
        import_path(engine, copy, party="alice", production="Alice PST")
    message = str(caught.value)
    assert "archive.pst" in message and "no message could be loaded" in message
    assert "4 items that are not mail were skipped" in message
    assert "IPM.Appointment 1" in message and "IPM.Contact 1" in message
    assert counts(engine) == (0, 0, 0)


def test_a_damaged_store_is_a_clean_error(engine: Engine, tmp_path: Path, db_url: str) -> None:
    create_party(engine, "alice", "Alice Able", ["alice@a.example"])
    broken = tmp_path / "broken.pst"
    broken.write_bytes(STORE.read_bytes()[:4096])  # the header, then nothing it points to
    with pytest.raises(LoadFileError) as caught:
        import_path(engine, broken, party="alice", production="Alice PST")
    assert "broken.pst" in str(caught.value)
    assert counts(engine) == (0, 0, 0)
    done = gaptrack(db_url, "import", str(broken), "--party", "alice")
    assert done.returncode == 2 and "Traceback" not in done.stderr
    assert done.stderr.startswith("error: ") and "broken.pst" in done.stderr


def test_without_the_extra_the_import_says_how_to_install_it(
    engine: Engine, tmp_path: Path, db_url: str
) -> None:
    create_party(engine, "alice", "Alice Able", ["alice@a.example"])
    done = gaptrack(db_url, "import", "pst", str(STORE), "--party", "alice", block_pypff=True)
    assert done.returncode == 2 and "Traceback" not in done.stderr
    assert INSTALL in done.stderr and "pip install 'gaptrack[pst]'" in done.stderr
    assert counts(engine) == (0, 0, 0)
