"""Open data: published results and published turnout as CSV and JSON, one dataset per level.

Results come only from the current publication of each constituency (never the live tallies); turnout
only once the election committee has made it public. Each dataset has the same columns in CSV and JSON.
Every time is the election's local time with its offset (2021-05-23T19:00:00+07:00), as in the NIST export.
"""

import datetime as dt
import json
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

from django.core.serializers.json import DjangoJSONEncoder
from django.utils.translation import gettext_lazy as _

from core.spreadsheets import csv_bytes
from elections.models import Area, Election
from public import selectors
from public.cache import Revision
from public.nist import local_time, report_status
from results.outcomes.constituency import FIGURES
from results.rules.percentages import percent

TOTALS = (*FIGURES[:2], "turnout_pct", *FIGURES[2:], "valid_pct", "invalid_pct")
PUBLICATION = ("publication", "publication_kind", "published_at")

Rows = list[dict[str, Any]]


@dataclass(frozen=True)
class Dataset:
    name: str
    title: Any
    description: Any
    columns: tuple[str, ...]
    rows: Callable[[Election, Revision], Rows]
    uses: tuple[str, ...]


def _pub(pub: Any) -> dict[str, Any]:
    when = local_time(pub.constituency.election, pub.published_at)
    return {"publication": pub.sequence, "publication_kind": pub.kind, "published_at": when}


def _report_time(election: Election, at: dt.time | None) -> str:
    """A turnout reporting time of election day (a clock time there) as a full local time."""
    return local_time(election, election.local_datetime(at)) if at else ""


def _base(pub: Any) -> dict[str, Any]:
    c = pub.constituency
    return {"election": c.election.slug, "contest": c.contest.code, "constituency": c.code, "round": pub.round}


def constituencies(election: Election, rev: Revision) -> Rows:
    rows = []
    for pub in selectors.published(election).select_related("constituency__election"):
        d = pub.data
        rows.append(
            {
                **_base(pub),
                "constituency_name": d["name"],
                "area": d.get("area", ""),
                "round_kind": d["round_kind"],
                "status": d["status"],
                "seats": d["seats"],
                "seats_filled": d["seats_filled"],
                "polling_units": d["polling_units"],
                "polling_units_counted": d["polling_units_counted"],
                **{k: d[k] for k in TOTALS},
                "elected": "; ".join(pub.winners),
                **_pub(pub),
                "correction_reason": pub.reason if pub.kind == "correction" else "",
            }
        )
    return rows


def candidates(election: Election, rev: Revision) -> Rows:
    return [
        {
            **_base(pub),
            "candidate": c["code"],
            "full_name": c["full_name"],
            "affiliation": c["affiliation"],
            "votes": c["votes"],
            "pct_of_valid": c["pct_of_valid"],
            "elected": c["elected"],
            **_pub(pub),
        }
        for pub in selectors.published(election).select_related("constituency__election")
        for c in pub.data["candidates"]
    ]


def units(election: Election, rev: Revision) -> Rows:
    return [
        {
            **_base(pub),
            "polling_unit": u["code"],
            "polling_unit_name": u["name"],
            "area": u["area"],
            "counted": u["counted"],
            **{k: u.get(k) for k in TOTALS},
            **_pub(pub),
        }
        for pub in selectors.published(election).select_related("constituency__election")
        for u in pub.units
    ]


def unit_votes(election: Election, rev: Revision) -> Rows:
    rows = []
    for pub in selectors.published(election).select_related("constituency__election"):
        names = {c["code"]: c["full_name"] for c in pub.data["candidates"]}
        for u in pub.units:
            for code, votes in (u.get("votes") or {}).items():
                rows.append(
                    {
                        **_base(pub),
                        "polling_unit": u["code"],
                        "candidate": code,
                        "full_name": names.get(code, ""),
                        "votes": votes,
                        **_pub(pub),
                    }
                )
    return rows


def contests(election: Election, rev: Revision) -> Rows:
    rows = []
    for contest in election.contests.all():
        t = selectors.contest_totals(contest)
        rows.append(
            {
                "election": election.slug,
                "contest": contest.code,
                "name": contest.name,
                "level": contest.level,
                "constituencies": t.constituencies,
                "constituencies_published": t.published,
                "seats": t.seats,
                "seats_published": t.seats_published,
                "seats_filled": t.seats_filled,
                **{k: v for k, v in t.figures.as_dict().items() if k in TOTALS},
                "corrections": t.corrections,
            }
        )
    return rows


