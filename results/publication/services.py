"""Publishing results and turnout (interfaces §9): two members, snapshots, corrections, the public revision.

- `result_publish`: the publish endpoint and button. A board member of the constituency or a committee
  member above it proposes; a second, different member confirms, and the result as it then stands is
  written as a `ResultPublication` snapshot. The proposer asking again changes nothing. Only a result
  whose status is not `incomplete` is published.
- `sync_published`: after a tally change (a correction, an annulment, an approved re-vote) the services
  call this; when the change alters a published result, a `correction` snapshot is published at once,
  carrying the cause and the committee's reason. Each of those changes was itself a committee decision
  (corrections take a second member's approval; an annulment is the committee's, Art. 81), and the
  public must not keep seeing figures the committee has withdrawn. Earlier snapshots stay as history.
- `turnout_publish`: a committee of a top-level area makes turnout during the day public for the
  election (or stops it).
- `public_changed`: bumps the counters the public cache is keyed on, in the caller's transaction.

Every write locks the constituency's `ConstituencyResult` row, so two members acting at once, or a
member publishing while a tally is corrected, are serialised.
"""

import hashlib
import json
from dataclasses import dataclass
from typing import Any

from django.conf import settings
from django.db import transaction
from django.db.models import F, Max
from django.utils import timezone, translation
from django.utils.translation import gettext_lazy as _

from core.errors import Conflict
from core.types import Actor
from elections.audit import audit_log
from elections.audit_checkpoints import audit_checkpoint
from elections.audit_codes import AuditAction
from elections.models import AuditCheckpoint, Constituency, Election, PollingUnitConstituency
from results.models import (
    ConstituencyResult,
    PublicationProposal,
    ResultPublication,
    Tally,
    TurnoutPublication,
)
from results.outcomes import constituency as outcomes
from results.outcomes import rounds
from results.outcomes import wording as explain
from results.publication.counters import public_changed
from results.publication.record import result_record

PROPOSED = "proposed"
PUBLISHED = "published"
UNCHANGED = "unchanged"

# Causes of a correction, worded on the public page (public/templates).
CAUSE_TALLY_CORRECTED = "tally_corrected"
CAUSE_UNIT_ANNULLED = "unit_annulled"
CAUSE_REVOTE_APPROVED = "revote_approved"
CAUSE_TALLY_APPROVED = "tally_approved"
CAUSE_REPUBLISHED = "republished"
CAUSE_DECISION = "decision_recorded"  # a decision closing the constituency (results/decisions/closing.py)


class PublicationRefused(Conflict):
    """The result cannot be published now (HTTP 409): incomplete, or not the person's to publish."""


# --- snapshots -------------------------------------------------------------------------------------------


def unit_figures(constituency: Constituency, round_number: int) -> list[dict[str, Any]]:
    """Every unit's approved figures for the round, with votes by candidate code, in unit order."""
    names = {
        unit_id: (code, name, area)
        for unit_id, code, name, area in PollingUnitConstituency.objects.filter(constituency=constituency).values_list(
            "polling_unit_id", "polling_unit__code", "polling_unit__name", "polling_unit__area__code"
        )
    }
    tallies = {
        t.polling_unit_id: t
        for t in Tally.objects.filter(
            constituency=constituency, round=round_number, status=Tally.Status.APPROVED
        ).prefetch_related("votes__candidate")
    }
    rows = []
    for unit_id, (code, name, area) in sorted(names.items(), key=lambda kv: kv[1][0]):
        tally = tallies.get(unit_id)
        row: dict[str, Any] = {"code": code, "name": name, "area": area, "counted": tally is not None}
        if tally is not None:
            figures = outcomes.Figures(**{f: getattr(tally, f) for f in outcomes.FIGURES})
            row.update(figures.as_dict())
            row["votes"] = {v.candidate.code: v.votes for v in sorted(tally.votes.all(), key=lambda v: v.candidate_id)}
        rows.append(row)
    return rows


def snapshot(outcome: outcomes.ConstituencyOutcome) -> dict[str, Any]:
    """The public result: the result of interfaces §3 without the committee's notes, plus every unit's figures.

    Flags are the committees' working notes (anomaly screening, review); the public result carries the
    law's reasons instead, and `flags` is empty. `units` is stored beside the result, not inside it.
    """
    data = result_record(outcome)
    data["published"] = True
    data["area"] = outcome.constituency.area.code
    # The law's reasons worded in each language at publication, as the public page shows them.
    data["reasons_text"] = {}
    for code, _name in settings.LANGUAGES:
        with translation.override(code):
            data["reasons_text"][code] = [str(explain.explain(r, outcome.names)) for r in outcome.current.reasons]
    data["units"] = unit_figures(outcome.constituency, outcome.current.number)
    return data


def _digest(data: dict[str, Any]) -> str:
    return hashlib.sha256(json.dumps(data, sort_keys=True, ensure_ascii=False).encode()).hexdigest()


def current_publication(constituency: Constituency) -> ResultPublication | None:
    return ResultPublication.objects.filter(constituency=constituency, current=True).first()


