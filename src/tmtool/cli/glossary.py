"""tmtool glossary commands: look terms up, add, edit, delete, list, import and export.

``lookup`` opens the store read-only without the store's write helpers and imports nothing
heavy unless fuzzy candidates need scoring, so it answers fast on large termbases.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Sequence
from typing import TYPE_CHECKING, Any

import click

from ..errors import UsageError
from ..model import DataCategory, Term, TermEntry
from . import FORMAT_CHOICE, emit_json, emit_tsv
from . import glossary_group as glossary

if TYPE_CHECKING:  # pragma: no cover
    from ..lookup import TermHit
    from ..store import Store

def _common(f: Callable[..., Any]) -> Callable[..., Any]:
    f = click.option("--format", "fmt", type=FORMAT_CHOICE, default="text", show_default=True,
                     help="Output format.")(f)
    f = click.option("--db", type=click.Path(dir_okay=False), envvar="TMTOOL_DB",
                     default="tmtool.db", show_default=True, show_envvar=True,
                     help="The store (SQLite file).")(f)
    return f


def _store(db: str) -> Store:
    from ..store import Store
    from ..termbase import migrate

    store = Store(db)
    migrate(store)
    return store


def _n(count: int) -> str:
    return f"{count} entry" if count == 1 else f"{count} entries"


def _data_records(items: Iterable[DataCategory]) -> list[dict[str, str]]:
    return [{k: v for k, v in item._asdict().items() if v is not None} for item in items]


def _term_record(t: Term) -> dict[str, Any]:
    rec: dict[str, Any] = {"lang": t.lang, "text": t.text}
    for f in ("status", "pos", "context", "source", "note", "created", "modified"):
        v = getattr(t, f)
        if v:
            rec[f] = str(v)
    if t.data:
        rec["data"] = _data_records(t.data)
    return rec


def _entry_record(e: TermEntry) -> dict[str, Any]:
    rec: dict[str, Any] = {"id": e.id, "terms": [_term_record(t) for t in e.terms]}
    for f in ("subject", "definition", "note", "confidence", "created", "modified"):
        v = getattr(e, f)
        if v is not None:
            rec[f] = v
    if e.extra:  # other tools' fields and language-level definitions (definition:LANG)
        rec["extra"] = dict(e.extra)
    if e.data:
        rec["data"] = _data_records(e.data)
    return rec


def _terms_text(terms: Iterable[Term]) -> str:
    out = []
    for t in terms:
        extra = ", ".join(str(x) for x in (t.status, t.pos) if x)
        out.append(f"{t.text} [{extra}]" if extra else t.text)
    return " | ".join(out)


def _by_lang(e: TermEntry) -> dict[str, list[Term]]:
    groups: dict[str, list[Term]] = {}
    for t in e.terms:
        groups.setdefault(t.lang, []).append(t)
    return groups


def _emit_entries(entries: Sequence[TermEntry], fmt: str) -> None:
    if fmt == "json":
        emit_json([_entry_record(e) for e in entries])
    elif fmt == "tsv":
        emit_tsv(([e.id, t.lang, t.text, t.status, t.pos, e.subject, e.definition]
                  for e in entries for t in e.terms),
                 header=["id", "lang", "term", "status", "pos", "subject", "definition"])
    else:
        for e in entries:
            langs = "   ".join(f"{lang}: {_terms_text(ts)}" for lang, ts in _by_lang(e).items())
            click.echo(f"#{e.id}  {langs}")
            if e.definition:
                click.echo(f"      definition: {e.definition}")


# -- lookup ----------------------------------------------------------------------------------


@glossary.command("lookup")
@click.argument("query_words", metavar="QUERY", nargs=-1)
@click.option("--src", help="Language of the query (fr, en...); default: any.")
@click.option("--tgt", help="Language of the equivalents to show; default: the others.")
@click.option("--in", "sentence", metavar="SENTENCE",
              help="Find every glossary term inside this sentence instead.")
@click.option("--limit", type=click.IntRange(min=1), default=10, show_default=True,
              help="At most this many entries.")
@click.option("--no-fuzzy", is_flag=True, help="Exact, folded and inflected matches only.")
@click.option("--min", "min_score", type=click.FloatRange(0, 100), default=0, show_default=True,
              help="Lowest score of a fuzzy match shown (exact 100, folded 97, inflected 92; "
                   "fuzzy at most 85, a word of a longer term about 50).")
@_common
def lookup_cmd(query_words: tuple[str, ...], src: str | None, tgt: str | None, sentence: str | None,
               limit: int, no_fuzzy: bool, min_score: float, db: str, fmt: str) -> None:
    """Look a term up (case-, accent- and inflection-tolerant), best matches first.

    QUERY may be several words (quotes optional). Shows each matching entry with its
    equivalents in the other language. With --in, lists every glossary term that occurs in a
    whole sentence, in the sentence's language (--src, else the one it clearly reads as).
    """
    from ..lookup import find_in_text, lookup, open_readonly

    query = " ".join(query_words).strip()
    if not query and not sentence:
        raise UsageError("give a QUERY to look up, or --in SENTENCE")
    if query and sentence:
        raise UsageError("give either a QUERY or --in SENTENCE, not both")
    conn = open_readonly(db)
    try:
        if sentence:
            hits = find_in_text(conn, sentence, lang=src, tgt=tgt, limit=limit)
        else:
            hits = lookup(conn, query, src=src, tgt=tgt, fuzzy=not no_fuzzy, limit=limit,
                          min_score=min_score)
    finally:
        conn.close()
    _emit_hits(hits, tgt, fmt)


def _emit_hits(hits: Sequence[TermHit], tgt: str | None, fmt: str) -> None:
    if fmt == "json":
        records = []
        for h in hits:
            rec: dict[str, Any] = {"id": h.entry.id, "how": h.how, "score": h.score,
                                   "term": _term_record(h.term),
                                   "equivalents": [_term_record(t) for t in h.equivalents(tgt)]}
            if h.span:
                rec["span"] = list(h.span)
            for f in ("subject", "definition", "note"):
                if getattr(h.entry, f):
                    rec[f] = getattr(h.entry, f)
            records.append(rec)
        emit_json(records)
        return
    if fmt == "tsv":  # statuses last: scripts reading the first columns keep working
        emit_tsv(([h.entry.id, h.score, h.how, h.term.lang, h.term.text,
                   h.span[0] if h.span else None, h.span[1] if h.span else None,
                   " | ".join(f"{t.lang}:{t.text}" for t in h.equivalents(tgt)), h.term.status,
                   " | ".join(str(t.status or "") for t in h.equivalents(tgt))
                   if any(t.status for t in h.equivalents(tgt)) else None] for h in hits),
                 header=["id", "score", "how", "lang", "term", "start", "end", "equivalents",
                         "status", "equivalents_status"])
        return
    if not hits:
        click.echo("no match")
        return
    for h in hits:
        groups: dict[str, list[Term]] = {}
        for t in h.equivalents(tgt):
            groups.setdefault(t.lang, []).append(t)
        eq = "; ".join(f"{lang}: {_terms_text(ts)}" for lang, ts in groups.items())
        where = f" @{h.span[0]}-{h.span[1]}" if h.span else ""
        eq = eq or (f"no {tgt} equivalent" if tgt else "-")
        click.echo(f"{h.term.text} ({h.term.lang}) -> {eq}"
                   f"    [{h.how} {h.score:g}, #{h.entry.id}{where}]")
        lang_def = h.entry.extra.get(f"definition:{h.term.lang}")
        if h.entry.definition:
            click.echo(f"    definition: {h.entry.definition}")
        elif lang_def:  # the definition of the language section the term is in
            click.echo(f"    definition ({h.term.lang}): {lang_def}")
        if h.entry.subject:
            click.echo(f"    subject: {h.entry.subject}")
        if h.entry.note:
            click.echo(f"    note: {h.entry.note}")
        for t in (h.term, *h.equivalents(tgt)):  # "client: do not use" is said here
            if t.note:
                click.echo(f"    note on {t.text} ({t.lang}): {t.note}")


# -- add / edit / delete / list ----------------------------------------------------------------


def _term_options(f: Callable[..., Any]) -> Callable[..., Any]:
    for opt, help_ in (("--note", "A note on the entry."),
                       ("--subject", "Subject field (domain)."),
                       ("--definition", "Definition of the concept."),
                       ("--context", "Example sentence, for the terms given in its language."),
                       ("--pos", "Part of speech of the terms given (noun, verb, adjective...)."),
                       ("--status", "Status of the terms given: preferred, admitted, deprecated "
                                    "or forbidden.")):
        f = click.option(opt, help=help_)(f)
    f = click.option("--term", "other", multiple=True, metavar="LANG=TERM",
                     help="A term in another language, e.g. de=Garantie (repeatable).")(f)
    f = click.option("--en", multiple=True, metavar="TERM",
                     help="English term (repeat for synonyms).")(f)
    f = click.option("--fr", multiple=True, metavar="TERM",
                     help="French term (repeat for synonyms).")(f)
    return f


def _given_terms(fr: Sequence[str], en: Sequence[str], other: Sequence[str],
                 status: str | None, pos: str | None, context: str | None) -> list[Term]:
    from ..termbase import parse_status

    st = parse_status(status) if status else None
    pairs = [("fr", t) for t in fr] + [("en", t) for t in en]
    for item in other:
        lang, sep, text = item.partition("=")
        if not sep or not lang.strip() or not text.strip():
            raise UsageError(f"--term {item!r}: expected LANG=TERM, e.g. de=Garantie")
        pairs.append((lang.strip(), text))
    terms = []
    for lang, text in pairs:
        if not text.strip():
            raise UsageError(f"empty {lang} term")
        terms.append(Term(text=text.strip(), lang=lang, status=st, pos=pos, context=context))
    from ..termbase import context_in_its_language

    return context_in_its_language(terms, context)


@glossary.command("add")
@_term_options
@_common
def add_cmd(fr: tuple[str, ...], en: tuple[str, ...], other: tuple[str, ...],
            status: str | None, pos: str | None, context: str | None, definition: str | None,
            subject: str | None, note: str | None, db: str, fmt: str) -> None:
    """Add an entry: --fr and --en terms (repeatable for synonyms) with optional fields.

    An entry whose terms are already in the glossary in the same languages is merged into it.
    """
    from ..termbase import add_entry, get_entry

    terms = _given_terms(fr, en, other, status, pos, context)
    if not terms:
        raise UsageError("give at least one term (--fr, --en or --term LANG=TERM)")
    with _store(db) as store:
        before = store.conn.execute("SELECT max(id) FROM concepts").fetchone()[0] or 0
        cid = add_entry(store, TermEntry(terms=tuple(terms), definition=definition,
                                         subject=subject, note=note))
        entry = get_entry(store, cid)
    if fmt == "text":
        click.echo(f"{'merged into' if cid <= before else 'added'} entry #{cid}")
    _emit_entries([entry], fmt)


@glossary.command("edit")
@click.argument("entry_id", metavar="ID", type=int)
@_term_options
@_common
def edit_cmd(entry_id: int, fr: tuple[str, ...], en: tuple[str, ...], other: tuple[str, ...],
             status: str | None, pos: str | None, context: str | None, definition: str | None,
             subject: str | None, note: str | None, db: str, fmt: str) -> None:
    """Change an entry: --fr/--en replace its terms in that language (a term given again
    keeps its status, context and dates); --note "" (or --definition, --subject) clears that
    field.

    --status, --pos and --context apply to the terms given, or to all its terms when none are.
    """
    from dataclasses import replace

    from ..termbase import context_in_its_language, get_entry, parse_status, update_entry

    terms: list[Term] | None = _given_terms(fr, en, other, status, pos, context) or None
    with _store(db) as store:
        if terms is None and (status or pos or context):
            st = parse_status(status) if status else None
            stored = get_entry(store, entry_id).terms
            placed = context_in_its_language(
                [replace(t, context=context) for t in stored], context)
            terms = [replace(t, status=st or t.status, pos=pos or t.pos,
                             context=p.context or t.context)
                     for t, p in zip(stored, placed, strict=True)]
        fields = {k: v for k, v in (("definition", definition), ("subject", subject),
                                    ("note", note)) if v is not None}
        if terms is None and not fields:
            raise UsageError("nothing to change: give terms (--fr, --en, --term) or fields "
                             "(--note, --definition, --subject, --status, --pos, --context)")
        entry = update_entry(store, entry_id, terms=terms, **fields)
    if fmt == "text":
        click.echo(f"updated entry #{entry_id}")
    _emit_entries([entry], fmt)


@glossary.command("delete")
@click.argument("entry_id", metavar="ID", type=int)
@_common
def delete_cmd(entry_id: int, db: str, fmt: str) -> None:
    """Delete an entry and all its terms."""
    from ..termbase import delete_entry

    with _store(db) as store:
        delete_entry(store, entry_id)
    if fmt == "json":
        emit_json({"deleted": entry_id})
    elif fmt == "tsv":
        emit_tsv([[entry_id]], header=["deleted"])
    else:
        click.echo(f"deleted entry #{entry_id}")


@glossary.command("list")
@click.option("--lang", help="Only entries with a term in this language.")
@click.option("--limit", type=click.IntRange(min=1), help="At most this many entries.")
@_common
def list_cmd(lang: str | None, limit: int | None, db: str, fmt: str) -> None:
    """List the glossary's entries in the order they were added."""
    from ..lookup import open_readonly
    from ..termbase import list_entries

    conn = open_readonly(db)
    try:
        _emit_entries(list(list_entries(conn, lang=lang, limit=limit)), fmt)
    finally:
        conn.close()


