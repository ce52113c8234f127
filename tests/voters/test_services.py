"""Changes after posting (Arts. 32-34), complaints, certificates and check-in, through the services."""

import datetime as dt

import pytest
from django.utils import timezone

from elections.models import AuditEntry
from tests.voters.conftest import WORLD_ROWS
from voters import errors, services
from voters.lookup import find_polling_unit
from voters.models import Certificate, Complaint, DoubleListing, Voter, VoterKey, VoterList, VoterStatus
from voters.services import NewVoter


def voter(world, unit, number):
    return Voter.objects.select_related("polling_unit", "election").get(
        polling_unit=world.units[unit], list_number=number
    )


def person(national_id="079099999999", born=dt.date(1980, 1, 1)):
    return NewVoter(national_id=national_id, full_name="Người Mới Đến", date_of_birth=born, gender="female")


def test_add_continues_the_list_and_is_audited(open_world):
    user = open_world.users["committee_c1"]
    added = services.voter_add(unit=open_world.units["U1"], person=person(), note="chuyển đến ngày 12/2", by=user)
    assert added.list_number == 4 and added.status == VoterStatus.LISTED
    entry = AuditEntry.objects.get(action="voters.voter.added")
    assert entry.actor == user and entry.object_key == "U1#4" and entry.data["note"] == "chuyển đến ngày 12/2"
    assert "079099999999" not in str(entry.data) and "1980-01-01" not in str(entry.data)


def test_add_after_posting_is_added_late(open_world):
    VoterList.objects.filter(polling_unit=open_world.units["U1"]).update(posted_on=timezone.localdate())
    added = services.voter_add(
        unit=open_world.units["U1"], person=person(), note="x", by=open_world.users["committee_c1"]
    )
    assert added.status == VoterStatus.ADDED_LATE


def test_add_refuses_someone_on_another_list_and_the_under_age(open_world):
    by = open_world.users["committee_p"]
    # committee_p covers the whole province: it may see U1's list, so it is told where the person is
    with pytest.raises(errors.VoterListError, match="already on the list of polling unit U1, number 1"):
        services.voter_add(unit=open_world.units["U3"], person=person("079090000001"), note="x", by=by)
    day = open_world.election.election_day
    with pytest.raises(errors.VoterListError, match="under 18"):
        services.voter_add(
            unit=open_world.units["U3"],
            person=person(born=day.replace(year=day.year - 18) + dt.timedelta(days=1)),
            note="x",
            by=by,
        )


def test_remove_keeps_the_row_and_audits_why(open_world):
    by = open_world.users["committee_c1"]
    v = voter(open_world, "U1", 2)
    services.voter_remove(voter=v, reason="deceased", note="giấy báo tử", by=by, version=v.version)
    v.refresh_from_db()
    assert (v.status, v.removal_reason, v.list_number) == ("removed", "deceased", 2)
    entry = AuditEntry.objects.get(action="voters.voter.removed")
    assert entry.data["reason"] == "deceased" and entry.actor == by
    with pytest.raises(errors.VoterListError, match="no longer on the list"):
        services.voter_remove(voter=v, reason="moved", note="", by=by)


def test_two_members_at_once_do_not_lose_an_update(open_world):
    v = voter(open_world, "U1", 1)
    seen = v.version  # both members opened the page at this version
    services.voter_remove(voter=v, reason="moved", note="first", by=open_world.users["committee_c1"], version=seen)
    with pytest.raises(errors.StaleVersion):
        services.certificate_issue(voter=v, by=open_world.users["committee_d1"], version=seen)
    v.refresh_from_db()
    assert v.status_note == "first" and v.status == "removed"


def test_changes_close_24_hours_before_voting(open_world):
    election = open_world.election
    closes = services.changes_close_at(election)
    v = voter(open_world, "U1", 1)
    by = open_world.users["committee_c1"]
    with pytest.raises(errors.ListsClosed):
        services.voter_remove(voter=v, reason="moved", note="", by=by, now=closes)
    services.voter_remove(voter=v, reason="moved", note="", by=by, now=closes - dt.timedelta(seconds=1))


def test_past_election_refuses_changes(listed):
    with pytest.raises(errors.ListsClosed, match="24 hours"):
        services.voter_add(unit=listed.units["U1"], person=person(), note="x", by=listed.users["committee_p"])


