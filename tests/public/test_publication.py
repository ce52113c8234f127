"""Publication of a result (CONTRACT §9): two members, the proposer again, incomplete, roles, corrections."""

import pytest
from django.conf import settings
from django.test import Client

from elections.models import AuditEntry
from results.models import ConstituencyResult, PublicationProposal, ResultPublication
from results.permissions import tally_scope
from results.publication import services as publication
from results.tallies import corrections, services
from tests.results.conftest import payload
from tests.results.result_helpers import minutes, xa_votes

pytestmark = pytest.mark.django_db

URL = "/api/v1/elections/world-2021/results/{}/publish/"


def client(world, username):
    c = Client()
    c.force_login(world.users[username])
    return c


def test_first_call_proposes_second_member_publishes(counted):
    world = counted.world
    # given a counted result nobody has proposed yet
    # when a board member proposes
    first = client(world, "board_xa1").post(URL.format("XA1"))
    # then it is proposed, not public
    assert first.status_code == 202
    assert first.json()["action"] == "proposed"
    assert first.json()["proposal"]["proposed_by"] == "board_xa1"
    assert first.json()["published"] is False
    assert not ResultPublication.objects.exists()
    assert Client().get("/api/v1/elections/world-2021/results/XA1/").status_code == 404
    # when a second, different member confirms
    second = client(world, "committee_c1").post(URL.format("XA1"))
    # then it is published, with the figures that were proposed
    assert second.status_code == 200
    body = second.json()
    assert (body["action"], body["published"], body["publication"]["sequence"]) == ("published", True, 1)
    assert body["publication"]["kind"] == "original"
    pub = ResultPublication.objects.get()
    assert pub.proposed_by == world.users["board_xa1"] and pub.published_by == world.users["committee_c1"]
    assert ConstituencyResult.objects.get(constituency=counted.xa1, round=1).published is True
    public = Client().get("/api/v1/elections/world-2021/results/XA1/")
    assert public.status_code == 200
    assert [c["votes"] for c in public.json()["candidates"]] == [600, 500, 100]
    actions = list(AuditEntry.objects.filter(object_type="result").values_list("action", flat=True))
    assert actions == ["results.result.publication_proposed", "results.result.published"]


def test_the_proposer_calling_again_changes_nothing(counted):
    world = counted.world
    client(world, "board_xa1").post(URL.format("XA1"))
    audit_before = AuditEntry.objects.count()
    again = client(world, "board_xa1").post(URL.format("XA1"))
    assert again.status_code == 200
    assert again.json()["action"] == "unchanged"
    assert again.json()["published"] is False
    assert PublicationProposal.objects.count() == 1
    assert not ResultPublication.objects.exists()
    assert AuditEntry.objects.count() == audit_before


def test_publishing_a_published_result_again_changes_nothing(counted):
    world = counted.world
    client(world, "board_xa1").post(URL.format("XA1"))
    client(world, "committee_c1").post(URL.format("XA1"))
    third = client(world, "committee_p").post(URL.format("XA1"))
    assert (third.status_code, third.json()["action"]) == (200, "unchanged")
    assert ResultPublication.objects.count() == 1


def test_an_incomplete_result_is_refused(counted):
    # XA3's unit U3 has no tally
    english = client(counted.world, "committee_p")
    english.cookies[settings.LANGUAGE_COOKIE_NAME] = "en"  # the message follows the reader's language
    response = english.post(URL.format("XA3"))
    assert response.status_code == 409
    assert "incomplete" in response.json()["detail"]
    assert not PublicationProposal.objects.exists()


@pytest.mark.parametrize(
    ("username", "status"),
    [
        ("auditor", 403),  # sees the result, may not publish it
        ("staff", 403),
        ("board_qh1", 404),  # another constituency's board: not even visible
        ("clerk_u1", 404),
        ("outsider", 404),
    ],
)
def test_who_may_not_publish(counted, username, status):
    response = client(counted.world, username).post(URL.format("XA1"))
    assert response.status_code == status
    assert not PublicationProposal.objects.exists()


@pytest.mark.parametrize("username", ["board_xa1", "committee_c1", "committee_d1", "committee_p", "superuser"])
def test_who_may_publish(counted, username):
    assert client(counted.world, username).post(URL.format("XA1")).status_code == 202


def test_anonymous_may_not_publish(counted):
    assert Client().post(URL.format("XA1")).status_code in (401, 403)
    assert not PublicationProposal.objects.exists()


