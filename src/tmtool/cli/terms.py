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
from . import FORMAT_CHOICE, check_store, emit_records, progress_enabled
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
    from ..langid import warn_if_other_language
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
    from ..terms.build import glossary_from_documents, glossary_from_tmx
    from ..textio import check_writable, read_text

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

    def progress(done: int, total: int) -> None:
        click.echo(f"\rpairing terms {done}/{total}", err=True, nl=False)

    if tmx is not None:
        built = glossary_from_tmx(tmx, curated=seed, progress=progress if show else None)
    else:
        fr_text, en_text = read_text(documents[0], encoding), read_text(documents[1], encoding)
        if show:
            click.echo("segmenting and aligning...", err=True)
        built = glossary_from_documents(fr_text, en_text, curated=seed, fr_name=documents[0],
                                        en_name=documents[1],
                                        progress=progress if show else None)
    if show:
        click.echo("", err=True)
    result, entries = built.pairs, built.entries
    if exports:  # the files first: a store cannot be half-updated, and was checked
        records = _export(entries, exports, built.title)
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


def _export(entries: Sequence[TermEntry], outputs: Sequence[Path], title: str
            ) -> list[dict[str, Any]]:
    from ..terms.build import write_termbase

    records: list[dict[str, Any]] = []
    for out in outputs:
        count = write_termbase(entries, out, title=title)
        records.append({"file": str(out), "entries": count})
    return records


def _report_exports(records: list[dict[str, Any]], fmt: str) -> None:
    if fmt == "text":
        for r in records:
            click.echo(f"{r['file']}: {r['entries']} entries")
    else:
        emit_records(records, fmt, ["file", "entries"])
