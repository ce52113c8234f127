"""The clerk's entry pages without JavaScript (issue 16, points 1, 2, 3 and 6): warnings are confirmed before
submitting, a draft is always saved, a refused turnout keeps its value, the home page says what to do next."""

import json
import re

import pytest
from django.conf import settings
from django.test import Client

from elections.models import Candidate
from results.models import Tally, TallyDraft, TurnoutReport
from results.tallies import services
from tests.results.conftest import good_qh, payload

pytestmark = pytest.mark.django_db
BASE = "/elections/world-2021"
ENTRY = f"{BASE}/units/U1/minutes/QH/"


@pytest.fixture
def clerk(world):
    client = Client()
    client.force_login(world.users["clerk_u1"])
    client.cookies[settings.LANGUAGE_COOKIE_NAME] = "en"
    return client


def form_data(**changes):
    """The page's fields for the good QH tally of U1; a change of "" leaves the line empty."""
    body = good_qh()
    data = {k: v for k, v in body.items() if k != "votes"}
    for c in Candidate.objects.filter(constituency__code="QH1"):
        data[f"votes_{c.pk}"] = body["votes"][c.code]
    data.update(changes)
    return data


def test_the_page_gives_its_script_the_rule_sets_classification(clerk):
    page = clerk.get(ENTRY).content.decode()
    found = re.search(r'<script id="check-rules" type="application/json">(.*?)</script>', page)
    rules = json.loads(found.group(1))
    # the checks that only warn under the law are warnings on the page too, each with its article
    assert rules["issued_differs_from_voted"]["severity"] == "warning"
    assert rules["list_differs_from_voter_list"]["severity"] == "warning"
    assert rules["valid_plus_invalid_not_received"]["severity"] == "error"
    assert rules["issued_differs_from_voted"]["article"] == "Art. 69; Art. 73"
    assert 'id="warning-only"' not in page  # no second list of warnings


def test_warned_minutes_ask_for_confirmation_then_are_submitted(clerk):
    # given lawful minutes whose ballots issued differ from voters who took part
    data = form_data(ballots_issued=701, action="submit")
    # when submitted without the confirmation
    response = clerk.post(ENTRY, data)
    # then the page asks, listing the warning with its article, and keeps the figures
    assert response.status_code == 200
    page = response.content.decode()
    assert 'id="confirm-warnings"' in page and 'name="confirm_warnings"' in page
    assert "Ballots issued (701) differ from voters who took part (700)." in page
    assert "Warning · Art. 69; Art. 73" in page
    assert 'value="701"' in page
    assert not Tally.objects.exists()
    # and once the clerk confirms, the minutes are submitted
    response = clerk.post(ENTRY, {**data, "confirm_warnings": "1"})
    assert response.status_code == 302
    assert Tally.objects.get().status == "submitted"


def test_a_warning_is_drawn_amber_and_an_error_red(clerk, world, scope_u1_qh):
    services.tally_save(
        scope=scope_u1_qh, payload=payload(good_qh(ballots_issued=701)), version=None, by=world.users["clerk_u1"]
    )
    page = clerk.get(ENTRY).content.decode()
    row = re.search(r'<div class="row([^"]*)" data-field="ballots_issued"', page)
    assert row.group(1) == " has-warning"
    assert '<span class="note warning">' in page


def test_a_partial_draft_is_saved_and_reloaded_with_its_problems(clerk):
    # given minutes with one line empty (the checks wait for every line)
    data = form_data(voters_voted="", valid_ballots=689, action="save")
    # when the clerk saves the draft
    response = clerk.post(ENTRY, data)
    # then it is saved, and the page says so
    assert response.status_code == 302
    assert TallyDraft.objects.get().typed["figures"]["valid_ballots"] == "689"
    page = clerk.get(ENTRY).content.decode()
    assert "Draft saved. It cannot be submitted yet" in page
    assert 'class="badge status-draft"' in page
    # the typed values come back, the empty line and the failing check are listed and marked
    assert 'name="valid_ballots" value="689"' in page
    assert 'id="draft-problems"' in page
    problems = page[page.index('id="draft-problems"') : page.index("</section>", page.index('id="draft-problems"'))]
    assert "Voters who took part</a>: This line is still empty." in problems
    assert 'data-entry-problem="This line is still empty."' in page
    assert 'data-saved="1"' in page


def test_a_draft_that_does_not_add_up_is_saved_with_the_failing_check_and_its_article(clerk):
    response = clerk.post(ENTRY, form_data(valid_ballots=689, action="save"))
    assert response.status_code == 302 and not Tally.objects.exists()
    page = clerk.get(ENTRY).content.decode()
    problems = page[page.index('id="draft-problems"') : page.index("</section>", page.index('id="draft-problems"'))]
    assert "Error · Art. 73-74; specification §6</span> Valid (689) + invalid (10) = 699" in problems
    row = re.search(r'<div class="row([^"]*)" data-field="valid_ballots"', page)
    assert row.group(1) == " has-error"


