"""Which documents are copies of one email, defended key by key.

See docs/architecture.md §4 and the README section "Copies of one email".
"""

from __future__ import annotations

import datetime as dt
from pathlib import Path

from sqlalchemy.engine import Engine

from gaptrack.gaps.model import GapKind
from gaptrack.matching import MIN_BODY_CHARS, body_hash
from gaptrack.service import gaps
from tests.gapcase import load_case

AS_OF = dt.date(2017, 3, 10)
LONG = (
    "The budget for the second quarter is attached. Travel is cut by a third, the consultants"
    " stay until June, and the permits line moves to the capital plan. Tell me by Friday if"
    " any of this is wrong, so that the numbers can go to the committee on Monday."
)
ALICE = "Alice Able <alice@a.example>"
BOB = "Bob Baker <bob@b.example>"
CAROL = "Carol Cole <carol@c.example>"

HEAD = """
committees:
  - {slug: hsgo, name: House Committee on Oversight, chamber: house, thomas_id: HSGO}
parties:
  - {slug: alice, name: Alice Able, addresses: [alice@a.example]}
  - {slug: bob, name: Bob Baker, addresses: [bob@b.example]}
  - {slug: carol, name: Carol Cole, addresses: [carol@c.example]}
  - {slug: dave, name: Dave Doe, addresses: [dave@d.example]}
  - {slug: erin, name: Erin Eve, addresses: [erin@e.example]}
requests:
  - slug: r1
    committee: hsgo
    title: Requests to Alice Able
    date_sent: 2017-02-01
    deadline: 2017-03-01
    to: [alice]
    items:
      - number: 1
        text: All communications with Bob Baker.
        criteria: {correspondents: [bob]}
productions:
"""


def doc(bates: str, when: str, subject: str, *, sender: str = ALICE, to: str = BOB,
        cc: str | None = None, message_id: str | None = None, text: str | None = None,
        in_reply_to: str | None = None) -> str:
    lines = [f"      - bates: {bates}", "        type: email", f"        date_sent: {when}",
             f'        from: "{sender}"', f'        to: ["{to}"]', f'        subject: "{subject}"']
    if cc:
        lines.append(f'        cc: ["{cc}"]')
    if message_id:
        lines.append(f'        message_id: "{message_id}"')
    if in_reply_to:
        lines.append(f'        in_reply_to: "{in_reply_to}"')
    if text:
        lines.append("        text: |-")
        lines += [f"          {line}" if line else "" for line in text.splitlines()]
    return "\n".join(lines) + "\n"


def production(party: str, prefix: str, docs: list[str], received: str = "2017-02-10") -> str:
    return (f"  - slug: {party}-vol\n    party: {party}\n    volume: {prefix}001\n"
            f"    date_received: {received}\n    bates_prefix: {prefix}-\n"
            "    documents:\n" + "".join(docs))


# One email, three copies: the list server rewrote the subject on Carol's and Dave's, and
# Dave's has no Message-ID. MIH ties Bob's to Carol's, the fingerprint Carol's to Dave's.
BUDGET = [
    doc("BOB-0001", "2017-01-03 09:00:00", "Budget", cc=CAROL, message_id="<budget@a.example>"),
    doc("CAROL-0001", "2017-01-03 09:00:20", "[team] Budget", cc=CAROL,
        message_id="<budget@a.example>"),
    doc("DAVE-0001", "2017-01-03 09:01:00", "[team] Budget", cc=CAROL),
]


def case(tmp_path: Path, engine: Engine, alice_docs: list[str], others: str = "") -> None:
    text = HEAD + production("bob", "BOB", [
        BUDGET[0],
        doc("BOB-0002", "2017-01-04 10:00:00", "Lunch", message_id="<lunch@a.example>",
            text="Thanks!"),
        doc("BOB-0003", "2017-01-05 10:00:00", "Plans", message_id="<inbox-plans@b.example>",
            text=LONG),
    ]) + production("carol", "CAROL", [BUDGET[1]]) + production("dave", "DAVE", [BUDGET[2]])
    text += others + production("alice", "ALICE", alice_docs, received="2017-02-15")
    load_case(engine, tmp_path, text)


def inferred(engine: Engine) -> list[list[str]]:
    found = gaps.find_gaps(engine, as_of=AS_OF, party="alice", kinds=[GapKind.INFERRED])
    return sorted(g.evidence.bates for g in found)


