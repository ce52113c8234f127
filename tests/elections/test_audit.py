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
