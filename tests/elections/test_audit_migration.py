"""The upgrade seals a log written before keyed MACs (elections/migrations/0003_seal_audit_log.py)."""

import importlib
from io import StringIO

import pytest
from django.core.management import call_command
from django.db import connection
from django.db.migrations.executor import MigrationExecutor
from django.utils import timezone

from elections import audit
from elections.models import AuditCheckpoint, AuditEntry

BEFORE = [("elections", "0001_initial")]
seal_migration = importlib.import_module("elections.migrations.0003_seal_audit_log")


def _migrate(targets):
    executor = MigrationExecutor(connection)
    executor.loader.build_graph()
    executor.migrate(targets or executor.loader.graph.leaf_nodes())
    return executor


@pytest.fixture
def old_release(transactional_db):
    """The database as release 0.1 left it; migrated back to the newest state afterwards."""
    executor = _migrate(BEFORE)
    apps = executor.loader.project_state(BEFORE).apps
    yield apps
    # a log the test left broken would stop the way back
    apps.get_model("elections", "AuditEntry").objects.all().delete()
    apps.get_model("elections", "AuditHead").objects.all().delete()
    _migrate(None)


def write_legacy_log(apps, *, broken_at=None):
    Entry = apps.get_model("elections", "AuditEntry")
    Head = apps.get_model("elections", "AuditHead")
    prev = audit.GENESIS
    for i in range(4):
        entry = Entry(
            at=timezone.now(),
            actor_name="ban.qh2",
            action="test.thing.done",
            object_type="voter" if i == 1 else "tally",
            object_key=f"k{i}",
            after={"n": i},
            data={},
            source="web 10.0.0.7",
            prev_hash=prev,
        )
        entry.hash = prev = seal_migration._legacy_hash(prev, entry)
        entry.save()
    Head.objects.create(pk=1, seq=entry.seq, hash=prev)
    if broken_at is not None:
        Entry.objects.filter(object_key=f"k{broken_at}").update(after={"n": 99})
        return Entry.objects.get(object_key=f"k{broken_at}").seq
    return None


def test_an_intact_old_log_is_sealed_and_pinned_by_an_upgrade_checkpoint(old_release):
    # given a log written by release 0.1
    write_legacy_log(old_release)
    # when the release with keyed MACs is installed
    _migrate(None)
    # then the log verifies with the new checks, and checkpoint #1 pins its head
    out = StringIO()
    call_command("verify_audit", stdout=out)
    last = AuditEntry.objects.order_by("seq").last()
    assert f"4 entries, chain intact, 1 signed checkpoint(s), the newest at entry #{last.seq}" in out.getvalue()
    checkpoint = AuditCheckpoint.objects.get()
    assert (checkpoint.number, checkpoint.reason, checkpoint.seq, checkpoint.hash) == (
        1,
        "upgrade",
        last.seq,
        last.hash,
    )
    # and the entries are now in the new format: who acted stays out of the public part
    assert all(len(e.mac) == 64 for e in AuditEntry.objects.all())
    assert "ban.qh2" not in str(audit.public_fields(last))


def test_a_broken_old_log_is_not_sealed_as_if_it_were_intact(old_release, monkeypatch):
    broken = write_legacy_log(old_release, broken_at=2)
    with pytest.raises(RuntimeError, match=f"The audit log does not verify \\(entries #{broken}\\)"):
        _migrate(None)
    # the operator who has recorded the break may seal it anyway
    monkeypatch.setenv("KP_AUDIT_SEAL_BROKEN_LOG", "1")
    _migrate(None)
    assert AuditCheckpoint.objects.get().reason == "upgrade"
