"""Writes of election day: tallies through their workflow (interfaces §7), turnout reports, imports.

Every service runs in one transaction, locks the tally row it changes, bumps its version, keeps a
copy of the new version and writes the audit log. Views and the API only call these.
"""

from dataclasses import dataclass
from typing import Any

from django.db import IntegrityError, transaction
from django.utils.translation import gettext_lazy as _

from core.errors import Problem, lazy_format
from core.types import Actor
from elections.audit import AuditRecord, audit_log_many
from elections.audit_codes import AuditAction
from results.flags import screening
from results.models import FIGURES, Flag, SecondEntry, Tally, TallyVote
from results.outcomes.totals import tally_change, tally_votes, totals_apply
from results.permissions import TallyScope
from results.publication import services as publication
from results.rules import checks
from results.tallies.errors import SeparationOfDuties, TallyConflict, TallyInvalid, WarningsUnconfirmed
from results.tallies.parsing import TallyPayload
from results.tallies.records import (
    EDITABLE,
    ENTERING,
    _audit,
    _hash,
    _locked,
    _record,
    _replace_check_flags,
    _snapshot,
    _stale,
    _state,
    candidate_ids,
    current_tally,
    drafts_forget,
    figures_known,
    loaded_list_count,
    tally_figures,
    validate,
)

Status = Tally.Status


# --- reading the current tally -------------------------------------------------------------------


# --- versions, flags and the audit log ------------------------------------------------------------


# --- the workflow ---------------------------------------------------------------------------------


@dataclass
class _Saved:
    tally: Tally
    created: bool
    content: dict[str, Any]
    findings: list[checks.Finding]
    audit: AuditRecord | None  # None when the request was a replay of a save already made


def _save_locked(
    scope: TallyScope,
    tally: Tally | None,
    payload: TallyPayload,
    version: int | None,
    by: Actor,
    source: str,
    *,
    submit: bool = False,
    warnings_confirmed: bool = True,
) -> _Saved:
    """The save itself, on the row `current_tally(scope, lock=True)` returned; the caller writes the audit.

    With `submit` the new figures are saved as submitted: one change, one version, one audit entry; unless
    `warnings_confirmed`, minutes that give warnings are not submitted (WarningsUnconfirmed lists them).
    """
    content = payload.canonical()
    if tally is not None and tally.status == Status.ANNULLED:
        attempt = tally.attempt + 1
        tally = None  # the unit's result was annulled: this opens the re-vote's tally
    else:
        attempt = 1
    if tally is not None:
        latest = tally.versions.order_by("-version").first()
        replay = (
            latest is not None
            and version is not None
            and latest.version == version + 1
            and latest.payload_hash == _hash(content)
            and latest.saved_by_id == getattr(by, "pk", None)
            and tally.version == latest.version
        )
        if replay:
            return _Saved(tally, False, content, [], None)
        if tally.status not in EDITABLE:
            raise TallyConflict(
                lazy_format(
                    _("The tally is %(status)s and can no longer be edited by its clerk."),
                    status=tally.get_status_display(),
                )
            )
        if version is None or version != tally.version:
            raise TallyConflict(_stale(tally.version, version))
    elif version is not None and attempt == 1:
        raise TallyConflict(_("There is no saved tally to update; leave out the version for the first save."))

    candidates = candidate_ids(scope)
    problems, findings = validate(scope, payload, loaded=loaded_list_count(scope), candidates=candidates)
    if problems:
        raise TallyInvalid(_("The tally does not add up."), problems)
    if submit and not warnings_confirmed:
        _require_confirmation(findings)

    created = tally is None
    before = None if tally is None else {**_state(tally), **tally_figures(tally)}
    status = Status.SUBMITTED if submit else Status.DRAFT
    if tally is None:
        try:
            tally = Tally.objects.create(
                election=scope.election,
                polling_unit=scope.unit,
                contest=scope.contest,
                constituency=scope.constituency,
                round=scope.constituency.current_round,
                attempt=attempt,
                entered_by=by,
                status=status,
                submitted_by=by if submit else None,
                **payload.figures,
                complaints=payload.complaints,
            )
        except IntegrityError:  # someone else created it a moment ago; the transaction is rolled back
            raise TallyConflict(_("The tally was created meanwhile by someone else; reload it.")) from None
    else:
        for name, value in payload.figures.items():
            setattr(tally, name, value)
        tally.complaints = payload.complaints
        tally.version += 1
        tally.entered_by = by
        if submit:
            tally.status, tally.submitted_by, tally.return_reason = status, by, ""
        tally.save()
        TallyVote.objects.filter(tally=tally).delete()
    TallyVote.objects.bulk_create(
        TallyVote(tally=tally, candidate_id=candidates[code], votes=n) for code, n in payload.votes.items()
    )
    figures_known(tally, content)
    action = "submitted" if submit else "saved"
    _snapshot(tally, content, by, action)
    _replace_check_flags(tally, findings, created=created)
    drafts_forget(scope)
    code = AuditAction.TALLY_SUBMITTED if submit else AuditAction.TALLY_SAVED
    record = _record(code, scope, tally, by, source, before=before, after={**_state(tally), **content})
    return _Saved(tally, created, content, findings, record)


