"""A real import killed with SIGKILL in the middle of its COPY leaves the previous lists exactly as they were.

PostgreSQL only (KP_DATABASE_URL): a separate process runs `manage.py import_voters` against the test
database and is killed while its COPY is running. The simulated crash for every database is in
test_import_voters.py.
"""

import os
import signal
import subprocess
import sys
import time
from pathlib import Path

import pytest
from django.conf import settings
from django.db import connection

from tests.voters.conftest import HEADER, WORLD_ROWS, load
from tests.voters.importing.test_pipeline import snapshot
from voters.importing import spill
from voters.models import Voter, VoterImport, VoterList

ON_POSTGRES = settings.DATABASES["default"]["ENGINE"].endswith("postgresql")
pytestmark = [
    pytest.mark.postgres,
    pytest.mark.django_db(transaction=True),
    pytest.mark.skipif(not ON_POSTGRES, reason="needs PostgreSQL (KP_DATABASE_URL)"),
]
ROOT = Path(__file__).resolve().parents[3]


def _database_url() -> str:
    s = connection.settings_dict
    auth = s["USER"] + (f":{s['PASSWORD']}" if s["PASSWORD"] else "")
    return f"postgres://{auth}@{s['HOST'] or 'localhost'}:{s['PORT'] or 5432}/{s['NAME']}"


def _copy_running() -> bool:
    with connection.cursor() as cursor:
        cursor.execute(
            "SELECT count(*) FROM pg_stat_activity WHERE datname = current_database() "
            "AND state = 'active' AND query LIKE 'COPY voters_voter %%'"
        )
        return cursor.fetchone()[0] > 0


def test_sigkill_mid_copy_leaves_the_previous_list(world, tmp_path):
    # given: a loaded list
    load(world.election, *WORLD_ROWS)
    before = snapshot()
    lists_before, imports_before = VoterList.objects.count(), VoterImport.objects.count()
    big = tmp_path / "big.csv"
    with big.open("w", encoding="utf-8") as fh:
        fh.write(HEADER + "\n" + "\n".join(WORLD_ROWS) + "\n")
        for i in range(600_000):
            fh.write(f"0791{i:08d},Người Thứ {i},1980-01-01,{'male' if i % 2 else 'female'},U{1 + i % 3},\n")
    env = {k: v for k, v in os.environ.items() if k != "DJANGO_ALLOW_ASYNC_UNSAFE"}
    env |= {"KP_DATABASE_URL": _database_url(), "DJANGO_SETTINGS_MODULE": "config.settings.test"}
    # when: the import is killed while its COPY runs
    proc = subprocess.Popen(
        [sys.executable, "manage.py", "import_voters", world.election.slug, str(big), "--no-progress"],
        cwd=ROOT,
        env=env,
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
    )
    try:
        deadline = time.monotonic() + 60
        while not _copy_running():
            assert proc.poll() is None, proc.communicate()
            assert time.monotonic() < deadline, "the import never started its COPY"
            time.sleep(0.02)
        proc.send_signal(signal.SIGKILL)  # at once: the COPY of this file takes about a second
        proc.wait(timeout=30)
    finally:
        if proc.poll() is None:
            proc.kill()
        proc.communicate()
    assert proc.returncode == -signal.SIGKILL
    # then: the server notices the dead client and rolls its transaction back
    deadline = time.monotonic() + 30
    while _copy_running() and time.monotonic() < deadline:
        time.sleep(0.1)
    assert snapshot() == before
    assert Voter.objects.count() == len(WORLD_ROWS)
    assert (VoterList.objects.count(), VoterImport.objects.count()) == (lists_before, imports_before)
    # and the spill folder it left (names, dates of birth) is in the private folder, removed by the next import
    left = list(spill.spill_root().glob(f"{spill.PREFIX}{proc.pid}-*"))
    assert left, "the killed import spilled its rows in the private folder"
    spill.sweep()
    assert not any(p.exists() for p in left)
