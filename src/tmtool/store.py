"""The SQLite file that holds translation memories and the termbase.

One file, opened in WAL mode with a busy timeout so that readers and one writer can work at
once. Each area keeps its own schema version (``tm``, ``termbase``) in the ``schema`` table and
brings its own ordered migrations, so the store itself knows nothing of units or terms.
"""

from __future__ import annotations

import os
import signal
import sqlite3
from collections.abc import Callable, Iterator, Sequence
from contextlib import AbstractContextManager, contextmanager, suppress
from pathlib import Path
from typing import TYPE_CHECKING, Any

from .errors import StoreError

DEFAULT_DB = "tmtool.db"

if TYPE_CHECKING:
    import sqlite_utils

Migration = Callable[["sqlite_utils.Database"], None]


def in_read_only_folder(path: str | os.PathLike[str]) -> bool:
    """Whether the store's folder cannot be written to by this user.

    A store in WAL mode needs a ``-shm`` file beside it, even to be read; in such a folder (a
    shared memory on a read-only share, a delivered package) SQLite cannot make one, and
    ``readable`` reads the store as a snapshot instead."""
    from .textio import may_write

    return not may_write(Path(path).parent)


def _nobody_writes(folder: Path) -> bool:
    """Whether no one can write in ``folder``: a read-only file system, or a folder without
    any write permission. (Where only others may write, one of them could be importing.)"""
    try:
        if os.statvfs(folder).f_flag & os.ST_RDONLY:
            return True
    except (OSError, AttributeError):  # no statvfs (Windows)
        pass
    return os.stat(folder).st_mode & 0o222 == 0


def readable(conn: sqlite3.Connection, path: str | os.PathLike[str], **kwargs: Any
             ) -> sqlite3.Connection:
    """``conn`` once it reads the store, or, when the store's folder cannot be written to,
    a connection reading the store as a file no one changes (``immutable``: nobody can write
    to it through WAL there either). Refused with the reason when others may write there, or
    when a committed write still waits in the ``-wal`` file, which only a connection with a
    ``-shm`` file can read. ``kwargs`` go to ``sqlite3.connect``."""
    try:
        conn.execute("SELECT 1 FROM sqlite_master LIMIT 1").fetchall()
        return conn
    except sqlite3.OperationalError:
        if not in_read_only_folder(path):
            raise
    conn.close()
    wal = Path(f"{os.fspath(path)}-wal")
    if wal.exists() and wal.stat().st_size > 0:
        raise StoreError(f"{path}: cannot be read from a folder that cannot be written to: "
                         f"writes wait in {wal.name} (open the store once where it can be "
                         "written)")
    if not _nobody_writes(Path(path).parent):
        raise StoreError(f"{path}: cannot be read from a folder others may write to but you "
                         f"may not: SQLite needs to make {Path(path).name}-shm there (ask for "
                         "write access, or copy the store)")
    uri = f"{Path(path).resolve().as_uri()}?immutable=1"
    return sqlite3.connect(uri, uri=True, timeout=30.0, check_same_thread=False, **kwargs)


def default_path(explicit: str | os.PathLike[str] | None = None,
                 env: dict[str, str] | None = None) -> Path:
    """Where the store lives: ``--db``, else ``TMTOOL_DB`` (read by the CLI), else ./tmtool.db."""
    if explicit:
        return Path(explicit)
    if env and env.get("TMTOOL_DB"):
        return Path(env["TMTOOL_DB"])
    return Path(DEFAULT_DB)


