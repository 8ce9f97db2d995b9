"""Mail damaged the ways real mailboxes are: header lines that are not fields (a fold that
lost its indentation, a mangled field name), no blank line before the body, dates in obsolete
or exporters' forms, and folders holding files that are not mail or repeat another file.
Each message is read whole, and what was repaired or left out is named in the QC report."""

from __future__ import annotations

import datetime as dt
from pathlib import Path

import pytest
import sqlalchemy as sa
from sqlalchemy.engine import Engine

from gaptrack.importers.dates import written_datetime
from gaptrack.importers.mailhead import opens_with_headers
from gaptrack.service.intake import import_mail
from tests.importers.builders import create_party

# A Received-SPF continuation whose next line lost its field name's first characters, as in
# a message a gateway mangled; From, To, Date and Message-ID come after it.
MANGLED_NAME = b"""Received: from relay.example ([192.0.2.1])
  by mx.example with SMTP id 2532598; Wed, 23 Feb 2005 17:51:49 -0500
Received-SPF: softfail
 receiver=mx.example; client-ip=192.0.2.1
quite Delivered-To: jared@kushner.example
Date: Wed, 23 Feb 2005 18:20:17 -0400
From: "Campaign Official" <official@campaign.example>
Message-ID: <mangled-1@campaign.example>
To: jared@kushner.example
Subject: Mangled header above
Content-Type: text/plain; charset=us-ascii

The body of a message whose header block holds a mangled line.
"""

# A References header folded without indentation, in a multipart message: the email package
# alone ends the headers there.
BROKEN_FOLD = b"""From: <official@campaign.example>
Subject: Broken fold
To: <jared@kushner.example>
Message-ID: <fold-1@campaign.example>
MIME-Version: 1.0
Content-Type: multipart/alternative; boundary="XYZ"
References: <foo@bar.example>, <invalid.
something@bar.example>

--XYZ
Content-Type: text/plain; charset=utf-8

plain text part
--XYZ
Content-Type: text/html; charset=utf-8

<p>html part</p>
--XYZ--
"""

NO_SEPARATOR = b"""From: official@campaign.example
To: jared@kushner.example
Subject: No blank line
counter to RFC 5322, there is no blank line before this body line
and this one.
"""


def rows(engine: Engine, sql: str) -> list[tuple[object, ...]]:
    with engine.connect() as connection:
        return [tuple(r) for r in connection.execute(sa.text(sql)).all()]


def test_mangled_header_line_keeps_the_fields_after_it(engine: Engine, tmp_path: Path) -> None:
    create_party(engine)
    (tmp_path / "mangled.eml").write_bytes(MANGLED_NAME)
    report = import_mail(engine, tmp_path / "mangled.eml", party="kushner", production="M")
    [(sender, to, subject, message_id, sent, text)] = rows(
        engine, "SELECT sender, recipients, subject, message_id, date_sent, text FROM document")
    assert sender == '"Campaign Official" <official@campaign.example>'
    assert to == "jared@kushner.example" and subject == "Mangled header above"
    assert message_id == "<mangled-1@campaign.example>"
    assert str(sent).startswith("2005-02-23 22:20:17")
    assert "mangled line" in str(text)
    [problem] = report.header_problems
    assert (problem.line, problem.field) == (5, "Received-SPF")
    assert "not a header field" in problem.reason


def test_fold_without_indentation_keeps_the_parts(engine: Engine, tmp_path: Path) -> None:
    create_party(engine)
    (tmp_path / "fold.eml").write_bytes(BROKEN_FOLD)
    report = import_mail(engine, tmp_path / "fold.eml", party="kushner", production="F")
    [(text,)] = rows(engine, "SELECT text FROM document")
    assert str(text).strip() == "plain text part"  # the multipart body was read as such
    refs = {str(r[0]) for r in rows(engine, "SELECT message_id FROM document_reference")}
    assert refs == {"<foo@bar.example>"}  # the valid one; "<invalid. …>" is not a Message-ID
    [problem] = report.header_problems
    assert (problem.line, problem.field) == (8, "References")


