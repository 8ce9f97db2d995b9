"""A production's summary and its email-metadata check, counted as the rows are written.

A large import would otherwise scan the whole production twice more before it commits —
once for the production's counts and Bates range (``service.intake``), once for the QC
report's emails missing key metadata (``qc.email_report``): about 0.6 s at a million
documents. On SQLite every document row passes through ``BulkWriter._write_rest`` once,
in the order written, so the same figures can be had from the rows on the way in. The
counting is column-wise, in C-level passes (``map`` with ``itemgetter``, ``list.count``),
so it costs the writer a small fraction of that.
"""

from __future__ import annotations

import heapq
from collections.abc import Sequence
from operator import itemgetter, not_
from typing import Any

from gaptrack.importers.mapping import ROW_INDEX

Row = tuple[Any, ...]

EXAMPLES = 20  # examples the QC report lists (qc.EXAMPLES)


def _column(name: str) -> Any:
    # A prepared document row is (id, *draft values, parent prefix, parent number).
    return itemgetter(1 + ROW_INDEX[name])


_PREFIX, _BEGIN, _END = _column("bates_prefix"), _column("bates_begin"), _column("bates_end")
_PAGES, _TYPE = _column("page_count"), _column("doc_type")
_SENDER, _DATE, _SUBJECT, _MESSAGE_ID = (
    _column("sender"), _column("date_sent"), _column("subject"), _column("message_id")
)
_ADDRESSEES = itemgetter(*(1 + ROW_INDEX[c] for c in ("recipients", "cc", "bcc")))
_KEY = itemgetter(1 + ROW_INDEX["bates_prefix"], 1 + ROW_INDEX["bates_begin"],
                  1 + ROW_INDEX["begin_label"])


def _blank(values: list[Any]) -> int:
    """How many of ``values`` are absent ("" or None: both are stored as NULL)."""
    return values.count("") + values.count(None)


class DocumentTally:
    """What ``SELECT count(*), sum(page_count), min(bates_begin), max(bates_end)`` and the
    first row's prefix, and the email-metadata query of :func:`qc.email_report`, would
    answer for the rows given to :meth:`add`."""

    def __init__(self) -> None:
        self.documents = 0
        self.pages: int | None = None  # None while no row has a page count (SQL's sum)
        self.bates_first: int | None = None
        self.bates_last: int | None = None
        self.first_prefix: str | None = None
        self.emails = 0
        self.missing_sender = 0
        self.missing_recipients = 0
        self.missing_date = 0
        self.missing_subject = 0
        self.missing_message_id = 0
        # (prefix, number, label) of the first emails in Bates order that miss something
        self.examples: list[tuple[str, int, str]] = []

    def add(self, documents: Sequence[Row]) -> None:
        if not documents:
            return
        if self.first_prefix is None:
            self.first_prefix = _PREFIX(documents[0])
        self.documents += len(documents)
        low, high = min(map(_BEGIN, documents)), max(map(_END, documents))
        self.bates_first = low if self.bates_first is None else min(self.bates_first, low)
        self.bates_last = high if self.bates_last is None else max(self.bates_last, high)
        pages = list(map(_PAGES, documents))
        blank = _blank(pages)  # a count of 0 is a count (SQL's sum)
        if blank < len(pages):
            counted = sum(pages) if not blank else sum(p for p in pages if p not in ("", None))
            self.pages = counted + (self.pages or 0)
        types = list(map(_TYPE, documents))
        emails = types.count("email")
        if emails == len(documents):
            self._add_emails(documents)
        elif emails:
            self._add_emails([row for row in documents if _TYPE(row) == "email"])

    def _add_emails(self, rows: Sequence[Row]) -> None:
        self.emails += len(rows)
        senders, dates = list(map(_SENDER, rows)), list(map(_DATE, rows))
        subjects, ids = list(map(_SUBJECT, rows)), list(map(_MESSAGE_ID, rows))
        nobody = list(map(not_, map(any, map(_ADDRESSEES, rows))))
        missing = (_blank(senders), sum(nobody), _blank(dates), _blank(subjects), _blank(ids))
        self.missing_sender += missing[0]
        self.missing_recipients += missing[1]
        self.missing_date += missing[2]
        self.missing_subject += missing[3]
        self.missing_message_id += missing[4]
        if any(missing):
            lacking = [
                _KEY(row)
                for row, sender, date, subject, message_id, none in zip(
                    rows, senders, dates, subjects, ids, nobody, strict=True
                )
                if none or not (sender and date and subject and message_id)
            ]
            self.examples = heapq.nsmallest(EXAMPLES, self.examples + lacking)
