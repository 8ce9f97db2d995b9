"""The intake QC report's view of identity: who in a production is nobody's, most often,
with the parties they probably are; and which names fit several parties (linked to none)."""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager

from pydantic import BaseModel
from rapidfuzz import fuzz, process
from sqlalchemy.engine import Connection

from gaptrack.identity.resolve import PartyNames, load_party_names

# The report looks at the production's first documents only, so that a million-document
# load pays a bounded cost (one indexed range of participants, grouped).
SAMPLE_DOCUMENTS = 50_000
TOP = 10
MIN_SCORE = 80  # rapidfuzz token-sort ratio (0-100) for a suggestion


class Unresolved(BaseModel):
    name: str  # as written (one example)
    address: str | None = None
    count: int  # participant rows among the sampled documents
    suggested: list[str] = []  # party slugs, best first
    ambiguous: bool = False  # the name fits several parties (the suggestions)


class ParticipantReport(BaseModel):
    sampled_documents: int = 0
    participants: int = 0
    linked: int = 0
    unresolved: list[Unresolved] = []

    def summary(self) -> list[tuple[str, str]]:
        rows = [
            (
                "participants linked",
                f"{self.linked} of {self.participants} in the first {self.sampled_documents} "
                "documents",
            )
        ]
        for u in self.unresolved:
            who = u.name + (f" <{u.address}>" if u.address else "")
            hint = ""
            if u.suggested:
                verb = "fits several parties" if u.ambiguous else "perhaps"
                hint = f" — {verb}: {', '.join(u.suggested)}"
            rows.append(("  unresolved", f"{who} ×{u.count}{hint}"))
        if self.unresolved:
            rows.append(("  to fix", 'gaptrack party alias add PARTY "NAME"'))
        return rows


def _suggest(names: PartyNames, slugs: dict[int, str], folded: str, address: str) -> list[str]:
    if folded in names.ambiguous:
        return [slugs[p] for p in names.ambiguous[folded] if p in slugs]
    query = folded or address.partition("@")[0].replace(".", " ")
    if not query or not names.names:
        return []
    found = process.extract(
        query, list(names.names), scorer=fuzz.token_sort_ratio, score_cutoff=MIN_SCORE, limit=3
    )
    out: list[str] = []
    for name, _score, _index in found:
        slug = slugs.get(names.names[name])
        if slug and slug not in out:
            out.append(slug)
    return out


@contextmanager
def _hash_joins(conn: Connection) -> Iterator[None]:
    """PostgreSQL: no nested loops for the block. Run inside the import, the report's
    queries find tables without statistics (a thousand rows are as likely as a million),
    and the planner once took the sample's semi-join as a nested loop that rescanned the
    production for every participant: 30 s at 10,000 documents. A hash join costs a few
    milliseconds whatever the sizes. The setting is put back after (if the block fails the
    transaction is lost anyway)."""
    if conn.dialect.name != "postgresql":
        yield
        return
    before = conn.exec_driver_sql("SELECT current_setting('enable_nestloop')").scalar_one()
    conn.exec_driver_sql("SET LOCAL enable_nestloop = off")
    yield
    conn.exec_driver_sql("SELECT set_config('enable_nestloop', %s, true)", (before,))


def participant_report(conn: Connection, production_id: int) -> ParticipantReport:
    """How the production's participants were linked, and the most frequent unlinked ones."""
    first, count = conn.exec_driver_sql(
        f"SELECT min(id), count(*) FROM document WHERE production_id = {int(production_id)}"
    ).one()
    if first is None:
        return ParticipantReport()
    last = int(first) + SAMPLE_DOCUMENTS - 1
    # The sample's own ids only: unbounded, the IN list is every id of the production.
    own = (f"SELECT id FROM document WHERE id BETWEEN {int(first)} AND {last}"
           f" AND production_id = {int(production_id)}")
    docs = f"p.document_id BETWEEN {int(first)} AND {last} AND p.document_id IN ({own})"
    with _hash_joins(conn):
        total, linked = conn.exec_driver_sql(
            f"SELECT count(*), count(p.party_id) FROM document_participant p WHERE {docs}"
        ).one()
        rows = conn.exec_driver_sql(
            "SELECT coalesce(p.name_norm, ''), coalesce(p.address, ''), min(p.name), count(*)"
            f" FROM document_participant p WHERE {docs} AND p.party_id IS NULL"
            " AND p.role <> 'quoted'"
            " GROUP BY coalesce(p.name_norm, ''), coalesce(p.address, '')"
            f" ORDER BY count(*) DESC, 1, 2 LIMIT {TOP}"
        ).all()
    names = load_party_names(conn)
    slugs = {int(i): str(s) for i, s in conn.exec_driver_sql("SELECT id, slug FROM party")}
    unresolved = [
        Unresolved(
            name=str(name or folded or address),
            address=str(address) or None,
            count=int(n),
            suggested=_suggest(names, slugs, str(folded), str(address)),
            ambiguous=str(folded) in names.ambiguous,
        )
        for folded, address, name, n in rows
    ]
    return ParticipantReport(
        sampled_documents=min(int(count), SAMPLE_DOCUMENTS),
        participants=int(total),
        linked=int(linked),
        unresolved=unresolved,
    )
