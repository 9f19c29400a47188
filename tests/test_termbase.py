"""The termbase tables: add (with merging), get, update, delete, list; one transaction per batch."""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import replace
from pathlib import Path

import pytest

from tmtool import termbase
from tmtool.errors import StoreError, UsageError
from tmtool.model import DataCategory, Term, TermEntry, TermStatus
from tmtool.store import Store


@pytest.fixture
def store(db_path: Path) -> Iterator[Store]:
    with Store(db_path) as s:
        termbase.migrate(s)
        yield s


def entry(*pairs: tuple[str, str], **kw: object) -> TermEntry:
    return TermEntry(terms=tuple(Term(text, lang) for lang, text in pairs), **kw)  # type: ignore[arg-type]


def test_migrate_is_idempotent_and_versioned(db_path: Path) -> None:
    with Store(db_path) as s:
        termbase.migrate(s)
        termbase.migrate(s)
        assert s.version("termbase") == len(termbase.MIGRATIONS)
        tables = {r[0] for r in s.conn.execute("SELECT name FROM sqlite_master")}
    assert {"concepts", "terms", "term_words", "terms_fold", "terms_lemma"} <= tables


def test_add_entries_works_on_a_fresh_store(db_path: Path) -> None:
    with Store(db_path) as s:  # no explicit migrate: add_entries creates the tables
        assert termbase.add_entries(s, [entry(("fr", "garantie"), ("en", "guarantee"))]) == 1
        assert termbase.count_entries(s) == 1


def test_get_entry_gives_back_every_field(store: Store) -> None:
    e = TermEntry(
        terms=(Term("garantie de sécurité", "fr-fr", pos="noun", status=TermStatus.PREFERRED,
                    context="Kiev réclame des garanties.", source="Le Monde", note="n"),
               Term("security guarantee", "EN_gb", status="admitted")),  # type: ignore[arg-type]
        subject="défense", definition="Engagement", note="relu", confidence=0.75,
        extra={"Client": "ACME"})
    cid = termbase.add_entry(store, e)
    got = termbase.get_entry(store, cid)
    assert got.id == cid
    assert [(t.text, t.lang, t.status) for t in got.terms] == [
        ("garantie de sécurité", "fr-FR", TermStatus.PREFERRED),
        ("security guarantee", "en-GB", TermStatus.ADMITTED)]
    assert got.terms[0].context == "Kiev réclame des garanties."
    assert (got.terms[0].pos, got.terms[0].source, got.terms[0].note) == ("noun", "Le Monde", "n")
    assert (got.subject, got.definition, got.note, got.confidence) == (
        "défense", "Engagement", "relu", 0.75)
    assert got.extra == {"Client": "ACME"}
    assert got.created and got.modified


def test_merge_adds_synonyms_and_languages_instead_of_duplicating(store: Store) -> None:
    first = termbase.add_entry(store, entry(("fr", "garantie"), ("en", "guarantee")))
    counts = termbase.add_entries_counted(store, [
        entry(("fr", "Garantie"), ("en", "guarantee"), ("de", "Garantie"), definition="d"),
        entry(("fr", "garantie"), ("en", "warranty")),  # disagrees in English: new concept
    ])
    assert (counts.added, counts.merged) == (1, 1)
    merged = termbase.get_entry(store, first)
    assert [t.lang for t in merged.terms] == ["fr", "en", "de"]
    assert merged.definition == "d"
    assert termbase.count_entries(store) == 2


def test_terms_keep_their_typography_and_are_found_without_it(store: Store) -> None:
    """« », ’ are a client's house style: kept as written, while a lookup typed with plain
    quotes and apostrophes still finds them and a plain-typed duplicate merges."""
    from tmtool.lookup import lookup

    eid = termbase.add_entry(store, entry(("fr", "chef de l’État"), ("en", "head of state")))
    termbase.add_entry(store, entry(("fr", "opération «\u00a0Sentinelle\u00a0»"),
                                    ("en", "Operation Sentinelle")))
    assert [t.text for t in termbase.get_entry(store, eid).terms] == [
        "chef de l’État", "head of state"]
    found = termbase.list_entries(store)
    assert [t.text for e in found for t in e.terms if t.lang == "fr"] == [
        "chef de l’État", "opération « Sentinelle »"]  # spacing tidied only
    hits = lookup(store, "chef de l'Etat", src="fr", tgt="en")
    assert hits and hits[0].entry.id == eid and hits[0].how == "folded"
    counts = termbase.add_entries_counted(store, [entry(("fr", "chef de l'État"),
                                                        ("en", "head of state"))])
    assert (counts.added, counts.merged) == (0, 1)


def test_merge_fills_missing_term_fields(store: Store) -> None:
    cid = termbase.add_entry(store, entry(("fr", "OTAN"), ("en", "NATO")))
    termbase.add_entry(store, TermEntry(terms=(Term("OTAN", "fr", status=TermStatus.PREFERRED),)))
    assert termbase.get_entry(store, cid).terms[0].status == TermStatus.PREFERRED


