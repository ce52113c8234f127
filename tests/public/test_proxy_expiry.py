"""Issue 13, point 3: public answers tell nginx in front how long to keep them (X-Accel-Expires,
KP_PUBLIC_PROXY_MAX_AGE), a shorter time than browsers keep them (Cache-Control max-age), and an answer already
superseded not at all.

deploy/nginx/kiemphieu.conf relies on this; tests/multinode/test_web_nodes.py checks the whole through nginx."""

import pytest
from django.test import Client

from tests.public.conftest import publish
from tests.public.test_cache import PAGES

pytestmark = pytest.mark.django_db

CONTEST = "/en/public/world-2021/contests/XA/"


@pytest.mark.parametrize("address", PAGES)
def test_public_answers_tell_nginx_to_keep_them_for_the_proxy_max_age(published, address, settings):
    settings.PUBLIC_PROXY_MAX_AGE = 3
    settings.PUBLIC_MAX_AGE = 15
    first = Client().get(address)
    assert first.status_code == 200
    assert first["X-Accel-Expires"] == "3"
    assert first["Cache-Control"].startswith("public, max-age=15")
    # and so does the 304 nginx gets when it asks again with the ETag: it keeps its copy 3 s more
    again = Client().get(address, HTTP_IF_NONE_MATCH=first["ETag"])
    assert (again.status_code, again["X-Accel-Expires"]) == (304, "3")


def test_a_proxy_max_age_of_zero_tells_nginx_to_keep_nothing(published, settings):
    settings.PUBLIC_PROXY_MAX_AGE = 0
    assert Client().get(CONTEST)["X-Accel-Expires"] == "0"


def test_the_previous_page_answered_while_another_process_builds_the_new_one_is_not_kept(published, monkeypatch):
    # given the contest page cached, then XA2 published
    assert Client().get(CONTEST)["X-Cache"] == "MISS"
    publish(published.world, "XA2", first="committee_d1", second="committee_p")
    # when another process holds the lock of the page's rebuild
    monkeypatch.setattr("public.cache.cache.add", lambda *args, **kwargs: False)
    stale = Client().get(CONTEST)
    # then this one answers the previous page, and tells nginx not to keep it
    assert stale["X-Cache"] == "STALE" and b"1 / 3" in stale.content
    assert stale["X-Accel-Expires"] == "0"
    # while the page built after it is kept as usual
    monkeypatch.undo()
    fresh = Client().get(CONTEST)
    assert fresh["X-Cache"] == "MISS" and b"2 / 3" in fresh.content
    assert fresh["X-Accel-Expires"] != "0"
