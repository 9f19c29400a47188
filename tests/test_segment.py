"""Sentence segmentation: each rule as a small case in both languages, offsets, UD floors."""

from __future__ import annotations

import importlib.util
from pathlib import Path

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from tmtool.errors import UsageError
from tmtool.model import Segment
from tmtool.segment import Segmenter, segmenter, split_paragraphs, split_text

DATA = Path(__file__).resolve().parent / "data" / "segment"


def sents(text: str, lang: str) -> list[str]:
    return [s.text for s in split_text(text, lang)]


# -- abbreviations, initials, references ----------------------------------------------------


@pytest.mark.parametrize(
    ("lang", "text"),
    [
        ("fr", "M. Dupont est arrivé avec Mme Durand et Mlle Petit."),
        ("fr", "MM. Dupont et Durand sont venus."),
        ("fr", "Le Dr. Martin et le Pr. Simon répondent."),
        ("fr", "Il a cité J.-M. Le Pen et J. D. Vance dans son discours."),
        ("fr", "Voir l'art. 5 du traité, p. 12, al. 2, et le n° 3."),
        ("fr", "La séance du 24 déc. 2025 est close."),
        ("fr", "Il y a eu 1,1 million de pertes, soit 4,1 % du total."),
        ("fr", "On trouve des fruits, des légumes, etc. dans ce marché."),
        ("fr", "Il parle anglais, c.-à-d. la langue de travail."),
        ("fr", "Surnommé King Fish ou Mr. Angel, il est célèbre."),
        ("en", "Mr. Smith met Mrs. Jones and Dr. Brown in St. Louis."),
        ("en", "The U.S. Army and J. D. Vance were there."),
        ("en", "See No. 5 on p. 12 of Art. 3 of the treaty."),
        ("en", "The meeting is on Dec. 24, 2025 at 10 a.m. in the hall."),
        ("en", "They met on Jan. 3, 2024 in Paris."),
        ("en", "Prices rose 4.1% to 1.1 million dollars."),
        ("en", "Bring fruit, e.g. apples, and vegetables, i.e. greens."),
        # ranks in French lower case, document numbers, references
        ("fr", "Le gén. Durand, le lt. Roy, le cdt. Petit et le col. Moreau sont venus."),
        ("fr", "Le cne. Blanc et le sgt. Noël lisent le doc. 1234/25 du Conseil."),
        ("en", "See Council doc. 1234/25 and the doc. ST 12 on the agenda."),
        ("en", "See p. 12 et seq. for details and art. 4 et seq. of the Act."),
        # a lower-case word after a known abbreviation goes on with the sentence
        ("fr", "Voir la fig. ci-dessous et l'art. premier."),
        ("en", "See Fig. below and para. two."),
    ],
)
def test_abbreviations_do_not_end_sentences(lang: str, text: str) -> None:
    assert sents(text, lang) == [text]


