"""Regenerate the termbases in glossaries/ from the bundled corpora.

For every corpus pair ``corpora/NAME.fr.txt`` / ``corpora/NAME.en.txt`` this runs

    tmtool glossary build corpora/NAME.fr.txt corpora/NAME.en.txt \\
        --glossary glossaries/NAME.curated.csv --no-store \\
        -o glossaries/NAME.tbx -o glossaries/NAME.csv

``NAME.curated.csv`` is the hand-made part (definitions, statuses, synonyms): edit that file,
never the generated ``NAME.tbx`` and ``NAME.csv``, then rerun

    python scripts/build_glossaries.py              # add --validate to check each TBX
                                                    # with ../shared/tools/validate_tbx.sh
The output holds no date and no absolute path, so a rerun on unchanged inputs and code writes
the same bytes (tests/test_glossaries.py checks that the committed files are up to date).
"""

from __future__ import annotations

import argparse
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]


def commands(out_dir: Path | None = None) -> list[list[str]]:
    """The ``tmtool`` arguments that rebuild each termbase, paths relative to the project root
    (outputs go to ``out_dir`` when given, e.g. a temporary folder)."""
    out = []
    for fr in sorted((ROOT / "corpora").glob("*.fr.txt")):
        name = fr.name[: -len(".fr.txt")]
        en = fr.with_name(f"{name}.en.txt")
        if not en.exists():
            continue
        target = out_dir if out_dir is not None else Path("glossaries")
        args = ["glossary", "build", f"corpora/{fr.name}", f"corpora/{en.name}", "--no-store"]
        curated = ROOT / "glossaries" / f"{name}.curated.csv"
        if curated.exists():
            args += ["--glossary", f"glossaries/{curated.name}"]
        args += ["-o", str(target / f"{name}.tbx"), "-o", str(target / f"{name}.csv")]
        out.append(args)
    return out


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--out", type=Path, default=None,
                    help="write the termbases here instead of glossaries/")
    ap.add_argument("--validate", action="store_true",
                    help="check each TBX against the TBX-Basic schemas (needs ../shared)")
    a = ap.parse_args(argv)
    import importlib.util
    import os

    if importlib.util.find_spec("tmtool") is None:  # not installed: use the source tree
        sys.path.insert(0, str(ROOT / "src"))
    from tmtool.cli import main as tmtool

    os.chdir(ROOT)  # sources are named relative to the project root
    for args in commands(a.out.resolve() if a.out else None):
        print("tmtool", " ".join(args), file=sys.stderr, flush=True)
        try:
            tmtool.main(args, prog_name="tmtool", standalone_mode=False)
        except SystemExit as e:  # click exits on errors even when not standalone
            if e.code:
                return int(e.code)
        if a.validate:
            import subprocess

            tbx = Path(args[args.index("-o") + 1])
            check = ROOT.parent / "shared" / "tools" / "validate_tbx.sh"
            if subprocess.run(["bash", str(check), str(tbx), "basic"]).returncode != 0:
                return 1
    return 0


if __name__ == "__main__":
    sys.exit(main())
