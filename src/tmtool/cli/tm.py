"""``tmtool tm``: import, export, delete, fuzzy lookup, concordance, analysis and statistics of
the memory."""

from __future__ import annotations

import os
import shutil
from collections.abc import Callable
from itertools import zip_longest
from pathlib import Path
from typing import TYPE_CHECKING, Any, TypeVar, cast

import click

from . import FORMAT_CHOICE, emit_json, emit_records, emit_tsv, main, progress_enabled

# The group itself, looked up by name: once this module is imported, the package attribute
# ``tm`` names this module rather than the group.
tm = cast(click.Group, main.commands["tm"])

if TYPE_CHECKING:
    from ..memory import ImportReport
    from ..store import Store

F = TypeVar("F", bound=Callable[..., Any])
_SHOWN_SKIPS = 20


def _common(func: F) -> F:
    """``--db`` and ``--format``, shared by every ``tm`` command."""
    func = click.option("--format", "fmt", type=FORMAT_CHOICE, default="text", show_default=True,
                        help="text for people, json or tsv for scripts.")(func)
    func = click.option("--db", "db", type=click.Path(dir_okay=False, path_type=Path),
                        help="The store (default: $TMTOOL_DB, else ./tmtool.db).")(func)
    return func


def _open(db: Path | None, *, create: bool) -> Store:
    from ..store import Store, default_path

    return Store(default_path(db, dict(os.environ)), create=create)


@tm.command("import")
@click.argument("files", nargs=-1, required=True, type=click.Path(path_type=Path))
@click.option("--origin", help="Name recorded as the units' origin, also on the stored units "
                              "they merge with (default: each file name).")
@_common
def import_cmd(files: tuple[Path, ...], origin: str | None, db: Path | None, fmt: str) -> None:
    """Import TMX FILES into the memory, one transaction per file.

    A file that turns out malformed leaves the store as it was and the other files are still
    imported; each failure is one line on stderr and the exit status is 1. Units with the same
    languages, texts and inline codes as a stored one are merged; units without two filled
    languages are skipped and listed with the reason.
    """
    from ..errors import TmtoolError
    from ..memory import ImportReport

    outcome: list[ImportReport | TmtoolError | None] = [None] * len(files)
    committed: set[int] = set()  # files whose units landed (a report may not follow)
    try:
        _import_files(files, outcome, committed, origin, db, fmt)
    except KeyboardInterrupt:
        # Say what is stored, which click's "Aborted!" leaves in doubt: an import lands whole
        # at its commit, which tells it (store.transaction holds Ctrl-C back meanwhile).
        said = []
        left = [str(p) for i, p in enumerate(files) if outcome[i] is None and i not in committed]
        if left:
            said.append(f"not imported (nothing of it is stored): {', '.join(left)}")
        stored = [str(p) for i, p in enumerate(files)
                  if isinstance(outcome[i], ImportReport) or i in committed]
        if stored:
            said.append(f"stored: {', '.join(stored)}")
        click.echo(f"Error: interrupted; {'; '.join(said) or 'nothing was imported'}", err=True)
        raise SystemExit(130) from None
    results = list(zip(files, outcome, strict=True))
    failed = [(p, e) for p, e in results if isinstance(e, TmtoolError)]
    reports = [(p, r) for p, r in results if isinstance(r, ImportReport)]
    if fmt == "json":
        emit_json([{"file": str(p), **r.as_dict()} if isinstance(r, ImportReport)
                   else {"file": str(p), "error": str(r)} for p, r in results])
    elif fmt == "tsv":
        emit_tsv(([str(p), r.read, r.added, r.merged, len(r.skipped), ""]
                  if isinstance(r, ImportReport) else [str(p), "", "", "", "", str(r)]
                  for p, r in results),
                 header=["file", "read", "added", "merged", "skipped", "error"])
    elif len(files) > 1 and reports:
        total = [sum(getattr(r, k) for _, r in reports) for k in ("read", "added", "merged")]
        skipped = sum(len(r.skipped) for _, r in reports)
        not_imported = f", {len(failed)} file(s) not imported" if failed else ""
        click.echo(f"total: {total[0]} units read, {total[1]} added, {total[2]} merged, "
                   f"{skipped} skipped{not_imported}")
    if failed:
        raise SystemExit(1)


