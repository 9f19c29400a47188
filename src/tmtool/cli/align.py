"""``tmtool align``: segment and align a document with its translation, write TMX (or TSV...)."""

from __future__ import annotations

import json
import sys
from pathlib import Path
from typing import TYPE_CHECKING

import click

from ..textio import atomic_output
from . import TSV_ESCAPES, check_store, main, progress_enabled

if TYPE_CHECKING:
    from collections.abc import Iterator

    from ..bitext import Bitext
    from ..model import Link, TranslationUnit


@main.command("align")
@click.argument("src_file", type=click.Path(path_type=Path))
@click.argument("tgt_file", required=False, type=click.Path(path_type=Path))
@click.option("-o", "--output", type=click.Path(dir_okay=False, path_type=Path),
              help="Output file (default: standard output).")
@click.option("--format", "fmt", type=click.Choice(["tmx", "tsv", "jsonl", "json", "links"]),
              default="tmx", show_default=True,
              help="tmx: TMX 1.4b; tsv/jsonl/json: pairs for scripts; links: '[3, 4]:[2]' lines.")
@click.option("--src-lang", default="fr", show_default=True, help="Language of SRC_FILE.")
@click.option("--tgt-lang", default="en", show_default=True, help="Language of TGT_FILE.")
@click.option("--src-tag", help="xml:lang written for the source (default: fr-FR for fr).")
@click.option("--tgt-tag", help="xml:lang written for the target (default: en-GB for en).")
@click.option("--segmented", is_flag=True,
              help="Inputs are already split, one segment per line; align the lines as they are.")
@click.option("--glossary", "glossary_file", type=click.Path(path_type=Path),
              help="Bilingual glossary (TSV/CSV with source and target columns, or TBX) "
                   "whose term pairs add alignment evidence.")
@click.option("--keep-unaligned", is_flag=True,
              help="Also write one-sided links (1-0, 0-1) as single-language units.")
@click.option("--encoding", help="Encoding of the input files (default: from BOM, else UTF-8).")
@click.option("--db", "db_path", type=click.Path(dir_okay=False, path_type=Path),
              help="Also store the aligned pairs in this translation-memory store.")