def _write(
    *,
    cons: Constituency,
    round_number: int,
    data: dict[str, Any],
    fingerprint: str,
    kind: str,
    by: Actor,
    proposed_by: Any = None,
    cause: str = "",
    reason: str = "",
    unit_code: str = "",
) -> ResultPublication:
    now = timezone.now()
    last = ResultPublication.objects.filter(constituency=cons).aggregate(n=Max("sequence"))["n"] or 0
    ResultPublication.objects.filter(constituency=cons, current=True).update(current=False)
    result = {k: v for k, v in data.items() if k != "units"}
    winners = [c["full_name"] for c in [*data["elected_in_earlier_rounds"], *data["candidates"]] if c["elected"]]
    pub = ResultPublication.objects.create(
        election=cons.election,
        constituency=cons,
        round=round_number,
        sequence=last + 1,
        kind=kind,
        status=data["status"],
        fingerprint=fingerprint,
        data=result,
        units=data["units"],
        seats_filled=data["seats_filled"],
        winners=winners,
        cause=cause,
        reason=reason[:4000],
        polling_unit_code=unit_code[:64],
        published_at=now,
        proposed_by=proposed_by if getattr(proposed_by, "pk", None) else None,
        published_by=by if getattr(by, "pk", None) else None,
        current=True,
    )
    ConstituencyResult.objects.filter(constituency=cons, round=round_number, published=False).update(
        published=True, published_at=now, published_by=by if getattr(by, "pk", None) else None
    )
    public_changed(cons.election_id, results=True)
    return pub


# --- the two-member publication ------------------------------------------------------------------------


@dataclass
class PublishState:
    """What a publish call did (`proposed`, `published` or `unchanged`) and where the result now stands."""

    action: str
    constituency: Constituency
    round: int
    status: str
    published: bool
    publication: ResultPublication | None
    proposal: PublicationProposal | None


def publication_state(constituency: Constituency) -> PublishState:
    """The publication of the constituency's current round as it stands: published version, pending proposal."""
    rnd = constituency.current_round
    cr = ConstituencyResult.objects.filter(constituency=constituency, round=rnd).first()
    pub = current_publication(constituency)
    pending = (
        PublicationProposal.objects.filter(
            constituency=constituency, round=rnd, status=PublicationProposal.Status.PENDING
        )
        .select_related("proposed_by")
        .first()
    )
    if pending is not None and cr is not None and pending.fingerprint != cr.fingerprint:
        pending = None  # figures changed since: the next call proposes again
    return PublishState(
        action=UNCHANGED,
        constituency=constituency,
        round=rnd,
        status=cr.status if cr else rounds.INCOMPLETE,
        published=bool(cr and cr.published),
        publication=pub if pub and pub.round == rnd else None,
        proposal=pending,
    )


def _audit(action: str, cons: Constituency, by: Actor, source: str, **kwargs: Any) -> None:
    audit_log(
        action,
        user=by,
        election_slug=cons.election.slug,
        object_type="result",
        object_key=cons.code,
        source=source,
        **kwargs,
    )


@transaction.atomic
def result_publish(*, constituency: Constituency, by: Actor, source: str = "") -> PublishState:
    """Propose, or confirm and publish, the constituency's current result (interfaces §9).

    The first call proposes the result as it stands; the same call by a second, different member
    publishes it; the proposer calling again changes nothing, and so does a call on a result already
    published as it stands. A proposal whose figures changed before confirmation is superseded, and
    the call that finds it proposes the new figures instead.
    """
    cons = (
        Constituency.objects.select_for_update(of=("self",))
        .select_related("election", "contest", "area")
        .get(pk=constituency.pk)
    )
    outcomes.constituency_outcome(cons, with_margin=False)  # makes sure the result row exists and is fresh
    rnd = cons.current_round
    cr = ConstituencyResult.objects.select_for_update().get(constituency=cons, round=rnd)
    outcome = outcomes.constituency_outcome(cons)  # again under the lock: nothing can change it now
    cr.refresh_from_db()
    if outcome.status == rounds.INCOMPLETE:
        raise PublicationRefused(_("The result is incomplete: every polling unit must be counted before publication."))
    pub = current_publication(cons)
    if cr.published and pub is not None and pub.round == rnd and pub.fingerprint == cr.fingerprint:
        return PublishState(UNCHANGED, cons, rnd, outcome.status, True, pub, None)

    pending = (
        PublicationProposal.objects.select_for_update()
        .filter(constituency=cons, round=rnd, status=PublicationProposal.Status.PENDING)
        .first()
    )
    if pending is not None and pending.fingerprint != cr.fingerprint:
        pending.status, pending.decided_at = PublicationProposal.Status.SUPERSEDED, timezone.now()
        pending.save(update_fields=["status", "decided_at"])
        _audit(
            AuditAction.PUBLICATION_SUPERSEDED,
            cons,
            by,
            source,
            data={"round": rnd, "proposed_by": pending.proposed_by.get_username()},
        )
        pending = None
    if pending is None:
        pending = PublicationProposal.objects.create(
            election=cons.election, constituency=cons, round=rnd, fingerprint=cr.fingerprint, proposed_by=by
        )
        _audit(
            AuditAction.PUBLICATION_PROPOSED,
            cons,
            by,
            source,
            after={"round": rnd, "status": outcome.status},
        )
        return PublishState(PROPOSED, cons, rnd, outcome.status, cr.published, pub, pending)
    if pending.proposed_by_id == getattr(by, "pk", None):
        return PublishState(UNCHANGED, cons, rnd, outcome.status, cr.published, pub, pending)

    pending.status = PublicationProposal.Status.CONFIRMED
    pending.decided_by, pending.decided_at = by, timezone.now()
    pending.save(update_fields=["status", "decided_by", "decided_at"])
    again = pub is not None and pub.round == rnd
    data = snapshot(outcome)
    new = _write(
        cons=cons,
        round_number=rnd,
        data=data,
        fingerprint=cr.fingerprint,
        kind=ResultPublication.Kind.CORRECTION if again else ResultPublication.Kind.ORIGINAL,
        by=by,
        proposed_by=pending.proposed_by,
        cause=CAUSE_REPUBLISHED if again else "",
    )
    _audit(
        AuditAction.RESULT_PUBLISHED,
        cons,
        by,
        source,
        before={"published": bool(cr.published)},
        after={"published": True, "round": rnd, "status": outcome.status, "sequence": new.sequence},
        data={"proposed_by": pending.proposed_by.get_username(), "digest": _digest(data)},
    )
    audit_checkpoint(reason=AuditCheckpoint.Reason.PUBLICATION)  # the public can pin the log at each publication
    return PublishState(PUBLISHED, cons, rnd, outcome.status, True, new, None)


