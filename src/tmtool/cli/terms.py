"""tmtool glossary extract / build: terms of a document, and term pairs of a translation."""

from __future__ import annotations

import os
from pathlib import Path

import click

from ..errors import UsageError
from . import FORMAT_CHOICE, emit_records, progress_enabled
from . import glossary_group as glossary

LANG_CHOICE = click.Choice(["fr", "en"])


@glossary.command("extract")
@click.argument("files", nargs=-1, required=True, type=click.Path(path_type=Path))
@click.option("--lang", required=True, type=LANG_CHOICE, help="Language of the files.")
@click.option("--format", "fmt", type=FORMAT_CHOICE, default="text", show_default=True,
              help="text: one term per line; tsv/json add score, frequency and documents.")
@click.option("--limit", type=click.IntRange(min=1), default=None,
              help="At most this many terms (the tool chooses the cut-off otherwise).")
def extract_cmd(files: tuple[Path, ...], lang: str, fmt: str, limit: int | None) -> None:
    """Terms of FILE... (one document each), best first."""
    from ..terms import extract_terms
    from ..textio import read_text

    texts = [read_text(f) for f in files]
    if progress_enabled():
        click.echo(f"extracting terms from {len(texts)} document(s)...", err=True)
    terms = extract_terms(texts, lang, limit=limit)
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


def _pairs_from_documents(fr_path: Path, en_path: Path) -> tuple[list[tuple[str, str]],
                                                                 str, str]:
    from ..bitext import align_texts
    from ..textio import read_text

    fr_text, en_text = read_text(fr_path), read_text(en_path)
    bt = align_texts(fr_text, en_text, src_lang="fr", tgt_lang="en")
    pairs = []
    for link in bt.links:
        if link.src and link.tgt:
            pairs.append((" ".join(bt.src[i].text for i in link.src),
                          " ".join(bt.tgt[i].text for i in link.tgt)))
    return pairs, fr_text, en_text


@glossary.command("build")
@click.argument("documents", nargs=-1, metavar="[FR EN]", type=click.Path(path_type=Path))
@click.option("--tmx", type=click.Path(path_type=Path), default=None,
              help="Take aligned French-English pairs from this TMX instead of FR EN.")
@click.option("--db", type=click.Path(dir_okay=False, path_type=Path), default=None,
              help="The store (default: $TMTOOL_DB, else ./tmtool.db).")
@click.option("--no-store", is_flag=True, help="Only print the pairs.")
@click.option("--format", "fmt", type=FORMAT_CHOICE, default="text", show_default=True,
              help="text: 'french = english' lines; tsv/json add confidence and counts.")
def build_cmd(documents: tuple[Path, ...], tmx: Path | None, db: Path | None, no_store: bool,
              fmt: str) -> None:
    """Pair the terms of a French document FR with its English translation EN.

    The two documents are segmented and aligned (or pairs come from --tmx); the term pairs are
    added to the termbase and printed, best first.
    """
    from ..terms.build import build_glossary, to_entries

    if tmx is not None and documents:
        raise UsageError("give either FR EN or --tmx, not both")
    if tmx is None and len(documents) != 2:
        raise UsageError("give two documents (FR EN) or --tmx FILE")
    show = progress_enabled()
    if tmx is not None:
        pairs = _pairs_from_tmx(tmx)
        fr_texts = en_texts = None
        source = str(tmx)
    else:
        if show:
            click.echo("segmenting and aligning...", err=True)
        pairs, fr_text, en_text = _pairs_from_documents(documents[0], documents[1])
        fr_texts, en_texts = [fr_text], [en_text]
        source = str(documents[0])
    if not pairs:
        raise UsageError("no aligned French-English pairs to build a glossary from")

    def progress(done: int, total: int) -> None:
        click.echo(f"\rpairing terms {done}/{total}", err=True, nl=False)

    result = build_glossary(pairs, fr_texts=fr_texts, en_texts=en_texts,
                            progress=progress if show else None)
    if show:
        click.echo("", err=True)
    if not no_store:
        from ..store import Store, default_path
        from ..termbase import add_entries, migrate

        with Store(default_path(db, dict(os.environ))) as store:
            migrate(store)
            stored = add_entries(store, to_entries(result, source=source))
        click.echo(f"{stored} term pair(s) stored in {store.path}", err=True)
    if fmt == "text":
        for p in result:
            click.echo(f"{p.fr} = {p.en}")
        return
    records = [{"fr": p.fr, "en": p.en, "confidence": p.confidence, "count": p.count,
                "context_fr": p.context_fr, "context_en": p.context_en} for p in result]
    emit_records(records, fmt, ["fr", "en", "confidence", "count", "context_fr", "context_en"])
