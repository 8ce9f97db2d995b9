"""What both databases store, checked once where values enter (importers, case files).

SQLite stores any integer up to 2**63-1 in an INTEGER column and any text; PostgreSQL's
``integer`` stops at 2**31-1, ``bigint`` at 2**63-1, and its text cannot hold a NUL byte. A
value past these limits is bad input on both backends alike, never a crash on one of them.
"""

from __future__ import annotations

MAX_INT = 2**31 - 1  # an INTEGER column on PostgreSQL (page counts, line numbers)
MAX_BIGINT = 2**63 - 1  # a BIGINT column (Bates numbers)
