"""TEXTPATH is read only from inside the production's folder (issue 17, line 1).

A load file is outside input: ``..`` in either separator style, an absolute path, a drive
path or a symbolic link pointing out of the folder must never be opened. Each is counted as
a QC finding instead, on both backends and through both the in-process and the child mapper.
"""

from __future__ import annotations

import json
from pathlib import Path

import pytest
import sqlalchemy as sa
from sqlalchemy.engine import Engine

from gaptrack.errors import LoadFileError
from gaptrack.importers.paths import resolve_inside
from gaptrack.service.intake import import_dat
from tests.importers.builders import build_dat, create_party
from tests.support import cli

SECRET = "TOP-SECRET-OUTSIDE-THE-PRODUCTION"
HEADER = ["BEGBATES", "SUBJECT", "TEXTPATH"]


def _layout(tmp_path: Path) -> tuple[Path, Path]:
    """``tmp_path/secret.txt`` outside, ``tmp_path/prod/`` the production with TEXT/."""
    secret = tmp_path / "secret.txt"
    secret.write_text(SECRET, encoding="utf-8")
    prod = tmp_path / "prod"
    (prod / "TEXT").mkdir(parents=True)
    (prod / "TEXT" / "ok.txt").write_text("inside text", encoding="utf-8")
    (prod / "TEXT" / "link.txt").symlink_to(secret)
    (prod / "TEXT" / "dirlink").symlink_to(tmp_path, target_is_directory=True)
    (prod / "TEXT" / "innerlink.txt").symlink_to(prod / "TEXT" / "ok.txt")
    return prod, secret


def _texts(engine: Engine) -> dict[str, str | None]:
    with engine.connect() as connection:
        rows = connection.execute(
            sa.text("SELECT begin_label, text FROM document ORDER BY begin_label")
        ).all()
    return {str(r[0]): r[1] for r in rows}


def test_resolve_inside_rules(tmp_path: Path) -> None:
    prod, secret = _layout(tmp_path)
    assert resolve_inside(prod, "TEXT\\ok.txt") == (prod / "TEXT" / "ok.txt").resolve()
    assert resolve_inside(prod, "./TEXT/ok.txt") == (prod / "TEXT" / "ok.txt").resolve()
    assert resolve_inside(prod, "TEXT/../TEXT/ok.txt") == (prod / "TEXT" / "ok.txt").resolve()
    assert resolve_inside(prod, "TEXT/innerlink.txt") == (prod / "TEXT" / "ok.txt").resolve()
    assert resolve_inside(prod, str(prod / "TEXT" / "ok.txt")) is not None  # absolute, inside
    for bad in (
        "TEXT\\..\\..\\secret.txt",
        "TEXT/../../secret.txt",
        "..\\secret.txt",
        str(secret),
        "/etc/passwd",
        "\\etc\\passwd",
        "C:\\Windows\\win.ini",
        "\\\\server\\share\\x.txt",
        "TEXT/link.txt",
        "TEXT/dirlink/secret.txt",
        "TEXT/ok.txt\x00",
        "..",
        ".",
    ):
        assert resolve_inside(prod, bad) is None, bad


@pytest.mark.parametrize("pipeline", [False, True], ids=["in-process", "child"])
def test_textpath_outside_is_a_finding_never_read(
    engine: Engine, tmp_path: Path, pipeline: bool
) -> None:
    prod, secret = _layout(tmp_path)
    create_party(engine)
    rows = [
        ["T-1", "inside", "TEXT\\ok.txt"],
        ["T-2", "dots, backslashes", "TEXT\\..\\..\\secret.txt"],
        ["T-3", "dots, slashes", "TEXT/../../secret.txt"],
        ["T-4", "absolute", str(secret)],
        ["T-5", "symlink out", "TEXT\\link.txt"],
        ["T-6", "folder link out", "TEXT/dirlink/secret.txt"],
        ["T-7", "missing", "TEXT\\gone.txt"],
        ["T-8", "long part", "TEXT\\" + "x" * 300 + ".txt"],
    ]
    path = build_dat(prod / "load.dat", rows, header=HEADER)
    report = import_dat(engine, path, party="kushner", production="T", pipeline=pipeline)
    assert report.documents == 8
    assert report.text_files_outside == 5
    assert report.text_files_missing == 2
    assert any("5 TEXTPATH values point outside" in f for f in report.findings)
    texts = _texts(engine)
    assert texts["T-1"] == "inside text"
    assert all(SECRET not in (t or "") for t in texts.values())


