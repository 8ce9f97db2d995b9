"""Who a header names: people as ``(display name, lower-case address)`` and the folded name
that identifies them (pure functions, cached: the same correspondents recur in a production).

How an address field is read
----------------------------

* Load files separate people with ``;``; mail headers with ``,``. Each ``;`` piece is split
  at the commas that stand outside quotes, angle brackets, square brackets and parentheses.
* **"Last, First [M]"**: a comma between two name-like segments is part of one name, not a
  list separator, when no ``@`` or ``<`` follows in the second segment. "Name-like": the
  first segment is one word (or one word after particles such as *van*, *de*, *O'*), the
  second one to three words of letters or initials, or a suffix (*Esq.*, *Jr.*). So
  ``Hicks, Hope`` and ``Doe, Jane Q`` are one person each, ``Jane Doe, John Smith`` is two,
  and ``Doe, Jane <jdoe@example.com>`` outside a From field is two (quote the name:
  ``"Doe, Jane" <jdoe@example.com>``). A **From** field names one person, so there every
  segment before the address belongs to its name. Outlook's quoted form
  ``Hicks, Hope [mailto:hhicks@example.com]`` is read as ``"Hicks, Hope" <hhicks@...>``.
* **Exchange X.500 / legacy DNs** (``/O=EXCHANGELABS/OU=EXCHANGE ADMINISTRATIVE GROUP
  (FYDIBOHF23SPDLT)/CN=RECIPIENTS/CN=JDOE``, bare or inside angle brackets): the person is
  the display name if one is given, else the last ``CN`` (without the 32-hex-digit prefix
  Exchange Online puts before it). No address is stored: a DN is not an email address.
* **Lotus Notes** names (``Jane Q Doe/HOU/ECT@ECT``, ``CN=Jane Q Doe/OU=HOU/O=ECT@ECT``): the
  person is the common name before the first ``/``; the Notes domain after ``@`` is not an
  internet address and is dropped.
* Anything else goes through the standard RFC 5322 parser; a "mailbox" without ``@`` is a
  bare name.

How a name is folded (:func:`normalise_name`)
--------------------------------------------

Diacritics removed (``José`` → ``jose``), case folded, quotes and parenthesised remarks
dropped, periods and white space collapsed, courtesy titles (``Mr.``, ``Mrs.``, ``Ms.``,
``Dr.``, ``Hon.``…) and ``Esq.`` dropped, and "Last, First M" turned round to
"first m last". ``Doe, Jane Q.``, ``Jane Q. Doe`` and ``Ms. Jane Q Doe, Esq.`` all fold to
``jane q doe``.
"""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Iterable
from email.utils import getaddresses
from functools import lru_cache

from gaptrack.limits import ADDRESS_WIDTH, NAME_WIDTH

Person = tuple[str, str]  # (display name, lower-case address or "")

_SPACE = re.compile(r"\s+")
_PARENS = re.compile(r"\([^()]*\)|\[[^\[\]]*\]")
_QUOTES = str.maketrans("", "", "\"'’`")
_PERIODS = re.compile(r"\.(?=\S)|\.")
_TITLES = frozenset(
    ["mr", "mrs", "ms", "miss", "mx", "dr", "prof", "hon", "honorable", "honourable", "sir", "dame"]
)
_SUFFIXES = frozenset(["esq", "esquire"])
# Kept with the name: they tell a father from a son.
_GENERATIONS = frozenset(["jr", "sr", "ii", "iii", "iv"])
_PARTICLES = frozenset(
    "van von der den de del della di da du le la los las st mac mc bin al el ter".split()  # noqa: SIM905
)
_WORD = re.compile(r"^[^\W\d_](?:[^\W\d_]|[.'’-])*\.?$")
_X500 = re.compile(r"/o=[^<>;]*?/cn=([^/<>;]+?)\s*$", re.IGNORECASE)
_GUID_PREFIX = re.compile(r"^[0-9a-f]{32}-", re.IGNORECASE)
_NOTES = re.compile(
    r"^(?:cn=)?(?P<name>[^/@<>=,;:\"]+?)\s*(?:/(?:(?:ou|o|c)=)?[^/@<>=]+)+(?:@[\w.-]+)?$",
    re.IGNORECASE,
)
_MAILTO = re.compile(r"\s*\[mailto:([^\]\s]+)\]", re.IGNORECASE)
_GROUP = re.compile(r'^[^<>@"/:]+:\s*')  # RFC 5322 group syntax: "undisclosed-recipients:"
# Mailing-list archives (Mailman's pipermail) hide addresses as "jane at example.org (Jane
# Doe)": the address is read back only when the whole field has that shape.
_ARCHIVE_AT = re.compile(r"^\s*([\w.+-]+) at ([\w-]+(?:\.[\w-]+)+)\s*(?:\(([^()]*)\))?\s*$")
_ON_BEHALF = re.compile(r"\s+on\s+behalf\s+of\s+", re.IGNORECASE)
_ANGLE = re.compile(r"^(?P<display>.*?)<(?P<inner>[^<>]*)>\s*$", re.DOTALL)