@pytest.mark.parametrize(
    ("lang", "text", "expected"),
    [
        (
            "fr",
            "Il a tout vendu : livres, disques, etc. Il est parti.",
            ["Il a tout vendu : livres, disques, etc.", "Il est parti."],
        ),
        (
            "fr",
            "Rome fut fondée en 753 av. J.-C. Elle devint un empire.",
            ["Rome fut fondée en 753 av. J.-C.", "Elle devint un empire."],
        ),
        (
            "fr",
            "Rendez-vous à 10 h. Selon le programme, tout est prêt.",
            ["Rendez-vous à 10 h.", "Selon le programme, tout est prêt."],
        ),
        (
            "en",
            "He moved to the U.S. The move was hard.",
            ["He moved to the U.S.", "The move was hard."],
        ),
        (
            "en",
            "She works for Apple Inc. It is in California.",
            ["She works for Apple Inc.", "It is in California."],
        ),
        ("en", "Read the whole No. It is short.", ["Read the whole No.", "It is short."]),
        ("fr", "Le délai court jusqu'au 31 déc. Ensuite, tout change. Le 24 déc. 2025 au soir.",
         ["Le délai court jusqu'au 31 déc.", "Ensuite, tout change.",
          "Le 24 déc. 2025 au soir."]),
        ("en", "The deadline is Dec. The talks resume on Jan. 3 in Paris.",
         ["The deadline is Dec.", "The talks resume on Jan. 3 in Paris."]),
        # a time, then a title: no title follows a time inside a sentence
        ("fr", "Ils sont arrivés à 8 h. Mme Martin les attendait.",
         ["Ils sont arrivés à 8 h.", "Mme Martin les attendait."]),
        ("en", "It ended at 5 p.m. Mr. Smith left. We met at 5 p.m. Eastern time.",
         ["It ended at 5 p.m.", "Mr. Smith left.", "We met at 5 p.m. Eastern time."]),
        ("fr", "Voir p. M. Dupont.", ["Voir p. M. Dupont."]),
        # a reference that ends its sentence, as "etc." does
        ("fr", "Voir p. 12 et suiv. Elles sont claires. Voir p. 3 sqq. Tout y est.",
         ["Voir p. 12 et suiv.", "Elles sont claires.", "Voir p. 3 sqq.", "Tout y est."]),
        ("en", "See p. 12 et seq. They are clear.", ["See p. 12 et seq.", "They are clear."]),
        ("fr", "Ils ont franchi le col. Ensuite, ils sont descendus. Voir le doc. Il est clair.",
         ["Ils ont franchi le col.", "Ensuite, ils sont descendus.", "Voir le doc.",
          "Il est clair."]),
        ("fr", "Il arrive à 10 h. Jean l'attend. Il part à 11 h. GMT oblige.",
         ["Il arrive à 10 h.", "Jean l'attend.", "Il part à 11 h. GMT oblige."]),
        # numbered references of legal texts
        ("fr", "Voir l'art. 42, par. 7, du TUE. Selon l'annexe II, pt. 4, la règle change.",
         ["Voir l'art. 42, par. 7, du TUE.", "Selon l'annexe II, pt. 4, la règle change."]),
        ("en", "See Art. 42, para. 7, of the TEU. See par. 7 and pt. 4 below.",
         ["See Art. 42, para. 7, of the TEU.", "See par. 7 and pt. 4 below."]),
        ("fr", "Voir para. 7 de l'annexe. Fin.", ["Voir para. 7 de l'annexe.", "Fin."]),
        ("en", "The call is at 10 a.m. New York time. At 5 p.m. The Times said so.",
         ["The call is at 10 a.m. New York time.", "At 5 p.m.", "The Times said so."]),
        # in English, a day, a month or a time zone goes on after a time; other words do not
        ("en", "Gates close at 5 p.m. Passengers must board. Talks open at 9 a.m. Monday. "
               "It ends at 5 p.m. Paris time, or 6 p.m. GMT.",
         ["Gates close at 5 p.m.", "Passengers must board.", "Talks open at 9 a.m. Monday.",
          "It ends at 5 p.m. Paris time, or 6 p.m. GMT."]),
    ],
)
def test_ambiguous_abbreviation_ends_before_sentence_start(
    lang: str, text: str, expected: list[str]
) -> None:
    assert sents(text, lang) == expected


@pytest.mark.parametrize(
    ("lang", "text", "expected"),
    [
        (
            "fr",
            "La clause figure à l'art. 5. Elle oblige chaque allié.",
            ["La clause figure à l'art. 5.", "Elle oblige chaque allié."],
        ),
        ("fr", "Voir p. 12. Tout y est.", ["Voir p. 12.", "Tout y est."]),
        ("fr", "Lire le chap. IV. Il conclut.", ["Lire le chap. IV.", "Il conclut."]),
        ("en", "See No. 3. It is there.", ["See No. 3.", "It is there."]),
        ("en", "They met on Jan. 3. They agreed.", ["They met on Jan. 3.", "They agreed."]),
    ],
)
def test_number_after_an_abbreviation_ends_a_sentence_before_a_capital(
    lang: str, text: str, expected: list[str]
) -> None:
    # The number belongs to the abbreviation ("art. 5"): it is no list number opening a
    # sentence, so its full stop ends the sentence.
    assert sents(text, lang) == expected


@pytest.mark.parametrize("text", ["Cf. le chap. 3, vol. 2, éd. Gallimard.", "Paris, éd. Le Seuil."])
def test_publisher_abbreviation_before_a_name_does_not_end_a_sentence(text: str) -> None:
    assert sents(text, "fr") == [text]


# -- terminal punctuation, quotes, ellipsis -------------------------------------------------


