"""A small case for the search, terms, threads and coverage tests, as YAML text.

Alice is asked to produce; her own production is silent in February 2017, while Bob and
Carol produced emails she was on that month. The pipeline thread runs t1 (Alice) → t2
(Carol's reply, which only Carol produced) → t3 (Bob's reply); Alice produced none of it.
Bob's "RE: RE: Travel" carries no Message-ID, only an Outlook Thread-Index at reply depth 2:
two earlier messages existed, and nobody produced them. Carol's "RE: Budget" and "FW: Permits"
carry no IDs but quote what they answer: Alice's "Budget" (which she produced) and an
Alice email about permits that nobody produced.
Words the search tests look for: "route" only in document text, "RÉSUMÉ" / "résumé",
"Pages" (which a search for "page" must not find) and a subject that looks like markup.
"""

from __future__ import annotations

from pathlib import Path

from sqlalchemy.engine import Engine

from gaptrack.service.cases import load_case_files

CASE = """
committees:
  - {slug: hsgo, name: House Committee on Oversight, chamber: house, thomas_id: HSGO}
parties:
  - {slug: alice, name: Alice Able, aliases: [Alice Able], addresses: [alice@a.example]}
  - {slug: bob, name: Bob Baker, aliases: [Bob Baker], addresses: [bob@b.example]}
  - {slug: carol, name: Carol Cole, aliases: [Carol Cole], addresses: [carol@c.example]}
requests:
  - slug: r1
    committee: hsgo
    title: Requests to Alice Able
    date_sent: 2017-04-01
    deadline: 2017-05-01
    to: [alice]
    signatories:
      - {name: Pat Chair, role: Chairman}
    items:
      - number: 1
        text: Documents concerning any résumé.
        date_from: 2016-12-01
        date_to: 2017-04-30
        criteria: {keywords: [résumé]}
      - number: 2
        text: Documents mentioning the page.
        date_from: 2016-12-01
        date_to: 2017-04-30
        criteria: {keywords: [page]}
      - number: 3
        text: Communications with Bob Baker or Carol Cole.
        date_from: 2017-01-01
        date_to: 2017-03-31
        criteria: {correspondents: [bob, carol]}
productions:
  - slug: alice-vol1
    party: alice
    volume: ALICE001
    date_received: 2017-04-20
    bates_prefix: ALICE-
    documents:
      - {bates: ALICE-0001, type: email, custodian: Alice Able, date_sent: 2017-01-10 09:00:00,
         from: Alice Able <alice@a.example>, to: [Bob Baker <bob@b.example>],
         subject: January plan, message_id: <j1@a.example>, text: Route details follow.}
      - {bates: ALICE-0002, type: email, custodian: Alice Able, date_sent: 2017-01-20 09:00:00,
         from: Alice Able <alice@a.example>, to: [Carol Cole <carol@c.example>],
         subject: Budget, message_id: <j2@a.example>, text: Numbers attached.}
      - {bates: ALICE-0003, type: email, custodian: Alice Able, date_sent: 2017-03-05 09:00:00,
         from: Alice Able <alice@a.example>, to: [Bob Baker <bob@b.example>],
         subject: March plan, message_id: <m1@a.example>, text: Pages of notes.}
      - {bates: ALICE-0004, type: memo, custodian: Alice Able, date_created: 2017-03-10 09:00:00,
         subject: "[draft] memo", text: "Her RÉSUMÉ is [bold]attached[/bold]."}
  - slug: bob-vol1
    party: bob
    volume: BOB001
    date_received: 2017-04-10
    bates_prefix: BOB-
    documents:
      - {bates: BOB-0001, type: email, custodian: Bob Baker, date_sent: 2017-02-03 10:00:00,
         from: Alice Able <alice@a.example>, to: [Bob Baker <bob@b.example>],
         subject: Pipeline, message_id: <t1@a.example>,
         text: The pipeline route was approved by the board.}
      - {bates: BOB-0003, type: attachment, custodian: Bob Baker, parent: BOB-0001,
         title: Survey, text: Survey map of the corridor.}
      - {bates: BOB-0004, type: email, custodian: Bob Baker, date_sent: 2017-03-20 10:00:00,
         from: Carol Cole <carol@c.example>,
         to: [Alice Able <alice@a.example>, Bob Baker <bob@b.example>],
         subject: "RE: RE: Travel", text: Tickets booked.,
         thread_index: AQAAAAAAAAECAwQFBgcICQoLDA0ODwAAAAEQAAAAAhA=}
      - {bates: BOB-0002, type: email, custodian: Bob Baker, date_sent: 2017-02-10 10:00:00,
         from: Bob Baker <bob@b.example>, to: [Alice Able <alice@a.example>],
         cc: [Carol Cole <carol@c.example>], subject: "Re: Pipeline",
         message_id: <t3@b.example>, in_reply_to: <t2@c.example>,
         references: [<t1@a.example>, <t2@c.example>], text: Agreed.}
  - slug: carol-vol1
    party: carol
    volume: CAROL001
    date_received: 2017-04-12
    bates_prefix: CAROL-
    documents:
      - {bates: CAROL-0001, type: email, custodian: Carol Cole, date_sent: 2017-02-05 10:00:00,
         from: Carol Cole <carol@c.example>,
         to: [Alice Able <alice@a.example>, Bob Baker <bob@b.example>],
         subject: "Re: Pipeline", message_id: <t2@c.example>, in_reply_to: <t1@a.example>,
         references: [<t1@a.example>], text: Send me your résumé first.}
      - {bates: CAROL-0002, type: email, custodian: Carol Cole, date_sent: 2017-02-20 10:00:00,
         from: Alice Able <alice@a.example>, to: [Carol Cole <carol@c.example>],
         subject: Lunch, message_id: <l1@a.example>, text: See you Friday.}
      - bates: CAROL-0003
        type: email
        custodian: Carol Cole
        date_sent: 2017-01-21 10:00:00
        from: Carol Cole <carol@c.example>
        to: [Alice Able <alice@a.example>]
        subject: "RE: Budget"
        text: |-
          Approved.

          -----Original Message-----
          From: Alice Able <alice@a.example>
          Sent: Fri, 20 Jan 2017 09:02:00 +0000
          To: Carol Cole <carol@c.example>
          Subject: Budget

          Numbers attached.
      - bates: CAROL-0004
        type: email
        custodian: Carol Cole
        date_sent: 2017-03-25 10:00:00
        from: Carol Cole <carol@c.example>
        to: [Bob Baker <bob@b.example>]
        subject: "FW: Permits"
        text: |-
          See below.

          -----Original Message-----
          From: Alice Able <alice@a.example>
          Sent: Fri, 24 Mar 2017 09:00:00 +0000
          To: Carol Cole <carol@c.example>
          Subject: Permits

          The permits are late.
"""


def load_analysis_case(engine: Engine, tmp_path: Path, text: str = CASE) -> None:
    path = tmp_path / "analysis.yaml"
    path.write_text(text, encoding="utf-8")
    load_case_files(engine, [path])
