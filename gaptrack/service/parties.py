"""Parties' names: adding aliases, and re-linking what is stored to match (one event)."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, field

from sqlalchemy.engine import Engine
from sqlmodel import select

from gaptrack.db import session_scope
from gaptrack.errors import InputError
from gaptrack.gaps.materialise import refresh_derived
from gaptrack.identity.names import normalise_name
from gaptrack.identity.resolve import load_party_names, resolve_stored
from gaptrack.models import Party, PartyAlias
from gaptrack.service.events import record
from gaptrack.service.lookup import resolve


@dataclass(slots=True)
class AliasReport:
    party: str
    added: list[str] = field(default_factory=list)
    already: list[str] = field(default_factory=list)  # the party had these (as folded)
    relinked: int = 0  # stored participant rows whose party changed
    # Names that now fit more than one party (they link to none): name -> party slugs.
    ambiguous: dict[str, list[str]] = field(default_factory=dict)

    def rows(self) -> list[dict[str, object]]:
        out: list[dict[str, object]] = [{"alias": a, "result": "added"} for a in self.added]
        out += [{"alias": a, "result": "already an alias"} for a in self.already]
        for name, slugs in self.ambiguous.items():
            out.append({"alias": name, "result": "ambiguous: " + ", ".join(slugs)})
        return out


def add_aliases(
    engine: Engine, party: str, aliases: Sequence[str], *, actor: str = "cli"
) -> AliasReport:
    """Give ``party`` more names and re-link the stored participants those names touch.

    A name another party already has makes the name ambiguous: participants with it are
    then linked to neither (and the report says so). Recorded as one event.
    """
    if not aliases:
        raise InputError("give at least one alias", field="ALIAS")
    with session_scope(engine) as session:
        owner = resolve(session, Party, party)
        assert owner.id is not None
        report = AliasReport(owner.slug)
        have = set(session.exec(select(PartyAlias.alias_norm).where(
            PartyAlias.party_id == owner.id)).all())
        have.add(normalise_name(owner.name))
        folded: list[str] = []
        for alias in aliases:
            norm = normalise_name(alias)
            if not norm:
                raise InputError(f"alias {alias!r} has no name in it", field="ALIAS")
            folded.append(norm)
            if norm in have:
                report.already.append(alias)
                continue
            have.add(norm)
            session.add(PartyAlias(party_id=owner.id, alias=alias.strip(), alias_norm=norm))
            report.added.append(alias.strip())
        session.flush()
        conn = session.connection()
        names = load_party_names(conn)
        slugs = {int(p.id): p.slug for p in session.exec(select(Party)).all() if p.id}
        for norm in dict.fromkeys(folded):
            if norm in names.ambiguous:
                report.ambiguous[norm] = [slugs[p] for p in names.ambiguous[norm]]
        mark = "%s" if conn.dialect.name == "postgresql" else "?"
        touched = list(dict.fromkeys(folded))
        report.relinked = resolve_stored(
            conn,
            where=f"name_norm IN ({', '.join([mark] * len(touched))})",
            params=tuple(touched),
            relink=True,
            names=names,
        )
        if report.added:
            record(
                session,
                actor=actor,
                action="party.alias.add",
                entity="party",
                entity_id=owner.id,
                key=owner.slug,
                data={"aliases": report.added, "relinked": report.relinked,
                      "ambiguous": report.ambiguous},
            )
    if report.added:
        # Derived facts follow writes, never reads: the re-linked participants change who is
        # on what (criteria rows, candidates, coverage counts), and reads do not refresh.
        refresh_derived(engine)
    return report
