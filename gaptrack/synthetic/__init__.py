"""A seeded, deterministic synthetic case shaped like the real ones, for benchmarks and demos.

``build_synthetic(engine, 1_000_000)`` writes committees, ``parties`` parties with names, aliases
and addresses, one letter per party (four numbered items with correspondent / keyword /
document-type criteria, some renewed by a deficiency letter), two rolling productions per party
with contiguous Bates ranges, emails between parties where each participant produced its own copy
(or not), the sender's copy often carrying a *different* Message-ID than the recipients' copies
(so only the fingerprint ties them), forwards with quoted headers, replies to emails nobody
produced, known items and privilege-log entries.

Rows go in through SQLAlchemy Core ``executemany`` in chunks inside one transaction (never ORM
``add_all``): the ORM inserts a few thousand rows a second, this path a few hundred thousand.
Identifiers are assigned here (after the current maximum) so child rows can point at parents
without a round trip; PostgreSQL sequences are moved past them at the end.

Everything derives from ``random.Random(seed)``: the same arguments give the same database.
Slugs start with ``syn-`` so a synthetic case can sit next to the fixture cases.

The parts: ``common`` (names, time span, planned parties, ids), ``letters`` (parties,
letters, productions), ``documents``, ``known`` (known items, privilege entries) and
``build`` (the transaction).
"""

from gaptrack.synthetic.build import SyntheticCase, build_synthetic

__all__ = ["SyntheticCase", "build_synthetic"]
