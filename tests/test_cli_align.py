"""``tmtool align`` end to end: the bundled corpus into a TMX that CAT tools accept."""

from __future__ import annotations

import json
import shutil
import subprocess
from pathlib import Path

import pytest
from click.testing import CliRunner, Result
from lxml import etree

from tmtool.cli import main

ROOT = Path(__file__).resolve().parents[1]

CORPUS_FR = ROOT / "corpora" / "ukraine-security.fr.txt"
CORPUS_EN = ROOT / "corpora" / "ukraine-security.en.txt"
GOLD = Path(__file__).parent / "data" / "ukraine-security.gold"


def _run(*args: str) -> Result:
    return CliRunner().invoke(main, list(args))


@pytest.fixture(scope="module")
def corpus_tmx(tmp_path_factory: pytest.TempPathFactory) -> Path:
    out = tmp_path_factory.mktemp("align") / "corpus.tmx"
    result = CliRunner().invoke(main, ["align", str(CORPUS_FR), str(CORPUS_EN), "-o", str(out)])
    assert result.exit_code == 0, result.output
    return out


def test_corpus_links_match_gold() -> None:
    result = _run("align", str(CORPUS_FR), str(CORPUS_EN), "--format", "links")
    assert result.exit_code == 0, result.output
    got = [line for line in result.stdout.splitlines() if line.strip()]
    gold = [line.strip() for line in GOLD.read_text(encoding="utf-8").splitlines() if line.strip()]
    assert got == gold


def test_tmx_header_and_units(corpus_tmx: Path) -> None:
    tree = etree.parse(str(corpus_tmx))
    root = tree.getroot()
    assert root.get("version") == "1.4"
    header = root.find("header")
    for attr in ("creationtool", "creationtoolversion", "datatype", "segtype", "o-tmf",
                 "adminlang", "srclang", "creationdate"):
        assert header.get(attr), attr
    assert header.get("srclang") == "fr-FR"
    assert len(header.get("creationdate")) == 16 and header.get("creationdate").endswith("Z")
    tus = root.findall("body/tu")
    gold_pairs = sum(1 for line in GOLD.read_text().splitlines()
                     if line.strip() and "[]" not in line)
    assert len(tus) == gold_pairs  # one-sided links are left out by default
    langs = {tuv.get("{http://www.w3.org/XML/1998/namespace}lang") for tuv in root.iter("tuv")}
    assert langs == {"fr-FR", "en-GB"}
    kinds = {p.text for p in root.iter("prop") if p.get("type") == "x-link-kind"}
    assert {"1-1", "1-2", "2-1"} <= kinds
    settings = {p.get("type"): p.text for p in header.iter("prop")}
    assert {"x-aligner", "x-segmenter", "x-tmtool-version"} <= set(settings)
    segmenters = json.loads(settings["x-segmenter"])
    assert [s["lang"] for s in segmenters] == ["fr", "en"]
    assert all(s["abbreviations"] > 0 for s in segmenters)


def test_tmx_header_says_when_input_was_not_segmented(tmp_path: Path) -> None:
    fr, en, out = tmp_path / "fr.txt", tmp_path / "en.txt", tmp_path / "o.tmx"
    fr.write_text("Bonjour.\nAu revoir.\n", encoding="utf-8")
    en.write_text("Hello.\nGoodbye.\n", encoding="utf-8")
    assert _run("align", str(fr), str(en), "--segmented", "-o", str(out)).exit_code == 0
    header = etree.parse(str(out)).getroot().find("header")
    settings = {p.get("type"): p.text for p in header.iter("prop")}
    assert settings["x-segmenter"].startswith("none")


def test_tmx_validates_against_dtd(corpus_tmx: Path, shared: Path) -> None:
    dtd = etree.DTD(str(shared / "schemas" / "tmx" / "tmx14.dtd"))
    parser = etree.XMLParser(load_dtd=False, resolve_entities=False, no_network=True)
    assert dtd.validate(etree.parse(str(corpus_tmx), parser)), dtd.error_log.filter_from_errors()


