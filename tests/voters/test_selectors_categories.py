"""Counts per contest, the ballots of a voter, certificates and the printed list with the voter categories of
Art. 29(3) (soldiers of armed-forces units) and Art. 29(5) (detention, compulsory facilities)."""

import shutil
import subprocess

import pytest

from elections.models import Contest
from tests.voters.importing.test_categories import load_with
from voters import selectors, services
from voters.models import Voter, VoterCategory
from voters.printing import ballots_note, voter_list_context, voter_list_pdf

ROWS = (
    "079090000001,Người Thường,1970-01-02,male,U1,,",
    "079090000002,Chiến Sĩ Một,2003-01-01,male,U1,,armed_forces",
    "079090000003,Người Tạm Giam,1980-01-01,male,U1,temporary_short,detention",
    "079090000004,Người Cai Nghiện,1985-01-01,female,U2,,compulsory_facility",
    "079090000005,Người U3,1950,male,U3,,",
)


@pytest.fixture
def categorised(world):
    load_with(world.election, *ROWS)
    return world


def test_counts_per_contest_leave_the_categories_out_of_the_commune_council(categorised):
    u1, u2, u3 = (categorised.units[c].pk for c in ("U1", "U2", "U3"))
    assert selectors.voter_counts(categorised.election) == {
        (u1, "national_assembly"): 3,
        (u1, "commune_council"): 1,  # Art. 29(3), (5): only the ordinary voter
        (u2, "national_assembly"): 1,
        (u2, "commune_council"): 0,
        (u3, "national_assembly"): 1,
        (u3, "commune_council"): 1,
    }
    xa = Contest.objects.get(election=categorised.election, code="XA")
    assert selectors.voters_on_list(categorised.units["U1"], xa) == 1
    summary = selectors.unit_summary(categorised.units["U1"])
    assert [(c.code, n) for c, n in summary["per_contest"]] == [("QH", 3), ("XA", 1)]
    assert summary["active"] == 3


def test_the_ballots_a_voter_receives(categorised):
    contests = selectors.contests_of_unit(categorised.units["U1"])
    by_name = {v.full_name: v for v in Voter.objects.of_unit(categorised.units["U1"])}
    assert [c.code for c in selectors.contests_voted(by_name["Người Thường"], contests)] == ["QH", "XA"]
    assert [c.code for c in selectors.contests_voted(by_name["Chiến Sĩ Một"], contests)] == ["QH"]


def test_a_certificate_keeps_the_category(open_world):
    # given a soldier listed in U1 (Art. 29(3)), who gets a certificate to vote in U2 (Art. 34)
    by = open_world.users["superuser"]
    person = services.NewVoter(
        national_id="079090000099",
        full_name="Chiến Sĩ Đi",
        date_of_birth=Voter.objects.first().date_of_birth,
        gender="male",
        category=VoterCategory.ARMED_FORCES,
    )
    soldier = services.voter_add(unit=open_world.units["U1"], person=person, note="t", by=by)
    assert soldier.category == "armed_forces"
    certificate = services.certificate_issue(voter=soldier, by=by)
    # when added to U2's list, then they still receive no commune ballot there
    added = services.certificate_accept(
        unit=open_world.units["U2"], number=certificate.number, national_id="079090000099", by=by
    )
    assert added.category == "armed_forces"
    xa = Contest.objects.get(election=open_world.election, code="XA")
    assert selectors.contests_voted(added, [xa]) == []


def test_the_printed_note_names_the_clause_and_the_ballots(categorised):
    levels = ["national_assembly", "provincial_council", "commune_council"]
    soldier = Voter(category="armed_forces", residence="permanent")
    assert ballots_note(soldier, levels) == "Quân nhân (khoản 3 Điều 29): chỉ bầu ĐBQH, HĐND cấp tỉnh"
    assert ballots_note(Voter(category="ordinary", residence="permanent"), levels) == ""
    rows = voter_list_context(categorised.units["U1"])["rows"]
    assert [note for _v, note in rows] == [
        "",
        "Quân nhân (khoản 3 Điều 29): chỉ bầu ĐBQH",
        "Đang bị tạm giam, tạm giữ (khoản 5 Điều 29): chỉ bầu ĐBQH",
    ]


@pytest.mark.skipif(shutil.which("pdftotext") is None, reason="needs poppler-utils")
def test_the_printed_list_shows_the_category(categorised, tmp_path):
    path = tmp_path / "list.pdf"
    path.write_bytes(voter_list_pdf(categorised.units["U1"]))
    text = subprocess.run(["pdftotext", "-raw", str(path), "-"], capture_output=True, text=True, check=True).stdout
    flat = " ".join(text.split())
    assert "Quân nhân (khoản 3" in flat and "Đang bị tạm giam" in flat
