"""Access to the tallies of a polling unit for one contest (interfaces §6-7).

A tally belongs to a unit and to the unit's constituency for the contest: the unit's clerk enters
it; the board of that constituency (not of the unit's other constituencies) or a committee above
the unit reviews it; a committee above the unit annuls or corrects it. The API answers 403 to
anyone else (interfaces §7); an unknown unit or contest is 404.
"""

from dataclasses import dataclass

from django.core.exceptions import PermissionDenied
from django.db.models import QuerySet
from django.http import Http404
from django.utils.translation import gettext as _

from elections.models import Area, Constituency, Contest, Election, PollingUnit, PollingUnitConstituency
from elections.permissions import Action, Grants, can_area, can_constituency, can_election, grants_for
from elections.selectors import constituencies_visible
from results.models import ConstituencyResult, Flag


@dataclass(frozen=True)
class TallyScope:
    """Where a tally lives: the unit, the contest and the unit's constituency for that contest."""

    election: Election
    unit: PollingUnit
    contest: Contest
    constituency: Constituency


def can_tally(grants: Grants, scope: TallyScope, action: Action) -> bool:
    if grants.superuser:
        return True
    is_committee = grants.covers_path(scope.unit.area.path)
    if action == Action.VIEW:
        return (
            grants.staff
            or grants.auditor
            or scope.unit.pk in grants.clerk_units
            or scope.constituency.pk in grants.board_constituencies
            or is_committee
        )
    if action == Action.ENTER:
        return scope.unit.pk in grants.clerk_units
    if action == Action.REVIEW:
        return scope.constituency.pk in grants.board_constituencies or is_committee
    if action == Action.MANAGE:
        return is_committee
    return False


def tally_action_need(action: str) -> Action:
    """What a reviewer's action on a tally needs: returning or approving is a review (the constituency's board or a
    committee above the unit); annulling, corrections and any other action need a committee above the unit."""
    return Action.REVIEW if action in ("return", "approve") else Action.MANAGE


def tally_scope(slug: str, unit_code: str, contest_code: str) -> TallyScope:
    membership = (
        PollingUnitConstituency.objects.filter(
            polling_unit__election__slug=slug, polling_unit__code=unit_code, contest__code=contest_code
        )
        .select_related("polling_unit__area", "polling_unit__election", "contest", "constituency")
        .first()
    )
    if membership is None:
        raise Http404("No such polling unit or contest")
    unit = membership.polling_unit
    return TallyScope(unit.election, unit, membership.contest, membership.constituency)


def access_tally(user: object, slug: str, unit_code: str, contest_code: str, *, need: Action) -> TallyScope:
    scope = tally_scope(slug, unit_code, contest_code)
    if not can_tally(grants_for(user, scope.election), scope, need):
        raise PermissionDenied(_("Your role does not allow this on this tally."))
    return scope


# --- results beyond one tally: publication, flags, further rounds, an area's minutes ----------------------------


def can_publish(grants: Grants, constituency: Constituency) -> bool:
    """A board member of the constituency or a committee member above it (interfaces §9)."""
    return can_constituency(grants, constituency, Action.MANAGE)


def can_publish_turnout(grants: Grants) -> bool:
    """The election committee of a top-level area (it manages the whole election)."""
    return can_election(grants, Action.MANAGE)


def _flag_paths(flag: Flag) -> list[str]:
    paths = []
    if flag.polling_unit_id:
        paths.append(flag.polling_unit.area.path)
    if flag.constituency_id:
        paths.append(flag.constituency.area.path)
    return paths


def can_view_flag(grants: Grants, flag: Flag) -> bool:
    if grants.superuser or grants.staff or grants.auditor:
        return True
    if flag.constituency_id and flag.constituency_id in grants.board_constituencies:
        return True
    if any(grants.covers_path(p) for p in _flag_paths(flag)):
        return True
    # a unit's own flag (its turnout) concerns the board of every constituency the unit votes in, as the list of
    # flags (results.tallies.selectors.flags_visible) shows it to them
    return bool(
        flag.constituency_id is None
        and flag.polling_unit_id
        and grants.board_constituencies
        and PollingUnitConstituency.objects.filter(
            polling_unit_id=flag.polling_unit_id, constituency_id__in=grants.board_constituencies
        ).exists()
    )


def can_resolve_flag(grants: Grants, flag: Flag) -> bool:
    """An election committee above the flag's unit (or constituency) resolves it; superusers too."""
    return grants.superuser or any(grants.covers_path(p) for p in _flag_paths(flag))


def can_resolve_any(grants: Grants) -> bool:
    return grants.superuser or bool(grants.committee_paths)


def can_decide_round(grants: Grants, constituency: Constituency) -> bool:
    """Only an election committee above the constituency decides a further round (Arts. 79-80), not its board."""
    return grants.superuser or grants.covers_path(constituency.area.path)


def can_build_minutes_zip(grants: Grants, area: Area) -> bool:
    """Starting (or retrying) the ZIP of an area's minutes writes a job and spends the server's time: a committee
    of the area or above, not a read-only auditor who may only look at the area."""
    return can_area(grants, area, Action.MANAGE)


def access_constituency_result(user: object, slug: str, code: str) -> tuple[Constituency, bool]:
    """A constituency and whether `user` may see its unpublished data (its board, the committees above,
    auditors, staff); anyone else only once its current round is published, and 404 before."""
    cons = (
        Constituency.objects.filter(election__slug=slug, code=code)
        .select_related("election", "contest", "area")
        .first()
    )
    if cons is None:
        raise Http404("No such constituency")
    if can_constituency(grants_for(user, cons.election), cons, Action.VIEW):
        return cons, True
    if not ConstituencyResult.objects.filter(constituency=cons, round=cons.current_round, published=True).exists():
        raise Http404("No such constituency")
    return cons, False


def can_open_review_queue(grants: Grants) -> bool:
    """The review queue is for boards, committees, auditors and staff; a clerk works from the unit's page."""
    return bool(
        grants.superuser or grants.staff or grants.auditor or grants.board_constituencies or grants.committee_paths
    )


def can_view_deadlines(grants: Grants) -> bool:
    """The deadlines board is for the boards and committees whose deadlines they are, auditors and staff; a clerk's
    one deadline (the counting minutes, Art. 76(3)) is on the unit's own page."""
    return can_open_review_queue(grants)


def contests_with_results(election: Election, grants: Grants) -> QuerySet[Contest]:
    """The contests whose results page (office) opens for `grants`: each with a constituency they may see. The
    page shows those constituencies (and the contest's totals when they are all of them) and answers 404 for any
    other contest; the home page links to exactly these, so a link and its page cannot disagree."""
    return election.contests.filter(pk__in=constituencies_visible(election, grants).values("contest_id"))


def can_see_whole_contest(user: object, election: Election, contest: Contest) -> bool:
    """Before publication a contest's totals are for those who may see every one of its constituencies."""
    grants = grants_for(user, election)
    if grants.superuser or grants.staff or grants.auditor:
        return True
    mine = constituencies_visible(election, grants).filter(contest=contest).count()
    return mine > 0 and mine == contest.constituencies.count()