def test_omegat_imports_every_segment(corpus_tmx: Path, shared: Path) -> None:
    if not Path("/usr/share/omegat/OmegaT.jar").exists() or not shutil.which("java"):
        pytest.skip("OmegaT is not installed")
    proc = subprocess.run(
        ["bash", str(shared / "tools" / "omegat_check.sh"), str(corpus_tmx), "fr-FR", "en-GB"],
        capture_output=True, text=True, timeout=300,
    )
    assert proc.returncode == 0, proc.stdout + proc.stderr


def test_keep_unaligned_writes_single_language_units(tmp_path: Path) -> None:
    out = tmp_path / "all.tmx"
    result = _run("align", str(CORPUS_FR), str(CORPUS_EN), "-o", str(out), "--keep-unaligned")
    assert result.exit_code == 0, result.output
    tus = etree.parse(str(out)).getroot().findall("body/tu")
    assert any(len(tu.findall("tuv")) == 1 for tu in tus)


def test_one_sided_links_are_reported(tmp_path: Path) -> None:
    for fmt in ("tmx", "tsv", "jsonl", "json"):  # every output that leaves them out
        result = _run("align", str(CORPUS_FR), str(CORPUS_EN), "-o", str(tmp_path / "x.out"),
                      "--format", fmt)
        assert result.exit_code == 0
        assert "left out 2 one-sided link(s)" in result.stderr
    result = _run("align", str(CORPUS_FR), str(CORPUS_EN), "--format", "links")
    assert "left out" not in result.stderr and "[11]:[]" in result.stdout


def test_jsonl_output(tmp_path: Path) -> None:
    result = _run("align", str(CORPUS_FR), str(CORPUS_EN), "--format", "jsonl")
    assert result.exit_code == 0, result.output
    records = [json.loads(line) for line in result.stdout.splitlines()]
    assert records and all(0.0 <= r["confidence"] <= 1.0 for r in records)
    assert all(r["src"] and r["tgt"] for r in records)


def test_segmented_input_aligns_lines_as_they_are(tmp_path: Path) -> None:
    fr = tmp_path / "a.fr"
    en = tmp_path / "a.en"
    fr.write_text("Bonjour M. Dupont.\nIl fait beau aujourd'hui. Vraiment.\n", encoding="utf-8")
    en.write_text("Hello Mr Dupont.\nThe weather is fine today. Really.\n", encoding="utf-8")
    result = _run("align", str(fr), str(en), "--segmented", "--format", "links")
    assert result.exit_code == 0, result.output
    assert result.stdout.split() == ["[0]:[0]", "[1]:[1]"]


def test_mixed_document_aligns_english_headline(tmp_path: Path) -> None:
    doc = tmp_path / "mixed.txt"
    doc.write_text(
        "Le président rencontre le secrétaire général de l'OTAN à Paris\n\n"
        "President Meets NATO Secretary General in Paris\n\n"
        "Le président français a reçu mardi le secrétaire général de l'OTAN. Les deux hommes "
        "ont parlé de la Coalition of the Willing et des garanties de sécurité pour l'Ukraine.\n",
        encoding="utf-8")
    result = _run("align", str(doc), "--format", "tsv")
    assert result.exit_code == 0, result.output
    rows = [line.split("\t") for line in result.stdout.splitlines()]
    assert len(rows) == 1
    assert rows[0][0].startswith("Le président rencontre")
    assert rows[0][1] == "President Meets NATO Secretary General in Paris"


