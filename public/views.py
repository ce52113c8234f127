"""The public site: no login, phone first, Vietnamese at /public/…, English at /en/public/….

Each page: find the election's public counters (one query), then answer from the cache or build the page
from the public selectors (published snapshots and published turnout only). Pages never read the
visitor's session or cookies, so a CDN may cache them by address.
"""

import datetime as dt
from typing import Any

from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, render
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils.translation import get_language
from django.utils.translation import gettext_lazy as _
from django.views.decorators.http import require_safe
from django_tables2 import RequestConfig

from elections.models import Area, Constituency, Election, PollingUnit
from public import cache, charts, nist, opendata, selectors
from public.filters import AreaFilter, ConstituencyFilter, UnitFilter
from public.tables import AreaTable, ConstituencyTable, PublishedUnitTable, UnitTable, candidate_columns, pct_value
from results.models import ResultPublication
from results.outcomes import charts as share_charts
from results.rules.percentages import percent

HTML = "text/html; charset=utf-8"


def _page(request: HttpRequest, template: str, context: dict[str, Any]) -> tuple[bytes, str]:
    return render_to_string(template, context, request=request).encode(), HTML


def _turnout_context(overview: selectors.TurnoutOverview, points: list[Any]) -> dict[str, Any]:
    chart = charts.turnout_chart(
        [(p.at, p.turnout_pct if p.reported else None) for p in points], opens=overview.opens, closes=overview.closes
    )
    latest = next((p for p in reversed(points) if p.reported), None)
    return {"turnout": overview, "points": points, "turnout_chart": chart, "latest_point": latest}


def _area_rows(election: Election, areas: list[Area], overview: selectors.TurnoutOverview) -> list[dict[str, Any]]:
    rows = []
    for a in areas:
        p = overview.areas.get(a.pk)
        rows.append(
            {
                "name": a.name,
                "code": a.code,
                "url": reverse("public:area", args=[election.slug, a.code]),
                "units": p.units if p else 0,
                "units_total": p.units_total if p else 0,
                # No unit has reported yet: a dash, not a count of 0 voters beside the results' own figures.
                "voters_on_list": p.voters_on_list if p and p.reported else None,
                "voters_voted": p.voters_voted if p and p.reported else None,
                "turnout": pct_value(p.turnout_pct if p and p.reported else None),
            }
        )
    return rows


def _unit_rows(
    election: Election, units: list[PollingUnit], overview: selectors.TurnoutOverview
) -> list[dict[str, Any]]:
    rows = []
    for u in units:
        at, voted, listed = overview.units.get(u.pk, (None, None, u.registered_voters or 0))
        rows.append(
            {
                "code": u.code,
                "name": u.name,
                "area": u.area.name,
                "url": reverse("public:unit", args=[election.slug, u.code]),
                "listed": listed,
                "at": at.strftime("%H:%M") if at else "",
                "voted": -1 if voted is None else voted,
                "turnout": pct_value(None if voted is None else _pct(voted, listed)),
            }
        )
    return rows


def _pct(part: int, whole: int) -> str:
    return percent(part, whole)


def _configured(request: HttpRequest, table: Any, per_page: int = 50) -> Any:
    RequestConfig(request, paginate={"per_page": per_page}).configure(table)
    return table


# --- pages --------------------------------------------------------------------------------------------


@require_safe
def election_list(request: HttpRequest) -> HttpResponse:
    response = render(request, "public/election_list.html", {"elections": Election.objects.all()})
    response["Cache-Control"] = "public, max-age=60"
    return response


@require_safe
def election_home(request: HttpRequest, slug: str) -> HttpResponse:
    rev = cache.revision(slug)

    def build() -> tuple[bytes, str]:
        election = Election.objects.get(pk=rev.election_id)
        overview = selectors.turnout_overview(election, rev)
        areas = AreaFilter(request.GET or None, queryset=selectors.top_areas(election), prefix="a")
        table = _configured(request, AreaTable(_area_rows(election, list(areas.qs), overview), prefix="a-"))
        context = {
            "election": election,
            "contests": selectors.contest_progress(election),
            "area_table": table,
            "area_filter": areas,
            **_turnout_context(overview, overview.series),
        }
        return _page(request, "public/election_home.html", context)

    return cache.respond(request, rev, build)