@pytest.mark.parametrize(
    ("lang", "text", "expected"),
    [
        (
            "fr",
            "« Nous ne céderons pas. C'est hors de question », a déclaré le ministre.",
            ["« Nous ne céderons pas. C'est hors de question », a déclaré le ministre."],
        ),
        (
            "fr",
            "« Non. Jamais. C'est fini » a-t-il dit. Puis il est parti.",
            ["« Non. Jamais. C'est fini » a-t-il dit.", "Puis il est parti."],
        ),
        (
            "en",
            '"We will not give in. It is out of the question," the minister said.',
            ['"We will not give in. It is out of the question," the minister said.'],
        ),
        (
            "en",
            "“We will not give in. It is out of the question,” Smith said. He left.",
            ["“We will not give in. It is out of the question,” Smith said.", "He left."],
        ),
        ("fr", '" Non. Jamais ", dit-il.', ['" Non. Jamais ", dit-il.']),
        (
            "en",
            'He left. "Is it over? Yes!" she asked.',
            ["He left.", '"Is it over? Yes!" she asked.'],
        ),
        # a quotation that ends its own sentence keeps its inner sentence ends
        (
            "fr",
            "« Nous ne céderons pas. C'est hors de question. » Le ministre est parti.",
            ["« Nous ne céderons pas.", "C'est hors de question. »", "Le ministre est parti."],
        ),
        (
            "en",
            '"We will not give in. It is over." The minister left.',
            ['"We will not give in.', 'It is over."', "The minister left."],
        ),
    ],
)
def test_quotation_followed_by_a_reporting_clause_is_one_sentence(
    lang: str, text: str, expected: list[str]
) -> None:
    assert [s.text for s in split_text(text, lang, keep_quotations=True)] == expected


def test_quotations_keep_their_inner_sentence_ends_by_default() -> None:
    # Treebanks (and the UD benchmark) split inside the quotation.
    text = '"We will not give in. It is out of the question," the minister said.'
    assert sents(text, "en") == [
        '"We will not give in.',
        'It is out of the question," the minister said.',
    ]
    long_quote = "« Non. " + "Très long. " * 3 + "Fini », a-t-il dit.\n\n« Oui. » Il part."
    kept = split_text(long_quote, "fr", keep_quotations=True)
    assert [s.text for s in kept] == ["« Non. Très long. Très long. Très long. Fini », a-t-il dit.",
                                      "« Oui. »", "Il part."]
    assert [s.para for s in kept] == [0, 1, 1]


@pytest.mark.parametrize(
    ("lang", "text", "expected"),
    [
        ("fr", "Il a signé.\x01 Le contrat.", ["Il a signé.\x01", "Le contrat."]),
        ("en", "He signed.\u200b The deal holds.", ["He signed.\u200b", "The deal holds."]),
        ("en", "He signed.\x7f\x01 The deal holds.", ["He signed.\x7f\x01", "The deal holds."]),
        ("fr", "M.\x01 Dupont est venu.", ["M.\x01 Dupont est venu."]),
        ("fr", "Le chat\x0bdort.\x0bIl rêve.", ["Le chat\x0bdort.", "Il rêve."]),
    ],
)
def test_control_characters_after_a_full_stop_are_transparent(
    lang: str, text: str, expected: list[str]
) -> None:
    assert sents(text, lang) == expected


@pytest.mark.parametrize(
    ("lang", "text", "expected"),
    [
        ("fr", "Il pleut. Nous restons.", ["Il pleut.", "Nous restons."]),
        ("fr", "Vraiment ? Oui ! Bien.", ["Vraiment ?", "Oui !", "Bien."]),
        ("fr", "« Vraiment ? » a-t-il demandé.", ["« Vraiment ? » a-t-il demandé."]),
        ("fr", "« Vraiment ? » Il est parti.", ["« Vraiment ? »", "Il est parti."]),
        (
            "fr",
            "Il a dit : « Je viens. » Puis il est parti.",
            ["Il a dit : « Je viens. »", "Puis il est parti."],
        ),
        (
            "fr",
            'Il a dit "Je viens." Puis il est parti.',
            ['Il a dit "Je viens."', "Puis il est parti."],
        ),
        ("fr", "Quoi ? dit-il.", ["Quoi ? dit-il."]),
        ("fr", "Il a dit « oui ». Puis il est parti.", ["Il a dit « oui ».", "Puis il est parti."]),
        (
            "fr",
            "Dans quel cas est-il utilisé ? la maladie de Paget.",
            ["Dans quel cas est-il utilisé ?", "la maladie de Paget."],
        ),
        ("en", "It rains. We stay.", ["It rains.", "We stay."]),
        ("en", "Really? Yes! Fine.", ["Really?", "Yes!", "Fine."]),
        ("en", '"Really?" he asked.', ['"Really?" he asked.']),
        ("en", 'He said "I am coming." Then he left.', ['He said "I am coming."', "Then he left."]),
        ("en", "He said “I am coming.” Then he left.", ["He said “I am coming.”", "Then he left."]),
        ("en", "(See the report.) The rest follows.", ["(See the report.)", "The rest follows."]),
    ],
)
def test_terminal_punctuation_and_quotes(lang: str, text: str, expected: list[str]) -> None:
    assert sents(text, lang) == expected