def _import_files(files: tuple[Path, ...], outcome: list[Any], committed: set[int],
                  origin: str | None, db: Path | None, fmt: str) -> None:
    """Import each file that can be opened, filling ``outcome`` (a report or an error) and
    ``committed`` as files land; files that cannot be opened create no store."""
    from ..errors import FormatError, InputError, TmtoolError
    from ..formats.xml import check_readable
    from ..memory import import_tmx

    stdin_seen = False
    for i, path in enumerate(files):
        try:
            if str(path) == "-":
                if stdin_seen:
                    raise InputError("-", "standard input is read once; given again")
                stdin_seen = True
            check_readable(str(path))
        except TmtoolError as e:
            outcome[i] = e
            click.echo(f"Error: {e}", err=True)
    if all(x is not None for x in outcome):
        return
    with _open(db, create=True) as store:
        for i, path in enumerate(files):
            if outcome[i] is not None:
                continue
            progress = _progress(path.name) if progress_enabled() else None
            try:
                outcome[i] = import_tmx(store, path, origin=origin, progress=progress,
                                        on_commit=lambda i=i: committed.add(i))
            except (InputError, FormatError) as e:  # a store error stops everything
                outcome[i] = e
            finally:
                if progress is not None:
                    click.echo("", err=True)  # ends the progress line
            done = outcome[i]
            if isinstance(done, TmtoolError):
                click.echo(f"Error: {done}", err=True)
            elif fmt == "text" and done is not None:
                _echo_report(path, done)


def _echo_report(path: Path, report: ImportReport) -> None:
    click.echo(f"{path}: {report.summary()}")
    for skip in report.skipped[:_SHOWN_SKIPS]:
        where = f"line {skip.line}: " if skip.line else ""
        click.echo(f"  skipped {where}{skip.reason}")
    if len(report.skipped) > _SHOWN_SKIPS:
        click.echo(f"  ... and {len(report.skipped) - _SHOWN_SKIPS} more skipped "
                   "(--format json lists them all)")


def _progress(name: str, what: str = "units") -> Callable[[int], None]:
    def show(count: int) -> None:
        click.echo(f"\r{name}: {count:,} {what}", err=True, nl=False)

    return show


def _warn_undated(store: Store, since: str | None, **filters: str | None) -> None:
    """Say how many units --since leaves out for having no date at all."""
    from ..memory import undated_units

    if since:
        count = undated_units(store, **filters)
        if count:
            click.echo(f"warning: {count} unit(s) carry no date: --since leaves them out",
                       err=True)


def _warn_missing(store: Store, *langs: str, exact: bool = False) -> None:
    """Say so when the memory holds no segment of a language asked for ("fra" for "fr");
    with ``exact``, of the variant asked for (de-AT: de-AT or only de, as concordance keeps
    them), not merely of its language."""
    from ..lang import covers, primary
    from ..memory import has_language, languages

    for lang in langs:
        if exact and not any(covers(lang, tag) for tag in languages(store)):
            click.echo(f"warning: the memory holds no {lang} segments (nor any tagged only "
                       f"{primary(lang)}), nothing can match (its languages: "
                       f"{', '.join(languages(store)) or 'none'})", err=True)
        elif not has_language(store, lang):
            click.echo(f"warning: the memory holds no {lang} segments, nothing can match (its "
                       f"languages: {', '.join(languages(store)) or 'none'})", err=True)


@tm.command("export")
@click.option("-o", "--output", required=True, type=click.Path(dir_okay=False, path_type=Path),
              help="The TMX file to write ('-': standard output).")
@click.option("--src", help="Keep units with this language (and only it and --tgt): fr keeps "
              "every French variant, fr-CA keeps fr-CA and variants tagged only fr.")
