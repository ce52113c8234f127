"""Changes after posting (Arts. 32-34), complaints, certificates and check-in, through the services."""

import datetime as dt

import pytest
from django.utils import timezone

from elections.models import AuditEntry
from tests.voters.conftest import WORLD_ROWS
from voters import errors, services
from voters.models import Certificate, Complaint, Voter, VoterList, VoterStatus
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
    with pytest.raises(errors.VoterListError, match="already on a list"):
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