def align_cmd(src_file: Path, tgt_file: Path | None, output: Path | None, fmt: str,
              src_lang: str, tgt_lang: str, src_tag: str | None, tgt_tag: str | None,
              segmented: bool, glossary_file: Path | None, keep_unaligned: bool,
              encoding: str | None, db_path: Path | None) -> None:
    """Align SRC_FILE (French) with its translation TGT_FILE (English) into a TMX.

    Both documents are split into sentences and aligned (1-1, 1-2, 2-1, 2-2 links and up
    to 1-4, 4-1, 2-3, 3-2, and one-sided 1-0, 0-1 links, each with a confidence). With a
    single file, the document is taken as mixed-language: its English paragraphs (a
    headline, a summary) are aligned with the French ones.
    """
    from ..bitext import (
        align_mixed,
        align_segments,
        header_props,
        segment_document,
        segmenter_settings,
        tmx_date,
        to_units,
    )
    from ..lang import checked, primary, with_region
    from ..textio import read_text

    src_lang, tgt_lang = checked(src_lang, "--src-lang"), checked(tgt_lang, "--tgt-lang")
    src_tag = checked(src_tag, "--src-tag") if src_tag else None
    tgt_tag = checked(tgt_tag, "--tgt-tag") if tgt_tag else None

    glossary = None
    if glossary_file is not None:
        from ..bitext import glossary_pairs

        glossary = glossary_pairs(str(glossary_file), src_lang, tgt_lang)
    if not segmented:
        from ..segment import LANGS

        for option, lang in (("--src-lang", src_lang), ("--tgt-lang", tgt_lang)):
            if primary(lang) not in LANGS:
                raise click.UsageError(
                    f"{option} {lang}: tmtool has sentence rules for {' and '.join(LANGS)} "
                    f"only; give files split one segment per line, with --segmented")
    src_text = read_text(src_file, encoding)
    if tgt_file is None:
        if segmented:
            raise click.UsageError("--segmented needs two files")
        bitext = align_mixed(src_text, src_lang=src_lang, tgt_lang=tgt_lang, glossary=glossary)
    else:
        tgt_text = read_text(tgt_file, encoding)
        from ..langid import warn_if_other_language

        warn_if_other_language(src_file, src_text, src_lang)
        warn_if_other_language(tgt_file, tgt_text, tgt_lang)
        _progress("segmenting")
        src = segment_document(src_text, src_lang, segmented=segmented)
        tgt = segment_document(tgt_text, tgt_lang, segmented=segmented)
        _progress(f"aligning {len(src)} x {len(tgt)} segments")
        bitext = align_segments(src, tgt, src_lang=src_lang, tgt_lang=tgt_lang,
                                glossary=glossary)
        bitext.settings["segmenter"] = segmenter_settings(src_lang, tgt_lang, segmented)
        _progress("writing")

    origin = src_file.name if tgt_file is None else f"{src_file.name}+{tgt_file.name}"
    if db_path is not None:
        from ..memory import ensure_schema

        check_store(db_path, ensure_schema)  # before any output: a failed command changes nothing

    def units(one_sided: bool = keep_unaligned) -> Iterator[TranslationUnit]:
        # streamed: a big memory is never held twice
        return to_units(bitext, src_tag=src_tag, tgt_tag=tgt_tag, keep_one_sided=one_sided,
                        origin=origin, date=date)

    date = tmx_date()
    if fmt == "tmx":
        from ..formats.tmx import write_tmx

        target = str(output) if output else "-"
        write_tmx(target, units(), srclang=with_region(src_tag or src_lang),
                  header_props=header_props(bitext))
    else:
        _write_script_output(bitext, fmt, output, keep_unaligned)

    if db_path is not None:
        from ..memory import add_units
        from ..store import Store

        with Store(db_path) as store:  # a one-sided unit is no translation: pairs only
            report = add_units(store, units(one_sided=False), origin=origin)
        click.echo(f"stored in {db_path}: {report.summary()}", err=True)

    one_sided = bitext.one_sided()
    kinds: dict[str, int] = {}
    for link in bitext.links:
        kinds[link.kind] = kinds.get(link.kind, 0) + 1
    summary = ", ".join(f"{k}: {n}" for k, n in sorted(kinds.items()))
    click.echo(f"{len(bitext.src)} {src_lang} and {len(bitext.tgt)} {tgt_lang} segments, "
               f"{len(bitext.links)} links ({summary})", err=True)
    if one_sided and not keep_unaligned and fmt != "links":  # links lists them itself
        where = "; ".join(
            f"{link.kind} {_describe(bitext, link)}" for link in one_sided[:10]
        )
        click.echo(f"left out {len(one_sided)} one-sided link(s) (--keep-unaligned keeps "
                   f"them): {where}", err=True)
    wordless = bitext.wordless()
    if wordless and not keep_unaligned and fmt != "links":
        where = "; ".join(f"{link} \u00ab{bitext.pair_text(link)[0][:20]}\u00bb"
                          for link in wordless[:10])
        click.echo(f"left out {len(wordless)} pair(s) without words (--keep-unaligned keeps "
                   f"them): {where}", err=True)
    if bitext.untranslated:
        where = "; ".join(_describe(bitext, bitext.links[k], target=True)
                          for k in sorted(bitext.untranslated)[:10])
        fate = ("" if fmt == "links" else "; left out (--keep-unaligned keeps them)"
                if not keep_unaligned else "; kept, marked untranslated"
                + (", but not stored" if db_path is not None else ""))
        click.echo(f"Warning: {len(bitext.untranslated)} pair(s) whose {tgt_lang} side "
                   f"reads as {src_lang} (left untranslated?){fate}: {where}", err=True)


def _progress(stage: str) -> None:
    """Stage messages for big files, only when a person watches stderr."""
    if progress_enabled():
        click.echo(f"tmtool align: {stage}…", err=True)


def _describe(bitext: Bitext, link: Link, target: bool = False) -> str:
    src, tgt = bitext.pair_text(link)
    text = tgt if target else src or tgt
    return f"{link} \u00ab{text[:50]}{'…' if len(text) > 50 else ''}\u00bb"


def _write_script_output(bitext: Bitext, fmt: str, output: Path | None,
                         keep_unaligned: bool) -> None:
    """TSV, JSON Lines, JSON or gold-style links, written atomically when to a file."""
    lines: list[str] = []
    records = []
    if fmt == "links":
        lines = [str(link) for link in bitext.links]
    for link, untranslated in [] if fmt == "links" else bitext.written(keep_unaligned):
        src, tgt = bitext.pair_text(link)
        rec = {"src": src, "tgt": tgt, "kind": link.kind, "confidence": round(link.score, 4),
               "src_segments": list(link.src), "tgt_segments": list(link.tgt)}
        if untranslated:
            rec["untranslated"] = True
        if fmt == "tsv":
            clean = [v.translate(TSV_ESCAPES) for v in (src, tgt)]
            lines.append(f"{clean[0]}\t{clean[1]}\t{link.kind}\t{link.score:.4f}")
        elif fmt == "jsonl":
            lines.append(json.dumps(rec, ensure_ascii=False))
        else:
            records.append(rec)
    if fmt == "json":
        lines = [json.dumps(records, ensure_ascii=False, indent=1)]
    text = "\n".join(lines) + ("\n" if lines else "")
    if output is None:
        sys.stdout.write(text)
        return
    with atomic_output(output, encoding="utf-8", newline="") as f:
        f.write(text)
