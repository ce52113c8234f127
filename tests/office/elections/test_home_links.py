"""The home page of every persona (issue 17, points 1 and 3): every link on it opens, the review queue comes
before the long lists, and a committee is offered the results page of exactly the contests it may open."""

import re

import pytest
from django.conf import settings
from django.test import Client

from results.models import Flag
from tests.elections.test_permissions import USERS

pytestmark = pytest.mark.django_db
LOGGED_IN = [u for u in USERS if u != "anonymous"]
# not pages: the administration (Django's own), the API's documentation, static files
OUTSIDE = ("/admin/", "/api/", "/static/")


def _home(world, username) -> tuple[Client, str]:
    client = Client()
    client.force_login(world.users[username])
    client.cookies[settings.LANGUAGE_COOKIE_NAME] = "en"
    response = client.get("/")
    assert response.status_code == 200
    return client, response.content.decode()


def _links(html: str) -> list[str]:
    return sorted({h for h in re.findall(r'href="([^"#]+)"', html) if h.startswith("/") and not h.startswith(OUTSIDE)})


@pytest.mark.parametrize("username", LOGGED_IN)
def test_every_link_on_the_home_page_opens(world, username):
    client, html = _home(world, username)
    links = _links(html)
    assert links
    broken = {link: client.get(link).status_code for link in links}
    assert {link: code for link, code in broken.items() if code != 200} == {}


@pytest.mark.parametrize(
    ("username", "contests"),
    [
        ("committee_p", ["QH", "XA"]),  # the province: the QH constituency is its own, the communes' are below it
        ("committee_d1", ["XA"]),  # a district: no QH constituency lies in it
        ("committee_c1", ["XA"]),
    ],
)
def test_a_committee_is_offered_the_contests_it_may_open(world, username, contests):
    client, html = _home(world, username)
    offered = re.findall(r'href="(?:/en)?/elections/world-2021/contests/(\w+)/results/"', html)
    assert offered == contests
    assert client.get("/elections/world-2021/contests/QH/results/").status_code == (200 if "QH" in contests else 404)


@pytest.mark.parametrize("username", ["board_qh1", "committee_p", "committee_d1", "auditor"])
def test_the_review_queue_comes_before_the_long_lists(world, username):
    _, html = _home(world, username)
    queue = html.index('data-testid="review-queue"')
    assert "<details" not in html[:queue]  # the lists of constituencies and units are folded below it
    if username != "auditor":
        assert html.index('<details class="more">') > queue


def test_a_board_opens_every_flag_its_list_shows(world):
    """A unit's own flag (its turnout) is listed to the boards of the unit's constituencies: its page opens too."""
    unit = world.units["U2"]  # votes in QH1 and XA2
    flag = Flag.objects.create(
        election=world.election, polling_unit=unit, code="turnout_series_down", severity="warning", message="-"
    )
    client = Client()
    client.force_login(world.users["board_qh1"])
    listed = client.get("/elections/world-2021/flags/").content.decode()
    assert f"/elections/world-2021/flags/{flag.pk}/" in listed
    assert client.get(f"/elections/world-2021/flags/{flag.pk}/").status_code == 200
    other = Client()
    other.force_login(world.users["board_xa1"])  # XA1: U1 only
    assert other.get(f"/elections/world-2021/flags/{flag.pk}/").status_code == 404
