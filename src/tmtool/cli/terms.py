"""tmtool glossary extract / build: terms of a document, and term pairs of a translation."""

from __future__ import annotations

import os
from collections.abc import Sequence
from pathlib import Path
from typing import Any

import click

from ..errors import UsageError
from ..lang import primary
from ..model import TermEntry
from . import FORMAT_CHOICE, check_store, emit_records, progress_enabled, warn_if_other_language
from . import glossary_group as glossary

LANG_CHOICE = click.Choice(["fr", "en"])


@glossary.command("extract")
@click.argument("files", nargs=-1, required=True, type=click.Path(path_type=Path))
@click.option("--lang", required=True, type=LANG_CHOICE, help="Language of the files.")
@click.option("--format", "fmt", type=FORMAT_CHOICE, default="text", show_default=True,
              help="text: one term per line; tsv/json add score, frequency and documents.")
@click.option("--limit", type=click.IntRange(min=1), default=None,
              help="The best this many candidates, past the tool's cut-off if need be "
                   "(the tool chooses the cut-off otherwise).")
@click.option("--encoding", default=None,
              help="Encoding of the input files when not UTF-8 and without a BOM (e.g. cp1252).")
def extract_cmd(files: tuple[Path, ...], lang: str, fmt: str, limit: int | None,
                encoding: str | None) -> None:
    """Terms of FILE... (one document each), best first."""
    from ..terms import extract_terms
    from ..textio import read_text

    texts = [read_text(f, encoding) for f in files]
    for f, text in zip(files, texts, strict=True):
        warn_if_other_language(f, text, lang)
    if progress_enabled():
        click.echo(f"extracting terms from {len(texts)} document(s)...", err=True)
    # With --limit the user sets the count: a reviewer may want the candidates just below
    # the cut-off too.
    terms = extract_terms(texts, lang, limit=limit, threshold=None if limit is None else 0.0)
    if fmt == "text":
        for t in terms:
            click.echo(t.term)
        return
    records = [{"term": t.term, "score": t.score, "frequency": t.frequency,
                "documents": t.documents} for t in terms]
    emit_records(records, fmt, ["term", "score", "frequency", "documents"])


def _pairs_from_tmx(path: Path) -> list[tuple[str, str]]:
    from ..formats.tmx import read_tmx

    out = []
    for unit in read_tmx(path):
        fr, en = unit.variant("fr"), unit.variant("en")
        if fr is not None and en is not None and fr.text.strip() and en.text.strip():
            out.append((fr.text, en.text))
    return out


def _pairs_from_documents(fr_path: Path, en_path: Path,
                          glossary: list[tuple[str, str]] | None = None,
                          encoding: str | None = None
                          ) -> tuple[list[tuple[str, str]], str, str]:
    from ..bitext import align_texts
    from ..textio import read_text

    fr_text, en_text = read_text(fr_path, encoding), read_text(en_path, encoding)
    warn_if_other_language(fr_path, fr_text, "fr")
    warn_if_other_language(en_path, en_text, "en")
    bt = align_texts(fr_text, en_text, src_lang="fr", tgt_lang="en", glossary=glossary or None)
    pairs = [bt.pair_text(link) for link, _ in bt.written()]  # no untranslated pair
    return pairs, fr_text, en_text


@glossary.command("build")
@click.argument("documents", nargs=-1, metavar="[FR EN]", type=click.Path(path_type=Path))
@click.option("--tmx", type=click.Path(path_type=Path), default=None,
              help="Take aligned French-English pairs from this TMX instead of FR EN.")
@click.option("--glossary", "curated", multiple=True, type=click.Path(path_type=Path),
              help="A curated glossary (CSV/TSV/TBX) to merge in: its entries come first and "
                   "win over built pairs sharing a term; also guides the alignment. Repeatable.")
@click.option("-o", "--export", "exports", multiple=True, type=click.Path(path_type=Path),
              help="Write the termbase to FILE.tbx (TBX-Basic v3), FILE.csv or FILE.tsv "
                   "instead of printing the pairs. Repeatable.")
@click.option("--db", type=click.Path(dir_okay=False, path_type=Path), default=None,
              help="The store (default: $TMTOOL_DB, else ./tmtool.db).")
@click.option("--no-store", is_flag=True, help="Do not add the entries to the store.")
@click.option("--format", "fmt", type=FORMAT_CHOICE, default="text", show_default=True,
              help="text: 'french = english' lines; tsv/json add confidence and counts.")
@click.option("--encoding", default=None,
              help="Encoding of the input files when not UTF-8 and without a BOM (e.g. cp1252).")
