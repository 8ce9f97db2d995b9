"""How an item's criteria combine: correspondents "any of" or "all of"; kinds "all" or "any"."""

from __future__ import annotations

from pathlib import Path

import sqlalchemy as sa
from sqlalchemy.engine import Engine

from gaptrack.gaps.materialise import refresh_derived
from gaptrack.service.cases import export_case
from tests.gapcase import load_case
from tests.test_copies import ALICE, BOB, CAROL, HEAD, doc, production

ITEMS = HEAD.replace(
    """        criteria: {correspondents: [bob]}
""",
    """        criteria: {correspondents: [bob, carol], correspondents_match: all}
      - number: 2
        text: Everything about the pipeline, and every memo.
        criteria: {keywords: [pipeline], doc_types: [memo], combine: any}
      - number: 3
        text: Memos about the pipeline.
        criteria: {keywords: [pipeline], doc_types: [memo]}
      - number: 4
        text: Communications with Bob or Carol.
        criteria: {correspondents: [bob, carol]}
""",
)


def answers(engine: Engine) -> dict[str, set[str]]:
    refresh_derived(engine)
    with engine.connect() as conn:
        rows = conn.execute(sa.text(
            "SELECT d.begin_label, i.number FROM document_item di"
            " JOIN document d ON d.id = di.document_id"
            " JOIN request_item i ON i.id = di.item_id WHERE di.source = 'criteria'"
        )).all()
    out: dict[str, set[str]] = {}
    for label, number in rows:
        out.setdefault(str(number), set()).add(str(label))
    return out


def test_criteria_combine_as_each_item_says(engine: Engine, tmp_path: Path) -> None:
    text = ITEMS + production("bob", "BOB", [
        doc("BOB-0001", "2017-01-03 09:00:00", "Lunch", sender=ALICE, to=BOB),
        doc("BOB-0002", "2017-01-04 09:00:00", "Lunch again", sender=ALICE, to=BOB, cc=CAROL),
        doc("BOB-0003", "2017-01-05 09:00:00", "The pipeline", sender=ALICE, to=BOB),
    ])
    load_case(engine, tmp_path, text)
    found = answers(engine)
    assert found["1"] == {"BOB-0002"}  # between Bob *and* Carol
    assert found["2"] == {"BOB-0003"}  # the keyword is enough
    assert "3" not in found  # a keyword without the type is not
    assert found["4"] == {"BOB-0001", "BOB-0002", "BOB-0003"}
    exported = export_case(engine)
    assert "correspondents_match: all" in exported and "combine: any" in exported
    assert exported.count("correspondents_match") == 1 and exported.count("combine:") == 1