def test_missing_blank_line_starts_the_body(engine: Engine, tmp_path: Path) -> None:
    create_party(engine)
    (tmp_path / "nosep.txt").write_bytes(NO_SEPARATOR)
    report = import_mail(engine, tmp_path, party="kushner", production="N")
    [(subject, text)] = rows(engine, "SELECT subject, text FROM document")
    assert subject == "No blank line"
    assert str(text).startswith("counter to RFC 5322") and "and this one." in str(text)
    [problem] = report.header_problems
    assert problem.line == 4 and "no blank line" in problem.reason


def test_folder_names_files_not_read(engine: Engine, tmp_path: Path) -> None:
    """A file that is not mail, a MIME part without mail headers, and a second copy of a
    message are each named: the copy as skipped, the others as not mail."""
    create_party(engine)
    box = tmp_path / "box"
    box.mkdir()
    (box / "a.eml").write_bytes(MANGLED_NAME)
    (box / "copy-of-a.eml").write_bytes(MANGLED_NAME)
    (box / "digest.txt").write_bytes(b"Send list submissions to\n\tlist@example.org\n")
    (box / "part.txt").write_bytes(b"Content-Type: text/plain\n\nBlah\n")
    report = import_mail(engine, box, party="kushner", production="Box")
    assert report.documents == 1
    assert [Path(p).name for p in report.skipped_files] == ["copy-of-a.eml"]
    [finding] = [f for f in report.findings if "were not read" in f]
    assert finding.startswith("2 files in the folder are not mail")
    assert "digest.txt" in finding and "part.txt" in finding and "copy-of-a" not in finding


@pytest.mark.parametrize(("head", "mail"), [
    (NO_SEPARATOR, True),
    (MANGLED_NAME, True),
    (b"Content-Type: multipart/mixed; boundary=ABCDE\n\n--ABCDE\n", False),
    (b"Note: the minutes of the meeting\nwere circulated on Tuesday.\n", False),
    (b"Dear Sir,\nFrom: the committee\n", False),
])
def test_what_opens_with_mail_headers(head: bytes, mail: bool) -> None:
    assert opens_with_headers(head) is mail


@pytest.mark.parametrize(("written", "expected"), [
    ("Mon, 14 May 2001 16:39:00 -0700 (PDT)", dt.datetime(2001, 5, 14, 23, 39)),
    ("Fri, 21 Nov 1997 09(comment):   55  :  06 -0600", dt.datetime(1997, 11, 21, 15, 55, 6)),
    # Outlook's quoted and printed headers: the afternoon stays in the afternoon.
    ("Monday, May 14, 2001 4:39 PM", dt.datetime(2001, 5, 14, 16, 39)),
    ("Thursday, November 16, 2017 12:05 AM", dt.datetime(2017, 11, 16, 0, 5)),
    ("Thursday, November 16, 2017 12:05 PM", dt.datetime(2017, 11, 16, 12, 5)),
    ("Mon, 14 May 2001 4:39:05 p.m. -0500", dt.datetime(2001, 5, 14, 21, 39, 5)),
    # Exporters' forms.
    ("2001-05-14 16:39:00", dt.datetime(2001, 5, 14, 16, 39)),
    ("5/14/2001 4:39 PM", dt.datetime(2001, 5, 14, 16, 39)),
    ("2001-05-14T16:39:00Z", dt.datetime(2001, 5, 14, 16, 39)),
    ("not a date", None),
    ("2001-02-30 10:00", None),
])
def test_written_dates(written: str, expected: dt.datetime | None) -> None:
    assert written_datetime(written) == expected


def test_source_paths_below_the_folder(engine: Engine, tmp_path: Path) -> None:
    """Maildir-style trees name files 1., 2. in every folder: each document's source path is
    its path below the folder imported, so two files named alike stay apart."""
    create_party(engine)
    for folder, subject in (("allen-p/inbox", "Inbox one"), ("allen-p/sent", "Sent one")):
        (tmp_path / folder).mkdir(parents=True)
        (tmp_path / folder / "1.").write_bytes(
            NO_SEPARATOR.replace(b"Subject: No blank line", f"Subject: {subject}".encode()))
    import_mail(engine, tmp_path, party="kushner", production="Tree")
    paths = dict(rows(engine, "SELECT subject, native_path FROM document"))
    assert paths == {"Inbox one": "allen-p/inbox/1.#1", "Sent one": "allen-p/sent/1.#1"}


