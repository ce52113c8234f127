"""Signed checkpoints of the audit log: `audit_checkpoint` (the schedule), their chain, and their keys."""

import base64
from io import StringIO

import pytest
from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PrivateKey
from django.core.exceptions import ImproperlyConfigured
from django.core.management import CommandError, call_command
from django.utils import translation

from elections import audit, audit_checkpoints
from elections.models import AuditCheckpoint, AuditEntry
from tests.elections import tampering as t

pytestmark = pytest.mark.django_db


def run(*args):
    out = StringIO()
    call_command("audit_checkpoint", *args, stdout=out)
    return out.getvalue()


def test_an_empty_log_has_nothing_to_sign():
    assert "Nothing to sign" in run()
    assert not AuditCheckpoint.objects.exists()


def test_the_schedule_signs_new_entries_once_and_force_signs_again():
    audit.audit_log("test.thing.done", object_key="a")
    # when the scheduled command runs twice with nothing new in between
    first, second = run(), run()
    # then it signed once
    assert first.startswith("Signed checkpoint #1: entry #") and "Nothing to sign" in second
    assert list(AuditCheckpoint.objects.values_list("number", "reason")) == [(1, "schedule")]
    # and --force signs the same head again, at a new time
    assert run("--force", "--reason", "manual").startswith("Signed checkpoint #2")
    first_cp, second_cp = AuditCheckpoint.objects.order_by("number")
    assert (second_cp.seq, second_cp.hash, second_cp.reason) == (first_cp.seq, first_cp.hash, "manual")


def test_checkpoints_are_signed_and_chained():
    for i in range(3):
        audit.audit_log("test.thing.done", object_key=f"k{i}")
        audit_checkpoints.audit_checkpoint(reason="schedule")
    signed = [audit_checkpoints.checkpoint_json(c) for c in AuditCheckpoint.objects.order_by("number")]
    # each names the one before it
    assert signed[0]["prev"] == audit.GENESIS
    assert [c["prev"] for c in signed[1:]] == [audit_checkpoints.checkpoint_digest(c) for c in signed[:-1]]
    # and each signature holds with the public key, over exactly the signed fields
    key = audit_checkpoints.public_key()
    for c in signed:
        key.verify(base64.b64decode(c["signature"]), audit_checkpoints.checkpoint_message(c))
    assert not list(audit_checkpoints.checkpoint_breaks(signed, keys=audit_checkpoints.trusted_keys()))
    # a checkpoint is signed by the configured key only: another key's checkpoints do not hold
    other = Ed25519PrivateKey.generate().public_key()
    assert len(list(audit_checkpoints.checkpoint_breaks(signed, keys={audit_checkpoints.key_id(other): other}))) == 3


def test_the_command_refuses_to_sign_over_a_tampered_log(tmp_path):
    log = t.build_log(None, tmp_path)
    t.forged_append(log)
    with translation.override("en"), pytest.raises(CommandError, match="does not verify since its last checkpoint"):
        run()
    assert AuditCheckpoint.objects.count() == 2


def test_a_checkpoint_is_signed_after_the_newest_entry_under_the_head_lock():
    entries = [audit.audit_log("test.thing.done", object_key=f"k{i}") for i in range(3)]
    checkpoint = audit_checkpoints.audit_checkpoint(reason="manual")
    assert (checkpoint.seq, checkpoint.hash) == (entries[-1].seq, AuditEntry.objects.get(seq=entries[-1].seq).hash)


@pytest.mark.parametrize(
    ("setting", "value", "message"),
    [
        ("AUDIT_SIGNING_KEY", "", "KP_AUDIT_SIGNING_KEY is not set"),
        ("AUDIT_SIGNING_KEY", "bm90IGEga2V5", "must be an Ed25519 private key"),
        ("AUDIT_SIGNING_KEY_FILE", "/nonexistent/audit.pem", "KP_AUDIT_SIGNING_KEY_FILE cannot be read"),
    ],
)
def test_a_missing_or_bad_signing_key_is_named(settings, setting, value, message):
    setattr(settings, setting, value)
    audit.audit_log("test.thing.done")
    with pytest.raises(ImproperlyConfigured, match=message):
        audit_checkpoints.audit_checkpoint()


def test_a_pem_signing_key_file_signs(settings, tmp_path):
    from cryptography.hazmat.primitives import serialization

    key = Ed25519PrivateKey.generate()
    pem = tmp_path / "audit-signing.pem"
    pem.write_bytes(
        key.private_bytes(serialization.Encoding.PEM, serialization.PrivateFormat.PKCS8, serialization.NoEncryption())
    )
    settings.AUDIT_SIGNING_KEY_FILE = str(pem)
    audit.audit_log("test.thing.done")
    checkpoint = audit_checkpoints.audit_checkpoint()
    assert checkpoint.key_id == audit_checkpoints.key_id(key.public_key())


def test_the_audit_log_is_not_written_without_its_key(settings):
    settings.AUDIT_KEY = ""
    with pytest.raises(ImproperlyConfigured, match="KP_AUDIT_KEY is not set"):
        audit.audit_log("test.thing.done")
