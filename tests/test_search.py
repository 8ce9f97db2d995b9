"""Full-text search on both backends: whole words, folded case and accents, text-only hits,
snippets with their hits marked, and item keyword criteria through the index."""

from __future__ import annotations

from pathlib import Path

import pytest
import sqlalchemy as sa
from sqlalchemy.engine import Engine

from gaptrack.errors import GaptrackError
from gaptrack.gaps import sql as t
from gaptrack.gaps.materialise import refresh_derived
from gaptrack.search import parse_query
from gaptrack.service.search import search_documents
from tests.analysiscase import load_analysis_case


@pytest.fixture
def case(engine: Engine, tmp_path: Path) -> Engine:
    load_analysis_case(engine, tmp_path)
    return engine


def bates(engine: Engine, text: str, **scope: str) -> list[str]:
    return [h.bates for h in search_documents(engine, text, **scope).hits]


def test_a_term_only_in_the_extracted_text_is_found(case: Engine) -> None:
    result = search_documents(case, "route")
    assert sorted(h.bates for h in result.hits) == ["ALICE-0001", "BOB-0001"]
    assert result.total == 2
    hit = next(h for h in result.hits if h.bates == "BOB-0001")
    assert hit.snippet is not None and hit.snippet.field == "text"
    assert hit.snippet.marked() == "The pipeline «route» was approved by the board."


def test_accents_and_case_fold_both_ways(case: Engine) -> None:
    assert sorted(bates(case, "résumé")) == ["ALICE-0004", "CAROL-0001"]
    assert sorted(bates(case, "RESUME")) == ["ALICE-0004", "CAROL-0001"]
    hit = next(h for h in search_documents(case, "résumé").hits if h.bates == "ALICE-0004")
    assert hit.snippet is not None
    start, end = hit.snippet.highlights[0]
    assert hit.snippet.text[start:end] == "RÉSUMÉ"


def test_words_are_whole_words_prefixes_are_asked_for(case: Engine) -> None:
    assert bates(case, "page") == []
    assert bates(case, "page*") == ["ALICE-0003"]


def test_phrases_or_and_exclusion(case: Engine) -> None:
    assert bates(case, '"pipeline route"') == ["BOB-0001"]
    assert bates(case, '"route pipeline"') == []
    assert sorted(bates(case, "lunch OR budget")) == ["ALICE-0002", "CAROL-0002", "CAROL-0003"]
    assert bates(case, "route -board") == ["ALICE-0001"]


def test_subject_and_participants_are_searched_and_ranked(case: Engine) -> None:
    hits = search_documents(case, "pipeline").hits
    # The subject weighs most: the three emails titled "Pipeline" / "Re: Pipeline" come
    # before nothing else; every hit is ranked in order.
    assert {h.bates for h in hits} == {"BOB-0001", "BOB-0002", "CAROL-0001"}
    assert [h.rank for h in hits] == [1, 2, 3]
    assert sorted(bates(case, "carol", party="alice")) == ["ALICE-0002"]


def test_scope_by_party_and_production(case: Engine) -> None:
    assert bates(case, "résumé", party="carol") == ["CAROL-0001"]
    assert bates(case, "résumé", production="alice-vol1") == ["ALICE-0004"]


def test_markup_in_text_stays_text(case: Engine) -> None:
    hit = search_documents(case, "attached", party="alice").hits
    memo = next(h for h in hit if h.bates == "ALICE-0004")
    assert memo.subject == "[draft] memo"
    assert memo.snippet is not None and "[bold]attached[/bold]" in memo.snippet.text


def test_a_query_with_nothing_to_find_is_an_error(case: Engine) -> None:
    with pytest.raises(GaptrackError, match="nothing to search for"):
        search_documents(case, '-route ""')
    # Index syntax in the input is only ever words: no syntax error reaches the user.
    assert sorted(bates(case, 'route" OR "x')) == ["ALICE-0001", "BOB-0001"]
    assert bates(case, "NEAR(route board) {subject}: *") == []
    assert parse_query("NEAR(a b)").words == {"near", "a", "b"}


def test_keyword_criteria_use_whole_words_and_fold_case(case: Engine) -> None:
    refresh_derived(case, force=True)
    with case.connect() as connection:
        rows = connection.execute(
            sa.select(t.document.c.begin_label, t.item.c.number)
            .select_from(
                t.document_item.join(t.document, t.document.c.id == t.document_item.c.document_id)
                .join(t.item, t.item.c.id == t.document_item.c.item_id)
            )
            .where(t.document_item.c.source == "criteria", t.item.c.number.in_(["1", "2"]))
        ).all()
    found = sorted((str(r[0]), str(r[1])) for r in rows)
    # "résumé" meets RÉSUMÉ (Alice's memo) and résumé (Carol's email naming Alice);
    # "page" is not met by "Pages".
    assert found == [("ALICE-0004", "1"), ("CAROL-0001", "1")]


def test_the_index_follows_new_and_removed_productions(case: Engine, tmp_path: Path) -> None:
    assert bates(case, "friday") == ["CAROL-0002"]
    with case.begin() as connection:
        connection.execute(sa.delete(t.document).where(t.document.c.begin_label == "CAROL-0002"))
    assert bates(case, "friday") == []
    assert sorted(bates(case, "résumé")) == ["ALICE-0004", "CAROL-0001"]


def test_a_case_file_that_changes_a_text_is_searched_as_changed(
    case: Engine, tmp_path: Path
) -> None:
    from tests.analysiscase import CASE, load_analysis_case

    assert bates(case, "friday") == ["CAROL-0002"]
    load_analysis_case(case, tmp_path, CASE.replace("See you Friday.", "See you Monday."))
    assert bates(case, "friday") == []
    assert bates(case, "monday") == ["CAROL-0002"]


def test_an_import_is_searchable_at_once(case: Engine, tmp_path: Path) -> None:
    """Imports leave the index to its first reader: the next search still finds them."""
    from gaptrack.service.intake import import_mail
    from tests.importers.builders import email, write_eml

    assert bates(case, "zeppelin") == []  # the index is built, and holds no such word
    folder = tmp_path / "mail"
    folder.mkdir()
    write_eml(folder / "1.eml", email(subject="Budget", body="The zeppelin lands at noon."))
    import_mail(case, folder, party="bob", production="Bob Mail", bates_prefix="BM-")
    assert bates(case, "zeppelin") == ["BM-000001"]
    assert bates(case, "zeppelin", production="bob-mail") == ["BM-000001"]
