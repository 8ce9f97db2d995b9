"""Snippets: a short window of a document's text around the words a query found, with the
spans of those words, so each face marks them its own way (the TUI as styled ``Text``, the
CLI in Markdown or with brackets) and never as markup.

Computed in Python from the stored text on both backends, so a snippet is the same whichever
database holds the case; words are found the way the index finds them (folded, whole).
"""

from __future__ import annotations

import re
from collections.abc import Sequence

from pydantic import BaseModel

from gaptrack.search.query import Query, Term
from gaptrack.search.schema import fold

_WORD = re.compile(r"[^\W_]+")
SCAN_LIMIT = 200_000  # characters of one text looked through for a snippet
WINDOW_WORDS = 24


class Snippet(BaseModel):
    field: str  # subject, text or participants
    text: str
    highlights: list[tuple[int, int]]  # [start, end) offsets into ``text``

    def marked(self, before: str = "«", after: str = "»") -> str:
        """The snippet with each hit wrapped in ``before`` / ``after``."""
        out: list[str] = []
        at = 0
        for start, end in self.highlights:
            out += [self.text[at:start], before, self.text[start:end], after]
            at = end
        out.append(self.text[at:])
        return "".join(out)


def _hits(tokens: list[tuple[str, int, int]], terms: Sequence[Term]) -> list[tuple[int, int]]:
    """Token index ranges [i, j) where one of ``terms`` occurs."""
    found: list[tuple[int, int]] = []
    for term in terms:
        n = len(term.words)
        for i in range(len(tokens) - n + 1):
            ok = all(tokens[i + k][0] == term.words[k] for k in range(n - 1))
            last = tokens[i + n - 1][0]
            ok = ok and (last.startswith(term.words[-1]) if term.prefix else last == term.words[-1])
            if ok:
                found.append((i, i + n))
    return sorted(set(found))


def snippet_of(value: str, field: str, query: Query) -> Snippet | None:
    """The best window of ``value`` for ``query``: the one holding the most hits."""
    scanned = value[:SCAN_LIMIT]
    tokens = [(fold(m.group()), m.start(), m.end()) for m in _WORD.finditer(scanned)]
    hits = _hits(tokens, query.terms)
    if not hits:
        return None
    best_start, best_count = hits[0][0], 0
    for first, _ in hits:
        count = sum(1 for h, _ in hits if first <= h < first + WINDOW_WORDS)
        if count > best_count:
            best_start, best_count = first, count
    lo = max(0, best_start - 4)
    hi = min(len(tokens), lo + WINDOW_WORDS)
    start = 0 if lo == 0 else tokens[lo][1]
    end = len(scanned) if hi == len(tokens) and len(value) <= SCAN_LIMIT else tokens[hi - 1][2]
    prefix = "" if start == 0 else "…"
    suffix = "" if end >= len(value) else "…"
    body = " ".join(scanned[start:end].split())
    text = prefix + body + suffix
    # Offsets again, on the text as shown (whitespace collapsed).
    shown = [(fold(m.group()), m.start() + len(prefix), m.end() + len(prefix))
             for m in _WORD.finditer(body)]
    spans = [(shown[i][1], shown[j - 1][2]) for i, j in _hits(shown, query.terms)]
    return Snippet(field=field, text=text, highlights=_merge(spans))


def _merge(spans: list[tuple[int, int]]) -> list[tuple[int, int]]:
    merged: list[tuple[int, int]] = []
    for start, end in sorted(spans):
        if merged and start <= merged[-1][1]:
            merged[-1] = (merged[-1][0], max(end, merged[-1][1]))
        else:
            merged.append((start, end))
    return merged


def best_snippet(fields: Sequence[tuple[str, str | None]], query: Query) -> Snippet | None:
    """The snippet of the first field (in the order given) where the query finds words."""
    for name, value in fields:
        if value:
            found = snippet_of(value, name, query)
            if found is not None:
                return found
    return None
