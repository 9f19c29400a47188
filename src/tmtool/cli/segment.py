"""``tmtool segment``: split a text file into sentences."""

from __future__ import annotations

import click

from . import FORMAT_CHOICE, emit_json, emit_tsv, main


@main.command("segment")
@click.argument("file", type=click.Path(dir_okay=True, path_type=str))
@click.option(
    "--lang",
    "-l",
    required=True,
    type=click.Choice(["fr", "en"], case_sensitive=False),
    help="Language of the text (its sentence rules).",
)
@click.option(
    "--format",
    "fmt",
    type=FORMAT_CHOICE,
    default="text",
    show_default=True,
    help="text: one sentence per line; json: objects with offsets; tsv: para, start, end, text.",
)
@click.option(
    "--encoding",
    default=None,
    help="Encoding of FILE when it is not UTF-8 and has no BOM (e.g. cp1252).",
)
@click.option(
    "--keep-quotations",
    is_flag=True,
    help="Keep a quotation its sentence goes on after (« Non. C'est exclu », a-t-il dit.) "
    "in one segment; the output can be aligned with `tmtool align --segmented`.",
)
def segment_cmd(file: str, lang: str, fmt: str, encoding: str | None,
                keep_quotations: bool) -> None:
    """Split FILE (- for standard input) into sentences, headlines and list items.

    Offsets (json, tsv) are character offsets into the file's text after decoding and
    turning CRLF line ends into LF; paragraphs (blank-line separated) count from 0.
    """
    from ..segment import one_line, split_text
    from ..textio import read_text

    text = read_text(file, encoding=encoding)
    segments = split_text(text, lang, keep_quotations=keep_quotations)
    if fmt == "json":
        emit_json(
            [{"text": s.text, "start": s.start, "end": s.end, "para": s.para} for s in segments]
        )
    elif fmt == "tsv":
        emit_tsv(
            ((s.para, s.start, s.end, s.text) for s in segments),
            header=("para", "start", "end", "text"),
        )
    else:
        for s in segments:
            click.echo(one_line(s.text))
