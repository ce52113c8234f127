import pytest
from django.test import Client

from results.permissions import tally_scope
from results.tallies.parsing import TallyPayload


def good_qh(**changes):
    """A consistent QH tally for unit U1 of the `world` fixture (QH1: 3 seats, candidates QH1-01..05)."""
    body = {
        "voters_on_list": 800,
        "voters_voted": 700,
        "ballots_issued": 700,
        "ballots_received": 700,
        "valid_ballots": 690,
        "invalid_ballots": 10,
        "votes": {"QH1-01": 600, "QH1-02": 550, "QH1-03": 500, "QH1-04": 300, "QH1-05": 100},
        "complaints": "",
    }
    body.update(changes)
    return body


def payload(body):
    figures = {
        k: body[k]
        for k in (
            "voters_on_list",
            "voters_voted",
            "ballots_issued",
            "ballots_received",
            "valid_ballots",
            "invalid_ballots",
        )
    }
    return TallyPayload(figures, dict(body["votes"]), body.get("complaints", ""))


@pytest.fixture
def api(world):
    def client(username):
        c = Client()
        c.force_login(world.users[username])
        return c

    return client


@pytest.fixture
def scope_u1_qh(world):
    return tally_scope("world-2021", "U1", "QH")


from tests.results.minutes_fixtures import counted  # noqa: E402, F401 (the fixed data set of the minutes tests)
