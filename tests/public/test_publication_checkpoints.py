"""Every publication signs a checkpoint of the audit log in its own transaction (issue 14, docs/audit.md)."""

from io import StringIO

import pytest
from django.core.management import call_command

from elections.audit_checkpoints import AuditLogBroken, checkpoint_breaks, checkpoint_json, trusted_keys
from elections.models import AuditCheckpoint, AuditEntry
from results.models import ResultPublication
from results.permissions import tally_scope
from results.publication import services as publication
from results.tallies import corrections
from tests.public.conftest import publish
from tests.results.conftest import payload
from tests.results.result_helpers import minutes, xa_votes

pytestmark = pytest.mark.django_db


def newest_checkpoint() -> AuditCheckpoint | None:
    return AuditCheckpoint.objects.order_by("-number").first()


def test_a_publication_signs_a_checkpoint_of_its_own_entry(counted):
    world = counted.world
    # given a result that is only proposed
    publication.result_publish(constituency=counted.xa1, by=world.users["committee_c1"])
    assert newest_checkpoint() is None
    # when a second member confirms it
    publication.result_publish(constituency=counted.xa1, by=world.users["committee_p"])
    # then the newest checkpoint names the publication's entry, signed with the site's key
    published = AuditEntry.objects.get(action="results.result.published")
    checkpoint = newest_checkpoint()
    assert (checkpoint.seq, checkpoint.hash, checkpoint.reason) == (published.seq, published.hash, "publication")
    assert not list(checkpoint_breaks([checkpoint_json(checkpoint)], keys=trusted_keys()))


def test_a_correction_and_turnout_publication_each_sign_one(published):
    world = published.world
    before = AuditCheckpoint.objects.count()
    # when a published result is corrected
    scope = tally_scope("world-2021", "U1", "XA")
    body = minutes("U1", "XA", xa_votes("XA1", 590, 510, 100))
    correction = corrections.correction_propose(
        scope=scope, payload=payload(body), reason="r", by=world.users["committee_c1"]
    )
    corrections.correction_decide(
        scope=scope, correction_id=correction.pk, approve=True, by=world.users["committee_d1"]
    )
    # then the correction's entry is covered by a checkpoint
    entry = AuditEntry.objects.get(action="results.result.correction_published")
    assert AuditCheckpoint.objects.count() == before + 1
    assert AuditCheckpoint.objects.filter(seq__gte=entry.seq).exists()
    # and withdrawing turnout from the public site signs one too
    publication.turnout_publish(election=world.election, publish=False, by=world.users["committee_p"])
    withdrawn = AuditEntry.objects.get(action="results.turnout.unpublished")
    assert newest_checkpoint().seq == withdrawn.seq
    # and the whole log verifies
    call_command("verify_audit", stdout=StringIO())


def test_no_checkpoint_is_signed_over_a_tampered_log_and_the_publication_waits(counted):
    world = counted.world
    publication.result_publish(constituency=counted.xa1, by=world.users["committee_c1"])
    # given an entry rewritten in the database by someone without the audit key
    AuditEntry.objects.filter(pk=AuditEntry.objects.order_by("seq").first().pk).update(after={"forged": True})
    # when the publication is confirmed
    with pytest.raises(AuditLogBroken):
        publish(world, "XA1", first="committee_c1", second="committee_p")
    # then nothing was signed and nothing was published
    assert newest_checkpoint() is None
    assert not ResultPublication.objects.exists()
