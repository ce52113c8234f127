"""The `world` election counted and partly published: XA1 published, QH1 counted but not published."""

import datetime as dt
from dataclasses import dataclass
from typing import Any

import pytest
from django.core.cache import cache

from results.models import TurnoutReport
from results.publication import services as publication
from results.tallies import turnout
from tests.results.result_helpers import load, minutes, qh_votes, xa_votes
from tests.voters.conftest import WORLD_ROWS
from tests.voters.conftest import load as load_voters

# QH1 is counted in full but never published: its totals must not appear anywhere public.
QH_UNIT_VOTES = (613, 577, 541, 229, 97)  # per unit; over U1-U3: 1839, 1731, 1623, 687, 291
SECRET_TOTALS = ("1839", "1731", "1623")


def secret_forms() -> list[str]:
    """The unpublished totals as they could be written: plain, with Vietnamese or English grouping."""
    return [form for n in SECRET_TOTALS for form in (n, f"{n[0]}.{n[1:]}", f"{n[0]},{n[1:]}")]


@dataclass
class Counted:
    world: Any
    xa1: Any
    qh1: Any


@pytest.fixture(autouse=True)
def _fresh_cache():
    cache.clear()
    yield
    cache.clear()


def publish(world, code: str, first: str = "committee_c1", second: str = "committee_p"):
    """Publish `code` through the two-member service."""
    cons = world.constituencies[code]
    publication.result_publish(constituency=cons, by=world.users[first])
    return publication.result_publish(constituency=cons, by=world.users[second])


@pytest.fixture
def counted(world) -> Counted:
    load(world.election, *(minutes(u, "QH", qh_votes(*QH_UNIT_VOTES)) for u in ("U1", "U2", "U3")))
    load(world.election, minutes("U1", "XA", xa_votes("XA1", 600, 500, 100)))
    load(world.election, minutes("U2", "XA", xa_votes("XA2", 600, 500, 100)))
    return Counted(world, world.constituencies["XA1"], world.constituencies["QH1"])


@pytest.fixture
def published(counted) -> Counted:
    """XA1 published; turnout public with reports from U1 and U2 at 09:00 and U1 at 11:00."""
    world = counted.world
    publish(world, "XA1")
    publication.turnout_publish(election=world.election, publish=True, by=world.users["committee_p"])
    u1, u2 = world.units["U1"], world.units["U2"]
    turnout.turnout_report_save(unit=u1, at=dt.time(9, 0), voters_voted=300, by=None)
    turnout.turnout_report_save(unit=u2, at=dt.time(9, 0), voters_voted=200, by=None)
    turnout.turnout_report_save(unit=u1, at=dt.time(11, 0), voters_voted=500, by=None)
    assert TurnoutReport.objects.count() == 3
    return counted


@pytest.fixture
def with_voters(published) -> Counted:
    """The published world with voter lists loaded: no voter's name or ID may appear on the public site."""
    load_voters(published.world.election, *WORLD_ROWS)
    return published