@pytest.mark.parametrize(
    ("content", "message"),
    [
        (None, "no such file"),
        (b"", "file is empty"),
        (b"\x00\x01\x02\x03binary\x00\x00\xff", "binary"),
        (b"caf\xe9 cr\xe8me\n", "not valid UTF-8"),
    ],
)
def test_bad_input_gives_one_line_error(tmp_path: Path, content: bytes | None,
                                        message: str) -> None:
    bad = tmp_path / "bad.txt"
    if content is not None:
        bad.write_bytes(content)
    result = _run("align", str(bad), str(CORPUS_EN), "-o", str(tmp_path / "o.tmx"))
    assert result.exit_code == 1
    lines = result.output.strip().splitlines()
    assert len(lines) == 1 and lines[0].startswith(f"Error: {bad}: ") and message in lines[0]
    assert not (tmp_path / "o.tmx").exists()


def test_utf16_input_with_bom_is_read(tmp_path: Path) -> None:
    fr = tmp_path / "fr.txt"
    fr.write_bytes(CORPUS_FR.read_text(encoding="utf-8").encode("utf-16"))
    result = _run("align", str(fr), str(CORPUS_EN), "--format", "links")
    assert result.exit_code == 0, result.output
    utf8 = _run("align", str(CORPUS_FR), str(CORPUS_EN), "--format", "links")
    assert result.stdout == utf8.stdout


def test_latin1_input_with_encoding_option(tmp_path: Path) -> None:
    fr = tmp_path / "fr.txt"
    fr.write_bytes("Le café est prêt. Il est chaud.\n".encode("latin-1"))
    en = tmp_path / "en.txt"
    en.write_text("The coffee is ready. It is hot.\n", encoding="utf-8")
    result = _run("align", str(fr), str(en), "--encoding", "latin-1", "--format", "tsv")
    assert result.exit_code == 0, result.output
    assert result.stdout.startswith("Le café est prêt.\tThe coffee is ready.\t1-1\t")


def test_db_option_stores_the_aligned_pairs(tmp_path: Path) -> None:
    db = tmp_path / "tm.db"
    result = _run("align", str(CORPUS_FR), str(CORPUS_EN), "-o", str(tmp_path / "x.tmx"),
                  "--db", str(db))
    assert result.exit_code == 0, result.output
    pairs = sum(1 for line in GOLD.read_text().splitlines() if line.strip() and "[]" not in line)
    assert f"{pairs} units read, {pairs} added" in result.stderr
    found = _run("tm", "lookup", "Rendez-vous est donc pris à Paris en janvier.", "--db", str(db),
                 "--format", "json")
    assert found.exit_code == 0, found.output
    assert "The next meeting is therefore set for Paris in January." in found.stdout


def test_db_option_stores_pairs_only_even_when_one_sided_links_are_written(
        tmp_path: Path) -> None:
    db, out = tmp_path / "tm.db", tmp_path / "x.tmx"
    result = _run("align", str(CORPUS_FR), str(CORPUS_EN), "-o", str(out), "--keep-unaligned",
                  "--db", str(db))
    assert result.exit_code == 0, result.output
    tus = etree.parse(str(out)).getroot().findall("body/tu")
    pairs = sum(1 for tu in tus if len(tu.findall("tuv")) == 2)
    assert pairs < len(tus)  # the file keeps the one-sided links...
    assert f"{pairs} units read, {pairs} added" in result.stderr  # ... the memory does not


@pytest.mark.parametrize("store", ["not-a-store.db", "missing/tm.db"])
def test_a_bad_store_fails_before_anything_is_written(tmp_path: Path, store: str) -> None:
    (tmp_path / "not-a-store.db").write_text("hello\n")
    out = tmp_path / "x.tmx"
    result = _run("align", str(CORPUS_FR), str(CORPUS_EN), "-o", str(out),
                  "--db", str(tmp_path / store))
    assert result.exit_code == 1
    assert result.stderr.count("\n") == 1 and store in result.stderr
    assert not out.exists()
    assert not (tmp_path / "missing").exists()


