"""The private folder where an import spills the good rows of a voter file (names, dates of birth) to disk.

Never the system's shared temporary folder: `VOTER_IMPORT_SPILL_DIR` (default `var/spill/`), made readable by
this user only. Each import works in a folder of its own named after its process; a normal end removes it,
and an import killed with SIGKILL leaves it behind for the next import to remove (its process is gone), or
for `sweep()` at start-up. A folder older than a day is removed whatever its name says (a reused process id).
"""

import os
import shutil
import tempfile
import time
from pathlib import Path

from django.conf import settings

PREFIX = "kp-voters-"
OLDEST = 24 * 3600  # seconds


def spill_root() -> Path:
    root = Path(settings.VOTER_IMPORT_SPILL_DIR)
    root.mkdir(mode=0o700, parents=True, exist_ok=True)
    os.chmod(root, 0o700)
    return root


def _alive(pid: int) -> bool:
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    except PermissionError:  # someone else's process: alive
        return True
    return True


def sweep() -> list[Path]:
    """Remove the folders of imports that are no longer running; returns what it removed."""
    removed = []
    now = time.time()
    for folder in spill_root().glob(PREFIX + "*"):
        try:
            pid = int(folder.name[len(PREFIX) :].split("-", 1)[0])
        except ValueError:
            pid = 0
        try:
            stale = now - folder.stat().st_mtime > OLDEST
        except FileNotFoundError:  # another import ended and removed its own folder meanwhile
            continue
        if pid != os.getpid() and (stale or not pid or not _alive(pid)):
            shutil.rmtree(folder, ignore_errors=True)
            removed.append(folder)
    return removed


def new_spill() -> Path:
    """A fresh folder for this import, after sweeping what killed imports left."""
    sweep()
    return Path(tempfile.mkdtemp(prefix=f"{PREFIX}{os.getpid()}-", dir=spill_root()))
