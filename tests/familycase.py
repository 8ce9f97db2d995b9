"""A small case for the family, privilege-waiver and progress tests, as YAML text.

Paula produced the "Lease terms" email with two attachments; Quinn produced the same email
(same Message-ID) with three: the lease (same MD5 as Paula's), the map (no hash: same file name
and pages as Paula's) and a budget workbook Paula's copy lacks — one incomplete-family gap.
Paula's "Permits" email has no attachments, and Quinn's copy (same fingerprint, no Message-ID)
has one: a second gap. Paula's "Draft lease" attachment differs from Quinn's by MD5 (another
version): a third.

Paula's privilege log: entry P-7 is the "Settlement terms" email Quinn produced (date a day
apart in UTC, names only on the log, "RE:" on the log's subject) — contradicted; P-8 has the
same people and subject four days off; P-9 lists a recipient the email does not have; P-10
matches Quinn's QUINN-0020, which Quinn itself logged (slip sheet): no contradiction.

Progress: Paula's volumes arrived 2017-03-10 (6 documents) and 2017-04-20 (2 documents); the
known item "paula-wire" rests on Quinn's QUINN-0030 and Paula's second volume holds her copy.
"""

from __future__ import annotations

import datetime as dt
from pathlib import Path

from sqlalchemy.engine import Engine

from gaptrack.service.cases import load_case_files

AS_OF = dt.date(2017, 6, 1)