# -- import / export -------------------------------------------------------------------------


_SHOWN_SKIPS = 20


@glossary.command("import")
@click.argument("files", nargs=-1, required=True, type=click.Path())
@click.option("--no-merge", is_flag=True,
              help="Store every entry as new, even when its terms are already there.")
@click.option("--encoding", help="Encoding of CSV/TSV files that are not UTF-8 and have no BOM "
                                 "(e.g. cp1252 for Excel); TBX files say their own.")
@_common
def import_cmd(files: tuple[str, ...], no_merge: bool, encoding: str | None, db: str,
               fmt: str) -> None:
    """Import TBX (v2 or v3) and CSV/TSV glossaries, one transaction per file.

    Every file is tried: one that cannot be imported leaves nothing in the store, is named
    in one line on stderr, and the exit status is 1. What a file holds that the termbase
    cannot keep (an entry without terms, back matter) is listed with its line.
    """
    from ..errors import FormatError, InputError, TmtoolError
    from ..formats.xml import check_readable
    from ..termbase import AddCounts, import_file

    outcome: list[AddCounts | TmtoolError | None] = [None] * len(files)
    for i, path in enumerate(files):  # no store is created for files that cannot be opened
        try:
            check_readable(path)
        except TmtoolError as e:
            outcome[i] = e
            click.echo(f"Error: {e}", err=True)
    if any(x is None for x in outcome):
        with _store(db) as store:
            for i, path in enumerate(files):
                if outcome[i] is not None:
                    continue
                try:
                    outcome[i] = import_file(store, path, merge=not no_merge,
                                             encoding=encoding)
                except (InputError, FormatError, UsageError) as e:  # a store error stops all
                    outcome[i] = e
                done = outcome[i]
                if isinstance(done, TmtoolError):
                    click.echo(f"Error: {_error_text(path, done)}", err=True)
                elif fmt == "text" and done is not None:
                    _echo_import(path, done)
    failed = [e for e in outcome if isinstance(e, TmtoolError)]
    if fmt == "json":
        emit_json([_import_record(p, r) for p, r in zip(files, outcome, strict=True)])
    elif fmt == "tsv":
        emit_tsv(([p, r.total, r.added, r.merged, len(r.skipped), ""]
                  if isinstance(r, AddCounts) else [p, "", "", "", "", _error_text(p, r)]
                  for p, r in zip(files, outcome, strict=True)),
                 header=["file", "entries", "added", "merged", "skipped", "error"])
    elif failed and len(files) > 1:
        click.echo(f"{len(failed)} of {len(files)} file(s) not imported")
    if failed:
        raise SystemExit(1)


