"""The OpenAPI schema is a valid OpenAPI 3 document, and the docs page works offline."""

import re

import pytest
import yaml
from django.test import Client
from drf_spectacular.validation import validate_schema

from api.tallies import MAX_REASON
from elections.models import AuditEntry
from results.minutes.services import MAX_TEXT
from results.models import Tally
from results.tallies.parsing import MAX_COMPLAINTS
from tests.config.prod_env import production_env
from tests.results.conftest import good_qh


@pytest.mark.django_db
def test_schema_is_valid_openapi_3():
    response = Client().get("/api/schema/", HTTP_ACCEPT="application/vnd.oai.openapi+json")
    assert response.status_code == 200
    schema = response.json() if response["Content-Type"].endswith("json") else yaml.safe_load(response.content)
    assert schema["openapi"].startswith("3.")
    validate_schema(schema)  # raises on an invalid document
    assert "/api/v1/elections/{election}/polling-units/{code}/" in schema["paths"]


@pytest.mark.django_db
def test_docs_page_loads_nothing_from_outside():
    html = Client().get("/api/docs/").content.decode()
    assert "swagger-ui" in html
    assert "cdn" not in html.lower()
    assert "https://" not in html


def test_production_settings_pass_check_deploy(tmp_path):
    import subprocess
    import sys

    result = subprocess.run(
        [sys.executable, "manage.py", "check", "--deploy", "--fail-level", "WARNING"],
        env=production_env(tmp_path),
        capture_output=True,
        text=True,
        check=False,
    )
    assert result.returncode == 0, result.stdout + result.stderr
    assert "no issues" in result.stdout


# --- Issue 14, finding 10: the schema states what the server does (tests/api/test_schemathesis.py fuzzes it all) ---

TALLY = "/api/v1/elections/world-2021/tallies/U1/QH/"


def _schema():
    return Client().get("/api/schema/", HTTP_ACCEPT="application/vnd.oai.openapi+json").json()


@pytest.mark.django_db
def test_times_of_day_are_documented_as_the_hour_minute_the_server_writes():
    # given the schema; then a time of day is "HH:MM", not OpenAPI's `format: time` ("07:00:00Z")
    schema = _schema()
    opens = schema["components"]["schemas"]["ElectionOut"]["properties"]["voting_opens"]
    assert (
        "format" not in opens and re.fullmatch(opens["pattern"], "07:00") and not re.fullmatch(opens["pattern"], "7:00")
    )
    turnout = schema["paths"]["/api/v1/elections/{election}/polling-units/{unit}/turnout/{at}/"]["put"]
    at = next(p for p in turnout["parameters"] if p["name"] == "at")
    assert at["schema"]["pattern"] == opens["pattern"]


@pytest.mark.django_db
def test_every_refusal_is_documented_with_the_json_error_shape():
    schema = _schema()
    for path, item in schema["paths"].items():
        for method, operation in item.items():
            responses = operation["responses"]
            # then a NUL in the address (400) and, where credentials are read, a bad token (401) are documented
            assert "400" in responses, (method, path)
            if "turnout/" not in path and "voter-lookup" not in path and path != "/api/v1/health/":
                assert "401" in responses, (method, path)
            for code, answer in responses.items():
                if code.startswith("4") and "application/json" in answer.get("content", {}):
                    assert answer["content"]["application/json"]["schema"] == {"$ref": "#/components/schemas/ErrorOut"}


@pytest.mark.django_db
def test_the_free_text_limits_are_in_the_schema():
    schemas = _schema()["components"]["schemas"]
    assert schemas["TallyIn"]["properties"]["complaints"]["maxLength"] == MAX_COMPLAINTS
    assert schemas["ReasonIn"]["properties"]["reason"]["maxLength"] == MAX_REASON
    assert schemas["IssueIn"]["properties"]["events"]["maxLength"] == MAX_TEXT
    assert schemas["IssueIn"]["properties"]["members"]["maxItems"] == 40