@click.option("--tgt", help="Keep units with this language too (same rule).")
@click.option("--since", help="Keep units changed on or after this date or time: 2024-01-31, "
              "2024-01-31T15:00+01:00 (a time without offset is UTC).")
@click.option("--origin", help="Keep the units of one import (see tm stats).")
@_common
def export_cmd(output: Path, src: str | None, tgt: str | None, since: str | None,
               origin: str | None, db: Path | None, fmt: str) -> None:
    """Export the memory (or part of it) as TMX 1.4b, inline codes restored."""
    from ..memory import export_tmx

    with _open(db, create=False) as store:
        count = export_tmx(store, output, src=src, tgt=tgt, since=since, origin=origin)
        _warn_undated(store, since, src=src, tgt=tgt, origin=origin)
    to_stdout = str(output) == "-"  # the TMX is on stdout: the report goes to stderr
    if fmt == "json":
        emit_json({"file": str(output), "units": count}, err=to_stdout)
    elif fmt == "tsv":
        emit_tsv([[str(output), count]], header=["file", "units"], err=to_stdout)
    else:
        click.echo(f"{count} units written to {output}", err=to_stdout)


@tm.command("delete")
@click.option("--origin", help="Delete the units of one import (see tm stats).")
@click.option("--since", help="Delete units changed on or after this date or time: "
              "2024-01-31, 2024-01-31T15:00+01:00 (a time without offset is UTC).")
@click.option("--src", help="Delete units with this language, whole: all their languages go "
              "(same language rule as tm export).")
@click.option("--tgt", help="... and with this language too.")
@click.option("--id", "unit_ids", type=int, multiple=True,
              help="Delete this unit (id as lookup and concordance give it); repeatable.")
@click.option("--dry-run", is_flag=True, help="Only count the units that would be deleted.")
@_common
def delete_cmd(origin: str | None, since: str | None, src: str | None, tgt: str | None,
               unit_ids: tuple[int, ...], dry_run: bool, db: Path | None, fmt: str) -> None:
    """Delete units from the memory: those matching every filter given, in one transaction.

    A memory imported by mistake leaves with --origin NAME (see tm stats); units another
    import brought too stay, without that origin. Give at least one filter.
    """
    from ..memory import delete_units

    progress = _progress("deleted") if progress_enabled() and not dry_run else None
    with _open(db, create=False) as store:  # an existing store: deleting creates none
        try:
            report = delete_units(store, src=src, tgt=tgt, since=since, origin=origin,
                                  unit_ids=unit_ids or None, dry_run=dry_run,
                                  progress=progress)
        finally:
            if progress is not None:
                click.echo("", err=True)  # ends the progress line
        if not unit_ids:
            _warn_undated(store, since, src=src, tgt=tgt, origin=origin)
    if fmt == "json":
        emit_json({**report.as_dict(), "dry_run": dry_run})
    elif fmt == "tsv":
        emit_tsv([[report.deleted, report.kept, str(dry_run).lower()]],
                 header=["deleted", "kept", "dry_run"])
    else:
        would = "would be " if dry_run else ""
        click.echo(f"{report.deleted} units {would}deleted")
        if report.kept:
            click.echo(f"{report.kept} units {'would stay' if dry_run else 'stay'}, without "
                       f"this origin: another import brought them too")


_NO_TAGS = click.option(
    "--no-tags", is_flag=True,
    help="Read <b>, </b>, <x1/> as text, not as the inline codes they stand for.")


@tm.command("lookup")
@click.argument("sentence")
@click.option("--src", default="fr", show_default=True, help="Language of SENTENCE.")
@click.option("--tgt", default="en", show_default=True, help="Language of the translations.")
@click.option("--min", "min_score", type=click.FloatRange(0, 100), default=70,
              show_default=True, help="Lowest match percentage shown.")
@click.option("--limit", type=click.IntRange(1), default=5, show_default=True,
              help="Most matches shown.")