def test_no_merge_stores_duplicates(store: Store) -> None:
    e = entry(("fr", "OTAN"), ("en", "NATO"))
    assert termbase.add_entries(store, [e, e], merge=False) == 2
    assert termbase.count_entries(store) == 2


def test_a_bad_entry_rolls_back_its_whole_batch(store: Store) -> None:
    good = entry(("fr", "OTAN"), ("en", "NATO"))
    bad = TermEntry(terms=(Term("x", "fr", status="sometimes"),))  # type: ignore[arg-type]
    with pytest.raises(UsageError, match="unknown term status 'sometimes'"):
        termbase.add_entries(store, [good, bad])
    assert termbase.count_entries(store) == 0


@pytest.mark.parametrize("terms, message", [
    ((), "an entry needs at least one term"),
    ((Term("  ", "fr"),), "empty term text in language fr"),
    ((Term("OTAN", ""),), "term 'OTAN' has no language"),
])
def test_invalid_entries_are_refused(store: Store, terms: tuple[Term, ...], message: str) -> None:
    with pytest.raises(UsageError, match=message):
        termbase.add_entry(store, TermEntry(terms=terms))


@pytest.mark.parametrize("value, status", [
    ("preferred", TermStatus.PREFERRED), ("preferredTerm-admn-sts", TermStatus.PREFERRED),
    ("Admitted", TermStatus.ADMITTED), ("supersededTerm-admn-sts", TermStatus.DEPRECATED),
    ("deprecatedTerm-admn-sts", TermStatus.DEPRECATED), ("forbidden", TermStatus.FORBIDDEN),
    ("standardizedTerm-admn-sts", TermStatus.PREFERRED),
])
def test_parse_status(value: str, status: TermStatus) -> None:
    assert termbase.parse_status(value) == status


def test_update_entry_replaces_terms_of_the_languages_given(store: Store) -> None:
    cid = termbase.add_entry(store, entry(("fr", "garantie"), ("en", "guarantee"),
                                          definition="old", note="keep"))
    got = termbase.update_entry(store, cid, terms=[Term("warranty", "en"),
                                                   Term("guaranty", "en")], definition=None)
    assert [(t.lang, t.text) for t in got.terms] == [
        ("fr", "garantie"), ("en", "warranty"), ("en", "guaranty")]
    assert got.definition is None and got.note == "keep"
    # the lookup keys follow the new terms
    keys = {r[0] for r in store.conn.execute("SELECT fold_key FROM terms")}
    assert keys == {"garantie", "warranty", "guaranty"}


def test_update_and_delete_unknown_id(store: Store) -> None:
    with pytest.raises(UsageError, match="no termbase entry with id 42"):
        termbase.update_entry(store, 42, note="x")
    with pytest.raises(UsageError, match="no termbase entry with id 42"):
        termbase.delete_entry(store, 42)
    with pytest.raises(UsageError, match="no termbase entry with id 42"):
        termbase.get_entry(store, 42)


def test_delete_removes_terms_and_index_rows(store: Store) -> None:
    cid = termbase.add_entry(store, entry(("fr", "garantie de sécurité"), ("en", "guarantee")))
    keep = termbase.add_entry(store, entry(("fr", "sécurité"), ("en", "security")))
    termbase.delete_entry(store, cid)
    assert [e.id for e in termbase.list_entries(store)] == [keep]
    n_terms = store.conn.execute("SELECT count(*) FROM terms").fetchone()[0]
    words = {r[0] for r in store.conn.execute("SELECT word FROM term_words")}
    assert n_terms == 2 and words == {"securit", "security"}


def test_list_entries_filters_and_pages(store: Store) -> None:
    entries = [entry(("fr", f"terme {i}"), ("en", f"term {i}")) for i in range(1200)]
    entries.append(entry(("de", "nur Deutsch")))
    termbase.add_entries(store, entries, merge=False)
    assert sum(1 for _ in termbase.list_entries(store)) == 1201
    assert sum(1 for _ in termbase.list_entries(store, lang="fr-CA")) == 1200
    assert [e.terms[0].text for e in termbase.list_entries(store, lang="de")] == ["nur Deutsch"]
    ids = [e.id for e in termbase.list_entries(store, limit=3)]
    assert ids == sorted(ids) and len(ids) == 3


def test_a_store_without_termbase_is_reported(db_path: Path) -> None:
    with Store(db_path) as s:
        with pytest.raises(StoreError, match="no termbase yet"):
            termbase.require(s.conn, db_path)


