"""Who may see and issue which minutes, on the pages and in the API; the ZIP job; odd input never gives a 500."""

import io
import zipfile

import pytest
from django.conf import settings
from django.test import Client
from rest_framework.authtoken.models import Token

from results.minutes import services as svc
from results.models import ConstituencyResult, Minute, MinutesJob
from tests.elections.test_permissions import USERS

pytestmark = pytest.mark.django_db

BASE = "/elections/world-2021/official-minutes"
API = "/api/v1/elections/world-2021"
SEES_U1_QH = {"clerk_u1", "board_qh1", "committee_p", "committee_d1", "committee_c1", "auditor", "staff", "superuser"}
ISSUES_U1_QH = {"board_qh1", "committee_p", "committee_d1", "committee_c1", "superuser"}
SEES_QH1 = {"board_qh1", "committee_p", "auditor", "staff", "superuser"}
ISSUES_QH1 = {"board_qh1", "committee_p", "superuser"}
SEES_P = {"committee_p", "auditor", "staff", "superuser"}


def client_for(world, username, lang="vi"):
    client = Client()
    client.cookies[settings.LANGUAGE_COOKIE_NAME] = lang
    if username != "anonymous":
        client.force_login(world.users[username])
    return client


def issue_form(**extra):
    return {
        "place": "Hội trường",
        "m-TOTAL_FORMS": "1",
        "m-INITIAL_FORMS": "0",
        "m-0-name": "Nguyễn Văn Trưởng",
        "m-0-gender": "male",
        "m-0-position": "head",
        **extra,
    }


@pytest.mark.parametrize("username", USERS)
def test_counting_minutes_page(counted, username):
    client = client_for(counted, username)
    response = client.get(f"{BASE}/units/U1/QH/")
    if username == "anonymous":
        assert response.status_code == 302
        return
    assert response.status_code == (200 if username in SEES_U1_QH else 404)
    pdf = client.get(f"{BASE}/units/U1/QH/pdf/")
    assert pdf.status_code == (200 if username in SEES_U1_QH else 404)
    posted = client.post(f"{BASE}/units/U1/QH/", issue_form())
    expected = 302 if username in ISSUES_U1_QH else (403 if username in SEES_U1_QH else 404)
    assert posted.status_code == expected
    assert Minute.objects.filter(key="U1/QH/r1.1").exists() == (username in ISSUES_U1_QH)


@pytest.mark.parametrize("username", USERS)
def test_constituency_minutes_page(counted, username):
    client = client_for(counted, username)
    response = client.get(f"{BASE}/results/QH1/")
    if username == "anonymous":
        assert response.status_code == 302
        return
    assert response.status_code == (200 if username in SEES_QH1 else 404)
    posted = client.post(f"{BASE}/results/QH1/", issue_form())
    assert posted.status_code == (302 if username in ISSUES_QH1 else 403 if username in SEES_QH1 else 404)


@pytest.mark.parametrize("username", USERS)
def test_summary_minutes_and_the_area_page(counted, username):
    client = client_for(counted, username)
    if username == "anonymous":
        assert client.get(f"{BASE}/areas/P/XA/").status_code == 302
        return
    for url in (f"{BASE}/areas/P/XA/", f"{BASE}/areas/P/XA/pdf/", f"{BASE}/areas/P/"):
        assert client.get(url).status_code == (200 if username in SEES_P else 404), url


def test_the_minutes_pdf_is_a_draft_until_issued_then_the_issued_version(counted):
    client = client_for(counted, "board_qh1")
    draft = client.get(f"{BASE}/results/QH1/pdf/")
    assert draft["Content-Type"] == "application/pdf" and draft["X-Minutes-Version"] == "draft"
    client.post(f"{BASE}/results/QH1/", issue_form())
    issued = client.get(f"{BASE}/results/QH1/pdf/")
    minute = Minute.objects.get(key="QH1/r1")
    assert issued["X-Minutes-Version"] == "1" and issued["X-Minutes-Current"] == "true"
    assert issued.content == svc.minute_pdf(minute)
    english = client.get(f"{BASE}/results/QH1/pdf/?lang=en")
    assert english.content != issued.content and english["X-Minutes-Version"] == "1"
    # the page language chooses the translation when ?lang is not given
    assert client_for(counted, "board_qh1", lang="en").get(f"{BASE}/results/QH1/pdf/").content == english.content


# --- the API ---------------------------------------------------------------------------------------------------


