"""Full-text search over the documents: the index (:mod:`.index`), the query language
(:mod:`.query`), ranked matching (:mod:`.engine`) and snippets (:mod:`.snippet`).

Faces reach it through :mod:`gaptrack.service.search`.
"""

from gaptrack.search.index import ensure_index, index_production, rebuild_index
from gaptrack.search.query import Query, SearchQueryError, keyword_query, parse_query
from gaptrack.search.snippet import Snippet

__all__ = [
    "Query",
    "SearchQueryError",
    "Snippet",
    "ensure_index",
    "index_production",
    "keyword_query",
    "parse_query",
    "rebuild_index",
]
