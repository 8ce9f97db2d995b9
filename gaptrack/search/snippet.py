"""Snippets: a short window of a document's text around the words a query found, with the
spans of those words, so each face marks them its own way (the TUI as styled ``Text``, the
CLI in Markdown or with brackets) and never as markup.

Computed in Python from the stored text on both backends, so a snippet is the same whichever
database holds the case; words are found the way the index finds them (folded, whole).
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from functools import lru_cache

from pydantic import BaseModel

from gaptrack.search.query import Query, Term
from gaptrack.search.schema import fold

_WORD = re.compile(r"[^\W_]+")
SCAN_LIMIT = 200_000  # characters of one text looked through for a snippet


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


_EDGE_BEFORE = r"(?<![^\W_])"
_EDGE_AFTER = r"(?![^\W_])"
WINDOW_CHARS = 160


@lru_cache(maxsize=256)
def _pattern(terms: tuple[Term, ...]) -> re.Pattern[str]:
    """One regex for the query's terms over folded text: whole words, a phrase's words
    separated by anything that is not a word character, a prefix open at its end."""
    parts = []
    for term in terms:
        body = r"[\W_]+".join(re.escape(w) for w in term.words)
        parts.append(_EDGE_BEFORE + body + ("" if term.prefix else _EDGE_AFTER))
    return re.compile("|".join(parts))


def _spans(text: str, pattern: re.Pattern[str]) -> list[tuple[int, int]]:
    folded = fold(text)
    if len(folded) != len(text):  # a rare letter whose lower case is longer: fold by word
        folded = _WORD.sub(lambda m: fold(m.group())[: len(m.group())].ljust(len(m.group())),
                           text)
    return [(m.start(), m.end()) for m in pattern.finditer(folded)]


def snippet_of(value: str, field: str, query: Query) -> Snippet | None:
    """The best window of ``value`` for ``query``: the one holding the most hits."""
    scanned = value[:SCAN_LIMIT]
    pattern = _pattern(tuple(query.terms))
    hits = _spans(scanned, pattern)
    if not hits:
        return None
    best, best_count = hits[0][0], 0
    for first, _ in hits:
        count = sum(1 for h, _ in hits if first <= h < first + WINDOW_CHARS)
        if count > best_count:
            best, best_count = first, count
    start = max(0, best - 30)
    if start:  # start at a word
        found = _WORD.search(scanned, start)
        start = found.start() if found and found.start() <= best else best
    end = min(len(scanned), start + WINDOW_CHARS)
    if end < len(scanned):  # end after a word
        tail = scanned.rfind(" ", start, end)
        end = tail if tail > best else end
    prefix = "" if start == 0 else "…"
    suffix = "" if end >= len(value) else "…"
    text = prefix + " ".join(scanned[start:end].split()) + suffix
    return Snippet(field=field, text=text, highlights=_merge(_spans(text, pattern)))


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