@require_safe
def area_detail(request: HttpRequest, slug: str, code: str) -> HttpResponse:
    rev = cache.revision(slug)

    def build() -> tuple[bytes, str]:
        area = get_object_or_404(Area.objects.select_related("election"), election_id=rev.election_id, code=code)
        election = area.election
        overview = selectors.turnout_overview(election, rev)
        children = AreaFilter(request.GET or None, queryset=area.children.order_by("code"), prefix="a")
        cons = ConstituencyFilter(
            request.GET or None,
            queryset=selectors.constituency_rows(election).filter(selectors.constituencies_in(area)),
            election=election,
            prefix="c",
        )
        units = UnitFilter(request.GET or None, queryset=selectors.units_under(area).order_by("code"), prefix="u")
        unit_ids = list(selectors.units_under(area).values_list("pk", flat=True))
        context = {
            "election": election,
            "area": area,
            "ancestors": _ancestors(area),
            "area_table": _configured(
                request, AreaTable(_area_rows(election, list(children.qs), overview), prefix="a-")
            ),
            "area_filter": children,
            "has_children": area.children.exists(),
            "cons_table": _configured(request, ConstituencyTable(cons.qs, prefix="c-")),
            "cons_filter": cons,
            "unit_table": _configured(request, UnitTable(_unit_rows(election, list(units.qs), overview), prefix="u-")),
            "unit_filter": units,
            **_turnout_context(overview, selectors.area_series(overview, unit_ids)),
        }
        return _page(request, "public/area_detail.html", context)

    return cache.respond(request, rev, build)


def _ancestors(area: Area) -> list[Area]:
    ids = [int(p) for p in area.path.strip("/").split("/") if p][:-1]
    found = {a.pk: a for a in Area.objects.filter(pk__in=ids)}
    return [found[i] for i in ids if i in found]


@require_safe
def contest_detail(request: HttpRequest, slug: str, code: str) -> HttpResponse:
    rev = cache.revision(slug)

    def build() -> tuple[bytes, str]:
        election = Election.objects.get(pk=rev.election_id)
        contest = get_object_or_404(election.contests, code=code)
        totals = selectors.contest_totals(contest)
        cons = ConstituencyFilter(
            request.GET or None,
            queryset=selectors.constituency_rows(election).filter(contest=contest),
            election=election,
            prefix="c",
        )
        del cons.filters["contest"]  # the page is the contest's
        shown = totals.affiliations[:12]
        chart = (
            share_charts.share_chart(
                [(a.name or "—", a.pct_of_votes, a.seats_won > 0) for a in shown], majority_line=False
            )
            if shown and totals.published
            else None
        )
        context = {
            "election": election,
            "contest": contest,
            "totals": totals,
            "cons_table": _configured(request, ConstituencyTable(cons.qs, prefix="c-", exclude=("contest",))),
            "cons_filter": cons,
            "chart": chart,
        }
        return _page(request, "public/contest_detail.html", context)

    return cache.respond(request, rev, build, uses=("results",))


DECISION_WORDS = {
    "additional": _("Additional election called"),
    "re_election": _("Re-election called"),
    "annulment": _("Result annulled, re-election called"),
    "seats_left_vacant": _("Seats left vacant"),
    "tie_settled": _("Tie settled"),
}


def _decisions(recorded: list[dict[str, Any]]) -> list[dict[str, Any]]:
    """The published result's recorded decisions (CONTRACT §10), worded for the page: what, by whom, when."""
    rows = []
    for d in recorded:
        try:
            day: Any = dt.date.fromisoformat(str(d.get("date", "")))
        except ValueError:
            day = d.get("date", "")
        rows.append({**d, "what": DECISION_WORDS.get(d.get("kind", ""), d.get("kind", "")), "day": day})
    return rows


@require_safe
def constituency_detail(request: HttpRequest, slug: str, code: str) -> HttpResponse:
    rev = cache.revision(slug)

    def build() -> tuple[bytes, str]:
        cons = get_object_or_404(
            Constituency.objects.select_related("election", "contest", "area"), election_id=rev.election_id, code=code
        )
        election = cons.election
        version = request.GET.get("version", "")
        pub = selectors.current_publication(cons, int(version) if version.isdigit() else None)
        if version and pub is None:
            raise Http404("No such version")
        overview = selectors.turnout_overview(election, rev)
        unit_qs = PollingUnit.objects.filter(memberships__constituency=cons).select_related("area").order_by("code")
        context: dict[str, Any] = {
            "election": election,
            "constituency": cons,
            "publication": pub,
            "history": selectors.publication_history(cons),
            "candidates": cons.candidates.order_by("ballot_order"),
            "progress": selectors.constituency_rows(election).filter(pk=cons.pk).first(),
            **_turnout_context(overview, selectors.area_series(overview, [u.pk for u in unit_qs])),
        }
        if pub is not None:
            data = pub.data
            context["result"] = data
            context["minutes"] = selectors.constituency_minutes(cons, pub.round)
            worded = data.get("reasons_text", {})
            context["reasons"] = worded.get(get_language()) or [r["message"] for r in data.get("reasons", [])]
            context["decisions"] = _decisions(data.get("decisions") or [])
            context["chart"] = share_charts.share_chart(
                [(c["full_name"], c["pct_of_valid"], c["elected"]) for c in data["candidates"]],
                majority_line=election.rules == "vn-2015",
            )
            rows = []
            for u in pub.units:
                row = {**u, "url": reverse("public:unit", args=[election.slug, u["code"]])}
                row["turnout"] = pct_value(u.get("turnout_pct"))
                for i, c in enumerate(data["candidates"]):
                    row[f"v{i}"] = (u.get("votes") or {}).get(c["code"], "—")
                rows.append(row)
            table = PublishedUnitTable(rows, extra_columns=candidate_columns(data["candidates"]), prefix="u-")
            context["unit_table"] = _configured(request, table)
            context["later_round"] = cons.current_round > pub.round
        else:
            units = UnitFilter(request.GET or None, queryset=unit_qs, prefix="u")
            context["unit_filter"] = units
            context["unit_table"] = _configured(
                request, UnitTable(_unit_rows(election, list(units.qs), overview), prefix="u-")
            )
        return _page(request, "public/constituency_detail.html", context)

    return cache.respond(request, rev, build)


