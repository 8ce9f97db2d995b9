"""The engine's grouping of result rows into emails (gaptrack.gaps.unify.group_copies),
checked against the definition it implements: two rows of one partition are one email when
they share an MIH or a body hash, or have one fingerprint with sent times within the
tolerance (both unknown counts as within), and so is everything linked to them."""

from __future__ import annotations

import itertools
from dataclasses import dataclass

from hypothesis import given, settings
from hypothesis import strategies as st

from gaptrack.gaps.unify import group_copies
from gaptrack.matching import FINGERPRINT_TOLERANCE_SECONDS

TOLERANCE_MS = FINGERPRINT_TOLERANCE_SECONDS * 1000


@dataclass(frozen=True)
class Row:
    n: int
    part: int
    mih: str | None
    body_hash: str | None
    fingerprint: str | None
    sent_ms: int | None


def _linked(a: Row, b: Row) -> bool:
    if a.part != b.part:
        return False
    if (a.mih and a.mih == b.mih) or (a.body_hash and a.body_hash == b.body_hash):
        return True
    if not a.fingerprint or a.fingerprint != b.fingerprint:
        return False
    if a.sent_ms is None or b.sent_ms is None:
        return a.sent_ms is None and b.sent_ms is None
    return abs(a.sent_ms - b.sent_ms) <= TOLERANCE_MS


def _components(rows: list[Row]) -> set[frozenset[int]]:
    """Connected components of the pairwise relation, by brute force."""
    group = {r.n: {r.n} for r in rows}
    for a, b in itertools.combinations(rows, 2):
        if _linked(a, b) and group[a.n] is not group[b.n]:
            merged = group[a.n] | group[b.n]
            for n in merged:
                group[n] = merged
    return {frozenset(g) for g in group.values()}


def _key(letters: str) -> st.SearchStrategy[str | None]:
    return st.one_of(st.none(), st.sampled_from([f"{letters}{i}" for i in range(4)]))


ROWS = st.lists(
    st.tuples(
        st.integers(0, 2), _key("m"), _key("b"), _key("f"),
        st.one_of(st.none(), st.integers(0, 4 * TOLERANCE_MS).map(lambda ms: ms // 1000 * 1000)),
    ),
    max_size=40,
)


@settings(max_examples=300, deadline=None)
@given(ROWS)
def test_groups_are_the_connected_emails(raw: list[tuple[object, ...]]) -> None:
    rows = [Row(n, *values) for n, values in enumerate(raw)]  # type: ignore[arg-type]
    groups = group_copies(rows, lambda r: r.part)
    assert sorted(r.n for g in groups for r in g) == list(range(len(rows)))  # each row once
    assert {frozenset(r.n for r in g) for g in groups} == _components(rows)
    for g in groups:  # a group keeps the rows' order
        assert [r.n for r in g] == sorted(r.n for r in g)


def test_exactly_the_tolerance_apart_is_one_email() -> None:
    rows = [Row(0, 0, None, None, "f", 0), Row(1, 0, None, None, "f", TOLERANCE_MS),
            Row(2, 0, None, None, "f", 2 * TOLERANCE_MS + 1)]
    groups = group_copies(rows, lambda r: r.part)
    assert [[r.n for r in g] for g in groups] == [[0, 1], [2]]
