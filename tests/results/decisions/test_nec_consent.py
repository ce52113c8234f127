"""Art. 80(3) as amended by Law 83/2025/QH15: the Election Committee sets a People's Council re-election "after
reporting to and obtaining the consent of the National Election Council". The consent is recorded beside the
decision, in the audit log, and asked for on the page and in the API; elections before 1 July 2025 need none."""

import datetime as dt
import json

import pytest
from django.conf import settings
from django.test import Client

from elections.models import AuditEntry, Election
from results.decisions import further_rounds
from results.decisions.recording import DecisionInvalid
from results.models import ConstituencyDecision
from results.rules import second_rounds
from tests.results.decision_helpers import decision
from tests.results.result_helpers import load, minutes, qh_votes, xa_votes

pytestmark = pytest.mark.django_db

DAY_2026 = dt.date(2026, 3, 15)
COMMITTEE = decision(body="Ủy ban bầu cử xã C1", reference="Nghị quyết số 5/NQ-UBBC", date=dt.date(2026, 3, 17))
COMMITTEE_2021 = decision(body=COMMITTEE.body, reference=COMMITTEE.reference, date=dt.date(2021, 5, 26))
CONSENT = decision(body="Hội đồng Bầu cử quốc gia", reference="Công văn số 88/HĐBCQG", date=dt.date(2026, 3, 16))


@pytest.mark.parametrize(
    ("kind", "level", "day", "needed"),
    [
        ("re_election", "commune_council", dt.date(2025, 7, 1), True),  # the day Law 83/2025 came into force
        ("re_election", "provincial_council", DAY_2026, True),
        ("re_election", "commune_council", dt.date(2025, 6, 30), False),  # the 2015 text: no consent
        ("re_election", "national_assembly", DAY_2026, False),  # the NEC decides itself, Art. 80(2)
        ("additional", "commune_council", DAY_2026, False),  # Art. 79(2): the committee alone
        ("annulment", "commune_council", DAY_2026, False),  # Art. 81: the NEC annuls
    ],
)
def test_which_rounds_need_the_necs_consent_art_80_3(kind, level, day, needed):
    assert second_rounds.nec_consent_required(kind, level, day) is needed


@pytest.fixture
def low_turnout_2026(world):
    Election.objects.filter(pk=world.election.pk).update(election_day=DAY_2026)
    world.election.refresh_from_db()
    load(world.election, minutes("U1", "XA", xa_votes("XA1", 390, 380, 5), voted=400))
    cons = world.constituencies["XA1"]
    cons.refresh_from_db()
    return cons


def open_round(cons, **kw):
    return further_rounds.round_open(
        constituency=cons, kind="re_election", voting_day=dt.date(2026, 3, 22), decision=COMMITTEE, by=None, **kw
    )


def test_a_council_re_election_without_the_necs_consent_is_refused_naming_the_article(low_turnout_2026):
    with pytest.raises(DecisionInvalid) as refused:
        open_round(low_turnout_2026)
    assert [p.path for p in refused.value.problems] == ["consent"]
    assert "80" in str(refused.value.message)
    assert not ConstituencyDecision.objects.exists()


def test_the_necs_consent_is_recorded_beside_the_decision_and_audited(low_turnout_2026):
    open_round(low_turnout_2026, consent=CONSENT)
    d = ConstituencyDecision.objects.get()
    assert (d.consent_body, d.consent_reference, d.consent_date) == (CONSENT.body, CONSENT.reference, CONSENT.date)
    entry = AuditEntry.objects.get(action="results.round.opened")
    assert entry.data["consent"] == {"body": CONSENT.body, "reference": CONSENT.reference, "date": "2026-03-16"}