@require_safe
def unit_detail(request: HttpRequest, slug: str, code: str) -> HttpResponse:
    rev = cache.revision(slug)

    def build() -> tuple[bytes, str]:
        unit = get_object_or_404(
            PollingUnit.objects.select_related("election", "area"), election_id=rev.election_id, code=code
        )
        election = unit.election
        overview = selectors.turnout_overview(election, rev)
        contests = []
        for m in unit.memberships.select_related("contest", "constituency").order_by("contest__position"):
            pub = ResultPublication.objects.filter(constituency=m.constituency, current=True).first()
            figures = next((u for u in (pub.units if pub else []) if u["code"] == unit.code), None)
            votes = []
            if pub is not None and figures is not None and figures.get("counted"):
                for c in pub.data["candidates"]:
                    n = (figures.get("votes") or {}).get(c["code"])
                    if n is not None:
                        votes.append((c, n, _pct(n, figures["valid_ballots"])))
            contests.append({"membership": m, "publication": pub, "figures": figures, "votes": votes})
        context = {
            "election": election,
            "unit": unit,
            "ancestors": [*_ancestors(unit.area), unit.area],
            "contests": contests,
            "listed": overview.units.get(unit.pk, (None, None, unit.registered_voters or 0))[2],
            **_turnout_context(overview, selectors.area_series(overview, [unit.pk])),
        }
        return _page(request, "public/unit_detail.html", context)

    return cache.respond(request, rev, build)


# --- open data --------------------------------------------------------------------------------------------


@require_safe
def open_data(request: HttpRequest, slug: str) -> HttpResponse:
    rev = cache.revision(slug)

    def build() -> tuple[bytes, str]:
        election = Election.objects.get(pk=rev.election_id)
        context = {
            "election": election,
            "datasets": opendata.DATASETS,
            "published": ResultPublication.objects.filter(election=election, current=True).count(),
            "constituencies": election.constituencies.count(),
            "nist_status": opendata.nist_status(election),
        }
        return _page(request, "public/open_data.html", context)

    return cache.respond(request, rev, build)


@require_safe
def download(request: HttpRequest, slug: str, name: str, fmt: str) -> HttpResponse:
    rev = cache.revision(slug)
    dataset = opendata.DATASETS.get(name)
    if dataset is None or fmt not in ("csv", "json"):
        raise Http404("No such dataset")

    def build() -> tuple[bytes, str]:
        election = Election.objects.get(pk=rev.election_id)
        rows = dataset.rows(election, rev)
        if fmt == "csv":
            return opendata.to_csv(dataset.columns, rows), "text/csv; charset=utf-8"
        return opendata.to_json(election, dataset, rows), "application/json"

    filename = f"{slug}-{name}.{fmt}"
    return cache.respond(
        request,
        rev,
        build,
        uses=dataset.uses,
        headers={"Content-Disposition": f'attachment; filename="{filename}"', "Access-Control-Allow-Origin": "*"},
    )


NIST_TYPES = {"json": "application/json", "xml": "application/xml"}


@require_safe
def nist_export(request: HttpRequest, slug: str, fmt: str = "json") -> HttpResponse:
    """The NIST SP 1500-100 v2 report, as JSON or XML (the same report; `?contest=CODE`, `?units=1`)."""
    rev = cache.revision(slug)
    if fmt not in NIST_TYPES:
        raise Http404("No such format")
    contest = request.GET.get("contest") or None
    units = request.GET.get("units") in ("1", "true", "yes")

    def build() -> tuple[bytes, str]:
        election = Election.objects.get(pk=rev.election_id)
        if contest and not election.contests.filter(code=contest).exists():
            raise Http404("No such contest")
        return nist.report_bytes(election, contest=contest, units=units, fmt=fmt), NIST_TYPES[fmt]

    return cache.respond(
        request,
        rev,
        build,
        uses=("results",),
        headers={
            "Content-Disposition": f'attachment; filename="{slug}-nist-1500-100-v2.{fmt}"',
            "Access-Control-Allow-Origin": "*",
        },
    )