@_NO_TAGS
@_common
def lookup_cmd(sentence: str, src: str, tgt: str, min_score: float, limit: int,
               no_tags: bool, db: Path | None, fmt: str) -> None:
    """Fuzzy matches of SENTENCE in the memory, with their translations, best first.

    Percentages are CAT-style (word edit distance); differences only in case, numbers,
    punctuation, symbols, spacing or tags cost a point or two and are named, an accent on a
    small letter what an edited word costs. Tags in SENTENCE (<b>, </b>, <x1/>) are inline codes.
    A sentence starting with a dash comes after -- (tmtool tm lookup -- "- Fermez...").
    """
    from ..fuzzy import lookup

    with _open(db, create=False) as store:
        matches = lookup(store, sentence, src=src, tgt=tgt, min_score=min_score, limit=limit,
                         tags=not no_tags)
        _warn_missing(store, src, tgt)
    records = [{"score": x.score, "penalties": list(x.penalties), "source": x.source,
                "target": x.target, "unit_id": x.unit_id, "origin": x.origin,
                "source_lang": x.source_lang, "target_lang": x.target_lang,
                "source_markup": x.source_markup, "target_markup": x.target_markup}
               for x in matches]
    if fmt == "json":
        emit_json(records)
    elif fmt == "tsv":
        emit_records([{**r, "penalties": ",".join(r["penalties"])} for r in records], fmt,
                     ["score", "penalties", "source", "target", "unit_id", "origin",
                      "source_lang", "target_lang", "source_markup", "target_markup"])
    elif not matches:
        click.echo(f"no match at {min_score:g}% or above", err=True)
    else:
        for x in matches:
            flags = f"  ({', '.join(x.penalties)})" if x.penalties else ""
            click.echo(click.style(f"{x.score:5.1f}%", bold=True) + flags)
            click.echo(f"  {x.source_lang or src}: {x.source}")
            click.echo(f"  {x.target_lang or tgt}: {x.target}")


@tm.command("concordance")
@click.argument("phrase")
@click.option("--lang", help="Search only this language (fr: any French; fr-CA: fr-CA and "
              "variants tagged only fr; default: every language).")
@click.option("--limit", type=click.IntRange(1), default=50, show_default=True,
              help="Most units shown.")
