"""CONTRACT §8 "where do I vote": only the polling unit, 404 otherwise, 429 after a handful, same answer time."""

import time

import pytest
from django.conf import settings
from django.test import Client, override_settings
from django.urls import reverse

from elections.models import AuditEntry
from voters.models import Voter

SLUG = "world-2021"
URL = reverse("api:voter-lookup", args=[SLUG])


def ask(client, national_id="079090000001", born="1970-01-02", **extra):
    return client.post(
        URL, {"national_id": national_id, "date_of_birth": born}, content_type="application/json", **extra
    )


def test_hit_returns_only_the_polling_unit(listed):
    response = ask(Client())
    assert response.status_code == 200
    assert response.json() == {"polling_unit": {"code": "U1", "name": listed.units["U1"].name}}


@pytest.mark.parametrize(
    ("national_id", "born"),
    [
        ("079090000001", "1970-01-03"),  # right ID, wrong date
        ("079090000099", "1970-01-02"),  # unknown ID
        ("12345", "1970-01-02"),  # malformed ID
        ("079090000001", "02/01/1970"),  # malformed date
        ("079090000001", ""),
    ],
)
def test_misses_are_404_with_nothing_inside(listed, national_id, born):
    response = ask(Client(), national_id, born)
    assert response.status_code == 404
    assert set(response.json()) == {"detail"}


def test_struck_voters_are_not_found(listed):
    Voter.objects.filter(list_number=1, polling_unit=listed.units["U1"]).update(status="transferred_out")
    assert ask(Client()).status_code == 404


def test_garbage_bodies_are_404_not_500(listed):
    client = Client()
    assert client.post(URL, "[1, 2]", content_type="application/json").status_code in (400, 404)
    assert client.post(URL, "{", content_type="application/json").status_code == 400
    assert client.post(URL, {"national_id": ["x"]}, content_type="application/json").status_code == 404


def test_unknown_election_is_404(listed):
    assert (
        Client().post(reverse("api:voter-lookup", args=["nope"]), {}, content_type="application/json").status_code
        == 404
    )


@override_settings(VOTER_LOOKUP_PER_CLIENT_PER_MINUTE=5)
def test_a_handful_per_client_then_429(listed):
    client = Client()
    codes = [ask(client, born=f"1970-01-0{i + 3}").status_code for i in range(5)]
    assert codes == [404] * 5
    sixth = ask(client)
    assert sixth.status_code == 429 and sixth["Retry-After"] == "70"  # a sliding minute counted in 10 s slices
    # even the right answer is withheld now; another client is still served
    assert ask(Client(), REMOTE_ADDR="10.0.0.9").status_code == 200


@override_settings(VOTER_LOOKUP_ALARM_PER_MINUTE=3, VOTER_LOOKUP_PER_CLIENT_PER_MINUTE=100)
def test_global_alarm(listed, caplog):
    for i in range(5):
        ask(Client(), REMOTE_ADDR=f"10.0.1.{i}")
    assert "voter lookup alarm" in caplog.text
    entries = AuditEntry.objects.filter(action="voters.lookup.alarm_raised")
    assert entries.count() == 1 and entries.get().data["threshold_per_minute"] == 3


@override_settings(VOTER_LOOKUP_MIN_SECONDS=0.2, VOTER_LOOKUP_PER_CLIENT_PER_MINUTE=100)
def test_hit_and_miss_take_the_same_time(listed):
    client = Client()

    def timed(**kw):
        started = time.monotonic()
        status = ask(client, **kw).status_code
        return status, time.monotonic() - started

    hit = timed()
    miss = timed(national_id="079090000099")
    wrong_date = timed(born="1999-01-01")
    assert [hit[0], miss[0], wrong_date[0]] == [200, 404, 404]
    for _, took in (hit, miss, wrong_date):
        assert 0.2 <= took < 0.5


def test_public_page(listed):
    page = reverse("voters:lookup", args=[SLUG])
    client = Client()
    assert client.get(page).status_code == 200
    found = client.post(page, {"national_id": "079090000001", "date_of_birth": "1970-01-02"})
    assert found.status_code == 200
    html = found.content.decode()
    assert listed.units["U1"].name in html and "079090000001" not in html and "Nguyễn Văn An" not in html
    assert listed.units["U1"].area.name in html  # where the unit is: several communes have a "unit no. 1"
    assert client.post(page, {"national_id": "079090000001", "date_of_birth": "1970-01-09"}).status_code == 404


