"""Election-day pages for every persona: the role matrix as HTTP status codes."""

import pytest
from django.test import Client

from results.models import Tally
from results.tallies import services
from tests.elections.test_permissions import USERS
from tests.results.conftest import good_qh, payload

BASE = "/elections/world-2021"
REVIEWERS = {"board_qh1", "committee_p", "committee_d1", "committee_c1", "superuser"}
READERS = REVIEWERS | {"clerk_u1", "auditor", "staff"}

PAGES = {
    # url: (allowed users, status for others)
    f"{BASE}/review/": (REVIEWERS | {"board_xa1", "auditor", "staff"}, {"clerk_u1": 403, "*": 404}),
    f"{BASE}/units/U1/minutes/QH/": ({"clerk_u1", "superuser"}, {"*": 403}),
    f"{BASE}/units/U1/minutes/QH/review/": (READERS, {"*": 403}),
    f"{BASE}/units/U1/minutes/XA/review/": (READERS - {"board_qh1"} | {"board_xa1"}, {"*": 403}),
    # Issue 17, point 1: whoever may view the unit reads its turnout; only its clerk reports it.
    f"{BASE}/units/U1/turnout/": (READERS | {"board_xa1"}, {"*": 404}),
}


def client_for(world, username):
    client = Client()
    if username != "anonymous":
        client.force_login(world.users[username])
    return client


@pytest.mark.parametrize("username", USERS)
@pytest.mark.parametrize("url", list(PAGES))
def test_pages(world, username, url):
    allowed, refused = PAGES[url]
    response = client_for(world, username).get(url)
    if username == "anonymous":
        assert response.status_code == 302
    elif username in allowed:
        assert response.status_code == 200
    else:
        assert response.status_code == refused.get(username, refused["*"])


@pytest.fixture
def submitted(world, scope_u1_qh):
    clerk = world.users["clerk_u1"]
    services.tally_save(scope=scope_u1_qh, payload=payload(good_qh()), version=None, by=clerk)
    return services.tally_submit(scope=scope_u1_qh, by=clerk)


@pytest.mark.parametrize("username", USERS)
@pytest.mark.parametrize(
    ("action", "allowed", "after"),
    [
        ("approve", REVIEWERS, "approved"),
        ("return", REVIEWERS, "returned"),
        ("annul", {"committee_p", "committee_d1", "committee_c1", "superuser"}, "annulled"),
    ],
)
def test_actions(world, submitted, username, action, allowed, after):
    data = {"reason": "lý do", "confirm": "yes"}  # an annulment is confirmed on its own page first
    response = client_for(world, username).post(f"{BASE}/units/U1/minutes/QH/{action}/", data)
    status = Tally.objects.get().status
    if username == "anonymous":
        assert (response.status_code, status) == (302, "submitted")
    elif username in allowed:
        assert (response.status_code, status) == (302, after)
    else:
        assert (response.status_code, status) == (403, "submitted")


def test_clerk_enters_and_submits_through_the_page(world):
    client = client_for(world, "clerk_u1")
    data = {k: v for k, v in good_qh().items() if k != "votes"}
    from elections.models import Candidate

    for c in Candidate.objects.filter(constituency__code="QH1"):
        data[f"votes_{c.pk}"] = good_qh()["votes"][c.code]
    # a broken total is refused with the reason beside the field
    response = client.post(f"{BASE}/units/U1/minutes/QH/", {**data, "invalid_ballots": 3, "action": "submit"})
    assert response.status_code == 200
    assert "690" in response.content.decode() and not Tally.objects.exists()
    # a good one is saved and submitted
    response = client.post(f"{BASE}/units/U1/minutes/QH/", {**data, "action": "submit"})
    assert response.status_code == 302
    assert Tally.objects.get().status == "submitted"
    # the same request again (a retry) counts once
    response = client.post(f"{BASE}/units/U1/minutes/QH/", {**data, "action": "submit"})
    assert response.status_code == 302
    assert Tally.objects.get().version == 1  # saved and submitted in one step, once


def test_annulment_asks_for_confirmation_before_annulling(world, submitted):
    """Issue 17, point 9: the first POST only shows what an annulment does; the confirmed one annuls."""
    client = client_for(world, "committee_p")
    url = f"{BASE}/units/U1/minutes/QH/annul/"
    response = client.post(url, {"reason": "Bỏ phiếu thay nhiều cử tri"})
    assert response.status_code == 200
    page = response.content.decode()
    assert 'data-testid="annul-confirm"' in page and "Bỏ phiếu thay nhiều cử tri" in page
    assert 'name="confirm" value="yes"' in page
    assert Tally.objects.get().status == "submitted"
    response = client.post(url, {"reason": "Bỏ phiếu thay nhiều cử tri", "confirm": "yes"})
    assert (response.status_code, Tally.objects.get().status) == (302, "annulled")