@pytest.mark.parametrize(
    ("lang", "text", "expected"),
    [
        ("fr", "Quel succès ! s'est écriée la présidente. Enfin ? a demandé Paul.",
         ["Quel succès ! s'est écriée la présidente.", "Enfin ? a demandé Paul."]),
        ("fr", "Déjà ? répondit le juge.", ["Déjà ? répondit le juge."]),
        ("en", "What a result! the chair exclaimed. Already? asked Paul.",
         ["What a result! the chair exclaimed.", "Already? asked Paul."]),
        # without a verb of saying, a lower-case sentence of web text
        ("en", "Great staff! answered all my calls.", ["Great staff!", "answered all my calls."]),
    ],
)
def test_reporting_clause_after_question_or_exclamation_mark(
    lang: str, text: str, expected: list[str]
) -> None:
    assert sents(text, lang) == expected


@pytest.mark.parametrize(
    ("lang", "text", "expected"),
    [
        ("fr", "Le vote a eu lieu en mai.[4] Les résultats suivent.[12] Fin.[b] Voilà.",
         ["Le vote a eu lieu en mai.[4]", "Les résultats suivent.[12]", "Fin.[b]", "Voilà."]),
        ("en", "The vote took place in May.[4][5] The results follow.",
         ["The vote took place in May.[4][5]", "The results follow."]),
        ("en", "Is it over?[7] Nobody knows.", ["Is it over?[7]", "Nobody knows."]),
    ],
)
def test_footnote_marker_glued_to_a_full_stop_ends_the_sentence(
    lang: str, text: str, expected: list[str]
) -> None:
    assert sents(text, lang) == expected


@pytest.mark.parametrize(
    ("lang", "text", "expected"),
    [
        ("fr", "Il hésita... Puis il partit.", ["Il hésita...", "Puis il partit."]),
        ("fr", "Il hésita… puis partit.", ["Il hésita… puis partit."]),
        ("en", "He waited... Then he left.", ["He waited...", "Then he left."]),
        ("en", "He waited ... and left.", ["He waited ... and left."]),
        ("en", "It was over . . . The end came.", ["It was over . . .", "The end came."]),
    ],
)
def test_ellipsis(lang: str, text: str, expected: list[str]) -> None:
    assert sents(text, lang) == expected


# -- paragraphs, lines, headlines and lists --------------------------------------------------


@pytest.mark.parametrize("lang", ["fr", "en"])
def test_blank_line_always_ends_a_paragraph(lang: str) -> None:
    segs = split_text("no final punctuation\n\nand lower case next", lang)
    assert [(s.text, s.para) for s in segs] == [
        ("no final punctuation", 0),
        ("and lower case next", 1),
    ]


@pytest.mark.parametrize(
    ("lang", "text", "expected"),
    [
        (
            "fr",
            "Macron discute avec Rutte\nLe président a parlé. Il a conclu.",
            ["Macron discute avec Rutte", "Le président a parlé.", "Il a conclu."],
        ),
        (
            "en",
            "Macron talks with Rutte\nThe president spoke. He concluded.",
            ["Macron talks with Rutte", "The president spoke.", "He concluded."],
        ),
    ],
)
def test_headline_ends_at_single_line_break(lang: str, text: str, expected: list[str]) -> None:
    assert sents(text, lang) == expected


