"""The tally workflow API, CONTRACT §7: statuses, versions, 400/403/409, separation of duties."""

import pytest
from django.conf import settings

from elections.models import AuditEntry
from results.models import Flag, Tally, TallyVersion
from tests.results.conftest import good_qh

URL = "/api/v1/elections/world-2021/tallies/U1/QH/"


def put(client, body, version=None):
    data = dict(body)
    if version is not None:
        data["version"] = version
    return client.put(URL, data, content_type="application/json")


def post(client, action, data=None):
    return client.post(URL + action + "/", data or {}, content_type="application/json")


def test_full_workflow(api, world):
    clerk, board = api("clerk_u1"), api("board_qh1")
    # first save creates the draft
    r = put(clerk, good_qh())
    assert r.status_code == 201, r.json()
    t = r.json()
    assert (t["status"], t["version"], t["polling_unit"], t["contest"]) == ("draft", 1, "U1", "QH")
    assert t["votes"]["QH1-01"] == 600 and t["valid_ballots"] == 690
    # an update based on version 1
    r = put(clerk, good_qh(complaints="Không có"), version=1)
    assert (r.status_code, r.json()["version"]) == (200, 2)
    # submit
    r = post(clerk, "submit", {"version": 2})
    assert (r.status_code, r.json()["status"], r.json()["version"]) == (200, "submitted", 3)
    # the clerk can no longer edit
    assert put(clerk, good_qh(), version=3).status_code == 409
    # the board returns it with a reason
    r = post(board, "return", {"reason": "Số phiếu hợp lệ chưa khớp biên bản giấy"})
    assert (r.status_code, r.json()["status"]) == (200, "returned")
    assert r.json()["return_reason"] == "Số phiếu hợp lệ chưa khớp biên bản giấy"
    # the clerk fixes and resubmits
    r = put(clerk, good_qh(valid_ballots=689, invalid_ballots=11), version=4)
    assert r.status_code == 200
    assert post(clerk, "submit").json()["status"] == "submitted"
    # the board approves
    r = post(board, "approve")
    assert (r.status_code, r.json()["status"]) == (200, "approved")
    assert clerk.get(URL).json()["status"] == "approved"
    # every step is in the audit log, in order
    actions = list(AuditEntry.objects.filter(object_key__startswith="U1/QH").values_list("action", flat=True))
    assert actions == [
        "results.tally.saved", "results.tally.saved", "results.tally.submitted", "results.tally.returned",
        "results.tally.saved", "results.tally.submitted", "results.tally.approved",
    ]  # fmt: skip
    assert TallyVersion.objects.filter(tally__polling_unit__code="U1").count() == 7


def test_stale_version_is_409(api):
    clerk = api("clerk_u1")
    clerk.cookies[settings.LANGUAGE_COOKIE_NAME] = "en"  # the message follows the reader's language
    put(clerk, good_qh())
    put(clerk, good_qh(complaints="a"), version=1)
    r = put(clerk, good_qh(complaints="b"), version=1)
    assert r.status_code == 409
    assert "version 2" in r.json()["detail"]
    # a first save when a tally already exists is stale too
    assert put(clerk, good_qh(complaints="c")).status_code == 409
    assert Tally.objects.get().complaints == "a"


def test_a_retried_save_and_submit_count_once(api):
    clerk = api("clerk_u1")
    put(clerk, good_qh())
    first = put(clerk, good_qh(complaints="x"), version=1)
    again = put(clerk, good_qh(complaints="x"), version=1)  # the answer was lost; the phone retries
    assert (first.status_code, again.status_code) == (200, 200)
    assert again.json()["version"] == 2
    assert post(clerk, "submit", {"version": 2}).json()["version"] == 3
    retry = post(clerk, "submit", {"version": 2})
    assert (retry.status_code, retry.json()["version"]) == (200, 3)
    assert AuditEntry.objects.filter(action="results.tally.submitted").count() == 1


@pytest.mark.parametrize(
    ("changes", "fields"),
    [
        ({"voters_voted": 801, "ballots_issued": 700}, ["voters_voted"]),
        ({"ballots_issued": 801, "voters_voted": 700}, ["ballots_issued"]),
        ({"ballots_received": 701}, ["ballots_received", "valid_ballots, invalid_ballots"]),
        ({"invalid_ballots": 9}, ["valid_ballots, invalid_ballots"]),
        ({"votes": {"QH1-01": 691, "QH1-02": 1, "QH1-03": 1, "QH1-04": 1, "QH1-05": 1}}, ["votes.QH1-01"]),
        ({"votes": {"QH1-01": 690, "QH1-02": 690, "QH1-03": 690, "QH1-04": 1, "QH1-05": 0}}, ["votes"]),
    ],
)
def test_arithmetic_is_refused_with_a_message_per_field(api, changes, fields):
    r = put(api("clerk_u1"), good_qh(**changes))
    assert r.status_code == 400
    assert sorted(r.json()["errors"]) == sorted(fields)
    assert not Tally.objects.exists()