def test_an_empty_file_becomes_the_store(tmp_path: Path) -> None:
    """As made by mktemp: storing into it makes it a store."""
    db = tmp_path / "empty.db"
    db.touch()
    result = _run("align", str(CORPUS_FR), str(CORPUS_EN), "-o", str(tmp_path / "x.tmx"),
                  "--db", str(db))
    assert result.exit_code == 0, result.output
    assert db.stat().st_size > 0


def test_texts_that_are_not_translations_of_each_other_are_flagged(tmp_path: Path) -> None:
    """Similar sentence lengths link any two texts; few shared names, numbers and cognates
    say they are not a text and its translation."""
    other = tmp_path / "recipe.en.txt"
    other.write_text(
        "Preheat the oven and butter a large dish. Peel the apples and slice them thinly. "
        "Whisk the eggs with the sugar until pale. Fold in the flour gently, then the milk. "
        "Pour the batter over the fruit and bake until golden. Let it cool before serving. "
        "Sprinkle with icing sugar just before you bring it to the table. "
        "It keeps for two days in a cool place, covered with a cloth.\n", encoding="utf-8")
    fr = tmp_path / "recette.fr.txt"
    fr.write_text("\n\n".join(CORPUS_FR.read_text(encoding="utf-8").split("\n\n")[:4]),
                  encoding="utf-8")
    result = _run("align", str(fr), str(other), "--format", "tsv")
    assert result.exit_code == 0
    assert "are these documents translations of each other?" in result.stderr
    result = _run("align", str(CORPUS_FR), str(CORPUS_EN), "--format", "tsv")
    assert "translations of each other" not in result.stderr


def test_a_tag_that_is_no_language_tag_is_refused(tmp_path: Path) -> None:
    out = tmp_path / "out.tmx"
    result = _run("align", str(CORPUS_FR), str(CORPUS_EN), "--src-tag", "fr FR", "-o", str(out))
    assert result.exit_code == 1 and not out.exists()
    assert result.stderr == ("Error: --src-tag 'fr FR' is not a language tag such as fr, "
                             "fr-FR or en-GB\n")
    result = _run("align", str(CORPUS_FR), str(CORPUS_EN), "--src-tag", "fr_ca", "-o", str(out))
    assert result.exit_code == 0 and 'xml:lang="fr-CA"' in out.read_text(encoding="utf-8")


def test_swapped_files_are_told(tmp_path: Path) -> None:
    from tmtool.cli import main

    corpus = Path(__file__).resolve().parents[1] / "corpora"
    fr, en = corpus / "ukraine-security.fr.txt", corpus / "ukraine-security.en.txt"
    result = CliRunner().invoke(main, ["align", str(en), str(fr), "-o",
                                       str(tmp_path / "out.tmx")])
    assert result.exit_code == 0
    assert f"Warning: {en} reads as en, not fr: check the files" in result.stderr
    assert f"Warning: {fr} reads as fr, not en: check the files" in result.stderr
    result = CliRunner().invoke(main, ["align", str(fr), str(en), "-o",
                                       str(tmp_path / "out.tmx")])
    assert "reads as" not in result.stderr


def test_hard_wrapped_lines_become_one_line_segments(tmp_path: Path) -> None:
    # a text wrapped at 60 columns: the TMX, the JSON lines and the store get segments a
    # CAT tool would match, without the file's line ends; the no-break space stays
    fr = tmp_path / "fr.txt"
    en = tmp_path / "en.txt"
    fr.write_text("Les ministres se sont réunis mardi\nà Bruxelles pour examiner le plan. "
                  "Ce plan prévoit\n  une hausse de 5\u00a0% des budgets.\n", encoding="utf-8")
    en.write_text("The ministers met on Tuesday in\r\nBrussels to examine the plan. The plan "
                  "provides\r\nfor a 5% rise in budgets.\r\n", encoding="utf-8")
    out, db = tmp_path / "m.tmx", tmp_path / "m.db"
    assert _run("align", str(fr), str(en), "-o", str(out), "--db", str(db)).exit_code == 0
    segs = [s.text for s in etree.parse(str(out)).getroot().iter("seg")]
    assert segs == ["Les ministres se sont réunis mardi à Bruxelles pour examiner le plan.",
                    "The ministers met on Tuesday in Brussels to examine the plan.",
                    "Ce plan prévoit une hausse de 5\u00a0% des budgets.",
                    "The plan provides for a 5% rise in budgets."]
    lines = _run("align", str(fr), str(en), "--format", "jsonl").stdout.splitlines()
    assert [json.loads(line)["src"] for line in lines] == segs[0::2]
    found = _run("tm", "concordance", "mardi à Bruxelles", "--db", str(db), "--format", "json")
    assert [hit["source"] for hit in json.loads(found.stdout)] == [segs[0]]