def test_file_kind_by_extension_and_content(tmp_path: Path) -> None:
    xml = tmp_path / "glossary.dat"
    xml.write_text("\ufeff<?xml version='1.0'?><tbx/>", encoding="utf-8")
    csv_file = tmp_path / "glossary.export"
    csv_file.write_text("fr,en\nOTAN,NATO\n", encoding="utf-8")
    assert termbase.file_kind(xml) == "tbx"
    assert termbase.file_kind(csv_file) == "csv"
    assert termbase.file_kind("x.TBX") == "tbx" and termbase.file_kind("x.tsv") == "csv"


def test_export_refuses_unknown_extension(store: Store, tmp_path: Path) -> None:
    with pytest.raises(UsageError, match=r"the output must end in \.tbx, \.csv or \.tsv"):
        termbase.export_file(store, tmp_path / "out.xlsx")


def test_upgrade_from_schema_1_keeps_entries_and_adds_data(db_path: Path) -> None:
    """A store written before the data columns: read as it is, then upgraded in place."""
    import sqlite3

    with Store(db_path) as s:
        s.migrate("termbase", termbase.MIGRATIONS[:1])
        s.conn.execute("INSERT INTO concepts(id, definition, created, modified, extra) VALUES "
                       "(1, 'Engagement', '2025-01-01', '2025-01-02', '{\"Client\": \"ACME\"}')")
        s.conn.execute("INSERT INTO terms(concept_id, lang, lp, text, fold_key, lemma_key, "
                       "created, modified) VALUES (1, 'fr', 'fr', 'garantie', 'garantie', "
                       "'garantie', '2025-01-01', '2025-01-01')")
        s.conn.commit()
    conn = sqlite3.connect(f"file:{db_path}?mode=ro", uri=True)  # what lookup and list open
    try:
        (old,) = termbase.list_entries(conn)
    finally:
        conn.close()
    assert (old.definition, old.extra, old.data, old.terms[0].data) == (
        "Engagement", {"Client": "ACME"}, (), ())
    with Store(db_path) as s:
        termbase.migrate(s)
        assert s.version("termbase") == 2
        assert termbase.get_entry(s, 1) == old
        cid = termbase.add_entry(s, TermEntry(
            terms=(Term("trêve", "fr", data=(DataCategory("termType", "fullForm"),)),),
            data=(DataCategory("xGraphic", "Carte", "https://example.org/c.svg", "fr"),)))
        got = termbase.get_entry(s, cid)
    assert got.terms[0].data == (DataCategory("termType", "fullForm"),)
    assert got.data == (DataCategory("xGraphic", "Carte", "https://example.org/c.svg", "fr"),)


def test_merge_keeps_the_merged_entry_fields(store: Store) -> None:
    first = termbase.add_entry(store, entry(("fr", "garantie"), ("en", "guarantee")))
    termbase.add_entries(store, [TermEntry(
        terms=(Term("garantie", "fr", data=(DataCategory("grammaticalGender", "feminine"),)),
               Term("Garantie", "de", created="2001-05-07")),
        extra={"definition:de": "Zusage"}, data=(DataCategory("customerSubset", "ACME"),))])
    got = termbase.get_entry(store, first)
    assert got.extra == {"definition:de": "Zusage"}
    assert got.data == (DataCategory("customerSubset", "ACME"),)
    assert got.terms[0].data == (DataCategory("grammaticalGender", "feminine"),)
    assert (got.terms[2].text, got.terms[2].created) == ("Garantie", "2001-05-07")


def test_import_reports_what_it_skips(store: Store, tmp_path: Path) -> None:
    path = tmp_path / "g.csv"
    path.write_text("fr,en,note\ngarantie,guarantee,\n,,orpheline\n", encoding="utf-8")
    counts = termbase.import_file(store, path)
    assert counts.total == 1
    assert counts.skipped == (termbase.Skipped("row without any term skipped", 3),)


def test_export_merges_a_bare_tag_into_its_only_regional_tag(store: Store,
                                                             tmp_path: Path) -> None:
    termbase.add_entries(store, [
        TermEntry(terms=(Term("garantie", "fr"), Term("guarantee", "en")),
                  extra={"definition:fr": "Engagement"}),
        TermEntry(terms=(Term("OTAN", "fr-FR"), Term("NATO", "en-GB")))])
    out = tmp_path / "g.csv"
    termbase.export_file(store, out)
    assert out.read_text(encoding="utf-8-sig").splitlines() == [
        "fr-FR,fr-FR_definition,en-GB", "garantie,Engagement,guarantee", "OTAN,,NATO"]
    tbx = tmp_path / "g.tbx"
    termbase.export_file(store, tbx)
    text = tbx.read_text(encoding="utf-8")
    assert text.count('<langSec xml:lang="fr-FR">') == 2 and 'xml:lang="fr"' not in text
    # a second regional French makes the bare tag ambiguous: it stays as it is
    termbase.add_entry(store, TermEntry(terms=(Term("courriel", "fr-CA"),)))
    termbase.export_file(store, out)
    assert out.read_text(encoding="utf-8-sig").splitlines()[0] == (
        "fr,fr_definition,en-GB,fr-FR,fr-CA")


