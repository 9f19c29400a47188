"""Termbase lookup speed on a 100,000-entry French-English glossary.

Builds (once) a store in /tmp with generated but realistic terms (noun phrases such as
"garantie de sécurité" / "security guarantee", with plural and feminine forms), then prints
the library lookup latency (median and 95th percentile, several query kinds) and the wall time
of the ``tmtool glossary lookup`` command run as a subprocess.

    python benchmarks/bench_glossary.py [--entries 100000] [--db /tmp/tmtool_bench_glossary.db]
"""

from __future__ import annotations

import argparse
import os
import random
import statistics
import subprocess
import sys
import time
from pathlib import Path

from tmtool import termbase
from tmtool.lookup import find_in_text, lookup, open_readonly
from tmtool.model import Term, TermEntry, TermStatus
from tmtool.store import Store

# (French noun, gender, English noun)
NOUNS = [
    ("garantie", "f", "guarantee"), ("sécurité", "f", "security"), ("politique", "f", "policy"),
    ("accord", "m", "agreement"), ("traité", "m", "treaty"), ("frontière", "f", "border"),
    ("défense", "f", "defence"), ("armée", "f", "army"), ("budget", "m", "budget"),
    ("commission", "f", "commission"), ("conseil", "m", "council"), ("droit", "m", "right"),
    ("marché", "m", "market"), ("contrat", "m", "contract"), ("assurance", "f", "insurance"),
    ("banque", "f", "bank"), ("taux", "m", "rate"), ("prix", "m", "price"),
    ("énergie", "f", "energy"), ("réseau", "m", "network"), ("système", "m", "system"),
    ("service", "m", "service"), ("santé", "f", "health"), ("hôpital", "m", "hospital"),
    ("école", "f", "school"), ("élection", "f", "election"), ("loi", "f", "law"),
    ("tribunal", "m", "court"), ("juge", "m", "judge"), ("impôt", "m", "tax"),
    ("dette", "f", "debt"), ("crédit", "m", "credit"), ("emploi", "m", "employment"),
    ("salaire", "m", "wage"), ("entreprise", "f", "company"), ("industrie", "f", "industry"),
    ("agriculture", "f", "agriculture"), ("pêche", "f", "fishing"), ("transport", "m", "transport"),
    ("port", "m", "port"), ("aéroport", "m", "airport"), ("route", "f", "road"),
    ("eau", "f", "water"), ("déchet", "m", "waste"), ("pollution", "f", "pollution"),
    ("climat", "m", "climate"), ("émission", "f", "emission"), ("recherche", "f", "research"),
    ("innovation", "f", "innovation"), ("donnée", "f", "data"), ("logiciel", "m", "software"),
    ("protection", "f", "protection"), ("contrôle", "m", "control"),
    ("inspection", "f", "inspection"),
    ("sanction", "f", "sanction"), ("aide", "f", "aid"), ("subvention", "f", "subsidy"),
    ("fonds", "m", "fund"), ("investissement", "m", "investment"), ("croissance", "f", "growth"),
    ("monnaie", "f", "currency"), ("commerce", "m", "trade"), ("douane", "f", "customs"),
    ("migration", "f", "migration"), ("asile", "m", "asylum"), ("citoyen", "m", "citizen"),
    ("vote", "m", "vote"), ("parlement", "m", "parliament"), ("gouvernement", "m", "government"),
    ("ministre", "m", "minister"), ("région", "f", "region"), ("ville", "f", "city"),
    ("logement", "m", "housing"), ("retraite", "f", "pension"), ("famille", "f", "family"),
    ("enfant", "m", "child"), ("formation", "f", "training"), ("université", "f", "university"),
    ("culture", "f", "culture"), ("média", "m", "media"), ("presse", "f", "press"),
    ("télécommunication", "f", "telecommunication"), ("satellite", "m", "satellite"),
    ("nucléaire", "m", "nuclear power"), ("gaz", "m", "gas"), ("pétrole", "m", "oil"),
    ("électricité", "f", "electricity"), ("carburant", "m", "fuel"), ("véhicule", "m", "vehicle"),
    ("navire", "m", "ship"), ("avion", "m", "aircraft"), ("produit", "m", "product"),
    ("médicament", "m", "medicine"), ("vaccin", "m", "vaccine"), ("maladie", "f", "disease"),
    ("risque", "m", "risk"), ("crise", "f", "crisis"), ("conflit", "m", "conflict"),
    ("paix", "f", "peace"), ("cessez-le-feu", "m", "ceasefire"), ("otage", "m", "hostage"),
]
# (masculine, feminine, English)
ADJECTIVES = [
    ("national", "nationale", "national"), ("européen", "européenne", "European"),
    ("international", "internationale", "international"), ("public", "publique", "public"),
    ("privé", "privée", "private"), ("social", "sociale", "social"),
    ("économique", "économique", "economic"), ("financier", "financière", "financial"),
    ("fiscal", "fiscale", "fiscal"), ("militaire", "militaire", "military"),
    ("civil", "civile", "civil"), ("judiciaire", "judiciaire", "judicial"),
    ("commercial", "commerciale", "commercial"), ("industriel", "industrielle", "industrial"),
    ("agricole", "agricole", "agricultural"), ("maritime", "maritime", "maritime"),
    ("aérien", "aérienne", "air"), ("numérique", "numérique", "digital"),
    ("énergétique", "énergétique", "energy"), ("environnemental", "environnementale",
                                                "environmental"),
    ("sanitaire", "sanitaire", "health"), ("médical", "médicale", "medical"),
    ("local", "locale", "local"), ("régional", "régionale", "regional"),
    ("fédéral", "fédérale", "federal"), ("constitutionnel", "constitutionnelle",
                                         "constitutional"),
    ("sécuritaire", "sécuritaire", "security"), ("stratégique", "stratégique", "strategic"),
    ("technique", "technique", "technical"), ("scientifique", "scientifique", "scientific"),
    ("nouveau", "nouvelle", "new"), ("annuel", "annuelle", "annual"),
    ("mensuel", "mensuelle", "monthly"), ("durable", "durable", "sustainable"),
    ("renouvelable", "renouvelable", "renewable"), ("obligatoire", "obligatoire", "mandatory"),
    ("temporaire", "temporaire", "temporary"), ("permanent", "permanente", "permanent"),
    ("minimal", "minimale", "minimum"), ("maximal", "maximale", "maximum"),
]


