"""Issue 14, point 6: ten wrong passwords lock the account for a while (django-axes); staff sessions last 8 hours."""

import datetime as dt

import pytest
from axes.models import AccessAttempt
from django.conf import settings
from django.contrib.auth import get_user_model
from django.test import Client
from django.urls import reverse

pytestmark = pytest.mark.django_db

PASSWORD = "Đúng-mật-khẩu-2021"


@pytest.fixture
def member():
    user = get_user_model().objects.create_user("uyban.thu", password=PASSWORD)
    return user


def attempt(client, password, username="uyban.thu"):
    return client.post(reverse("login"), {"username": username, "password": password})


def test_ten_wrong_passwords_lock_the_account_even_for_the_right_one(member):
    client = Client()
    client.cookies[settings.LANGUAGE_COOKIE_NAME] = "en"
    for i in range(settings.AXES_FAILURE_LIMIT - 1):
        assert attempt(client, f"sai-{i}").status_code == 200  # the form again, with its error
    locked = attempt(client, "sai-cuối")
    assert locked.status_code == 429 and 'data-testid="locked-out"' in locked.content.decode()
    assert "Try again in 15 minutes" in locked.content.decode()
    # the right password does not get in now, from this or any other address
    right = Client(REMOTE_ADDR="10.9.8.7")
    assert attempt(right, PASSWORD).status_code == 429
    assert "_auth_user_id" not in right.session


def test_the_lock_ends_after_the_cool_off(member, monkeypatch):
    client = Client()
    for i in range(settings.AXES_FAILURE_LIMIT):
        attempt(client, f"sai-{i}")
    assert attempt(client, PASSWORD).status_code == 429
    old = dt.timedelta(hours=settings.AXES_COOLOFF_TIME, minutes=1)
    AccessAttempt.objects.update(attempt_time=dt.datetime.now(dt.UTC) - old)
    assert attempt(client, PASSWORD).status_code == 302  # logged in


def test_a_few_wrong_passwords_then_the_right_one_work_and_reset_the_count(member):
    client = Client()
    for i in range(3):
        attempt(client, f"sai-{i}")
    assert attempt(client, PASSWORD).status_code == 302
    assert not AccessAttempt.objects.filter(username="uyban.thu").exists()


def test_another_account_is_not_locked(member):
    get_user_model().objects.create_user("uyban.khac", password=PASSWORD)
    client = Client()
    for i in range(settings.AXES_FAILURE_LIMIT):
        attempt(client, f"sai-{i}")
    assert attempt(client, PASSWORD, username="uyban.khac").status_code == 302


def test_staff_sessions_last_eight_hours(member):
    client = Client()
    attempt(client, PASSWORD)
    assert settings.SESSION_COOKIE_AGE == 8 * 3600
    assert 8 * 3600 - 60 <= client.session.get_expiry_age() <= 8 * 3600
