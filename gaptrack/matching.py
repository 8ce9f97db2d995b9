"""The keys that match one email across productions (docs/architecture.md §4).

* EDRM MIH: MD5 of the Message-ID value *including* the angle brackets, compared lower-case.
* Fallback fingerprint: normalised sender + sorted recipients + normalised subject; the sent
  time is compared separately, inside a tolerance, because copies are stamped differently.
* Body hash: SHA-256 of the text with quoted blocks, signatures' white space and case folded.

Pure functions only: importers, the case-file loader and the gap engine share them.
"""

from __future__ import annotations

import hashlib
import re
from collections.abc import Iterable
from functools import lru_cache

from gaptrack.identity.names import normalise_name as normalise_name  # re-exported
from gaptrack.identity.names import parse_people, participant_key
from gaptrack.quotes import BLOCK_START, might_quote, unwrap

FINGERPRINT_TOLERANCE_SECONDS = 300
_sha256 = hashlib.sha256
try:
    # CPython's own MD5 takes about half the time of OpenSSL's for a Message-ID (OpenSSL 3
    # looks the algorithm up again for every new hash); the digest is the same.
    from _md5 import md5 as _md5
except ImportError:  # an interpreter built without it
    _md5 = hashlib.md5

_PREFIX = re.compile(r"^\s*(?:(?:re|fw|fwd|aw|wg|tr|rv)\s*(?:\[\d+\])?\s*:\s*)+", re.IGNORECASE)
_SPACE = re.compile(r"\s+")


def normalise_message_id(message_id: str) -> str:
    """The Message-ID with surrounding white space removed and angle brackets ensured."""
    value = message_id.strip()
    if not value:
        return value
    if not value.startswith("<"):
        value = "<" + value
    if not value.endswith(">"):
        value = value + ">"
    return value


def edrm_mih(message_id: str | None) -> str | None:
    """EDRM Message Identification Hash (lower-case hex), or None for no Message-ID."""
    # normalise_message_id inlined: this runs once per document of a large import.
    if not message_id:
        return None
    value = message_id.strip()
    if not value:
        return None
    if value[0] != "<":
        value = "<" + value
    if value[-1] != ">":
        value += ">"
    return _md5(value.encode("utf-8")).hexdigest()


@lru_cache(maxsize=16384)  # subjects recur (threads, RE:/FW: chains); a load asks twice each
def normalise_subject(subject: str | None) -> str:
    """Strip RE:/FW:/Fwd: (repeated, any case), fold white space and case."""
    if not subject:
        return ""
    return _SPACE.sub(" ", _PREFIX.sub("", subject)).strip().casefold()


def parse_addresses(
    value: str | Iterable[str] | None, *, single: bool = False
) -> list[tuple[str, str]]:
    """``[(display name, lower-case address)]`` from a header or a list of them: the identity
    resolver's reading (:mod:`gaptrack.identity.names`). ``single``: a From field."""
    return parse_people(value, single=single)


def fingerprint(
    sender: str | Iterable[str] | None,
    recipients: str | Iterable[str] | None,
    subject: str | None,
) -> str | None:
    """SHA-256 over sender | sorted recipients (to+cc+bcc) | normalised subject.

    None when there is no sender: such a key would match unrelated documents.
    """
    senders = [participant_key(n, a) for n, a in parse_addresses(sender, single=True)]
    if not senders:
        return None
    people = {participant_key(n, a) for n, a in parse_addresses(recipients)}
    return fingerprint_from_keys(senders[0], people, subject)


def fingerprint_from_keys(
    sender_key: str, recipient_keys: Iterable[str], subject: str | None
) -> str:
    """:func:`fingerprint` from already parsed participant keys (saves parsing twice)."""
    people = ",".join(sorted(set(recipient_keys)))
    key = f"{sender_key}\x1f{people}\x1f{normalise_subject(subject)}"
    return _sha256(key.encode("utf-8")).hexdigest()


# Where a signature starts: the RFC 3676 delimiter, and the stock lines of phones and mailers.
_SIGNATURE = re.compile(
    r"^(?:-- ?$|_{2,}\s*$|sent from my \w+|sent from (?:outlook|mail) for \w+|get outlook for \w+)",
    re.IGNORECASE | re.MULTILINE,
)
# A body hash alone identifies an email only when the author wrote this much (after quoted
# blocks, ">" lines and the signature are stripped, white space folded): "FYI", "Thanks!"
# and Outlook's test message are shared by countless different emails. Shorter bodies get
# no body hash; their copies are matched by MIH or by fingerprint.
MIN_BODY_CHARS = 200


def _may_sign(body: str) -> bool:
    """Whether ``body`` may hold a :data:`_SIGNATURE` line: a few substring tests, several
    times cheaper than the search (case-insensitive, tried at every line)."""
    if "--" in body or "__" in body:
        return True
    lowered = body.lower()
    return "sent from" in lowered or "get outlook" in lowered


def strip_quoted(text: str) -> str:
    """The author's own text: above the first quoted original / forwarded message block and
    the signature, without ``>`` lines."""
    text = unwrap(text)
    # Most texts quote nothing: a substring check is far cheaper than the search (IGNORECASE,
    # tried at every position).
    match = BLOCK_START.search(text) if might_quote(text) else None
    body = text[: match.start()] if match else text
    signature = _SIGNATURE.search(body) if _may_sign(body) else None
    if signature:
        body = body[: signature.start()]
    if ">" not in body:
        return body
    return "\n".join(line for line in body.splitlines() if not line.lstrip().startswith(">"))


def body_hash(text: str | None, sender_key: str = "") -> str | None:
    """SHA-256 of the sender's key and the author's own text (white space and case folded).

    None when the text is shorter than :data:`MIN_BODY_CHARS`. The sender is part of the
    hash, so a body-hash match is corroborated by the sender (both copies name the same
    sender, or neither names one).
    """
    if not text or len(text) < MIN_BODY_CHARS:
        return None
    # str.split() and re's \s agree on what white space is; split is several times faster.
    folded = " ".join(strip_quoted(text).split()).casefold()
    if len(folded) < MIN_BODY_CHARS:
        return None
    return _sha256(f"{sender_key}\x1f{folded}".encode()).hexdigest()
