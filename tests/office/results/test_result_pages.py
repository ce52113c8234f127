"""Committee pages of results: who sees them, opening a round, resolving a flag, and odd input."""

import pytest
from django.conf import settings
from django.test import Client

from elections.models import AuditEntry
from results.models import ConstituencyRound, Flag
from tests.elections.test_permissions import USERS
from tests.results.result_helpers import load, minutes, qh_votes, xa_votes

pytestmark = pytest.mark.django_db

BASE = "/elections/world-2021"
SEES_QH1 = {"board_qh1", "committee_p", "auditor", "staff", "superuser"}


def client_for(world, username, lang="en"):
    client = Client()
    client.cookies[settings.LANGUAGE_COOKIE_NAME] = lang
    if username != "anonymous":
        client.force_login(world.users[username])
    return client


# The round page's form: the kind, the voting day and the decision's body, reference and date (CONTRACT §10).
ROUND_FORM = {
    "kind": "re_election",
    "voting_day": "06/06/2021",
    "body": "Ủy ban bầu cử xã C1",
    "reference": "Nghị quyết số 1/NQ-UBBC",
    "date": "25/05/2021",
    "reason": "Dưới một nửa cử tri đi bầu.",
}


@pytest.fixture
def low_turnout(world):
    load(world.election, minutes("U1", "XA", xa_votes("XA1", 390, 380, 5), voted=400))


@pytest.mark.parametrize("username", USERS)
def test_the_constituency_result_page(world, username):
    load(world.election, *(minutes(u, "QH", qh_votes(600, 550, 500, 300, 100)) for u in ("U1", "U2")))
    response = client_for(world, username).get(f"{BASE}/results/QH1/")
    if username == "anonymous":
        assert response.status_code == 302
    else:
        assert response.status_code == (200 if username in SEES_QH1 else 404)
    if response.status_code == 200:
        html = response.content.decode()
        assert "2 / 3" in html and "U3" in html  # counted units and the unit not counted
        assert "cannot change the outcome" in html or "can change the outcome" in html


def test_the_reason_in_words_with_its_article(world, low_turnout):
    html = client_for(world, "committee_c1").get(f"{BASE}/results/XA1/").content.decode()
    assert "Turnout 50.00 % is not over half: re-election required, Art. 78(1), Art. 80(1)" in html
    assert "Open the re-election" in html and "2021-06-07" in html or "07/06/2021" in html


def test_the_page_in_vietnamese_renders(world, low_turnout):
    response = client_for(world, "committee_c1", lang="vi").get(f"{BASE}/results/XA1/")
    assert response.status_code == 200


@pytest.mark.parametrize(
    ("username", "status", "opened"),
    [
        ("committee_c1", 302, True),
        ("committee_p", 302, True),
        ("superuser", 302, True),
        ("board_xa1", 403, False),  # the board reports; the committee decides (Arts. 79-80)
        ("auditor", 403, False),
        ("committee_d1", 302, True),
        ("outsider", 404, False),
        ("clerk_u1", 404, False),
    ],
)
def test_opening_a_round(world, low_turnout, username, status, opened):
    response = client_for(world, username).post(f"{BASE}/results/XA1/round/", ROUND_FORM)
    assert response.status_code == status
    assert ConstituencyRound.objects.exists() is opened
    assert AuditEntry.objects.filter(action="results.round.opened").exists() is opened


@pytest.mark.parametrize(
    "data", [{"kind": "re_election", "voting_day": "soon"}, {"kind": "third", "voting_day": "06/06/2021"}, {"body": ""}]
)
def test_odd_round_requests_are_refused_with_a_message(world, low_turnout, data):
    response = client_for(world, "committee_c1").post(f"{BASE}/results/XA1/round/", {**ROUND_FORM, **data})
    assert response.status_code == 400 and not ConstituencyRound.objects.exists()
    assert 'class="errorlist"' in response.content.decode()


@pytest.mark.parametrize(
    ("username", "status"),
    [("committee_d1", 200), ("board_xa1", 200), ("board_qh1", 404), ("outsider", 404)],
)
def test_the_contest_page_lists_what_one_oversees(world, low_turnout, username, status):
    response = client_for(world, username).get(f"{BASE}/contests/XA/results/")
    assert response.status_code == status
    if status == 200 and username == "committee_d1":
        html = response.content.decode()
        assert "2 of the 3 constituencies" in html and "XA3" not in html


def test_the_contest_page_for_everything(world, low_turnout):
    html = client_for(world, "committee_p").get(f"{BASE}/contests/XA/results/").content.decode()
    assert "XA3" in html and "Huyện D1" in html


def test_the_constituency_page_links_to_its_result(world):
    html = client_for(world, "committee_p").get(f"{BASE}/constituencies/QH1/").content.decode()
    assert f"{BASE}/results/QH1/" in html


@pytest.fixture
def flag(world):
    return Flag.objects.create(
        election=world.election,
        polling_unit=world.units["U1"],
        constituency=world.constituencies["XA1"],
        code="turnout_outlier",
        severity="warning",
        message="Turnout 99.00 % is far from its area's.",
        source="screening: robust z-score",
    )


@pytest.mark.parametrize(
    ("username", "get", "post"),
    [
        ("committee_c1", 200, 302),
        ("committee_p", 200, 302),
        ("board_xa1", 200, 403),
        ("auditor", 200, 403),
        ("board_qh1", 404, 404),
        ("outsider", 404, 404),
    ],
)
def test_resolving_a_flag(world, flag, username, get, post):
    client = client_for(world, username)
    assert client.get(f"{BASE}/flags/{flag.pk}/").status_code == get
    response = client.post(f"{BASE}/flags/{flag.pk}/", {"note": "Đã đối chiếu biên bản giấy: khớp."})
    assert response.status_code == post
    flag.refresh_from_db()
    assert (flag.status == "resolved") is (post == 302)
    if post == 302:
        assert flag.resolved_by == world.users[username] and "khớp" in flag.resolution_note
        assert AuditEntry.objects.get(action="results.flag.resolved").data["note"].startswith("Đã")


def test_a_flag_needs_a_note_and_resolves_once(world, flag):
    client = client_for(world, "committee_c1")
    client.post(f"{BASE}/flags/{flag.pk}/", {"note": "  "})
    flag.refresh_from_db()
    assert flag.status == "open"
    client.post(f"{BASE}/flags/{flag.pk}/", {"note": "ok", "next": "https://evil.example/"})
    client.post(f"{BASE}/flags/{flag.pk}/", {"note": "again"})
    flag.refresh_from_db()
    assert (flag.status, flag.resolution_note) == ("resolved", "ok")
    assert AuditEntry.objects.filter(action="results.flag.resolved").count() == 1


def test_an_unknown_flag_is_not_found(world):
    assert client_for(world, "superuser").get(f"{BASE}/flags/999999/").status_code == 404
