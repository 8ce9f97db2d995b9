"""What both databases store, checked once where values enter (importers, case files).

SQLite stores any integer up to 2**63-1 in an INTEGER column and any text; PostgreSQL's
``integer`` stops at 2**31-1, ``bigint`` at 2**63-1, and its text cannot hold a NUL byte. A
value past these limits is bad input on both backends alike, never a crash on one of them.
"""

from __future__ import annotations

MAX_INT = 2**31 - 1  # an INTEGER column on PostgreSQL (page counts, line numbers)
MAX_BIGINT = 2**63 - 1  # a BIGINT column (Bates numbers)
NAME_WIDTH = 300  # a participant's or alias's name and its folded form (VARCHAR(300))
ADDRESS_WIDTH = 320  # an email address (VARCHAR(320); RFC 5321 allows 254)
ACTOR_WIDTH = 120  # event.actor: who did it (--actor, the TUI's user)
PRODUCTION_WIDTH = 120  # production.volume: an import's --production


def check_text(value: str, most: int, what: str) -> str:
    """``value`` when both databases store it in a ``most``-character column, else a clean
    :class:`gaptrack.errors.InputError` naming ``what`` (an option: ``--actor``)."""
    from gaptrack.errors import InputError

    if "\x00" in value:
        raise InputError(f"{what}: holds a NUL byte")
    if len(value) > most:
        raise InputError(f"{what}: is {len(value)} characters long; at most {most} fit")
    return value
