"""The DAT mapper's keys and participants give exactly what the straightforward code gives.

The bulk path (``derive_row_values``, the per-piece header caches, the inlined MIH) was
written for speed; the keys it makes are compared across productions with keys made by
``derive`` (mail, case files), so each is checked here against a plain reference on many
inputs, including awkward ones the synthetic benchmark never makes.
"""

from __future__ import annotations

import hashlib

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from gaptrack import derive as derive_module
from gaptrack.derive import derive, derive_rows
from gaptrack.matching import (
    edrm_mih,
    normalise_message_id,
    normalise_name,
    parse_addresses,
    participant_key,
)

# Pieces of headers: names, addresses, the separators and quoting that change how they parse.
PIECES = st.one_of(
    st.sampled_from([
        "Ann Smith <Ann.Smith@Example.com>", "bo@x.org", '"Lee, Cy" <cy@lee.net>', "Jared",
        "  Hal  Park  <hal@p.com> ", "Ida", "undisclosed-recipients:", "<kai@k.com>", "X <>",
        "a@b", "ann.smith@example.com", "'Di Khan' <DI@khan.io>", "Flo <f@f.com>, Gus <g@g.com>",
        '"', "'", " ", "", "Zoë <zoe@z.example>", "Ann Smith", "ANN SMITH", "Ann  Smith",
    ]),
    st.text(alphabet=st.sampled_from(list("ab AB@<>,;\"'.\t-é")), max_size=12),
)
HEADERS = st.lists(PIECES, max_size=5).map(";".join) | st.lists(PIECES, max_size=4).map("; ".join)


def _reference_rows(value: str, role: str) -> tuple[tuple, tuple]:
    """What derive() adds for one header in one role, and the header's participant keys."""
    pairs = parse_addresses(value, single=role in ("sender", "forwarded"))
    keys = tuple(participant_key(n, a) for n, a in pairs)
    seen: set[str] = set()
    rows = []
    for (name, address), key in zip(pairs, keys, strict=True):
        if key in seen:
            continue
        seen.add(key)
        rows.append((role, address, name, normalise_name(name)))  # "" when absent
    return tuple(rows), keys


@settings(max_examples=1500, deadline=None)
@given(value=HEADERS, role=st.sampled_from(["sender", "to", "cc", "bcc", "forwarded"]))
def test_header_rows_match_parse_addresses(value: str, role: str) -> None:
    assert derive_module._header_rows(value, role) == _reference_rows(value, role)
    # A second time from the cache.
    assert derive_module._header_rows(value, role) == _reference_rows(value, role)


def test_piece_cache_stays_bounded_and_right(monkeypatch: pytest.MonkeyPatch) -> None:
    """Emptied when full, the cache of header pieces still answers the same."""
    monkeypatch.setattr(derive_module, "_PIECE_LIMIT", 4)
    values = [f"P{i} <p{i}@x.org>; Q{i % 3} <q{i % 3}@x.org>; Ann" for i in range(40)]
    for _ in range(2):
        for value in values:
            derive_module._header_rows.cache_clear()  # put together from the pieces
            assert derive_module._header_rows(value, "to") == _reference_rows(value, "to")
            assert len(derive_module._PIECES["to"]) <= 4
    derive_module._header_rows.cache_clear()


@settings(max_examples=600, deadline=None)
@given(
    sender=HEADERS, to=HEADERS, cc=HEADERS, bcc=HEADERS,
    subject=st.sampled_from(["", "Hello", "RE: Hello", "FW: x", "fwd:  Re: y", " Fw : z"]),
    message_id=st.text(alphabet=st.sampled_from(list("<>@ a.\t")), max_size=8),
)
def test_derive_rows_matches_derive_on_any_header(
    sender: str, to: str, cc: str, bcc: str, subject: str, message_id: str
) -> None:
    full = derive(
        sender=sender or None, to=to or None, cc=cc or None, bcc=bcc or None,
        subject=subject or None, message_id=message_id or None, references=[], text=None,
    )
    rows = derive_rows(
        sender=sender, to=to, cc=cc, bcc=bcc, subject=subject, message_id=message_id,
        references=[], text=None,
    )
    # The bulk path's absent key is "" (it binds no None, importers.writer).
    assert (rows.subject_norm, rows.mih, rows.fingerprint, rows.body_hash) == (
        full.subject_norm, full.mih or "", full.fingerprint or "", full.body_hash or ""
    )
    assert rows.participants == [
        (str(p.role), p.address, p.name, p.name_norm)
        for p in full.participants
    ]


@settings(max_examples=500, deadline=None)
@given(st.one_of(st.none(), st.text(max_size=20), st.text(alphabet="<>@ a\n", max_size=6)))
def test_edrm_mih_matches_its_definition(message_id: str | None) -> None:
    expected = None
    if message_id and message_id.strip():
        expected = hashlib.md5(normalise_message_id(message_id).encode("utf-8")).hexdigest()
    assert edrm_mih(message_id) == expected