def test_saving_the_same_partial_draft_again_needs_its_revision(clerk):
    clerk.post(ENTRY, form_data(voters_voted="", action="save"))
    revision = TallyDraft.objects.get().revision
    response = clerk.post(ENTRY, form_data(voters_voted="", ballots_issued="", action="save", draft_revision=revision))
    assert response.status_code == 302
    assert TallyDraft.objects.get().revision == revision + 1


def test_a_save_that_cannot_be_made_says_why_beside_the_button_and_keeps_the_values(clerk, world, scope_u1_qh):
    # given minutes already submitted (by another session of the team)
    services.tally_submit(scope=scope_u1_qh, payload=payload(good_qh()), by=world.users["clerk_u1"])
    # when an older page saves a draft
    response = clerk.post(ENTRY, form_data(voters_voted="", invalid_ballots=11, action="save"))
    # then the refusal stands next to the buttons and every typed value is still in the form
    assert response.status_code == 409
    page = response.content.decode()
    assert 'id="save-refusal"' in page and "The draft was not saved" in page
    assert 'name="invalid_ballots" value="11"' in page
    assert 'data-saved="0"' in page
    assert not TallyDraft.objects.exists()


def test_submitting_incomplete_minutes_says_why_and_keeps_the_values(clerk):
    response = clerk.post(ENTRY, form_data(voters_voted="", invalid_ballots=11, action="submit"))
    assert response.status_code == 200
    page = response.content.decode()
    assert 'id="entry-status" role="status" aria-live="polite">Fill in every line' in page
    assert 'name="invalid_ballots" value="11"' in page
    assert not Tally.objects.exists()


def test_a_refused_turnout_keeps_its_value_with_the_reason(clerk):
    # U1 has 800 voters on its list; 900 who voted is refused
    response = clerk.post(f"{BASE}/units/U1/turnout/", {"at": "11:00", "voters_voted": "900"})
    assert response.status_code == 200
    page = response.content.decode()
    slot = page[page.index('value="11:00"') :]
    slot = slot[: slot.index("</form>")]
    assert 'value="900"' in slot and 'aria-invalid="true"' in slot
    assert "900 voters who voted is more than the 800 on the list." in slot
    assert not TurnoutReport.objects.exists()


def test_a_turnout_at_no_reporting_time_is_refused_at_the_top(clerk):
    response = clerk.post(f"{BASE}/units/U1/turnout/", {"at": "10:17", "voters_voted": "90"})
    assert response.status_code == 200
    assert 'class="error"' in response.content.decode()
    assert not TurnoutReport.objects.exists()


def _steps(page: str) -> dict[str, str]:
    return dict(re.findall(r'data-contest="(\w+)".*?data-next-step="(\w+)"', page, flags=re.S))


def test_the_clerks_home_shows_each_contest_with_its_next_step(clerk, world, scope_u1_qh):
    # given nothing entered: both contests are to be entered
    page = clerk.get("/").content.decode()
    assert _steps(page) == {"QH": "enter", "XA": "enter"}
    # a partial draft: continue it
    clerk.post(ENTRY, form_data(voters_voted="", action="save"))
    assert _steps(clerk.get("/").content.decode())["QH"] == "continue"
    # submitted: waiting for review
    services.tally_submit(scope=scope_u1_qh, payload=payload(good_qh()), by=world.users["clerk_u1"])
    assert _steps(clerk.get("/").content.decode())["QH"] == "wait"
    # returned: the reason and a link to fix it
    services.tally_return(scope=scope_u1_qh, reason="Thiếu chữ ký của thư ký", by=world.users["board_qh1"])
    page = clerk.get("/").content.decode()
    assert _steps(page)["QH"] == "fix"
    assert "Thiếu chữ ký của thư ký" in page and f'href="{ENTRY}">Correct and submit again' in page
    # approved
    services.tally_submit(scope=scope_u1_qh, by=world.users["clerk_u1"])
    services.tally_approve(scope=scope_u1_qh, by=world.users["board_qh1"])
    page = clerk.get("/").content.decode()
    assert _steps(page)["QH"] == "approved" and 'class="badge status-approved"' in page


def test_the_unit_page_shows_the_same_next_steps(clerk):
    clerk.post(ENTRY, form_data(voters_voted="", action="save"))
    page = clerk.get(f"{BASE}/units/U1/").content.decode()
    assert re.findall(r'data-next-step="(\w+)"', page) == ["continue", "enter"]
