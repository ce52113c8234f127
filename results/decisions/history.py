"""A constituency's history from the append-only audit log: the rounds opened, the decisions recorded (each with its
article and the decision's body, reference and date), the annulments of its polling units, the publications."""

from django.db.models import Q, QuerySet

from elections.audit_codes import AuditAction
from elections.models import AuditEntry, Constituency
from results.models import Tally


def constituency_history(constituency: Constituency) -> QuerySet[AuditEntry]:
    """Oldest first. The constituency's own entries (rounds, decisions, publications) and its units' annulments
    (Art. 81(1)), whose tallies are keyed by unit, contest, round and attempt."""
    annulled = [
        f"{unit}/{constituency.contest.code}/r{number}.{attempt}"
        for unit, number, attempt in Tally.objects.filter(
            constituency=constituency, status=Tally.Status.ANNULLED
        ).values_list("polling_unit__code", "round", "attempt")
    ]
    return AuditEntry.objects.filter(
        Q(object_type__in=("constituency", "result"), object_key=constituency.code)
        | Q(object_type="tally", action=AuditAction.TALLY_ANNULLED, object_key__in=annulled),
        election_slug=constituency.election.slug,
    ).order_by("seq")