class Store:
    """An open store. Use as a context manager, or call ``close()``.

    With ``create=False`` the store must exist already (an empty file is refused): a command
    that reads, or deletes, makes no new store out of a mistyped path. The connection can
    write either way, unless the store lies in a folder the user cannot write to, where it is
    read as a snapshot (``readable``); a store is upgraded to this tmtool's tables when
    opened.
    """

    def __init__(self, path: str | os.PathLike[str], *, create: bool = True) -> None:
        self.path = Path(path)
        if not create and not self.path.exists():
            raise StoreError(f"{self.path}: no such store (create one with an import first)")
        self.check_folder(self.path)
        conn: sqlite3.Connection | None = None
        try:
            conn = sqlite3.connect(str(self.path), timeout=30.0, isolation_level=None,
                                   check_same_thread=False)
            conn.execute("PRAGMA busy_timeout = 30000")
            if not create:
                conn = readable(conn, self.path, isolation_level=None)
            tables = self._tables(conn)
            if tables and "schema" not in tables:  # another program's database: leave it be
                raise StoreError(f"{self.path}: not a tmtool store (a SQLite database of "
                                 f"another program)")
            if not create and not tables:  # an empty file: reading must not make it a store
                raise StoreError(f"{self.path}: not a tmtool store (empty file)")
            if create:
                conn.execute("PRAGMA journal_mode = WAL")
            conn.execute("PRAGMA synchronous = NORMAL")
            conn.execute("PRAGMA foreign_keys = ON")
            conn.execute(
                "CREATE TABLE IF NOT EXISTS schema (component TEXT PRIMARY KEY, version INTEGER)"
            )
        except BaseException as e:
            if conn is not None:
                conn.close()
            if isinstance(e, sqlite3.OperationalError) and in_read_only_folder(self.path):
                raise StoreError(f"{self.path}: cannot write to the store: {e}") from e
            if isinstance(e, sqlite3.DatabaseError):
                raise StoreError(f"{self.path}: not a tmtool store ({e})") from e
            raise
        self.conn = conn
        self._db: sqlite_utils.Database | None = None

    @staticmethod
    def _tables(conn: sqlite3.Connection) -> set[str]:
        return {r[0] for r in conn.execute("SELECT name FROM sqlite_master WHERE type = 'table'")}

    @staticmethod
    def check_folder(path: Path) -> None:
        """Refuse a store path whose folder does not exist (SQLite's own error is vague)."""
        if not path.parent.is_dir():
            raise StoreError(f"{path}: no such folder {str(path.parent)!r}")

    @property
    def db(self) -> sqlite_utils.Database:
        """The sqlite-utils view of the connection, made on first use (its import is slow)."""
        if self._db is None:
            import sqlite_utils

            self._db = sqlite_utils.Database(self.conn)
        return self._db

    def __enter__(self) -> Store:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()

    def close(self) -> None:
        self.conn.close()

    def version(self, component: str) -> int:
        row = self.conn.execute(
            "SELECT version FROM schema WHERE component = ?", (component,)
        ).fetchone()
        return int(row[0]) if row else 0

    def migrate(self, component: str, migrations: Sequence[Migration]) -> None:
        """Bring ``component``'s tables up to ``len(migrations)``; each step in one transaction.

        Refuses a store written by a newer tmtool rather than guessing at its tables.
        """
        current = self.version(component)
        if current > len(migrations):
            raise StoreError(
                f"{self.path}: {component} schema version {current} is newer than this tmtool "
                f"knows ({len(migrations)}); upgrade tmtool"
            )
        for version in range(current + 1, len(migrations) + 1):
            with self.transaction():
                if self.version(component) >= version:
                    continue  # another process upgraded the store while this one waited
                migrations[version - 1](self.db)
                self.conn.execute(
                    "INSERT INTO schema(component, version) VALUES (?, ?) "
                    "ON CONFLICT(component) DO UPDATE SET version = excluded.version",
                    (component, version),
                )

    def transaction(self, on_commit: Callable[[], None] | None = None
                    ) -> AbstractContextManager[sqlite3.Connection]:
        """One write transaction: all of it lands, or none of it (on any exception)."""
        return transaction(self.conn, self.path, on_commit)

    def get_meta(self, key: str) -> str | None:
        self._ensure_meta()
        row = self.conn.execute("SELECT value FROM meta WHERE key = ?", (key,)).fetchone()
        return row[0] if row else None

    def set_meta(self, key: str, value: str) -> None:
        """Record a setting (tool version, aligner parameters) so results can be reproduced."""
        self._ensure_meta()
        self.conn.execute(
            "INSERT INTO meta(key, value) VALUES (?, ?) "
            "ON CONFLICT(key) DO UPDATE SET value = excluded.value",
            (key, value),
        )

    def _ensure_meta(self) -> None:
        self.conn.execute("CREATE TABLE IF NOT EXISTS meta (key TEXT PRIMARY KEY, value TEXT)")


@contextmanager
def transaction(conn: sqlite3.Connection, path: os.PathLike[str] | str | None = None,
                on_commit: Callable[[], None] | None = None) -> Iterator[sqlite3.Connection]:
    """BEGIN IMMEDIATE ... COMMIT on an autocommit connection; ROLLBACK on any exception.

    Used inside a transaction the caller already opened, it joins that one, so library calls
    compose (an import made of several additions is still one transaction). ``path`` names
    the store in errors. ``on_commit`` is called as the transaction this call opened commits,
    before a Ctrl-C or SIGTERM that arrives meanwhile is raised: whoever handles it can tell
    whether the work landed.
    """
    where = f"{path}: " if path is not None else ""
    if conn.in_transaction:
        yield conn
        return
    try:
        conn.execute("BEGIN IMMEDIATE")
    except sqlite3.OperationalError as e:
        raise StoreError(f"{where}cannot write to the store: {e}") from e
    try:
        yield conn
    except sqlite3.OperationalError as e:  # a full disk, a read-only file: nothing lands
        _rollback(conn)
        raise StoreError(f"{where}cannot write to the store: {e}") from e
    except BaseException:
        _rollback(conn)
        raise
    try:
        with _signals_held():
            conn.execute("COMMIT")
            if on_commit is not None:
                on_commit()
    except sqlite3.DatabaseError as e:  # busy past the timeout, a deferred check: none lands
        if conn.in_transaction:
            conn.execute("ROLLBACK")
        raise StoreError(f"{where}cannot write to the store: {e}") from e


@contextmanager
def _signals_held() -> Iterator[None]:
    """Hold Ctrl-C and SIGTERM back until the block ends (where the platform allows it)."""
    try:
        before = signal.pthread_sigmask(signal.SIG_BLOCK, {signal.SIGINT, signal.SIGTERM})
    except (AttributeError, OSError, ValueError):  # no pthread_sigmask (Windows)
        yield
        return
    try:
        yield
    finally:
        signal.pthread_sigmask(signal.SIG_SETMASK, before)


def _rollback(conn: sqlite3.Connection) -> None:
    """Roll back what the transaction did, if SQLite has not already (it does on a full
    disk): the error that got here is the one to report."""
    if conn.in_transaction:
        with suppress(sqlite3.Error):
            conn.execute("ROLLBACK")