@_common
def concordance_cmd(phrase: str, lang: str | None, limit: int, db: Path | None,
                    fmt: str) -> None:
    """Units whose text contains PHRASE, ignoring case and accents, newest first.

    The words must occur together, in order; end a word with * to match its beginning;
    with "quoted parts", each part and each other word must occur. A phrase starting with a
    dash comes after -- (tmtool tm concordance -- "-5 °C").
    """
    from ..concordance import concordance

    with _open(db, create=False) as store:
        hits = concordance(store, phrase, lang=lang, limit=limit)
        if lang:
            _warn_missing(store, lang, exact=True)
    records = [{"unit_id": h.unit_id, "source_lang": h.source_lang, "source": h.source,
                "target_lang": h.target_lang, "target": h.target,
                "source_spans": [list(s) for s in h.source_spans],
                "target_spans": [list(s) for s in h.target_spans], "origin": h.origin,
                "source_markup": h.source_markup, "target_markup": h.target_markup,
                "others": [{"lang": lang, "text": text} for lang, text in h.others]}
               for h in hits]
    if fmt == "json":
        emit_json(records)
    elif fmt == "tsv":
        emit_records(records, fmt, ["unit_id", "source_lang", "source", "target_lang", "target",
                                    "origin", "source_markup", "target_markup"])
    elif not hits:
        click.echo(f"no unit contains {phrase!r}" + (f" in {lang}" if lang else ""), err=True)
    else:
        width = max(20, (shutil.get_terminal_size((120, 24)).columns - 3) // 2)
        # One language per column: the one most hits were found in goes left, even for a hit
        # found on the other side (a number or a name occurs in both).
        from collections import Counter

        from ..lang import primary

        found = Counter(primary(h.source_lang) for h in hits)
        first = found.most_common(1)[0][0]
        rows, tags = [], (Counter[str](), Counter[str]())
        for h in hits:
            sides = [(h.source, h.source_spans, h.source_lang),
                     (h.target or "", h.target_spans, h.target_lang)]
            if primary(h.source_lang) != first and h.target_lang and \
                    primary(h.target_lang) == first:
                sides.reverse()
            for side, count in zip(sides, tags, strict=True):
                if side[2]:
                    count[side[2]] += 1
            rows.append([_wrapped(_plain(text), spans, width) for text, spans, _ in sides])
        # the columns' languages, each tag found there by how often
        heads = [", ".join(t for t, _ in c.most_common()) or "-" for c in tags]
        click.echo(click.style(f"{heads[0]:<{width}} | {heads[1]}", dim=True))
        apart = any(len(left) > 1 or len(right) > 1 for left, right in rows)
        bar = click.style("|", dim=True)
        for n, (left, right) in enumerate(rows):
            if apart and n:
                click.echo(f"{'':<{width}} {bar}")  # a blank line between wrapped hits
            for a, b in zip_longest(left, right, fillvalue=" " * width):
                click.echo(f"{a} {bar} {b}".rstrip())


def _wrapped(text: str, spans: tuple[tuple[int, int], ...], width: int) -> list[str]:
    """``text`` whole, wrapped at spaces to ``width`` columns (lines padded to it), its
    matches highlighted: a concordance shows the translation of the phrase, wherever it is."""
    out = []
    for start, end in _line_ends(text, width):
        pieces, pos = [], start
        for s, e in spans:
            s, e = max(s, pos), min(e, end)
            if s >= e:
                continue
            pieces.append(text[pos:s])
            pieces.append(click.style(text[s:e], fg="yellow", bold=True))
            pos = e
        pieces.append(text[pos:end])
        out.append("".join(pieces) + " " * max(0, width - _columns(text[start:end])))
    return out


def _columns(text: str) -> int:
    """Terminal columns ``text`` takes: accents written apart take none, wide (East Asian)
    characters two."""
    import unicodedata

    if text.isascii():
        return len(text)
    return sum(0 if unicodedata.combining(ch) else
               2 if unicodedata.east_asian_width(ch) in "WF" else 1 for ch in text)


def _line_ends(text: str, width: int) -> list[tuple[int, int]]:
    """(start, end) of each line of ``text`` wrapped at spaces to ``width`` columns; a word
    longer than a line is cut."""
    lines, start, n = [], 0, len(text)
    while True:
        while start < n and text[start] == " ":
            start += 1
        # the longest stretch from start that fits in width columns
        fit, used = start, 0
        while fit < n:
            used += _columns(text[fit])
            if used > width:
                break
            fit += 1
        if fit >= n:
            lines.append((start, n))
            return lines
        cut = text.rfind(" ", start, fit + 1)
        if cut <= start:
            cut = max(fit, start + 1)
        end = cut
        while end > start and text[end - 1] == " ":
            end -= 1
        lines.append((start, end))
        start = cut


def _plain(text: str) -> str:
    return text.replace("\n", " ").replace("\t", " ")


@tm.command("analyse")
@click.argument("file", type=click.Path(path_type=str))
@click.option("--src", default="fr", show_default=True, help="Language of FILE.")
@click.option("--tgt", default="en", show_default=True, help="Language of the translations.")
@click.option("--segmented", is_flag=True,
              help="FILE is already split: one segment per line.")
@click.option("--encoding", help="Encoding of FILE when it is not UTF-8 and has no BOM.")
@click.option("--details", is_flag=True,
              help="Also list each segment with its band and best match (with --format tsv: "
                   "one row per segment instead of per band).")
@_NO_TAGS
@_common
def analyse_cmd(file: str, src: str, tgt: str, segmented: bool, encoding: str | None,
                details: bool, no_tags: bool, db: Path | None, fmt: str) -> None:
    """How much of FILE the memory covers: segments and words per match band.

    Bands are those of CAT tools: repetitions (segments met earlier in FILE), 100%, 95-99%,
    85-94%, 75-84%, 50-74% and no match, by each segment's best match. Words are counted as
    CAT tools count them (a French elision apart); characters exclude spaces.
    """
    from ..analysis import analyse_text, percent
    from ..textio import read_text

    text = read_text(file, encoding=encoding)
    progress = _progress(Path(file).name, "segments analysed") if progress_enabled() else None
    with _open(db, create=False) as store:
        _warn_missing(store, src, tgt)
        try:
            result = analyse_text(store, text, src=src, tgt=tgt, segmented=segmented,
                                  progress=progress, tags=not no_tags)
        finally:
            if progress is not None:
                click.echo("", err=True)
    total = result.total
    if fmt == "json":
        emit_json({"file": file, "src": src, "tgt": tgt, **result.as_dict(details)})
        return
    if fmt == "tsv":
        if details:
            emit_tsv(((i, s.band, "" if s.score is None else s.score, s.words, s.characters,
                       s.text, s.source or "", s.target or "", ",".join(s.penalties))
                      for i, s in enumerate(result.segments, 1)),  # new columns go last
                     header=["segment", "band", "score", "words", "characters", "text",
                             "match_source", "match_target", "penalties"])
        else:
            emit_tsv(([b.band, b.segments, b.words, b.characters,
                       percent(b.words, total.words)] for b in (*result.bands, total)),
                     header=["band", "segments", "words", "characters", "percent_words"])
        return
    if details:
        for i, s in enumerate(result.segments, 1):
            score = f"{s.score:5.1f}%" if s.score is not None else {
                "repetitions": "repeat", "no match": "new"}.get(s.band, s.band)
            flags = f"  ({', '.join(s.penalties)})" if s.penalties else ""
            click.echo(f"{i:5d} {score:>6}  {_plain(s.text)}{click.style(flags, dim=True)}")
            if s.target is not None:
                click.echo(f"{'':14}{click.style(_plain(s.target), dim=True)}")
        click.echo("")
    click.echo(f"{file}: {total.segments:,} segments, {total.words:,} words")
    click.echo(f"{'band':<12} {'segments':>9} {'words':>9} {'characters':>11} {'% words':>8}")
    for b in (*result.bands, total):
        click.echo(f"{b.band:<12} {b.segments:>9,} {b.words:>9,} {b.characters:>11,} "
                   f"{percent(b.words, total.words):>8.1f}")


@tm.command("stats")
@_common
def stats_cmd(db: Path | None, fmt: str) -> None:
    """Size of the memory: units, languages, origins, merged duplicates, dates."""
    from ..memory import stats

    with _open(db, create=False) as store:
        info = stats(store)
    if fmt == "json":
        emit_json(info)
        return
    if fmt == "tsv":
        rows: list[tuple[str, Any]] = []
        for key, value in info.items():
            if isinstance(value, dict):
                rows.extend((f"{key}.{k}", v) for k, v in value.items())
            else:
                rows.append((key, value))
        emit_tsv(rows, header=["key", "value"])
        return
    click.echo(f"store      {info['path']} (schema version {info['schema_version']}, "
               f"{info['size_bytes']:,} bytes)")
    click.echo(f"units      {info['units']:,} ({info['duplicates_merged']:,} duplicates merged)")
    click.echo(f"variants   {info['variants']:,}")
    if info["oldest_change"]:
        click.echo(f"changes    {info['oldest_change']} to {info['newest_change']}")
    langs = ", ".join(f"{k} {v:,}" for k, v in info["languages"].items())
    click.echo(f"languages  {langs or '-'}")
    if info["origins"]:
        click.echo("origins")
        width = max(len(k or "(none)") for k in info["origins"])
        for name, count in info["origins"].items():
            click.echo(f"  {name or '(none)':<{width}}  {count:,}")

