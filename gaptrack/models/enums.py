"""Closed vocabularies, stored as plain strings so SQLite and PostgreSQL agree."""

from __future__ import annotations

from enum import StrEnum


class Chamber(StrEnum):
    SENATE = "senate"
    HOUSE = "house"
    JOINT = "joint"


class PartyKind(StrEnum):
    PERSON = "person"
    ORGANISATION = "organisation"
    AGENCY = "agency"


class RequestKind(StrEnum):
    INITIAL = "initial"
    FOLLOW_UP = "follow-up"
    DEFICIENCY = "deficiency"
    SUBPOENA = "subpoena"


class CriterionKind(StrEnum):
    CORRESPONDENT = "correspondent"  # a party the document is from/to/cc/bcc
    KEYWORD = "keyword"  # a word or phrase in the subject or text
    DOC_TYPE = "doc_type"  # email, text, call record, ...


class DocType(StrEnum):
    EMAIL = "email"
    ATTACHMENT = "attachment"
    TEXT_MESSAGE = "text"
    CALL_RECORD = "call record"
    PHONE_BILL = "phone bill"
    MEMO = "memo"
    CALENDAR = "calendar"
    LETTER = "letter"
    OTHER = "other"


class ParticipantRole(StrEnum):
    SENDER = "sender"
    TO = "to"
    CC = "cc"
    BCC = "bcc"
    FORWARDED = "forwarded"  # sent the document on to someone else
    QUOTED = "quoted"  # appears only in a quoted forwarded / original-message header


class Responsiveness(StrEnum):
    TAGGED = "tagged"  # the producing party or staff said so
    CRITERIA = "criteria"  # derived from the item's criteria


class KnownBasis(StrEnum):
    OTHER_PRODUCTION = "other-production"
    TESTIMONY = "testimony"
    PRESS_REPORT = "press-report"
    PRESUMED = "presumed"


class KnownStatus(StrEnum):
    OUTSTANDING = "outstanding"
    PRODUCED = "produced"
    WITHHELD = "withheld"
    DISPUTED = "disputed"
    WITHDRAWN = "withdrawn"


class FindingDecisionKind(StrEnum):
    PROMOTED = "promoted"
    DISMISSED = "dismissed"


class ResponseKind(StrEnum):
    """What a reply to a letter says about its items (a plain answer has none)."""

    REFUSAL = "refusal"
    OBJECTION = "objection"


class CertificationKind(StrEnum):
    COMPLETE = "complete"  # the party certifies its production for the item is complete
    NO_RESPONSIVE_DOCUMENTS = "no-responsive-documents"


class SourceKind(StrEnum):
    CASEFILE = "casefile"
    DAT = "dat"
    OPT = "opt"
    MAIL = "mail"
    PRIVLOG = "privlog"
    PDF = "pdf"
    PST = "pst"
    MSG = "msg"