def build_cmd(documents: tuple[Path, ...], tmx: Path | None, curated: tuple[Path, ...],
              exports: tuple[Path, ...], db: Path | None, no_store: bool, fmt: str,
              encoding: str | None) -> None:
    """Pair the terms of a French document FR with its English translation EN.

    The two documents are segmented and aligned (or pairs come from --tmx); the term pairs are
    added to the termbase and printed, best first. With --glossary and -o the same command
    regenerates a termbase file: the curated entries, then the pairs the documents add.
    """
    from ..store import default_path
    from ..termbase import migrate
    from ..terms.build import build_glossary, curated_pairs, merge_curated, to_entries
    from ..textio import check_writable

    if tmx is not None and documents:
        raise UsageError("give either FR EN or --tmx, not both")
    if tmx is None and len(documents) != 2:
        raise UsageError("give two documents (FR EN) or --tmx FILE")
    for out in exports:
        if not out.name.lower().endswith((".tbx", ".csv", ".tsv")):
            raise UsageError(f"{out}: the output must end in .tbx, .csv or .tsv")
        check_writable(out)  # before the work, and before any other output is written
    store_path = None if no_store else default_path(db, dict(os.environ))
    if store_path is not None:
        check_store(store_path, migrate)
    seed = _read_glossaries(curated, encoding)
    show = progress_enabled()
    if tmx is not None:
        pairs = _pairs_from_tmx(tmx)
        fr_texts = en_texts = None
        fr_source = en_source = tmx.name
    else:
        if show:
            click.echo("segmenting and aligning...", err=True)
        pairs, fr_text, en_text = _pairs_from_documents(documents[0], documents[1],
                                                        curated_pairs(seed), encoding)
        fr_texts, en_texts = [fr_text], [en_text]
        fr_source, en_source = documents[0].name, documents[1].name
    if not pairs:
        what = f"{tmx}: no unit with both French and English text" if tmx is not None else (
            f"{documents[0]} and {documents[1]}: no aligned French-English pairs")
        raise UsageError(f"{what} to build a glossary from")

    def progress(done: int, total: int) -> None:
        click.echo(f"\rpairing terms {done}/{total}", err=True, nl=False)

    result = build_glossary(pairs, fr_texts=fr_texts, en_texts=en_texts,
                            progress=progress if show else None)
    if show:
        click.echo("", err=True)
    entries = to_entries(result, source=fr_source, en_source=en_source)
    if seed:
        entries = merge_curated(seed, entries)
    if exports:  # the files first: a store cannot be half-updated, and was checked
        records = _export(entries, exports, fr_source if tmx is not None else
                          f"{fr_source} and {en_source}")
    left_out: set[tuple[str, str]] = set()  # (fr, en) pairs the store did not take
    if store_path is not None:
        from ..store import Store
        from ..termbase import add_entries_counted

        with Store(store_path) as store:
            migrate(store)
            # what the termbase already pairs otherwise (curated, corrected) stays as it is
            counts = add_entries_counted(store, entries, update=False)
        kept = (f"; {counts.kept} left out (marked below), the termbase pairing their terms "
                "otherwise" if counts.kept else "")
        left_out = {(fr.text, en.text) for e in counts.left_out for fr in e.terms
                    if primary(fr.lang) == "fr" for en in e.terms if primary(en.lang) == "en"}
        click.echo(f"{counts.total} term pair(s) stored in {store.path}{kept}", err=True)
    if exports:
        _report_exports(records, fmt)
        return
    if fmt == "text":
        for p in result:
            out = "  (left out of the store)" if (p.fr, p.en) in left_out else ""
            click.echo(f"{p.fr} = {p.en}{out}")
        return
    records = [{"fr": p.fr, "en": p.en, "confidence": p.confidence, "count": p.count,
                "context_fr": p.context_fr, "context_en": p.context_en,
                **({"stored": (p.fr, p.en) not in left_out} if store_path is not None else {})}
               for p in result]
    emit_records(records, fmt, ["fr", "en", "confidence", "count", "context_fr", "context_en",
                                *(["stored"] if store_path is not None else [])])


def _read_glossaries(paths: Sequence[Path], encoding: str | None = None) -> list[TermEntry]:
    from ..termbase import read_file

    return [e for p in paths for e in read_file(p, encoding=encoding)]


def _export(entries: Sequence[TermEntry], outputs: Sequence[Path], built_from: str
            ) -> list[dict[str, Any]]:
    from ..terms.build import write_termbase

    records: list[dict[str, Any]] = []
    for out in outputs:
        count = write_termbase(entries, out, title=f"Termbase built from {built_from}")
        records.append({"file": str(out), "entries": count})
    return records


def _report_exports(records: list[dict[str, Any]], fmt: str) -> None:
    if fmt == "text":
        for r in records:
            click.echo(f"{r['file']}: {r['entries']} entries")
    else:
        emit_records(records, fmt, ["file", "entries"])