UNTRANSLATED_FR = """Les ministres de la Défense se sont réunis mardi à Bruxelles.
Ils ont examiné le plan de réarmement présenté par la Commission.

Les industriels affirment ne pas pouvoir répondre à la demande sans visibilité.

Plusieurs pays baltes dépassent déjà 3 % du PIB.
Les ministres doivent se retrouver en juin.
"""
UNTRANSLATED_EN = """Defence ministers met in Brussels on Tuesday.
They examined the rearmament plan presented by the Commission.

Les industriels affirment ne pas pouvoir répondre à la demande sans visibilité.

Several Baltic countries already exceed 3% of GDP.
Ministers are due to meet again in June.
"""


def test_a_pair_left_untranslated_is_told_and_kept_out_of_the_memory(tmp_path: Path) -> None:
    fr, en = tmp_path / "fr.txt", tmp_path / "en.txt"
    fr.write_text(UNTRANSLATED_FR, encoding="utf-8")
    en.write_text(UNTRANSLATED_EN, encoding="utf-8")
    out, db = tmp_path / "m.tmx", tmp_path / "m.db"
    result = _run("align", str(fr), str(en), "-o", str(out), "--db", str(db))
    assert result.exit_code == 0, result.output
    assert ("1 pair(s) whose en side reads as fr (left untranslated?); left out "
            "(--keep-unaligned keeps them): [2]:[2] «Les industriels" in result.stderr)
    segs = [s.text for s in etree.parse(str(out)).getroot().iter("seg")]
    assert len(segs) == 8 and not any(s.startswith("Les industriels") for s in segs)
    stored = _run("tm", "concordance", "industriels", "--db", str(db), "--format", "json")
    assert json.loads(stored.stdout) == []  # nor in the store
    lines = _run("align", str(fr), str(en), "--format", "jsonl").stdout.splitlines()
    assert len(lines) == 4 and all("untranslated" not in json.loads(x) for x in lines)

    kept = _run("align", str(fr), str(en), "--format", "jsonl", "--keep-unaligned")
    records = [json.loads(line) for line in kept.stdout.splitlines()]
    assert [r.get("untranslated", False) for r in records] == [False, False, True, False, False]
    assert "kept, marked untranslated:" in kept.stderr
    stored = _run("align", str(fr), str(en), "-o", str(out), "--keep-unaligned", "--db",
                  str(tmp_path / "k.db"))
    assert "kept, marked untranslated, but not stored:" in stored.stderr
    _run("align", str(fr), str(en), "-o", str(out), "--keep-unaligned")
    marked = [tu for tu in etree.parse(str(out)).getroot().iter("tu")
              if tu.find("prop[@type='x-untranslated']") is not None]
    assert [tu.find("tuv/seg").text[:15] for tu in marked] == ["Les industriels"]
    links = _run("align", str(fr), str(en), "--format", "links")
    assert "[2]:[2]" in links.stdout.splitlines()
    assert "(left untranslated?): [2]:[2]" in links.stderr


