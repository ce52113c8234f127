"""Corrections of an approved tally: one committee member proposes, another decides (interfaces §7)."""

from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from core.errors import Problem
from core.types import Actor
from elections.audit_codes import AuditAction
from elections.models import Candidate
from results.models import FIGURES, Tally, TallyCorrection, TallyVote
from results.outcomes.totals import tally_change, tally_votes, totals_apply
from results.permissions import TallyScope
from results.publication import services as publication
from results.tallies.errors import SeparationOfDuties, TallyConflict, TallyInvalid
from results.tallies.parsing import TallyPayload
from results.tallies.records import (
    _audit,
    _locked,
    _replace_check_flags,
    _snapshot,
    _state,
    loaded_list_count,
    tally_figures,
    validate,
)
from results.tallies.services import _results_changed

Status = Tally.Status


@transaction.atomic
def correction_propose(
    *, scope: TallyScope, payload: TallyPayload, reason: str, by: Actor, version: int | None = None, source: str = ""
) -> TallyCorrection:
    """Propose new figures for an approved tally; a second committee member must approve them."""
    reason = (reason or "").strip()
    if not reason:
        raise TallyInvalid(_("A reason is required."), [Problem("reason", _("is required"))])
    tally = _locked(scope, version)
    if tally.status != Status.APPROVED:
        raise TallyConflict(_("Only an approved tally is corrected this way; return a submitted one instead."))
    if tally.corrections.filter(status=TallyCorrection.Status.PENDING).exists():
        raise TallyConflict(_("A correction of this tally is already waiting for approval."))
    problems, _findings = validate(scope, payload, loaded=loaded_list_count(scope))
    if problems:
        raise TallyInvalid(_("The corrected tally does not add up."), problems)
    correction = TallyCorrection.objects.create(
        tally=tally, based_on_version=tally.version, figures=payload.canonical(), reason=reason, proposed_by=by
    )
    _audit(
        AuditAction.TALLY_CORRECTION_PROPOSED,
        scope,
        tally,
        by,
        source,
        before=tally_figures(tally),
        after=payload.canonical(),
        data={"reason": reason, "correction": correction.pk},
    )
    return correction


@transaction.atomic
def correction_decide(
    *, scope: TallyScope, correction_id: int, approve: bool, by: Actor, note: str = "", source: str = ""
) -> TallyCorrection:
    """A second committee member applies or rejects a pending correction; applying makes a new version."""
    tally = _locked(scope, None)
    correction = TallyCorrection.objects.select_for_update().filter(pk=correction_id, tally=tally).first()
    if correction is None or correction.status != TallyCorrection.Status.PENDING:
        raise TallyConflict(_("There is no pending correction with that number for this tally."))
    if correction.proposed_by_id == by.pk:
        raise SeparationOfDuties(_("You proposed this correction; another committee member must decide on it."))
    if correction.based_on_version != tally.version:
        raise TallyConflict(_("The tally changed since the correction was proposed; propose it again."))
    correction.status = TallyCorrection.Status.APPLIED if approve else TallyCorrection.Status.REJECTED
    correction.decided_by, correction.decided_at, correction.decision_note = by, timezone.now(), note.strip()
    correction.save()
    if approve:
        before = {**_state(tally), **tally_figures(tally)}
        old = tally_change(tally, tally_votes([tally.pk])[tally.pk], -1)
        figures = correction.figures
        for name in FIGURES:
            setattr(tally, name, figures[name])
        tally.complaints = figures.get("complaints", "")
        tally.version += 1
        tally.save()
        TallyVote.objects.filter(tally=tally).delete()
        candidates = dict(Candidate.objects.filter(constituency=scope.constituency).values_list("code", "id"))
        TallyVote.objects.bulk_create(
            TallyVote(tally=tally, candidate_id=candidates[c], votes=n) for c, n in figures["votes"].items()
        )
        new_votes = {candidates[c]: n for c, n in figures["votes"].items()}
        totals_apply([old, tally_change(tally, new_votes, +1)])
        _snapshot(tally, figures, by, "corrected", note=correction.reason)
        payload = TallyPayload({k: figures[k] for k in FIGURES}, figures["votes"], figures.get("complaints", ""))
        _problems, findings = validate(scope, payload, loaded=loaded_list_count(scope))
        _replace_check_flags(tally, findings)
        _audit(
            AuditAction.TALLY_CORRECTED,
            scope,
            tally,
            by,
            source,
            before=before,
            after={**_state(tally), **figures},
            data={"reason": correction.reason, "proposed_by": correction.proposed_by.get_username()},
        )
        _results_changed(
            scope,
            by,
            source,
            publication.Change(publication.CAUSE_TALLY_CORRECTED, scope.unit.code, correction.reason),
        )
    else:
        _audit(
            AuditAction.TALLY_CORRECTION_REJECTED,
            scope,
            tally,
            by,
            source,
            data={"correction": correction.pk, "note": note},
        )
    return correction