@pytest.mark.parametrize(
    ("lang", "text", "expected"),
    [
        (
            "fr",
            "Points clés :\n• Premier point\n• Second point\nLa suite.",
            ["Points clés :", "• Premier point", "• Second point", "La suite."],
        ),
        (
            "fr",
            "À retenir\n- un tiret\n– un demi-cadratin\n* une étoile",
            ["À retenir", "- un tiret", "– un demi-cadratin", "* une étoile"],
        ),
        ("fr", "1. Premier point\n2. Second point", ["1. Premier point", "2. Second point"]),
        (
            "en",
            "Key points:\n• First point\n• Second point\nThe rest.",
            ["Key points:", "• First point", "• Second point", "The rest."],
        ),
        ("en", "1. First item\n2. Second item", ["1. First item", "2. Second item"]),
        ("fr", "1. Premier point. 2. Second point.", ["1. Premier point.", "2. Second point."]),
        (
            "fr",
            "Il faut trois étapes. 1. Lire le texte. 2. Le traduire.",
            ["Il faut trois étapes.", "1. Lire le texte.", "2. Le traduire."],
        ),
        ("en", "Steps\n1) open\n2) close", ["Steps", "1) open", "2) close"]),
        (
            "en",
            "Excerpt:\nArafat's death creates a vacuum.",
            ["Excerpt:", "Arafat's death creates a vacuum."],
        ),
    ],
)
def test_list_items(lang: str, text: str, expected: list[str]) -> None:
    assert sents(text, lang) == expected


@pytest.mark.parametrize(
    ("lang", "text", "expected"),
    [
        # whatever word opens the sentence, a paragraph number stays with it on its line
        (
            "fr",
            "1.1 Le texte fixe les règles.\n1.2 La Commission veille.\n1.3 Chaque État agit.",
            ["1.1 Le texte fixe les règles.", "1.2 La Commission veille.", "1.3 Chaque État agit."],
        ),
        (
            "en",
            "3.1 This note sets the rules.\n3.2 Member States act.\n3.3 The Board reports.",
            ["3.1 This note sets the rules.", "3.2 Member States act.", "3.3 The Board reports."],
        ),
        ("fr", "2.1. Les règles changent.\nIV. Les mesures.", ["2.1. Les règles changent.",
                                                              "IV. Les mesures."]),
        ("en", "Scope\n4 The rules apply.", ["Scope", "4 The rules apply."]),
        ("fr", "Il conclut. 2.1 Les règles changent.", ["Il conclut.", "2.1 Les règles changent."]),
        # a number alone on its line is its own segment
        ("fr", "2.1\nLes règles changent.", ["2.1", "Les règles changent."]),
        ("fr", "2.\nLes règles changent.", ["2.", "Les règles changent."]),
        ("en", "2.1.\nThe rules change.", ["2.1.", "The rules change."]),
        ("en", "(a)\nThe rules change.", ["(a)", "The rules change."]),
    ],
)
def test_paragraph_number_stays_with_its_sentence(
    lang: str, text: str, expected: list[str]
) -> None:
    assert sents(text, lang) == expected


@pytest.mark.parametrize(
    ("lang", "text", "expected"),
    [
        (
            "en",
            "Each party shall:\n(a) keep records;\n(b) report yearly;\n(c) pay the fee.",
            ["Each party shall:", "(a) keep records;", "(b) report yearly;", "(c) pay the fee."],
        ),
        (
            "fr",
            "Chaque partie :\n(i) tient un registre ;\n(ii) rend compte ;\niii) paie.",
            ["Chaque partie :", "(i) tient un registre ;", "(ii) rend compte ;", "iii) paie."],
        ),
        ("en", "(1) The fee is due.\n(2) It is paid.", ["(1) The fee is due.", "(2) It is paid."]),
    ],
)
def test_bracketed_list_labels_open_items(lang: str, text: str, expected: list[str]) -> None:
    assert sents(text, lang) == expected


@pytest.mark.parametrize(
    ("lang", "text"),
    [
        (
            "en",
            "The delegations met in Brussels for talks on the future of the\n"
            "United States commitment to NATO and to the security of\n"
            "Europe, which many see as uncertain this year.",
        ),
        (
            "fr",
            "Les délégations se sont réunies à Bruxelles pour parler de\n"
            "l'engagement des États-Unis envers l'OTAN.",
        ),
    ],
)
def test_wrapped_lines_are_not_sentence_ends(lang: str, text: str) -> None:
    assert len(split_text(text, lang)) == 1