def test_certificate_moves_the_voter_to_another_list(open_world):
    by = open_world.users["committee_p"]
    origin = voter(open_world, "U1", 1)
    certificate = services.certificate_issue(voter=origin, by=by)
    origin.refresh_from_db()
    assert origin.status == VoterStatus.TRANSFERRED_OUT and len(certificate.number) == 8
    # a wrong ID or number is refused with one message
    with pytest.raises(errors.CertificateRefused):
        services.certificate_accept(
            unit=open_world.units["U3"], number=certificate.number, national_id="079090000002", by=by
        )
    with pytest.raises(errors.CertificateRefused):
        services.certificate_accept(unit=open_world.units["U3"], number="NOPE", national_id="079090000001", by=by)
    added = services.certificate_accept(
        unit=open_world.units["U3"], number=certificate.number.lower(), national_id="079090000001", by=by
    )
    assert (added.polling_unit, added.status, added.list_number) == (open_world.units["U3"], "added_by_certificate", 2)
    # voting outside their commune: national and provincial votes only
    assert added.residence == "temporary_short"
    certificate.refresh_from_db()
    assert certificate.status == Certificate.Status.USED and certificate.added_voter == added
    with pytest.raises(errors.CertificateRefused):
        services.certificate_accept(
            unit=open_world.units["U2"], number=certificate.number, national_id="079090000001", by=by
        )
    actions = list(AuditEntry.objects.filter(action__startswith="voters.certificate").values_list("action", flat=True))
    assert actions == ["voters.certificate.issued", "voters.certificate.used"]


def test_complaints_window_and_answer_deadline(open_world):
    unit, by = open_world.units["U1"], open_world.users["committee_c1"]
    with pytest.raises(errors.VoterListError, match="once the list is posted"):
        services.complaint_receive(unit=unit, kind="omitted", complainant="Ông A", text="...", voter=None, by=by)
    posted = timezone.localdate() - dt.timedelta(days=30)
    services.voter_list_post(unit=unit, posted_on=posted, by=by)
    complaint = services.complaint_receive(
        unit=unit,
        kind="wrong_details",
        complainant="Bà B",
        text="sai ngày sinh",
        voter=voter(open_world, "U1", 2),
        by=by,
    )
    assert complaint.answer_due == timezone.localdate() + dt.timedelta(days=5)
    with pytest.raises(errors.VoterListError, match="window closed"):
        services.complaint_receive(
            unit=unit, kind="omitted", complainant="Ông C", text="...", voter=None, by=by,
            received_on=posted + dt.timedelta(days=31),
        )  # fmt: skip
    services.complaint_answer(complaint=complaint, upheld=True, answer="Đã sửa", by=by, version=1)
    complaint.refresh_from_db()
    assert complaint.status == Complaint.Status.UPHELD
    with pytest.raises(errors.VoterListError):
        services.complaint_answer(complaint=complaint, upheld=False, answer="again", by=by)
    assert AuditEntry.objects.filter(action__startswith="voters.complaint").count() == 2
    assert "Bà B" not in str(list(AuditEntry.objects.values_list("data", flat=True)))


def test_posting_once(open_world):
    unit, by = open_world.units["U2"], open_world.users["committee_p"]
    services.voter_list_post(unit=unit, posted_on=timezone.localdate(), by=by)
    with pytest.raises(errors.VoterListError, match="already posted"):
        services.voter_list_post(unit=unit, posted_on=timezone.localdate(), by=by)


def test_check_in_once(listed):
    unit, clerk = listed.units["U1"], listed.users["clerk_u1"]
    v = voter(listed, "U1", 1)
    services.voter_check_in(unit=unit, voter_id=v.pk, by=clerk)
    with pytest.raises(errors.AlreadyVoted) as refused:
        services.voter_check_in(unit=unit, voter_id=v.pk, by=clerk)
    assert refused.value.voter.voted_at is not None and refused.value.voter.checked_in_by == clerk
    # a voter of another unit is not found here
    other = voter(listed, "U2", 1)
    with pytest.raises(errors.VoterListError, match="No such voter"):
        services.voter_check_in(unit=unit, voter_id=other.pk, by=clerk)


