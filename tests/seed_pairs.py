"""The seed term pairs of the bundled corpus: what users first asked the glossary builder for.

Shared by the tests of the builder (test_terms_seed) and of the built termbase (test_glossaries).
"""

SEED_PAIRS = [
    ("garanties de sécurité", "security guarantees"),
    ("Coalition of the Willing", "Coalition of the Willing"),
    ("article 5", "Article 5"),
    ("plan de paix en 20 points", "20-point peace plan"),
    ("secrétaire général de l'OTAN", "NATO Secretary General"),
    ("cessez-le-feu", "ceasefire"),
]