@pytest.mark.parametrize(
    ("lang", "text", "expected"),
    [
        (
            "fr",
            "Effets indésirables Les données suivantes sont issues d'une étude.",
            ["Effets indésirables", "Les données suivantes sont issues d'une étude."],
        ),
        (
            "en",
            "Posted by the editor This is the first post.",
            ["Posted by the editor", "This is the first post."],
        ),
    ],
)
def test_unpunctuated_headline_before_sentence_start(
    lang: str, text: str, expected: list[str]
) -> None:
    assert sents(text, lang) == expected


@pytest.mark.parametrize(
    ("lang", "text"),
    [
        ("fr", "Il a sorti l'album Un homme nature en 2006."),
        ("fr", "Elle cite Le Monde dans son article."),
        ("en", "He read the novel The road to ruin twice."),
    ],
)
def test_titles_and_names_are_not_sentence_starts(lang: str, text: str) -> None:
    assert sents(text, lang) == [text]


def test_french_semicolon_before_a_new_sentence() -> None:
    assert sents("Angiox est un anticoagulant ; Dans l'étude, il est sûr.", "fr") == [
        "Angiox est un anticoagulant ;",
        "Dans l'étude, il est sûr.",
    ]
    one = "Paulette, née en 1926 ; Lucien, né en 1928 ; Anita, née en 1921."
    assert sents(one, "fr") == [one]


def test_french_colon_before_a_new_sentence() -> None:
    assert sents("Il a gagné six titres : Il s'agit d'un record.", "fr") == [
        "Il a gagné six titres :",
        "Il s'agit d'un record.",
    ]
    for one in (
        "Il a déclaré : « Nous viendrons. »",
        "Voici le dossier : Le réseau C repose sur lui.",
        "He said: It is over.",
    ):
        assert sents(one, "fr" if "Il" in one or "Voici" in one else "en") == [one]


def test_french_dash_items_run_into_a_line() -> None:
    assert sents("Voir la piste Clearstream - Dans l'ombre du dossier, Le Monde", "fr") == [
        "Voir la piste Clearstream",
        "- Dans l'ombre du dossier, Le Monde",
    ]
    one = "La ligne Paris - Lyon est rapide."
    assert sents(one, "fr") == [one]


# -- web text and e-mail ----------------------------------------------------------------------


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("i love my dog. they are great.", ["i love my dog.", "they are great."]),
        ("where did you grow up? india?", ["where did you grow up?", "india?"]),
        ("I love her. :) Next one is mine.", ["I love her. :)", "Next one is mine."]),
        ("Great service :-) Posted by Ann", ["Great service :-)", "Posted by Ann"]),
        (
            "Kay Mann 04/26/2001 07:17 AM Will you be there?",
            ["Kay Mann", "04/26/2001 07:17 AM", "Will you be there?"],
        ),
        ("Let me know. Best regards, Debra", ["Let me know.", "Best regards,", "Debra"]),
        ("See below. ***** More text.", ["See below.", "*****", "More text."]),
        (
            "He died in 1824. [17] His poems survive.",
            ["He died in 1824. [17]", "His poems survive."],
        ),
        ("So I went — Hold on, who are you?", ["So I went —", "Hold on, who are you?"]),
        ("Thanks, John, for the help.", ["Thanks, John, for the help."]),
        (
            "Sent by Ann on 03/27/2001 01:58 PM Revised draft",
            ["Sent by Ann on 03/27/2001 01:58 PM", "Revised draft"],
        ),
        ("Dear All, My name is Ann.", ["Dear All,", "My name is Ann."]),
        (
            "They are of high quality.You'll love them.",
            ["They are of high quality.", "You'll love them."],
        ),
        ("My hamster escaped....Julie found it.", ["My hamster escaped....", "Julie found it."]),
        (
            "Go to www.example.com/index.php?Id=5 now.",
            ["Go to www.example.com/index.php?Id=5 now."],
        ),
        (
            "See http://a.example.org/x.html http://b.example.org/y.html",
            ["See http://a.example.org/x.html", "http://b.example.org/y.html"],
        ),
        ("Trade 6.1.Version 2 is out.", ["Trade 6.1.Version 2 is out."]),
    ],
)
def test_english_web_and_mail_conventions(text: str, expected: list[str]) -> None:
    assert sents(text, "en") == expected


