"""The upload page (issue 14, point 3): no oracle, every refused upload audited, a limit per user and hour.

No oracle: a committee that uploads a person listed in another area sees exactly what it sees for a person
nobody listed, on every page it can reach (report, refused-rows CSV, the unit's list, the voter's page, the
upload page).
"""

import re

import pytest
from django.conf import settings
from django.core.files.uploadedfile import SimpleUploadedFile
from django.db import transaction
from django.test import Client
from django.urls import reverse
from django.utils import timezone

from elections.models import AuditEntry
from tests.voters.conftest import csv_text
from voters.importing import uploads
from voters.models import DoubleListing, Voter, VoterImport, voter_pk

SLUG = "world-2021"
# WORLD_ROWS put 079090000004 on U2's list (area C2): outside committee C1's area.
LISTED_ELSEWHERE, NOBODY = "079090000004", "079090000099"
NEW_ROW = "{nid},Phạm Thị Dung,1985-08-09,female,U1,temporary"
OTHER_ROWS = ("079090000031,Đỗ Văn Hùng,1975-05-05,male,U1,", "079090000032,Quá Trẻ,2015-01-01,female,U1,")


def client_for(world, username, language="en"):
    client = Client()
    client.force_login(world.users[username])
    client.cookies[settings.LANGUAGE_COOKIE_NAME] = language
    return client


def upload(client, *rows, skip=False, name="danh-sach.csv", content=None):
    body = content if content is not None else csv_text(*rows).encode()
    data = {"file": SimpleUploadedFile(name, body, content_type="text/csv")}
    if skip:
        data["skip_invalid"] = "on"
    return client.post(reverse("voters:import", args=[SLUG, "C1"]), data)


def normalised(text, batch_pk):
    """A page with what differs between any two uploads taken out: the record's id, the file's digest, the
    form's CSRF token and the script nonces."""
    text = text.replace(f"/imports/{batch_pk}/", "/imports/N/").replace(f"refused-rows-{batch_pk}", "refused-rows-N")
    text = re.sub(r"\b[0-9a-f]{64}\b", "SHA", text)
    text = re.sub(r'name="csrfmiddlewaretoken" value="[^"]+"', "CSRF", text)
    return re.sub(r'nonce="[^"]+"', "NONCE", text)


def what_the_uploader_sees(world, national_id, *, skip):
    """Everything committee C1 can read after uploading the file with this ID; rolled back afterwards."""
    client = client_for(world, "committee_c1")
    saved = transaction.savepoint()
    try:
        answer = upload(client, *OTHER_ROWS, NEW_ROW.format(nid=national_id), skip=skip)
        batch = VoterImport.objects.latest("pk")
        VoterImport.objects.filter(pk=batch.pk).update(created_at=timezone.now().replace(2021, 5, 1, 9, 0))
        unit = (SLUG, "U1")
        pages = {
            "answer": f"{answer.status_code} {answer['Location']}",
            "report": client.get(reverse("voters:import-report", args=[SLUG, batch.pk])),
            "csv": client.get(reverse("voters:import-refused-csv", args=[SLUG, batch.pk])),
            "upload page": client.get(reverse("voters:import", args=[SLUG, "C1"])),
            "list": client.get(reverse("voters:unit-list", args=unit)),
            "list, listed only": client.get(reverse("voters:unit-list", args=unit), {"status": "listed"}),
            "list, by name": client.get(reverse("voters:unit-list", args=unit), {"q": "Phạm"}),
            "voter": client.get(reverse("voters:voter-detail", args=[*unit, 5])),
            "printable list": client.get(reverse("voters:unit-pdf", args=unit), {"format": "json"}),
            "area": client.get(reverse("elections:area-detail", args=[SLUG, "C1"])),
        }
        held = DoubleListing.objects.exists()
        return {
            k: normalised(v if isinstance(v, str) else v.content.decode(), batch.pk) for k, v in pages.items()
        }, held
    finally:
        transaction.savepoint_rollback(saved)


