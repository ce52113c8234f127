"""Reads of election day: the review queue, a unit's contests with their tallies, a tally's history."""

from dataclasses import dataclass
from typing import Any

from django.db.models import Count, IntegerField, OuterRef, Q, QuerySet, Subquery, Value
from django.db.models.functions import Coalesce
from django.utils.translation import gettext_lazy as _

from elections.models import AuditEntry, Election, PollingUnit, PollingUnitConstituency
from elections.permissions import Grants
from results.models import Flag, ResultPublication, SecondEntry, Tally, TallyCorrection, TallyDraft, TurnoutReport
from results.tallies.records import draft_place

NOT_REPORTED = "not_reported"


def _current_tally(field: str) -> Subquery:
    return Subquery(
        Tally.objects.filter(
            polling_unit=OuterRef("polling_unit"),
            contest=OuterRef("contest"),
            round=OuterRef("constituency__current_round"),
        )
        .order_by("-attempt")
        .values(field)[:1]
    )


def unit_contest_flags(unit: Any, constituency: Any) -> Q:
    """The flags that concern one unit in one constituency: its tallies' and the unit's own (its turnout reports).

    The one definition behind every flag count and list (the review queue, the tally page, the flag list), so
    they cannot disagree.
    """
    return Q(polling_unit=unit) & (Q(constituency=constituency) | Q(constituency__isnull=True))


def review_queue(election: Election, grants: Grants) -> QuerySet[PollingUnitConstituency]:
    """Every unit x contest a reviewer oversees, with its current tally's status and open flags."""
    qs = PollingUnitConstituency.objects.filter(polling_unit__election=election)
    if not (grants.superuser or grants.staff or grants.auditor):
        scope = Q(constituency_id__in=grants.board_constituencies)
        for path in grants.committee_paths:
            scope |= Q(polling_unit__area__path__startswith=path)
        qs = qs.filter(scope)
    open_flags = (
        Flag.objects.filter(
            unit_contest_flags(OuterRef("polling_unit"), OuterRef("constituency")), status=Flag.Status.OPEN
        )
        .values("polling_unit")
        .annotate(n=Count("pk"))
        .values("n")
    )
    return (
        qs.select_related("polling_unit__area", "contest", "constituency")
        .annotate(
            tally_status=Coalesce(_current_tally("status"), Value(NOT_REPORTED)),
            tally_version=_current_tally("version"),
            tally_updated=_current_tally("updated_at"),
            open_flags=Coalesce(Subquery(open_flags, output_field=IntegerField()), Value(0)),
        )
        .order_by("polling_unit__code", "contest__position")
    )


def queue_counts(queue: QuerySet[PollingUnitConstituency]) -> dict[str, int]:
    counts = {row["tally_status"]: row["n"] for row in queue.order_by().values("tally_status").annotate(n=Count("pk"))}
    counts["flagged"] = queue.filter(open_flags__gt=0).count()
    return counts


@dataclass
class UnitContest:
    """One contest of a polling unit: its current tally, a draft kept as typed over it, and what to do next."""

    membership: PollingUnitConstituency
    tally: Tally | None
    draft: TallyDraft | None = None
    published: bool = False  # the constituency's result is public
    second_missing: bool = False  # double entry: the first entry is saved, the second not yet typed

    @property
    def status(self) -> str:
        """The tally's status; "draft" while only a draft kept as typed exists; NOT_REPORTED before anything."""
        if self.draft is not None and (self.tally is None or self.tally.status == Tally.Status.ANNULLED):
            return Tally.Status.DRAFT
        return self.tally.status if self.tally is not None else NOT_REPORTED

    @property
    def status_label(self) -> str:
        return str(_("not yet reported")) if self.status == NOT_REPORTED else str(Tally.Status(self.status).label)

    @property
    def next_step(self) -> str:
        """What the unit's clerk does next: enter, continue, fix (returned), second (double entry: the second
        entry is to be typed), wait (for review), revote (enter the re-vote's minutes), or nothing: approved,
        published."""
        t = self.tally
        if t is None:
            return "continue" if self.draft is not None else "enter"
        if t.status == Tally.Status.ANNULLED:
            return "continue" if self.draft is not None else "revote"
        if self.second_missing and t.status in (Tally.Status.DRAFT, Tally.Status.RETURNED):
            return "second"
        return {
            Tally.Status.DRAFT: "continue",
            Tally.Status.RETURNED: "fix",
            Tally.Status.SUBMITTED: "wait",
            Tally.Status.APPROVED: "published" if self.published else "approved",
        }.get(Tally.Status(t.status), "enter")


