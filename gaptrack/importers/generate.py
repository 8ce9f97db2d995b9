"""A deterministic synthetic DAT (and OPT) of any size, for the benchmark and the tests.

Rows are written as they are made, so a million records cost no more memory than ten.
"""

from __future__ import annotations

import random
from collections.abc import Iterator
from pathlib import Path

from gaptrack.importers.dat import write_dat

HEADER = [
    "BEGBATES",
    "ENDBATES",
    "BEGATTACH",
    "ENDATTACH",
    "CUSTODIAN",
    "FROM",
    "TO",
    "CC",
    "SUBJECT",
    "DATESENT",
    "TIMESENT",
    "MESSAGEID",
    "PGCOUNT",
    "MD5HASH",
]
_FIRST = ["Ann", "Bo", "Cy", "Di", "Ed", "Flo", "Gus", "Hal", "Ida", "Jo", "Kai", "Lu"]
_LAST = ["Smith", "Jones", "Lee", "Khan", "Diaz", "Ng", "Roe", "Park", "Moss", "Vega"]
_WORDS = [
    "meeting",
    "dinner",
    "invite",
    "draft",
    "memo",
    "call",
    "schedule",
    "update",
    "follow-up",
    "documents",
    "travel",
    "agenda",
    "notes",
    "review",
]


def _people(rng: random.Random, count: int) -> list[str]:
    out = []
    for i in range(count):
        first, last = rng.choice(_FIRST), rng.choice(_LAST)
        out.append(f"{first} {last} <{first.lower()}.{last.lower()}{i}@example.com>")
    return out


def synthetic_rows(records: int, *, prefix: str = "SYN-", seed: int = 7) -> Iterator[list[str]]:
    """Families of one email and 0–2 attachments; numbers run on without gaps."""
    rng = random.Random(seed)
    people = _people(rng, 2000)
    number = 1
    made = 0
    while made < records:
        attachments = min(rng.choice((0, 0, 0, 1, 2)), records - made - 1)
        pages = rng.randint(1, 3)
        parent = f"{prefix}{number:08d}"
        family_end = f"{prefix}{number + pages - 1 + attachments:08d}"
        sender = rng.choice(people)
        to = "; ".join(rng.sample(people, rng.randint(1, 3)))
        cc = rng.choice(people) if rng.random() < 0.3 else ""
        subject = " ".join(rng.sample(_WORDS, 3)).capitalize()
        if rng.random() < 0.2:
            subject = "RE: " + subject
        month, day = rng.randint(1, 12), rng.randint(1, 28)
        yield [
            parent,
            f"{prefix}{number + pages - 1:08d}",
            parent,
            family_end,
            "Custodian " + sender.split(" ")[1],
            sender,
            to,
            cc,
            subject,
            f"{month:02d}/{day:02d}/2016",
            f"{rng.randint(0, 23):02d}:{rng.randint(0, 59):02d}:00",
            f"<{made}.{rng.getrandbits(40):x}@mail.example.com>",
            str(pages),
            f"{rng.getrandbits(128):032x}",
        ]
        number += pages
        made += 1
        for _ in range(attachments):
            label = f"{prefix}{number:08d}"
            yield [
                label,
                label,
                parent,
                family_end,
                "",
                "",
                "",
                "",
                "",
                "",
                "",
                "",
                "1",
                f"{rng.getrandbits(128):032x}",
            ]
            number += 1
            made += 1


def generate_dat(path: Path, records: int, *, prefix: str = "SYN-", seed: int = 7) -> Path:
    write_dat(path, synthetic_rows(records, prefix=prefix, seed=seed), header=HEADER)
    return path
