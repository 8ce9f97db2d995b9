"""IPRO LFP image load files beside a DAT: page counts and document breaks, as from an OPT;
bad records named by file, line and field, with nothing loaded (both backends)."""

from __future__ import annotations

from collections.abc import Sequence
from pathlib import Path

import pytest
import sqlalchemy as sa
from sqlalchemy.engine import Engine

from gaptrack.errors import LoadFileError
from gaptrack.service.intake import import_dat
from tests.importers.builders import ROWS, build_dat, create_party
from tests.support import table_snapshot


def build_lfp(path: Path, documents: Sequence[tuple[str, int, str]]) -> Path:
    """An LFP: (first page's key, pages, boundary) per document; each page its own Bates
    number, in one multi-page TIFF per document (offsets 1, 2 …), with a comment and an
    info-only record among them, as vendors' files have."""
    lines = ["## exported for the committee", "IO,KUSH-000001,1,Reviewed"]
    for key, pages, boundary in documents:
        prefix, first = key[:5], int(key[5:])
        for page in range(1, pages + 1):
            page_key = f"{prefix}{first + page - 1:06d}"
            flag = boundary if page == 1 else ""
            lines.append(f"IM,{page_key},{flag},{page},@VOLUME1;IMAGES\\001;{key}.tif;2")
    path.write_text("\r\n".join(lines) + "\r\n", encoding="utf-8")
    return path


def page_counts(engine: Engine) -> dict[str, tuple[object, object]]:
    with engine.connect() as connection:
        rows = connection.execute(
            sa.text("SELECT begin_label, page_count, end_label FROM document")
        ).all()
    return {str(r[0]): (r[1], r[2]) for r in rows}


def test_an_lfp_beside_the_dat_gives_page_counts(engine: Engine, tmp_path: Path) -> None:
    create_party(engine)
    rows = [[*r[:13], "", *r[14:]] for r in ROWS]  # the DAT gives no page counts
    dat = build_dat(tmp_path / "vol1.dat", rows)
    # D starts a document, C a child (the attachments), blank continues one.
    build_lfp(tmp_path / "VOL1.LFP", [("KUSH-000001", 2, "D"), ("KUSH-000003", 1, "C"),
                                       ("KUSH-000004", 1, "C"), ("KUSH-000005", 3, "D")])
    report = import_dat(engine, dat, party="kushner", production="V1")
    counts = {k: v[0] for k, v in page_counts(engine).items()}
    assert counts == {"KUSH-000001": 2, "KUSH-000003": 1, "KUSH-000004": 1,
                      "KUSH-000005": 3, "KUSH-000006": None}
    assert "the image load file beside it was read: VOL1.LFP" in report.findings
    check = report.page_check
    assert check is not None
    assert (check.opt_documents, check.opt_pages, check.filled_from_opt) == (4, 7, 4)
    assert check.missing_from_opt_examples == ["KUSH-000006"]
    assert report.pages == 7
    with engine.connect() as connection:
        kinds = connection.execute(sa.text("SELECT kind FROM source_file ORDER BY kind")).all()
    assert [k[0] for k in kinds] == ["dat", "opt"]


def test_document_ends_come_from_the_lfp_when_the_dat_has_none(
    engine: Engine, tmp_path: Path
) -> None:
    create_party(engine)
    dat = build_dat(tmp_path / "ends.dat", [["KUSH-000010"], ["KUSH-000020"]],
                    header=["BEGBATES"])
    # Named otherwise and given with --opt: an LFP is known by its IM records.
    lfp = build_lfp(tmp_path / "images.txt", [("KUSH-000010", 3, "D"), ("KUSH-000020", 2, "D")])
    report = import_dat(engine, dat, opt=lfp, party="kushner", production="Ends")
    assert page_counts(engine) == {"KUSH-000010": (3, "KUSH-000012"),
                                   "KUSH-000020": (2, "KUSH-000021")}
    assert any("ends of 2 documents were taken from the OPT" in f for f in report.findings)


@pytest.mark.parametrize(
    ("line", "field", "message"),
    [
        ("IM,KUSH-000003,X,0,@VOLUME1;IMAGES;KUSH-000003.tif;2", "boundary", "'X' is not"),
        ("IM,KUSH-000003,D,one,@VOLUME1;IMAGES;KUSH-000003.tif;2", "offset", "not a number"),
        ("IM,KUSH-000003,D,0,VOLUME1\\KUSH-000003.tif", "image", "@VOLUME;PATH;FILE"),
        ("IM,,D,0,@VOLUME1;IMAGES;KUSH-000003.tif;2", "image key", "no image key"),
        ("IM,KUSH-000003,D", "IM", "at least 5"),
        ("KUSH-000003 D 0", "command", "not an LFP record"),
    ],
)
def test_a_bad_lfp_line_is_named_and_loads_nothing(
    engine: Engine, tmp_path: Path, line: str, field: str, message: str
) -> None:
    create_party(engine)
    dat = build_dat(tmp_path / "bad.dat")
    lfp = build_lfp(tmp_path / "bad.lfp", [("KUSH-000001", 2, "D")])
    lfp.write_text(lfp.read_text(encoding="utf-8") + line + "\r\n", encoding="utf-8")
    before = table_snapshot(engine)
    with pytest.raises(LoadFileError, match=message) as caught:
        import_dat(engine, dat, party="kushner", production="Bad")
    error = caught.value
    assert (Path(str(error.file)).name, error.line, error.field) == ("bad.lfp", 5, field)
    assert table_snapshot(engine) == before
