"""``tmtool tm``: exit codes, JSON output and one-line errors."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path
from typing import Any

import pytest
from click.testing import CliRunner

from tmtool.cli import main

DATA = Path(__file__).parent / "data" / "tm"


def run(*args: str, env: dict[str, str] | None = None) -> tuple[int, str, str]:
    result = CliRunner().invoke(main, ["tm", *args], env=env)
    return result.exit_code, result.stdout, result.stderr


@pytest.fixture
def db(tmp_path: Path) -> str:
    path = str(tmp_path / "tm.db")
    code, out, _ = run("import", str(DATA / "memory.tmx"), "--db", path)
    assert code == 0, out
    return path


def test_import_prints_a_summary_per_file_and_a_total(tmp_path: Path) -> None:
    path = str(tmp_path / "tm.db")
    code, out, err = run("import", str(DATA / "memory.tmx"), str(DATA / "duplicates.tmx"),
                         "--db", path)
    assert code == 0 and err == ""  # no progress bar when stderr is not a terminal
    lines = out.splitlines()
    assert lines[0].endswith("memory.tmx: 5 units read, 5 added, 0 merged with existing units, "
                             "0 skipped")
    assert "duplicates.tmx: 4 units read, 1 added, 2 merged" in lines[1]
    assert lines[2].startswith("  skipped line ") and "fewer than two" in lines[2]
    assert lines[-1] == "total: 9 units read, 6 added, 2 merged, 1 skipped"


def test_import_json_and_origin(tmp_path: Path) -> None:
    path = str(tmp_path / "tm.db")
    code, out, _ = run("import", str(DATA / "memory.tmx"), "--origin", "client-a", "--db", path,
                       "--format", "json")
    assert code == 0
    report = json.loads(out)[0]
    assert (report["read"], report["added"], report["origin"]) == (5, 5, "client-a")
    code, out, _ = run("stats", "--db", path, "--format", "json")
    assert json.loads(out)["origins"] == {"client-a": 5}


def test_import_of_a_broken_file_is_one_error_line(tmp_path: Path) -> None:
    path = str(tmp_path / "tm.db")
    code, out, err = run("import", str(DATA / "broken_at_end.tmx"), "--db", path)
    assert code == 1
    assert err.startswith(f"Error: {DATA / 'broken_at_end.tmx'}, line ")
    assert len(err.strip().splitlines()) == 1
    code, out, _ = run("stats", "--db", path, "--format", "json")
    assert json.loads(out)["units"] == 0


def test_import_goes_on_after_a_file_that_fails(tmp_path: Path) -> None:
    path = str(tmp_path / "tm.db")
    broken, missing = DATA / "broken_at_end.tmx", tmp_path / "none.tmx"
    code, out, err = run("import", str(DATA / "memory.tmx"), str(broken), str(missing),
                         str(DATA / "duplicates.tmx"), "--db", path)
    assert code == 1
    errors = err.splitlines()
    assert errors[0] == f"Error: {missing}: no such file"  # found before anything is imported
    assert errors[1].startswith(f"Error: {broken}, line ") and len(errors) == 2
    assert "memory.tmx: 5 units read" in out and "duplicates.tmx: 4 units read" in out
    assert out.splitlines()[-1].endswith("2 file(s) not imported")
    code, out, _ = run("import", str(DATA / "memory.tmx"), str(broken), "--db", path,
                       "--format", "json")
    assert code == 1
    first, second = json.loads(out)
    assert first["merged"] == 5 and second["file"] == str(broken) and "line" in second["error"]
    code, out, _ = run("import", str(DATA / "memory.tmx"), str(broken), "--db", path,
                       "--format", "tsv")
    rows = [line.split("\t") for line in out.splitlines()]
    assert rows[0] == ["file", "read", "added", "merged", "skipped", "error"]
    assert rows[1][:4] == [str(DATA / "memory.tmx"), "5", "0", "5"] and rows[1][5] == ""
    assert rows[2][:5] == [str(broken), "", "", "", ""] and "line" in rows[2][5]


@pytest.mark.skipif(not hasattr(os, "mkfifo"), reason="named pipes are POSIX")
def test_import_reads_a_named_pipe(tmp_path: Path) -> None:
    import threading

    fifo = tmp_path / "units.tmx"
    os.mkfifo(fifo)

    def write() -> None:
        with open(fifo, "wb") as out:
            out.write((DATA / "memory.tmx").read_bytes())

    writer = threading.Thread(target=write, daemon=True)
    writer.start()
    result = subprocess.run([sys.executable, "-c", "from tmtool.cli import main; main()", "tm",
                             "import", str(fifo), "--db", str(tmp_path / "tm.db")],
                            capture_output=True, text=True, timeout=60, check=False)
    assert result.returncode == 0, result.stderr
    assert "5 units read, 5 added" in result.stdout


def test_import_of_files_that_cannot_be_opened_creates_no_store(tmp_path: Path) -> None:
    path = tmp_path / "tm.db"
    code, out, err = run("import", str(tmp_path / "none.tmx"), str(tmp_path), "--db", str(path))
    assert code == 1 and out == ""
    assert err.splitlines() == [f"Error: {tmp_path / 'none.tmx'}: no such file",
                                f"Error: {tmp_path}: is a directory, not a file"]
    assert not path.exists()


def test_lookup_json(db: str) -> None:
    code, out, _ = run("lookup", "Le chat dort sur le canape du salon", "--db", db,
                       "--format", "json")
    assert code == 0
    best = json.loads(out)[0]
    assert best["target"] == "The cat is sleeping on the living-room sofa."
    # "canape" is another word than "canapé" (as "tue" is not "tué"): one word in eight
    assert best["score"] == 86.5 and best["penalties"] == ["accents", "punctuation"]
    assert (best["source_lang"], best["target_lang"]) == ("fr-FR", "en-GB")


def test_lookup_text_and_tsv(db: str) -> None:
    code, out, _ = run("lookup", "Votre colis de 5 kg sera livré le 14 mars.", "--db", db)
    assert code == 0
    assert out.splitlines()[:3] == [
        " 98.0%  (numbers)", "  fr-FR: Votre colis de 3 kg sera livré le 12 mars.",
        "  en-GB: Your 3 kg parcel will be delivered on 12 March."]  # the stored tags
    code, out, _ = run("lookup", "Your 3 kg parcel will be delivered on 12 March.", "--src",
                       "en", "--tgt", "fr", "--db", db, "--format", "tsv")
    assert out.splitlines()[0] == ("score\tpenalties\tsource\ttarget\tunit_id\torigin\t"
                                   "source_lang\ttarget_lang\tsource_markup\ttarget_markup")
    assert out.splitlines()[1].startswith("100.0\t\tYour 3 kg parcel")
    assert out.splitlines()[1].endswith("\ten-GB\tfr-FR\t\t")  # no inline codes


def test_lookup_gives_the_inline_codes_to_scripts(db: str) -> None:
    """A tool putting the translation back needs its tags, which plain text leaves out."""
    code, out, _ = run("lookup", "Cliquez sur Enregistrer pour garder vos réglages.", "--db",
                       db, "--format", "json")
    assert code == 0
    best = json.loads(out)[0]
    assert (best["score"], best["penalties"]) == (99.0, ["tags"])
    assert best["target"] == "Click Save to keep your settings."
    assert best["target_markup"] == ('Click <bpt i="1">&lt;b&gt;</bpt>Save<ept i="1">&lt;/b&gt;'
                                     '</ept> to keep your settings.')
    assert best["source_markup"].startswith('Cliquez sur <bpt i="1">')



def test_lookup_without_match_says_so_on_stderr(db: str) -> None:
    code, out, err = run("lookup", "Rien à voir.", "--db", db, "--min", "90")
    assert (code, out, err) == (0, "", "no match at 90% or above\n")


def test_db_comes_from_the_environment(db: str) -> None:
    code, out, _ = run("lookup", "Le chat dort sur le canapé du salon.", "--format", "json",
                       env={"TMTOOL_DB": db})
    assert code == 0 and json.loads(out)[0]["score"] == 100.0


def test_missing_store_is_one_error_line(tmp_path: Path) -> None:
    missing = tmp_path / "none.db"
    doc = tmp_path / "doc.txt"
    doc.write_text("Le chat dort.\n", encoding="utf-8")
    for command in (["stats"], ["lookup", "x"], ["concordance", "x"], ["export", "-o", "o.tmx"],
                    ["analyse", str(doc)]):
        code, _, err = run(*command, "--db", str(missing))
        assert code == 1
        assert err == f"Error: {missing}: no such store (create one with an import first)\n"
    assert not missing.exists()


def test_concordance_json_has_spans(db: str) -> None:
    code, out, _ = run("concordance", "CANAPE", "--db", db, "--format", "json")
    assert code == 0
    (hit,) = json.loads(out)
    start, end = hit["source_spans"][0]
    assert hit["source"][start:end] == "canapé"
    assert hit["target"] == "The cat is sleeping on the living-room sofa."
    assert hit["source_markup"] is None is hit["target_markup"]
    code, out, _ = run("concordance", "Enregistrer", "--db", db, "--format", "json")
    (hit,) = json.loads(out)
    assert hit["target"] == "Click Save to keep your settings."
    assert hit["target_markup"].startswith('Click <bpt i="1">&lt;b&gt;</bpt>Save<ept i="1">')


def test_concordance_text_shows_both_sides(db: str) -> None:
    code, out, _ = run("concordance", "sofa", "--lang", "en", "--db", db)
    assert code == 0
    head, row = out.rstrip("\n").split("\n")
    assert [x.strip() for x in head.split(" | ")] == ["en-GB", "fr-FR"]  # the columns' tags
    left, right = row.split(" | ")
    assert left.startswith("The cat is sleeping") and right.startswith("Le chat dort")
    assert "\x1b[" not in out  # no colour when not on a terminal
    code, _, err = run("concordance", "!!", "--db", db)
    assert code == 1 and err == "Error: nothing to search for in '!!': give at least one word\n"


def test_concordance_text_keeps_one_language_per_column(tmp_path: Path) -> None:
    """A number or a name occurs in both languages: whichever side it was found in, the
    columns do not swap from one line to the next."""
    from tmtool.memory import add_units
    from tmtool.model import TranslationUnit, Variant
    from tmtool.store import Store

    path = str(tmp_path / "n.db")
    with Store(path) as store:
        add_units(store, [TranslationUnit((Variant("fr-FR", fr), Variant("en-GB", en)))
                          for fr, en in (("Article 5, alinéa 2.", "Paragraph two."),
                                         ("Voir l'article 5.", "See above."),
                                         ("L'article 5 s'applique.", "Article 5 applies."))])
    code, out, _ = run("concordance", "article 5", "--db", path)
    assert code == 0
    lefts = [line.split(" | ")[0] for line in out.splitlines()[1:]]
    assert out.splitlines()[0].split() == ["fr-FR", "|", "en-GB"]
    assert len(lefts) == 3 and all(x.startswith(("Article 5,", "Voir", "L'article")) for x in lefts)


def test_export_and_bad_date(db: str, tmp_path: Path) -> None:
    out_file = tmp_path / "out.tmx"
    code, out, _ = run("export", "-o", str(out_file), "--src", "fr", "--tgt", "en", "--db", db)
    assert (code, out) == (0, f"5 units written to {out_file}\n")
    assert out_file.read_bytes().startswith(b"<?xml")
    code, _, err = run("export", "-o", str(out_file), "--since", "last week", "--db", db)
    assert code == 1
    assert err == ("Error: --since 'last week': expected a date such as 2024-01-31, "
                   "20240131T120000Z or 2024-01-31T14:00+02:00\n")


def test_export_never_writes_over_a_store(db: str, tmp_path: Path) -> None:
    """``-o tmtool.db`` for ``-o tmtool.tmx`` would have cost the whole memory."""
    before = Path(db).read_bytes()
    for target in (db, str(tmp_path / "other.db")):
        if target != db:
            run("import", str(DATA / "memory.tmx"), "--db", target)
        code, out, err = run("export", "-o", target, "--db", db)
        assert code == 1 and out == ""
        assert err == (f"Error: {target}: is a SQLite database (a store?); refusing to write "
                       f"over it\n")
    assert Path(db).read_bytes() == before
    code, out, _ = run("stats", "--db", db, "--format", "json")
    assert code == 0 and json.loads(out)["units"] == 5
    code, _, err = run("export", "-o", str(tmp_path / "x.tmx"), "--origin", "nope", "--db", db)
    assert code == 1 and "no unit comes from origin 'nope'" in err
    assert not (tmp_path / "x.tmx").exists()


def test_export_to_stdout_keeps_the_report_off_the_tmx(db: str) -> None:
    for fmt in ("json", "tsv", "text"):
        code, out, err = run("export", "-o", "-", "--db", db, "--format", fmt)
        assert code == 0
        assert out.rstrip().endswith("</tmx>")  # stdout is the TMX alone: it can be piped
        assert "5" in err
    code, _, err = run("export", "-o", "-", "--db", db, "--format", "json")
    assert json.loads(err) == {"file": "-", "units": 5}


def test_delete_an_origin(db: str) -> None:
    code, out, err = run("delete", "--db", db)
    assert (code, err) == (1, "Error: nothing selected: give an origin, a date, languages or "
                              "unit ids\n")
    code, out, _ = run("delete", "--origin", "memory.tmx", "--dry-run", "--db", db)
    assert (code, out) == (0, "5 units would be deleted\n")
    code, out, _ = run("import", str(DATA / "duplicates.tmx"), "--db", db)
    code, out, _ = run("delete", "--origin", "duplicates.tmx", "--db", db)
    assert (code, out) == (0, "1 units deleted\n1 units stay, without this origin: another "
                              "import brought them too\n")
    code, out, _ = run("delete", "--origin", "memory.tmx", "--db", db, "--format", "json")
    assert (code, json.loads(out)) == (0, {"deleted": 5, "kept": 0, "dry_run": False})
    code, out, _ = run("stats", "--db", db, "--format", "json")
    assert json.loads(out)["units"] == 0
    code, _, err = run("delete", "--origin", "memory.tmx", "--db", db)
    assert (code, err) == (1, "Error: no unit comes from origin 'memory.tmx' (tm stats lists "
                              "the origins)\n")
    code, _, err = run("delete", "--src", "", "--db", db)
    assert (code, err) == (1, "Error: --src is empty\n")


def test_delete_never_creates_a_store(tmp_path: Path) -> None:
    code, _, err = run("delete", "--origin", "x", "--db", str(tmp_path / "none.db"))
    assert code == 1 and "no such store" in err and not (tmp_path / "none.db").exists()


def test_two_files_of_one_name_are_flagged_at_import(tmp_path: Path) -> None:
    path = str(tmp_path / "tm.db")
    for folder in ("client-a", "client-b"):
        (tmp_path / folder).mkdir()
        (tmp_path / folder / "export.tmx").write_bytes((DATA / "memory.tmx").read_bytes())
    code, _, err = run("import", str(tmp_path / "client-a" / "export.tmx"), "--db", path)
    assert (code, err) == (0, "")
    code, _, err = run("import", str(tmp_path / "client-a" / "export.tmx"), "--db", path)
    assert (code, err) == (0, "")  # the same file again
    code, _, err = run("import", str(tmp_path / "client-b" / "export.tmx"), "--db", path)
    assert code == 0
    a, b = ((tmp_path / f / "export.tmx").resolve() for f in ("client-a", "client-b"))
    assert err == (f"Warning: {b}: origin 'export.tmx' already names the units imported from "
                   f"{a}; this file's units join them (give --origin to keep them apart)\n")
    code, _, err = run("import", str(tmp_path / "client-b" / "export.tmx"), "--origin", "b",
                       "--db", path)
    assert (code, err) == (0, "")


def test_stats_text(db: str) -> None:
    code, out, _ = run("stats", "--db", db)
    assert code == 0
    assert "units" in out and "memory.tmx" in out


def test_the_installed_command_answers_a_lookup(db: str) -> None:
    env = {**os.environ, "TMTOOL_DB": db}
    proc = subprocess.run([sys.executable, "-c", "from tmtool.cli import main; main()", "tm",
                           "lookup", "Le chat dort sur le canapé du salon.", "--format", "json"],
                          capture_output=True, text=True, env=env, check=False)
    assert proc.returncode == 0, proc.stderr
    assert json.loads(proc.stdout)[0]["score"] == 100.0


def test_analyse_reports_match_bands(db: str, tmp_path: Path) -> None:
    doc = tmp_path / "new.fr.txt"
    doc.write_text("Le chat dort sur le canapé du salon.\nUne phrase entièrement nouvelle.\n"
                   "Le chat dort sur le canapé du salon.\n", encoding="utf-8")
    code, out, _ = run("analyse", str(doc), "--segmented", "--db", db)
    assert code == 0
    rows = {line.split()[0]: line.split()[1:] for line in out.splitlines()[2:]}
    assert rows["100%"][:2] == ["1", "8"] and rows["repetitions"][:2] == ["1", "8"]
    assert rows["total"][:2] == ["3", "20"]

    code, out, _ = run("analyse", str(doc), "--segmented", "--details", "--format", "json",
                       "--db", db)
    data = json.loads(out)
    assert [s["band"] for s in data["segments"]] == ["100%", "no match", "repetitions"]
    assert data["total"]["words"] == 20
    assert next(b for b in data["bands"] if b["band"] == "100%")["percent_words"] == 40.0

    code, out, _ = run("analyse", str(doc), "--segmented", "--format", "tsv", "--db", db)
    lines = out.splitlines()
    assert lines[0].split("\t") == ["band", "segments", "words", "characters", "percent_words"]
    assert lines[-1].split("\t")[:3] == ["total", "3", "20"]


def test_analyse_of_a_missing_file_is_one_error_line(db: str, tmp_path: Path) -> None:
    code, out, err = run("analyse", str(tmp_path / "none.txt"), "--db", db)
    assert code == 1 and out == ""
    assert len(err.strip().splitlines()) == 1 and "none.txt" in err


def test_analyse_details_list_each_segment(db: str, tmp_path: Path) -> None:
    doc = tmp_path / "new.fr.txt"
    doc.write_text("Le chat dort sur le canapé du salon.\nUne phrase entièrement nouvelle.\n"
                   "Le chat dort sur le canapé du salon !\n", encoding="utf-8")
    code, out, _ = run("analyse", str(doc), "--segmented", "--details", "--db", db)
    assert code == 0
    lines = out.splitlines()
    assert lines[0].split() == ["1", "100.0%", "Le", "chat", "dort", "sur", "le", "canapé", "du",
                                "salon."]
    assert lines[1].strip() == "The cat is sleeping on the living-room sofa."
    assert lines[2].split()[:2] == ["2", "new"]
    assert lines[0].index("Le chat") == lines[2].index("Une phrase")  # one text column
    assert lines[3].split()[:2] == ["3", "99.0%"] and lines[3].endswith("(punctuation)")
    code, out, _ = run("analyse", str(doc), "--segmented", "--details", "--format", "tsv",
                       "--db", db)
    rows = [line.split("\t") for line in out.splitlines()]
    assert rows[0] == ["segment", "band", "score", "words", "characters", "text",
                       "match_source", "match_target", "penalties"]
    assert rows[1][:4] == ["1", "100%", "100.0", "8"] and rows[1][-1] == ""
    assert rows[2][:3] == ["2", "no match", ""]
    assert rows[3][:3] == ["3", "95-99%", "99.0"] and rows[3][-1] == "punctuation"
    code, out, _ = run("analyse", str(doc), "--segmented", "--details", "--format", "json",
                       "--db", db)
    assert json.loads(out)["segments"][2]["penalties"] == ["punctuation"]


def test_analyse_warns_when_the_memory_lacks_a_language(db: str, tmp_path: Path) -> None:
    doc = tmp_path / "doc.txt"
    doc.write_text("Le chat dort sur le canapé du salon.\n", encoding="utf-8")
    code, out, err = run("analyse", str(doc), "--tgt", "de", "--db", db)
    assert code == 0 and "no match" in out
    assert err.startswith("warning: the memory holds no de segments, nothing can match (its "
                          "languages: ") and "fr-FR" in err
    code, out, err = run("analyse", str(doc), "--src", "en", "--db", db)  # --tgt is en too
    assert code == 1 and out == ""
    assert err == "Error: the source and target languages are both en: a translation needs two\n"


def test_language_codes_the_memory_lacks_are_named(db: str, tmp_path: Path) -> None:
    out = tmp_path / "out.tmx"
    out.write_text("keep", encoding="utf-8")
    for args in (["--src", "fra", "--tgt", "eng"], ["--src", "de-AT"], ["--tgt", "fr FR"],
                 ["--src", "fr-FR,"], ["--src", "*all*"]):
        code, _, err = run("export", "-o", str(out), "--db", db, *args)
        assert code in (1, 2) and err.startswith("Error: ") and err.count("\n") == 1, args
        assert out.read_text(encoding="utf-8") == "keep"  # nothing written over it
    code, _, err = run("export", "-o", str(out), "--db", db, "--src", "fra")
    assert "the memory holds no such segments (its languages: " in err
    code, _, err = run("delete", "--src", "eng", "--db", db)
    assert code == 1 and "no such segments" in err
    code, out_, err = run("lookup", "Le chat dort.", "--src", "fra", "--tgt", "en", "--db", db)
    assert code == 0 and "the memory holds no fra segments" in err
    code, _, err = run("lookup", "Le chat dort.", "--src", "fr FR", "--db", db)
    assert code == 0 and "the memory holds no fr FR segments" in err
    code, _, err = run("concordance", "chat", "--lang", "de", "--db", db)
    assert code == 0 and "no unit contains 'chat' in de" in err and "holds no de" in err


def test_standard_input_is_imported_once(tmp_path: Path) -> None:
    result = CliRunner().invoke(main, ["tm", "import", "-", "-", "--db", str(tmp_path / "t.db")],
                                input=(DATA / "memory.tmx").read_bytes())
    assert result.exit_code == 1
    assert result.stderr == "Error: -: standard input is read once; given again\n"
    assert result.stdout.startswith("-: 5 units read, 5 added")


def test_latin1_bytes_in_a_utf8_file_are_read_and_reported(tmp_path: Path) -> None:
    tmx = tmp_path / "latin1.tmx"
    tmx.write_bytes(
        b'<?xml version="1.0" encoding="UTF-8"?>\n<tmx version="1.4"><header srclang="fr"/>\n'
        b'<body>\n<tu><tuv xml:lang="fr"><seg>ok</seg></tuv><tuv xml:lang="en"><seg>ok</seg>'
        b'</tuv></tu>\n<tu><tuv xml:lang="fr"><seg>s\xe9curit\xe9</seg></tuv>'
        b'<tuv xml:lang="en"><seg>security</seg></tuv></tu>\n</body></tmx>\n')
    path = str(tmp_path / "tm.db")
    code, out, err = run("import", str(tmx), "--db", path)
    assert code == 0 and "2 added" in out
    assert err == (f"Warning: {tmx}, line 5: not valid UTF-8 as declared; bytes read as "
                   f"Windows-1252 (check the accents)\n")
    code, out, _ = run("concordance", "securite", "--db", path, "--format", "json")
    assert json.loads(out)[0]["source"] == "sécurité"


def test_a_file_read_by_a_second_process_is_reported_once(tmp_path: Path) -> None:
    tmx = tmp_path / "latin1.tmx"
    tmx.write_bytes(
        b'<?xml version="1.0" encoding="UTF-8"?>\n<tmx version="1.4"><header srclang="fr"/>\n'
        b'<body>\n<tu><tuv xml:lang="fr"><seg>s\xe9curit\xe9</seg></tuv>'
        b'<tuv xml:lang="en"><seg>security</seg></tuv></tu>\n</body></tmx>\n')
    code = ("import sys; from tmtool import tmrows; tmrows.PARALLEL_MIN_BYTES = 0\n"
            "from tmtool.cli import main; main()")
    proc = subprocess.run([sys.executable, "-c", code, "tm", "import", str(tmx), "--db",
                           str(tmp_path / "tm.db")], capture_output=True, text=True,
                          check=False, timeout=120)
    assert proc.returncode == 0, proc.stderr
    assert proc.stderr.count("Warning:") == 1 and "line 4" in proc.stderr


def test_empty_lookups_and_inner_wildcards_are_refused(db: str) -> None:
    code, _, err = run("lookup", "  ", "--db", db)
    assert code == 1 and err == "Error: nothing to look up: the sentence is empty\n"
    for phrase in ("garan*ies", "*antie"):
        code, _, err = run("concordance", phrase, "--db", db)
        assert code == 1 and "a * ends a word" in err


def test_since_tells_how_many_units_it_leaves_out_for_having_no_date(tmp_path: Path) -> None:
    tmx = tmp_path / "undated.tmx"
    tmx.write_text('<tmx version="1.4"><header srclang="fr"/><body><tu><tuv xml:lang="fr">'
                   '<seg>Oui</seg></tuv><tuv xml:lang="en"><seg>Yes</seg></tuv></tu><tu '
                   'changedate="20250101T000000Z"><tuv xml:lang="fr"><seg>Non</seg></tuv>'
                   '<tuv xml:lang="en"><seg>No</seg></tuv></tu></body></tmx>', encoding="utf-8")
    path = str(tmp_path / "tm.db")
    assert run("import", str(tmx), "--db", path)[0] == 0
    code, out, err = run("export", "-o", str(tmp_path / "o.tmx"), "--since", "2024-01-01",
                         "--db", path)
    assert (code, out.strip()) == (0, f"1 units written to {tmp_path / 'o.tmx'}")
    assert err.strip() == "warning: 1 unit(s) carry no date: --since leaves them out"
    code, out, err = run("delete", "--since", "2024-01-01", "--dry-run", "--db", path)
    assert "1 unit(s) carry no date" in err
    code, out, err = run("export", "-o", str(tmp_path / "o.tmx"), "--db", path)
    assert err == ""


def test_export_src_makes_each_unit_s_source_the_language_asked_for(tmp_path: Path) -> None:
    tmx = tmp_path / "en.tmx"
    tmx.write_text('<tmx version="1.4"><header srclang="en-US"/><body><tu><tuv xml:lang="en-US">'
                   '<seg>Hello world</seg></tuv><tuv xml:lang="fr-FR"><seg>Bonjour le monde'
                   '</seg></tuv></tu></body></tmx>', encoding="utf-8")
    path = str(tmp_path / "tm.db")
    assert run("import", str(tmx), "--db", path)[0] == 0
    out = tmp_path / "fr-en.tmx"
    assert run("export", "-o", str(out), "--src", "fr-FR", "--tgt", "en", "--db", path)[0] == 0
    text = out.read_text(encoding="utf-8")
    assert 'srclang="fr-FR"' in text and 'srclang="en-US"' not in text


def test_tags_typed_in_a_sentence_are_inline_codes(db: str, tmp_path: Path) -> None:
    # stored: Cliquez sur <bpt>&lt;b&gt;</bpt>Enregistrer<ept>&lt;/b&gt;</ept> pour ...
    typed = "Cliquez sur <b>Enregistrer</b> pour garder vos réglages."
    code, out, _ = run("lookup", typed, "--db", db, "--format", "json")
    assert code == 0
    assert [(m["score"], m["penalties"]) for m in json.loads(out)][:1] == [(100.0, [])]
    code, out, _ = run("lookup", "Cliquez sur <x1/>Enregistrer pour garder vos réglages.",
                       "--db", db, "--format", "json")
    assert json.loads(out)[0]["score"] == 99.0 and json.loads(out)[0]["penalties"] == ["tags"]
    for other in ("Cliquez sur <i>Enregistrer</i> pour garder vos réglages.",
                  "<b>Cliquez</b> sur Enregistrer pour garder vos réglages."):
        code, out, _ = run("lookup", other, "--db", db, "--format", "json")
        assert [(m["score"], m["penalties"]) for m in json.loads(out)][:1] == [(99.0, ["tags"])]
    code, out, _ = run("lookup", typed, "--db", db, "--format", "json", "--no-tags")
    assert json.loads(out)[0]["score"] < 90  # "b" twice is read as words
    doc = tmp_path / "doc.txt"
    doc.write_text(typed + "\n", encoding="utf-8")
    code, out, _ = run("analyse", str(doc), "--db", db, "--segmented", "--format", "json")
    bands = {b["band"]: b for b in json.loads(out)["bands"]}
    assert bands["100%"]["segments"] == 1 and bands["100%"]["words"] == 7  # no tag a word


def test_concordance_warns_when_no_segment_has_the_variant_asked_for(tmp_path: Path) -> None:
    tmx = tmp_path / "de.tmx"
    tmx.write_text(
        '<tmx version="1.4"><header creationtool="t" creationtoolversion="1" segtype="sentence"'
        ' o-tmf="t" adminlang="en" srclang="de-DE" datatype="plaintext"/><body><tu>'
        '<tuv xml:lang="de-DE"><seg>Bitte warten.</seg></tuv>'
        '<tuv xml:lang="en-GB"><seg>Please wait.</seg></tuv></tu></body></tmx>',
        encoding="utf-8")
    db = str(tmp_path / "de.db")
    assert run("import", str(tmx), "--db", db)[0] == 0
    code, _, err = run("concordance", "warten", "--db", db, "--lang", "de-AT")
    assert code == 0 and ("warning: the memory holds no de-AT segments (nor any tagged only "
                          "de), nothing can match (its languages: de-DE, en-GB)") in err
    code, out, err = run("concordance", "warten", "--db", db, "--lang", "de")
    assert "warning" not in err and "Bitte warten." in out


def test_a_sentence_starting_with_a_dash_comes_after_two_dashes(db: str) -> None:
    code, out, _ = run("lookup", "--db", db, "--format", "json", "--",
                       "- Le chat dort sur le canapé du salon.")
    assert code == 0 and json.loads(out)[0]["score"] == 99.0  # the dash: punctuation
    assert "--" in CliRunner().invoke(main, ["tm", "lookup", "--help"]).stdout


def test_ctrl_c_says_which_files_are_stored(tmp_path: Path,
                                            monkeypatch: pytest.MonkeyPatch) -> None:
    """Ctrl-C while a file is imported: the files before it are stored, it is not; after the
    last import (the store closing), every file is stored. Said in one line, exit 130."""
    import tmtool.cli.tm as tm_cli
    from tmtool.store import Store

    path = str(tmp_path / "tm.db")
    first, second = DATA / "memory.tmx", DATA / "duplicates.tmx"

    def progress(name: str) -> Any:
        def show(count: int) -> None:
            if name == second.name:
                raise KeyboardInterrupt  # inside the second file's transaction
        return show

    monkeypatch.setattr(tm_cli, "progress_enabled", lambda: True)
    monkeypatch.setattr(tm_cli, "_progress", progress)
    code, out, err = run("import", str(first), str(second), "--db", path)
    assert code == 130
    assert err.splitlines()[-1] == (f"Error: interrupted; not imported (nothing of it is "
                                    f"stored): {second}; stored: {first}")
    monkeypatch.undo()
    code, out, _ = run("stats", "--db", path, "--format", "json")
    assert json.loads(out)["origins"] == {"memory.tmx": 5}

    closing = Store.close

    def interrupted_close(self: Store) -> None:
        closing(self)
        raise KeyboardInterrupt

    monkeypatch.setattr(Store, "close", interrupted_close)
    code, out, err = run("import", str(second), "--db", path, "--format", "json")
    assert (code, out) == (130, "")
    assert err == f"Error: interrupted; stored: {second}\n"
    monkeypatch.undo()
    code, out, _ = run("stats", "--db", path, "--format", "json")
    assert json.loads(out)["origins"] == {"memory.tmx": 5, "duplicates.tmx": 2}


def test_concordance_text_shows_both_segments_whole(tmp_path: Path) -> None:
    """A long segment is wrapped, not cut: the translation of the phrase may stand anywhere
    in the target, and a concordance is read for it."""
    from tmtool.memory import add_units
    from tmtool.model import TranslationUnit, Variant
    from tmtool.store import Store

    fr = ("Les États membres ont décidé de renforcer leur soutien militaire, y compris au moyen "
          "de la facilité européenne pour la paix.")
    en = ("The Member States decided to step up their military support, including through "
          "the European Peace Facility.")
    path = str(tmp_path / "w.db")
    with Store(path) as store:
        add_units(store, [TranslationUnit((Variant("fr-FR", fr), Variant("en-GB", en))),
                          TranslationUnit((Variant("fr-FR", "La facilité européenne pour la "
                                                   "paix."),
                                           Variant("en-GB", "The European Peace Facility.")))])
    code, out, _ = run("concordance", "facilité européenne pour la paix", "--db", path,
                       env={"COLUMNS": "80"})
    assert code == 0
    lines = out.splitlines()
    assert all(len(line) <= 80 for line in lines)
    columns = [line.split(" | ") + [""] for line in lines[1:]]
    left = " ".join(c[0].strip() for c in columns if c[0].strip())
    right = " ".join(c[1].strip() for c in columns if c[1].strip())
    assert fr in left and en in right  # whole, in reading order
    assert "" in [line.split("|")[0].strip() + line.split("|")[1].strip()
                  for line in lines[1:]]  # wrapped hits are set apart


def test_ctrl_c_right_after_a_commit_says_the_file_is_stored(tmp_path: Path,
                                                             monkeypatch: pytest.MonkeyPatch
                                                             ) -> None:
    """The instant between an import's commit and its report: the file is stored, and said
    so (the commit itself tells, not the report)."""
    import tmtool.memory as memory

    path = str(tmp_path / "tm.db")
    real = memory._Importer.run

    def committed_then_interrupted(self: Any, batches: Any) -> Any:
        real(self, batches)
        raise KeyboardInterrupt

    monkeypatch.setattr(memory._Importer, "run", committed_then_interrupted)
    code, out, err = run("import", str(DATA / "memory.tmx"), "--db", path)
    assert code == 130 and err == f"Error: interrupted; stored: {DATA / 'memory.tmx'}\n"
    monkeypatch.undo()
    code, out, _ = run("stats", "--db", path, "--format", "json")
    assert json.loads(out)["origins"] == {"memory.tmx": 5}


def test_a_commit_holds_ctrl_c_back_until_it_is_told(tmp_path: Path) -> None:
    """SIGINT arriving during COMMIT is raised after ``on_commit`` ran."""
    import signal

    from tmtool.store import Store

    told = []

    def committed() -> None:
        os.kill(os.getpid(), signal.SIGINT)  # Ctrl-C in the middle of the commit
        told.append(True)

    with Store(tmp_path / "s.db") as store:
        store.conn.execute("CREATE TABLE t (x)")
        with pytest.raises(KeyboardInterrupt):
            with store.transaction(on_commit=committed):
                store.conn.execute("INSERT INTO t VALUES (1)")
        assert told == [True]
        assert store.conn.execute("SELECT count(*) FROM t").fetchone() == (1,)


def test_concordance_columns_stay_in_line_with_accents_written_apart(tmp_path: Path) -> None:
    """Text from some systems writes "é" as "e" and a combining accent: two characters, one
    column. The separator stays in its column on every line."""
    import unicodedata

    from tmtool.cli.tm import _columns
    from tmtool.memory import add_units
    from tmtool.model import TranslationUnit, Variant
    from tmtool.store import Store

    fr = unicodedata.normalize("NFD", "Les États membres ont décidé de renforcer la sécurité "
                                      "énergétique de l'Europe et d'accélérer les réformes.")
    path = str(tmp_path / "d.db")
    with Store(path) as store:
        add_units(store, [TranslationUnit((Variant("fr-FR", fr), Variant(
            "en-GB", "The Member States decided to strengthen Europe's energy security.")))])
    code, out, _ = run("concordance", "membres", "--db", path, env={"COLUMNS": "60"})
    assert code == 0
    bars = {_columns(line.split("|")[0]) for line in out.splitlines()}
    assert len(bars) == 1 and len(out.splitlines()) > 2