def test_concepts_sharing_their_terms_stay_apart_when_their_data_differ(store: Store) -> None:
    """"commission" the fee and "commission" the committee: merging would lose a definition."""
    fee = entry(("fr", "commission"), ("en", "commission"), subject="finance",
                definition="Fee paid to an agent.")
    board = entry(("fr", "commission"), ("en", "commission"), subject="administration",
                  definition="A group of people tasked with a job.")
    same = entry(("fr", "commission"), ("en", "commission"), subject="Finance",
                 definition="Fee paid to an agent")
    counts = termbase.add_entries_counted(store, [fee, board, same])
    assert (counts.added, counts.merged) == (2, 1)
    assert sorted(e.definition for e in termbase.list_entries(store)) == [
        "A group of people tasked with a job.", "Fee paid to an agent."]


def test_a_merge_takes_a_new_status_and_dates_only_a_change(store: Store) -> None:
    first = TermEntry(terms=(Term("cessez-le-feu", "fr", status=TermStatus.PREFERRED,
                                  context="Un cessez-le-feu."), Term("ceasefire", "en")),
                      modified="2020-01-01T00:00:00Z")
    termbase.add_entries(store, [first])
    (stored,) = termbase.list_entries(store)
    termbase.add_entries(store, [entry(("fr", "cessez-le-feu"), ("en", "ceasefire"))])
    assert termbase.get_entry(store, stored.id).modified == stored.modified  # nothing new
    forbidden = TermEntry(terms=(Term("cessez-le-feu", "fr", status=TermStatus.FORBIDDEN),
                                 Term("ceasefire", "en")))
    termbase.add_entries(store, [forbidden])
    (term, _) = termbase.get_entry(store, stored.id).terms
    assert (term.status, term.context) == (TermStatus.FORBIDDEN, "Un cessez-le-feu.")
    assert termbase.get_entry(store, stored.id).modified != stored.modified
    # what a glossary build finds again does not undo the termbase's own entries
    found = TermEntry(terms=(Term("cessez-le-feu", "fr", status=TermStatus.ADMITTED),
                             Term("ceasefire", "en")))
    corrected = entry(("fr", "garanties"), ("en", "guarantees"))
    termbase.add_entries(store, [corrected])
    counts = termbase.add_entries_counted(
        store, [found, entry(("fr", "garanties"), ("en", "warranties"))], update=False)
    assert (counts.merged, counts.kept, counts.added) == (1, 1, 0)
    assert termbase.get_entry(store, stored.id).terms[0].status == TermStatus.FORBIDDEN
    before = termbase.get_entry(store, stored.id)
    termbase.add_entries(store, [TermEntry(
        terms=(Term("cessez-le-feu", "fr", context="Autre.", source="doc.fr.txt"),
               Term("ceasefire", "en", context="Other.")),
        note="glossary build: 3 aligned segment(s)", confidence=0.7)], update=False)
    assert termbase.get_entry(store, stored.id) == before  # found again: nothing changes


def test_editing_a_language_keeps_what_its_terms_had(store: Store) -> None:
    termbase.add_entries(store, [TermEntry(terms=(  # read from a file: undated
        Term("cessez-le-feu", "fr"),
        Term("ceasefire", "en", status=TermStatus.PREFERRED, pos="noun",
             context="A ceasefire was agreed.")))])
    (cid,) = [e.id for e in termbase.list_entries(store)]
    updated = termbase.update_entry(store, cid, terms=[Term("ceasefire", "en"),
                                                        Term("truce", "en")])
    ceasefire, truce = (t for t in updated.terms if t.lang == "en")
    assert (ceasefire.status, ceasefire.pos, ceasefire.context) == (
        TermStatus.PREFERRED, "noun", "A ceasefire was agreed.")
    assert ceasefire.modified is None  # given again unchanged: not dated
    updated = termbase.update_entry(store, cid, terms=[
        Term("ceasefire", "en", status=TermStatus.FORBIDDEN), Term("truce", "en")])
    again = next(t for t in updated.terms if t.text == "ceasefire")
    assert again.status == TermStatus.FORBIDDEN and again.modified  # changed: dated now
    assert (truce.text, truce.status) == ("truce", None)


def test_export_names_a_bare_language_after_its_default_region_only(
        store: Store, tmp_path: Path) -> None:
    termbase.add_entries(store, [entry(("fr", "chat"), ("en", "cat")),
                                 entry(("fr-CA", "char"), ("en-US", "car"))])
    out = tmp_path / "out.csv"
    termbase.export_file(store, out)
    assert out.read_text(encoding="utf-8-sig").splitlines()[0] == "fr,en,fr-CA,en-US"
    termbase.add_entries(store, [entry(("fr-FR", "chien"), ("en-GB", "dog"))])
    termbase.export_file(store, out)  # now three French tags: a bare one names no region
    assert out.read_text(encoding="utf-8-sig").splitlines()[0].startswith("fr,")