@transaction.atomic
def tally_save(
    *, scope: TallyScope, payload: TallyPayload, version: int | None, by: Actor, source: str = ""
) -> tuple[Tally, bool]:
    """Save the clerk's draft (interfaces §7 PUT). Returns (tally, created).

    `version` is the version the clerk's copy was based on; None for the first save. A retried request
    whose content is already saved, by the same person, from the same version, is answered again
    without a second change.
    """
    saved = _save_locked(scope, current_tally(scope, lock=True), payload, version, by, source)
    if saved.audit:
        audit_log_many([saved.audit])
    return saved.tally, saved.created


@transaction.atomic
def tally_submit(
    *,
    scope: TallyScope,
    by: Actor,
    version: int | None = None,
    source: str = "",
    payload: TallyPayload | None = None,
    warnings_confirmed: bool = True,
) -> Tally:
    """Draft or returned -> submitted, only if the checks pass. A retried submission counts once.

    With `payload`, the figures are saved and submitted in one step (one request from a phone on a
    poor connection): `version` is then the version the clerk's copy was based on, as for a save.
    With `warnings_confirmed=False` (the entry page until the clerk confirms), minutes that give
    warnings are refused with WarningsUnconfirmed, which lists them.
    """
    tally = current_tally(scope, lock=True)
    retry = tally is not None and tally.status == Status.SUBMITTED and tally.submitted_by_id == getattr(by, "pk", None)
    if payload is not None:
        if retry and tally is not None and same_content(tally, payload):
            return tally  # the same submission again (a retry after a lost answer)
        saved = _save_locked(
            scope, tally, payload, version, by, source, submit=True, warnings_confirmed=warnings_confirmed
        )
        if saved.audit is not None:
            audit_log_many([saved.audit])
            return saved.tally
        tally = saved.tally  # a replay of an earlier save of these figures: submit that draft
        content, findings = tally_figures(tally), None
    else:
        if tally is None:
            raise TallyConflict(_("There is no tally to submit; save it first."))
        if retry and (version is None or version + 1 == tally.version):
            return tally  # the same submission again (a retry after a lost answer)
        if version is not None and version != tally.version:
            raise TallyConflict(_stale(tally.version, version))
        content, findings = tally_figures(tally), None
    if tally.status not in EDITABLE:
        raise TallyConflict(
            lazy_format(_("A tally that is %(status)s cannot be submitted."), status=tally.get_status_display())
        )
    if findings is None:
        stored = TallyPayload({k: content[k] for k in FIGURES}, content["votes"], content["complaints"])
        problems, findings = validate(scope, stored, loaded=loaded_list_count(scope))
        if problems:
            raise TallyInvalid(_("The tally does not add up."), problems)
    if not warnings_confirmed:
        _require_confirmation(findings)
    drafts_forget(scope)
    before = _state(tally)
    tally.status, tally.submitted_by, tally.return_reason = Status.SUBMITTED, by, ""
    tally.version += 1
    tally.save(update_fields=["status", "submitted_by", "return_reason", "version", "updated_at"])
    _snapshot(tally, content, by, "submitted")
    _replace_check_flags(tally, findings)
    _audit(AuditAction.TALLY_SUBMITTED, scope, tally, by, source, before=before, after=_state(tally))
    return tally


def _require_confirmation(findings: list[checks.Finding]) -> None:
    warned = checks.warnings(findings)
    if warned:
        raise WarningsUnconfirmed(_("Confirm the warnings before submitting."), warned)


def same_content(tally: Tally, payload: TallyPayload) -> bool:
    return tally_figures(tally) == payload.canonical()


@transaction.atomic
def tally_return(*, scope: TallyScope, reason: str, by: Actor, version: int | None = None, source: str = "") -> Tally:
    """Submitted -> returned to the clerk, with the reviewer's reason."""
    reason = (reason or "").strip()
    if not reason:
        raise TallyInvalid(_("A reason is required."), [Problem("reason", _("is required"))])
    tally = _locked(scope, version)
    if tally.status != Status.SUBMITTED:
        raise TallyConflict(
            lazy_format(
                _("Only a submitted tally can be returned; this one is %(status)s."), status=tally.get_status_display()
            )
        )
    before = _state(tally)
    tally.status, tally.return_reason = Status.RETURNED, reason
    tally.version += 1
    tally.save(update_fields=["status", "return_reason", "version", "updated_at"])
    _snapshot(tally, tally_figures(tally), by, "returned", note=reason)
    _audit(
        AuditAction.TALLY_RETURNED,
        scope,
        tally,
        by,
        source,
        before=before,
        after=_state(tally),
        data={"reason": reason},
    )
    return tally


