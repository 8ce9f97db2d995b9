"""The keys that match one email across productions (DESIGN.md §4).

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
from email.utils import getaddresses
from functools import lru_cache

FINGERPRINT_TOLERANCE_SECONDS = 300
_sha256 = hashlib.sha256
try:
    # CPython's own MD5 takes about half the time of OpenSSL's for a Message-ID (OpenSSL 3
    # looks the algorithm up again for every new hash); the digest is the same.
    from _md5 import md5 as _md5
except ImportError:  # an interpreter built without it
    _md5 = hashlib.md5

_PREFIX = re.compile(r"^\s*(?:(?:re|fw|fwd|aw|wg|tr)\s*(?:\[\d+\])?\s*:\s*)+", re.IGNORECASE)
_SPACE = re.compile(r"\s+")
_QUOTE_MARKERS = re.compile(
    r"^\s*(?:-{2,}\s*(?:original message|forwarded message|forwarded by)"
    r"|begin forwarded message:|.*\bforwarded by\b.*-{2,}|on .+ wrote:$)",
    re.IGNORECASE | re.MULTILINE,
)


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


@lru_cache(maxsize=65536)
def normalise_name(name: str | None) -> str:
    return _SPACE.sub(" ", (name or "").replace('"', "").replace("'", "")).strip().casefold()


def parse_addresses(value: str | Iterable[str] | None) -> list[tuple[str, str]]:
    """``[(display name, lower-case address)]`` from a header or a list of them.

    Production load files separate values with ``;``; headers use ``,``.
    """
    if value is None:
        return []
    raw = [value] if isinstance(value, str) else list(value)
    pieces: list[str] = []
    for item in raw:
        pieces.extend(p for p in item.split(";") if p.strip())
    named = [p.strip() for p in pieces if "@" not in p and "<" not in p and "," not in p]
    result: list[tuple[str, str]] = [(name, "") for name in named]
    for piece in pieces:
        if piece.strip() not in named:
            result.extend(_parse_piece(piece))
    return result


@lru_cache(maxsize=65536)
def _parse_piece(piece: str) -> tuple[tuple[str, str], ...]:
    # Cached: the same correspondents recur across a production, and the stdlib parser is
    # by far the slowest step of importing a load file (~80 % of derive()).
    result: list[tuple[str, str]] = []
    for name, address in getaddresses([piece]):
        name = name.strip()
        address = address.strip().lower()
        if "@" not in address:
            # A bare name ("Jared Kushner") parses as an address with no @: keep it as a name.
            name, address = (name or address).strip(), ""
        if name or address:
            result.append((name, address))
    return tuple(result)


def participant_key(name: str, address: str) -> str:
    return address or normalise_name(name)


def fingerprint(
    sender: str | Iterable[str] | None,
    recipients: str | Iterable[str] | None,
    subject: str | None,
) -> str | None:
    """SHA-256 over sender | sorted recipients (to+cc+bcc) | normalised subject.

    None when there is no sender: such a key would match unrelated documents.
    """
    senders = [participant_key(n, a) for n, a in parse_addresses(sender)]
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


def strip_quoted(text: str) -> str:
    """The text above the first quoted original / forwarded message block."""
    folded = text.casefold()
    # Every marker holds one of these words: most texts have none, and the search (IGNORECASE,
    # tried at every position) costs more than the check.
    marked = "forward" in folded or "original message" in folded or "wrote:" in folded
    match = _QUOTE_MARKERS.search(text) if marked else None
    body = text[: match.start()] if match else text
    if ">" not in body:
        return body
    return "\n".join(line for line in body.splitlines() if not line.lstrip().startswith(">"))


def body_hash(text: str | None) -> str | None:
    """SHA-256 of the author's own text, white space and case folded; None when empty."""
    if not text:
        return None
    # str.split() and re's \s agree on what white space is; split is several times faster.
    folded = " ".join(strip_quoted(text).split()).casefold()
    if not folded:
        return None
    return _sha256(folded.encode("utf-8")).hexdigest()
