"""Issue 17, point 1: friendly 403/404 pages in the reader's language, and help for a mistyped verification link."""

import pytest
from django.conf import settings
from django.test import Client


@pytest.mark.django_db
@pytest.mark.parametrize("address", ["/verify/abc/", "/verify/abc", "/verify/", "/verify/abc/pdf/", "/verify/a/b/c/"])
def test_a_mistyped_verification_link_gets_a_help_page(address):
    response = Client().get(address)
    assert response.status_code == 404
    page = response.content.decode()
    assert 'data-testid="verify-not-found"' in page
    assert "Không có biên bản" in page  # Vietnamese by default
    assert "URLconf" not in page and "Traceback" not in page


@pytest.mark.django_db
def test_the_help_page_speaks_english_to_an_english_reader():
    client = Client()
    client.cookies[settings.LANGUAGE_COOKIE_NAME] = "en"
    page = client.get("/verify/abc/").content.decode()
    assert "No official minute has this verification address." in page


@pytest.mark.django_db
def test_a_missing_page_offers_the_public_site_and_the_login_to_a_visitor():
    response = Client().get("/no/such/page/")
    page = response.content.decode()
    assert response.status_code == 404
    assert 'href="/public/"' in page and 'href="/accounts/login/"' in page