@pytest.mark.parametrize(
    ("body", "field", "message"),
    [
        (good_qh(voters_voted=-1), "voters_voted", "must not be negative, not -1"),
        (good_qh(valid_ballots="690"), "valid_ballots", 'must be a whole number, not "690"'),
        (good_qh(ballots_issued=True), "ballots_issued", "must be a whole number, not true"),
        ({k: v for k, v in good_qh().items() if k != "invalid_ballots"}, "invalid_ballots", "is required"),
        (good_qh(votes={"QH1-01": 1}), "votes.QH1-02", "is missing: every candidate needs a number"),
        (good_qh(votes={**good_qh()["votes"], "XA1-01": 3}), "votes.XA1-01", "is not a candidate of this constituency"),
        (good_qh(extra=1), "extra", "unknown field"),
        (good_qh(version="2"), "version", "must be a positive whole number"),
    ],
)
def test_malformed_bodies(api, body, field, message):
    english = api("clerk_u1")
    english.cookies[settings.LANGUAGE_COOKIE_NAME] = "en"  # the messages follow the reader's language
    r = english.put(URL, body, content_type="application/json")
    assert r.status_code == 400
    assert r.json()["errors"][field] == [message]


@pytest.mark.parametrize("body", ["[]", "null", "not json", '{"votes": []}'])
def test_nonsense_is_400_never_500(api, body):
    r = api("clerk_u1").put(URL, body, content_type="application/json")
    assert r.status_code == 400


@pytest.mark.parametrize("username", ["board_qh1", "committee_p", "auditor", "staff", "outsider", "board_xa1"])
def test_only_the_clerk_saves(api, username):
    assert put(api(username), good_qh()).status_code == 403


def test_anonymous_is_401(client):
    assert client.put(URL, good_qh(), content_type="application/json").status_code == 401


@pytest.mark.parametrize(
    ("username", "allowed"),
    [("board_qh1", True), ("committee_p", True), ("committee_d1", True), ("committee_c1", True),
     ("board_xa1", False), ("clerk_u1", False), ("auditor", False), ("staff", False), ("outsider", False)],
)  # fmt: skip
def test_who_may_return_and_approve(api, username, allowed):
    clerk = api("clerk_u1")
    put(clerk, good_qh())
    post(clerk, "submit")
    r = post(api(username), "approve")
    assert r.status_code == (200 if allowed else 403)


def test_nobody_approves_what_they_submitted(world, api):
    # given a committee member who is also the unit's clerk
    from elections.models import Role, RoleAssignment

    both = world.users["committee_c1"]
    RoleAssignment.objects.create(user=both, election=world.election, role=Role.CLERK, polling_unit=world.units["U1"])
    c = api("committee_c1")
    c.cookies[settings.LANGUAGE_COOKIE_NAME] = "en"  # the message follows the reader's language
    put(c, good_qh())
    post(c, "submit")
    r = post(c, "approve")
    assert r.status_code == 403
    assert "another member" in r.json()["detail"]
    assert post(api("committee_p"), "approve").status_code == 200


def test_nobody_approves_what_they_entered(world, api):
    from elections.models import Role, RoleAssignment

    helper = world.users["board_qh1"]
    RoleAssignment.objects.create(user=helper, election=world.election, role=Role.CLERK, polling_unit=world.units["U1"])
    put(api("board_qh1"), good_qh())  # the board member typed it in
    post(api("clerk_u1"), "submit")  # the clerk submitted it
    assert post(api("board_qh1"), "approve").status_code == 403


def test_transitions_from_the_wrong_state_are_409(api):
    clerk, board = api("clerk_u1"), api("board_qh1")
    assert post(clerk, "submit").status_code == 409  # nothing saved yet
    put(clerk, good_qh())
    assert post(board, "approve").status_code == 409  # a draft
    assert post(board, "return", {"reason": "x"}).status_code == 409
    post(clerk, "submit")
    assert post(board, "return", {"reason": ""}).status_code == 400  # a reason is required
    post(board, "approve")
    assert post(board, "approve").status_code == 409
    assert post(clerk, "submit").status_code == 409


