"""Language identification: short headlines, list items, names, and the UD dev sentences."""

from __future__ import annotations

import gzip
import json
from importlib import resources
from pathlib import Path

import pytest

from tmtool.errors import UsageError
from tmtool.langid import detect, languages, log_scores, scores

DATA = Path(__file__).resolve().parent / "data"


@pytest.mark.parametrize(
    ("text", "lang"),
    [
        ("France's Macron Says He Discussed Ukraine With NATO Head Rutte", "en"),
        ("Macron discute Ukraine avec Rutte : Garanties de sécurité renforcées en 2026", "fr"),
        ("Leave a Reply", "en"),
        ("Contexte OTAN : Unité contre Poutine, obstacle majeur.", "fr"),
        ("Objectif : Garanties durables post-cessez-le-feu.", "fr"),
        ("Key Figures", "en"),
        ("Les chiffres clés", "fr"),
        ("Donald Trump and Vladimir Putin", "en"),
        ("Donald Trump et Vladimir Poutine", "fr"),
        ("• 3. The timetable for a possible deployment", "en"),
        ("- Le calendrier d’un éventuel déploiement", "fr"),
    ],
)
def test_short_lines(text: str, lang: str) -> None:
    assert detect(text) == lang


@pytest.mark.parametrize(
    "text",
    [
        "La Coalition of the Willing se réunira à Paris en janvier.",
        "Les Européens parlent d’une « reassurance force » pour l’Ukraine.",
        "Coalition of the Willing : groupe européen qui coordonne les garanties.",
    ],
)
def test_english_terms_inside_french_lines(text: str) -> None:
    assert detect(text) == "fr"


@pytest.mark.parametrize("side", ["fr", "en"])
def test_every_sentence_of_the_bundled_corpus(side: str) -> None:
    sents = (DATA / f"ukraine-security.{side}.sents").read_text(encoding="utf-8").splitlines()
    wrong = [s for s in sents if detect(s) != side]
    assert wrong == []


def test_scores_are_probabilities_keyed_by_primary_subtag() -> None:
    got = scores("Le président a parlé avec le secrétaire général.", ["fr-FR", "en_GB"])
    assert set(got) == {"fr", "en"}
    assert sum(got.values()) == pytest.approx(1.0)
    assert got["fr"] > 0.99


def test_log_scores_order_matches_detect() -> None:
    logs = log_scores("The talks are expected in January.")
    assert logs["en"] > logs["fr"]


def test_no_letters_goes_to_first_candidate() -> None:
    assert detect("1 234 — 56 %", ("en", "fr")) == "en"
    assert detect("", ("fr", "en")) == "fr"
    assert scores("***") == {"fr": 0.5, "en": 0.5}


def test_other_candidate_languages() -> None:
    assert detect("Das ist ein kurzer Satz über die Sicherheit.", ("fr", "en", "de")) == "de"
    assert detect("La seguridad de Europa depende de la paz.", ("fr", "en", "es")) == "es"
    assert {"fr", "en", "de", "es", "it"} <= set(languages())


def test_unknown_or_missing_candidates_are_usage_errors() -> None:
    with pytest.raises(UsageError, match="no language profile for 'xx'"):
        detect("bonjour", ("fr", "xx"))
    with pytest.raises(UsageError, match="at least one candidate"):
        detect("bonjour", ())


def test_shipped_profiles_are_small_and_name_their_source() -> None:
    raw = resources.files("tmtool").joinpath("data", "langid_profiles.json.gz").read_bytes()
    assert len(raw) < 200_000
    data = json.loads(gzip.decompress(raw))
    assert data["source"].startswith("wordfreq")


def _ud(shared: Path) -> list[tuple[str, str]]:
    out = []
    for name in ("fr_gsd", "fr_sequoia", "en_ewt", "en_gum"):
        text = (shared / "data" / "seg" / name / "dev.sents").read_text(encoding="utf-8")
        out += [(s, name[:2]) for s in text.splitlines() if any(c.isalpha() for c in s)]
    return out


def test_accuracy_on_ud_dev_sentences(shared: Path) -> None:
    data = _ud(shared)
    right = sum(detect(s) == lang for s, lang in data)
    short = [(s, lang) for s, lang in data if len(s.split()) <= 6]
    right_short = sum(detect(s) == lang for s, lang in short)
    assert right / len(data) >= 0.985
    assert right_short / len(short) >= 0.95


def test_a_file_with_one_paragraph_left_untranslated_reads_as_its_own_language() -> None:
    from tmtool.langid import reads_as_another

    text = ("The defence ministers met in Brussels on Tuesday to discuss the plan.\n\n"
            "Les industriels affirment ne pas pouvoir répondre à la demande sans visibilité "
            "sur les commandes, ce qui inquiète les ministres européens réunis à Bruxelles.\n\n"
            "They will meet again in June to adopt a first package.\n")
    assert reads_as_another(text, "en") is None  # the aligner names the untranslated pair
    assert reads_as_another(text.replace("They will meet again in June to adopt a first "
                                         "package.", "Ils se retrouveront en juin pour adopter "
                                         "un premier paquet de mesures."), "en") == "fr"


def test_a_file_of_short_lines_in_another_language_is_told() -> None:
    from tmtool.langid import reads_as_another

    lines = ["Le chat dort.", "Il pleut fort.", "Nous partons.", "Je suis ici.", "Tu viens ?"]
    text = "\n".join(lines * 12)  # every line under 20 letters: read as a whole
    assert reads_as_another(text, "en") == "fr"
