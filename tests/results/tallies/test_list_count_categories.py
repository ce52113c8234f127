"""Field 1 of the counting minutes against the loaded list, per contest, respects the voter categories of
Art. 29(3) and (5): soldiers and people in detention or compulsory facilities are on the unit's list for the
National Assembly and the provincial council, not for the commune council (voters.selectors.voters_on_list)."""

import pytest

from results.permissions import tally_scope
from results.tallies import records
from results.tallies.parsing import TallyPayload
from tests.voters.conftest import HEADER, csv_text
from tests.voters.importing.test_categories import load_with

pytestmark = pytest.mark.django_db

ROWS = (
    "079090000001,Người Một,1970-01-02,male,U1,,",
    "079090000002,Người Hai,1972-03-04,female,U1,,",
    "079090000003,Người Ba,1975-03-04,female,U1,,",
    "079090000004,Chiến Sĩ Một,2003-01-01,male,U1,,armed_forces",
    "079090000005,Người Tạm Giữ,1990-01-01,male,U1,,detention",
)


def _payload(scope, voters_on_list):
    codes = [c.code for c in scope.constituency.candidates.all()]
    figures = {
        "voters_on_list": voters_on_list,
        "voters_voted": 3,
        "ballots_issued": 3,
        "ballots_received": 3,
        "valid_ballots": 3,
        "invalid_ballots": 0,
    }
    return TallyPayload(figures, dict.fromkeys(codes, 1), "")


def _list_warnings(scope, voters_on_list):
    _problems, findings = records.validate(
        scope, _payload(scope, voters_on_list), loaded=records.loaded_list_count(scope)
    )
    return [f for f in findings if f.code == "list_differs_from_voter_list"]


def test_the_loaded_list_per_contest_leaves_out_the_categories_of_art_29_3_and_5(world):
    assert csv_text(*ROWS, header=HEADER + ",category")  # the file is the voter file of CONTRACT §8 + category
    load_with(world.election, *ROWS)
    qh, xa = tally_scope("world-2021", "U1", "QH"), tally_scope("world-2021", "U1", "XA")
    assert records.loaded_list_count(qh) == 5  # everyone votes for the National Assembly
    assert records.loaded_list_count(xa) == 3  # the soldier and the detainee have no commune ballot
    # a commune minute that counts them is warned about; one that leaves them out is not
    assert _list_warnings(xa, 5) and not _list_warnings(xa, 3)
    assert not _list_warnings(qh, 5) and _list_warnings(qh, 3)
