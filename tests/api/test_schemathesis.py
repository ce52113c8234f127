"""Issue 14, point 4: the API answers as its OpenAPI schema says, and bad input never gives a 500.

Schemathesis reads the schema the server serves (`/api/schema/`, drf-spectacular) and fuzzes every
operation in-process through the WSGI application, so the requests see this test's database: the `world`
of tests/conftest.py with tallies in every state (`election_day`). Each operation runs as the public (no
credentials), as the clerk of U1 and as the committee of the province, with valid and invalid input (the
coverage phase's boundary values, then Hypothesis' fuzzing). A path parameter is mostly one of the world's
codes, so the bodies reach their checks, and sometimes made up, so the 404s are checked too.

Checks: no 5xx, only documented status codes, the documented content type and headers, a body that
matches the documented schema, and input the schema forbids refused (a limit stated is a limit enforced).
Deterministic (derandomized Hypothesis, no example database) and bounded (`MAX_EXAMPLES` per operation and
persona, PDFs stubbed), so CI neither flakes nor drags.
"""

import re
import zlib

import pytest
import schemathesis
from django.core.signals import request_finished, request_started
from django.core.wsgi import get_wsgi_application
from django.db import close_old_connections
from hypothesis import HealthCheck
from hypothesis import settings as hypothesis_settings
from hypothesis import strategies as st
from rest_framework.authtoken.models import Token
from schemathesis.checks import not_a_server_error
from schemathesis.core.parameters import ParameterLocation
from schemathesis.generation import GenerationMode
from schemathesis.generation.meta import TestPhase
from schemathesis.specs.openapi.checks import (
    content_type_conformance,
    ignored_auth,
    missing_required_header,
    negative_data_rejection,
    response_headers_conformance,
    response_schema_conformance,
    status_code_conformance,
    unsupported_method,
)

from results.permissions import tally_scope
from results.tallies import services
from tests.results.conftest import good_qh, payload
from tests.results.result_helpers import load, minutes, qh_votes, xa_votes

MAX_EXAMPLES = 25
# Every check but `positive_data_acceptance`: the law refuses input the schema cannot describe (the arithmetic
# of the minutes, a turnout above the list, a tally's state), so schema-valid input may rightly get 400 or 409.
CHECKS = [
    not_a_server_error,
    status_code_conformance,
    content_type_conformance,
    response_schema_conformance,
    response_headers_conformance,
    negative_data_rejection,  # what the schema forbids (types, lengths, ranges, formats) the server refuses
    ignored_auth,
    missing_required_header,
    unsupported_method,
]

# The world's codes for each path parameter (`code` names a polling unit or a constituency).
WORLD_CODES = {
    "election": ["world-2021"],
    "unit": ["U1", "U2"],
    "contest": ["QH", "XA"],
    "code": ["U1", "QH1", "XA2"],
    "constituency": ["QH1", "XA2"],
    "at": ["09:00", "11:00", "07:00"],  # 07:00 is not one of the day's reporting times
}

schema = schemathesis.openapi.from_wsgi("/api/schema/", get_wsgi_application())


def _may_stand_in(name, value) -> bool:
    """A world code may replace a drawn value unless the value breaks the schema's pattern (slugs): a value drawn
    to be invalid must stay invalid, or the server's 200 would count as accepting bad data."""
    if name not in WORLD_CODES:
        return False
    return name != "election" or (isinstance(value, str) and re.fullmatch(r"[-a-zA-Z0-9_]+", value) is not None)


@schema.hooks.hook("flatmap_path_parameters")
def _mostly_world_codes(ctx, parameters):
    """Fuzzing: three cases in four name the world's objects, the fourth keeps the made-up codes."""
    if not parameters:
        return st.just(parameters)
    world = st.fixed_dictionaries(
        {
            name: st.sampled_from(WORLD_CODES[name]) if _may_stand_in(name, v) else st.just(v)
            for name, v in parameters.items()
        }
    )
    return st.integers(0, 3).flatmap(lambda n: world if n else st.just(parameters))


