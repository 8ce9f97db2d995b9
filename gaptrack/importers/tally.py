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
from collections.abc import Callable, Sequence
from operator import itemgetter, not_
from typing import Any

Row = tuple[Any, ...]

EXAMPLES = 20  # examples the QC report lists (qc.EXAMPLES)
_ADDRESSEES = ("recipients", "cc", "bcc")


def _blank(values: list[Any]) -> int:
    """How many of ``values`` are absent ("" or None: both are stored as NULL)."""
    return values.count("") + values.count(None)


def _absent(rows: Sequence[Row]) -> list[Any]:
    """The values of a column the rows leave out: all absent."""
    return [""] * len(rows)


class DocumentTally:
    """What ``SELECT count(*), sum(page_count), min(bates_begin), max(bates_end)`` and the
    first row's prefix, and the email-metadata query of :func:`qc.email_report`, would
    answer for the rows given to :meth:`add`: prepared document rows, ``(id, *values,
    parent prefix, parent number)``, their values those of ``columns`` (the draft columns the
    load fills, prepared.RowPlan)."""

    def __init__(self, columns: Sequence[str]) -> None:
        position = {name: 1 + i for i, name in enumerate(columns)}

        def column(name: str) -> Callable[[Sequence[Row]], list[Any]]:
            # A column the load leaves out is absent in every row.
            if name not in position:
                return _absent
            get = itemgetter(position[name])
            return lambda rows: list(map(get, rows))

        self._prefix = itemgetter(position["bates_prefix"])
        self._begin, self._end = column("bates_begin"), column("bates_end")
        self._pages, self._types = column("page_count"), column("doc_type")
        self._senders, self._dates = column("sender"), column("date_sent")
        self._subjects, self._ids = column("subject"), column("message_id")
        self._nobody = _nobody([position[name] for name in _ADDRESSEES if name in position])
        self._key = itemgetter(position["bates_prefix"], position["bates_begin"],
                               position["begin_label"])
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
            self.first_prefix = self._prefix(documents[0])
        self.documents += len(documents)
        low, high = min(self._begin(documents)), max(self._end(documents))
        self.bates_first = low if self.bates_first is None else min(self.bates_first, low)
        self.bates_last = high if self.bates_last is None else max(self.bates_last, high)
        pages = self._pages(documents)
        blank = _blank(pages)  # a count of 0 is a count (SQL's sum)
        if blank < len(pages):
            counted = sum(pages) if not blank else sum(p for p in pages if p not in ("", None))
            self.pages = counted + (self.pages or 0)
        types = self._types(documents)
        emails = types.count("email")
        if emails == len(documents):
            self._add_emails(documents)
        elif emails:
            self._add_emails([row for row, kind in zip(documents, types, strict=True)
                              if kind == "email"])

    def _add_emails(self, rows: Sequence[Row]) -> None:
        self.emails += len(rows)
        senders, dates = self._senders(rows), self._dates(rows)
        subjects, ids = self._subjects(rows), self._ids(rows)
        nobody = self._nobody(rows)
        missing = (_blank(senders), sum(nobody), _blank(dates), _blank(subjects), _blank(ids))
        self.missing_sender += missing[0]
        self.missing_recipients += missing[1]
        self.missing_date += missing[2]
        self.missing_subject += missing[3]
        self.missing_message_id += missing[4]
        if any(missing):
            lacking = [
                self._key(row)
                for row, sender, date, subject, message_id, none in zip(
                    rows, senders, dates, subjects, ids, nobody, strict=True
                )
                if none or not (sender and date and subject and message_id)
            ]
            self.examples = heapq.nsmallest(EXAMPLES, self.examples + lacking)


def _nobody(positions: Sequence[int]) -> Callable[[Sequence[Row]], list[bool]]:
    """Per row, whether it names no addressee: none of the values at ``positions`` is set."""
    if not positions:
        return lambda rows: [True] * len(rows)
    get = itemgetter(*positions)
    if len(positions) == 1:  # itemgetter of one position gives the value, not a tuple
        return lambda rows: list(map(not_, map(get, rows)))
    return lambda rows: list(map(not_, map(any, map(get, rows))))