def _import_record(path: str, r: Any) -> dict[str, Any]:
    from ..termbase import AddCounts

    if not isinstance(r, AddCounts):
        return {"file": path, "error": _error_text(path, r)}
    return {"file": path, "entries": r.total, "added": r.added, "merged": r.merged,
            "skipped": [{"reason": s.reason, "line": s.line} for s in r.skipped]}


def _error_text(path: str, e: Exception) -> str:
    """The error with the file named first (a bad term's UsageError does not name it)."""
    return str(e) if str(e).startswith(path) else f"{path}: {e}"


def _echo_import(path: str, r: Any) -> None:
    # what the reader reports: a row or element skipped, a field or column kept otherwise
    told = f", {len(r.skipped)} reported below" if r.skipped else ""
    click.echo(f"{path}: {_n(r.total)} ({r.added} new, {r.merged} merged{told})")
    for s in r.skipped[:_SHOWN_SKIPS]:
        where = f"{path}, line {s.line}" if s.line else path
        click.echo(f"  {where}: {s.reason}")
    if len(r.skipped) > _SHOWN_SKIPS:
        click.echo(f"  ... and {len(r.skipped) - _SHOWN_SKIPS} more (--format json lists "
                   "them all)")


@glossary.command("export")
@click.option("-o", "--output", required=True, type=click.Path(dir_okay=False),
              help="FILE.tbx (TBX-Basic v3), FILE.csv or FILE.tsv.")
