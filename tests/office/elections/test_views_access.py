"""Every page and API endpoint, for every persona: the role matrix as HTTP status codes."""

import pytest
from django.http import HttpRequest
from django.test import Client
from django.urls import reverse
from rest_framework.authtoken.models import Token

from elections.permissions import Action
from tests.elections.test_permissions import EXPECTED, USERS

SLUG = "world-2021"
# (page, object key in EXPECTED): a page is allowed exactly when VIEW of its object is.
PAGES = [
    (reverse("elections:election-detail", args=[SLUG]), ("election", SLUG)),
    (reverse("elections:election-checks", args=[SLUG]), ("election", SLUG)),
    *[(reverse("elections:area-detail", args=[SLUG, code]), ("area", code)) for code in ("P", "D1", "D2", "C1", "C3")],
    *[
        (reverse("elections:constituency-detail", args=[SLUG, code]), ("constituency", code))
        for code in ("QH1", "XA1", "XA2", "XA3")
    ],
    *[(reverse("elections:unit-detail", args=[SLUG, code]), ("unit", code)) for code in ("U1", "U2", "U3")],
    (reverse("elections:unit-detail", args=["other-2026", "U9"]), ("unit", "U9")),
]
PUBLIC_API = [
    reverse("api:election-list"),
    reverse("api:election-detail", args=[SLUG]),
    reverse("api:polling-unit-detail", args=[SLUG, "U1"]),
    reverse("api:constituency-detail", args=[SLUG, "XA1"]),
    reverse("schema"),
    reverse("api-docs"),
]


def client_for(world, username):
    client = Client()
    if username != "anonymous":
        client.force_login(world.users[username])
    return client


@pytest.mark.parametrize("username", USERS)
@pytest.mark.parametrize(("url", "key"), PAGES)
def test_structure_pages(world, username, url, key):
    response = client_for(world, username).get(url)
    if username == "anonymous":
        assert response.status_code == 302
        assert response["Location"].startswith(reverse("login"))
    elif Action.VIEW in EXPECTED[key].get(username, set()):
        assert response.status_code == 200
    else:
        assert response.status_code == 404


@pytest.mark.parametrize("username", USERS)
def test_home_page(world, username):
    response = client_for(world, username).get(reverse("home"))
    if username == "anonymous":
        assert response.status_code == 302
        return
    assert response.status_code == 200
    html = response.content.decode()
    own = {
        "clerk_u1": ["U1"],
        "clerk_other": ["U9"],
        "board_qh1": ["QH1", "U1", "U2", "U3"],
        "board_xa1": ["XA1", "U1"],
        "committee_p": ["QH1", "XA1", "XA2", "XA3", "U1", "U2", "U3"],
        "committee_d1": ["XA1", "XA2", "U1", "U2"],
        "committee_c1": ["XA1", "U1"],
    }.get(username, [])
    for code in own:
        assert f"/{code}/" in html, code
    # nothing outside the role's scope is linked
    for code in {"U1", "U2", "U3", "U9", "QH1", "XA1", "XA2", "XA3"} - set(own):
        assert f"/{code}/" not in html, code


@pytest.mark.parametrize("username", USERS)
@pytest.mark.parametrize("url", PUBLIC_API)
def test_public_endpoints_answer_everyone(world, username, url):
    assert client_for(world, username).get(url).status_code == 200


@pytest.mark.parametrize("username", USERS)
def test_me_endpoint(world, username):
    response = client_for(world, username).get(reverse("api:me"))
    if username == "anonymous":
        assert response.status_code == 401
        assert response["WWW-Authenticate"] == "Token"
    else:
        assert response.status_code == 200
        assert response.json()["username"] == username


def test_token_authentication(world):
    token = Token.objects.create(user=world.users["board_qh1"])
    response = Client().get(reverse("api:me"), HTTP_AUTHORIZATION=f"Token {token.key}")
    assert response.status_code == 200
    assert response.json()["roles"] == [
        {"election": SLUG, "role": "board", "polling_unit": None, "constituency": "QH1", "area": None}
    ]
    assert Client().get(reverse("api:me"), HTTP_AUTHORIZATION="Token wrong").status_code == 401


@pytest.mark.parametrize("username", USERS)
def test_admin_is_for_staff_only(world, username):
    response = client_for(world, username).get(reverse("admin:index"))
    if username in ("staff", "superuser"):
        assert response.status_code == 200
    else:
        assert response.status_code == 302


def test_unknown_election_is_404_for_the_api(world):
    assert Client().get(reverse("api:election-detail", args=["nope"])).status_code == 404
    assert Client().get(reverse("api:polling-unit-detail", args=[SLUG, "NOPE"])).status_code == 404
    # a unit of another election is not found under this one
    assert Client().get(reverse("api:polling-unit-detail", args=[SLUG, "U9"])).status_code == 404


@pytest.mark.parametrize("username", USERS)
def test_account_pages(world, username):
    client = client_for(world, username)
    login = client.get(reverse("login"))
    change = client.get(reverse("password_change"))
    if username == "anonymous":
        assert (login.status_code, change.status_code) == (200, 302)
    else:  # a logged-in person goes home from the login page, and may change their password
        assert (login.status_code, change.status_code) == (302, 200)


def test_password_change_and_logout(world):
    client = client_for(world, "clerk_u1")
    response = client.post(
        reverse("password_change"),
        {"old_password": "pw-for-tests", "new_password1": "Mới-mật-khẩu-2021", "new_password2": "Mới-mật-khẩu-2021"},
    )
    assert response.status_code == 302
    assert client.post(reverse("logout")).status_code == 302
    assert client.get(reverse("home")).status_code == 302
    # django-axes counts logins per request, so a test login passes one
    assert Client().login(request=HttpRequest(), username="clerk_u1", password="Mới-mật-khẩu-2021")