def _fold(text: str) -> str:
    """Diacritics removed and case folded."""
    decomposed = unicodedata.normalize("NFKD", text)
    return "".join(c for c in decomposed if not unicodedata.combining(c)).casefold()


def _tokens(part: str) -> list[str]:
    return [t for t in _SPACE.split(_PERIODS.sub(" ", part)) if t and t not in {"-", ","}]


def _strip_titles(tokens: list[str]) -> list[str]:
    kept = list(tokens)
    while len(kept) > 1 and kept[0] in _TITLES:
        kept.pop(0)
    if len(kept) > 1 and kept[0] == "the" and kept[1] in _TITLES:
        kept = kept[2:] or kept
    while len(kept) > 1 and kept[-1] in _SUFFIXES:
        kept.pop()
    return kept


@lru_cache(maxsize=65536)
def normalise_name(name: str | None) -> str:
    """The folded form of a display name or alias: the key names are matched on."""
    if not name:
        return ""
    text = _PARENS.sub(" ", _fold(name).translate(_QUOTES))
    parts = [p for p in (_tokens(piece) for piece in text.split(",")) if p]
    parts = [p for p in parts if not all(t in _SUFFIXES or t in _TITLES for t in p)] or parts
    if len(parts) >= 2:
        # "Last, First M[, Jr.]": the given names first, then the surname, then the rest.
        rest = [t for p in parts[2:] for t in p]
        tokens = parts[1] + parts[0] + rest
    elif parts:
        tokens = parts[0]
    else:
        return ""
    # Cut to the column (folding may lengthen a name): both sides of a match are cut alike.
    return " ".join(_strip_titles(tokens))[:NAME_WIDTH]


def _is_word_list(segment: str, most: int) -> list[str] | None:
    words = segment.split()
    if not 1 <= len(words) <= most or not all(_WORD.match(w) for w in words):
        return None
    return words


def _surname_like(segment: str) -> bool:
    words = _is_word_list(segment, 4)
    return bool(words) and all(w.casefold() in _PARTICLES for w in (words or [])[:-1])


def _given_like(segment: str) -> bool:
    return _is_word_list(segment, 3) is not None


def split_segments(piece: str) -> list[str]:
    """``piece`` split at the commas outside quotes and brackets, segments stripped."""
    segments: list[str] = []
    depth = 0
    quoted = False
    start = 0
    for i, char in enumerate(piece):
        if char == '"':
            quoted = not quoted
        elif quoted:
            continue
        elif char in "<([":
            depth += 1
        elif char in ">)]" and depth:
            depth -= 1
        elif char == "," and depth == 0:
            segments.append(piece[start:i].strip())
            start = i + 1
    segments.append(piece[start:].strip())
    return [s for s in segments if s]


def _bare(segment: str) -> bool:
    return "@" not in segment and "<" not in segment


def _merge_names(segments: list[str]) -> list[str]:
    """Segments with "Last, First [M]" pairs (and "Name, Esq.") joined back into one."""
    merged: list[str] = []
    i = 0
    while i < len(segments):
        current = segments[i]
        if i + 1 < len(segments) and _bare(current) and _bare(segments[i + 1]):
            following = segments[i + 1]
            suffix = normalise_name(following) == "" or following.rstrip(".").casefold() in (
                _SUFFIXES | _GENERATIONS
            )
            if suffix or (_surname_like(current) and _given_like(following)):
                merged.append(f"{current}, {following}")
                i += 2
                continue
        merged.append(current)
        i += 1
    return merged