@pytest.mark.parametrize("skip", [True, False], ids=["rows skipped", "file refused"])
def test_an_id_listed_in_another_area_and_a_fresh_one_look_the_same_to_the_uploader(listed, skip):
    # when committee C1 uploads the same file twice, once with an ID listed in U2 and once with one nobody has
    elsewhere, held = what_the_uploader_sees(listed, LISTED_ELSEWHERE, skip=skip)
    fresh, none_held = what_the_uploader_sees(listed, NOBODY, skip=skip)
    # then (with the bad row skipped) the first was held for the committee above, the second not
    assert (held, none_held) == (skip, False)
    # and every page the committee can read is the same, byte for byte
    for page in fresh:
        assert elsewhere[page] == fresh[page], page
    # the pages did show the upload (the comparison is not between two empty pages)
    if skip:
        assert "Phạm Thị Dung" in fresh["list"] and "Phạm Thị Dung" in fresh["voter"]
        assert "\n3,under 18" in fresh["csv"] and "Remove" in fresh["voter"]
    else:
        assert "1 row was refused" in fresh["report"] and "Phạm Thị Dung" not in fresh["list"]


def test_the_committee_above_sees_the_held_row_for_what_it_is(listed):
    upload(client_for(listed, "committee_c1"), NEW_ROW.format(nid=LISTED_ELSEWHERE))
    url = reverse("voters:unit-list", args=[SLUG, "U1"])
    assert "also on another list: held" not in client_for(listed, "committee_c1").get(url).content.decode()
    for who in ("committee_d1", "committee_p", "auditor", "superuser"):
        assert "also on another list: held" in client_for(listed, who).get(url).content.decode(), who
    detail = client_for(listed, "committee_d1").get(reverse("voters:voter-detail", args=[SLUG, "U1", 4]))
    assert "First listed at U2, No. 1" in detail.content.decode()


# --- every refused upload is audited, without personal data ---------------------------------------------------


def refused_entry():
    return AuditEntry.objects.filter(action="voters.upload.refused").get()


def assert_no_personal_data(entry, *values):
    text = str(entry.data) + entry.object_key + entry.source + str(entry.before) + str(entry.after)
    for value in values:
        assert value not in text, value


def test_a_file_with_refused_rows_is_audited_with_counts_and_reason_codes(listed):
    answer = upload(client_for(listed, "committee_c1"), *OTHER_ROWS, "12345,Vũ Thị Lan,1970-01-01,female,U1,")
    assert answer.status_code == 302 and Voter.objects.count() == 5  # nothing written
    entry = refused_entry()
    batch = VoterImport.objects.latest("pk")  # the refused file's report (line numbers and reasons only)
    assert batch.outcome == VoterImport.Outcome.REFUSED
    assert entry.actor == listed.users["committee_c1"] and entry.object_type == "voter_upload"
    assert entry.data["file"] == "danh-sach.csv" and re.fullmatch(r"[0-9a-f]{64}", entry.data["sha256"])
    assert entry.data["sha256"] == batch.sha256 and entry.data["import"] == batch.pk
    assert (entry.data["refused"], entry.data["rows"], entry.data["refused_rows"]) == ("rows", 3, 2)
    assert entry.data["first_reasons"] == [[3, "under_age"], [4, "id_format"]]
    assert entry.data["reasons"] == {"under_age": 1, "id_format": 1}
    assert_no_personal_data(entry, "079090000031", "12345", "Đỗ Văn Hùng", "Vũ Thị Lan", "1975-05-05", "2015-01-01")


def test_a_file_that_cannot_be_read_is_audited_without_quoting_it(listed):
    # a file without its header: the page quotes the first line back to the uploader, the audit log does not
    content = "079090000031,Đỗ Văn Hùng,1975-05-05,male,U1,\n".encode()
    imports = VoterImport.objects.count()
    answer = upload(client_for(listed, "committee_c1"), content=content)
    assert answer.status_code == 400 and "the header must be" in answer.content.decode()
    entry = refused_entry()
    assert (entry.data["refused"], entry.data["fault"]) == ("file", "header")
    assert_no_personal_data(entry, "079090000031", "Đỗ Văn Hùng", "1975-05-05")
    assert VoterImport.objects.count() == imports


def test_an_empty_file_is_refused_and_audited(listed):
    answer = upload(client_for(listed, "committee_c1"), content=b"")
    assert answer.status_code == 400 and "the file is empty" in answer.content.decode()
    assert (refused_entry().data["refused"], refused_entry().data["fault"]) == ("file", "empty")