def test_annulment_without_a_reason_is_refused_before_the_confirmation(world, submitted):
    response = client_for(world, "committee_p").post(f"{BASE}/units/U1/minutes/QH/annul/", {"reason": "  "})
    assert response.status_code == 302
    assert Tally.objects.get().status == "submitted"


@pytest.mark.parametrize("username", ["auditor", "committee_p", "board_qh1"])
def test_readers_of_a_units_turnout_cannot_report_it(world, username):
    from results.models import TurnoutReport

    client = client_for(world, username)
    page = client.get(f"{BASE}/units/U1/turnout/").content.decode()
    assert 'name="voters_voted"' not in page  # no entry form for a reader
    response = client.post(f"{BASE}/units/U1/turnout/", {"at": "10:00", "voters_voted": "100"})
    assert response.status_code == 403
    assert not TurnoutReport.objects.exists()


def test_pending_correction_is_shown_as_an_old_to_new_table(world, scope_u1_qh):
    """Issue 17, point 2: the second member sees each line now and proposed, the changed ones marked."""
    from django.conf import settings

    from results.tallies import corrections

    clerk, board = world.users["clerk_u1"], world.users["board_qh1"]
    services.tally_save(scope=scope_u1_qh, payload=payload(good_qh()), version=None, by=clerk)
    services.tally_submit(scope=scope_u1_qh, by=clerk)
    services.tally_approve(scope=scope_u1_qh, by=board)
    fixed = payload(good_qh(valid_ballots=689, invalid_ballots=11))
    corrections.correction_propose(scope=scope_u1_qh, payload=fixed, reason="Biên bản giấy ghi 689", by=board)
    client = client_for(world, "committee_d1")
    client.cookies[settings.LANGUAGE_COOKIE_NAME] = "en"
    page = client.get(f"{BASE}/units/U1/minutes/QH/review/").content.decode()
    assert "{'voters_on_list'" not in page and "&#x27;votes&#x27;" not in page  # no raw dict
    assert 'data-testid="correction-diff"' in page
    table = page.split('data-testid="correction-diff"')[1].split("</table>")[0]
    changed = [row for row in table.split("<tr") if 'class="changed"' in row]
    assert len(changed) == 2  # valid and invalid ballots
    assert "Valid ballots" in changed[0] and "690" in changed[0] and "<strong>689</strong>" in changed[0]
    assert "Invalid ballots" in changed[1] and "<strong>11</strong>" in changed[1]


def test_a_units_turnout_flag_counts_the_same_in_the_queue_the_flag_list_and_the_tally_page(world, scope_u1_qh):
    """Issue 17, point 4: one flag count everywhere, for a board too."""
    from elections.permissions import grants_for
    from results.models import Flag
    from results.tallies import selectors

    clerk = world.users["clerk_u1"]
    services.tally_save(scope=scope_u1_qh, payload=payload(good_qh()), version=None, by=clerk)
    services.tally_submit(scope=scope_u1_qh, by=clerk)
    Flag.objects.create(
        election=world.election, polling_unit=world.units["U1"], code="turnout_series_down", severity="warning"
    )
    for username in ("board_qh1", "committee_p", "auditor"):
        grants = grants_for(world.users[username], world.election)
        queue = selectors.review_queue(world.election, grants)
        in_queue = queue.get(polling_unit__code="U1", contest__code="QH").open_flags
        listed = selectors.flags_visible(world.election, grants).filter(status="open", polling_unit__code="U1")
        page = client_for(world, username).get(f"{BASE}/units/U1/minutes/QH/review/").content.decode()
        assert in_queue == listed.count() == 1, username
        assert page.count('class="flag-warning"') == 1, username
        flags_page = client_for(world, username).get(f"{BASE}/flags/").content.decode()
        assert "U1" in flags_page, username


def test_queue_filters_say_all_not_dashes(world):
    """Issue 17, point 9: the queue's filters read "tất cả" like every other filter."""
    for url in (f"{BASE}/review/", f"{BASE}/flags/"):
        page = client_for(world, "committee_p").get(url).content.decode()
        assert "---------" not in page, url
        assert '<option value="" selected>tất cả</option>' in page, url