@pytest.mark.parametrize("username", USERS)
def test_api_counting_minutes(counted, username):
    client = Client()
    if username != "anonymous":
        token = Token.objects.create(user=counted.users[username])
        client.defaults["HTTP_AUTHORIZATION"] = f"Token {token.key}"
    response = client.get(f"{API}/tallies/U1/QH/minutes.pdf")
    if username == "anonymous":
        assert response.status_code == 401
    elif username in SEES_U1_QH:
        assert response.status_code == 200 and response.content.startswith(b"%PDF")
    else:
        assert response.status_code in (403, 404)  # 404: a unit of another election
    issued = client.post(f"{API}/tallies/U1/QH/minutes/", {"place": "Nhà văn hóa"}, content_type="application/json")
    assert issued.status_code == (201 if username in ISSUES_U1_QH else 401 if username == "anonymous" else 403)


def test_api_counting_minutes_of_an_unknown_unit_and_of_a_tally_not_approved(counted, world):
    client = client_for(counted, "committee_p")
    assert client.get(f"{API}/tallies/NOPE/QH/minutes.pdf").status_code == 404
    from results.permissions import tally_scope
    from results.tallies import services

    services.tally_annul(scope=tally_scope("world-2021", "U1", "QH"), reason="x", by=counted.users["committee_p"])
    response = client.get(f"{API}/tallies/U1/QH/minutes.pdf")
    assert response.status_code == 409 and "bị hủy bỏ" in response.content.decode()  # annulled


@pytest.mark.parametrize("username", USERS)
def test_api_constituency_minutes_before_publication(counted, username):
    client = client_for(counted, username)
    response = client.get(f"{API}/results/QH1/minutes.pdf")
    assert response.status_code == (200 if username in SEES_QH1 else 404)


def test_api_constituency_minutes_once_published_show_only_issued_versions(counted):
    public = Client()
    from results.outcomes import constituency as outcomes

    outcomes.constituency_outcome(counted.constituencies["QH1"])  # caches the result row
    ConstituencyResult.objects.filter(constituency=counted.constituencies["QH1"]).update(published=True)
    assert public.get(f"{API}/results/QH1/minutes.pdf").status_code == 404  # no draft for the public
    board = client_for(counted, "board_qh1")
    response = board.post(f"{API}/results/QH1/minutes/", {"place": "Trụ sở"}, content_type="application/json")
    assert response.status_code == 201 and response.json()["version"] == 1
    pdf = public.get(f"{API}/results/QH1/minutes.pdf")
    assert pdf.status_code == 200 and pdf["X-Minutes-Version"] == "1"
    listed = public.get(f"{API}/results/QH1/minutes/").json()
    assert [v["version"] for v in listed] == [1] and listed[0]["current"] is True
    assert public.post(f"{API}/results/QH1/minutes/", {}, content_type="application/json").status_code == 401


def test_api_constituency_minutes_of_an_incomplete_result_is_a_conflict(world):
    response = client_for(world, "committee_p").get(f"{API}/results/QH1/minutes.pdf")
    assert response.status_code == 409 and "chưa kiểm xong" in response.content.decode()  # not counted yet


# --- verification -----------------------------------------------------------------------------------------------


def test_the_verification_page_is_public_and_says_whether_the_version_is_current(counted):
    client = client_for(counted, "board_qh1", lang="en")
    client.post(f"{BASE}/results/QH1/", issue_form())
    first = Minute.objects.get(key="QH1/r1")
    anonymous = Client()
    anonymous.cookies[settings.LANGUAGE_COOKIE_NAME] = "en"
    page = anonymous.get(f"/verify/{first.token}/").content.decode()
    assert "This is the current version." in page and "2.290" not in page and "2,290" in page
    assert first.pdf_sha256 in page
    pdf = anonymous.get(f"/verify/{first.token}/pdf/?lang=vi")
    assert pdf.status_code == 200 and pdf.content == svc.minute_pdf(first)
    client.post(f"{BASE}/results/QH1/", issue_form(place="Nơi khác"))
    page = anonymous.get(f"/verify/{first.token}/").content.decode()
    assert "Replaced by version 2" in page


# --- the ZIP ---------------------------------------------------------------------------------------------------


