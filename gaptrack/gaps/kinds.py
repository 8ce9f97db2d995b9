"""One spec per gap kind: its query, how its rows count, its order, its letter section, its label.

Every place that needs to know something about a kind of gap asks here: the engine sorts by
``order``, the ledger counts the ``document_level`` kinds against an item, the screens and
reports show ``label``, and the letter puts each kind under ``letter_section`` (``None``: never
cited).
"""

from __future__ import annotations

from collections.abc import Callable, Iterable
from dataclasses import dataclass
from typing import Any

from gaptrack.errors import InputError
from gaptrack.gaps.model import GapKind
from gaptrack.gaps.query_family import family_pairs
from gaptrack.gaps.query_inferred import inferred_candidates
from gaptrack.gaps.query_items import nothing_produced, overdue
from gaptrack.gaps.query_known import known_rows
from gaptrack.gaps.query_referenced import referenced_unproduced
from gaptrack.gaps.query_silent import asked_items
from gaptrack.gaps.query_waiver import logged_entries
from gaptrack.gaps.scope import Scope


@dataclass(frozen=True, slots=True)
class GapKindSpec:
    kind: GapKind
    label: str  # what a person reads on a screen
    order: int  # gaps sort by party, then this
    query: Callable[[Scope], Any]  # the set-based SQL whose rows become gaps of this kind
    counts_as: str  # one gap per: what the engine groups the query's rows by
    document_level: bool  # a document is missing (the ledger counts it against its item)
    letter_section: str | None  # where a deficiency letter cites it (None: never)
    # Computed only when asked for by name (``--kind``), never in "every kind".
    opt_in: bool = False


KINDS: dict[GapKind, GapKindSpec] = {
    spec.kind: spec
    for spec in (
        GapKindSpec(
            GapKind.KNOWN_NOT_PRODUCED, "known, not produced", 0, known_rows,
            "known item", True, "known",
        ),
        GapKindSpec(
            GapKind.INFERRED, "inferred from another production", 1, inferred_candidates,
            "email and renewal chain", True, "findings",
        ),
        GapKindSpec(
            GapKind.WITHHELD, "withheld (privilege log)", 2, known_rows,
            "known item, email or item", True, "withheld",
        ),
        GapKindSpec(
            GapKind.NOTHING_PRODUCED, "nothing produced", 3, nothing_produced,
            "item", False, "nothing-produced",
        ),
        GapKindSpec(
            GapKind.OVERDUE, "overdue", 4, overdue,
            "letter and deadline", False, None,
        ),
        GapKindSpec(
            GapKind.REFERENCED_UNPRODUCED, "referenced, produced by nobody", 5,
            referenced_unproduced, "Message-ID", False, "referenced",
        ),
        GapKindSpec(
            GapKind.SILENT_PERIOD, "silent period", 6, asked_items,
            "party and month", False, None, opt_in=True,
        ),
        GapKindSpec(
            GapKind.INCOMPLETE_FAMILY, "attachment missing from a family", 7, family_pairs,
            "email and attachment file", False, "incomplete-family",
        ),
        GapKindSpec(
            GapKind.PRIVILEGE_CONTRADICTED, "logged as privileged, produced by another", 8,
            logged_entries, "privilege-log entry", False, "contradicted",
        ),
    )
}

KIND_ORDER: dict[GapKind, int] = {kind: spec.order for kind, spec in KINDS.items()}
DOCUMENT_GAPS: frozenset[GapKind] = frozenset(k for k, s in KINDS.items() if s.document_level)
ALL_KINDS: frozenset[GapKind] = frozenset(k for k, s in KINDS.items() if not s.opt_in)
OPT_IN_KINDS: frozenset[GapKind] = frozenset(KINDS) - ALL_KINDS


def spec(kind: GapKind | str) -> GapKindSpec:
    return KINDS[GapKind(kind)]


def label(kind: GapKind | str) -> str:
    return spec(kind).label


def parse_kinds(values: Iterable[str] | None) -> frozenset[GapKind]:
    """``["inferred", "withheld"]`` (or ``["inferred,withheld"]``) to kinds; an unknown name is
    an input error; nothing asked for means every kind."""
    if not values:
        return ALL_KINDS
    found: set[GapKind] = set()
    for value in values:
        for part in str(value).split(","):
            name = part.strip().lower()
            if not name:
                continue
            try:
                found.add(GapKind(name))
            except ValueError:
                known = ", ".join(k.value for k in GapKind)
                raise InputError(f"unknown gap kind {name!r}; use one of: {known}") from None
    return frozenset(found) or ALL_KINDS