def test_a_file_too_big_is_refused_and_audited(listed, monkeypatch):
    monkeypatch.setattr(uploads, "MAX_UPLOAD_BYTES", 100)
    imports = VoterImport.objects.count()
    answer = upload(client_for(listed, "committee_c1"), *OTHER_ROWS, NEW_ROW.format(nid=NOBODY))
    assert answer.status_code == 400 and "larger than 200 MB" in answer.content.decode()
    entry = refused_entry()
    assert entry.data["refused"] == "too_big" and entry.data["bytes"] > 100
    assert Voter.objects.count() == 5 and VoterImport.objects.count() == imports


# --- at most VOTER_UPLOADS_PER_HOUR uploads per user and hour ------------------------------------------------


def test_uploads_over_the_hourly_limit_are_refused_with_nothing_written_and_audited(listed, settings):
    settings.VOTER_UPLOADS_PER_HOUR = 2
    c1 = client_for(listed, "committee_c1")
    # given two uploads within the hour: one loaded, one refused (both count)
    assert upload(c1, OTHER_ROWS[0]).status_code == 302
    assert upload(c1, OTHER_ROWS[1]).status_code == 302
    before = (Voter.objects.count(), VoterImport.objects.count(), DoubleListing.objects.count())
    # when a third comes
    answer = upload(c1, "079090000033,Lê Thị Hoa,1990-01-01,female,U1,", name="thu-ba.csv")
    # then it is refused in the reader's language, and nothing is written but the audit entry
    assert answer.status_code == 429
    assert "You have uploaded 2 voter files within the last hour" in answer.content.decode()
    assert (Voter.objects.count(), VoterImport.objects.count(), DoubleListing.objects.count()) == before
    entry = AuditEntry.objects.get(action="voters.upload.throttled")
    assert entry.actor == listed.users["committee_c1"] and entry.data["file"] == "thu-ba.csv"
    assert entry.data["limit_per_hour"] == 2
    # refusals for the limit do not count, another user has a count of their own, and the hour passes
    assert uploads.uploads_within_the_hour(listed.users["committee_c1"]) == 2
    assert upload(client_for(listed, "committee_d1"), "079090000034,Mai Văn Ba,1990-01-01,male,U1,").status_code == 302
    AuditEntry.objects.filter(actor=listed.users["committee_c1"]).update(at=timezone.now() - uploads.WINDOW)
    assert upload(c1, "079090000033,Lê Thị Hoa,1990-01-01,female,U1,").status_code == 302


def test_the_limit_message_is_in_vietnamese_by_default(listed, settings):
    settings.VOTER_UPLOADS_PER_HOUR = 1
    c1 = client_for(listed, "committee_c1", language="vi")
    upload(c1, OTHER_ROWS[0])
    answer = upload(c1, OTHER_ROWS[1])
    assert answer.status_code == 429
    assert "Bạn đã tải lên 1 tệp cử tri trong một giờ qua" in answer.content.decode()


def test_a_file_that_changes_nothing_counts_as_an_upload(listed):
    c1 = client_for(listed, "committee_c1")
    upload(c1, OTHER_ROWS[0])
    answer = upload(c1, OTHER_ROWS[0])
    assert answer.status_code == 302 and answer["Location"].endswith("/areas/C1/import/")
    assert AuditEntry.objects.filter(action="voters.upload.unchanged").get().data["unchanged"] == 1
    assert uploads.uploads_within_the_hour(listed.users["committee_c1"]) == 2


def test_pages_of_a_held_voter_for_its_committee_match_those_of_a_listed_one(listed):
    """The voter's own page, with its forms, for the committee that listed a held row and one that did not."""
    c1 = client_for(listed, "committee_c1")
    upload(c1, NEW_ROW.format(nid=LISTED_ELSEWHERE), "079090000098,Phạm Thị Dung,1985-08-09,female,U1,temporary")
    held, fresh = (Voter.objects.get(pk=voter_pk(listed.units["U1"].pk, n)) for n in (4, 5))
    assert (held.held, fresh.held) == (True, False)
    pages = []
    for n in (4, 5):
        page = c1.get(reverse("voters:voter-detail", args=[SLUG, "U1", n])).content.decode()
        for text in ("Voter {} ·", "No. {} ", "/voters/{}/"):
            page = page.replace(text.format(n), text.format("N"))
        pages.append(re.sub(r'name="csrfmiddlewaretoken" value="[^"]+"', "CSRF", page))
    assert pages[0] == pages[1]
