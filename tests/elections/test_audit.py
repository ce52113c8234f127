"""The audit log's hash chain: `verify_audit` finds an edited, a deleted and an inserted entry."""

from io import StringIO

import pytest
from django.core.management import CommandError, call_command
from django.utils import timezone

from elections.audit import GENESIS, audit_log, entry_hash, public_fields
from elections.models import AuditEntry


@pytest.fixture
def chain(db):
    return [audit_log("test.thing.done", object_key=f"k{i}", after={"n": i}, data={"i": i}) for i in range(5)]


def verify():
    out, err = StringIO(), StringIO()
    try:
        call_command("verify_audit", stdout=out, stderr=err)
    except CommandError as exc:
        return False, err.getvalue() + str(exc)
    return True, out.getvalue()


def test_an_intact_chain_verifies(chain):
    ok, text = verify()
    assert ok and "5 entries" in text
    assert chain[0].prev_hash == GENESIS
    assert all(b.prev_hash == a.hash for a, b in zip(chain, chain[1:], strict=False))


def test_an_edited_entry_is_detected(chain):
    AuditEntry.objects.filter(pk=chain[2].pk).update(after={"n": 99})
    ok, text = verify()
    assert not ok
    assert f"entry #{chain[2].seq}: content does not match its hash" in text


def test_a_deleted_entry_is_detected(chain):
    AuditEntry.objects.filter(pk=chain[1].pk).delete()
    ok, text = verify()
    assert not ok
    assert f"entry #{chain[2].seq}: previous hash does not match" in text


def test_a_deleted_last_entry_is_detected(chain):
    AuditEntry.objects.filter(pk=chain[-1].pk).delete()
    ok, text = verify()
    assert not ok and "the chain does not end where the head says" in text


def _forge(seq, prev_hash):
    """An entry whose own hash is right, as someone with write access to the table could make."""
    forged = AuditEntry(seq=seq, at=timezone.now(), action="test.forged", object_key="x", data={}, prev_hash=prev_hash)
    forged.hash = entry_hash(prev_hash=prev_hash, fields=public_fields(forged))
    forged.save(force_insert=True)
    return forged


def test_an_entry_inserted_in_the_middle_is_detected(chain):
    # given gaps between the numbers (as sequences leave after rolled-back transactions)
    for entry in reversed(chain):
        AuditEntry.objects.filter(pk=entry.seq).update(seq=entry.seq * 10)
    assert verify()[0]
    # when an entry is slipped in between the 2nd and the 3rd, linked to the 2nd
    _forge(chain[1].seq * 10 + 5, chain[1].hash)
    # then the 3rd no longer follows its predecessor
    ok, text = verify()
    assert not ok
    assert f"entry #{chain[2].seq * 10}: previous hash does not match" in text


def test_an_entry_appended_behind_the_head_is_detected(chain):
    _forge(chain[-1].seq + 100, chain[-1].hash)
    ok, text = verify()
    assert not ok and "the chain does not end where the head says" in text


def test_on_postgresql_entries_and_the_head_move_in_one_statement_with_the_head_locked(chain):
    """Every round trip while the head row is locked holds up every other writer: lock, then one statement."""
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    if connection.vendor != "postgresql":
        pytest.skip("the one-statement append is PostgreSQL's")

    from elections.audit import AuditRecord, audit_log_many
    from elections.models import AuditHead

    with CaptureQueriesContext(connection) as queries:
        written = audit_log_many([AuditRecord("test.thing.done", object_key=f"x{i}") for i in range(3)])
    statements = [q["sql"] for q in queries.captured_queries]
    assert len(statements) == 2 and "FOR UPDATE" in statements[0]
    head = AuditHead.objects.get()
    assert [e.seq for e in written] == sorted(e.seq for e in written) and head.seq == written[-1].seq
    assert head.hash == written[-1].hash and written[0].prev_hash == chain[-1].hash
    assert list(AuditEntry.objects.filter(seq__in=[e.seq for e in written]).values_list("hash", flat=True)) == [
        e.hash for e in written
    ]
    ok, text = verify()
    assert ok and "8 entries" in text
