"""Every command has help, and errors come out as one clean line."""

from __future__ import annotations

import click
import pytest
from click.testing import CliRunner

from tmtool.cli import main


def _commands(group: click.Group, prefix: tuple[str, ...] = ()) -> list[tuple[str, ...]]:
    out = []
    for name, cmd in group.commands.items():
        out.append(prefix + (name,))
        if isinstance(cmd, click.Group):
            out.extend(_commands(cmd, prefix + (name,)))
    return out


@pytest.mark.parametrize("path", _commands(main), ids=" ".join)
def test_every_command_has_help(path: tuple[str, ...]) -> None:
    result = CliRunner().invoke(main, [*path, "--help"])
    assert result.exit_code == 0, result.output
    assert "Usage:" in result.output
    cmd = main
    for name in path:
        cmd = cmd.commands[name]  # type: ignore[attr-defined]
    assert cmd.help, f"tmtool {' '.join(path)} has no help text"


def test_tsv_fields_never_break_a_row() -> None:
    """A segment holding a tab, a carriage return or a Unicode line separator stays one field
    of one row, escaped so that a script gets it back unchanged."""
    from tmtool.cli import emit_tsv

    fields = ["a\tb", "c\r\nd\u2028e\x85f\vg", "C:\\temp\\new"]

    @click.command()
    def show() -> None:
        emit_tsv([[*fields, None]], header=["x", "y", "z", "w"])

    out = CliRunner().invoke(show).stdout
    assert out.splitlines() == ["x\ty\tz\tw",
                                "a\\tb\tc\\r\\nd\\u2028e\\u0085f\\vg\tC:\\\\temp\\\\new\t"]
    row = out.splitlines()[1].split("\t")
    assert [f.encode("latin-1", "backslashreplace").decode("unicode_escape")
            for f in row[:3]] == fields