def test_a_motto_or_a_french_name_kept_in_english_is_no_untranslated_pair() -> None:
    from tmtool.bitext import align_texts

    fr = ("Le président a conclu son discours.\n\nLiberté, égalité, fraternité.\n\n"
          "Benedicat vos omnipotens Deus, Pater et Filius, et Spiritus Sanctus.\n\n"
          "Le Conseil d'État a statué sur la loi relative à la liberté de la création.")
    en = ("The president ended his speech.\n\nLiberté, égalité, fraternité.\n\n"
          "Benedicat vos omnipotens Deus, Pater et Filius, et Spiritus Sanctus.\n\n"
          "The Conseil d'État ruled on the Loi relative à la liberté de la création.")
    bitext = align_texts(fr, en)  # the last English sentence reads as French: names
    assert len(bitext.links) == 4 and not bitext.untranslated


def test_a_language_without_sentence_rules_asks_for_segmented_files(tmp_path: Path) -> None:
    fr, de = tmp_path / "fr.txt", tmp_path / "de.txt"
    fr.write_text("Bonjour.\nMerci beaucoup.\n", encoding="utf-8")
    de.write_text("Guten Tag.\nVielen Dank.\n", encoding="utf-8")
    result = _run("align", str(fr), str(de), "--tgt-lang", "de")
    assert result.exit_code == 2
    assert ("--tgt-lang de: tmtool has sentence rules for fr and en only; give files split one "
            "segment per line, with --segmented") in result.stderr
    result = _run("align", str(fr), str(de), "--tgt-lang", "de", "--segmented",
                  "--format", "links")
    assert result.exit_code == 0 and result.stdout.splitlines() == ["[0]:[0]", "[1]:[1]"]


def test_an_untranslated_pair_kept_in_a_tmx_is_not_imported(tmp_path: Path) -> None:
    fr, en = tmp_path / "fr.txt", tmp_path / "en.txt"
    fr.write_text(UNTRANSLATED_FR, encoding="utf-8")
    en.write_text(UNTRANSLATED_EN, encoding="utf-8")
    out, db = tmp_path / "kept.tmx", tmp_path / "m.db"
    assert _run("align", str(fr), str(en), "-o", str(out), "--keep-unaligned").exit_code == 0
    result = _run("tm", "import", str(out), "--db", str(db), "--format", "json")
    assert result.exit_code == 0, result.output
    (report,) = json.loads(result.stdout)
    assert (report["read"], report["added"], report["skipped"]) == (5, 4, 1)
    assert [s["reason"] for s in report["skips"]] == [
        "unit is marked untranslated (its target is its source left as it was)"]


def test_a_pair_without_words_is_left_out_and_said(tmp_path: Path) -> None:
    """A separator line ("__________", "* * *") aligned with its copy is no translation: it is
    kept out of the TMX and the store, and named; --keep-unaligned keeps it."""
    fr, en = tmp_path / "s.fr", tmp_path / "s.en"
    fr.write_text("Bonjour tout le monde.\n\n__________\n\nMerci beaucoup pour tout.\n",
                  encoding="utf-8")
    en.write_text("Hello everyone.\n\n__________\n\nThank you very much for everything.\n",
                  encoding="utf-8")
    out, db = tmp_path / "s.tmx", tmp_path / "s.db"
    result = _run("align", str(fr), str(en), "-o", str(out), "--db", str(db))
    assert result.exit_code == 0, result.output
    assert "left out 1 pair(s) without words (--keep-unaligned keeps them): [1]:[1] " \
           "«__________»" in result.stderr
    segs = [s.text for s in etree.parse(str(out)).iter("seg")]
    assert "__________" not in segs and len(segs) == 4
    assert "2 added" in result.stderr
    result = _run("align", str(fr), str(en), "-o", str(out), "--keep-unaligned")
    assert "without words" not in result.stderr
    assert "__________" in [s.text for s in etree.parse(str(out)).iter("seg")]