def test_the_id_of_a_deleted_entry_is_not_given_again(store: Store) -> None:
    termbase.add_entry(store, entry(("fr", "a"), ("en", "b")))
    last = termbase.add_entry(store, entry(("fr", "c"), ("en", "d")))
    termbase.delete_entry(store, last)
    assert termbase.add_entry(store, entry(("fr", "e"), ("en", "f"))) == last + 1


def test_a_regional_filter_keeps_its_region_and_bare_tags(store: Store) -> None:
    from tmtool.lookup import lookup

    termbase.add_entries(store, [entry(("fr-CA", "courriel"), ("en", "email")),
                                 entry(("fr", "chat"), ("en", "cat")),
                                 entry(("fr-FR", "e-mail"), ("fr-CA", "courriel"),
                                       ("en", "e-mail address"))])
    assert [e.terms[0].text for e in termbase.list_entries(store, lang="fr-FR")] == [
        "chat", "e-mail"]
    hit = lookup(store, "e-mail address", tgt="fr-FR")[0]
    assert [t.text for t in hit.equivalents("fr-FR")] == ["e-mail"]
    hit = lookup(store, "email", tgt="fr-FR")[0]  # none in fr-FR: the French it has
    assert [t.text for t in hit.equivalents("fr-FR")] == ["courriel"]


def test_an_edit_that_changes_nothing_dates_nothing(store: Store) -> None:
    cid = termbase.add_entry(store, TermEntry(
        terms=(Term("accord", "fr", status=TermStatus.PREFERRED), Term("agreement", "en")),
        subject="droit", modified="2020-01-01T00:00:00Z"))
    termbase.update_entry(store, cid, subject="droit")
    termbase.update_entry(store, cid, terms=[Term("accord", "fr")])
    assert termbase.get_entry(store, cid).modified == "2020-01-01T00:00:00Z"
    assert termbase.update_entry(store, cid, subject="commerce").modified != (
        "2020-01-01T00:00:00Z")


def test_a_term_given_twice_is_stored_once_and_build_respects_inflected_corrections(
        store: Store) -> None:
    cid = termbase.add_entry(store, entry(("fr", "accord"), ("fr", "Accord"), ("en", "deal")))
    assert [t.text for t in termbase.get_entry(store, cid).terms] == ["accord", "deal"]
    termbase.add_entry(store, entry(("fr", "allié"), ("en", "partner")))  # corrected
    counts = termbase.add_entries_counted(store, [entry(("fr", "alliés"), ("en", "allies"))],
                                          update=False)
    assert (counts.added, counts.kept) == (0, 1)


def test_regional_variants_and_case_variants_are_terms_of_their_own(store: Store) -> None:
    """"courriel" in fr-FR and in fr-CA are two terms with their own statuses; "Member State"
    is not "member state"; a capitalised first letter is a glossary's habit, not a term."""
    cid = termbase.add_entry(store, TermEntry(terms=(
        Term("courriel", "fr-FR", status=TermStatus.ADMITTED),
        Term("courriel", "fr-CA", status=TermStatus.PREFERRED),
        Term("email", "en-GB"), Term("email", "en-US"), Term("Email", "en-GB"),
        Term("member state", "en-GB"), Term("Member State", "en-GB"))))
    terms = termbase.get_entry(store, cid).terms
    assert [(t.lang, t.text, t.status) for t in terms] == [
        ("fr-FR", "courriel", TermStatus.ADMITTED), ("fr-CA", "courriel", TermStatus.PREFERRED),
        ("en-GB", "email", None), ("en-US", "email", None),
        ("en-GB", "member state", None), ("en-GB", "Member State", None)]


def test_an_edit_replaces_the_terms_of_the_variant_it_names(store: Store) -> None:
    cid = termbase.add_entry(store, TermEntry(terms=(
        Term("garantie de sécurité", "fr-FR"), Term("garantie en matière de sécurité", "fr-CA"),
        Term("security guarantee", "en-GB", status=TermStatus.PREFERRED),
        Term("security guaranty", "en-US"))))
    termbase.update_entry(store, cid, terms=[Term("security assurance", "en-GB")])
    assert [(t.lang, t.text) for t in termbase.get_entry(store, cid).terms] == [
        ("fr-FR", "garantie de sécurité"), ("fr-CA", "garantie en matière de sécurité"),
        ("en-US", "security guaranty"), ("en-GB", "security assurance")]
    # a bare tag replaces the language's terms; a term given again keeps its variant
    termbase.update_entry(store, cid, terms=[Term("security guaranty", "en"),
                                             Term("security assurance", "en")])
    assert [(t.lang, t.text) for t in termbase.get_entry(store, cid).terms][2:] == [
        ("en-US", "security guaranty"), ("en-GB", "security assurance")]


