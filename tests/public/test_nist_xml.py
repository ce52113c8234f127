"""The NIST SP 1500-100 v2 export in XML validates against the official XSD and carries the JSON's report."""

import hashlib
import json
from pathlib import Path

import pytest
from django.conf import settings
from django.test import Client
from lxml import etree

from public import nist, nist_xml
from results.permissions import tally_scope
from results.tallies import corrections
from tests.public.conftest import publish
from tests.results.conftest import payload
from tests.results.result_helpers import minutes

pytestmark = pytest.mark.django_db

XSD_PATH = Path(__file__).resolve().parents[2] / "public/schemas/NIST_V2_election_results_reporting.xsd"
SCHEMA = etree.XMLSchema(etree.parse(str(XSD_PATH)))
NS = {"n": "http://itl.nist.gov/ns/voting/1500-100/v2", "xsi": "http://www.w3.org/2001/XMLSchema-instance"}
XML_URL = "/public/world-2021/data/nist-1500-100.xml"
JSON_URL = "/public/world-2021/data/nist-1500-100.json"
QUERIES = ["", "?units=1", "?contest=XA", "?contest=XA&units=1", "?contest=QH"]


def xml_errors(body: bytes) -> list[str]:
    SCHEMA.validate(etree.fromstring(body))
    return [f"line {e.line}: {e.message}" for e in SCHEMA.error_log]


def test_the_xsd_file_is_the_official_one():
    # the file of usnistgov/ElectionResultsReporting recorded in public/schemas/SOURCE.md, unchanged
    assert hashlib.sha256(XSD_PATH.read_bytes()).hexdigest() == (
        "4520a63c6b233a200cba2027bb851b24ae298fae51ff09863e71858b3d7a38a6"
    )
    root = etree.parse(str(XSD_PATH)).getroot()
    assert (root.get("targetNamespace"), root.get("version")) == (NS["n"], "2.0.3")


@pytest.mark.parametrize("query", QUERIES)
def test_every_xml_export_validates_against_the_xsd(published, query):
    answer = Client().get(XML_URL + query)
    assert answer.status_code == 200
    assert xml_errors(answer.content) == []


def test_a_certified_and_a_corrected_report_validate_too(counted):
    world = counted.world
    publish(world, "QH1", first="board_qh1", second="committee_p")
    assert xml_errors(nist.report_bytes(world.election, contest="QH", fmt="xml")) == []
    scope = tally_scope("world-2021", "U1", "QH")
    body = minutes("U1", "QH", {"QH1-01": 600, "QH1-02": 590, "QH1-03": 541, "QH1-04": 229, "QH1-05": 97})
    correction = corrections.correction_propose(
        scope=scope, payload=payload(body), reason="typo", by=world.users["committee_p"]
    )
    corrections.correction_decide(
        scope=scope, correction_id=correction.pk, approve=True, by=world.users["committee_d1"]
    )
    root = etree.fromstring(nist.report_bytes(world.election, contest="QH", units=True, fmt="xml"))
    assert root.findtext("n:Status", namespaces=NS) == "correction"
    assert xml_errors(etree.tostring(root)) == []


def test_the_validation_refuses_a_broken_document(published):
    root = etree.fromstring(Client().get(XML_URL).content)
    root.find("n:Status", NS).text = "final"
    district = root.find("n:Election/n:Contest/n:ElectionDistrictId", NS)
    district.getparent().remove(district)
    found = xml_errors(etree.tostring(root))
    assert any("Status" in e and "final" in e for e in found), found
    assert any("Expected is one of" in e and "ElectionDistrictId" in e for e in found), found  # required, missing
    assert len(found) == 2


def _json_counts(doc):
    votes = {
        (s["@id"], v["GpUnitId"], v["Type"], v["Round"], float(v["Count"]))
        for c in doc["Election"][0]["Contest"]
        for s in c["ContestSelection"]
        for v in s["VoteCounts"]
    }
    ballots = {(b["GpUnitId"], b["BallotsCast"], b["BallotsRejected"]) for b in doc["Election"][0]["BallotCounts"]}
    voters = {(g["@id"], g.get("VotersRegistered"), g.get("VotersParticipated")) for g in doc["GpUnit"]}
    return votes, ballots, voters