def test_a_committee_downloads_every_minute_of_its_area_as_a_zip(counted, django_capture_on_commit_callbacks):
    client = client_for(counted, "committee_p")
    client.post(f"{BASE}/results/QH1/", issue_form())
    with django_capture_on_commit_callbacks(execute=True):  # the job starts once the request's transaction commits
        response = client.post(f"{BASE}/areas/P/", {"lang": "vi"})
    assert response.status_code == 302
    job = MinutesJob.objects.get()
    status = client.get(f"{BASE}/jobs/{job.pk}/").json()
    assert status["status"] == "done" and status["done"] == status["total"] == job.total
    archive = zipfile.ZipFile(io.BytesIO(b"".join(client.get(status["download"]).streaming_content)))
    names = archive.namelist()
    # 6 counting minutes, 4 constituency minutes (QH1 issued) and 4 summaries (QH at P; XA at C1, C2, C3)
    assert len(names) == 6 + 4 + 4 + 1
    assert "manifest.csv" in names
    assert "constituency_QH1_r1_v1.pdf" in names
    assert sum(n.startswith("DU-THAO_counting_") for n in names) == 6
    assert archive.read("constituency_QH1_r1_v1.pdf") == svc.minute_pdf(Minute.objects.get(key="QH1/r1"))
    manifest = archive.read("manifest.csv").decode()
    assert "constituency_QH1_r1_v1.pdf,constituency,QH1/r1,1,issued," in manifest
    # someone who does not see the area sees neither the job nor the ZIP
    outsider = client_for(counted, "committee_d1")
    assert outsider.get(f"{BASE}/jobs/{job.pk}/").status_code == 404
    assert outsider.get(f"{BASE}/jobs/{job.pk}/zip/").status_code == 404


# --- odd input --------------------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    "url",
    [
        f"{BASE}/results/QH1/pdf/?version=abc",
        f"{BASE}/results/QH1/pdf/?version=99",
        f"{BASE}/results/QH1/pdf/?version=99999999999999999999",
        f"{BASE}/results/QH1/pdf/?round=7",
        f"{BASE}/results/QH1/pdf/?round=-1&lang=xx",
        f"{BASE}/results/QH1/?round=abc",
        f"{BASE}/units/U1/QH/pdf/?round=2",
        f"{BASE}/units/U1/NOPE/",
        f"{BASE}/areas/NOPE/",
        f"{BASE}/areas/P/NOPE/",
        f"{BASE}/jobs/999999/",
        f"{BASE}/jobs/999999/zip/",
        "/verify/not-a-token/",
        "/verify/" + "x" * 300 + "/pdf/",
        f"{API}/results/QH1/minutes.pdf?version=-3",
        f"{API}/tallies/U1/QH/minutes.pdf?round=0",
        f"{API}/tallies/U1/QH/minutes/?round=9",
    ],
)
def test_odd_addresses_never_fail(counted, url):
    response = client_for(counted, "superuser").get(url)
    assert response.status_code in (200, 400, 404, 409), (url, response.status_code)


def test_odd_issue_input_is_refused_with_a_message(counted):
    client = client_for(counted, "committee_p")
    bad = client.post(
        f"{API}/tallies/U1/QH/minutes/", {"members": "x", "witnesses": [1, 2, 3]}, content_type="application/json"
    )
    assert bad.status_code == 400 and "members" in bad.json()["errors"]
    page = client.post(f"{BASE}/results/QH1/", issue_form(meeting_at="not a date", **{"m-TOTAL_FORMS": "x"}))
    assert page.status_code in (200, 400)
    assert not Minute.objects.exists()


def test_the_issue_form_adds_a_member_row_and_keeps_what_was_typed(counted):
    """Issue 17, point 9: more members than the three empty rows; the button works without JavaScript too."""
    client = client_for(counted, "board_qh1")
    page = client.get(f"{BASE}/results/QH1/").content.decode()
    assert 'data-testid="add-member"' in page and 'id="member-row-template"' in page
    rows = int(page.split('name="m-TOTAL_FORMS" value="')[1].split('"')[0])
    posted = client.post(f"{BASE}/results/QH1/", issue_form(**{"m-TOTAL_FORMS": "1", "add_member": "1"}))
    assert posted.status_code == 200 and not Minute.objects.exists()  # nothing issued
    html = posted.content.decode()
    assert 'name="m-TOTAL_FORMS" value="2"' in html and 'name="m-1-name"' in html
    assert 'value="Nguyễn Văn Trưởng"' in html  # the row already typed is kept
    assert rows >= 1
    issued = client.post(
        f"{BASE}/results/QH1/",
        issue_form(
            **{"m-TOTAL_FORMS": "2", "m-1-name": "Trần Thị Thư Ký", "m-1-gender": "female", "m-1-position": "member"}
        ),
    )
    assert issued.status_code == 302
    names = [m["name"] for m in Minute.objects.get().data["inputs"]["members"]]
    assert names == ["Nguyễn Văn Trưởng", "Trần Thị Thư Ký"]
