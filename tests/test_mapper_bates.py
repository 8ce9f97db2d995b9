"""The DAT mapper reads every Bates label as ``parse_bates`` reads it on its own.

For speed the mapper remembers things between records: the last prefix (a label that is
that prefix and ASCII digits is split without the regex), the last BEGATTACH and what it
read, and it skips ENDBATES when it repeats BEGBATES. None of that may change an answer:
here records with awkward labels (prefixes ending in digits, suffixes, non-ASCII digits,
labels with no number) are mapped in sequence and each compared with a reference that
parses every label afresh.
"""

from __future__ import annotations

from hypothesis import given, settings
from hypothesis import strategies as st

from gaptrack.bates import parse_bates
from gaptrack.errors import LoadFileError
from gaptrack.importers.dat import DatRecord
from gaptrack.importers.fieldmap import build_field_map
from gaptrack.importers.mapping import ROW_INDEX, DatMapper

COLUMNS = ["BEGBATES", "ENDBATES", "BEGATTACH"]
FIELDS = build_field_map(COLUMNS)

LABELS = st.builds(
    lambda prefix, digits, suffix: prefix + digits + suffix,
    st.sampled_from(["A", "AB-", "X2017", "X2017-", "", "A1_", "Z"]),
    st.sampled_from(["1", "0001", "0002", "12", "2017000123", "٣", "00"]),
    st.sampled_from(["", "", "", "_2", ".1", "_0003"]),
) | st.sampled_from(["ABC", "-", "A 1"])


def _expected(
    begin_label: str, end_label: str, family: str, bates_prefix: str | None
) -> tuple[str, int, int, tuple[str, int] | None] | tuple[str, str]:
    """(prefix, begin, end, parent), or (column, reason) of the error."""
    try:
        begin = parse_bates(begin_label, bates_prefix)
    except ValueError as exc:
        return "BEGBATES", str(exc)
    end_label = end_label or begin_label
    try:
        end = parse_bates(end_label, bates_prefix)
    except ValueError as exc:
        return "ENDBATES", str(exc)
    if end.prefix != begin.prefix:
        return "ENDBATES", f"{end_label!r} has a different prefix from {begin_label!r}"
    if end.number < begin.number:
        return "ENDBATES", f"{end_label!r} comes before {begin_label!r}"
    parent = None
    if family and family != begin_label:
        try:
            head = parse_bates(family, bates_prefix)
        except ValueError as exc:
            return "BEGATTACH", str(exc)
        if head.number != begin.number or head.prefix != begin.prefix:
            parent = (head.prefix, head.number)
    return begin.prefix, begin.number, end.number, parent


@settings(max_examples=400, deadline=None)
@given(
    records=st.lists(
        st.tuples(LABELS, st.one_of(st.just(""), LABELS), st.integers(0, 4), LABELS),
        min_size=1,
        max_size=25,
    ),
    bates_prefix=st.sampled_from([None, None, "A", "X2017", "X2017-"]),
)
def test_labels_read_as_parse_bates_reads_them(
    records: list[tuple[str, str, int, str]], bates_prefix: str | None
) -> None:
    mapper = DatMapper(FIELDS, file="t.dat", bates_prefix=bates_prefix)
    earlier: list[str] = []
    last_family = ""
    for line, (begin_label, end_choice, family_choice, other) in enumerate(records, start=1):
        # ENDBATES: empty, the same label (a one-page document) or another one.
        end_label = {"": "", begin_label: begin_label}.get(end_choice, end_choice)
        if family_choice == 1:
            end_label = begin_label
        # BEGATTACH: none, the record's own label, the record before's (its parent), another,
        # or the record before's BEGATTACH (a second attachment).
        family = [
            "", begin_label, earlier[-1] if earlier else other, other, last_family or other
        ][family_choice]
        earlier.append(begin_label)
        last_family = family
        expected = _expected(begin_label, end_label, family, bates_prefix)
        try:
            draft = mapper.map(DatRecord(line, [begin_label, end_label, family]))
        except LoadFileError as exc:
            assert (exc.field, exc.reason) == expected
            assert exc.line == line
            continue
        got = (draft.prefix, draft.begin, draft.values[ROW_INDEX["bates_end"]], draft.parent)
        assert got == expected
