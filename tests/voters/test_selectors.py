"""Counts per contest (field 1 of the counting minutes) and the public unit's registered_voters."""

from django.test import Client
from django.urls import reverse

from elections.models import Contest
from voters import selectors, services
from voters.models import Voter


def test_counts_per_unit_and_level(listed):
    counts = selectors.voter_counts(listed.election)
    u1, u2, u3 = (listed.units[c].pk for c in ("U1", "U2", "U3"))
    assert counts == {
        (u1, "national_assembly"): 3,
        (u1, "commune_council"): 2,  # the temporary resident of under 12 months has no commune vote
        (u2, "national_assembly"): 1,
        (u2, "commune_council"): 1,
        (u3, "national_assembly"): 1,
        (u3, "commune_council"): 1,
    }


def test_voters_on_list_and_fallback(world, listed):
    qh, xa = (
        Contest.objects.get(election=world.election, code="QH"),
        Contest.objects.get(election=world.election, code="XA"),
    )
    assert selectors.voters_on_list(world.units["U1"], qh) == 3
    assert selectors.voters_on_list(world.units["U1"], xa) == 2
    assert selectors.voters_on_list(world.units["U9"], qh) is None  # no list: callers use registered_voters


def test_no_list_means_no_counts(world):
    assert selectors.voter_counts(world.election) == {}
    assert selectors.registered_voters(world.units["U1"]) is None


def test_struck_voters_do_not_count_and_check_ins_do(listed):
    v = Voter.objects.get(polling_unit=listed.units["U1"], list_number=1)
    Voter.objects.filter(pk=v.pk).update(status="removed")
    assert selectors.registered_voters(listed.units["U1"]) == 2
    other = Voter.objects.get(polling_unit=listed.units["U1"], list_number=2)
    services.voter_check_in(unit=listed.units["U1"], voter_id=other.pk, by=listed.users["clerk_u1"])
    assert selectors.checked_in_count(listed.units["U1"]) == 1


def test_public_unit_api_reports_the_loaded_list(world):
    url = reverse("api:polling-unit-detail", args=[world.election.slug, "U1"])
    assert Client().get(url).json()["registered_voters"] == 800  # from the structure file
    from tests.voters.conftest import WORLD_ROWS, load

    load(world.election, *WORLD_ROWS)
    assert Client().get(url).json()["registered_voters"] == 3


def test_search_by_number_and_name_without_diacritics(listed):
    unit = listed.units["U1"]
    assert [v.list_number for v in selectors.voters_of_unit(unit, query="2")] == [2]
    assert [v.full_name for v in selectors.voters_of_unit(unit, query="tran thi")] == ["Trần Thị Bình"]
    assert [v.full_name for v in selectors.voters_of_unit(unit, query="Cường")] == ["Lê Văn Cường"]