@click.option("--langs", help="Comma-separated languages to keep, e.g. fr,en (in this order); "
              "fr-CA keeps fr-CA and bare fr terms.")
@_common
def export_cmd(output: str, langs: str | None, db: str, fmt: str) -> None:
    """Export the glossary as TBX-Basic (v3) or CSV/TSV, by the output file's extension."""
    from ..lookup import open_readonly
    from ..termbase import export_file

    lang_list = [x.strip() for x in langs.split(",") if x.strip()] if langs else None
    warnings: list[tuple[str, int | None]] = []
    conn = open_readonly(db)
    try:
        count = export_file(conn, output, langs=lang_list,
                            warn=lambda msg, line: warnings.append((msg, line)))
    finally:
        conn.close()
    for msg, line in warnings[:_SHOWN_SKIPS]:  # kept in a lesser form, or left out: say so
        where = f"{output}, line {line}" if line else output
        click.echo(f"warning: {where}: {msg}", err=True)
    if len(warnings) > _SHOWN_SKIPS:
        click.echo(f"warning: ... and {len(warnings) - _SHOWN_SKIPS} more", err=True)
    if fmt == "json":
        emit_json({"file": output, "entries": count})
    elif fmt == "tsv":
        emit_tsv([[output, count]], header=["file", "entries"])
    else:
        click.echo(f"{output}: {_n(count)}")