CASE = """
committees:
  - {slug: hsgo, name: House Committee on Oversight, chamber: house, thomas_id: HSGO}
parties:
  - {slug: paula, name: Paula Park, aliases: [Paula Park], addresses: [paula@p.example]}
  - {slug: quinn, name: Quinn Quade, aliases: [Quinn Quade], addresses: [quinn@q.example]}
requests:
  - slug: r1
    committee: hsgo
    title: Requests to Paula Park
    date_sent: 2017-02-01
    deadline: 2017-03-15
    to: [paula]
    signatories:
      - {name: Pat Chair, role: Chairman}
    items:
      - {number: 1, text: Documents concerning the lease.}
  - slug: r2
    committee: hsgo
    title: Second request to Paula Park
    date_sent: 2017-04-01
    deadline: 2017-05-01
    to: [paula]
    signatories:
      - {name: Pat Chair, role: Chairman}
    items:
      - {number: 1, text: Wire transfer records.}
productions:
  - slug: paula-vol1
    party: paula
    volume: PAULA001
    date_received: 2017-03-10
    bates_prefix: PAULA-
    documents:
      - {bates: PAULA-0001, type: email, custodian: Paula Park, date_sent: 2017-01-10 09:00:00,
         from: Paula Park <paula@p.example>, to: [Quinn Quade <quinn@q.example>],
         subject: Lease terms, message_id: <lease@p.example>, text: Terms attached.}
      - {bates: PAULA-0002, type: attachment, parent: PAULA-0001, title: Lease.pdf,
         md5: AAAA0000AAAA0000AAAA0000AAAA0000, pages: 3}
      - {bates: PAULA-0005, type: attachment, parent: PAULA-0001, title: Map.pdf, pages: 2}
      - {bates: PAULA-0007, type: email, custodian: Paula Park, date_sent: 2017-01-12 09:00:00,
         from: Paula Park <paula@p.example>, to: [Quinn Quade <quinn@q.example>],
         subject: Permits, text: See the permit.}
      - {bates: PAULA-0008, type: email, custodian: Paula Park, date_sent: 2017-01-14 09:00:00,
         from: Paula Park <paula@p.example>, to: [Quinn Quade <quinn@q.example>],
         subject: Draft lease, message_id: <draft@p.example>, text: Draft attached.}
      - {bates: PAULA-0009, type: attachment, parent: PAULA-0008, title: Draft.docx,
         md5: BBBB0000BBBB0000BBBB0000BBBB0000}
  - slug: paula-vol2
    party: paula
    volume: PAULA002
    date_received: 2017-04-20
    bates_prefix: PAULA-
    documents:
      - {bates: PAULA-0100, type: email, custodian: Paula Park, date_sent: 2017-01-20 09:00:00,
         from: Quinn Quade <quinn@q.example>, to: [Paula Park <paula@p.example>],
         subject: Wire, message_id: <wire@q.example>, text: Wire sent.}
      - {bates: PAULA-0101, type: memo, custodian: Paula Park, date_created: 2017-01-21 09:00:00,
         title: Wire memo}
  - slug: quinn-vol1
    party: quinn
    volume: QUINN001
    date_received: 2017-02-15
    bates_prefix: QUINN-
    documents:
      - {bates: QUINN-0001, type: email, custodian: Quinn Quade, date_sent: 2017-01-10 09:00:00,
         from: Paula Park <paula@p.example>, to: [Quinn Quade <quinn@q.example>],
         subject: Lease terms, message_id: <lease@p.example>, text: Terms attached.}
      - {bates: QUINN-0002, type: attachment, parent: QUINN-0001, title: lease.PDF,
         md5: aaaa0000aaaa0000aaaa0000aaaa0000, pages: 3}
      - {bates: QUINN-0005, type: attachment, parent: QUINN-0001, title: "MAP.pdf", pages: 2}
      - {bates: QUINN-0007, type: attachment, parent: QUINN-0001, title: Budget.xlsx,
         md5: CCCC0000CCCC0000CCCC0000CCCC0000}
      - {bates: QUINN-0010, type: email, custodian: Quinn Quade, date_sent: 2017-01-12 09:01:00,
         from: Paula Park <paula@p.example>, to: [Quinn Quade <quinn@q.example>],
         subject: "RE: Permits", text: See the permit.}
      - {bates: QUINN-0011, type: attachment, parent: QUINN-0010, title: Permit.pdf}
      - {bates: QUINN-0012, type: email, custodian: Quinn Quade, date_sent: 2017-01-14 09:00:00,
         from: Paula Park <paula@p.example>, to: [Quinn Quade <quinn@q.example>],
         subject: Draft lease, message_id: <draft@p.example>, text: Draft attached.}
      - {bates: QUINN-0013, type: attachment, parent: QUINN-0012, title: Draft.docx,
         md5: DDDD0000DDDD0000DDDD0000DDDD0000}
      - {bates: QUINN-0015, type: email, custodian: Quinn Quade, date_sent: 2017-02-02 03:30:00,
         from: Paula Park <paula@p.example>,
         to: [Quinn Quade <quinn@q.example>], cc: [Carl Counsel <carl@law.example>],
         subject: Settlement terms, text: Our position on settlement.}
      - {bates: QUINN-0020, type: email, custodian: Quinn Quade, date_sent: 2017-02-03 10:00:00,
         from: Paula Park <paula@p.example>, to: [Quinn Quade <quinn@q.example>],
         subject: Counsel advice, text: Withheld.}
      - {bates: QUINN-0030, type: email, custodian: Quinn Quade, date_sent: 2017-01-20 09:00:00,
         from: Quinn Quade <quinn@q.example>, to: [Paula Park <paula@p.example>],
         subject: Wire, message_id: <wire@q.example>, text: Wire sent.}
known_items:
  - {slug: paula-wire, party: paula, item: "r2#1", basis: other-production,
     document: QUINN-0030, role: to, description: Quinn's wire email}
privilege_logs:
  - party: paula
    entries:
      - {entry_no: P-7, date: 2017-02-01, author: Paula Park,
         recipients: Quinn Quade; Carl Counsel, description: "RE: Settlement terms",
         privilege: attorney-client}
      - {entry_no: P-8, date: 2017-02-06, author: Paula Park,
         recipients: Quinn Quade; Carl Counsel, description: Settlement terms,
         privilege: attorney-client}
      - {entry_no: P-9, date: 2017-02-01, author: Paula Park,
         recipients: Quinn Quade; Dora Lawyer, description: Settlement terms,
         privilege: attorney-client}
      - {entry_no: P-10, date: 2017-02-03, author: Paula Park, recipients: Quinn Quade,
         description: Counsel advice, privilege: attorney-client}
  - party: quinn
    entries:
      - {entry_no: Q-1, date: 2017-02-03, author: Paula Park, recipients: Quinn Quade,
         description: Counsel advice, privilege: attorney-client, bates: QUINN-0020}
"""


def load_family_case(engine: Engine, tmp_path: Path, text: str = CASE) -> None:
    path = tmp_path / "family.yaml"
    path.write_text(text, encoding="utf-8")
    load_case_files(engine, [path])
