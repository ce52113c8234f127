"""Long committee lists are django-tables2 tables with sorting, django-filter filters and pagination."""

import pytest
from django.test import Client

from results.models import Flag
from tests.voters.conftest import WORLD_ROWS
from tests.voters.conftest import load as load_voters

pytestmark = pytest.mark.django_db


def client(world, username):
    c = Client()
    c.force_login(world.users[username])
    c.cookies["django_language"] = "en"
    return c


def test_the_voter_list_filters_sorts_and_pages(counted):
    world = counted.world
    load_voters(world.election, *WORLD_ROWS)
    c = client(world, "committee_p")
    page = c.get("/voters/world-2021/units/U1/").content.decode()
    assert page.count("<tbody") == 1 and "Nguyễn Văn An" in page and "Lê Văn Cường" in page
    found = c.get("/voters/world-2021/units/U1/?q=cuong").content.decode()
    assert "Lê Văn Cường" in found and "Nguyễn Văn An" not in found
    short = c.get("/voters/world-2021/units/U1/?residence=temporary_short").content.decode()
    assert "Lê Văn Cường" in short and "Trần Thị Bình" not in short
    by_name = c.get("/voters/world-2021/units/U1/?sort=-full_name").content.decode()
    assert by_name.index("Trần Thị Bình") < by_name.index("Lê Văn Cường")


def test_the_flag_list_shows_only_what_the_person_may_see(counted):
    world = counted.world
    e = world.election
    Flag.objects.create(
        election=e, polling_unit=world.units["U1"], code="turnout_outlier", severity="warning", message="U1 odd"
    )
    Flag.objects.create(
        election=e, polling_unit=world.units["U3"], code="last_digit", severity="info", message="U3 odd"
    )
    assert "U3 odd" in client(world, "committee_p").get("/elections/world-2021/flags/").content.decode()
    mine = client(world, "committee_d1").get("/elections/world-2021/flags/").content.decode()
    assert "U1 odd" in mine and "U3 odd" not in mine  # D2's unit is not D1's
    warnings = client(world, "committee_p").get("/elections/world-2021/flags/?severity=warning").content.decode()
    assert "U1 odd" in warnings and "U3 odd" not in warnings
    assert client(world, "outsider").get("/elections/world-2021/flags/").status_code == 404


def test_the_contest_page_filters_constituencies_by_publication(published):
    c = client(published.world, "committee_p")
    page = c.get("/elections/world-2021/contests/XA/results/?publication=published").content.decode()
    assert "XA1" in page and "XA2" not in page
    rest = c.get("/elections/world-2021/contests/XA/results/?publication=not_published&status=decided").content.decode()
    assert "XA2" in rest and "XA1" not in rest and "XA3" not in rest


def test_structure_tables_filter(counted):
    c = client(counted.world, "committee_p")
    page = c.get("/elections/world-2021/?u-q=U2&c-contest=XA").content.decode()
    assert ">U2<" in page and ">U1<" not in page
    assert ">XA1<" in page and ">QH1<" not in page