def test_struck_voter_cannot_check_in(open_world):
    v = voter(open_world, "U1", 1)
    services.voter_remove(voter=v, reason="deceased", note="", by=open_world.users["committee_c1"])
    with pytest.raises(errors.VoterListError, match="struck"):
        services.voter_check_in(
            unit=open_world.units["U1"], voter_id=v.pk, by=open_world.users["clerk_u1"], now=timezone.now()
        )


def test_world_rows_fixture_is_loaded(listed):
    assert Voter.objects.count() == len(WORLD_ROWS)


def test_check_in_form_survives_thousands_separators(listed):
    """Bug: in Vietnamese the hidden voter id 1234 rendered as "1.234" and every check-in was refused."""
    from django.test import Client
    from django.urls import reverse
    from django.utils import translation

    v = voter(listed, "U1", 1)
    assert v.pk > 1_000_000  # a voter's id is unit x 2**20 + number: always above a million
    client = Client()
    client.force_login(listed.users["clerk_u1"])
    url = reverse("voters:check-in", args=[listed.election.slug, "U1"])
    with translation.override("vi"):  # the site's default language, whose numbers read 123.456
        page = client.get(url, {"q": "1"}).content.decode()
    assert f'name="voter" value="{v.pk}"' in page
    assert client.post(url, {"voter": str(v.pk), "q": "1"}).status_code == 200
    assert client.post(url, {"voter": str(v.pk), "q": "1"}).status_code == 409


def test_check_in_search_says_when_it_shows_only_the_first_matches(listed, monkeypatch):
    from django.conf import settings
    from django.test import Client
    from django.urls import reverse

    from office.voters import views

    client = Client()
    client.force_login(listed.users["clerk_u1"])
    client.cookies[settings.LANGUAGE_COOKIE_NAME] = "vi"
    url = reverse("voters:check-in", args=[listed.election.slug, "U1"])
    everyone = client.get(url, {"q": "n"}).content.decode()  # every voter of U1 has an "n" in the name
    assert "Chỉ hiện" not in everyone and everyone.count('name="voter"') == 3
    monkeypatch.setattr(views, "SEARCH_LIMIT", 1)
    first = client.get(url, {"q": "n"}).content.decode()
    assert "Chỉ hiện 1 kết quả đầu tiên" in first and first.count('name="voter"') == 1


# --- people listed twice (Art. 29): held, then settled by a committee that covers both lists ------------------

# 079090000004 (Phạm Thị Dung) is on U2's list: area C2, outside committee C1's area, inside committee D1's.
ON_U2 = NewVoter(
    national_id="079090000004", full_name="Phạm Thị Dung", date_of_birth=dt.date(1985, 8, 9), gender="female"
)


def held_on_u1(world):
    """Committee C1 adds by hand, on U1, the person listed on U2: returns (the held row, U2's row)."""
    added = services.voter_add(unit=world.units["U1"], person=ON_U2, note="chuyển đến", by=world.users["committee_c1"])
    return added, voter(world, "U2", 1)


def test_adding_by_hand_someone_listed_outside_the_area_holds_them_and_reads_as_added(open_world):
    # when committee C1 adds the person of U2 to U1
    added, first = held_on_u1(open_world)
    # then they are added like anyone (next number, listed), but held: U2's listing stays the person's one
    assert (added.list_number, added.status, added.held) == (4, VoterStatus.LISTED, True)
    assert not added.is_active and added.is_listed and first.is_active
    case = DoubleListing.objects.get()
    assert (case.held, case.first, case.batch, case.created_by) == (
        added,
        first,
        None,
        open_world.users["committee_c1"],
    )
    assert find_polling_unit(open_world.election, "079090000004", dt.date(1985, 8, 9)) == open_world.units["U2"]
    # and the sealed audit entry records the hold, with places only
    entry = AuditEntry.objects.get(action="voters.voter.added")
    assert entry.object_type == "voter" and entry.data["held"] is True
    assert (entry.data["first_unit"], entry.data["first_list_number"]) == ("U2", 1)
    assert "079090000004" not in str(entry.data) and "1985" not in str(entry.data)


