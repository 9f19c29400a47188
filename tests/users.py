"""Running test code as a user whom file permissions stop (root ignores them)."""

from __future__ import annotations

import multiprocessing
import os
import shutil
import tempfile
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Any

import pytest

NOBODY = 65534


def as_plain_user(work: Callable[[], Any]) -> Any:
    """``work()``, run where permissions apply: as root, in a child process with the identity
    of nobody. Every module it needs must be imported before (nobody cannot read root's
    Python installation); what it returns must pickle."""
    if os.geteuid() != 0:
        return work()
    ctx = multiprocessing.get_context("fork")
    receiver, sender = ctx.Pipe(duplex=False)

    def child() -> None:
        try:
            os.setegid(NOBODY)
            os.seteuid(NOBODY)
        except OSError as e:  # a sandbox that lets root change no identity
            sender.send(("skip", f"cannot act as another user here: {e}"))
            return
        try:
            sender.send(("ok", work()))
        except BaseException as e:  # noqa: BLE001 - shown by the test
            sender.send(("error", f"{type(e).__name__}: {e}"))

    proc = ctx.Process(target=child)
    proc.start()
    kind, value = receiver.recv()
    proc.join()
    if kind == "skip":
        pytest.skip(value)
    assert kind == "ok", value
    return value


@contextmanager
def shared_folder() -> Iterator[Path]:
    """A folder every user can read (pytest's own are root's alone when run as root)."""
    # /tmp, which every user may enter, whatever TMPDIR says (it may be root's alone)
    folder = Path(tempfile.mkdtemp(prefix="tmtool-shared-",
                                   dir="/tmp" if os.path.isdir("/tmp") else None))
    folder.chmod(0o755)
    try:
        yield folder
    finally:
        folder.chmod(0o755)
        shutil.rmtree(folder, ignore_errors=True)
