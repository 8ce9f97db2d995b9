"""Participant → party, by one rule, wherever participants are stored.

The rule: a participant belongs to the party whose address it carries (addresses are unique
to one party); failing that, to the party whose name or alias its folded name
(:func:`gaptrack.identity.names.normalise_name`) equals — when exactly one party has that
name. A name two parties share ("Mike") links to neither and is listed as ambiguous.

Loads hold the (few) party keys in memory and link each participant as it is written
(:class:`PartyNames`, :meth:`PartyNames.party_for`); what is already stored is linked, or
re-linked after aliases change, by set-based UPDATEs (:func:`resolve_stored`). Both read the
keys from :func:`load_party_names`, so they cannot disagree. Names are folded here, from the
alias text and the party's name, so a database written by an older fold resolves the same.
"""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass, field

from sqlalchemy.engine import Connection

from gaptrack.identity.names import normalise_name

# Above this many party addresses + names, loads link participants with UPDATEs instead.
MAX_PARTY_KEYS = 500_000
NAME_TABLE = "gt_identity_name"


@dataclass(slots=True)
class PartyNames:
    """The keys participants are linked by: address → party, unambiguous name → party."""

    addresses: dict[str, int] = field(default_factory=dict)
    names: dict[str, int] = field(default_factory=dict)
    ambiguous: dict[str, tuple[int, ...]] = field(default_factory=dict)  # name → parties

    def keys(self) -> tuple[dict[str, int], dict[str, int]]:
        """(addresses, names): the picklable pair a load's mapping child carries."""
        return self.addresses, self.names

    def party_for(self, address: str | None, name_norm: str | None) -> int | None:
        return party_for(self.keys(), address or "", name_norm or "")


def party_for(
    keys: tuple[dict[str, int], dict[str, int]], address: str, name_norm: str
) -> int | None:
    """The party of one participant ("" is absent): by address, else by unambiguous name."""
    addresses, names = keys
    party = addresses.get(address) if address else None
    if party is None and name_norm:
        party = names.get(name_norm)
    return party


def count_party_keys(conn: Connection) -> int:
    return int(
        conn.exec_driver_sql(
            "SELECT (SELECT count(*) FROM party_address) + (SELECT count(*) FROM party_alias)"
            " + (SELECT count(*) FROM party)"
        ).scalar()
        or 0
    )


def load_party_names(conn: Connection) -> PartyNames:
    """Every party's addresses, and its names (aliases and its own name) folded."""
    addresses = {
        str(a): int(p)
        for a, p in conn.exec_driver_sql("SELECT address, party_id FROM party_address")
    }
    claims: dict[str, set[int]] = defaultdict(set)
    for name, party in conn.exec_driver_sql(
        "SELECT alias, party_id FROM party_alias UNION ALL SELECT name, id FROM party"
    ):
        folded = normalise_name(str(name))
        if folded:
            claims[folded].add(int(party))
    names = {n: next(iter(p)) for n, p in claims.items() if len(p) == 1}
    ambiguous = {n: tuple(sorted(p)) for n, p in claims.items() if len(p) > 1}
    return PartyNames(addresses, names, ambiguous)


def _stage_names(conn: Connection, names: PartyNames) -> None:
    conn.exec_driver_sql(f"DROP TABLE IF EXISTS {NAME_TABLE}")
    conn.exec_driver_sql(
        f"CREATE TEMPORARY TABLE {NAME_TABLE}"
        " (name_norm VARCHAR(300) PRIMARY KEY, party_id INTEGER)"
    )
    rows = list(names.names.items())
    if rows:
        mark = "%s" if conn.dialect.name == "postgresql" else "?"
        conn.exec_driver_sql(
            f"INSERT INTO {NAME_TABLE} (name_norm, party_id) VALUES ({mark}, {mark})", rows
        )


def resolve_stored(
    conn: Connection,
    *,
    where: str = "1 = 1",
    params: tuple[object, ...] = (),
    relink: bool = False,
    names: PartyNames | None = None,
) -> int:
    """Link the stored participants matching ``where`` (SQL over ``document_participant``)
    to their parties; with ``relink``, first unlink those now linked to the wrong party
    (an alias moved, a name became ambiguous). Set-based; returns the rows changed."""
    _stage_names(conn, names or load_party_names(conn))
    dp = "document_participant"
    by_address = f"SELECT a.party_id FROM party_address a WHERE a.address = {dp}.address"
    by_name = f"SELECT n.party_id FROM {NAME_TABLE} n WHERE n.name_norm = {dp}.name_norm"
    changed = 0
    if relink:
        changed += _rowcount(
            conn.exec_driver_sql(
                f"UPDATE {dp} SET party_id = NULL WHERE party_id IS NOT NULL AND ({where})"
                f" AND NOT EXISTS ({by_address} AND a.party_id = {dp}.party_id)"
                f" AND (EXISTS ({by_address})"
                f" OR NOT EXISTS ({by_name} AND n.party_id = {dp}.party_id))",
                params,
            )
        )
    changed += _rowcount(
        conn.exec_driver_sql(
            f"UPDATE {dp} SET party_id = ({by_address}) WHERE party_id IS NULL AND ({where})"
            f" AND address IS NOT NULL AND EXISTS ({by_address})",
            params,
        )
    )
    changed += _rowcount(
        conn.exec_driver_sql(
            f"UPDATE {dp} SET party_id = ({by_name}) WHERE party_id IS NULL AND ({where})"
            f" AND name_norm IS NOT NULL AND EXISTS ({by_name})",
            params,
        )
    )
    conn.exec_driver_sql(f"DROP TABLE IF EXISTS {NAME_TABLE}")
    return changed


def _rowcount(result: object) -> int:
    return max(int(getattr(result, "rowcount", 0) or 0), 0)
