"""Issue 14, point 4: deep JSON, lone surrogates, bad UTF-8 and oversized bodies answer 400 with a message, never 500.

On the clerk's tally PUT (a logged-in write) and on the anonymous voter lookup alike; nothing is written.
"""

import json

import pytest
from django.test import Client, override_settings

from api.parsers import nesting_depth
from elections.models import AuditEntry
from results.models import Tally
from tests.results.conftest import good_qh

TALLY = "/api/v1/elections/world-2021/tallies/U1/QH/"
LOOKUP = "/api/v1/elections/world-2021/voter-lookup/"

DEEP = "[" * 5000 + "]" * 5000
BODIES = {
    "deep": DEEP.encode(),
    "deep object": ('{"a":' * 2000 + "1" + "}" * 2000).encode(),
    "bad utf-8": b'{"complaints": "\xff\xfe"}',
    "lone surrogate in a value": json.dumps({**good_qh(), "complaints": "\ud800"}).encode(),
    "lone surrogate in a key": json.dumps({**good_qh(), "votes": {"\udc00": 1}}).encode(),
}


def _send(client, url, method, body):
    return getattr(client, method)(url, body, content_type="application/json")


@pytest.mark.parametrize("name", sorted(BODIES))
def test_bad_bytes_on_the_tally_put_are_400_and_nothing_is_written(api, name):
    before = AuditEntry.objects.count()
    response = _send(api("clerk_u1"), TALLY, "put", BODIES[name])
    assert response.status_code == 400, response.content[:200]
    assert response.json()["detail"]
    assert not Tally.objects.exists() and AuditEntry.objects.count() == before


@pytest.mark.parametrize("name", sorted(BODIES))
def test_bad_bytes_on_the_anonymous_lookup_are_400(world, name):
    response = _send(Client(), LOOKUP, "post", BODIES[name])
    assert response.status_code == 400, response.content[:200]
    assert "detail" in response.json()


def test_a_surrogate_is_named_by_its_json_path(api):
    body = json.dumps({**good_qh(), "complaints": "ok\ud800"}).encode()
    detail = _send(api("clerk_u1"), TALLY, "put", body).json()["detail"]
    assert "$.complaints" in detail


@override_settings(API_MAX_BODY_BYTES=2000)
def test_an_oversized_body_is_400_and_read_no_further(api):
    body = json.dumps({**good_qh(), "complaints": "x" * 5000}).encode()
    response = _send(api("clerk_u1"), TALLY, "put", body)
    assert (
        response.status_code == 400 and "2.000 byte" in response.json()["detail"]
    )  # Vietnamese groups digits with dots
    assert not Tally.objects.exists()


def test_an_ordinary_tally_still_goes_through(api):
    assert _send(api("clerk_u1"), TALLY, "put", json.dumps(good_qh()).encode()).status_code in (200, 201)


@pytest.mark.parametrize(
    ("text", "depth"),
    [("{}", 1), ('{"a": [1, {"b": "[[[["}]}', 3), ('"\\"[["', 0), (DEEP, 5000), ('[["]"]]', 2)],
)
def test_nesting_depth_skips_strings(text, depth):
    assert nesting_depth(text) == depth


def test_a_complaint_longer_than_the_minutes_hold_is_refused_with_its_field(api):
    """Issue 14, point 9: a 177,776-character complaint made a 32-page counting minute."""
    from django.conf import settings

    client = api("clerk_u1")
    client.cookies[settings.LANGUAGE_COOKIE_NAME] = "en"
    body = json.dumps({**good_qh(), "complaints": "x" * 4001}).encode()
    response = _send(client, TALLY, "put", body)
    assert response.status_code == 400
    assert "at most 4000 characters (this text has 4001)" in response.json()["errors"]["complaints"][0]
    assert not Tally.objects.exists()
    assert _send(client, TALLY, "put", json.dumps({**good_qh(), "complaints": "x" * 4000}).encode()).status_code in (
        200,
        201,
    )
