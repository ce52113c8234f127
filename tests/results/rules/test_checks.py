"""The arithmetic of the counting minutes, pure."""

import pytest
from hypothesis import given
from hypothesis import strategies as st

from results.rules import checks


def tally(**changes):
    base = dict(
        voters_on_list=812, voters_voted=810, ballots_issued=810, ballots_received=810,
        valid_ballots=805, invalid_ballots=5, votes={"A": 700, "B": 650, "C": 610, "D": 300, "E": 90}, seats=3,
    )  # fmt: skip
    base.update(changes)
    return checks.TallyInput(**base)


def codes(t, rules="vn-2015"):
    return [(f.code, f.severity) for f in checks.check_tally(t, rules=rules)]


def test_a_consistent_tally_has_no_findings():
    assert codes(tally()) == []


@pytest.mark.parametrize(
    ("changes", "expected"),
    [
        ({"voters_voted": 813, "ballots_issued": 813}, [("voters_voted_above_list", "error"),
                                                        ("ballots_issued_above_list", "error")]),
        ({"voters_voted": 812, "ballots_issued": 812}, []),  # the boundary is allowed
        ({"ballots_received": 811, "valid_ballots": 806}, [("ballots_received_above_issued", "error")]),
        ({"invalid_ballots": 4}, [("valid_plus_invalid_not_received", "error")]),
        ({"votes": {"A": 806}}, [("candidate_above_valid", "error")]),
        ({"votes": {"A": 805}}, []),
        ({"votes": {"A": 805, "B": 805, "C": 805}}, []),  # exactly valid x seats
        ({"votes": {"A": 805, "B": 805, "C": 805, "D": 1}}, [("votes_above_valid_times_seats", "error")]),
        ({"loaded_list": 811}, [("list_differs_from_voter_list", "warning")]),
        ({"loaded_list": 812}, []),
        ({"ballots_issued": 811, "voters_voted": 810}, [("issued_differs_from_voted", "warning")]),
    ],
)  # fmt: skip
def test_each_check(changes, expected):
    assert codes(tally(**changes)) == expected


def test_findings_name_their_fields_and_source():
    (f,) = checks.check_tally(tally(invalid_ballots=4))
    assert f.fields == ("valid_ballots", "invalid_ballots")
    assert f.source.startswith("Art.")
    assert "809" in f.message and "810" in f.message


def test_plurality_turns_list_checks_into_warnings():
    t = tally(voters_voted=900, ballots_issued=900, ballots_received=810)
    assert codes(t, "plurality") == [
        ("voters_voted_above_list", "warning"),
        ("ballots_issued_above_list", "warning"),
    ]
    assert checks.errors(checks.check_tally(t, rules="plurality")) == []


@pytest.mark.parametrize(
    ("series", "down_at"),
    [
        ([("09:00", 100), ("11:00", 300), ("14:00", 500)], []),
        ([("09:00", 100), ("11:00", 90)], ["11:00"]),
        ([("09:00", 100), ("11:00", 300), ("14:00", 200), ("16:00", 250)], ["14:00", "16:00"]),
        ([("09:00", 100), ("11:00", 100)], []),
    ],
)
def test_turnout_series(series, down_at):
    assert [f.fields[0] for f in checks.turnout_series_goes_down(series)] == down_at


counts = st.integers(min_value=0, max_value=5000)


@given(listed=counts, voted=counts, issued=counts, received=counts, valid=counts, invalid=counts)
def test_no_error_means_the_minutes_add_up(listed, voted, issued, received, valid, invalid):
    t = checks.TallyInput(listed, voted, issued, received, valid, invalid, votes={}, seats=1)
    if not checks.errors(checks.check_tally(t)):
        assert voted <= listed and issued <= listed and received <= issued and valid + invalid == received
