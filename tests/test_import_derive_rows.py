"""The bulk importers' ``derive_rows`` gives exactly what ``derive`` gives (shared keys).

The DAT importer takes a cached per-header path for speed; the gap engine and the case-file
loader rely on the keys and participants being the same whichever path made them.
"""

from __future__ import annotations

from hypothesis import given, settings
from hypothesis import strategies as st

from gaptrack.derive import derive, derive_rows

ADDRESSES = [
    "Ann Smith <Ann.Smith@Example.com>", "bo@x.org", '"Lee, Cy" <cy@lee.net>', "Jared Kushner",
    "jared@kushner.example", "Zoë Adviser <zoe@campaign.example>", "'Di Khan' <DI@khan.io>",
    "Ed (work) <ed@w.com>", "Flo <flo@f.com>, Gus <gus@g.com>", "  Hal  Park  <hal@p.com> ",
    "Ida", "undisclosed-recipients:;", "<kai@k.com>", "X <>", "a@b", "ann.smith@example.com",
    "=?utf-8?q?Ren=C3=A9?= <rene@r.fr>", "", " ",
]
SUBJECTS = ["", "Hello", "RE: Hello", "FW: fwd: Re: Dinner  plans", "Fwd: agenda", "Aw: x"]
TEXTS = [
    None, "", "Plain body.",
    "Hi\n\n-----Original Message-----\nFrom: Bob <bob@b.com>\nSent: Monday\n"
    "To: Ann Smith <ann.smith@example.com>; cy@lee.net\nSubject: x\n\nold",
    "fyi\n---------- Forwarded message ---------\nFrom: Zed <zed@z.com>\nTo: bo@x.org\n\nbody",
    "On Mon, Jan 1, 2020, Jo Ng <jo@ng.com> wrote:\n> hi",
]
HEADER = st.lists(st.sampled_from(ADDRESSES), max_size=4).map("; ".join)


@settings(max_examples=300, deadline=None)
@given(
    sender=HEADER, to=HEADER, cc=HEADER, bcc=HEADER,
    subject=st.sampled_from(SUBJECTS),
    message_id=st.sampled_from(["", "<m@x>", "m@x", " <m@x> "]),
    references=st.lists(st.sampled_from(["<a@x>", "a@x", "", " ", "<b@x>"]), max_size=4),
    text=st.sampled_from(TEXTS),
)
def test_derive_rows_matches_derive(
    sender: str, to: str, cc: str, bcc: str, subject: str, message_id: str,
    references: list[str], text: str | None,
) -> None:
    full = derive(
        sender=sender or None, to=to or None, cc=cc or None, bcc=bcc or None,
        subject=subject or None, message_id=message_id or None, references=references,
        text=text,
    )
    rows = derive_rows(
        sender=sender, to=to, cc=cc, bcc=bcc, subject=subject, message_id=message_id,
        references=references, text=text,
    )
    assert rows.subject_norm == full.subject_norm
    # The bulk path's absent key is "" (it binds no None, importers.writer).
    assert rows.mih == (full.mih or "")
    assert rows.fingerprint == (full.fingerprint or "")
    assert rows.body_hash == (full.body_hash or "")
    assert rows.references == full.references
    assert rows.participants == [
        (str(p.role), p.address, p.name, p.name_norm)
        for p in full.participants
    ]
