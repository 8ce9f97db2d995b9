"""The search language, and its translation for each backend.

A query is a list of clauses that must all hold::

    wikileaks "dinner invite" kislyak OR millian -draft backdoor*

* a word matches that word, whole: ``page`` does not find "pages"; case and accents fold
  ("résumé" finds "RÉSUMÉ" and "Resume");
* ``"two words"`` is a phrase; ``word*`` a prefix;
* ``a OR b`` is either (``OR`` in capitals binds the terms beside it);
* ``-word`` or ``-"a phrase"`` excludes documents that have it.

Words are split as the index splits them (letters and digits; anything else separates), so
``e-mail`` is the phrase "e mail". Every piece reaches SQL as a bound parameter built from
those words alone: no input is ever read as index syntax.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field

from gaptrack.errors import GaptrackError
from gaptrack.search.schema import fold

_WORD = re.compile(r"[^\W_]+")
_TOKEN = re.compile(r'(-?)"([^"]*)"?(\*?)|(\S+)')


class SearchQueryError(GaptrackError):
    title = "Bad search query"


@dataclass(frozen=True, slots=True)
class Term:
    words: tuple[str, ...]  # folded
    prefix: bool = False


@dataclass(slots=True)
class Clause:
    terms: list[Term] = field(default_factory=list)  # any of them
    negated: bool = False


@dataclass(slots=True)
class Query:
    text: str
    clauses: list[Clause]

    @property
    def words(self) -> set[str]:
        """The folded words of the positive clauses (what a snippet marks)."""
        return {w for c in self.clauses if not c.negated for t in c.terms for w in t.words}

    @property
    def terms(self) -> list[Term]:
        return [t for c in self.clauses if not c.negated for t in c.terms]


def words_of(text: str) -> list[str]:
    return _WORD.findall(fold(text))


def parse_query(text: str) -> Query:
    """Parse the search language; a query with nothing to look for is an error."""
    clauses: list[Clause] = []
    pending_or = False
    for match in _TOKEN.finditer(text):
        negated, phrase, star, bare = match.groups()
        if bare is not None:
            if bare == "OR":
                pending_or = bool(clauses) and not clauses[-1].negated
                continue
            negated = "-" if bare.startswith("-") and len(bare) > 1 else ""
            star = "*" if bare.endswith("*") else ""
            phrase = bare[len(negated) : len(bare) - len(star)]
        words = tuple(words_of(phrase or ""))
        if not words:
            pending_or = False
            continue
        term = Term(words, prefix=bool(star))
        if pending_or and not negated:
            clauses[-1].terms.append(term)
        else:
            clauses.append(Clause([term], negated=bool(negated)))
        pending_or = False
    if not any(not c.negated for c in clauses):
        raise SearchQueryError(f"nothing to search for in {text!r} (a word is needed)")
    return Query(text, clauses)


def keyword_query(keyword: str) -> Query | None:
    """An item's keyword criterion as a query: the keyword as one phrase, whole words; a
    trailing ``*`` makes its last word a prefix ("Russia*" meets "Russian"). None when it
    has no word in it."""
    words = tuple(words_of(keyword))
    if not words:
        return None
    return Query(keyword, [Clause([Term(words, prefix=keyword.strip().endswith("*"))])])


def _fts_term(term: Term) -> str:
    return '"' + " ".join(term.words) + '"' + ("*" if term.prefix else "")


def fts5_match(query: Query, columns: tuple[str, ...] = ()) -> str:
    """The FTS5 MATCH string for ``query``, optionally limited to ``columns``."""
    positive = [
        "(" + " OR ".join(_fts_term(t) for t in c.terms) + ")"
        for c in query.clauses
        if not c.negated
    ]
    expression = " AND ".join(positive)
    for clause in query.clauses:
        if clause.negated:
            expression = (
                f"({expression}) NOT (" + " OR ".join(_fts_term(t) for t in clause.terms) + ")"
            )
    if columns:
        return "{" + " ".join(columns) + "} : (" + expression + ")"
    return expression


def _ts_term(term: Term) -> str:
    lexemes = [f"'{w}'" for w in term.words]
    if term.prefix:
        lexemes[-1] += ":*"
    return "(" + " <-> ".join(lexemes) + ")"


def tsquery_text(query: Query) -> str:
    """The ``to_tsquery('simple', …)`` text for ``query``."""
    parts = []
    for clause in query.clauses:
        either = " | ".join(_ts_term(t) for t in clause.terms)
        parts.append(f"!({either})" if clause.negated else f"({either})")
    return " & ".join(parts)