def test_unescaped_from_line_in_a_body_does_not_split(engine: Engine, tmp_path: Path) -> None:
    """mboxo writers leave body lines starting "From " as they are: only a "From " line with
    a date and a header field after it starts a message."""
    create_party(engine)
    first = (b"From jane@x.example Thu Sep 15 10:00:00 2016\nFrom: jane@x.example\n"
             b"Subject: Itinerary\nMessage-ID: <itin@x.example>\n\nThe plan:\n\n"
             b"From Moscow we fly on Tuesday.\nFrom 2016 on, the office moves.\nBack soon.\n\n")
    second = (b"From john@y.example Fri Sep 16 11:00:00 2016\nReturn-Path: <john@y.example>\n"
              b"From: john@y.example\nSubject: Second\nMessage-ID: <second@y.example>\n\nHi.\n")
    (tmp_path / "box.mbox").write_bytes(first + second)
    report = import_mail(engine, tmp_path / "box.mbox", party="kushner", production="Box")
    assert report.records == 2
    texts = dict(rows(engine, "SELECT subject, text FROM document"))
    assert set(texts) == {"Itinerary", "Second"}
    assert "From Moscow we fly" in str(texts["Itinerary"]) and "Back soon." in str(
        texts["Itinerary"])


def test_outlook_saved_text_message(engine: Engine, tmp_path: Path) -> None:
    """Outlook's "Save as" text: tab after each colon, CRLF, the sent time as Sent: (12-hour
    clock) and no Date:, people as "Last, First" separated by semicolons."""
    create_party(engine)
    (tmp_path / "meeting.txt").write_bytes(
        b"From:\tHicks, Hope\r\nSent:\tMonday, May 14, 2001 4:39 PM\r\n"
        b"To:\tKushner, Jared; Smith, John\r\nSubject:\tRE: Meeting\r\n"
        b"Importance:\tHigh\r\n\r\nSee you there.\r\n")
    import_mail(engine, tmp_path, party="kushner", production="Saved")
    [(sender, sent, subject)] = rows(engine, "SELECT sender, date_sent, subject FROM document")
    assert (sender, subject) == ("Hicks, Hope", "RE: Meeting")
    assert str(sent).startswith("2001-05-14 16:39")
    people = {(str(r[0]), str(r[1])) for r in rows(
        engine, "SELECT role, name FROM document_participant")}
    assert {("sender", "Hicks, Hope"), ("to", "Kushner, Jared"), ("to", "Smith, John")} <= people


PIPERMAIL = b"""From guido at python.org  Fri Sep 16 14:31:00 2016
From: guido at python.org (Guido van Rossum)
Date: Fri, 16 Sep 2016 14:31:00 -0700
Subject: [Python-Dev] Release schedule
Message-ID: <CAP7+vJ1@mail.gmail.com>

See the PEP.

From barry at python.org  Fri Sep 16 15:02:00 2016
From: barry at python.org (Barry Warsaw)
Date: Fri, 16 Sep 2016 15:02:00 -0700
Subject: [Python-Dev] Release schedule
In-Reply-To: <CAP7+vJ1@mail.gmail.com>
Message-ID: <20160916150200.1@presto>

Agreed.
"""


def test_gzipped_list_archive_with_hidden_addresses(engine: Engine, tmp_path: Path) -> None:
    """A mailing-list archive as served (gzip, Mailman's "jane at example.org (Name)")."""
    import gzip

    create_party(engine)
    (tmp_path / "2016-September.txt.gz").write_bytes(gzip.compress(PIPERMAIL))
    report = import_mail(engine, tmp_path, party="kushner", production="Archive")
    assert report.records == 2
    senders = {(str(r[0]), str(r[1])) for r in rows(
        engine, "SELECT name, address FROM document_participant WHERE role = 'sender'")}
    assert senders == {("Guido van Rossum", "guido@python.org"),
                       ("Barry Warsaw", "barry@python.org")}


