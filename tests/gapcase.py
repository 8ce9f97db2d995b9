"""A small case for the gap-engine tests, as YAML text (readable next to the assertions).

Alice is asked to produce; Bob and Carol produced emails she is on. Each document exercises
one rule: MIH match, fingerprint match (sender's vs recipient's copy, different Message-IDs,
subjects differing only by FW:/Fwd:), body-hash match, a missing copy (inferred), a party only
in a quoted forward header, an email answering none of Alice's items, a privilege-logged email,
and a reply to an email nobody produced.
"""

from __future__ import annotations

import datetime as dt
from pathlib import Path

from sqlalchemy.engine import Engine

from gaptrack.service.cases import load_case_files

BEFORE_DEADLINE = dt.date(2017, 2, 20)
AFTER_DEADLINE = dt.date(2017, 3, 10)

CASE = """
committees:
  - {slug: hsgo, name: House Committee on Oversight, chamber: house, thomas_id: HSGO}
counsel:
  - {slug: cobb, name: Ty Counsel, firm: Counsel LLP}
parties:
  - {slug: alice, name: Alice Able, aliases: [Alice Able], addresses: [alice@a.example],
     counsel: [cobb]}
  - {slug: bob, name: Bob Baker, aliases: [Bob Baker], addresses: [bob@b.example]}
  - {slug: carol, name: Carol Cole, aliases: [Carol Cole], addresses: [carol@c.example]}
  - {slug: dave, name: Dave Doe, aliases: [Dave Doe], addresses: [dave@d.example]}
requests:
  - slug: r1
    committee: hsgo
    title: Requests to Alice Able
    date_sent: 2017-02-01
    deadline: 2017-03-01
    to: [alice]
    via: cobb
    signatories:
      - {name: Pat Chair, role: Chairman}
      - {name: Lee Member, role: Ranking Member}
    items:
      - number: 1
        text: All communications with Bob Baker.
        date_from: 2016-01-01
        date_to: 2017-02-01
        criteria: {correspondents: [bob]}
      - number: 2
        text: All documents concerning the pipeline.
        date_from: 2016-01-01
        date_to: 2017-02-01
        criteria: {keywords: [pipeline]}
      - number: 3
        text: Your phone records.
        criteria: {doc_types: [phone bill]}
productions:
  - slug: bob-vol1
    party: bob
    volume: BOB001
    date_received: 2017-02-01
    bates_prefix: BOB-
    documents:
      - bates: BOB-0001
        type: email
        date_sent: 2017-01-02 10:00:00
        from: Alice Able <alice@a.example>
        to: [Bob Baker <bob@b.example>]
        subject: Lunch plans
        message_id: <m1@a.example>
        text: See you at noon.
      - bates: BOB-0002
        type: email
        date_sent: 2017-01-03 09:00:00
        from: Alice Able <alice@a.example>
        to: [Bob Baker <bob@b.example>]
        subject: "Fwd: Budget"
        message_id: <inbox-2@b.example>
      - bates: BOB-0003
        type: email
        date_sent: 2017-01-04 11:00:00
        from: Bob Baker <bob@b.example>
        to: [Alice Able <alice@a.example>]
        subject: Quarterly numbers
        message_id: <m3@b.example>
        text: >-
          The numbers are attached. Revenue for the quarter came in under plan because the
          licences slipped; costs held steady. Please read the notes on the second
          sheet before Monday's call and send me any questions by Friday noon.
      - bates: BOB-0004
        type: email
        date_sent: 2017-01-05 12:00:00
        from: Bob Baker <bob@b.example>
        to: [Alice Able <alice@a.example>]
        cc: [Carol Cole <carol@c.example>]
        subject: Route options
        message_id: <m4@b.example>
        text: Three routes for the pipeline are on the table.
  - slug: carol-vol1
    party: carol
    volume: CAROL001
    date_received: 2017-02-10
    bates_prefix: CAROL-
    documents:
      - bates: CAROL-0001
        type: email
        date_sent: 2017-01-06 08:00:00
        from: Carol Cole <carol@c.example>
        to: [Dave Doe <dave@d.example>]
        subject: "FW: Pipeline permits"
        message_id: <c1@c.example>
        text: |-
          See below.

          -----Original Message-----
          From: Alice Able <alice@a.example>
          Sent: Thu, 05 Jan 2017 16:00:00 +0000
          To: Carol Cole <carol@c.example>
          Subject: Pipeline permits

          The permits are delayed.
      - bates: CAROL-0002
        type: email
        date_sent: 2017-01-07 08:00:00
        from: Carol Cole <carol@c.example>
        to: [Alice Able <alice@a.example>]
        cc: [Dave Doe <dave@d.example>]
        subject: Holiday party
        message_id: <c2@c.example>
        text: The party is on Friday.
      - bates: CAROL-0003
        type: email
        date_sent: 2017-01-09 08:00:00
        from: Dave Doe <dave@d.example>
        to: [Alice Able <alice@a.example>]
        subject: Pipeline advice
        message_id: <c3@d.example>
        text: Legal advice on the pipeline contract.
      - bates: CAROL-0004
        type: email
        date_sent: 2017-01-10 08:00:00
        from: Carol Cole <carol@c.example>
        to: [Alice Able <alice@a.example>]
        subject: "RE: Pipeline call"
        message_id: <c4@c.example>
        in_reply_to: <lost-original@a.example>
        text: Agreed, the pipeline call is on Monday.
  - slug: alice-vol1
    party: alice
    volume: ALICE001
    date_received: 2017-02-15
    answers: [r1]
    bates_prefix: ALICE-
    documents:
      - bates: ALICE-0001
        type: email
        date_sent: 2017-01-02 10:00:00
        from: Alice Able <alice@a.example>
        to: [Bob Baker <bob@b.example>]
        subject: Lunch plans
        message_id: <m1@a.example>
      - bates: ALICE-0002
        type: email
        date_sent: 2017-01-03 09:01:00
        from: Alice Able <alice@a.example>
        to: [Bob Baker <bob@b.example>]
        subject: "FW: Budget"
        message_id: <sent-2@a.example>
      - bates: ALICE-0003
        type: email
        date_sent: 2017-01-04 11:30:00
        from: Bob Baker <bob@b.example>
        to: [Alice Able <alice@a.example>]
        subject: Quarterly numbers (printed)
        text: >-
          The numbers are attached. Revenue for the quarter came in under plan because the
          licences slipped; costs held steady. Please read the notes on the second
          sheet before Monday's call and send me any questions by Friday noon.
known_items:
  - slug: alice-phone
    party: alice
    item: r1#3
    description: Phone records for January 2017.
    basis: presumed
    citation: Presumed from the calls described in testimony.
  - slug: alice-numbers
    party: alice
    item: r1#1
    description: Quarterly numbers email from Bob.
    basis: other-production
    document: BOB-0003
    role: to
privilege_logs:
  - party: alice
    entries:
      - entry_no: "1"
        date: 2017-01-09
        author: Dave Doe
        recipients: Alice Able
        description: Legal advice
        privilege: attorney-client
"""


def load_case(engine: Engine, tmp_path: Path, text: str = CASE, name: str = "case.yaml") -> None:
    path = tmp_path / name
    path.write_text(text, encoding="utf-8")
    load_case_files(engine, [path])
