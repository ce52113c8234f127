"""Issue 14, point 6: committee, board and admin accounts log in with a TOTP second factor where it is on."""

import pytest
from django.contrib.auth import get_user_model
from django.test import Client, override_settings
from django.urls import reverse
from django_otp.oath import totp
from django_otp.plugins.otp_totp.models import TOTPDevice

from elections.models import AuditEntry

pytestmark = pytest.mark.django_db
PASSWORD = "pw-for-tests"
HOME = "/"


def logged_in(world, username):
    client = Client()
    assert client.post(reverse("login"), {"username": username, "password": PASSWORD}).status_code == 302
    return client


def code_now(device, offset=0):
    return f"{totp(device.bin_key, step=device.step, t0=device.t0, digits=device.digits, drift=offset):06d}"


@override_settings(SECOND_FACTOR_REQUIRED=True)
@pytest.mark.parametrize("username", ["committee_p", "board_qh1", "superuser"])
def test_a_member_cannot_reach_a_page_without_the_second_factor(world, username):
    client = logged_in(world, username)
    response = client.get(HOME)
    assert response.status_code == 302 and response["Location"].startswith("/accounts/second-factor/")
    assert client.get("/elections/world-2021/review/").status_code == 302
    api = client.get("/api/v1/me/")
    assert api.status_code == 403 and api.json()["detail"]
    assert client.get("/public/").status_code == 200  # the public site needs no login at all


@override_settings(SECOND_FACTOR_REQUIRED=True)
def test_setting_up_the_app_then_logging_in_with_its_code(world):
    client = logged_in(world, "committee_p")
    page = client.get("/accounts/second-factor/?next=/elections/world-2021/review/")
    assert page.status_code == 200 and 'data-testid="second-factor-qr"' in page.content.decode()
    device = TOTPDevice.objects.get(user=world.users["committee_p"])
    assert not device.confirmed
    wrong = client.post("/accounts/second-factor/", {"code": "000000", "next": "/"})
    assert wrong.status_code == 200 and client.get(HOME).status_code == 302
    device.refresh_from_db()
    assert device.throttling_failure_count == 1  # django-otp makes the next try wait
    device.throttle_reset()
    right = client.post("/accounts/second-factor/", {"code": code_now(device), "next": "/elections/world-2021/review/"})
    assert right.status_code == 302 and right["Location"] == "/elections/world-2021/review/"
    assert client.get(HOME).status_code == 200
    device.refresh_from_db()
    assert device.confirmed
    assert AuditEntry.objects.filter(action="elections.user.second_factor_set_up", object_key="committee_p").exists()
    # the next login asks for the code of the app already set up, without showing the key again
    again = logged_in(world, "committee_p")
    page = again.get("/accounts/second-factor/").content.decode()
    assert "second-factor-qr" not in page and "second-factor-secret" not in page
    assert again.get(HOME).status_code == 302


@override_settings(SECOND_FACTOR_REQUIRED=True)
@pytest.mark.parametrize("username", ["clerk_u1", "auditor"])
def test_clerks_and_auditors_log_in_with_the_password_alone(world, username):
    assert logged_in(world, username).get(HOME).status_code == 200


def test_off_in_the_demo_and_where_the_setting_is_off(world, settings):
    from config.settings import dev

    assert dev.SECOND_FACTOR_REQUIRED is False
    settings.SECOND_FACTOR_REQUIRED = False
    assert logged_in(world, "committee_p").get(HOME).status_code == 200


@override_settings(SECOND_FACTOR_REQUIRED=True)
def test_the_next_address_never_leads_off_the_site(world):
    client = logged_in(world, "committee_p")
    client.get("/accounts/second-factor/")
    device = TOTPDevice.objects.get(user=world.users["committee_p"])
    response = client.post("/accounts/second-factor/", {"code": code_now(device), "next": "https://evil.example/"})
    assert response["Location"] == "/"


def test_every_world_user_has_the_test_password(world):
    assert get_user_model().objects.get(username="committee_p").check_password(PASSWORD)
