"""The client's address behind our own reverse proxies (KP_TRUSTED_PROXIES), never the leftmost X-Forwarded-For."""

import pytest
from django.test import RequestFactory

from core.http import client_address, request_source


def request(forwarded: str | None = None, remote: str = "10.0.0.2"):
    extra = {"REMOTE_ADDR": remote}
    if forwarded is not None:
        extra["HTTP_X_FORWARDED_FOR"] = forwarded
    return RequestFactory().get("/", **extra)


def test_without_proxies_the_address_is_the_connections_and_the_header_is_not_read(settings):
    settings.TRUSTED_PROXIES = 0
    assert client_address(request("198.51.100.1")) == "10.0.0.2"


@pytest.mark.parametrize(
    ("proxies", "forwarded", "client"),
    [
        (1, "203.0.113.7", "203.0.113.7"),  # nginx appended the address that connected to it
        (1, "1.2.3.4, 203.0.113.7", "203.0.113.7"),  # the client wrote 1.2.3.4 itself: never read
        (1, "1.2.3.4,5.6.7.8 ,  203.0.113.7", "203.0.113.7"),
        (2, "1.2.3.4, 203.0.113.7, 10.0.0.9", "203.0.113.7"),  # a CDN, then nginx
        (2, "2001:db8::5, 10.0.0.9", "2001:db8::5"),
    ],
)
def test_behind_n_proxies_the_nth_address_from_the_right_is_the_client(settings, proxies, forwarded, client):
    settings.TRUSTED_PROXIES = proxies
    assert client_address(request(forwarded)) == client


@pytest.mark.parametrize("forwarded", [None, "", " , ", "203.0.113.7"])
def test_a_request_that_did_not_pass_every_proxy_gets_the_connections_address(settings, forwarded):
    settings.TRUSTED_PROXIES = 2
    assert client_address(request(forwarded)) == "10.0.0.2"


def test_the_audit_logs_source_is_the_client_behind_the_proxy(settings):
    settings.TRUSTED_PROXIES = 1
    assert request_source(request("1.2.3.4, 203.0.113.7"), "api") == "api 203.0.113.7"
