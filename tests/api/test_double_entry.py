"""CONTRACT §12 double entry through the API: the second entry typed blind, the differences, submission on agreement."""

import pytest

from elections.models import AuditEntry, RoleAssignment
from elections.parsing import parse_election
from results.models import SecondEntry, Tally
from tests.factories import UserFactory
from tests.results.conftest import good_qh

URL = "/api/v1/elections/world-2021/tallies/U1/QH/"


@pytest.fixture
def two_clerks(world, api):
    """The world's election with double entry, unit U1 with a second clerk."""
    world.election.double_entry = True
    world.election.save(update_fields=["double_entry"])
    second = UserFactory(username="clerk_u1b")
    first = RoleAssignment.objects.get(user=world.users["clerk_u1"])
    RoleAssignment.objects.create(
        user=second, election=world.election, role=first.role, polling_unit=first.polling_unit
    )
    world.users["clerk_u1b"] = second
    return api("clerk_u1"), api("clerk_u1b")


def put(client, body):
    return client.put(URL, body, content_type="application/json")


def submit(client, body=None):
    return client.post(URL + "submit/", body or {}, content_type="application/json")


def test_the_structure_file_turns_double_entry_on_and_refuses_a_non_boolean():
    doc = {"slug": "x", "name": "X", "election_day": "2026-03-15"}
    assert parse_election({**doc, "double_entry": True}).spec.double_entry is True
    assert parse_election(doc).spec.double_entry is False
    refused = parse_election({**doc, "double_entry": "yes"})
    assert [e for e in refused.errors if e.path == "double_entry"]


def test_the_second_entrant_sees_no_figure_of_the_first_until_the_second_entry_is_complete(two_clerks):
    first, second = two_clerks
    assert put(first, good_qh()).status_code == 201
    blind = second.get(URL).json()
    assert blind["valid_ballots"] is None and blind["votes"] == {}
    assert [e["entry"] for e in blind["entries"]] == [1]
    assert blind["differences"] == []
    # a partial second entry is kept, and the entrant is still blind
    partial = good_qh(valid_ballots=None)
    del partial["valid_ballots"]
    assert put(second, partial).status_code == 400  # the API takes whole minutes; partial typing is the page's
    answer = put(second, good_qh(invalid_ballots=11, valid_ballots=689))
    assert answer.status_code == 200, answer.json()
    seen = second.get(URL).json()
    assert seen["valid_ballots"] == 690  # complete: the first entry's figures are shown
    assert {d["field"]: (d["first"], d["second"]) for d in seen["differences"]} == {
        "valid_ballots": (690, 689),
        "invalid_ballots": (10, 11),
    }
    assert Tally.objects.get().valid_ballots == 690  # the second entry never changes the tally
    assert SecondEntry.objects.get().entered_by.username == "clerk_u1b"
    assert AuditEntry.objects.filter(action="results.tally.second_entry_saved").count() == 1


def test_submission_is_refused_naming_the_differing_fields_until_the_entries_agree(two_clerks, api):
    first, second = two_clerks
    put(first, good_qh())
    waiting = submit(first)
    assert waiting.status_code == 409
    assert "lần nhập thứ hai" in waiting.json()["detail"]  # Vietnamese by default
    put(second, good_qh(votes={**good_qh()["votes"], "QH1-02": 505}))
    refused = submit(first)
    assert refused.status_code == 409
    assert list(refused.json()["errors"]) == ["votes.QH1-02"]
    assert Tally.objects.get().status == "draft"
    board = api("board_qh1")
    assert [d["field"] for d in board.get(URL).json()["differences"]] == ["votes.QH1-02"]
    # the second entrant corrects, and submits: the tally (the first entry) goes to review
    agreed = submit(second, {**good_qh()})
    assert agreed.status_code == 200, agreed.json()
    assert agreed.json()["status"] == "submitted" and agreed.json()["differences"] == []
    assert Tally.objects.get().submitted_by.username == "clerk_u1b"


def test_a_third_clerk_is_refused_and_a_reviewer_approves_the_agreed_tally(two_clerks, world, api):
    first, second = two_clerks
    put(first, good_qh())
    put(second, good_qh())
    third = UserFactory(username="clerk_u1c")
    clerk = RoleAssignment.objects.get(user=world.users["clerk_u1"])
    RoleAssignment.objects.create(user=third, election=world.election, role=clerk.role, polling_unit=clerk.polling_unit)
    world.users["clerk_u1c"] = third
    refused = put(api("clerk_u1c"), good_qh())
    assert refused.status_code == 409 and "clerk_u1b" in refused.json()["detail"]
    assert submit(first).status_code == 200
    board = api("board_qh1")
    assert board.post(URL + "approve/", {}, content_type="application/json").status_code == 200
    assert Tally.objects.get().status == "approved"


def test_the_second_entrant_may_not_approve_what_they_typed(two_clerks, api):
    first, _second = two_clerks
    admin = api("superuser")  # may enter and review: the separation of duties is what refuses
    put(first, good_qh())
    assert put(admin, good_qh()).status_code == 200
    assert submit(first).status_code == 200
    refused = admin.post(URL + "approve/", {}, content_type="application/json")
    assert refused.status_code == 403
    assert Tally.objects.get().status == "submitted"


def test_without_double_entry_nothing_changes(world, api):
    clerk = api("clerk_u1")
    put(clerk, good_qh())
    answer = submit(clerk)
    assert answer.status_code == 200
    assert "entries" not in answer.json() and "differences" not in answer.json()


def test_the_units_next_step_asks_for_the_second_entry_until_it_is_typed(two_clerks, world):
    from results.tallies.selectors import unit_contests

    first, second = two_clerks
    put(first, good_qh())
    tally = Tally.objects.get()
    steps = {uc.membership.contest.code: uc.next_step for uc in unit_contests(tally.polling_unit)}
    assert steps["QH"] == "second"
    put(second, good_qh())
    steps = {uc.membership.contest.code: uc.next_step for uc in unit_contests(tally.polling_unit)}
    assert steps["QH"] == "continue"
