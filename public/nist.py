"""Published results in the NIST SP 1500-100 Election Results Common Data Format, version 2 (JSON and XML).

The report is built once, here, in the JSON notation; `public/nist_xml.py` writes the same report as XML.
The official schemas are kept in `public/schemas/` (`NIST_V2_election_results_reporting.json` and `.xsd`,
see SOURCE.md there) and the tests validate every export against them.

Mapping:
- each published constituency is a `CandidateContest` (the NIST "contest" is one district's race), whose
  district is a `ReportingUnit` of OtherType "constituency"; its candidates are `CandidateSelection`s with
  `VoteCounts` of Type "total" (and per polling unit, with `units`);
- areas are `ReportingUnit`s of OtherType "area" composing their sub-areas; polling units (with `units`)
  are Type "precinct";
- `Status`: "unofficial-partial" while some constituency in scope is not published yet, "certified" when
  every one is published as first confirmed by two committee members, "correction" when every one is
  published and at least one current result is a correction of an earlier publication;
- `SequenceStart`/`SequenceEnd`: the number of publications and corrections of the election so far, which
  grows with every new version of the data; `GeneratedDate`: the time of the newest of them, so the same
  data gives the same file whichever server builds it.
"""

import datetime as dt
import json
import zoneinfo
from collections.abc import Iterable
from typing import Any

from django.conf import settings
from django.db.models import Max

from elections.models import Area, Election, PollingUnit
from public import nist_xml, selectors
from results.models import ResultPublication

R = "ElectionResults."
VENDOR = "Kiểm Phiếu 0.1.0"


def _text(content: str, language: str = "vi") -> dict[str, Any]:
    return {
        "@type": R + "InternationalizedText",
        "Text": [{"@type": R + "LanguageString", "Content": content, "Language": language}],
    }


def _ext(value: str) -> list[dict[str, Any]]:
    return [{"@type": R + "ExternalIdentifier", "Type": "local-level", "Value": value}]


def report_status(election: Election, contest: str | None = None) -> tuple[str, int]:
    """(Status, sequence number) of the election's report, as described in the module's docstring."""
    cons = election.constituencies.all()
    pubs = ResultPublication.objects.filter(election=election)
    if contest:
        cons = cons.filter(contest__code=contest)
        pubs = pubs.filter(constituency__contest__code=contest)
    total = cons.count()
    current = pubs.filter(current=True)
    sequence = ResultPublication.objects.filter(election=election).count()
    if total == 0 or current.count() < total:
        return "unofficial-partial", sequence
    if current.filter(kind=ResultPublication.Kind.CORRECTION).exists():
        return "correction", sequence
    return "certified", sequence


def local_time(election: Election, when: dt.datetime) -> str:
    """`when` in the election's own time zone, to the second, with its offset: 2021-05-23T19:00:00+07:00.

    Every time of the open data is written so (the NIST report, the CSV and JSON datasets).
    """
    return when.astimezone(zoneinfo.ZoneInfo(election.time_zone)).isoformat(timespec="seconds")


def _when(election: Election, pubs: Iterable[ResultPublication]) -> str:
    newest = max((p.published_at for p in pubs), default=None)
    if newest is None:
        newest = ResultPublication.objects.filter(election=election).aggregate(m=Max("published_at"))["m"]
    if newest is None:
        newest = election.local_datetime(election.voting_opens)  # nothing published yet: the opening of the polls
    return local_time(election, newest)


