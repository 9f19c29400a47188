"""The SQLite store: a write transaction lands whole or not at all."""

from __future__ import annotations

import json
import sqlite3
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any

import pytest
from users import as_plain_user, shared_folder

from tmtool.errors import StoreError
from tmtool.store import Store


def test_a_commit_that_fails_leaves_the_store_as_it_was(tmp_path: Path) -> None:
    with Store(tmp_path / "s.db") as store:
        conn = store.conn
        conn.execute("CREATE TABLE parent (id INTEGER PRIMARY KEY)")
        conn.execute("CREATE TABLE child (id INTEGER PRIMARY KEY, parent INTEGER REFERENCES "
                     "parent(id) DEFERRABLE INITIALLY DEFERRED)")
        conn.execute("INSERT INTO parent VALUES (1)")
        with pytest.raises(StoreError, match="cannot write to the store"):
            with store.transaction():
                conn.execute("INSERT INTO parent VALUES (2)")
                conn.execute("INSERT INTO child VALUES (1, 99)")  # checked at COMMIT
        assert not conn.in_transaction
        assert conn.execute("SELECT id FROM parent").fetchall() == [(1,)]
        assert conn.execute("SELECT count(*) FROM child").fetchone() == (0,)
        with store.transaction():  # the connection is usable again
            conn.execute("INSERT INTO parent VALUES (3)")
        assert conn.execute("SELECT count(*) FROM parent").fetchone() == (2,)


@pytest.mark.parametrize("readonly", [True, False])
def test_another_programs_database_is_refused_and_left_untouched(tmp_path: Path,
                                                                 readonly: bool) -> None:
    import sqlite3

    path = tmp_path / "other.db"
    with sqlite3.connect(path) as conn:
        conn.execute("CREATE TABLE notes (body TEXT)")
    before = path.read_bytes()
    with pytest.raises(StoreError, match="not a tmtool store"):
        Store(path, create=not readonly)
    assert path.read_bytes() == before
    with sqlite3.connect(path) as conn:
        assert conn.execute("PRAGMA journal_mode").fetchone() == ("delete",)


def test_an_empty_file_becomes_a_store(tmp_path: Path) -> None:
    path = tmp_path / "new.db"
    path.touch()
    with Store(path) as store:
        assert store.version("tm") == 0


def test_reading_an_empty_file_leaves_it_empty(tmp_path: Path) -> None:
    path = tmp_path / "empty.db"
    path.touch()
    with pytest.raises(StoreError, match="empty file"):
        Store(path, create=False)
    assert path.stat().st_size == 0


def test_a_store_in_a_missing_folder_is_one_clear_error(tmp_path: Path) -> None:
    with pytest.raises(StoreError, match="no such folder"):
        Store(tmp_path / "missing" / "tm.db")
    assert not (tmp_path / "missing").exists()


