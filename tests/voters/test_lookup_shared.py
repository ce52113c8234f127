"""Issue 13, point 2: the lookup's limit is one count for the whole deployment, kept in the shared cache (Redis).

"Process A" is the test's own thread; "process B" is another web process as `in_another_process` runs it, with
its own connections to Redis and to the database. Both ask through the API with their own test clients.
"""

import pytest
from django.test import Client, override_settings
from django.urls import reverse

from elections.models import AuditEntry
from tests.redis_server import in_another_process

URL = reverse("api:voter-lookup", args=["world-2021"])
NGINX = "127.0.0.1"  # the proxy in front of every web process


def ask(born="1970-01-09", **extra) -> int:
    """One lookup (a miss unless `born` is the voter's date), as a fresh client: no cookie, no session."""
    body = {"national_id": "079090000001", "date_of_birth": born}
    return Client().post(URL, body, content_type="application/json", **extra).status_code


@pytest.fixture
def two_processes(transactional_db, listed, shared_cache):
    """The listed world, committed so another connection sees it, with Django's cache in a real Redis."""
    return listed


@override_settings(VOTER_LOOKUP_PER_CLIENT_PER_MINUTE=5)
def test_five_lookups_through_one_process_leave_none_for_another(two_processes):
    # given five lookups of one client through process A
    assert [ask() for _ in range(5)] == [404] * 5
    # when the same client asks process B, even with the right answer
    sixth = in_another_process(lambda: ask(born="1970-01-02"))
    # then B refuses it: one count for both
    assert sixth == 429
    # and another client is still served by B
    assert in_another_process(lambda: ask(born="1970-01-02", REMOTE_ADDR="10.0.0.9")) == 200


@override_settings(VOTER_LOOKUP_PER_CLIENT_PER_MINUTE=5)
def test_the_count_is_kept_in_the_shared_cache_and_nowhere_else(two_processes, shared_cache):
    # given a client refused after five lookups split over two processes
    for _ in range(3):
        ask()
    for _ in range(2):
        in_another_process(ask)
    assert ask() == 429 and in_another_process(ask) == 429
    # when the shared cache is emptied from outside
    shared_cache.client().flushdb()
    # then both serve the client again: neither process kept a count of its own
    assert ask(born="1970-01-02") == 200
    assert in_another_process(lambda: ask(born="1970-01-02")) == 200


@override_settings(VOTER_LOOKUP_PER_CLIENT_PER_MINUTE=5, TRUSTED_PROXIES=1)
def test_a_new_leftmost_forwarded_address_does_not_reset_the_limit(two_processes):
    # given a client behind nginx that writes a new X-Forwarded-For of its own on every request
    def spoofed(i: int, **extra) -> int:
        return ask(REMOTE_ADDR=NGINX, HTTP_X_FORWARDED_FOR=f"198.51.100.{i}, 203.0.113.7", **extra)

    # when it asks five times through A and B in turn
    assert [spoofed(i) if i % 2 else in_another_process(lambda i=i: spoofed(i)) for i in range(5)] == [404] * 5
    # then the sixth is refused by either, whatever it writes on the left
    assert spoofed(99, born="1970-01-02") == 429
    assert in_another_process(lambda: spoofed(98, born="1970-01-02")) == 429
    # while another client behind the same nginx is served
    other = ask(born="1970-01-02", REMOTE_ADDR=NGINX, HTTP_X_FORWARDED_FOR="198.51.100.1, 203.0.113.8")
    assert other == 200


@override_settings(VOTER_LOOKUP_ALARM_PER_MINUTE=3, VOTER_LOOKUP_PER_CLIENT_PER_MINUTE=100)
def test_the_alarm_counts_lookups_through_every_process_and_is_raised_once(two_processes):
    # given lookups from different clients spread over two processes, more than the threshold together
    for i in range(3):
        ask(REMOTE_ADDR=f"10.0.1.{i}")
        in_another_process(lambda i=i: ask(REMOTE_ADDR=f"10.0.2.{i}"))
    # then one alarm, in the audit log
    assert AuditEntry.objects.filter(action="voters.lookup.alarm_raised").count() == 1