def report(election: Election, *, contest: str | None = None, units: bool = False) -> dict[str, Any]:
    """The ElectionReport of the published results of `election` (one contest with `contest`)."""
    contest_obj = election.contests.filter(code=contest).first() if contest else None
    pubs = list(selectors.published(election, contest=contest_obj))
    status, sequence = report_status(election, contest)

    areas = list(Area.objects.filter(election=election).order_by("path"))
    area_gpu = {a.pk: f"gpu-area-{a.code}" for a in areas}
    children: dict[int | None, list[str]] = {}
    for a in areas:
        children.setdefault(a.parent_id, []).append(area_gpu[a.pk])
    unit_rows: dict[str, PollingUnit] = {}
    if units:
        codes = {u["code"] for p in pubs for u in p.units}
        unit_rows = {u.code: u for u in election.polling_units.filter(code__in=codes).select_related("area")}
        for u in sorted(unit_rows.values(), key=lambda u: u.code):
            children.setdefault(u.area_id, []).append(f"gpu-unit-{u.code}")

    gp_units: list[dict[str, Any]] = []
    for a in areas:
        gpu: dict[str, Any] = {
            "@id": area_gpu[a.pk],
            "@type": R + "ReportingUnit",
            "Type": "other",
            "OtherType": "area",
            "Name": _text(a.name),
            "ExternalIdentifier": _ext(a.code),
        }
        if children.get(a.pk):
            gpu["ComposingGpUnitIds"] = children[a.pk]
        gp_units.append(gpu)
    tops = children.get(None, [])
    if len(tops) == 1:
        scope = tops[0]
    else:
        scope = "gpu-election"
        gp_units.insert(
            0,
            {
                "@id": scope,
                "@type": R + "ReportingUnit",
                "Type": "other",
                "OtherType": "election",
                "Name": _text(election.name),
                "ComposingGpUnitIds": tops,
            },
        )
    gp_units.extend(
        {
            "@id": f"gpu-unit-{u.code}",
            "@type": R + "ReportingUnit",
            "Type": "precinct",
            "Name": _text(u.name),
            "ExternalIdentifier": _ext(u.code),
        }
        for u in sorted(unit_rows.values(), key=lambda u: u.code)
    )

    parties: dict[str, str] = {}
    for p in pubs:
        for c in [*p.data["candidates"], *p.data.get("elected_in_earlier_rounds", [])]:
            if c["affiliation"] and c["affiliation"] not in parties:
                parties[c["affiliation"]] = ""
    for i, name in enumerate(sorted(parties), start=1):
        parties[name] = f"party-{i}"

    candidates: list[dict[str, Any]] = []
    contests: list[dict[str, Any]] = []
    ballot_counts: list[dict[str, Any]] = []
    for seq, p in enumerate(pubs, start=1):
        d = p.data
        code = d["constituency"]
        district = f"gpu-cons-{code}"
        unit_ids = [f"gpu-unit-{u['code']}" for u in p.units if u["code"] in unit_rows]
        district_gpu = {
            "@id": district,
            "@type": R + "ReportingUnit",
            "Type": "other",
            "OtherType": "constituency",
            "Name": _text(d["name"]),
            "ExternalIdentifier": _ext(code),
            "VotersRegistered": d["voters_on_list"],
            "VotersParticipated": d["voters_voted"],
            "SubUnitsReported": d["polling_units_counted"],
            "TotalSubUnits": d["polling_units"],
        }
        if unit_ids:
            district_gpu["ComposingGpUnitIds"] = unit_ids
        gp_units.append(district_gpu)
        ballot_counts.append(
            {
                "@type": R + "BallotCounts",
                "GpUnitId": district,
                "Type": "total",
                "BallotsCast": d["ballots_received"],
                "BallotsRejected": d["invalid_ballots"],
                "Round": d["round"],
            }
        )
        selections = []
        decided = d["status"] == "decided"
        for order, c in enumerate(d["candidates"], start=1):
            cand_id = f"cand-{c['code']}"
            cand: dict[str, Any] = {"@id": cand_id, "@type": R + "Candidate", "BallotName": _text(c["full_name"])}
            if c["affiliation"]:
                cand["PartyId"] = parties[c["affiliation"]]
            if c["elected"]:
                cand["PostElectionStatus"] = "winner"
            elif decided:
                cand["PostElectionStatus"] = "defeated"
            candidates.append(cand)
            counts = [
                {
                    "@type": R + "VoteCounts",
                    "GpUnitId": district,
                    "Type": "total",
                    "Count": c["votes"],
                    "Round": d["round"],
                }
            ]
            for u in p.units:
                votes = (u.get("votes") or {}).get(c["code"])
                if u["code"] in unit_rows and votes is not None:
                    counts.append(
                        {
                            "@type": R + "VoteCounts",
                            "GpUnitId": f"gpu-unit-{u['code']}",
                            "Type": "total",
                            "Count": votes,
                            "Round": d["round"],
                        }
                    )
            selections.append(
                {
                    "@id": f"sel-{code}-{c['code']}",
                    "@type": R + "CandidateSelection",
                    "CandidateIds": [cand_id],
                    "SequenceOrder": order,
                    "VoteCounts": counts,
                }
            )
        candidates.extend(  # winners of round 1 who stay elected after an additional election
            {
                "@id": f"cand-{c['code']}",
                "@type": R + "Candidate",
                "BallotName": _text(c["full_name"]),
                "PostElectionStatus": "winner",
                **({"PartyId": parties[c["affiliation"]]} if c["affiliation"] else {}),
            }
            for c in d.get("elected_in_earlier_rounds", [])
        )
        contests.append(
            {
                "@id": f"contest-{code}",
                "@type": R + "CandidateContest",
                "Name": f"{p.constituency.contest.name} — {d['name']}",
                "ElectionDistrictId": district,
                "VotesAllowed": d["round_seats"],
                "NumberElected": d["seats"],
                "VoteVariation": "n-of-m" if d["round_seats"] > 1 else _single_seat_variation(election),
                "SequenceOrder": seq,
                "SubUnitsReported": d["polling_units_counted"],
                "TotalSubUnits": d["polling_units"],
                "ExternalIdentifier": _ext(code),
                "CountStatus": [{"@type": R + "CountStatus", "Type": "total", "Status": "completed"}],
                "ContestSelection": selections,
            }
        )

    published = len(pubs)
    total = (
        election.constituencies.filter(contest=contest_obj).count() if contest_obj else election.constituencies.count()
    )
    doc: dict[str, Any] = {
        "@type": R + "ElectionReport",
        "Format": "precinct-level" if units else "summary-contest",
        "GeneratedDate": _when(election, pubs),
        "Issuer": getattr(settings, "OPEN_DATA_ISSUER", "") or election.name,
        "IssuerAbbreviation": getattr(settings, "OPEN_DATA_ISSUER_ABBREVIATION", "") or election.slug,
        "SequenceStart": sequence,
        "SequenceEnd": sequence,
        "Status": status,
        "VendorApplicationId": VENDOR,
        "Notes": f"{published} of {total} constituencies published; only published results are included.",
        "GpUnit": gp_units,
        "Election": [
            {
                "@type": R + "Election",
                "Name": _text(election.name),
                "Type": "general",
                "StartDate": election.election_day.isoformat(),
                "EndDate": election.election_day.isoformat(),
                "ElectionScopeId": scope,
                "Candidate": candidates,
                "Contest": contests,
                "BallotCounts": ballot_counts,
                "ExternalIdentifier": _ext(election.slug),
            }
        ],
    }
    if parties:
        doc["Party"] = [
            {"@id": pid, "@type": R + "Party", "Name": _text(name)}
            for name, pid in sorted(parties.items(), key=lambda kv: kv[1])
        ]
    return doc


def _single_seat_variation(election: Election) -> str:
    return "majority" if election.rules == "vn-2015" else "plurality"


def report_bytes(election: Election, *, contest: str | None = None, units: bool = False, fmt: str = "json") -> bytes:
    """The report as a file: JSON, or (`fmt="xml"`) the same report in the notation of the XSD."""
    doc = report(election, contest=contest, units=units)
    if fmt == "xml":
        return nist_xml.to_xml(doc)
    return json.dumps(doc, ensure_ascii=False, indent=1).encode()