def _fr_np(noun: tuple[str, str, str], adj: tuple[str, str, str] | None) -> str:
    if adj is None:
        return noun[0]
    return f"{noun[0]} {adj[1] if noun[1] == 'f' else adj[0]}"


def generate(n: int, seed: int = 7) -> list[TermEntry]:
    """``n`` distinct French-English concept entries."""
    rng = random.Random(seed)
    seen: set[str] = set()
    out: list[TermEntry] = []
    shapes = ["n_adj", "n_de_n", "n_adj_de_n", "n_de_n_adj", "n_a_n"]
    while len(out) < n:
        shape = rng.choice(shapes)
        n1, n2 = rng.choice(NOUNS), rng.choice(NOUNS)
        a1 = rng.choice(ADJECTIVES)
        if n1 == n2 and shape != "n_adj":
            continue
        if shape == "n_adj":
            fr, en = _fr_np(n1, a1), f"{a1[2]} {n1[2]}"
        elif shape == "n_de_n":
            fr, en = f"{n1[0]} de {n2[0]}", f"{n2[2]} {n1[2]}"
        elif shape == "n_adj_de_n":
            fr, en = f"{_fr_np(n1, a1)} de {n2[0]}", f"{a1[2]} {n2[2]} {n1[2]}"
        elif shape == "n_de_n_adj":
            fr, en = f"{n1[0]} de {_fr_np(n2, a1)}", f"{a1[2]} {n2[2]} {n1[2]}"
        else:
            fr, en = f"{n1[0]} à {n2[0]}", f"{n1[2]} for {n2[2]}"
        if fr in seen:
            # many combinations repeat; make them distinct concepts with a numbered variant
            fr, en = f"{fr} {len(out) % 97 + 2}", f"{en} {len(out) % 97 + 2}"
            if fr in seen:
                continue
        seen.add(fr)
        status = rng.choice([TermStatus.PREFERRED, None, None, TermStatus.ADMITTED])
        out.append(TermEntry(terms=(Term(fr, "fr-FR", pos="noun", status=status),
                                    Term(en, "en-GB", pos="noun", status=status))))
    return out


