"""``gaptrack demo`` and ``gaptrack tui`` from the command line (without opening the app)."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

from tests.support import Ran, cli


def _gaptrack(*args: str, cwd: Path) -> Ran:
    return cli(None, *args, cwd=cwd)


def test_demo_no_tui_prints_parties(tmp_path: Path) -> None:
    result = _gaptrack("demo", "--no-tui", cwd=tmp_path)
    assert result.returncode == 0, result.stderr
    assert "Jared Kushner" in result.stdout and "2017-11-16" in result.stdout
    assert "yes" in result.stdout  # Kushner's first deadline is overdue


def test_demo_synthetic_no_tui(tmp_path: Path) -> None:
    result = _gaptrack("demo", "--synthetic", "300", "--as-of", "2017-09-01", "--no-tui",
                       cwd=tmp_path)
    assert result.returncode == 0, result.stderr
    assert "syn-" in result.stdout


def test_demo_bad_date_is_an_error(tmp_path: Path) -> None:
    result = _gaptrack("demo", "--as-of", "16/11/2017", "--no-tui", cwd=tmp_path)
    assert result.returncode == 2
    assert "YYYY-MM-DD" in result.stderr


def test_demo_saves_screenshots(tmp_path: Path) -> None:
    result = _gaptrack("demo", "--screenshots", str(tmp_path / "shots"), cwd=tmp_path)
    assert result.returncode == 0, result.stderr
    names = sorted(p.name for p in (tmp_path / "shots").glob("*.svg"))
    assert names == sorted(f"{n}.svg" for n in ("main", "party", "threads", "coverage", "gaps",
                                                "deadlines", "letters", "documents", "help"))
    assert "Jared" in (tmp_path / "shots" / "main.svg").read_text()


def test_first_paint_path_does_not_import_the_core() -> None:
    """The app paints before the core (SQLAlchemy, the models, Alembic) is imported: workers
    import it after the first frame (bench/bench_tui.py measures the difference)."""
    code = (
        "import sys, gaptrack.tui.app\n"
        "heavy = ('sqlalchemy', 'sqlmodel', 'alembic', 'gaptrack.models', 'gaptrack.db')\n"
        "print(','.join(m for m in heavy if m in sys.modules))\n"
    )
    result = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True,
                            check=True)
    assert result.stdout.strip() == ""