@schema.hooks.hook("map_case")
def _world_codes_in_coverage(ctx, case):
    """Coverage (boundary values of the body and query, no Hypothesis draws): the world's objects, chosen by a
    checksum of the case, unless the path itself is the invalid part."""
    meta = case.meta
    if meta is None or meta.phase.name != TestPhase.COVERAGE or not case.path_parameters:
        return case
    path = meta.components.get(ParameterLocation.PATH)
    if path is None or path.mode == GenerationMode.POSITIVE:
        seed = zlib.crc32(repr((case.body, case.query)).encode())
        case.path_parameters = {
            name: WORLD_CODES[name][seed % len(WORLD_CODES[name])] if name in WORLD_CODES else value
            for name, value in case.path_parameters.items()
        }
    return case


class _StubPDF:
    """WeasyPrint without its seconds of layout per PDF: the fuzz checks the API's answers, not documents."""

    def __init__(self, string: str = "", **kwargs: object) -> None:
        self.string = string

    def write_pdf(self, *args: object, **kwargs: object) -> bytes:
        return b"%PDF-1.7\n% stub of the schema fuzz\n%%EOF\n"


@pytest.fixture
def election_day(world, monkeypatch, settings):
    """The world with a tally in each state: U1/QH submitted, U1/XA a draft, U2 and U3 approved (so XA2 and
    XA3 are decided, QH1 and XA1 incomplete). Minutes are issued with a stub PDF; the voter lookup answers
    at once and lets a client ask fifty times a minute, so its input is checked more than its limit."""
    monkeypatch.setattr("results.minutes.rendering.HTML", _StubPDF)
    settings.VOTER_LOOKUP_MIN_SECONDS = 0
    settings.VOTER_LOOKUP_PER_CLIENT_PER_MINUTE = 50
    load(
        world.election,
        minutes("U2", "QH", qh_votes(610, 540, 505, 290, 95), listed=1005, voted=921, invalid=21),
        minutes("U3", "QH", qh_votes(590, 560, 480, 310, 120), listed=815, voted=715, invalid=15),
        minutes("U2", "XA", xa_votes("XA2", 600, 550, 200)),
        minutes("U3", "XA", xa_votes("XA3", 600, 550, 200)),
    )
    clerk = world.users["clerk_u1"]
    qh = tally_scope("world-2021", "U1", "QH")
    services.tally_save(scope=qh, payload=payload(good_qh()), version=None, by=clerk)
    services.tally_submit(scope=qh, by=clerk)
    xa = payload(good_qh(votes=xa_votes("XA1", 600, 550, 200)))
    services.tally_save(scope=tally_scope("world-2021", "U1", "XA"), payload=xa, version=None, by=clerk)
    return world


@pytest.fixture(autouse=True)
def _connection_kept_between_requests():
    """As Django's test client does: the end of a request must not close the test's connection (on PostgreSQL,
    the transaction the test runs in), so the requests go straight to the WSGI application without it."""
    request_started.disconnect(close_old_connections)
    request_finished.disconnect(close_old_connections)
    yield
    request_started.connect(close_old_connections)
    request_finished.connect(close_old_connections)


@pytest.fixture
def credentials(request, election_day):
    """The persona's token header: none for the public."""
    if request.param is None:
        return {}
    token = Token.objects.create(user=election_day.users[request.param])
    return {"Authorization": f"Token {token.key}"}


@pytest.mark.parametrize("credentials", [None, "clerk_u1", "committee_p"], indirect=True)
@schema.parametrize()
@hypothesis_settings(
    max_examples=MAX_EXAMPLES,
    derandomize=True,
    database=None,
    deadline=None,
    suppress_health_check=list(HealthCheck),
)
def test_the_api_answers_as_its_schema_says(case, credentials):
    case.call_and_validate(headers=credentials, checks=CHECKS)
