"""CONTRACT §12: `Idempotency-Key` on the tally workflow: a repeated request gets the first answer, changes nothing."""

import datetime as dt
import threading

import pytest
from django.db import connection, connections
from django.test import Client
from django.utils import timezone

from api import idempotency
from api.models import IdempotentRequest
from elections.models import AuditEntry
from results.models import TallyVersion, TurnoutReport
from tests.results.conftest import good_qh

URL = "/api/v1/elections/world-2021/tallies/U1/QH/"
TURNOUT = "/api/v1/elections/world-2021/polling-units/U1/turnout/09:00/"


def put(client, body, key):
    return client.put(URL, body, content_type="application/json", headers={"Idempotency-Key": key})


def post(client, action, body, key):
    return client.post(URL + action + "/", body, content_type="application/json", headers={"Idempotency-Key": key})


def test_a_replayed_save_gets_the_first_answer_and_changes_nothing(api):
    clerk = api("clerk_u1")
    first = put(clerk, good_qh(), "save-1")
    again = put(clerk, good_qh(), "save-1")
    assert (first.status_code, again.status_code) == (201, 201)
    assert again.json() == first.json()
    assert again.headers["Idempotent-Replayed"] == "true"
    assert AuditEntry.objects.filter(action="results.tally.saved").count() == 1
    assert TallyVersion.objects.count() == 1


def test_a_replayed_submit_counts_once(api):
    clerk = api("clerk_u1")
    body = {**good_qh(), "version": None}
    first = post(clerk, "submit", body, "k-submit")
    assert first.status_code == 200, first.json()
    again = post(clerk, "submit", body, "k-submit")
    assert (again.status_code, again.json()) == (200, first.json())
    assert AuditEntry.objects.filter(action="results.tally.submitted").count() == 1


def test_a_refusal_is_replayed_too(api):
    clerk = api("clerk_u1")
    put(clerk, good_qh(), "a")
    stale = put(clerk, {**good_qh(), "version": 7}, "b")
    assert stale.status_code == 409
    assert put(clerk, {**good_qh(), "version": 7}, "b").json() == stale.json()


def test_the_same_key_with_another_body_is_422(api):
    clerk = api("clerk_u1")
    put(clerk, good_qh(), "same")
    r = put(clerk, good_qh(complaints="khác"), "same")
    assert r.status_code == 422
    assert "Idempotency-Key" in r.json()["errors"]
    assert TallyVersion.objects.count() == 1


def test_the_same_key_on_another_address_is_422(api):
    clerk = api("clerk_u1")
    put(clerk, good_qh(), "same")
    assert post(clerk, "submit", {}, "same").status_code == 422


@pytest.mark.parametrize("key", ["", "a b", "x" * 101, "khóa", "tab\there"])
def test_a_key_that_is_not_1_to_100_visible_characters_is_400(api, key):
    r = put(api("clerk_u1"), good_qh(), key)
    assert r.status_code == 400
    assert "Idempotency-Key" in r.json()["errors"]
    assert TallyVersion.objects.count() == 0


def test_a_key_of_100_visible_characters_is_taken(api):
    assert put(api("clerk_u1"), good_qh(), "~" * 100).status_code == 201


def test_another_user_with_the_same_key_is_independent(api):
    clerk = api("clerk_u1")
    put(clerk, good_qh(), "shared")
    board = api("board_qh1")
    assert post(clerk, "submit", {"version": 1}, "s1").status_code == 200
    r = post(board, "approve", {}, "shared")  # the clerk's key "shared" is no answer to the board
    assert (r.status_code, r.json()["status"]) == (200, "approved")


def test_without_the_header_nothing_changes(api):
    clerk = api("clerk_u1")
    clerk.put(URL, good_qh(), content_type="application/json")
    assert IdempotentRequest.objects.count() == 0


def test_turnout_is_idempotent(api):
    clerk = api("clerk_u1")
    h = {"Idempotency-Key": "t-0900"}
    first = clerk.put(TURNOUT, {"voters_voted": 300}, content_type="application/json", headers=h)
    again = clerk.put(TURNOUT, {"voters_voted": 300}, content_type="application/json", headers=h)
    assert (first.status_code, again.json()) == (200, first.json())
    assert AuditEntry.objects.filter(action__startswith="results.turnout").count() == 1
    assert TurnoutReport.objects.count() == 1


def test_a_key_in_progress_makes_the_second_request_wait_then_409(api, world, monkeypatch):
    """The claim: a row without an answer yet belongs to a request still acting; the second one does not act."""
    monkeypatch.setattr(idempotency, "WAIT_SECONDS", 0.1)
    clerk = api("clerk_u1")
    fingerprint = "0" * 64
    IdempotentRequest.objects.create(user=world.users["clerk_u1"], key="busy", fingerprint=fingerprint)
    monkeypatch.setattr(idempotency, "_fingerprint", lambda request: fingerprint)
    r = put(clerk, good_qh(), "busy")
    assert r.status_code == 409
    assert TallyVersion.objects.count() == 0


def test_old_keys_are_forgotten(api, world):
    clerk = api("clerk_u1")
    put(clerk, good_qh(), "old")
    IdempotentRequest.objects.update(created=timezone.now() - idempotency.KEEP - dt.timedelta(minutes=1))
    r = put(clerk, good_qh(complaints="x"), "old")  # a new request now: no 422
    assert r.status_code == 409  # version missing for an existing draft: the service's own answer
    assert IdempotentRequest.objects.filter(key="old").get().status == 409


@pytest.mark.postgres
@pytest.mark.django_db(transaction=True)
@pytest.mark.skipif("connection.vendor != 'postgresql'", reason="row locks are measured on PostgreSQL")
def test_two_concurrent_requests_with_the_same_key_act_once(world):
    user = world.users["clerk_u1"]
    answers = []
    start = threading.Barrier(8)

    def send():
        c = Client()
        c.force_login(user)
        start.wait()
        try:
            answers.append(put(c, good_qh(), "race").status_code)
        finally:
            connections.close_all()

    threads = [threading.Thread(target=send) for _ in range(8)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    assert sorted(set(answers)) in ([201], [201, 409])
    assert AuditEntry.objects.filter(action="results.tally.saved").count() == 1
    assert TallyVersion.objects.count() == 1
    assert connection.vendor == "postgresql"