@override_settings(VOTER_LOOKUP_PER_CLIENT_PER_MINUTE=2)
def test_public_page_is_rate_limited_too(listed):
    page = reverse("voters:lookup", args=[SLUG])
    client = Client()
    for _ in range(2):
        client.post(page, {"national_id": "079090999999", "date_of_birth": "01/01/1970"})
    assert client.post(page, {"national_id": "079090000001", "date_of_birth": "1970-01-02"}).status_code == 429


def test_lookup_page_says_what_is_wrong_with_a_mistyped_id_and_costs_no_try(listed):
    """Issue 17, point 8: an ID that is not 12 digits gets a hint, not "not found"; nothing typed is echoed."""
    page = reverse("voters:lookup", args=[SLUG])
    client = Client()
    client.cookies[settings.LANGUAGE_COOKIE_NAME] = "en"
    with override_settings(VOTER_LOOKUP_PER_CLIENT_PER_MINUTE=1):
        short = client.post(page, {"national_id": "07909000000", "date_of_birth": "02/01/1970"})
        assert short.status_code == 400
        html = short.content.decode()
        assert "A national ID has 12 digits; you typed 11." in html
        assert "07909000000" not in html and "02/01/1970" not in html
        letters = client.post(page, {"national_id": "07909000000A", "date_of_birth": "02/01/1970"})
        assert "digits only" in letters.content.decode()
        # the one allowed try is still there, and a spaced ID with a day-first date is understood
        found = client.post(page, {"national_id": "0790 9000 0001", "date_of_birth": "2/1/1970"})
        assert found.status_code == 200 and listed.units["U1"].name in found.content.decode()


def test_lookup_date_is_typed_day_first_whatever_the_browser(listed):
    """Issue 17, point 8: a text box for dd/mm/yyyy, not the browser's own date picker (mm/dd/yyyy in some)."""
    page = reverse("voters:lookup", args=[SLUG])
    client = Client()
    client.cookies[settings.LANGUAGE_COOKIE_NAME] = "en"
    html = client.get(page).content.decode()
    box = html.split('name="date_of_birth"')[0].rsplit("<input", 1)[1] + html.split('name="date_of_birth"')[1][:200]
    assert 'type="text"' in box and 'inputmode="numeric"' in box and 'placeholder="dd/mm/yyyy"' in box
    wrong = client.post(page, {"national_id": "079090000001", "date_of_birth": "1970/13/45"})
    assert wrong.status_code == 400 and "day/month/year" in wrong.content.decode()


# --- Issue 13, point 2: a sliding minute, not a minute of the clock; an IPv6 client by its network ---------------


@pytest.fixture
def clock(monkeypatch):
    """The lookup's clock, set by the test (seconds since the epoch)."""
    now = [1_000_000_000.0]
    monkeypatch.setattr("voters.lookup.time.time", lambda: now[0])
    return now


@override_settings(VOTER_LOOKUP_PER_CLIENT_PER_MINUTE=5)
def test_five_lookups_at_the_end_of_a_minute_leave_none_for_the_start_of_the_next(listed, clock):
    # given five lookups in the last second of a minute of the clock (a fixed window would start again at :00)
    clock[0] = 1_000_000_019.5  # :59.5 of a minute
    assert [ask(Client(), born="1970-01-09").status_code for _ in range(5)] == [404] * 5
    # when the same client asks two seconds later, in the next minute of the clock
    clock[0] += 2
    # then it is refused: six in two seconds is more than five in a minute
    assert ask(Client()).status_code == 429


@override_settings(VOTER_LOOKUP_PER_CLIENT_PER_MINUTE=5)
def test_a_client_that_stops_asking_is_served_again_once_its_lookups_are_over_a_minute_old(listed, clock):
    for _ in range(5):
        ask(Client(), born="1970-01-09")
    assert ask(Client()).status_code == 429
    clock[0] += 71  # the slices of these six lookups are all more than a minute old
    assert ask(Client()).status_code == 200


@override_settings(VOTER_LOOKUP_PER_CLIENT_PER_MINUTE=5)
def test_an_ipv6_client_is_counted_by_its_network_not_by_each_address(listed):
    # given five lookups from five addresses of one /64 (a phone or a household holds the whole /64)
    for i in range(5):
        ask(Client(), born="1970-01-09", REMOTE_ADDR=f"2001:db8:1:2::{i + 1}")
    # then a sixth address of that /64 is refused, and another network is served
    assert ask(Client(), REMOTE_ADDR="2001:db8:1:2:ffff::9").status_code == 429
    assert ask(Client(), REMOTE_ADDR="2001:db8:1:3::1").status_code == 200
