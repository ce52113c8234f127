"""When the shared cache (Redis) that counts lookups stops answering, the voter lookup is refused with 503 and
Retry-After, never let through uncounted (the limit keeps anyone from trying IDs and dates of birth by the thousand)."""

import pytest
from django.conf import settings
from django.test import Client, override_settings
from django.urls import reverse

from tests.public.test_cache_down import DEAD_REDIS


@pytest.fixture
def redis_down():
    with override_settings(CACHES=DEAD_REDIS):
        yield


def test_the_lookup_is_refused_not_uncounted_when_redis_is_down(listed, redis_down):
    url = reverse("api:voter-lookup", args=["world-2021"])
    body = {"national_id": "079090000001", "date_of_birth": "1970-01-02"}
    answer = Client().post(url, body, content_type="application/json")
    assert answer.status_code == 503 and answer["Retry-After"] == "30"
    assert answer.json()["detail"] == "Tạm thời chưa tra cứu được; vui lòng thử lại sau nửa phút."  # Vietnamese first


def test_the_lookup_page_says_it_is_unavailable_when_redis_is_down(listed, redis_down):
    client = Client()
    client.cookies[settings.LANGUAGE_COOKIE_NAME] = "en"
    page = client.post(
        reverse("public:lookup", args=["world-2021"]), {"national_id": "079090000001", "date_of_birth": "02/01/1970"}
    )
    assert page.status_code == 503 and page["Retry-After"] == "30"
    assert b"unavailable for a moment" in page.content