def test_adding_a_held_person_again_is_refused_as_for_anyone_on_the_committees_list(open_world):
    """Else a second addition would tell a committee who is listed elsewhere: held again, where a person it
    listed first would be refused."""
    held_on_u1(open_world)
    with pytest.raises(errors.VoterListError, match="already on the list of polling unit U1, number 4"):
        services.voter_add(unit=open_world.units["U1"], person=ON_U2, note="", by=open_world.users["committee_c1"])
    assert DoubleListing.objects.count() == 1


def test_keeping_the_first_listing_removes_the_held_row(open_world):
    added, first = held_on_u1(open_world)
    case = DoubleListing.objects.get()
    # when committee D1, which covers U1 and U2, keeps the first listing
    services.double_listing_settle(
        case=case, decision="kept_first", note="vẫn ở C2", by=open_world.users["committee_d1"]
    )
    added.refresh_from_db()
    first.refresh_from_db()
    case.refresh_from_db()
    # then the held row is struck off U1 (kept as history), U2's listing is untouched
    assert (added.status, added.removal_reason, added.held) == (VoterStatus.REMOVED, "listed_elsewhere", False)
    assert first.is_active and first.status == VoterStatus.LISTED
    assert VoterKey.objects.get(polling_unit=open_world.units["U1"], list_number=4).struck == added.pk
    assert (case.outcome, case.settled_by) == (DoubleListing.Outcome.KEPT_FIRST, open_world.users["committee_d1"])
    entry = AuditEntry.objects.get(action="voters.double_listing.kept_first")
    assert entry.object_key == "U1#4" and entry.data["first_unit"] == "U2" and entry.data["law"] == "Art. 29(2)"
    # settled once only
    with pytest.raises(errors.VoterListError, match="already settled"):
        services.double_listing_settle(case=case, decision="moved", note="", by=open_world.users["committee_d1"])


def test_moving_the_person_strikes_the_first_listing_and_lists_the_held_row(open_world):
    added, first = held_on_u1(open_world)
    # when committee D1 moves the person to U1 (Art. 30(3): struck from the old list, added to the new one)
    services.double_listing_settle(
        case=DoubleListing.objects.get(),
        decision="moved",
        note="đã chuyển hộ khẩu",
        by=open_world.users["committee_d1"],
    )
    added.refresh_from_db()
    first.refresh_from_db()
    # then U2's row is struck with the reason, and U1's row is the person's one listing
    assert (first.status, first.removal_reason) == (VoterStatus.REMOVED, "listed_elsewhere")
    assert added.is_active and added.status == VoterStatus.LISTED
    assert VoterKey.objects.get(polling_unit=open_world.units["U2"], list_number=1).struck == first.pk
    assert VoterKey.objects.get(polling_unit=open_world.units["U1"], list_number=4).struck == 0
    assert find_polling_unit(open_world.election, "079090000004", dt.date(1985, 8, 9)) == open_world.units["U1"]
    assert DoubleListing.objects.get().outcome == DoubleListing.Outcome.MOVED
    assert AuditEntry.objects.filter(action="voters.double_listing.moved", object_key="U1#4").exists()
    assert AuditEntry.objects.filter(action="voters.voter.removed", object_key="U2#1").exists()


def test_a_decision_must_be_one_of_the_two(open_world):
    held_on_u1(open_world)
    with pytest.raises(errors.VoterListError, match="Choose a decision"):
        services.double_listing_settle(
            case=DoubleListing.objects.get(), decision="both", note="", by=open_world.users["committee_d1"]
        )
    assert DoubleListing.objects.get().outcome == DoubleListing.Outcome.OPEN


def test_a_held_row_struck_off_by_its_committee_closes_its_case(open_world):
    added, first = held_on_u1(open_world)
    # the committee that added them removes them as it would anyone
    services.voter_remove(voter=added, reason="moved", note="", by=open_world.users["committee_c1"])
    added.refresh_from_db()
    assert (added.status, added.held) == (VoterStatus.REMOVED, False)
    assert DoubleListing.objects.get().outcome == DoubleListing.Outcome.WITHDRAWN
    assert first.is_active


def test_a_held_voter_cannot_check_in(open_world):
    added, _first = held_on_u1(open_world)
    with pytest.raises(errors.VoterListError, match="another list"):
        services.voter_check_in(
            unit=open_world.units["U1"], voter_id=added.pk, by=open_world.users["clerk_u1"], now=timezone.now()
        )