ALICE_DOCS = [
    # Same sender, same two-word body as Bob's "Lunch": a different email.
    doc("ALICE-0001", "2017-01-04 10:00:00", "Dinner", to=CAROL,
        message_id="<dinner@a.example>", text="Thanks!"),
    # Her Sent copy of "Plans": its own Message-ID, a later stamp; the fingerprint ties it.
    doc("ALICE-0002", "2017-01-05 10:00:40", "Plans", message_id="<sent-plans@a.example>",
        text=LONG),
]


def test_short_bodies_get_no_body_hash() -> None:
    assert body_hash("Thanks!", "alice@a.example") is None
    assert body_hash(LONG, "alice@a.example") is not None
    assert len(LONG) >= MIN_BODY_CHARS
    # The sender is part of it: the same text from someone else is another email.
    assert body_hash(LONG, "alice@a.example") != body_hash(LONG, "bob@b.example")
    signed = LONG + "\n-- \nAlice Able\nChief of Staff"
    assert body_hash(signed, "alice@a.example") == body_hash(LONG, "alice@a.example")


def test_copies_are_grouped_by_the_union_of_their_keys(engine: Engine, tmp_path: Path) -> None:
    case(tmp_path, engine, ALICE_DOCS)
    assert inferred(engine) == [
        # One email under two subjects and two keys: one gap, all three copies as evidence.
        ["BOB-0001", "CAROL-0001", "DAVE-0001"],
        # The two "Thanks!" emails are not copies: Bob's is missing from Alice's production.
        ["BOB-0002"],
    ]  # and Bob's Inbox copy of "Plans" is Alice's Sent copy: no gap


def test_a_copy_held_under_one_key_answers_every_copy(engine: Engine, tmp_path: Path) -> None:
    held = doc("ALICE-0003", "2017-01-03 09:00:00", "Budget", cc=CAROL,
               message_id="<budget@a.example>")
    case(tmp_path, engine, [*ALICE_DOCS, held])
    # Dave's copy shares no key with Alice's (no Message-ID, the rewritten subject), but it
    # is the same email as Carol's, which she holds by MIH.
    assert inferred(engine) == [["BOB-0002"]]


QUOTE = """Sounds good, see you there.

-----Original Message-----
From: Alice Able <alice@a.example>
Sent: Fri, 06 Jan 2017 08:00:00 +0000
To: Bob Baker <bob@b.example>
Subject: Trip

Shall we go on Monday?"""


def test_a_reply_to_the_recipients_copy_is_answered_by_the_senders(
    engine: Engine, tmp_path: Path
) -> None:
    erin = production("erin", "ERIN", [
        # Bob's reply points at his Inbox copy's Message-ID, which nobody produced; Alice
        # produced her Sent copy (another Message-ID).
        doc("ERIN-0001", "2017-01-06 09:00:00", "RE: Trip", sender=BOB, to=ALICE,
            message_id="<re-trip@b.example>", in_reply_to="<inbox-trip@b.example>", text=QUOTE),
        # A reply to an email no one produced under any key: still reported.
        doc("ERIN-0002", "2017-01-07 09:00:00", "RE: Lost", sender=BOB, to=ALICE,
            message_id="<re-lost@b.example>", in_reply_to="<lost@a.example>"),
        # Not a Message-ID at all: ignored.
        doc("ERIN-0003", "2017-01-08 09:00:00", "RE: Odd", sender=BOB, to=ALICE,
            message_id="<re-odd@b.example>", in_reply_to="12345"),
        # A reply to Bob's "Lunch", which Alice lacks: an inferred gap, not a second report.
        doc("ERIN-0004", "2017-01-08 10:00:00", "RE: Lunch", sender=BOB, to=ALICE,
            message_id="<re-lunch@b.example>", in_reply_to="<lunch@a.example>"),
    ])
    sent = doc("ALICE-0004", "2017-01-06 08:00:30", "Trip", message_id="<sent-trip@a.example>")
    case(tmp_path, engine, [*ALICE_DOCS, sent], others=erin)
    found = gaps.find_gaps(engine, as_of=AS_OF, party="alice",
                           kinds=[GapKind.REFERENCED_UNPRODUCED])
    assert [g.title for g in found] == ["Email <lost@a.example>"]
    assert ["BOB-0002"] in inferred(engine)