def test_a_proposal_for_figures_that_changed_is_not_confirmed(counted):
    world = counted.world
    client(world, "board_xa1").post(URL.format("XA1"))
    # a second unit... XA1 has only U1: the result changes through a correction before confirmation
    scope = tally_scope("world-2021", "U1", "XA")
    body = minutes("U1", "XA", xa_votes("XA1", 590, 510, 100))
    correction = corrections.correction_propose(
        scope=scope, payload=payload(body), reason="typo", by=world.users["committee_c1"]
    )
    corrections.correction_decide(
        scope=scope, correction_id=correction.pk, approve=True, by=world.users["committee_d1"]
    )
    # the second member's call finds the proposal stale: it proposes the new figures instead of publishing
    response = client(world, "committee_p").post(URL.format("XA1"))
    assert response.status_code == 202
    assert response.json()["proposal"]["proposed_by"] == "committee_p"
    assert PublicationProposal.objects.filter(status="superseded").count() == 1
    assert not ResultPublication.objects.exists()


def test_a_correction_after_publication_is_published_with_its_reason(published):
    world = published.world
    scope = tally_scope("world-2021", "U1", "XA")
    body = minutes("U1", "XA", xa_votes("XA1", 590, 510, 100))
    reason = "Chép nhầm số phiếu của hai người ứng cử"
    correction = corrections.correction_propose(
        scope=scope, payload=payload(body), reason=reason, by=world.users["committee_c1"]
    )
    corrections.correction_decide(
        scope=scope, correction_id=correction.pk, approve=True, by=world.users["committee_d1"]
    )
    pubs = list(ResultPublication.objects.filter(constituency=published.xa1).order_by("sequence"))
    assert [(p.sequence, p.kind, p.current) for p in pubs] == [(1, "original", False), (2, "correction", True)]
    assert (pubs[1].cause, pubs[1].reason, pubs[1].polling_unit_code) == ("tally_corrected", reason, "U1")
    data = Client().get("/api/v1/elections/world-2021/results/XA1/").json()
    assert [c["votes"] for c in data["candidates"]] == [590, 510, 100]
    assert data["publication"]["kind"] == "correction" and data["publication"]["reason"] == reason
    assert [p["sequence"] for p in data["publications"]] == [1, 2]
    page = Client().get("/en/public/world-2021/constituencies/XA1/").content.decode()
    assert reason in page and "Corrected on" in page
    old = Client().get("/en/public/world-2021/constituencies/XA1/?version=1").content.decode()
    assert "earlier publication" in old
    assert AuditEntry.objects.filter(action="results.result.correction_published").count() == 1


def test_an_annulment_after_publication_withdraws_the_winners_publicly(published):
    world = published.world
    scope = tally_scope("world-2021", "U1", "XA")
    services.tally_annul(scope=scope, reason="Vi phạm Điều 69", by=world.users["committee_c1"])
    pub = ResultPublication.objects.get(constituency=published.xa1, current=True)
    assert (pub.kind, pub.status, pub.cause, pub.seats_filled) == ("correction", "incomplete", "unit_annulled", 0)
    data = Client().get("/api/v1/elections/world-2021/results/XA1/").json()
    assert data["status"] == "incomplete" and not any(c["elected"] for c in data["candidates"])


def test_a_change_that_does_not_alter_the_result_publishes_nothing(published):
    # approving a tally of another constituency (U3 for QH1 is already approved; XA3 now) changes nothing of XA1
    from tests.results.result_helpers import load

    load(published.world.election, minutes("U3", "XA", xa_votes("XA3", 600, 500, 100)))
    assert ResultPublication.objects.filter(constituency=published.xa1).count() == 1


def test_the_committee_page_shows_who_proposed(counted):
    world = counted.world
    publication.result_publish(constituency=counted.xa1, by=world.users["board_xa1"])
    other = client(world, "committee_c1")
    other.cookies["django_language"] = "en"
    text = other.get("/elections/world-2021/results/XA1/").content.decode()
    assert "Proposed for publication by board_xa1" in text
    assert "Confirm and publish" in text
    own = client(world, "board_xa1")
    own.cookies["django_language"] = "en"
    assert "Confirm and publish" not in own.get("/elections/world-2021/results/XA1/").content.decode()
    done = other.post("/elections/world-2021/results/XA1/publish/")
    assert done.status_code == 302
    assert ResultPublication.objects.filter(constituency=counted.xa1).count() == 1