def test_an_api_address_that_names_no_operation_is_a_json_404(db):
    for url in ("/api/v1/nothing/", "/api/v1/elections/Art. 80(1)/", "/api/v1/elections/a%2Fb/tallies/x/y/minutes.pdf"):
        response = Client().post(url)  # a POST too: no CSRF page
        assert (response.status_code, response["Content-Type"]) == (404, "application/json"), url
        assert response.json()["detail"]
    # a GET without its final slash is still sent on to the address with it
    assert Client().get("/api/v1/me").headers["Location"] == "/api/v1/me/"


def test_a_nul_in_an_api_address_is_a_json_400(db):
    response = Client().get("/api/v1/elections/world-2021/polling-units/U1%00/")
    assert response.status_code == 400 and response.json()["detail"]
    assert Client().get("/elections/%00/").status_code == 400  # a page's refusal stays plain text


def test_a_reason_over_the_limit_is_400_and_nothing_is_written(api):
    clerk, board = api("clerk_u1"), api("board_qh1")
    clerk.put(TALLY, good_qh(), content_type="application/json")
    clerk.post(TALLY + "submit/", {}, content_type="application/json")
    before = AuditEntry.objects.count()
    response = board.post(TALLY + "return/", {"reason": "x" * (MAX_REASON + 1)}, content_type="application/json")
    assert response.status_code == 400 and "reason" in response.json()["errors"]
    assert Tally.objects.get().status == "submitted" and AuditEntry.objects.count() == before
    ok = board.post(TALLY + "return/", {"reason": "x" * MAX_REASON}, content_type="application/json")
    assert ok.status_code == 200


def test_a_nul_in_a_reason_is_400_not_500(api):
    # PostgreSQL text cannot hold a NUL: saving the reason failed with a DataError (a 500) there
    clerk, board = api("clerk_u1"), api("board_qh1")
    clerk.put(TALLY, good_qh(), content_type="application/json")
    clerk.post(TALLY + "submit/", {}, content_type="application/json")
    response = board.post(TALLY + "return/", {"reason": "a\x00b"}, content_type="application/json")
    assert response.status_code == 400 and "reason" in response.json()["errors"]
    assert Tally.objects.get().status == "submitted"


def test_a_transition_body_that_is_not_an_object_is_400(api):
    clerk = api("clerk_u1")
    clerk.put(TALLY, good_qh(), content_type="application/json")
    response = clerk.post(TALLY + "submit/", [None, None], content_type="application/json")
    assert response.status_code == 400 and "non_field_errors" in response.json()["errors"]
    assert Tally.objects.get().status == "draft"


def test_a_form_body_is_415_on_the_tally_api(api):
    response = api("clerk_u1").put(TALLY, "voters_on_list=1", content_type="application/x-www-form-urlencoded")
    assert response.status_code == 415 and not Tally.objects.exists()


def test_a_turnout_time_is_hour_minute_exactly(api):
    clerk = api("clerk_u1")
    url = "/api/v1/elections/world-2021/polling-units/U1/turnout/{}/"
    for at in ("09:00:00", "9:00", "0900"):
        response = clerk.put(url.format(at), {"voters_voted": 10}, content_type="application/json")
        assert response.status_code == 400 and "at" in response.json()["errors"], at
    assert clerk.put(url.format("09:00"), {"voters_voted": 10}, content_type="application/json").status_code == 200


def test_a_minutes_query_out_of_the_schema_is_400(counted):
    client = Client()
    client.force_login(counted.users["committee_p"])
    base = "/api/v1/elections/world-2021"
    for url in (
        f"{base}/results/QH1/minutes/?round=abc",
        f"{base}/results/QH1/minutes/?round=",
        f"{base}/results/QH1/minutes.pdf?lang=xx",
    ):
        response = client.get(url)
        assert response.status_code == 400 and response.json()["errors"], url


def test_issue_input_refuses_numbers_for_text_and_names_each_path(counted):
    client = Client()
    client.force_login(counted.users["committee_p"])
    body = {"events": 0, "members": [{"name": "", "position": "head"}]}
    response = client.post("/api/v1/elections/world-2021/results/QH1/minutes/", body, content_type="application/json")
    assert response.status_code == 400
    assert {"events", "members.0.name"} <= set(response.json()["errors"])
