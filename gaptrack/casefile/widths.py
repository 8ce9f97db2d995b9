"""How long each case-file string may be: the width of the column it is stored in.

PostgreSQL refuses a value longer than its ``VARCHAR(n)`` column, SQLite stores it; checked
here once, before anything is written, a long value is the same clean error on both. A field
is stored in the same-named column of its section's table unless :data:`_RENAMED` says
otherwise; a field with no width (``TEXT``, dates, slugs the schema bounds) is not checked.
"""

from __future__ import annotations

from functools import cache

from gaptrack.models import metadata

# Each section's model -> the table its rows go to.
_TABLES = {
    "CommitteeSpec": "committee", "ContactSpec": "committee_contact", "CounselSpec": "counsel",
    "PartySpec": "party", "SignatorySpec": "signatory", "ItemSpec": "request_item",
    "ReplySpec": "reply", "CertificationSpec": "item_certification", "RequestSpec": "request",
    "DocumentSpec": "document", "ProductionSpec": "production", "KnownItemSpec": "known_item",
    "PrivilegeEntrySpec": "privilege_entry", "EventSpec": "event",
}
# (model, field) -> (table, column) where the names differ.
_RENAMED = {
    ("PartySpec", "aliases"): ("party_alias", "alias"),
    ("PartySpec", "addresses"): ("party_address", "address"),
    ("CriteriaSpec", "keywords"): ("item_criterion", "value"),
    ("EventSpec", "key"): ("event", "entity_key"),
    ("DocumentSpec", "bates"): ("document", "begin_label"),
    ("DocumentSpec", "references"): ("document_reference", "message_id"),
    ("DocumentSpec", "in_reply_to"): ("document_reference", "message_id"),
    ("KnownItemSpec", "privilege_entry"): ("privilege_entry", "entry_no"),
    ("KnownItemSpec", "document"): ("document", "begin_label"),
    ("KnownItemSpec", "produced_as"): ("document", "begin_label"),
    ("DocumentSpec", "parent"): ("document", "begin_label"),
}


@cache
def width(model: str, field: str) -> int | None:
    """The most characters ``model.field`` can hold, or None when any length fits."""
    table, column = _RENAMED.get((model, field), (_TABLES.get(model), field))
    if table is None or column not in metadata.tables[table].c:
        return None
    length = getattr(metadata.tables[table].c[column].type, "length", None)
    return int(length) if length else None