def test_warnings_do_not_refuse_and_show_as_flags(api):
    r = put(api("clerk_u1"), good_qh(ballots_issued=705, ballots_received=700))
    assert r.status_code == 201
    assert [f["code"] for f in r.json()["flags"]] == ["issued_differs_from_voted"]
    assert Flag.objects.get().severity == "warning"


def test_annulment_opens_a_revote(api, world):
    clerk, committee = api("clerk_u1"), api("committee_d1")
    put(clerk, good_qh())
    post(clerk, "submit")
    post(api("board_qh1"), "approve")
    assert post(api("board_qh1"), "annul", {"reason": "x"}).status_code == 403  # committees annul
    r = post(committee, "annul", {"reason": "Vi phạm nghiêm trọng: bỏ phiếu thay"})
    assert (r.status_code, r.json()["status"]) == (200, "annulled")
    assert Flag.objects.filter(code="unit_annulled").count() == 1
    # the re-vote's tally is the next attempt
    votes = {"QH1-01": 600, "QH1-02": 500, "QH1-03": 450, "QH1-04": 300, "QH1-05": 50}
    r = put(clerk, good_qh(voters_voted=650, ballots_issued=650, ballots_received=650, valid_ballots=640, votes=votes))
    assert r.status_code == 201
    assert (r.json()["attempt"], r.json()["status"]) == (2, "draft")
    assert Tally.objects.filter(polling_unit__code="U1").count() == 2
    # the annulment's flag stays open until the re-vote is approved, then closes itself
    post(clerk, "submit")
    assert Flag.objects.get(code="unit_annulled").status == Flag.Status.OPEN
    assert post(api("board_qh1"), "approve").status_code == 200
    assert Flag.objects.get(code="unit_annulled").status == Flag.Status.RESOLVED


def test_turnout_reports(api, world):
    clerk = api("clerk_u1")
    url = "/api/v1/elections/world-2021/polling-units/U1/turnout/{}/"
    assert clerk.put(url.format("09:00"), {"voters_voted": 300}, content_type="application/json").status_code == 200
    r = clerk.put(url.format("11:00"), {"voters_voted": 250}, content_type="application/json")
    assert r.status_code == 200 and len(r.json()["warnings"]) == 1  # the series went down
    assert Flag.objects.filter(code="turnout_series_down").count() == 1
    assert clerk.put(url.format("10:00"), {"voters_voted": 1}, content_type="application/json").status_code == 400
    assert clerk.put(url.format("09:00"), {"voters_voted": 900}, content_type="application/json").status_code == 400
    assert (
        api("board_qh1").put(url.format("09:00"), {"voters_voted": 1}, content_type="application/json").status_code
        == 404
    )


def test_save_and_submit_in_one_request(api):
    clerk = api("clerk_u1")
    r = post(clerk, "submit", good_qh())
    assert (r.status_code, r.json()["status"], r.json()["version"]) == (200, "submitted", 1)
    # the same request again (a lost answer) counts once
    again = post(clerk, "submit", good_qh())
    assert (again.status_code, again.json()["version"]) == (200, 1)
    assert AuditEntry.objects.filter(action="results.tally.submitted").count() == 1
    # a broken one is refused with its fields
    r = post(api("clerk_u1"), "submit", good_qh(invalid_ballots=1))
    assert r.status_code == 409  # it is submitted already: no longer editable
    board = api("board_qh1")
    post(board, "return", {"reason": "sai"})
    r = post(clerk, "submit", {**good_qh(invalid_ballots=1), "version": 2})
    assert r.status_code == 400 and "valid_ballots, invalid_ballots" in r.json()["errors"]
    r = post(clerk, "submit", {**good_qh(complaints="đã sửa"), "version": 2})
    assert (r.status_code, r.json()["status"], r.json()["version"]) == (200, "submitted", 3)


@pytest.mark.parametrize(
    "url",
    [
        "/api/v1/elections/world-2021/tallies/U1%00/QH/",
        "/elections/world-2021/units/%00/",
        "/api/v1/elections/world-2021/polling-units/U1/?x=%00",
    ],
)
def test_nul_in_an_address_is_400_not_500(api, url):
    assert api("clerk_u1").get(url).status_code == 400


def test_nul_in_a_body_is_a_field_error(api):
    r = put(api("clerk_u1"), good_qh(complaints="a\u0000b"))
    assert r.status_code == 400 and "complaints" in r.json()["errors"]