def _person(segment: str) -> Person | None:
    """One person from one segment (no top-level commas left, except in a merged name)."""
    text = segment.strip()
    if not text:
        return None
    display, inner = "", text
    angle = _ANGLE.match(text)
    if angle:
        display = angle.group("display").strip().strip('"').strip()
        inner = angle.group("inner").strip()
    # Python's ``email`` (policy.default) re-renders these forms: a DN comes back quoted,
    # a Notes name as a quoted local part ("Jane Doe/HOU/ECT"@ECT).
    if inner.startswith('"') and "/" in inner:
        inner = inner.replace('"', "")
    x500 = _X500.search(inner)
    if x500 and inner.lstrip().startswith("/"):
        common = _GUID_PREFIX.sub("", x500.group(1).strip())
        return (display or common, "")
    if "/" in inner:
        notes = _NOTES.match(inner)
        if notes:
            return (display or notes.group("name").strip(), "")
    if _bare(text) and "," in text:  # a merged "Last, First": a name, not a list
        return (text.strip('"').strip(), "")
    if not angle and "@" not in text:
        return (text.strip('"').strip(), "")
    found = getaddresses([text])
    if not found:
        return None
    name, address = found[0]
    name, address = name.strip(), address.strip().lower()
    if display and not name:
        name = display
    if "@" not in address:
        name, address = (name or address).strip(), ""
    return (name, address) if name or address else None


@lru_cache(maxsize=65536)
def parse_piece(piece: str, single: bool = False) -> tuple[Person, ...]:
    """The people in one ``;``-separated piece of a header. ``single``: a From field, which
    names one person (every comma before its address belongs to the name)."""
    behalf = _ON_BEHALF.split(piece, maxsplit=1)
    if len(behalf) == 2 and behalf[0].strip() and behalf[1].strip():
        # Outlook's "Jane Aide on behalf of Jared Kushner" (printed and quoted headers): the
        # principal first (the From of the email), then whoever sent it for them.
        agent, principal = behalf
        return parse_piece(principal, True) + parse_piece(agent, True)
    archived = _ARCHIVE_AT.match(piece)
    if archived:  # a list archive's "jane at example.org (Jane Doe)"
        local, domain, name = archived.groups()
        piece = f'"{name.strip()}" <{local}@{domain}>' if name else f"{local}@{domain}"
    text = _MAILTO.sub(lambda m: f" <{m.group(1)}>", piece).strip()
    single = single or text != piece.strip()  # Outlook writes [mailto:] for one sender only
    text = text.replace("(<", "<").replace(">)", ">")  # Gmail's Spanish "Name (<addr>)"
    text = _GROUP.sub("", text).strip()
    if not text:
        return ()
    segments = split_segments(text)
    if single and len(segments) > 1 and sum(not _bare(s) for s in segments) <= 1:
        if _bare(segments[-1]):
            segments = [", ".join(segments)]
        else:
            last = _ANGLE.match(segments[-1])
            if last and all(_bare(s) for s in segments[:-1]):
                name = ", ".join([*segments[:-1], last.group("display").strip()]).strip(", ")
                segments = [f'"{name}" <{last.group("inner").strip()}>']
    people = (_person(s) for s in _merge_names(segments))
    return tuple(filter(None, (_fit(p) for p in people if p is not None)))


def _fit(person: Person) -> Person | None:
    """A person as both databases store one: a display name cut to its column (the document
    keeps the header as written), an address longer than any real one dropped."""
    name, address = person
    if len(address) > ADDRESS_WIDTH:
        address = ""
    if len(name) > NAME_WIDTH:
        name = name[:NAME_WIDTH].rstrip()
    return (name, address) if name or address else None


def parse_people(value: str | Iterable[str] | None, *, single: bool = False) -> list[Person]:
    """``[(display name, lower-case address)]`` from a header or a list of header values."""
    if value is None:
        return []
    raw = [value] if isinstance(value, str) else list(value)
    people: list[Person] = []
    for item in raw:
        for piece in item.split(";"):
            if piece.strip():
                people.extend(parse_piece(piece, single))
    return people


def participant_key(name: str, address: str) -> str:
    """What identifies a person in matching keys: the address, else the folded name."""
    return address or normalise_name(name)
