"""Issue 14, point 8: an import killed with SIGKILL left names and dates of birth in the system's temporary folder."""

import os
import stat
import subprocess
import sys
import tempfile
from pathlib import Path

from django.test import override_settings

from tests.voters.conftest import WORLD_ROWS, load
from voters.importing import spill


def _dead_pid() -> int:
    proc = subprocess.Popen([sys.executable, "-c", "pass"])
    proc.wait()
    return proc.pid


def test_a_killed_imports_folder_is_removed_by_the_next_and_a_running_ones_is_kept(tmp_path):
    with override_settings(VOTER_IMPORT_SPILL_DIR=tmp_path / "spill"):
        root = spill.spill_root()
        dead = root / f"{spill.PREFIX}{_dead_pid()}-abc"
        dead.mkdir()
        (dead / "000000.arrow").write_bytes(b"Nguyen Van A,1970-01-02")
        running = root / f"{spill.PREFIX}{os.getppid()}-def"
        running.mkdir()
        mine = spill.new_spill()
        assert not dead.exists() and running.exists() and mine.exists()
        assert mine.parent == root and mine.name.startswith(f"{spill.PREFIX}{os.getpid()}-")
        assert stat.S_IMODE(root.stat().st_mode) == 0o700  # this user's only


def test_a_folder_removed_by_another_import_while_sweeping_is_skipped(tmp_path, monkeypatch):
    """CI, stop 21: two imports at once; the other ended and removed its folder between listing and stat."""
    with override_settings(VOTER_IMPORT_SPILL_DIR=tmp_path / "spill"):
        root = spill.spill_root()
        gone = root / f"{spill.PREFIX}{os.getppid()}-gone"
        dead = root / f"{spill.PREFIX}{_dead_pid()}-abc"
        dead.mkdir()
        listed = [gone, dead]  # `gone` was listed, then removed by its own import before the stat
        monkeypatch.setattr(Path, "glob", lambda self, pattern: iter(listed))
        removed = spill.sweep()
        assert removed == [dead] and not dead.exists()


def test_an_import_spills_in_the_private_folder_and_leaves_nothing(world, tmp_path):
    temp = Path(tempfile.gettempdir())
    before = set(temp.glob(spill.PREFIX + "*"))
    with override_settings(VOTER_IMPORT_SPILL_DIR=tmp_path / "spill"):
        load(world.election, *WORLD_ROWS)
        assert list((tmp_path / "spill").iterdir()) == []
    assert set(temp.glob(spill.PREFIX + "*")) == before