@pytest.mark.parametrize(
    ("lang", "text", "expected"),
    [
        (
            "fr",
            "Service juridique\nTél. : 02 40 11 22 33\njuridique@exemple.fr\nwww.exemple.fr",
            ["Service juridique", "Tél. : 02 40 11 22 33", "juridique@exemple.fr",
             "www.exemple.fr"],
        ),
        (
            "en",
            "Legal office\nPhone: +44 20 7946 0000\nlegal@example.org\nhttps://example.org/x",
            ["Legal office", "Phone: +44 20 7946 0000", "legal@example.org",
             "https://example.org/x"],
        ),
        # hard-wrapped prose goes on across the line breaks, address or not
        ("en", "For a copy, write to\nlegal@example.org\nand we will answer.",
         ["For a copy, write to\nlegal@example.org\nand we will answer."]),
        ("fr", "Pour une copie, écrivez-nous\net nous répondrons vite.",
         ["Pour une copie, écrivez-nous\net nous répondrons vite."]),
    ],
)
def test_address_alone_on_its_line_stands_alone(lang: str, text: str, expected: list[str]) -> None:
    assert sents(text, lang) == expected


# -- offsets and API --------------------------------------------------------------------------


@pytest.mark.parametrize("lang", ["fr", "en"])
def test_golden_sample(lang: str) -> None:
    text = (DATA / f"sample.{lang}.txt").read_text(encoding="utf-8")
    expected = (DATA / f"sample.{lang}.sents").read_text(encoding="utf-8").splitlines()
    segs = split_text(text, lang)
    assert [s.text for s in segs] == expected
    for s in segs:
        assert text[s.start : s.end] == s.text
        assert s.lang == lang
    assert [s.para for s in segs] == sorted(s.para for s in segs)


@pytest.mark.parametrize("lang", ["fr", "en"])
def test_bundled_corpus_gold_sentences(lang: str) -> None:
    root = Path(__file__).resolve().parents[1]
    text = (root / "corpora" / f"ukraine-security.{lang}.txt").read_text(encoding="utf-8")
    gold = (DATA.parent / f"ukraine-security.{lang}.sents").read_text(encoding="utf-8")
    assert [" ".join(s.text.split()) for s in split_text(text, lang)] == gold.splitlines()


_ALPHABET = st.sampled_from(
    list("abcXYZ .!?…;:,«»\"'()-•\n\t\u00a0/@")
    + ["M. ", "etc. ", "U.S. ", "\n\n", " :) ", "1. ", "Il ", "The ", "www.x ", "Dear Bob, "]
    + ["Thanks, ", "----", "1/2/2001 1:00 PM", " ; ", " : ", " — ", "[12]", "...", "l'art. "]
)


@settings(max_examples=200, deadline=None)
@given(st.lists(_ALPHABET, max_size=60).map("".join), st.sampled_from(["fr", "en"]))
def test_offsets_index_the_input_and_cover_it(text: str, lang: str) -> None:
    segs = split_text(text, lang)
    prev_end, prev_para = 0, 0
    for s in segs:
        assert text[s.start : s.end] == s.text
        assert s.text == s.text.strip() and s.text
        assert s.start >= prev_end and s.para >= prev_para
        prev_end, prev_para = s.end, s.para
    # every non-space character is in exactly one segment
    assert "".join("".join(s.text.split()) for s in segs) == "".join(text.split())


def test_split_paragraphs_offsets() -> None:
    text = "  First para\nline two\n\n \n Second para \n\n\nThird"
    spans = split_paragraphs(text)
    assert [text[a:b] for a, b in spans] == ["First para\nline two", "Second para", "Third"]
    segs = split_text(text, "en")
    assert [(s.text, s.para) for s in segs] == [
        ("First para\nline two", 0),  # lower case next: the line goes on
        ("Second para", 1),
        ("Third", 2),
    ]


def test_segments_are_plain_segment_values() -> None:
    seg = split_text("Il pleut. Nous restons.", "fr")[1]
    assert seg == Segment("Nous restons.", 10, 23, 0, "fr")
    assert hash(seg) == hash(Segment("Nous restons.", 10, 23, 0, "fr"))


