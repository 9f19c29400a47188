"""tmtool glossary: lookup, add, edit, delete, list, import, export."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from click.testing import CliRunner, Result

import tmtool.cli.glossary  # noqa: F401  (registers the commands on the glossary group)
from tmtool.cli import main

DATA = Path(__file__).parent / "data" / "tbx"


def run(db: Path, *args: str) -> Result:
    return CliRunner().invoke(main, ["glossary", *args, "--db", str(db)])


@pytest.fixture
def db(db_path: Path) -> Path:
    r = run(db_path, "add", "--fr", "garanties de sécurité", "--fr", "assurance de sécurité",
            "--en", "security guarantees", "--status", "preferred", "--pos", "noun",
            "--definition", "Engagement de protection")
    assert r.exit_code == 0, r.output
    assert r.output.startswith("added entry #1\n")
    assert run(db_path, "add", "--fr", "OTAN", "--en", "NATO").exit_code == 0
    return db_path


def test_lookup_text_output(db: Path) -> None:
    r = run(db, "lookup", "garantie", "de", "securite")
    assert r.exit_code == 0, r.output
    assert r.output.splitlines() == [
        "garanties de sécurité (fr) -> en: security guarantees [preferred, noun]"
        "    [inflection 92, #1]",
        "    definition: Engagement de protection",
    ]


def test_lookup_json_both_directions(db: Path) -> None:
    r = run(db, "lookup", "l'OTAN", "--format", "json")
    (hit,) = json.loads(r.output)
    assert (hit["id"], hit["how"], hit["term"]["text"]) == (2, "inflection", "OTAN")
    (nato,) = hit["equivalents"]
    assert (nato["lang"], nato["text"]) == ("en", "NATO")
    assert nato["created"] == nato["modified"]  # an added term is dated when added
    r = run(db, "lookup", "nato", "--src", "en", "--tgt", "fr", "--format", "json")
    assert [h["equivalents"][0]["text"] for h in json.loads(r.output)] == ["OTAN"]


def test_lookup_in_sentence_tsv(db: Path) -> None:
    r = run(db, "lookup", "--in", "L'OTAN offre des garanties de sécurité.", "--format", "tsv")
    assert r.exit_code == 0, r.output
    assert r.output.splitlines() == [  # statuses come last: the first columns keep their place
        "id\tscore\thow\tlang\tterm\tstart\tend\tequivalents\tstatus\tequivalents_status",
        "2\t100.0\texact\tfr\tOTAN\t2\t6\ten:NATO\t\t",
        "1\t100.0\texact\tfr\tgaranties de sécurité\t17\t38\ten:security guarantees"
        "\tpreferred\tpreferred",
    ]


def test_lookup_tsv_shows_forbidden_equivalents(db: Path, tmp_path: Path) -> None:
    csv_file = tmp_path / "terms.csv"
    csv_file.write_text("fr,en,en_status\ncessez-le-feu,ceasefire|cease-fire,"
                        "preferred|forbidden\n", encoding="utf-8")
    assert run(db, "import", str(csv_file)).exit_code == 0
    r = run(db, "lookup", "cessez-le-feu", "--tgt", "en", "--format", "tsv")
    header, row = r.output.splitlines()[:2]
    cols = dict(zip(header.split("\t"), row.split("\t"), strict=True))
    assert cols["equivalents"] == "en:ceasefire | en:cease-fire"
    assert cols["equivalents_status"] == "preferred | forbidden"


def test_lookup_no_match_and_no_fuzzy(db: Path) -> None:
    assert run(db, "lookup", "garanty", "--no-fuzzy").output == "no match\n"
    assert "garanties de sécurité" in run(db, "lookup", "garanty").output
    assert "garanties de sécurité" not in run(db, "lookup", "garanty", "--min", "60").output


@pytest.mark.parametrize("args, error", [
    (("lookup",), "Error: give a QUERY to look up, or --in SENTENCE"),
    (("lookup", "x", "--in", "y"), "Error: give either a QUERY or --in SENTENCE, not both"),
    (("add", "--fr", "x", "--status", "maybe"),
     "Error: unknown term status 'maybe' (use preferred, admitted, deprecated or forbidden)"),
    (("add",), "Error: give at least one term (--fr, --en or --term LANG=TERM)"),
    (("add", "--term", "Garantie"),
     "Error: --term 'Garantie': expected LANG=TERM, e.g. de=Garantie"),
    (("edit", "99", "--note", "x"), "Error: no termbase entry with id 99"),
    (("delete", "99"), "Error: no termbase entry with id 99"),
    (("export", "-o", "out.xlsx"), "Error: out.xlsx: the output must end in .tbx, .csv or .tsv"),
])
def test_errors_are_one_line(db: Path, args: tuple[str, ...], error: str) -> None:
    r = run(db, *args)
    assert r.exit_code == 1
    assert r.output == error + "\n"


def test_lookup_without_store(tmp_path: Path) -> None:
    r = run(tmp_path / "none.db", "lookup", "x")
    assert r.exit_code == 1
    assert r.output == (f"Error: {tmp_path / 'none.db'}: no such store "
                        "(create one with an import first)\n")


def test_add_merges_and_other_languages(db: Path) -> None:
    r = run(db, "add", "--fr", "OTAN", "--en", "NATO", "--term", "de=NATO")
    assert r.output.splitlines()[0] == "merged into entry #2"
    r = run(db, "list", "--format", "json")
    entries = json.loads(r.output)
    assert [[t["lang"] for t in e["terms"]] for e in entries] == [["fr", "fr", "en"],
                                                                  ["fr", "en", "de"]]


def test_a_context_goes_to_the_terms_of_its_language(db: Path) -> None:
    def contexts(*args: str) -> list[tuple[str, str | None]]:
        r = run(db, "add", *args, "--format", "json")
        return [(t["text"], t.get("context")) for t in json.loads(r.output)[0]["terms"]]

    assert contexts("--fr", "pomme", "--en", "apple", "--context", "Une pomme par jour.") == [
        ("pomme", "Une pomme par jour."), ("apple", None)]
    assert contexts("--fr", "poire", "--en", "pear", "--context",
                    "Pears are ripe in autumn.") == [("poire", None),
                                                     ("pear", "Pears are ripe in autumn.")]
    assert contexts("--fr", "kiwi", "--en", "kiwi", "--context", "Kiwi!") == [
        ("kiwi", "Kiwi!"), ("kiwi", "Kiwi!")]  # nothing tells: both keep it
    cid = json.loads(run(db, "add", "--fr", "prune", "--en", "plum", "--format",
                         "json").output)[0]["id"]
    r = run(db, "edit", str(cid), "--context", "Je mange une prune par jour.", "--format", "json")
    assert [(t["text"], t.get("context")) for t in json.loads(r.output)[0]["terms"]] == [
        ("prune", "Je mange une prune par jour."), ("plum", None)]


def test_a_term_without_an_equivalent_in_the_target_language_is_shown(db: Path) -> None:
    run(db, "add", "--fr", "lapin", "--term", "de=Kaninchen")
    r = run(db, "lookup", "lapin", "--tgt", "en")
    assert r.exit_code == 0 and r.output.startswith("lapin (fr) -> no en equivalent")


def test_a_context_in_no_language_of_the_terms_is_told(db: Path) -> None:
    r = run(db, "add", "--en", "rate", "--context", "Le taux de change a beaucoup augmenté.")
    assert "Warning: the context reads as fr, and no term given is in fr" in r.stderr


def test_edit_without_anything_to_change_is_refused(db: Path) -> None:
    r = run(db, "edit", "1")
    assert r.exit_code == 1 and r.output.startswith("Error: nothing to change")


def test_edit_delete_list(db: Path) -> None:
    r = run(db, "edit", "2", "--en", "North Atlantic Treaty Organization", "--en", "NATO",
            "--subject", "défense")
    assert r.exit_code == 0, r.output
    assert r.output.splitlines() == [
        "updated entry #2",
        "#2  fr: OTAN   en: North Atlantic Treaty Organization | NATO"]
    r = run(db, "edit", "2", "--status", "preferred", "--format", "json")
    assert {t["status"] for t in json.loads(r.output)[0]["terms"]} == {"preferred"}
    r = run(db, "edit", "1", "--definition", "", "--format", "json")
    assert "definition" not in json.loads(r.output)[0]
    assert run(db, "delete", "1").output == "deleted entry #1\n"
    r = run(db, "list", "--format", "tsv")
    assert r.output.splitlines()[0] == "id\tlang\tterm\tstatus\tpos\tsubject\tdefinition"
    assert {line.split("\t")[0] for line in r.output.splitlines()[1:]} == {"2"}
    assert run(db, "list", "--lang", "de").output == ""


def test_import_export_round_trip(db: Path, tmp_path: Path) -> None:
    for name in ("out.tbx", "out.csv", "out.tsv"):
        out = tmp_path / name
        r = run(db, "export", "-o", str(out), "--langs", "fr,en")
        assert r.output == f"{out}: 2 entries\n"
        fresh = tmp_path / f"{name}.db"
        r = run(fresh, "import", str(out), "--format", "json")
        assert json.loads(r.output) == [{"file": str(out), "entries": 2, "added": 2, "merged": 0,
                                         "skipped": []}]
        assert run(fresh, "list").output == run(db, "list").output


def test_import_tbx_and_csv_with_summary(db: Path, tmp_path: Path) -> None:
    csv_file = tmp_path / "terms.csv"
    csv_file.write_text("French;English\nOTAN;NATO\ncessez-le-feu;ceasefire\n", encoding="utf-8")
    r = run(db, "import", str(DATA / "v2_statuses.tbx"), str(csv_file))
    assert r.exit_code == 0, r.output
    assert r.output.splitlines() == [
        f"{DATA / 'v2_statuses.tbx'}: 2 entries (2 new, 0 merged, 1 reported below)",
        f"  {DATA / 'v2_statuses.tbx'}, line 64: <termEntry> without any term skipped",
        f"{csv_file}: 2 entries (0 new, 2 merged)",
    ]


@pytest.mark.parametrize("bad_first", [True, False])
def test_a_bad_file_does_not_stop_the_others(db: Path, tmp_path: Path,
                                             bad_first: bool) -> None:
    good = tmp_path / "good.csv"
    good.write_text("fr,en\ncessez-le-feu,ceasefire\n", encoding="utf-8")
    bad = DATA / "malformed.tbx"
    files = [str(bad), str(good)] if bad_first else [str(good), str(bad)]
    r = CliRunner().invoke(main, ["glossary", "import", *files, "--db", str(db)])
    assert r.exit_code == 1
    assert r.stdout.splitlines() == [f"{good}: 1 entry (1 new, 0 merged)",
                                      "1 of 2 file(s) not imported"]
    (error,) = r.stderr.splitlines()
    assert error.startswith(f"Error: {bad}, line 9: malformed XML")
    assert "ceasefire" in run(db, "list").output


def test_import_json_and_tsv_list_every_file(db: Path, tmp_path: Path) -> None:
    good = tmp_path / "good.csv"
    good.write_text("fr,en\ncessez-le-feu,ceasefire\n,\n", encoding="utf-8")
    missing = tmp_path / "missing.tbx"
    r = CliRunner().invoke(main, ["glossary", "import", str(missing), str(good), "--db",
                                  str(db), "--format", "json"])
    assert r.exit_code == 1
    assert json.loads(r.stdout) == [
        {"file": str(missing), "error": f"{missing}: no such file"},
        {"file": str(good), "entries": 1, "added": 1, "merged": 0, "skipped": []}]
    r = CliRunner().invoke(main, ["glossary", "import", str(good), str(missing), "--db",
                                  str(db), "--format", "tsv"])
    assert r.stdout.splitlines() == ["file\tentries\tadded\tmerged\tskipped\terror",
                                     f"{good}\t1\t0\t1\t0\t",
                                     f"{missing}\t\t\t\t\t{missing}: no such file"]


def test_import_encoding_option(db: Path, tmp_path: Path) -> None:
    excel = tmp_path / "excel.csv"
    excel.write_bytes("fr;en\nsécurité;security\n".encode("cp1252"))
    r = run(db, "import", str(excel))
    assert r.exit_code == 1 and "--encoding" in r.output
    r = run(db, "import", str(excel), "--encoding", "cp1252")
    assert r.exit_code == 0, r.output
    assert "fr: sécurité" in run(db, "list").output


def test_a_bad_file_imports_nothing(db: Path) -> None:
    r = run(db, "import", str(DATA / "malformed.tbx"))
    assert r.exit_code == 1
    assert r.output.startswith(f"Error: {DATA / 'malformed.tbx'}, line 9: malformed XML")
    assert "open" not in run(db, "list").output  # the file's first entry was rolled back


def test_list_json_and_export_show_every_field(tmp_path: Path) -> None:
    db = tmp_path / "levels.db"
    assert run(db, "import", str(DATA / "tbx_basic_levels.tbx")).exit_code == 0
    (e,) = json.loads(run(db, "list", "--format", "json").output)
    assert e["extra"] == {"definition:fr": "Promesse de protection.",
                          "definition:en": "A commitment to protect."}
    assert {"name": "xGraphic", "value": "Image", "target": "https://example.org/fr.png",
            "lang": "fr"} in e["data"]
    fr = e["terms"][0]
    assert (fr["created"], fr["modified"]) == ("2001-05-07T10:57:25Z", "2001-05-08T09:00:00Z")
    assert {"name": "geographicalUsage", "value": "Belgique"} in fr["data"]
    out = tmp_path / "levels.tbx"
    r = CliRunner().invoke(main, ["glossary", "export", "-o", str(out), "--db", str(db)])
    assert r.exit_code == 0
    assert r.stdout == f"{out}: 1 entry\n"
    assert r.stderr.splitlines() == [
        f"warning: {out}, line 24: crossReference 'cessez-le-feu' written without its target "
        "'c2' (TBX-Basic wants a web address or an id of the same file)",
        f"warning: {out}, line 64: crossReference 'trêve' written without its target 'c2' "
        "(TBX-Basic wants a web address or an id of the same file)"]


def test_language_definition_stays_with_its_language(tmp_path: Path) -> None:
    tbx = tmp_path / "lang_def.tbx"
    tbx.write_text(
        '<?xml version="1.0"?><martif type="TBX"><text><body><termEntry id="c1">'
        '<langSet xml:lang="de"><descripGrp><descrip type="definition">Ausrichtung von Text'
        '</descrip></descripGrp><ntig><termGrp><term>Ausrichtung</term></termGrp></ntig>'
        '</langSet><langSet xml:lang="en"><ntig><termGrp><term>alignment</term></termGrp>'
        '</ntig></langSet></termEntry></body></text></martif>', encoding="utf-8")
    db = tmp_path / "g.db"
    assert run(db, "import", str(tbx)).exit_code == 0
    out = tmp_path / "out.tbx"
    assert run(db, "export", "-o", str(out)).exit_code == 0
    text = out.read_text(encoding="utf-8")
    de = text.index('<langSec xml:lang="de">')
    assert de < text.index('type="definition">Ausrichtung von Text') < text.index(
        '<langSec xml:lang="en">')
    assert run(db, "lookup", "alignment").output.splitlines() == [
        "alignment (en) -> de: Ausrichtung    [exact 100, #1]"]
    assert run(db, "lookup", "Ausrichtung").output.splitlines()[1] == (
        "    definition (de): Ausrichtung von Text")


def test_a_directory_given_as_a_file_is_named_and_the_other_files_imported(
        db_path: Path, tmp_path: Path) -> None:
    folder = tmp_path / "terms.tbx"
    folder.mkdir()
    good = tmp_path / "ok.csv"
    good.write_text("fr,en\ntrêve,truce\n", encoding="utf-8")
    r = run(db_path, "import", str(good), str(folder), "--format", "json")
    assert r.exit_code == 1
    assert json.loads(r.stdout) == [
        {"file": str(good), "entries": 1, "added": 1, "merged": 0, "skipped": []},
        {"file": str(folder), "error": f"{folder}: is a directory, not a file"}]
    r = CliRunner().invoke(main, ["align", str(folder), str(good)])
    assert (r.exit_code, r.stderr.strip()) == (1, f"Error: {folder}: is a directory, not a file")