def test_a_merge_goes_to_the_homograph_sharing_most_terms(store: Store) -> None:
    fee = termbase.add_entry(store, entry(("fr", "commission"), ("en", "commission"),
                                          subject="finance"))
    board = termbase.add_entry(store, entry(("fr", "commission"), ("fr", "comité"),
                                            ("en", "committee"), subject="politics"))
    counts = termbase.add_entries_counted(store, [entry(("fr", "commission"), ("fr", "comité"))])
    assert counts.merged == 1
    assert len(termbase.get_entry(store, fee).terms) == 2
    assert len(termbase.get_entry(store, board).terms) == 3


def test_terms_added_now_are_dated_now_and_read_ones_keep_theirs(store: Store) -> None:
    cid = termbase.add_entry(store, entry(("fr", "trêve"), ("en", "truce")))
    assert all(t.created for t in termbase.get_entry(store, cid).terms)
    termbase.add_entries(store, [entry(("fr", "trêve"), ("fr", "armistice"))])  # from a file
    termbase.add_entry(store, entry(("fr", "trêve"), ("fr", "cessez-le-feu")))  # typed now
    dates = {t.text: t.created for t in termbase.get_entry(store, cid).terms}
    assert dates["armistice"] is None and dates["cessez-le-feu"] is not None


def test_a_term_given_again_with_a_bare_tag_keeps_each_regional_copy(store: Store) -> None:
    cid = termbase.add_entry(store, TermEntry(terms=(
        Term("courriel", "fr-FR"), Term("courriel", "fr-CA", status=TermStatus.PREFERRED),
        Term("email", "en-GB"))))
    updated = termbase.update_entry(store, cid, terms=[Term("Courriel", "fr"), Term("mél", "fr")])
    assert [(t.lang, t.text, t.status) for t in updated.terms if t.lang.startswith("fr")] == [
        ("fr-FR", "Courriel", None), ("fr-CA", "Courriel", TermStatus.PREFERRED),
        ("fr", "mél", None)]


def test_giving_a_bare_term_a_region_replaces_it(store: Store) -> None:
    cid = termbase.add_entry(store, TermEntry(terms=(
        Term("courriel", "fr", status=TermStatus.PREFERRED), Term("email", "en"))))
    updated = termbase.update_entry(store, cid, terms=[Term("courriel", "fr-CA")])
    assert [(t.lang, t.text, t.status) for t in updated.terms if t.lang.startswith("fr")] == [
        ("fr-CA", "courriel", TermStatus.PREFERRED)]


def test_entries_sharing_a_term_only_up_to_inner_case_stay_apart(store: Store) -> None:
    termbase.add_entry(store, entry(("fr", "État membre"), ("en", "Member State")))
    counts = termbase.add_entries_counted(store, [entry(("en", "member state"), note="any")])
    assert (counts.added, counts.merged) == (1, 0)
    counts = termbase.add_entries_counted(store, [entry(("en", "member State"))])
    assert counts.merged == 1  # a capital first letter is a glossary's habit


def test_export_of_a_regional_variant_keeps_it_and_bare_terms_only(store: Store,
                                                                    tmp_path: Path) -> None:
    termbase.add_entry(store, TermEntry(terms=(
        Term("courriel", "fr-FR"), Term("courriel", "fr-CA"), Term("mél", "fr"),
        Term("email", "en-GB"), Term("e-mail", "en-US"))))
    out = tmp_path / "ca.csv"
    termbase.export_file(store, out, langs=["fr-CA", "en-US"])
    assert out.read_text(encoding="utf-8-sig").splitlines() == [
        "fr-CA,fr,en-US", "courriel,mél,e-mail"]
    out = tmp_path / "us.tbx"
    termbase.export_file(store, out, langs=["en-US"])
    text = out.read_text(encoding="utf-8")
    assert "e-mail" in text and "email" not in text.replace("e-mail", "")


def test_an_edit_giving_every_term_again_keeps_them_all(store: Store) -> None:
    cid = termbase.add_entry(store, TermEntry(terms=(
        Term("courriel", "fr"), Term("courriel", "fr-CA"), Term("email", "en"))))
    terms = termbase.get_entry(store, cid).terms
    updated = termbase.update_entry(store, cid, terms=[
        replace(t, status=TermStatus.ADMITTED) for t in terms])
    assert sorted((t.lang, t.text, t.status) for t in updated.terms) == [
        ("en", "email", TermStatus.ADMITTED), ("fr", "courriel", TermStatus.ADMITTED),
        ("fr-CA", "courriel", TermStatus.ADMITTED)]