def test_an_upgrade_another_process_made_meanwhile_is_not_run_again(
        tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """Two commands opening an old store at once: the second finds it upgraded once it gets
    the write lock, and skips the step instead of failing on the tables the first made."""
    def step(db: Any) -> None:
        db.conn.execute("CREATE TABLE made_by_the_step (x)")

    with Store(tmp_path / "s.db") as first, Store(tmp_path / "s.db") as second:
        real = second.version
        stale = iter([0])  # what `second` read before `first` upgraded the store
        monkeypatch.setattr(second, "version", lambda c: next(stale, real(c)))
        first.migrate("x", [step])
        second.migrate("x", [step])  # CREATE TABLE again would fail
        assert real("x") == 1


def test_a_locked_store_is_named(tmp_path: Path) -> None:
    with Store(tmp_path / "s.db") as holder, Store(tmp_path / "s.db") as store:
        store.conn.execute("PRAGMA busy_timeout = 50")
        with holder.transaction():
            with pytest.raises(StoreError, match=r"s\.db: cannot write to the store: database "
                                                 r"is locked"):
                with store.transaction():
                    pass


def test_a_write_sqlite_refuses_midway_is_one_store_error(tmp_path: Path) -> None:
    # a full disk or a read-only file: SQLite may have rolled back already; the error names
    # the store and nothing of the transaction lands
    with Store(tmp_path / "s.db") as store:
        store.conn.execute("CREATE TABLE t (x)")
        with pytest.raises(StoreError, match=r"s\.db: cannot write to the store: database or "
                                             r"disk is full"):
            with store.transaction():
                store.conn.execute("INSERT INTO t VALUES (1)")
                store.conn.execute("ROLLBACK")  # as SQLite does on SQLITE_FULL
                raise sqlite3.OperationalError("database or disk is full")
        with pytest.raises(StoreError, match="attempt to write a readonly database"):
            with store.transaction():
                store.conn.execute("INSERT INTO t VALUES (2)")
                raise sqlite3.OperationalError("attempt to write a readonly database")
        assert store.conn.execute("SELECT count(*) FROM t").fetchone() == (0,)
        assert not store.conn.in_transaction


def test_a_store_damaged_after_it_was_made_is_one_error_line(tmp_path: Path) -> None:

    from click.testing import CliRunner

    from tmtool.cli import main

    db = tmp_path / "s.db"
    with Store(db) as store:
        from tmtool.memory import add_units
        from tmtool.model import TranslationUnit, Variant

        add_units(store, [TranslationUnit((Variant("fr-FR", f"Phrase {i} du texte."),
                                           Variant("en-GB", f"Sentence {i}.")))
                          for i in range(3000)])
    with open(db, "r+b") as f:
        f.seek(4096 * 4)
        f.write(bytes(range(256)) * 16 * 20)  # garbage over twenty pages
    result = CliRunner().invoke(main, ["tm", "stats", "--db", str(db)])
    assert result.exit_code == 1
    assert result.stderr.startswith("Error: the store cannot be read (")
    assert "Traceback" not in result.output


def _as_reader_of(folder: Path, work: Callable[[], Any], mode: int = 0o555) -> Any:
    """``work()`` run by a user who cannot write to ``folder`` (nobody, as root: ``mode``
    gives the folder's owner, root, and group their permissions)."""
    folder.chmod(mode)
    try:
        return as_plain_user(work)
    finally:
        folder.chmod(0o755)


@pytest.fixture(name="shared_folder")
def _shared_folder() -> Iterator[Path]:
    with shared_folder() as folder:
        yield folder


def test_a_store_in_a_read_only_folder_can_be_read(shared_folder: Path) -> None:
    from click.testing import CliRunner

    from tmtool.cli import main

    db = str(shared_folder / "tm.db")
    runner = CliRunner()
    # beside the store: the checkout may be a folder only its owner can read
    data = shared_folder / "inline.tmx"
    data.write_bytes((Path(__file__).parent / "data" / "tmx" / "inline.tmx").read_bytes())
    assert runner.invoke(main, ["tm", "import", str(data), "--db", db]).exit_code == 0
    added = runner.invoke(main, ["glossary", "add", "--fr", "garanties de sécurité",
                                 "--en", "security guarantees", "--db", db])
    assert added.exit_code == 0, added.output
    commands = [["tm", "stats", "--db", db, "--format", "json"],
                ["glossary", "lookup", "garantie de sécurité", "--db", db, "--format", "json"],
                ["tm", "delete", "--id", "1", "--db", db],
                ["tm", "import", str(data), "--db", db],
                ["glossary", "add", "--fr", "paix", "--en", "peace", "--db", db]]
    before = [runner.invoke(main, args) for args in commands[:2]]  # imports what they need
    assert all(r.exit_code == 0 for r in before), [r.output for r in before]
    # as a store copied to a share is: the empty log files a reader leaves are not copied
    for leftover in ("-wal", "-shm"):
        Path(db + leftover).unlink(missing_ok=True)

    def read() -> list[tuple[int, str]]:
        return [(r.exit_code, r.output) for r in map(runner.invoke, [main] * 5, commands)]

    got = _as_reader_of(shared_folder, read)
    assert [code for code, _ in got] == [0, 0, 1, 1, 1]
    assert json.loads(got[0][1]) == json.loads(before[0].output)
    assert json.loads(got[1][1]) == json.loads(before[1].output)
    for _, refused in got[2:]:  # each write: one line saying so
        assert refused.startswith(f"Error: {db}: cannot write to the store"), refused
        assert "\n" not in refused.rstrip("\n")

    def stats() -> str:
        return runner.invoke(main, commands[0]).output

    # where others may write (the group here), one of them could be importing meanwhile
    assert _as_reader_of(shared_folder, stats, mode=0o575) == (
        f"Error: {db}: cannot be read from a folder others may write to but you may not: "
        "SQLite needs to make tm.db-shm there (ask for write access, or copy the store)\n")


def test_a_store_whose_writes_wait_in_its_log_is_refused_in_a_read_only_folder(
        shared_folder: Path) -> None:
    db = shared_folder / "tm.db"
    with Store(db) as store:
        store.set_meta("k", "v")
    Path(f"{db}-wal").write_bytes(b"\0" * 32)  # as a crash before the checkpoint leaves it
    Path(f"{db}-shm").unlink(missing_ok=True)

    def read() -> str:
        try:
            with Store(db, create=False):
                return "opened"
        except StoreError as e:
            return str(e)

    assert _as_reader_of(shared_folder, read) == (
        f"{db}: cannot be read from a folder that cannot be written to: writes wait in "
        "tm.db-wal (open the store once where it can be written)")
