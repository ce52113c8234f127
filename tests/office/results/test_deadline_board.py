"""The deadlines board (issue 15, point 8): who may open it, what it shows in each language, the late box on the
home page and the link from the election's page."""

import datetime as dt
import re

import pytest
from django.conf import settings
from django.test import Client
from django.urls import reverse
from django.utils import timezone

from elections.models import Election

pytestmark = pytest.mark.django_db


def client_for(world, username, language="en"):
    client = Client()
    if username != "anonymous":
        client.force_login(world.users[username])
    client.cookies[settings.LANGUAGE_COOKIE_NAME] = language
    return client


def board_url(world, **query):
    url = reverse("results:deadlines", args=[world.election.slug])
    return url + ("?" + "&".join(f"{k}={v}" for k, v in query.items()) if query else "")


@pytest.mark.parametrize(
    ("username", "status", "constituencies"),
    [
        ("committee_p", 200, {"QH1", "XA1", "XA2", "XA3"}),
        ("committee_d1", 200, {"XA1", "XA2"}),
        ("committee_c1", 200, {"XA1"}),
        ("board_qh1", 200, {"QH1"}),
        ("board_xa1", 200, {"XA1"}),
        ("auditor", 200, {"QH1", "XA1", "XA2", "XA3"}),
        ("clerk_u1", 404, set()),
        ("outsider", 404, set()),
        ("clerk_other", 404, set()),
    ],
)
def test_deadline_board_opens_for_boards_and_committees_only(world, username, status, constituencies):
    response = client_for(world, username).get(board_url(world))
    assert response.status_code == status
    if status == 200:
        shown = {code for code in ("QH1", "XA1", "XA2", "XA3") if f"({code})" in response.content.decode()}
        assert shown == constituencies


def test_deadline_board_sends_the_public_to_the_login(world):
    response = client_for(world, "anonymous").get(board_url(world))
    assert response.status_code == 302 and "/accounts/login/" in response["Location"]


def test_deadline_board_in_english_names_each_deadline_with_its_article(world):
    html = client_for(world, "committee_p").get(board_url(world)).content.decode()
    # the world's 2021 election, nothing counted: every deadline has passed with nothing done
    assert "Counting minutes of every polling unit reach the Election Board" in html
    assert "Art. 76(3)" in html and "Art. 77(3)" in html and "Art. 77(4)" in html
    assert "Art. 83(3)" in html and "Art. 85(1), Art. 86(2)" in html and "Art. 86(1)" in html
    assert "Art. 87(1)" in html
    assert ">late<" in html and "deadlines are late." in html
    assert "0 of 3" in html  # QH1's three units, none sent


def test_deadline_board_in_vietnamese_by_default(world):
    html = client_for(world, "committee_p", language="vi").get(board_url(world)).content.decode()
    assert 'lang="vi"' in html
    assert "Điều 76(3)" in html and "Art. 76(3)" not in html


def test_deadline_board_of_one_area_and_only_the_late(world):
    client = client_for(world, "committee_p")
    html = client.get(board_url(world, area="C1")).content.decode()
    assert "(XA1)" in html and "(QH1)" not in html and "(XA2)" not in html
    assert client.get(board_url(world, late="1")).status_code == 200


@pytest.mark.parametrize(("area", "status"), [("C3", 404), ("NO-SUCH", 404), ("x" * 500, 404), ("%00%27", 400)])
def test_deadline_board_of_an_area_the_reader_may_not_see_is_not_found(world, area, status):
    # a NUL byte is refused as a bad request before any view; never a server error
    assert client_for(world, "committee_c1").get(board_url(world, area=area)).status_code == status


def test_nothing_late_before_the_deadlines(world):
    Election.objects.filter(pk=world.election.pk).update(election_day=timezone.localdate() + dt.timedelta(days=1))
    html = client_for(world, "committee_p").get(board_url(world)).content.decode()
    assert "Nothing is late." in html and ">late<" not in html


def test_home_page_of_a_committee_shows_its_late_deadlines(world):
    html = client_for(world, "committee_c1").get("/").content.decode()
    assert 'data-testid="late-deadlines"' in html
    assert board_url(world) + "?late=1" in html
    assert "legal deadlines have passed with the work not done" in html
    # the board it opens names the same count of work not done, beside the count of every late deadline
    home_count = re.search(r"(\d+) legal deadlines have passed", html).group(1)
    board = client_for(world, "committee_c1").get(board_url(world) + "?late=1").content.decode()
    assert re.search(r'data-testid="overdue-total">(\d+) of them are still not done', board).group(1) == home_count


def test_home_page_of_a_clerk_has_no_late_box(world):
    html = client_for(world, "clerk_u1").get("/").content.decode()
    assert 'data-testid="late-deadlines"' not in html and board_url(world) not in html


def test_home_page_has_no_late_box_when_nothing_is_late(world):
    Election.objects.filter(pk=world.election.pk).update(election_day=timezone.localdate() + dt.timedelta(days=1))
    html = client_for(world, "committee_c1").get("/").content.decode()
    assert 'data-testid="late-deadlines"' not in html
    assert board_url(world) in html  # the board itself is still offered


@pytest.mark.parametrize(("username", "linked"), [("committee_p", True), ("board_xa1", True), ("clerk_u1", False)])
def test_election_page_links_the_board(world, username, linked):
    html = client_for(world, username).get(reverse("elections:election-detail", args=[world.election.slug])).content
    assert (board_url(world).encode() in html) is linked
