"""The printable list's page (issue 17, point 5): the first answer never renders, the kept PDF is served while the
list is unchanged and rendered again after a change, the progress as JSON, access as for the list."""

import re

import pytest
from django.conf import settings
from django.test import Client
from django.urls import reverse

from voters import services
from voters.models import Voter, VoterListRendering, voter_pk
from voters.printing import voter_list_fingerprint, voter_list_render

SLUG = "world-2021"
Status = VoterListRendering.Status


class CountedHTML:
    """WeasyPrint's HTML, counted: the tests see whether, and when, a list was rendered."""

    made = 0

    def __init__(self, string: str = "", **kwargs: object) -> None:
        CountedHTML.made += 1
        from weasyprint import HTML

        self.html = HTML(string=string, **kwargs)

    def write_pdf(self, *args: object, **kwargs: object) -> bytes:
        return self.html.write_pdf(*args, **kwargs)


@pytest.fixture(autouse=True)
def counted(monkeypatch):
    CountedHTML.made = 0
    monkeypatch.setattr("voters.printing.HTML", CountedHTML)
    return CountedHTML


def client_of(world, username="committee_c1"):
    client = Client()
    client.cookies[settings.LANGUAGE_COOKIE_NAME] = "en"  # the assertions read the English words
    client.force_login(world.users[username])
    return client


def url(code="U1"):
    return reverse("voters:unit-pdf", args=[SLUG, code])


def pdf_of(response):
    assert response.status_code == 200 and response["Content-Type"] == "application/pdf"
    assert response["Content-Disposition"] == 'inline; filename="danh-sach-cu-tri-U1.pdf"'
    return b"".join(response.streaming_content)


def test_the_first_answer_is_the_progress_page_and_the_rendering_runs_after_it(
    listed, counted, django_capture_on_commit_callbacks
):
    client = client_of(listed)
    # when: the link is clicked
    with django_capture_on_commit_callbacks(execute=False) as sent:
        response = client.get(url())
    # then: the page answers without rendering; the task is sent, to run once the request is over
    assert response.status_code == 200 and response["Content-Type"].startswith("text/html")
    assert counted.made == 0 and not VoterListRendering.objects.exists()
    assert len(sent) == 1
    assert b'id="voter-print"' in response.content and b"Waiting to start" in response.content
    assert "no-store" in response["Cache-Control"]
    sent[0]()  # the background runs it
    assert counted.made == 1 and VoterListRendering.objects.get().status == Status.DONE
    # and the next click gets the PDF at once
    with django_capture_on_commit_callbacks(execute=True) as sent:
        assert pdf_of(client.get(url())).startswith(b"%PDF")
    assert sent == [] and counted.made == 1


def test_the_kept_pdf_is_served_while_the_list_is_unchanged_and_rendered_again_after_a_change(
    open_world, counted, django_capture_on_commit_callbacks
):
    unit = open_world.units["U1"]
    client = client_of(open_world)
    voter_list_render(unit.pk)
    for _ in range(3):
        with django_capture_on_commit_callbacks(execute=True) as sent:
            pdf_of(client.get(url()))
        assert sent == []
    assert counted.made == 1
    # when: a voter is struck off
    services.voter_remove(
        voter=Voter.objects.get(pk=voter_pk(unit.pk, 1)), reason="moved", note="", by=open_world.users["committee_c1"]
    )
    with django_capture_on_commit_callbacks(execute=True) as sent:
        response = client.get(url())
    # then: the old PDF is not served; a new one is made and replaces it
    assert response["Content-Type"].startswith("text/html") and len(sent) == 1
    assert counted.made == 2
    kept = VoterListRendering.objects.get()
    assert kept.fingerprint == voter_list_fingerprint(unit) and kept.status == Status.DONE
    pdf_of(client.get(url()))


