"""Pages of the election structure. Each view: access check, one selector, render."""

from dataclasses import dataclass

from django.contrib.auth.decorators import login_required
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.templatetags.static import static
from django.views.decorators.http import require_safe
from django_tables2 import RequestConfig

from core.offline import offline_page
from elections import selectors, wording
from elections.filters import ConstituencyFilter, PollingUnitFilter
from elections.models import Contest, Election, Role
from elections.permissions import (
    Action,
    access_area,
    access_constituency,
    access_election,
    access_polling_unit,
    can_area,
    can_polling_unit,
    grants_for,
)
from office.elections.tables import ConstituencyTable, PollingUnitTable
from results import permissions
from results.models import Tally
from results.outcomes.deadlines import deadline_board
from results.publication import services as publication
from results.tallies.selectors import UnitContest, queue_counts, review_queue, unit_contests

PAGE_SIZE = 50


def favicon(request: HttpRequest) -> HttpResponse:
    """Browsers ask for /favicon.ico whatever the page says."""
    return redirect(static("favicon.svg"), permanent=True)


@dataclass
class HomeEntry:
    """An election on the home page: the person's roles, what waits for their review and the contests whose
    results page opens for them (decided by the permission that page applies, so every link answers)."""

    election: Election
    roles: list[selectors.HomeRole]
    waiting: int
    result_contests: list[Contest]
    unit_tallies: list[UnitContest]  # a clerk's units: each contest's status and next step (issue 16)
    overdue_deadlines: int = 0  # a board's or committee's deadlines passed with the work not done (issue 15)


def _home_entry(user: object, found: selectors.HomeElection) -> HomeEntry:
    grants = grants_for(user, found.election)
    reviews = permissions.can_open_review_queue(grants)
    waiting = queue_counts(review_queue(found.election, grants)).get(Tally.Status.SUBMITTED, 0) if reviews else 0
    result_contests = list(permissions.contests_with_results(found.election, grants)) if reviews else []
    clerk_units = [r.assignment.polling_unit for r in found.roles if r.assignment.role == Role.CLERK]
    unit_tallies = [row for unit in clerk_units if unit is not None for row in unit_contests(unit)]
    overdue = 0
    if grants.board_constituencies or grants.committee_paths:
        overdue = deadline_board(found.election, selectors.constituencies_visible(found.election, grants)).overdue
    return HomeEntry(found.election, found.roles, waiting, result_contests, unit_tallies, overdue)


@require_safe
@login_required
def home(request: HttpRequest) -> HttpResponse:
    entries = [_home_entry(request.user, found) for found in selectors.home_for_user(request.user)]
    # Staff hold no role but may read everything: list the elections for them.
    all_elections = Election.objects.all() if request.user.is_staff and not entries else []
    return render(request, "elections/home.html", {"entries": entries, "all_elections": all_elections})


@require_safe
@login_required
def election_detail(request: HttpRequest, slug: str) -> HttpResponse:
    election = access_election(request.user, slug)
    grants = grants_for(request.user, election)
    constituencies = selectors.constituencies_visible(election, grants).select_related("contest", "election")
    units = selectors.polling_units_visible(election, grants).select_related("area", "election")
    cons_filter = ConstituencyFilter(request.GET or None, queryset=constituencies, election=election, prefix="c")
    unit_filter = PollingUnitFilter(request.GET or None, queryset=units, prefix="u")
    cons_table = ConstituencyTable(cons_filter.qs, prefix="c-")
    unit_table = PollingUnitTable(unit_filter.qs, prefix="u-")
    RequestConfig(request, paginate={"per_page": PAGE_SIZE}).configure(cons_table)
    RequestConfig(request, paginate={"per_page": PAGE_SIZE}).configure(unit_table)
    context = {
        "election": election,
        "contests": election.contests.all(),
        "cons_table": cons_table,
        "unit_table": unit_table,
        "cons_filter": cons_filter,
        "unit_filter": unit_filter,
        "findings_count": len(selectors.structure_findings(election, grants=grants)),
        "can_publish_turnout": permissions.can_publish_turnout(grants),
        "turnout_public": publication.turnout_is_public(election),
        "can_view_deadlines": permissions.can_view_deadlines(grants),
    }
    return render(request, "elections/election_detail.html", context)


@require_safe
@login_required
def election_checks(request: HttpRequest, slug: str) -> HttpResponse:
    election = access_election(request.user, slug)
    findings = selectors.structure_findings(election, grants=grants_for(request.user, election))
    words = [(f, wording.finding_text(f.finding), wording.finding_article(f.finding)) for f in findings]
    return render(request, "elections/checks.html", {"election": election, "findings": words})


@require_safe
@login_required
def area_detail(request: HttpRequest, slug: str, code: str) -> HttpResponse:
    area = access_area(request.user, slug, code, need=Action.VIEW)
    cons_filter = ConstituencyFilter(
        request.GET or None,
        queryset=selectors.constituencies_of_area(area).select_related("contest", "election"),
        election=area.election,
        prefix="c",
    )
    unit_filter = PollingUnitFilter(
        request.GET or None,
        queryset=selectors.polling_units_of_area(area).select_related("area", "election"),
        prefix="u",
    )
    cons_table = ConstituencyTable(cons_filter.qs, prefix="c-")
    unit_table = PollingUnitTable(unit_filter.qs, prefix="u-")
    RequestConfig(request, paginate={"per_page": PAGE_SIZE}).configure(cons_table)
    RequestConfig(request, paginate={"per_page": PAGE_SIZE}).configure(unit_table)
    context = {
        "election": area.election,
        "area": area,
        "children": area.children.order_by("code"),
        "can_manage": can_area(grants_for(request.user, area.election), area, Action.MANAGE),
        "cons_table": cons_table,
        "unit_table": unit_table,
        "cons_filter": cons_filter,
        "unit_filter": unit_filter,
    }
    return render(request, "elections/area_detail.html", context)


@require_safe
@login_required
def constituency_detail(request: HttpRequest, slug: str, code: str) -> HttpResponse:
    constituency = access_constituency(request.user, slug, code, need=Action.VIEW)
    unit_filter = PollingUnitFilter(
        request.GET or None, queryset=constituency.polling_units.select_related("area", "election"), prefix="u"
    )
    unit_table = PollingUnitTable(unit_filter.qs, prefix="u-")
    RequestConfig(request, paginate={"per_page": PAGE_SIZE}).configure(unit_table)
    context = {
        "election": constituency.election,
        "constituency": constituency,
        "candidates": constituency.candidates.order_by("ballot_order"),
        "unit_table": unit_table,
        "unit_filter": unit_filter,
    }
    return render(request, "elections/constituency_detail.html", context)


@require_safe
@offline_page
@login_required
def polling_unit_detail(request: HttpRequest, slug: str, code: str) -> HttpResponse:
    unit = access_polling_unit(request.user, slug, code, need=Action.VIEW)
    grants = grants_for(request.user, unit.election)
    constituency_ids = set(unit.memberships.values_list("constituency_id", flat=True))
    context = {
        "election": unit.election,
        "unit": unit,
        "contests": unit_contests(unit),
        "can_enter": can_polling_unit(grants, unit, Action.ENTER, constituency_ids=constituency_ids),
        "reviews": grants.board_constituencies & constituency_ids or grants.covers_path(unit.area.path),
    }
    return render(request, "elections/polling_unit_detail.html", context)