def turnout_units(election: Election, rev: Revision) -> Rows:
    overview = selectors.turnout_overview(election, rev)
    if not overview.published:
        return []
    units = election.polling_units.select_related("area").order_by("code")
    rows = []
    for u in units:
        listed = overview.units.get(u.pk, (None, None, 0))[2]
        for at, voted in sorted(overview.unit_series.get(u.pk, {}).items()):
            rows.append(
                {
                    "election": election.slug,
                    "polling_unit": u.code,
                    "polling_unit_name": u.name,
                    "area": u.area.code,
                    "voters_on_list": listed,
                    "at": _report_time(election, at),
                    "voters_voted": voted,
                    "turnout_pct": percent(voted, listed),
                }
            )
    return rows


def turnout_areas(election: Election, rev: Revision) -> Rows:
    overview = selectors.turnout_overview(election, rev)
    if not overview.published:
        return []
    rows = []
    for a in Area.objects.filter(election=election).select_related("parent").order_by("path"):
        p = overview.areas.get(a.pk)
        rows.append(
            {
                "election": election.slug,
                "area": a.code,
                "name": a.name,
                "parent": a.parent.code if a.parent else "",
                "depth": a.depth,
                "at": _report_time(election, overview.as_of),
                "polling_units": p.units_total if p else 0,
                "polling_units_reported": p.units if p else 0,
                "voters_on_list": p.voters_on_list if p else 0,
                "voters_voted": p.voters_voted if p else 0,
                "turnout_pct": p.turnout_pct if p else "0.00",
            }
        )
    return rows


_C = ("election", "contest", "constituency", "round")
DATASETS: dict[str, Dataset] = {
    d.name: d
    for d in (
        Dataset(
            "results-constituencies",
            _("Results by constituency"),
            _("One row per published constituency: totals, status, seats filled, who is elected."),
            (
                *_C,
                "constituency_name",
                "area",
                "round_kind",
                "status",
                "seats",
                "seats_filled",
                "polling_units",
                "polling_units_counted",
                *TOTALS,
                "elected",
                *PUBLICATION,
                "correction_reason",
            ),
            constituencies,
            ("results",),
        ),
        Dataset(
            "results-candidates",
            _("Votes by candidate"),
            _("One row per candidate of a published constituency: votes, share of valid ballots, elected."),
            (*_C, "candidate", "full_name", "affiliation", "votes", "pct_of_valid", "elected", *PUBLICATION),
            candidates,
            ("results",),
        ),
        Dataset(
            "results-units",
            _("Results by polling unit"),
            _("One row per polling unit and contest of a published constituency: the figures of its minutes."),
            (*_C, "polling_unit", "polling_unit_name", "area", "counted", *TOTALS, *PUBLICATION),
            units,
            ("results",),
        ),
        Dataset(
            "results-unit-votes",
            _("Votes by polling unit and candidate"),
            _("One row per polling unit and candidate of a published constituency."),
            (*_C, "polling_unit", "candidate", "full_name", "votes", *PUBLICATION),
            unit_votes,
            ("results",),
        ),
        Dataset(
            "results-contests",
            _("Results by contest"),
            _("One row per contest: how many constituencies are published, and their totals."),
            (
                "election",
                "contest",
                "name",
                "level",
                "constituencies",
                "constituencies_published",
                "seats",
                "seats_published",
                "seats_filled",
                *TOTALS,
                "corrections",
            ),
            contests,
            ("results",),
        ),
        Dataset(
            "turnout-units",
            _("Turnout by polling unit"),
            _("One row per turnout report of a polling unit during election day."),
            (
                "election",
                "polling_unit",
                "polling_unit_name",
                "area",
                "voters_on_list",
                "at",
                "voters_voted",
                "turnout_pct",
            ),
            turnout_units,
            ("turnout",),
        ),
        Dataset(
            "turnout-areas",
            _("Turnout by area"),
            _("One row per area at the latest reporting time: units reported, voters, turnout."),
            (
                "election",
                "area",
                "name",
                "parent",
                "depth",
                "at",
                "polling_units",
                "polling_units_reported",
                "voters_on_list",
                "voters_voted",
                "turnout_pct",
            ),
            turnout_areas,
            ("turnout",),
        ),
    )
}


def _cell(value: Any) -> Any:
    # Times are already text in the rows (`local_time`), so CSV and JSON write them alike.
    if isinstance(value, bool):
        return "true" if value else "false"
    return value


def to_csv(columns: tuple[str, ...], rows: Rows) -> bytes:
    return csv_bytes(columns, ([_cell(r.get(c)) for c in columns] for r in rows))


def to_json(election: Election, dataset: Dataset, rows: Rows) -> bytes:
    doc = {
        "election": election.slug,
        "dataset": dataset.name,
        "columns": list(dataset.columns),
        "rows": [{c: r.get(c) for c in dataset.columns} for r in rows],
    }
    return json.dumps(doc, ensure_ascii=False, cls=DjangoJSONEncoder, separators=(",", ":")).encode()


def nist_status(election: Election) -> tuple[str, int]:
    return report_status(election)