def test_progress_as_json(listed, django_capture_on_commit_callbacks):
    unit = listed.units["U1"]
    client = client_of(listed, "auditor")
    with django_capture_on_commit_callbacks(execute=False):
        waiting = client.get(url(), {"format": "json"}).json()
    assert waiting == {
        "status": "queued",
        "step": 0,
        "pages_done": 0,
        "pages_total": 0,
        "percent": 0,
        "message": "Waiting to start…",
        "download": None,
    }
    rendering = VoterListRendering.objects.create(
        polling_unit=unit, fingerprint=voter_list_fingerprint(unit), status=Status.RUNNING, step=3, pages_total=10
    )
    preparing = client.get(url(), {"format": "json"}).json()
    assert preparing["status"] == "running" and preparing["message"] == "Preparing the document…"
    assert preparing["percent"] == 11 and preparing["download"] is None
    VoterListRendering.objects.filter(pk=rendering.pk).update(step=5, pages_done=3)
    running = client.get(url(), {"format": "json"}).json()
    assert running["message"] == "Laying out page 4 of about 10…" and running["percent"] == 41 + 47 * 3 // 10
    VoterListRendering.objects.filter(pk=rendering.pk).update(step=6, pages_done=10)
    writing = client.get(url(), {"format": "json"}).json()
    assert writing["percent"] == 88 and writing["message"] == "All 10 pages are laid out; writing the PDF file…"
    VoterListRendering.objects.filter(pk=rendering.pk).update(status=Status.DONE)
    done = client.get(url(), {"format": "json"}).json()
    assert (
        done["percent"] == 100
        and done["download"] == url()
        and done["message"] == "The printable list is ready: 10 pages."
    )


@pytest.mark.parametrize("query", ["", "?format=json", "?retry=1"])
def test_access_refused_for_a_user_without_the_right(listed, query, django_capture_on_commit_callbacks):
    for code in ("U1", "U2"):
        voter_list_render(listed.units[code].pk)
    # none of them may see that unit's list (tests/elections/test_permissions.py EXPECTED)
    for username, code in (("outsider", "U1"), ("clerk_other", "U1"), ("clerk_u1", "U2"), ("board_xa1", "U2")):
        with django_capture_on_commit_callbacks(execute=True) as sent:
            response = client_of(listed, username).get(url(code) + query)
        assert response.status_code == 404 and sent == [] and b"%PDF" not in response.content
    anonymous = Client().get(url() + query)
    assert anonymous.status_code == 302 and "/accounts/login/" in anonymous["Location"]


def test_a_failed_rendering_offers_to_try_again(listed, counted, monkeypatch, django_capture_on_commit_callbacks):
    unit = listed.units["U1"]
    VoterListRendering.objects.create(
        polling_unit=unit, fingerprint=voter_list_fingerprint(unit), status=Status.FAILED, error="RuntimeError"
    )
    client = client_of(listed)
    with django_capture_on_commit_callbacks(execute=True) as sent:
        page = client.get(url())
    assert sent == [] and b"could not be made" in page.content
    assert f'href="{url()}?retry=1"'.encode() in page.content
    assert b"http-equiv" not in page.content  # no refresh loop for a failed one
    with django_capture_on_commit_callbacks(execute=True) as sent:
        page = client.get(url(), {"retry": "1"})
    assert len(sent) == 1 and b"Waiting to start" in page.content
    assert VoterListRendering.objects.get().status == Status.DONE
    pdf_of(client.get(url()))


@pytest.mark.parametrize("query", ["?format=xml", "?retry=yes", "?format=", "?retry=1&retry=2"])
def test_odd_queries_answer_the_page(listed, query, django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=False):
        response = client_of(listed).get(url() + query)
    assert response.status_code == 200 and response["Content-Type"].startswith("text/html")


def test_the_page_works_without_javascript_and_has_no_inline_script(listed, django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=False):
        html = client_of(listed).get(url()).content.decode()
    assert re.search(r'<noscript><meta http-equiv="refresh" content="3; url=' + re.escape(url()) + '">', html)
    assert "js/voter-list-print.js" in html
    assert not re.search(r"<script(?![^>]*\bsrc=)[^>]*>", html)  # every script is a file (a strict CSP comes)
    assert 'style="' not in html.split('id="voter-print"', 1)[1]


def test_a_kept_pdf_whose_file_is_gone_is_rendered_again(listed, counted, django_capture_on_commit_callbacks):
    voter_list_render(listed.units["U1"].pk)
    kept = VoterListRendering.objects.get()
    kept.file.storage.delete(kept.file.name)
    client = client_of(listed)
    with django_capture_on_commit_callbacks(execute=True) as sent:
        page = client.get(url())
    assert page.status_code == 200 and b"Waiting to start" in page.content and len(sent) == 1
    assert counted.made == 2
    pdf_of(client.get(url()))
