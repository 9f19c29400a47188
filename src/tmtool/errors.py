"""One exception family: the library raises these, the CLI turns them into one-line messages."""

from __future__ import annotations


class TmtoolError(Exception):
    """Base of every error tmtool reports to a user."""


class InputError(TmtoolError):
    """A user file cannot be read: missing, empty, binary, wrong encoding."""

    def __init__(self, path: str, message: str) -> None:
        self.path = str(path)
        self.message = message
        super().__init__(f"{self.path}: {message}")

    def __reduce__(self) -> tuple[type, tuple[str, str]]:  # errors cross process boundaries
        return type(self), (self.path, self.message)


class FormatError(TmtoolError):
    """A file is readable but its content breaks its format (TMX, TBX, CSV, ...)."""

    def __init__(self, path: str, message: str, line: int | None = None) -> None:
        self.path = str(path)
        self.line = line
        self.message = message
        where = f"{self.path}, line {line}" if line else self.path
        super().__init__(f"{where}: {message}")

    def __reduce__(self) -> tuple[type, tuple[str, str, int | None]]:
        return type(self), (self.path, self.message, self.line)


class StoreError(TmtoolError):
    """The SQLite store cannot be opened, migrated or written."""


class UsageError(TmtoolError):
    """Options that make no sense together, or a value out of range."""


class TmtoolWarning(UserWarning):
    """Input read, but not quite as written (a wrong encoding declaration): worth telling."""
