"""A real install: ``python -m build`` makes an sdist and, from it, a wheel; the wheel goes into
a fresh virtual environment and ``gaptrack demo --no-tui`` runs from a folder outside the
checkout, on the demo cases shipped inside the package.

To stay fast and offline the build runs without isolation (the backend is a dev dependency),
and the fresh environment gets no pip and no copies of the dependencies: the wheel is installed
with ``--no-deps`` by this environment's pip, and the dependencies are read from this
environment's site-packages through a ``.pth`` line — a plain path entry, so this
environment's editable install of gaptrack (a ``.pth`` *inside* that folder) is never run.
The test checks that the gaptrack it ran is the installed one.
"""

from __future__ import annotations

import os
import subprocess
import sys
import sysconfig
import tarfile
import zipfile
from pathlib import Path

from tests.conftest import ROOT


def _run(*args: str | Path, cwd: Path, env: dict[str, str] | None = None) -> str:
    result = subprocess.run(
        [str(a) for a in args], cwd=cwd, capture_output=True, text=True, env=env, timeout=300
    )
    assert result.returncode == 0, f"{args}: {result.stdout}\n{result.stderr}"
    return result.stdout


def test_wheel_installs_and_runs_the_demo_outside_the_checkout(tmp_path: Path) -> None:
    dist = tmp_path / "dist"
    _run(sys.executable, "-m", "build", "--no-isolation", "--outdir", dist, ROOT, cwd=tmp_path)
    wheel = next(dist.glob("gaptrack-*.whl"))
    sdist = next(dist.glob("gaptrack-*.tar.gz"))
    with tarfile.open(sdist) as archive:
        names = archive.getnames()
    assert any(n.endswith("gaptrack/demo/cases/sjc-kushner-2017.yaml") for n in names)
    assert any(n.endswith("gaptrack/migrations/versions/0001_initial.py") for n in names)
    with zipfile.ZipFile(wheel) as archive:
        cases = [n for n in archive.namelist() if n.startswith("gaptrack/demo/cases/")]
    assert len(cases) == 3

    venv = tmp_path / "venv"
    _run(sys.executable, "-m", "venv", "--without-pip", venv, cwd=tmp_path)
    python = venv / "bin" / "python"
    _run(sys.executable, "-m", "pip", "--python", python, "install", "--no-deps", "--no-index",
         "--quiet", wheel, cwd=tmp_path)  # fmt: skip
    site = Path(_run(python, "-c", "import sysconfig; print(sysconfig.get_paths()['purelib'])",
                     cwd=tmp_path).strip())  # fmt: skip
    (site / "zz-gaptrack-test-deps.pth").write_text(sysconfig.get_paths()["purelib"] + "\n")

    elsewhere = tmp_path / "elsewhere"
    elsewhere.mkdir()
    env = {k: v for k, v in os.environ.items() if k not in {"PYTHONPATH", "VIRTUAL_ENV"}}
    env.pop("GAPTRACK_DATABASE_URL", None)
    where = _run(python, "-c", "import gaptrack; print(gaptrack.__file__)", cwd=elsewhere,
                 env=env)  # fmt: skip
    assert Path(where.strip()).is_relative_to(venv), where
    gaptrack = venv / "bin" / "gaptrack"
    from gaptrack import __version__

    assert _run(gaptrack, "--version", cwd=elsewhere, env=env).strip() == f"gaptrack {__version__}"
    summary = _run(gaptrack, "demo", "--no-tui", cwd=elsewhere, env=env)
    assert "Parties as of 2017-11-16" in summary
    assert "kushner" in summary and "carter-page" in summary


def test_shell_completion_completes_commands(tmp_path: Path) -> None:
    """What `gaptrack --install-completion` wires into the shell (README: shell completion)."""
    env = dict(os.environ, _GAPTRACK_COMPLETE="complete_bash", COMP_WORDS="gaptrack dead",
               COMP_CWORD="1")  # fmt: skip
    gaptrack = Path(sys.executable).parent / "gaptrack"  # the console script
    assert _run(gaptrack, cwd=tmp_path, env=env).split() == ["deadlines"]
    script = dict(os.environ, _GAPTRACK_COMPLETE="source_bash")
    assert "_gaptrack_completion" in _run(gaptrack, cwd=tmp_path, env=script)
