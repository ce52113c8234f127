"""The deadlines board for boards and committees (issue 15, Why point 8): each contest in each area and each
constituency with its legal deadlines after election day, what is done and what is late, with the article.

Each view: access check, one selector, render.
"""

from django.contrib.auth.decorators import login_required
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import render
from django.utils.translation import gettext_lazy as _
from django.views.decorators.http import require_safe

from elections.permissions import access_area, access_election, grants_for
from elections.selectors import constituencies_visible
from results import permissions
from results.outcomes import deadlines
from results.rules import deadlines as law

KINDS = {
    law.COUNTING_MINUTES: _("Counting minutes of every polling unit reach the Election Board"),
    law.CONSTITUENCY_MINUTES: _("The Election Board's minutes of the constituency result"),
    law.UNIT_REVOTE: _("Re-vote held at every polling unit whose result was annulled"),
    law.SECOND_ROUND: _("Additional election or re-election held, or decided against"),
    law.CLOSED_BY_DECISION: _("Result settled by a decision of the competent body, with no further round"),
    law.SUMMARY_MINUTES_NA: _("The provincial Election Committee's National Assembly minutes"),
    law.SUMMARY_MINUTES_COUNCIL: _(
        "The Election Committee's summary minutes (no deadline of their own: by the announcement)"
    ),
    law.RESULTS_PUBLISHED: _("Result published"),
    law.ANNOUNCEMENT: _("Results announced: every constituency published"),
    law.COMPLAINTS_FILED: _("Complaints about the results may be filed"),
    law.COMPLAINT_SETTLED: _("Complaint about the results settled"),
}
STATUSES = {
    law.DONE_ON_TIME: _("done on time"),
    law.DONE_LATE: _("done late"),
    law.DUE: _("due"),
    law.LATE: _("late"),
    law.OPEN: _("open"),
    law.CLOSED: _("closed"),
    law.WAITING: _("from the announcement"),
    law.DECIDED: _("decided"),
}


@require_safe
@login_required
def deadline_board(request: HttpRequest, slug: str) -> HttpResponse:
    """Every deadline of the constituencies the reader may see (`?area=CODE`: of one area of theirs)."""
    election = access_election(request.user, slug)
    grants = grants_for(request.user, election)
    if not permissions.can_view_deadlines(grants):
        raise Http404("No such election")
    constituencies = constituencies_visible(election, grants)
    area = None
    code = request.GET.get("area", "").strip()
    if code:
        area = access_area(request.user, slug, code[:64])
        constituencies = constituencies.filter(area__path__startswith=area.path)
    late_only = request.GET.get("late") == "1"
    board = deadlines.deadline_board(election, constituencies)
    context = {
        "election": election,
        "area": area,
        "board": board,
        "late_only": late_only,
        "kinds": KINDS,
        "statuses": STATUSES,
    }
    return render(request, "results/deadlines.html", context)