def test_segmenter_is_built_once_per_language() -> None:
    assert segmenter("fr") is segmenter("fr-FR") is segmenter("FR")
    assert segmenter("fr") is not segmenter("en")
    assert split_text("Bonjour M. Dupont.", "fr-FR")[0].lang == "fr"


def test_unknown_language_is_a_usage_error() -> None:
    with pytest.raises(UsageError, match="no sentence rules for language 'de'"):
        Segmenter("de")


def test_empty_and_blank_text() -> None:
    assert split_text("", "fr") == []
    assert split_text(" \n\n \t", "en") == []


# -- accuracy floor on Universal Dependencies dev data ------------------------------------------

# Best off-the-shelf sentence F1 on these splits (../shared/README.md).
_FLOORS = {"fr_gsd": 94.9, "fr_sequoia": 90.0, "en_ewt": 84.0, "en_gum": 94.8}


@pytest.mark.parametrize("name", sorted(_FLOORS))
def test_ud_sentence_f1_floor(shared: Path, name: str) -> None:
    spec = importlib.util.spec_from_file_location("score_seg", shared / "tools" / "score_seg.py")
    assert spec is not None and spec.loader is not None
    scorer = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(scorer)
    folder = shared / "data" / "seg" / name
    text = (folder / "dev.txt").read_text(encoding="utf-8")
    gold = scorer.read_sents(folder / "dev.sents")
    system = [" ".join(s.text.split()) for s in split_text(text, name[:2])]
    result = scorer.score(text, gold, system)
    assert result["text_mismatch_chars"] == 0
    assert result["sentence"]["f1"] * 100 > _FLOORS[name]


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("réunis mardi\nà Bruxelles", "réunis mardi à Bruxelles"),
        ("une hausse \r\n\t de 5\u00a0%", "une hausse de 5\u00a0%"),
        ("la hausse de 5\u00a0\n%", "la hausse de 5\u00a0 %"),  # a no-break space stays
        ("deux  espaces, sans fin de ligne", "deux  espaces, sans fin de ligne"),
        ("a" + " " * 5000 + "\n" + " " * 5000 + "b", "a b"),
    ],
)
def test_one_line_makes_each_line_break_one_space(text: str, expected: str) -> None:
    from tmtool.segment import one_line

    assert one_line(text) == expected


@pytest.mark.parametrize(
    ("lang", "text", "expected"),
    [
        # a reference wrapped onto the next line goes on with its sentence
        ("en", "Member States shall apply paragraph\n(1) of this Article to all operators\n"
               "in their territory.", 1),
        ("fr", "Les États appliquent le paragraphe visé au point\n(a) de l'article 3.", 1),
        # list items after a heading or a colon are their own segments
        ("en", "Rules\n(a) first rule\n(b) second rule", 3),
        ("en", "The parties shall:\n(a) ensure compliance;\n(b) report yearly.", 3),
        # an address the sentence runs through stays in it; a contact block's stands alone
        ("fr", "Pour toute question, écrivez\npresse@example.fr\navant vendredi.", 1),
        ("en", "Please e-mail\njobs@example.com\nbefore Friday.", 1),
        ("fr", "Tél. : 01 49 27 38 38\npresse@interieur.gouv.fr\nwww.interieur.gouv.fr", 3),
        # a document's number ends its sentence, as a page's does
        ("en", "See doc. 5. The next point is key.", 2),
        ("fr", "Voir le doc. 5. Le point suivant.", 2),
        # a label after a sentence end keeps its text; a letter alone on a line is a word
        ("en", "(a) The entities listed. (b) The others.", 2),
        ("en", "He bought\na\ncar yesterday.", 1),
        ("en", "I\nlove it.", 1),
        # a word of Roman letters is no numeral
        ("en", "CIVIL. The court ruled.", 2),
    ],
)
def test_wrapped_references_list_items_addresses_and_labels(lang: str, text: str,
                                                             expected: int) -> None:
    assert len(split_text(text, lang)) == expected, [s.text for s in split_text(text, lang)]


def test_a_byte_order_mark_opening_the_text_is_no_part_of_it() -> None:
    """A UTF-8 file read with plain ``open()`` keeps its BOM: the first segment must not."""
    segs = split_text("\ufeffBonjour. Merci.", "fr")
    assert [(s.text, s.start, s.end) for s in segs] == [("Bonjour.", 1, 9), ("Merci.", 10, 16)]