# --- corrections of published results -------------------------------------------------------------------


@dataclass(frozen=True)
class Change:
    """A change of counted tallies that may alter a published result: its cause, unit and reason."""

    cause: str
    unit_code: str = ""
    reason: str = ""


def sync_published(
    constituency_ids: list[int] | set[int], *, change: Change, by: Actor = None, source: str = ""
) -> list[ResultPublication]:
    """Publish a correction of every published result among `constituency_ids` that `change` altered.

    Called by the tally services inside their transaction, after the change. Locks each constituency's
    result row for its current round (whether published or not), so a publication being confirmed at
    the same moment waits and then sees the change.
    """
    ids = sorted(set(constituency_ids))
    if not ids:
        return []
    written = []
    # Lock in id order (deadlock-free); only the rows of current rounds matter.
    rows = list(
        ConstituencyResult.objects.select_for_update()
        .filter(constituency_id__in=ids, round=F("constituency__current_round"))
        .order_by("constituency_id")
        .values_list("constituency_id", "published")
    )
    published = [cid for cid, is_published in rows if is_published]
    if not published:
        return []
    for cons in Constituency.objects.filter(pk__in=published).select_related("election", "contest", "area"):
        pub = current_publication(cons)
        if pub is None or pub.round != cons.current_round:
            continue
        outcome = outcomes.constituency_outcome(cons)
        data = snapshot(outcome)
        if _digest(data) == _digest({**pub.data, "units": pub.units}):
            continue
        fingerprint = ConstituencyResult.objects.get(constituency=cons, round=cons.current_round).fingerprint
        new = _write(
            cons=cons,
            round_number=cons.current_round,
            data=data,
            fingerprint=fingerprint,
            kind=ResultPublication.Kind.CORRECTION,
            by=by,
            cause=change.cause,
            reason=change.reason,
            unit_code=change.unit_code,
        )
        _audit(
            AuditAction.CORRECTION_PUBLISHED,
            cons,
            by,
            source,
            before={"sequence": pub.sequence, "status": pub.status},
            after={"sequence": new.sequence, "status": new.status},
            data={"cause": change.cause, "polling_unit": change.unit_code, "reason": change.reason},
        )
        audit_checkpoint(reason=AuditCheckpoint.Reason.PUBLICATION)
        written.append(new)
    return written


# --- turnout -------------------------------------------------------------------------------------------


def turnout_is_public(election: Election) -> bool:
    return TurnoutPublication.objects.filter(election=election, published=True).exists()


@transaction.atomic
def turnout_publish(*, election: Election, publish: bool, by: Actor, source: str = "") -> TurnoutPublication:
    """Make turnout during the day public for the whole election (or stop); nothing happens if already so."""
    row, _created = TurnoutPublication.objects.select_for_update().get_or_create(election=election)
    if row.published == publish:
        return row
    row.published = publish
    if publish:
        row.published_at, row.published_by = timezone.now(), by if getattr(by, "pk", None) else None
    row.save()
    public_changed(election.pk, turnout=True)
    audit_log(
        AuditAction.TURNOUT_PUBLISHED if publish else AuditAction.TURNOUT_UNPUBLISHED,
        user=by,
        election_slug=election.slug,
        object_type="election",
        object_key=election.slug,
        before={"published": not publish},
        after={"published": publish},
        source=source,
    )
    audit_checkpoint(reason=AuditCheckpoint.Reason.PUBLICATION)
    return row