def test_a_regional_term_is_matched_before_its_bare_twin(store: Store) -> None:
    cid = termbase.add_entry(store, TermEntry(terms=(
        Term("courriel", "fr"), Term("courriel", "fr-CA"), Term("email", "en"))))
    termbase.add_entries(store, [TermEntry(terms=(
        Term("courriel", "fr-CA", status=TermStatus.FORBIDDEN), Term("email", "en")))])
    assert [(t.lang, t.status) for t in termbase.get_entry(store, cid).terms][:2] == [
        ("fr", None), ("fr-CA", TermStatus.FORBIDDEN)]
    termbase.update_entry(store, cid, terms=[Term("courriel", "fr-CA",
                                                  status=TermStatus.ADMITTED)])
    assert [(t.lang, t.status) for t in termbase.get_entry(store, cid).terms
            if t.lang.startswith("fr")] == [("fr", None), ("fr-CA", TermStatus.ADMITTED)]


def test_export_writes_a_bare_term_under_its_region_once_and_only_when_asked(
        store: Store, tmp_path: Path) -> None:
    termbase.add_entry(store, TermEntry(terms=(
        Term("courriel", "fr", status=TermStatus.ADMITTED), Term("courriel", "fr-FR"),
        Term("email", "en"))))
    termbase.add_entry(store, entry(("fr", "mél"), ("en", "mail")),)
    out = tmp_path / "all.csv"
    termbase.export_file(store, out)
    assert out.read_text(encoding="utf-8-sig").splitlines()[1:] == [
        "courriel,email", "mél,mail"]  # under fr-FR, the regional copy once
    termbase.export_file(store, out, langs=["fr-CA", "en"])  # no fr-FR in a fr-CA export
    assert out.read_text(encoding="utf-8-sig").splitlines() == [
        "fr,fr_status,en", "courriel,admitted,email", "mél,,mail"]
    with pytest.raises(UsageError, match="holds no de terms"):
        termbase.export_file(store, out, langs=["de"])


def test_reimporting_an_export_with_a_bare_language_definition_changes_nothing(
        store: Store, tmp_path: Path) -> None:
    termbase.add_entries(store, [TermEntry(terms=(Term("courriel", "fr"), Term("mél", "fr-FR"),
                                                  Term("email", "en")),
                                           extra={"definition:fr": "message électronique"})])
    before = list(termbase.list_entries(store))
    out = tmp_path / "out.tbx"
    termbase.export_file(store, out)
    assert termbase.import_file(store, out).merged == 1
    assert list(termbase.list_entries(store)) == before


def test_bare_and_regional_copies_of_a_term_each_keep_their_fields(store: Store) -> None:
    termbase.add_entries(store, [TermEntry(terms=(
        Term("courriel", "fr", status=TermStatus.PREFERRED),
        Term("courriel", "fr-CA", status=TermStatus.FORBIDDEN), Term("email", "en")))])
    (e,) = termbase.list_entries(store)
    updated = termbase.update_entry(store, e.id, terms=[replace(t, pos="noun") for t in e.terms])
    assert [(t.lang, t.status) for t in updated.terms][:2] == [
        ("fr", TermStatus.PREFERRED), ("fr-CA", TermStatus.FORBIDDEN)]
    # a status given with a bare tag reaches every regional copy when none is bare
    cid = termbase.add_entry(store, TermEntry(terms=(
        Term("mél", "fr-FR"), Term("mél", "fr-CA"), Term("mail", "en"))))
    termbase.add_entries(store, [TermEntry(terms=(
        Term("mél", "fr", status=TermStatus.FORBIDDEN), Term("mail", "en")))])
    assert [t.status for t in termbase.get_entry(store, cid).terms][:2] == [
        TermStatus.FORBIDDEN, TermStatus.FORBIDDEN]


def test_an_export_imported_again_goes_back_to_its_own_entries(store: Store,
                                                              tmp_path: Path) -> None:
    termbase.add_entry(store, entry(("fr", "courriel"), ("fr", "mél"), ("en", "email")))
    termbase.add_entries(store, [entry(("fr", "mél"), ("en", "email"), note="abréviation")],
                         merge=False)
    termbase.add_entries(store, [TermEntry(
        terms=(Term("pomme", "fr"), Term("Apfel", "de"), Term("apple", "en")),
        data=(DataCategory("source", "Larousse", None, "fr"),))])
    termbase.add_entry(store, entry(("fr-FR", "poire"), ("en", "pear")))
    before = list(termbase.list_entries(store))
    for name in ("again.csv", "again.tbx"):
        termbase.export_file(store, tmp_path / name)
        assert termbase.import_file(store, tmp_path / name).added == 0
        assert list(termbase.list_entries(store)) == before