def test_text_root_option_moves_the_boundary(engine: Engine, tmp_path: Path) -> None:
    prod, _ = _layout(tmp_path)
    create_party(engine)
    elsewhere = tmp_path / "dat"
    elsewhere.mkdir()
    path = build_dat(
        elsewhere / "load.dat",
        [["R-1", "in root", "TEXT\\ok.txt"], ["R-2", "out", "..\\secret.txt"]],
        header=HEADER,
    )
    report = import_dat(engine, path, party="kushner", production="R", text_root=prod)
    assert (report.text_files_outside, report.text_files_missing) == (1, 0)
    assert _texts(engine)["R-1"] == "inside text"
    other = build_dat(elsewhere / "other.dat", [["R-3", "x", "TEXT\\ok.txt"]], header=HEADER)
    with pytest.raises(LoadFileError, match="text root"):
        import_dat(engine, other, party="kushner", production="R2",
                   text_root=tmp_path / "nowhere")


def test_cli_reports_outside_paths(sqlite_engine: Engine, tmp_path: Path) -> None:
    prod, _ = _layout(tmp_path)
    create_party(sqlite_engine)
    path = build_dat(
        prod / "load.dat", [["C-1", "out", "TEXT\\..\\..\\secret.txt"]], header=HEADER
    )
    url = sqlite_engine.url.render_as_string(hide_password=False)
    result = cli(url, "import", "dat", str(path), "--party", "kushner", "--production", "C",
                 "--format", "json")
    assert result.returncode == 0, result.stderr
    report = json.loads(result.stdout)
    assert report["text_files_outside"] == 1
    assert SECRET not in result.stdout


@pytest.mark.parametrize("pipeline", [False, True], ids=["in-process", "child"])
def test_a_volume_data_folder_reads_text_from_the_volume(
    engine: Engine, tmp_path: Path, pipeline: bool
) -> None:
    """A volume as delivered: VOL001/DATA/VOL001.dat beside VOL001/TEXT/. Exporters name the
    text from the volume in several ways; each is found, and the volume is still the
    boundary (its parent's secret is never read)."""
    prod, _ = _layout(tmp_path)  # tmp_path/secret.txt sits beside the volume
    create_party(engine)
    volume = prod.parent / "VOL001"
    prod.rename(volume)
    (volume / "DATA").mkdir()
    rows = [
        ["V-1", "from the volume", "TEXT\\ok.txt"],
        ["V-2", "volume-rooted", "\\VOL001\\TEXT\\ok.txt"],
        ["V-3", "named volume", "VOL001\\TEXT\\ok.txt"],
        ["V-4", "dots", "..\\TEXT\\ok.txt"],
        ["V-5", "above the volume", "\\..\\secret.txt"],
        ["V-6", "above, named", "VOL001\\..\\secret.txt"],
    ]
    path = build_dat(volume / "DATA" / "VOL001.dat", rows, header=HEADER)
    report = import_dat(engine, path, party="kushner", production="V", pipeline=pipeline)
    texts = _texts(engine)
    assert [texts[f"V-{n}"] for n in range(1, 5)] == ["inside text"] * 4
    assert texts["V-5"] is None and texts["V-6"] is None
    assert all(SECRET not in (t or "") for t in texts.values())
    # "\\..\\secret.txt" leaves the folder; "VOL001\\..\\secret.txt" names DATA/secret.txt
    assert (report.text_files_outside, report.text_files_missing) == (1, 1)