def _xml_counts(root):
    def n(el, name):
        text = el.findtext(f"n:{name}", namespaces=NS)
        return None if text is None else int(text)

    votes = {
        (s.get("ObjectId"), v.findtext("n:GpUnitId", namespaces=NS), v.findtext("n:Type", namespaces=NS))
        + (n(v, "Round"), float(v.findtext("n:Count", namespaces=NS)))
        for s in root.iterfind("n:Election/n:Contest/n:ContestSelection", NS)
        for v in s.iterfind("n:VoteCounts", NS)
    }
    ballots = {
        (b.findtext("n:GpUnitId", namespaces=NS), n(b, "BallotsCast"), n(b, "BallotsRejected"))
        for b in root.iterfind("n:Election/n:BallotCounts", NS)
    }
    voters = {
        (g.get("ObjectId"), n(g, "VotersRegistered"), n(g, "VotersParticipated")) for g in root.iterfind("n:GpUnit", NS)
    }
    return votes, ballots, voters


@pytest.mark.parametrize("query", ["", "?units=1"])
def test_the_xml_and_the_json_carry_the_same_report(published, query):
    client = Client()
    doc = client.get(JSON_URL + query).json()
    root = etree.fromstring(client.get(XML_URL + query).content)
    votes, ballots, voters = _xml_counts(root)
    assert (votes, ballots, voters) == _json_counts(doc)
    assert (600.0 in {v[-1] for v in votes}) and len(ballots) == 1
    for field in ("Status", "GeneratedDate", "SequenceEnd", "Format", "Issuer"):
        assert root.findtext(f"n:{field}", namespaces=NS) == str(doc[field])
    assert root.findtext("n:GeneratedDate", namespaces=NS).endswith("+07:00")
    ids = {el.get("ObjectId") for el in root.iter() if el.get("ObjectId")}
    assert ids == {o["@id"] for o in _objects(doc)}
    contest = root.find("n:Election/n:Contest", NS)
    assert contest.get(f"{{{NS['xsi']}}}type") == "CandidateContest"
    name = root.find("n:Election/n:Name/n:Text", NS)
    assert (name.get("Language"), name.text) == ("vi", doc["Election"][0]["Name"]["Text"][0]["Content"])
    composing = root.find("n:GpUnit[@ObjectId='gpu-area-P']/n:ComposingGpUnitIds", NS).text
    assert composing == "gpu-area-D1 gpu-area-D2"  # a list of references is one element, ids apart by spaces


def _objects(value):
    if isinstance(value, dict):
        if "@id" in value:
            yield value
        for item in value.values():
            yield from _objects(item)
    elif isinstance(value, list):
        for item in value:
            yield from _objects(item)


def test_a_property_the_xsd_does_not_know_is_refused(published):
    doc = nist.report(published.world.election)
    assert xml_errors(nist_xml.to_xml(doc)) == []
    doc["Election"][0]["Contest"][0]["Winner"] = "cand-XA1-01"
    with pytest.raises(nist_xml.NotInSchema, match="CandidateContest has no Winner"):
        nist_xml.to_xml(doc)
    doc = json.loads(json.dumps(nist.report(published.world.election)))
    doc["GpUnit"][0]["@type"] = "ElectionResults.Precinct"
    with pytest.raises(nist_xml.NotInSchema, match="no type Precinct"):
        nist_xml.to_xml(doc)


def test_the_xml_address_answers_xml_like_the_json_one(published):
    client = Client()
    answer = client.get(XML_URL + "?units=1")
    assert answer.status_code == 200
    assert answer["Content-Type"] == "application/xml"
    assert answer["Content-Disposition"] == 'attachment; filename="world-2021-nist-1500-100-v2.xml"'
    assert answer["Access-Control-Allow-Origin"] == "*"
    assert answer.content.startswith(b"<?xml version='1.0' encoding='UTF-8'?>")
    again = client.get(XML_URL + "?units=1", HTTP_IF_NONE_MATCH=answer["ETag"])
    assert again.status_code == 304
    assert client.get(JSON_URL + "?units=1")["ETag"] != answer["ETag"]  # two files, two tags
    assert client.get(XML_URL + "?contest=NOPE").status_code == 404
    assert client.post(XML_URL).status_code == 405


def test_the_open_data_page_links_the_xml(published):
    client = Client()
    client.cookies[settings.LANGUAGE_COOKIE_NAME] = "en"
    page = client.get("/public/world-2021/data/").content.decode()
    assert f'href="{XML_URL}"' in page and f'href="{XML_URL}?units=1"' in page
    assert f'href="{JSON_URL}"' in page and f'href="{JSON_URL}?units=1"' in page