def test_an_export_of_some_languages_leaves_the_others_fields_out(store: Store,
                                                                 tmp_path: Path) -> None:
    termbase.add_entries(store, [TermEntry(
        terms=(Term("pomme", "fr"), Term("Apfel", "de"), Term("apple", "en")),
        extra={"definition:de": "Frucht", "definition:fr": "Fruit"},
        data=(DataCategory("source", "Duden", None, "de"),))])
    told: list[str] = []
    out = tmp_path / "fr-en.csv"
    termbase.export_file(store, out, langs=["fr", "en"], warn=lambda msg, line: told.append(msg))
    assert told == [] and "Frucht" not in out.read_text(encoding="utf-8-sig")


def test_a_note_merged_into_regional_copies_is_weighed_for_each(store: Store) -> None:
    for order in (("fr-FR", "fr-CA"), ("fr-CA", "fr-FR")):
        cid = termbase.add_entry(store, TermEntry(terms=(
            *(Term("courriel", lang, data=(DataCategory("usage", "X"),) if lang == "fr-FR"
                   else ()) for lang in order), Term(f"email {order[0]}", "en"))))
        termbase.add_entries(store, [TermEntry(terms=(
            Term("courriel", "fr", note="usage: X"), Term(f"email {order[0]}", "en")))])
        notes = {t.lang: t.note for t in termbase.get_entry(store, cid).terms}
        assert (notes["fr-FR"], notes["fr-CA"]) == (None, "usage: X")


def test_a_partial_export_imported_again_finds_each_entry(store: Store, tmp_path: Path) -> None:
    termbase.add_entry(store, TermEntry(terms=(
        Term("courriel", "fr"), Term("email", "en", status=TermStatus.PREFERRED))))
    termbase.add_entry(store, TermEntry(terms=(
        Term("mél", "fr-FR"), Term("email", "en", status=TermStatus.DEPRECATED))))
    termbase.add_entry(store, entry(("fr-CA", "clavardage"), ("en", "chat")))
    before = list(termbase.list_entries(store))
    for name in ("part.csv", "part.tbx"):  # "email" alone: the entry whose status it has
        termbase.export_file(store, tmp_path / name, langs=["fr-CA", "en"])
        assert termbase.import_file(store, tmp_path / name).added == 0
        assert list(termbase.list_entries(store)) == before


def test_a_regional_term_beside_its_bare_twin_is_a_term_of_its_own(store: Store) -> None:
    cid = termbase.add_entry(store, TermEntry(terms=(
        Term("courriel", "fr", status=TermStatus.PREFERRED), Term("email", "en"))))
    termbase.add_entries(store, [TermEntry(terms=(
        Term("courriel", "fr-CA", status=TermStatus.FORBIDDEN), Term("email", "en")))])
    assert [(t.lang, t.status) for t in termbase.get_entry(store, cid).terms] == [
        ("fr", TermStatus.PREFERRED), ("en", None), ("fr-CA", TermStatus.FORBIDDEN)]
    # fr-FR is how a bare fr is written out: the same term
    termbase.add_entries(store, [TermEntry(terms=(
        Term("courriel", "fr-FR", status=TermStatus.ADMITTED), Term("email", "en")))])
    assert [(t.lang, t.status) for t in termbase.get_entry(store, cid).terms][0] == (
        "fr", TermStatus.ADMITTED)


def test_a_store_without_a_termbase_says_so_to_every_call(tmp_path: Path) -> None:
    from tmtool.lookup import find_in_text, lookup, text_language

    with Store(tmp_path / "tm-only.db") as store:
        calls = [lambda: termbase.get_entry(store, 1), lambda: list(termbase.list_entries(store)),
                 lambda: termbase.count_entries(store), lambda: termbase.delete_entry(store, 1),
                 lambda: termbase.update_entry(store, 1, note="x"),
                 lambda: termbase.export_file(store, tmp_path / "x.tbx"),
                 lambda: text_language(store, "Les garanties de sécurité."),
                 lambda: lookup(store, "garantie"), lambda: find_in_text(store, "Une phrase.")]
        for call in calls:
            with pytest.raises(StoreError, match="the store has no termbase yet"):
                call()
    assert not (tmp_path / "x.tbx").exists()


def test_a_context_goes_to_the_terms_of_its_language() -> None:
    from tmtool.errors import TmtoolWarning

    terms = [Term("cessez-le-feu", "fr"), Term("ceasefire", "en")]
    placed = termbase.context_in_its_language(terms, "Le cessez-le-feu a été signé hier soir.")
    assert [t.context for t in placed] == ["Le cessez-le-feu a été signé hier soir.", None]
    placed = termbase.context_in_its_language(terms, "The ceasefire was signed last night.")
    assert [t.context for t in placed] == [None, "The ceasefire was signed last night."]
    with pytest.warns(TmtoolWarning, match="the context reads as de"):
        termbase.context_in_its_language(
            terms, "Der Waffenstillstand wurde gestern Abend unterzeichnet.")