def _editors(tally: Tally) -> set[int]:
    versions = tally.versions.filter(action__in=ENTERING).exclude(saved_by=None)
    ids = set(versions.values_list("saved_by_id", flat=True))
    # with double entry, the second entrant typed these figures too (results/tallies/double_entry.py)
    seconds = SecondEntry.objects.filter(
        polling_unit_id=tally.polling_unit_id, contest_id=tally.contest_id, round=tally.round, attempt=tally.attempt
    )
    ids |= set(seconds.values_list("entered_by_id", flat=True))
    return ids | {i for i in (tally.submitted_by_id, tally.entered_by_id) if i}


@transaction.atomic
def tally_approve(*, scope: TallyScope, by: Actor, version: int | None = None, source: str = "") -> Tally:
    """Submitted -> approved, by a reviewer who neither entered nor submitted it (interfaces §6)."""
    tally = _locked(scope, version)
    if tally.status != Status.SUBMITTED:
        raise TallyConflict(
            lazy_format(
                _("Only a submitted tally can be approved; this one is %(status)s."), status=tally.get_status_display()
            )
        )
    if by.pk in _editors(tally):
        raise SeparationOfDuties(_("You entered or submitted this tally; another member must approve it."))
    before = _state(tally)
    tally.status, tally.approved_by = Status.APPROVED, by
    tally.version += 1
    tally.save(update_fields=["status", "approved_by", "version", "updated_at"])
    totals_apply([tally_change(tally, tally_votes([tally.pk])[tally.pk], +1)])
    _snapshot(tally, tally_figures(tally), by, "approved")
    _audit(AuditAction.TALLY_APPROVED, scope, tally, by, source, before=before, after=_state(tally))
    screening.annulments_revoted([tally], by=by, source=source)
    _results_changed(scope, by, source, _approval_change(scope, tally))
    return tally


def _approval_change(scope: TallyScope, tally: Tally) -> "publication.Change":
    """An approval matters to a published result only as a re-vote after an annulment (Art. 81)."""
    if tally.attempt > 1:
        annulled = (
            Tally.objects.filter(polling_unit=tally.polling_unit, contest=tally.contest, round=tally.round)
            .filter(attempt__lt=tally.attempt, status=Status.ANNULLED)
            .order_by("-attempt")
            .values_list("annul_reason", flat=True)
            .first()
        )
        return publication.Change(publication.CAUSE_REVOTE_APPROVED, scope.unit.code, annulled or "")
    return publication.Change(publication.CAUSE_TALLY_APPROVED, scope.unit.code)


def _results_changed(scope: TallyScope, by: Actor, source: str, change: "publication.Change") -> None:
    """Counted tallies changed: the public pages refresh, and a published result shows the correction."""
    publication.public_changed(scope.election.pk, results=True)
    publication.sync_published([scope.constituency.pk], change=change, by=by, source=source)


@transaction.atomic
def tally_annul(*, scope: TallyScope, reason: str, by: Actor, source: str = "") -> Tally:
    """Annul the unit's result for this contest (Art. 81, serious violations): it leaves the count and
    the unit votes again; the clerk's next save opens the re-vote's tally (the next attempt)."""
    reason = (reason or "").strip()
    if not reason:
        raise TallyInvalid(_("A reason is required."), [Problem("reason", _("is required"))])
    tally = _locked(scope, None)
    if tally.status == Status.ANNULLED:
        raise TallyConflict(_("This result is already annulled."))
    before = _state(tally)
    if tally.status == Status.APPROVED:  # it leaves the count
        totals_apply([tally_change(tally, tally_votes([tally.pk])[tally.pk], -1)])
    tally.status, tally.annul_reason = Status.ANNULLED, reason
    tally.version += 1
    tally.save(update_fields=["status", "annul_reason", "version", "updated_at"])
    _snapshot(tally, tally_figures(tally), by, "annulled", note=reason)
    Flag.objects.create(
        election=scope.election,
        polling_unit=scope.unit,
        constituency=scope.constituency,
        tally=tally,
        code="unit_annulled",
        severity=Flag.Severity.ERROR,
        message=f"Result annulled, re-vote required: {reason}",
        params={"reason": reason},
        source="committee: Art. 81",
    )
    _audit(
        AuditAction.TALLY_ANNULLED,
        scope,
        tally,
        by,
        source,
        before=before,
        after=_state(tally),
        data={"reason": reason, "article": "Art. 81(1)"},
    )
    _results_changed(scope, by, source, publication.Change(publication.CAUSE_UNIT_ANNULLED, scope.unit.code, reason))
    return tally


# --- turnout during the day -----------------------------------------------------------------------


# --- import (interfaces §2) -------------------------------------------------------------------------