def test_damaged_gzip_is_a_clean_error(engine: Engine, tmp_path: Path) -> None:
    import gzip

    from gaptrack.errors import LoadFileError

    create_party(engine)
    path = tmp_path / "archive.txt.gz"
    path.write_bytes(gzip.compress(PIPERMAIL)[:-40])  # cut short
    with pytest.raises(LoadFileError) as caught:
        import_mail(engine, path, party="kushner", production="Archive")
    assert caught.value.file == str(path) and "gzip file is damaged" in str(caught.value)
    assert rows(engine, "SELECT count(*) FROM document") == [(0,)]


ENRON_STYLE = b"""Message-ID: <18782981.1075855378110.JavaMail.evans@thyme>
Date: Mon, 14 May 2001 16:39:00 -0700 (PDT)
From: phillip.allen@enron.com
To: tim.belden@enron.com
Subject: Forecast
Mime-Version: 1.0
Content-Type: text/plain; charset=us-ascii
Content-Transfer-Encoding: 7bit
X-From: Phillip K Allen
X-To: Tim Belden <Tim Belden/Enron@EnronXGate>
X-Folder: \\Phillip_Allen_Jan2002_1\\Allen, Phillip K.\\'Sent Mail
X-FileName: pallen (Non-Privileged).pst

Here is our forecast.
"""


def test_sender_named_by_x_from_is_found_by_name(engine: Engine, tmp_path: Path) -> None:
    """A corpus converted from Exchange/Notes keeps the sender's name in X-From and only the
    address in From: the party known by name (no address on file) is linked."""
    party = create_party(engine, slug="allen", name="Phillip Allen", addresses=(),
                         aliases=("Phillip K Allen",))
    (tmp_path / "maildir" / "allen-p" / "sent").mkdir(parents=True)
    (tmp_path / "maildir" / "allen-p" / "sent" / "1.").write_bytes(ENRON_STYLE)
    import_mail(engine, tmp_path / "maildir", party="allen", production="Allen")
    assert rows(engine, "SELECT sender, date_sent FROM document") == [
        ('"Phillip K Allen" <phillip.allen@enron.com>', rows(
            engine, "SELECT date_sent FROM document")[0][0])]
    [(name, address, linked)] = rows(
        engine, "SELECT name, address, party_id FROM document_participant WHERE role = 'sender'")
    assert (name, address, linked) == ("Phillip K Allen", "phillip.allen@enron.com", party)


def test_apple_mail_emlx(engine: Engine, tmp_path: Path) -> None:
    """Apple Mail's .emlx: a byte-count line, the message, then a property list."""
    create_party(engine)
    message = NO_SEPARATOR.replace(b"Subject: No blank line\n", b"Subject: From a Mac\n\n")
    plist = b'<?xml version="1.0"?>\n<plist version="1.0"><dict><key>flags</key>' \
            b"<integer>8590195713</integer></dict></plist>\n"
    (tmp_path / "12345.emlx").write_bytes(str(len(message)).encode() + b"\n" + message + plist)
    report = import_mail(engine, tmp_path, party="kushner", production="Mac")
    [(subject, text)] = rows(engine, "SELECT subject, text FROM document")
    assert subject == "From a Mac" and "plist" not in str(text)
    assert report.header_problems == []


def test_leading_byte_order_mark_and_blank_lines(engine: Engine, tmp_path: Path) -> None:
    """Some exporters write a byte order mark or blank lines before the first line: an MBOX
    and an EML file are still recognised and read, with MBOX lines counted from the file."""
    create_party(engine)
    (tmp_path / "box.mbox").write_bytes(b"\xef\xbb\xbf\r\n\r\n" + PIPERMAIL)
    (tmp_path / "one.eml").write_bytes(b"\n\n" + NO_SEPARATOR)
    report = import_mail(engine, tmp_path, party="kushner", production="Lead")
    assert report.records == 3 and report.bad_count == 0
    subjects = sorted(str(r[0]) for r in rows(engine, "SELECT subject FROM document"))
    assert subjects == ["No blank line", "[Python-Dev] Release schedule",
                        "[Python-Dev] Release schedule"]
    from gaptrack.importers.mailfiles import mbox_messages

    assert [line for _, _, line in mbox_messages(tmp_path / "box.mbox")] == [3, 11]
