"""The ``tmtool`` command: a thin client of the library.

Each submodule adds the commands of one area (``align``: segment and align; ``tm``: the
translation memory; ``glossary``: the termbase). This module holds what they share: the group,
the one place where library errors become one-line messages, and output helpers.
"""

from __future__ import annotations

import importlib
import json
import os
import signal
import sqlite3
import sys
import warnings
from collections.abc import Callable, Iterable, Mapping, Sequence
from contextlib import suppress
from pathlib import Path
from typing import TYPE_CHECKING, Any

import click

from .. import __version__
from ..errors import TmtoolError, TmtoolWarning

if TYPE_CHECKING:
    from ..store import Store


class _Group(click.Group):
    """A click group that turns every TmtoolError into a clean one-line error and exit 1,
    and every TmtoolWarning into one "Warning:" line on stderr."""

    def invoke(self, ctx: click.Context) -> Any:
        shown = warnings.showwarning

        def show(message: Warning | str, category: type[Warning], *args: Any,
                 **kwargs: Any) -> None:
            if issubclass(category, TmtoolWarning):
                click.echo(f"Warning: {message}", err=True)
            else:
                shown(message, category, *args, **kwargs)

        warnings.showwarning = show
        if ctx.parent is None:
            _terminate_cleanly()
        try:
            return super().invoke(ctx)
        except TmtoolError as e:
            raise click.ClickException(str(e)) from e
        except sqlite3.DatabaseError as e:  # a store damaged after it was opened
            if not any(sign in str(e) for sign in _DAMAGED):
                raise  # not the store's fault: a defect to report as it is
            raise click.ClickException(f"the store cannot be read ({e}): it may be damaged; "
                                       f"restore it from a copy or an export") from e
        except BrokenPipeError:  # `tmtool ... | head` is fine
            sys.stderr.close()
            sys.exit(0)
        finally:
            warnings.showwarning = shown


# What SQLite says of a damaged database file.
_DAMAGED = ("malformed", "not a database", "disk I/O error", "database corrupt")


def _terminate_cleanly() -> None:
    """On SIGTERM (``timeout``, ``kill``, a service stopping), unwind as on Ctrl-C: the
    half-written temporary file of an output is removed and a transaction rolled back."""
    main_process = os.getpid()

    def stop(signum: int, frame: Any) -> None:
        if os.getpid() == main_process:  # a helper process (an import's reader) ends quietly
            click.echo("Error: terminated", err=True)
        raise SystemExit(128 + signum)

    with suppress(ValueError):  # not the main thread: leave the default
        signal.signal(signal.SIGTERM, stop)


@click.group(cls=_Group, context_settings={"help_option_names": ["-h", "--help"]})
@click.version_option(__version__, prog_name="tmtool")
def main() -> None:
    """French-English translation memories and termbases.

    Segment and align a French text with its English translation into TMX, keep memories in
    a SQLite store with fuzzy match and concordance, and build termbases (TBX, CSV).
    """


def subgroup(name: str, help: str) -> click.Group:
    """A sub-group (``tm``, ``glossary``) with the same error handling as the main group."""
    group = _Group(name=name, help=help, context_settings={"help_option_names": ["-h", "--help"]})
    main.add_command(group)
    return group


FORMAT_CHOICE = click.Choice(["text", "json", "tsv"])


def emit_json(obj: Any, *, err: bool = False) -> None:
    """One JSON document on stdout (``err``: on stderr, when stdout carries the output)."""
    click.echo(json.dumps(obj, ensure_ascii=False, indent=None, default=str), err=err)


# A tab or anything a reader may take for a line end (str.splitlines' set) would shift fields
# or rows: each is written escaped as PostgreSQL's text format writes it (\t, \n, \r, \v, \f),
# the other line separators as Python writes them (\u2028), and so is the backslash (\\), so
# that a script gets a segment back unchanged.
TSV_ESCAPES = {ord("\\"): "\\\\", ord("\t"): "\\t", ord("\n"): "\\n", ord("\r"): "\\r",
               ord("\v"): "\\v", ord("\f"): "\\f",
               **{ord(c): f"\\u{ord(c):04x}" for c in "\x1c\x1d\x1e\x85\u2028\u2029"}}


def emit_tsv(rows: Iterable[Sequence[Any]], header: Sequence[str] | None = None, *,
             err: bool = False) -> None:
    def clean(v: Any) -> str:
        return "" if v is None else str(v).translate(TSV_ESCAPES)

    if header:
        click.echo("\t".join(header), err=err)
    for row in rows:
        click.echo("\t".join(clean(v) for v in row), err=err)


def emit_records(records: Sequence[Mapping[str, Any]], fmt: str, columns: Sequence[str]) -> None:
    """Print a list of records as JSON (one array) or TSV with a header row."""
    if fmt == "json":
        emit_json(list(records))
    else:
        emit_tsv(([r.get(c) for c in columns] for r in records), header=columns)


def check_store(path: Path, ensure: Callable[[Store], None]) -> None:
    """Raise what storing into ``path`` would raise (``ensure`` makes or upgrades the tables it
    needs; an existing store may be upgraded), without making a new store there yet: checked
    before a command writes its outputs, a bad store makes it change nothing. An empty file
    becomes a store, as opening it to store would make it."""
    from ..store import Store

    if path.exists() and path.stat().st_size > 0:
        with Store(path, create=False) as store:
            ensure(store)  # a store of a newer tmtool is refused
    else:
        Store.check_folder(path)


def progress_enabled() -> bool:
    """Progress goes to stderr only when a person is watching it."""
    return sys.stderr.isatty()


tm_group = subgroup(
    "tm", "Translation memory: import, export, delete, fuzzy lookup, concordance, analysis, "
    "stats."
)
glossary_group = subgroup(
    "glossary", "Termbase: extract and pair terms, look them up, import and export."
)

# Command modules register themselves on import; the groups above must exist first. They are
# imported by full name, after which ``tmtool.cli.tm`` names the module, not the group.
for _module in ("align", "segment", "tm", "glossary", "terms"):
    importlib.import_module(f"{__name__}.{_module}")