def build(db: Path, n: int) -> None:
    if db.exists():
        with Store(db) as s:
            if s.version("termbase") and termbase.count_entries(s) >= n:
                return
        for suffix in ("", "-wal", "-shm"):
            Path(f"{db}{suffix}").unlink(missing_ok=True)
    entries = generate(n)
    t0 = time.perf_counter()
    with Store(db) as s:
        termbase.migrate(s)
        termbase.add_entries(s, entries, merge=False)
    print(f"built {n:,} entries in {time.perf_counter() - t0:.1f} s ({db})")


def _stats(times: list[float]) -> str:
    ms = sorted(t * 1000 for t in times)
    p95 = ms[min(len(ms) - 1, int(len(ms) * 0.95))]
    return f"median {statistics.median(ms):.2f} ms, p95 {p95:.2f} ms"


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    ap.add_argument("--entries", type=int, default=100_000)
    ap.add_argument("--db", type=Path, default=Path("/tmp/tmtool_bench_glossary.db"))
    ap.add_argument("--queries", type=int, default=200)
    args = ap.parse_args()
    build(args.db, args.entries)
    rng = random.Random(11)
    sample = generate(args.entries)
    picks = [rng.choice(sample) for _ in range(args.queries)]
    kinds = {
        "exact": [e.terms[0].text for e in picks],
        "folded (no accents, upper case)": [
            e.terms[0].text.upper().replace("É", "E").replace("È", "E") for e in picks],
        "inflection (plural)": [" ".join(w + "s" if len(w) > 3 else w
                                         for w in e.terms[0].text.split()) for e in picks],
        "fuzzy (typo)": [e.terms[1].text[:-1] + "x" for e in picks],
        "no match": ["zzzz qqqq" for _ in picks],
    }
    conn = open_readonly(args.db)
    for kind, queries in kinds.items():
        times = []
        found = 0
        for q in queries:
            t0 = time.perf_counter()
            hits = lookup(conn, q, limit=10)
            times.append(time.perf_counter() - t0)
            found += bool(hits)
        print(f"lookup {kind:32s} {_stats(times)}  (found {found}/{len(queries)})")
    sentences = [f"Le conseil a examiné la {e.terms[0].text} et les questions de "
                 f"{rng.choice(picks).terms[0].text} hier soir à Bruxelles." for e in picks[:100]]
    times = []
    for s in sentences:
        t0 = time.perf_counter()
        find_in_text(conn, s, lang="fr")
        times.append(time.perf_counter() - t0)
    print(f"find_in_text (20-word sentence)        {_stats(times)}")
    conn.close()

    env = dict(os.environ, TMTOOL_DB=str(args.db))
    # the console script's code path, without the shell shim some installs put in front of it
    cmd = [sys.executable, "-c", "import sys, tmtool.cli.glossary; from tmtool.cli import "
           "main; sys.argv[0] = 'tmtool'; main()", "glossary", "lookup"]
    for label, q in (("exact", picks[0].terms[0].text),
                     ("inflection", kinds["inflection (plural)"][1]),
                     ("fuzzy", kinds["fuzzy (typo)"][2])):
        walls = []
        for _ in range(5):
            t0 = time.perf_counter()
            r = subprocess.run([*cmd, q], capture_output=True, text=True, env=env)
            walls.append(time.perf_counter() - t0)
            if r.returncode != 0:
                sys.exit(f"tmtool glossary lookup failed: {r.stderr.strip()}")
        print(f"tmtool glossary lookup ({label:10s}) wall: median {statistics.median(walls):.3f} s,"
              f" min {min(walls):.3f} s")
    bare = []
    for _ in range(5):
        t0 = time.perf_counter()
        subprocess.run([sys.executable, "-c", "pass"], capture_output=True)
        bare.append(time.perf_counter() - t0)
    print(f"(python start-up alone: median {statistics.median(bare):.3f} s)")


if __name__ == "__main__":
    main()
