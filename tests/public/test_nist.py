"""The NIST SP 1500-100 v2 export validates against the official JSON schema kept in the repository."""

import json
from pathlib import Path

import jsonschema
import pytest
from django.test import Client

from public import nist
from results.permissions import tally_scope
from results.tallies import corrections
from tests.public.conftest import publish
from tests.results.conftest import payload
from tests.results.result_helpers import minutes

pytestmark = pytest.mark.django_db

SCHEMA = json.loads(
    (Path(__file__).resolve().parents[2] / "public/schemas/NIST_V2_election_results_reporting.json").read_text()
)
VALIDATOR = jsonschema.Draft4Validator(SCHEMA, format_checker=jsonschema.Draft4Validator.FORMAT_CHECKER)
URL = "/public/world-2021/data/nist-1500-100.json"


def errors(doc):
    return [f"{'/'.join(map(str, e.absolute_path))}: {e.message}" for e in VALIDATOR.iter_errors(doc)]


def test_the_schema_file_is_the_official_one():
    assert SCHEMA["$ref"] == "#/definitions/ElectionResults.ElectionReport"
    assert SCHEMA["definitions"]["ElectionResults.ResultsStatus"]["enum"] == [
        "certified", "correction", "pre-election", "recount", "unofficial-complete", "unofficial-partial",
    ]  # fmt: skip
    assert len(SCHEMA["definitions"]) == 59


@pytest.mark.parametrize("query", ["", "?units=1", "?contest=XA", "?contest=XA&units=1", "?contest=QH"])
def test_every_export_validates(published, query):
    doc = Client().get(URL + query).json()
    assert errors(doc) == []


def test_the_validator_catches_a_broken_report(published):
    doc = Client().get(URL).json()
    doc["Status"] = "final"
    del doc["Election"][0]["Contest"][0]["ElectionDistrictId"]
    found = errors(doc)
    assert any("Status" in e for e in found)
    assert found  # the missing district is reported as well (inside a oneOf)


def test_the_content_of_the_export(published):
    doc = Client().get(URL + "?units=1").json()
    assert doc["Format"] == "precinct-level"
    assert doc["Status"] == "unofficial-partial"  # QH1, XA2 and XA3 are not published
    assert doc["SequenceStart"] == doc["SequenceEnd"] == 1
    election = doc["Election"][0]
    (contest,) = election["Contest"]
    assert contest["@id"] == "contest-XA1" and contest["VotesAllowed"] == 2 and contest["NumberElected"] == 2
    totals = {
        s["CandidateIds"][0]: [v["Count"] for v in s["VoteCounts"] if v["GpUnitId"] == "gpu-cons-XA1"]
        for s in contest["ContestSelection"]
    }
    assert totals == {"cand-XA1-01": [600], "cand-XA1-02": [500], "cand-XA1-03": [100]}
    per_unit = [v for s in contest["ContestSelection"] for v in s["VoteCounts"] if v["GpUnitId"] == "gpu-unit-U1"]
    assert len(per_unit) == 3
    statuses = {c["@id"]: c.get("PostElectionStatus") for c in election["Candidate"]}
    assert statuses == {"cand-XA1-01": "winner", "cand-XA1-02": "winner", "cand-XA1-03": "defeated"}
    gpus = {g["@id"]: g for g in doc["GpUnit"]}
    assert gpus["gpu-area-P"]["ComposingGpUnitIds"] == ["gpu-area-D1", "gpu-area-D2"]
    assert gpus["gpu-cons-XA1"]["VotersParticipated"] == 700
    assert election["ElectionScopeId"] == "gpu-area-P"


def test_status_and_sequence_follow_publications_and_corrections(counted):
    world = counted.world
    election = world.election
    assert nist.report_status(election) == ("unofficial-partial", 0)
    assert nist.report_status(election, "QH") == ("unofficial-partial", 0)
    publish(world, "QH1", first="board_qh1", second="committee_p")
    assert nist.report_status(election, "QH") == ("certified", 1)
    scope = tally_scope("world-2021", "U1", "QH")
    body = minutes("U1", "QH", {"QH1-01": 600, "QH1-02": 590, "QH1-03": 541, "QH1-04": 229, "QH1-05": 97})
    correction = corrections.correction_propose(
        scope=scope, payload=payload(body), reason="typo", by=world.users["committee_p"]
    )
    corrections.correction_decide(
        scope=scope, correction_id=correction.pk, approve=True, by=world.users["committee_d1"]
    )
    assert nist.report_status(election, "QH") == ("correction", 2)
    doc = nist.report(election, contest="QH")
    assert (doc["Status"], doc["SequenceEnd"]) == ("correction", 2)
    assert errors(doc) == []
    # the generation time is the newest publication's, in the election's time zone
    assert doc["GeneratedDate"].endswith("+07:00")
