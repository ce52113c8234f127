"""Issue 13, point 2: public pages and answers cached in Redis are one cache for every web process, and a publication
made through one process is what the others answer next, never a page they cached before it.

"Process A" is the test's own thread; "process B" is another web process as `in_another_process` runs it, with its
own connections to Redis and to the database.
"""

import pytest
from django.test import Client

from tests.redis_server import in_another_process

CONTEST = "/en/public/world-2021/contests/XA/"
RESULT = "/api/v1/elections/world-2021/results/XA1/"
PUBLISH = "/api/v1/elections/world-2021/results/XA1/publish/"


@pytest.fixture
def two_processes(transactional_db, counted, shared_cache, monkeypatch):
    """XA1 counted, nothing published, committed so another connection sees it; Django's cache in a real Redis.

    Each request reads the public counters from the database: on PostgreSQL a process otherwise keeps them until
    its LISTEN thread hears of a change (tests/public/test_revisions.py), a few milliseconds after the commit, which
    is not what this test is about."""
    monkeypatch.setattr("public.revisions.usable", lambda: False)
    return counted


def get(address: str, **headers):
    response = Client().get(address, **headers)
    return response.status_code, response.get("X-Cache"), response.get("ETag"), response.content


def test_a_page_built_by_one_process_is_served_by_another_from_the_shared_cache(two_processes):
    # given a page that process B built
    status, state, etag, body = in_another_process(lambda: get(CONTEST))
    assert (status, state) == (200, "MISS")
    # then process A answers it from the cache, as B built it
    again = get(CONTEST)
    assert again[:3] == (200, "HIT", etag) and again[3] == body


def test_a_publication_through_one_process_is_seen_through_the_other(two_processes):
    world = two_processes.world
    # given both processes answered the contest page and XA1's result before the publication
    before = in_another_process(lambda: get(CONTEST))
    assert get(CONTEST)[1] == "HIT"
    assert b"0 / 3" in before[3]
    assert in_another_process(lambda: get(RESULT))[0] == 404
    # when two members publish XA1 through process A
    for member in ("board_xa1", "committee_c1"):
        client = Client()
        client.force_login(world.users[member])
        assert client.post(PUBLISH).status_code in (200, 202)
    # then process B answers the new page at once, not the one it had cached
    status, state, etag, body = in_another_process(lambda: get(CONTEST, HTTP_IF_NONE_MATCH=before[2]))
    assert (status, state) == (200, "MISS") and etag != before[2]
    assert b"1 / 3" in body
    result = in_another_process(lambda: get(RESULT))
    assert result[0] == 200 and b'"published":true' in result[3].replace(b" ", b"")
    # and process A serves what B built
    assert get(CONTEST)[1:3] == ("HIT", etag)