def unit_contests(unit: PollingUnit) -> list[UnitContest]:
    """Each contest the unit votes in, in ballot order, with its newest tally, a draft kept over it and whether
    its constituency's result is published: four queries whatever the number of contests."""
    memberships = list(
        unit.memberships.select_related("polling_unit", "contest", "constituency").order_by("contest__position")
    )
    tallies: dict[int, Tally] = {}
    for t in Tally.objects.filter(polling_unit=unit).order_by("round", "attempt"):
        tallies[t.contest_id] = t  # the newest round and attempt last
    drafts = {
        (d.contest_id, d.round, d.attempt, d.based_on_version): d for d in TallyDraft.objects.filter(polling_unit=unit)
    }
    published = set(
        ResultPublication.objects.filter(
            constituency__in=[m.constituency_id for m in memberships], current=True
        ).values_list("constituency_id", flat=True)
    )
    seconds = set()
    if unit.election.double_entry:
        seconds = set(SecondEntry.objects.filter(polling_unit=unit).values_list("contest_id", "round", "attempt"))
    rows = []
    for m in memberships:
        t = tallies.get(m.contest_id)
        place = draft_place(t, current_round=m.constituency.current_round)
        row = UnitContest(m, t, drafts.get((m.contest_id, *place)), m.constituency_id in published)
        row.second_missing = unit.election.double_entry and (m.contest_id, *place[:2]) not in seconds
        rows.append(row)
    return rows


def tally_history(tally: Tally) -> QuerySet[AuditEntry]:
    key = f"{tally.polling_unit.code}/{tally.contest.code}/r{tally.round}.{tally.attempt}"
    return AuditEntry.objects.filter(election_slug=tally.election.slug, object_type="tally", object_key=key).order_by(
        "seq"
    )


def open_flags(tally: Tally) -> QuerySet[Flag]:
    """The open flags the review queue counts for this tally's unit and constituency."""
    where = unit_contest_flags(tally.polling_unit_id, tally.constituency_id)
    return Flag.objects.filter(where, election=tally.election_id, status=Flag.Status.OPEN).order_by("-severity", "pk")


def pending_correction(tally: Tally) -> TallyCorrection | None:
    return tally.corrections.filter(status=TallyCorrection.Status.PENDING).select_related("proposed_by").first()


def turnout_series(unit: PollingUnit) -> list[dict[str, Any]]:
    reports = {r.at: r for r in TurnoutReport.objects.filter(polling_unit=unit)}
    return [{"at": at, "report": reports.get(at)} for at in unit.election.report_times()]


def flags_visible(election: Election, grants: Grants) -> QuerySet[Flag]:
    """Every flag of the election a person may see: boards their constituency's, committees their areas'."""
    qs = Flag.objects.filter(election=election)
    if not (grants.superuser or grants.staff or grants.auditor):
        boards = grants.board_constituencies
        units_of_boards = PollingUnitConstituency.objects.filter(constituency_id__in=boards).values("polling_unit_id")
        # A board sees its constituencies' flags and the own flags (turnout) of the units that vote in them.
        scope = Q(constituency_id__in=boards) | Q(constituency__isnull=True, polling_unit_id__in=units_of_boards)
        for path in grants.committee_paths:
            scope |= Q(polling_unit__area__path__startswith=path) | Q(constituency__area__path__startswith=path)
        qs = qs.filter(scope)
    return qs.select_related("polling_unit", "constituency", "tally__contest").order_by("status", "-created_at", "pk")