def test_the_result_page_and_the_round_minute_name_the_necs_consent(world, low_turnout_2026):
    from results.minutes import data as md
    from results.minutes import rendering as documents
    from results.minutes import services as svc
    from tests.results.minutes_fixtures import INPUTS

    open_round(low_turnout_2026, consent=CONSENT)
    client = Client()
    client.cookies[settings.LANGUAGE_COOKIE_NAME] = "en"
    client.force_login(world.users["committee_p"])
    page = client.get("/elections/world-2021/results/XA1/").content.decode()
    consent = page.split('data-testid="consent">')[1].split("</span>")[0]
    assert consent == "With the consent of Hội đồng Bầu cử quốc gia: Công văn số 88/HĐBCQG · 2026-03-16 (Art. 80(3))"
    # the re-election's Ban minute cites the committee's decision and the consent
    load(world.election, minutes("U1", "XA", xa_votes("XA1", 600, 550, 200)))
    low_turnout_2026.refresh_from_db()
    source = svc.constituency_document(low_turnout_2026).source
    html = documents.render_html({"source": source, "inputs": INPUTS}, "vi", settings=md.settings_for(0))
    assert (
        "Căn cứ Nghị quyết số 5/NQ-UBBC ngày 17/03/2026 của Ủy ban bầu cử xã C1 về việc bầu cử lại, sau khi được sự "
        "đồng ý của Hội đồng Bầu cử quốc gia (Công văn số 88/HĐBCQG ngày 16/03/2026);" in html
    )


def test_a_2021_council_re_election_needs_no_consent(world):
    load(world.election, minutes("U1", "XA", xa_votes("XA1", 390, 380, 5), voted=400))
    further_rounds.round_open(
        constituency=world.constituencies["XA1"],
        kind="re_election",
        voting_day=dt.date(2021, 5, 30),
        decision=COMMITTEE_2021,
        by=None,
    )
    assert ConstituencyDecision.objects.get().consent_reference == ""


def test_an_na_additional_election_ignores_a_consent_given(world):
    load(world.election, *(minutes(u, "QH", qh_votes(600, 340, 330, 320, 300)) for u in ("U1", "U2", "U3")))
    further_rounds.round_open(
        constituency=world.constituencies["QH1"],
        kind="additional",
        voting_day=dt.date(2021, 5, 30),
        decision=COMMITTEE_2021,
        consent=CONSENT,
        by=None,
    )
    assert ConstituencyDecision.objects.get().consent_reference == ""  # not the law's requirement: not recorded


def test_the_api_takes_the_consent(world, low_turnout_2026):
    client = Client()
    client.force_login(world.users["committee_c1"])
    client.cookies[settings.LANGUAGE_COOKIE_NAME] = "en"
    url = "/api/v1/elections/world-2021/results/XA1/rounds/"
    body = {
        "kind": "re_election",
        "voting_day": "2026-03-22",
        "decision": {"body": COMMITTEE.body, "reference": COMMITTEE.reference, "date": "2026-03-17"},
    }
    refused = client.post(url, json.dumps(body), content_type="application/json")
    assert refused.status_code == 400 and "consent" in refused.json()["errors"]
    body["consent"] = {"body": CONSENT.body, "reference": CONSENT.reference, "date": "2026-03-16"}
    assert client.post(url, json.dumps(body), content_type="application/json").status_code == 201
    assert ConstituencyDecision.objects.get().consent_reference == CONSENT.reference


def test_the_page_asks_for_the_consent(world, low_turnout_2026):
    client = Client()
    client.force_login(world.users["committee_c1"])
    client.cookies[settings.LANGUAGE_COOKIE_NAME] = "en"
    url = "/elections/world-2021/results/XA1/round/"
    page = client.get(url).content.decode()
    assert 'data-testid="consent"' in page and "Art. 80(3)" in page
    form = {
        "kind": "re_election",
        "voting_day": "22/03/2026",
        "body": COMMITTEE.body,
        "reference": COMMITTEE.reference,
        "date": "17/03/2026",
    }
    refused = client.post(url, form)
    assert refused.status_code == 400 and not ConstituencyDecision.objects.exists()
    assert "National Election Council agrees" in refused.content.decode()
    done = client.post(url, form | {"consent_reference": CONSENT.reference, "consent_date": "16/03/2026"})
    assert done.status_code == 302
    d = ConstituencyDecision.objects.get()
    assert (d.consent_body, d.consent_reference) == ("Hội đồng Bầu cử quốc gia", CONSENT.reference)
