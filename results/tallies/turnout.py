"""Turnout during the day: a unit's reports of how many have voted, each checked against the one before."""

from typing import Any

from django.db import transaction
from django.utils.translation import gettext_lazy as _

from core.errors import Problem
from core.types import Actor
from elections.audit import audit_log
from elections.audit_codes import AuditAction
from elections.models import PollingUnit
from results.models import Flag, Tally, TurnoutReport
from results.publication import services as publication
from results.rules import checks
from results.tallies.errors import TallyInvalid

Status = Tally.Status


@transaction.atomic
def turnout_report_save(
    *,
    unit: PollingUnit,
    at: Any,
    voters_voted: int,
    by: Actor,
    source: str = "",
    kind: str = TurnoutReport.Source.CLERK,
) -> tuple[TurnoutReport, list[checks.Finding]]:
    """Record voters who have voted so far at a reporting time; warn when the day's series goes down."""
    election = unit.election
    if at not in election.report_times():
        raise TallyInvalid(_("Not a reporting time of this election."), [Problem("at", _("is not a reporting time"))])
    registered = unit.registered_voters
    if registered is not None and voters_voted > registered:
        words = checks.message("turnout_above_list", {"voted": voters_voted, "listed": registered})
        raise TallyInvalid(_("More voters than on the list."), [Problem("voters_voted", words)])
    report = TurnoutReport.objects.select_for_update().filter(polling_unit=unit, at=at).first()
    before = None if report is None else {"at": at.isoformat("minutes"), "voters_voted": report.voters_voted}
    if report is None:
        report = TurnoutReport.objects.create(
            election=election, polling_unit=unit, at=at, voters_voted=voters_voted, reported_by=by, source=kind
        )
    elif report.voters_voted != voters_voted:
        report.voters_voted, report.reported_by, report.source = voters_voted, by, kind
        report.save()
    else:
        return report, []
    series = [
        (r.at.isoformat("minutes"), r.voters_voted)
        for r in TurnoutReport.objects.filter(polling_unit=unit).order_by("at")
    ]
    found = checks.turnout_series_goes_down(series)
    Flag.objects.filter(polling_unit=unit, code="turnout_series_down", status=Flag.Status.OPEN).delete()
    Flag.objects.bulk_create(
        Flag(
            election=election,
            polling_unit=unit,
            code=f.code,
            severity=f.severity,
            message=f.message,
            params=f.params,
            source=f"check: {f.source}",
        )
        for f in found
    )
    publication.public_changed(election.pk, turnout=True)
    audit_log(
        AuditAction.TURNOUT_REPORTED,
        user=by,
        election_slug=election.slug,
        object_type="turnout",
        object_key=f"{unit.code}@{at.isoformat('minutes')}",
        before=before,
        after={"at": at.isoformat("minutes"), "voters_voted": voters_voted, "source": kind},
        source=source,
    )
    return report, found
