"""Writes of election day: tallies through their workflow (CONTRACT §7), turnout reports, imports.

Every service runs in one transaction, locks the tally row it changes, bumps its version, keeps a
copy of the new version and writes the audit log. Views and the API only call these.
"""

import hashlib
import json
from collections import defaultdict
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from typing import Any

from django.db import IntegrityError, transaction
from django.db.models import F
from django.utils import timezone

from elections.audit import AuditRecord, audit_log, audit_log_many
from elections.models import Candidate, Election, PollingUnit, PollingUnitConstituency
from elections.parsing import Problem
from results.models import FIGURES, Flag, Tally, TallyCorrection, TallyVersion, TallyVote, TurnoutReport
from results.outcomes.totals import tally_change, tally_votes, totals_apply
from results.permissions import TallyScope
from results.publication import services as publication
from results.rules import checks
from results.tallies.parsing import TallyPayload, parse_tally
from voters.selectors import voters_on_list

Status = Tally.Status
EDITABLE = (Status.DRAFT, Status.RETURNED)
BATCH = 2000


class TallyError(Exception):
    """Base of the workflow's refusals; `problems` name the field each one is about."""

    def __init__(self, message: str, problems: list[Problem] | None = None):
        super().__init__(message)
        self.message = message
        self.problems = problems or []


class TallyInvalid(TallyError):
    """The tally breaks a rule of the minutes or names unknown candidates (HTTP 400)."""


class TallyConflict(TallyError):
    """Stale version, or a state the action does not apply to (HTTP 409)."""


class SeparationOfDuties(TallyError):
    """The same person may not both enter or submit and approve (HTTP 403)."""


# --- reading the current tally -------------------------------------------------------------------


def current_tally(scope: TallyScope, *, lock: bool = False) -> Tally | None:
    """The newest attempt of the constituency's current round for this unit and contest."""
    qs = Tally.objects.filter(
        polling_unit=scope.unit, contest=scope.contest, round=scope.constituency.current_round
    ).order_by("-attempt")
    if lock:
        qs = qs.select_for_update()
    return qs.first()


def tally_figures(tally: Tally) -> dict[str, Any]:
    """The content of a tally as plain data: six figures, votes by candidate code, complaints."""
    votes = dict(
        sorted(TallyVote.objects.filter(tally=tally).values_list("candidate__code", "votes"), key=lambda kv: kv[0])
    )
    return {**{name: getattr(tally, name) for name in FIGURES}, "votes": votes, "complaints": tally.complaints}


def _hash(content: Mapping[str, Any]) -> str:
    return hashlib.sha256(json.dumps(content, sort_keys=True, ensure_ascii=False).encode()).hexdigest()


def loaded_list_count(scope: TallyScope) -> int | None:
    """The loaded voter list's count for this unit and contest, when the voters app has a list."""
    return voters_on_list(scope.unit, scope.contest)


def _check_input(payload: TallyPayload, seats: int, loaded: int | None) -> checks.TallyInput:
    return checks.TallyInput(**payload.figures, votes=payload.votes, seats=seats, loaded_list=loaded)


def _candidate_problems(payload: TallyPayload, codes: Iterable[str], prefix: str = "") -> list[Problem]:
    codes = set(codes)
    given = set(payload.votes)
    problems = [Problem(f"{prefix}votes.{c}", "is not a candidate of this constituency") for c in sorted(given - codes)]
    problems += [
        Problem(f"{prefix}votes.{c}", "is missing: every candidate needs a number") for c in sorted(codes - given)
    ]
    return problems


def validate(
    scope: TallyScope, payload: TallyPayload, *, loaded: int | None = None, candidates: Mapping[str, int] | None = None
) -> tuple[list[Problem], list[checks.Finding]]:
    """Problems that refuse the tally (unknown candidates, failed checks) and every finding of the checks."""
    if candidates is None:
        candidates = candidate_ids(scope)
    problems = _candidate_problems(payload, candidates)
    if problems:
        return problems, []
    findings = checks.check_tally(_check_input(payload, scope.constituency.seats, loaded), rules=scope.election.rules)
    problems = [Problem(", ".join(f.fields), f.message) for f in checks.errors(findings)]
    return problems, findings


def candidate_ids(scope: TallyScope) -> dict[str, int]:
    return dict(Candidate.objects.filter(constituency=scope.constituency).values_list("code", "id"))


# --- versions, flags and the audit log ------------------------------------------------------------


ENTERING = ("saved", "submitted", "imported")  # versions whose author took part in entering the figures


def _snapshot(tally: Tally, content: dict[str, Any], by: Any, action: str, note: str = "") -> TallyVersion:
    return TallyVersion.objects.create(
        tally=tally,
        version=tally.version,
        status=tally.status,
        action=action,
        figures=content,
        payload_hash=_hash(content),
        saved_by=by if getattr(by, "pk", None) else None,
        note=note[:300],
    )


def _replace_check_flags(tally: Tally, findings: Iterable[checks.Finding]) -> None:
    """The tally's open flags from checks mirror its current findings."""
    Flag.objects.filter(tally=tally, source__startswith="check:", status=Flag.Status.OPEN).delete()
    Flag.objects.bulk_create(
        Flag(
            election_id=tally.election_id,
            polling_unit_id=tally.polling_unit_id,
            constituency_id=tally.constituency_id,
            tally=tally,
            code=f.code,
            severity=f.severity,
            message=f.message,
            params=f.params,
            source=f"check: {f.source}",
        )
        for f in findings
    )


def _key(scope: TallyScope, tally: Tally | None = None) -> str:
    suffix = f"/r{tally.round}.{tally.attempt}" if tally else ""
    return f"{scope.unit.code}/{scope.contest.code}{suffix}"


def _record(action: str, scope: TallyScope, tally: Tally, by: Any, source: str, **kwargs: Any) -> AuditRecord:
    return AuditRecord(
        action,
        user=by,
        election_slug=scope.election.slug,
        object_type="tally",
        object_key=_key(scope, tally),
        source=source,
        **kwargs,
    )


def _audit(action: str, scope: TallyScope, tally: Tally, by: Any, source: str, **kwargs: Any) -> None:
    audit_log_many([_record(action, scope, tally, by, source, **kwargs)])


def _state(tally: Tally) -> dict[str, Any]:
    return {"status": tally.status, "version": tally.version}


def _stale(current: int, given: int | None) -> str:
    if given is None:
        return f"The tally was saved meanwhile (now version {current}); reload the page to see it."
    return f"The tally changed meanwhile: it is at version {current}, not {given}."


def _locked(scope: TallyScope, version: int | None) -> Tally:
    tally = current_tally(scope, lock=True)
    if tally is None:
        raise TallyConflict("There is no tally for this polling unit and contest yet.")
    if version is not None and version != tally.version:
        raise TallyConflict(_stale(tally.version, version))
    return tally


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
    by: Any,
    source: str,
    *,
    submit: bool = False,
) -> _Saved:
    """The save itself, on the row `current_tally(scope, lock=True)` returned; the caller writes the audit.

    With `submit` the new figures are saved as submitted: one change, one version, one audit entry.
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
            raise TallyConflict(f"The tally is {tally.status} and can no longer be edited by its clerk.")
        if version is None or version != tally.version:
            raise TallyConflict(_stale(tally.version, version))
    elif version is not None and attempt == 1:
        raise TallyConflict("There is no saved tally to update; leave out the version for the first save.")

    candidates = candidate_ids(scope)
    problems, findings = validate(scope, payload, loaded=loaded_list_count(scope), candidates=candidates)
    if problems:
        raise TallyInvalid("The tally does not add up.", problems)

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
            raise TallyConflict("The tally was created meanwhile by someone else; reload it.") from None
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
    action = "submitted" if submit else "saved"
    _snapshot(tally, content, by, action)
    _replace_check_flags(tally, findings)
    record = _record(
        f"results.tally.{action}", scope, tally, by, source, before=before, after={**_state(tally), **content}
    )
    return _Saved(tally, created, content, findings, record)


@transaction.atomic
def tally_save(
    *, scope: TallyScope, payload: TallyPayload, version: int | None, by: Any, source: str = ""
) -> tuple[Tally, bool]:
    """Save the clerk's draft (CONTRACT §7 PUT). Returns (tally, created).

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
    by: Any,
    version: int | None = None,
    source: str = "",
    payload: TallyPayload | None = None,
) -> Tally:
    """Draft or returned -> submitted, only if the checks pass. A retried submission counts once.

    With `payload`, the figures are saved and submitted in one step (one request from a phone on a
    poor connection): `version` is then the version the clerk's copy was based on, as for a save.
    """
    tally = current_tally(scope, lock=True)
    retry = tally is not None and tally.status == Status.SUBMITTED and tally.submitted_by_id == getattr(by, "pk", None)
    if payload is not None:
        if retry and tally is not None and same_content(tally, payload):
            return tally  # the same submission again (a retry after a lost answer)
        saved = _save_locked(scope, tally, payload, version, by, source, submit=True)
        if saved.audit is not None:
            audit_log_many([saved.audit])
            return saved.tally
        tally = saved.tally  # a replay of an earlier save of these figures: submit that draft
        content, findings = tally_figures(tally), None
    else:
        if tally is None:
            raise TallyConflict("There is no tally to submit; save it first.")
        if retry and (version is None or version + 1 == tally.version):
            return tally  # the same submission again (a retry after a lost answer)
        if version is not None and version != tally.version:
            raise TallyConflict(_stale(tally.version, version))
        content, findings = tally_figures(tally), None
    if tally.status not in EDITABLE:
        raise TallyConflict(f"A {tally.status} tally cannot be submitted.")
    if findings is None:
        stored = TallyPayload({k: content[k] for k in FIGURES}, content["votes"], content["complaints"])
        problems, findings = validate(scope, stored, loaded=loaded_list_count(scope))
        if problems:
            raise TallyInvalid("The tally does not add up.", problems)
    before = _state(tally)
    tally.status, tally.submitted_by, tally.return_reason = Status.SUBMITTED, by, ""
    tally.version += 1
    tally.save(update_fields=["status", "submitted_by", "return_reason", "version", "updated_at"])
    _snapshot(tally, content, by, "submitted")
    _replace_check_flags(tally, findings)
    _audit("results.tally.submitted", scope, tally, by, source, before=before, after=_state(tally))
    return tally


def same_content(tally: Tally, payload: TallyPayload) -> bool:
    return tally_figures(tally) == payload.canonical()


@transaction.atomic
def tally_return(*, scope: TallyScope, reason: str, by: Any, version: int | None = None, source: str = "") -> Tally:
    """Submitted -> returned to the clerk, with the reviewer's reason."""
    reason = (reason or "").strip()
    if not reason:
        raise TallyInvalid("A reason is required.", [Problem("reason", "is required")])
    tally = _locked(scope, version)
    if tally.status != Status.SUBMITTED:
        raise TallyConflict(f"Only a submitted tally can be returned; this one is {tally.status}.")
    before = _state(tally)
    tally.status, tally.return_reason = Status.RETURNED, reason
    tally.version += 1
    tally.save(update_fields=["status", "return_reason", "version", "updated_at"])
    _snapshot(tally, tally_figures(tally), by, "returned", note=reason)
    _audit(
        "results.tally.returned", scope, tally, by, source, before=before, after=_state(tally), data={"reason": reason}
    )
    return tally


def _editors(tally: Tally) -> set[int]:
    versions = tally.versions.filter(action__in=ENTERING).exclude(saved_by=None)
    ids = set(versions.values_list("saved_by_id", flat=True))
    return ids | {i for i in (tally.submitted_by_id, tally.entered_by_id) if i}


@transaction.atomic
def tally_approve(*, scope: TallyScope, by: Any, version: int | None = None, source: str = "") -> Tally:
    """Submitted -> approved, by a reviewer who neither entered nor submitted it (CONTRACT §6)."""
    tally = _locked(scope, version)
    if tally.status != Status.SUBMITTED:
        raise TallyConflict(f"Only a submitted tally can be approved; this one is {tally.status}.")
    if by.pk in _editors(tally):
        raise SeparationOfDuties("You entered or submitted this tally; another member must approve it.")
    before = _state(tally)
    tally.status, tally.approved_by = Status.APPROVED, by
    tally.version += 1
    tally.save(update_fields=["status", "approved_by", "version", "updated_at"])
    totals_apply([tally_change(tally, tally_votes([tally.pk])[tally.pk], +1)])
    _snapshot(tally, tally_figures(tally), by, "approved")
    _audit("results.tally.approved", scope, tally, by, source, before=before, after=_state(tally))
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


def _results_changed(scope: TallyScope, by: Any, source: str, change: "publication.Change") -> None:
    """Counted tallies changed: the public pages refresh, and a published result shows the correction."""
    publication.public_changed(scope.election.pk, results=True)
    publication.sync_published([scope.constituency.pk], change=change, by=by, source=source)


@transaction.atomic
def tally_annul(*, scope: TallyScope, reason: str, by: Any, source: str = "") -> Tally:
    """Annul the unit's result for this contest (Art. 81, serious violations): it leaves the count and
    the unit votes again; the clerk's next save opens the re-vote's tally (the next attempt)."""
    reason = (reason or "").strip()
    if not reason:
        raise TallyInvalid("A reason is required.", [Problem("reason", "is required")])
    tally = _locked(scope, None)
    if tally.status == Status.ANNULLED:
        raise TallyConflict("This result is already annulled.")
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
        "results.tally.annulled", scope, tally, by, source, before=before, after=_state(tally), data={"reason": reason}
    )
    _results_changed(scope, by, source, publication.Change(publication.CAUSE_UNIT_ANNULLED, scope.unit.code, reason))
    return tally


@transaction.atomic
def correction_propose(
    *, scope: TallyScope, payload: TallyPayload, reason: str, by: Any, version: int | None = None, source: str = ""
) -> TallyCorrection:
    """Propose new figures for an approved tally; a second committee member must approve them."""
    reason = (reason or "").strip()
    if not reason:
        raise TallyInvalid("A reason is required.", [Problem("reason", "is required")])
    tally = _locked(scope, version)
    if tally.status != Status.APPROVED:
        raise TallyConflict("Only an approved tally is corrected this way; return a submitted one instead.")
    if tally.corrections.filter(status=TallyCorrection.Status.PENDING).exists():
        raise TallyConflict("A correction of this tally is already waiting for approval.")
    problems, _findings = validate(scope, payload, loaded=loaded_list_count(scope))
    if problems:
        raise TallyInvalid("The corrected tally does not add up.", problems)
    correction = TallyCorrection.objects.create(
        tally=tally, based_on_version=tally.version, figures=payload.canonical(), reason=reason, proposed_by=by
    )
    _audit(
        "results.tally.correction_proposed",
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
    *, scope: TallyScope, correction_id: int, approve: bool, by: Any, note: str = "", source: str = ""
) -> TallyCorrection:
    """A second committee member applies or rejects a pending correction; applying makes a new version."""
    tally = _locked(scope, None)
    correction = TallyCorrection.objects.select_for_update().filter(pk=correction_id, tally=tally).first()
    if correction is None or correction.status != TallyCorrection.Status.PENDING:
        raise TallyConflict("There is no pending correction with that number for this tally.")
    if correction.proposed_by_id == by.pk:
        raise SeparationOfDuties("You proposed this correction; another committee member must decide on it.")
    if correction.based_on_version != tally.version:
        raise TallyConflict("The tally changed since the correction was proposed; propose it again.")
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
            "results.tally.corrected",
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
            "results.tally.correction_rejected",
            scope,
            tally,
            by,
            source,
            data={"correction": correction.pk, "note": note},
        )
    return correction


# --- turnout during the day -----------------------------------------------------------------------


@transaction.atomic
def turnout_report_save(
    *, unit: PollingUnit, at: Any, voters_voted: int, by: Any, source: str = "", kind: str = TurnoutReport.Source.CLERK
) -> tuple[TurnoutReport, list[checks.Finding]]:
    """Record voters who have voted so far at a reporting time; warn when the day's series goes down."""
    election = unit.election
    if at not in election.report_times():
        raise TallyInvalid("Not a reporting time of this election.", [Problem("at", "is not a reporting time")])
    registered = unit.registered_voters
    if registered is not None and voters_voted > registered:
        words = checks.message("turnout_above_list", {"voted": voters_voted, "listed": registered})
        raise TallyInvalid("More voters than on the list.", [Problem("voters_voted", words)])
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
        "results.turnout.reported",
        user=by,
        election_slug=election.slug,
        object_type="turnout",
        object_key=f"{unit.code}@{at.isoformat('minutes')}",
        before=before,
        after={"at": at.isoformat("minutes"), "voters_voted": voters_voted, "source": kind},
        source=source,
    )
    return report, found


# --- import (CONTRACT §2) -------------------------------------------------------------------------


@dataclass
class TallyImportReport:
    created: int = 0
    updated: int = 0
    unchanged: int = 0
    flagged: int = 0
    problems: list[Problem] = field(default_factory=list)
    warnings: list[Problem] = field(default_factory=list)


@dataclass
class _Row:
    path: str
    payload: TallyPayload
    membership: PollingUnitConstituency
    findings: list[checks.Finding]


def tallies_import(
    *,
    election: Election,
    items: list[tuple[str, Any]],
    approve: bool = False,
    lenient: bool = False,
    by: Any = None,
    source: str = "",
    dry_run: bool = False,
) -> TallyImportReport:
    """Load tallies as a committee would receive them, all or nothing (CONTRACT §2).

    Without `approve` they arrive submitted, for review; with it, approved by the committee as an
    import. With `lenient`, a tally that breaks a rule of the minutes is recorded as given and raises
    an error flag instead of refusing the file; unknown codes and malformed values are still refused.
    Importing the same file again changes nothing.
    """
    report = TallyImportReport()
    rows = _read_rows(election, items, lenient=lenient, report=report)
    if report.problems or dry_run:
        return report
    with transaction.atomic():
        _write_rows(election, rows, approve=approve, by=by, source=source, report=report)
    return report


def _read_rows(
    election: Election, items: list[tuple[str, Any]], *, lenient: bool, report: TallyImportReport
) -> list[_Row]:
    memberships = {
        (m.polling_unit.code, m.contest.code): m
        for m in PollingUnitConstituency.objects.filter(polling_unit__election=election).select_related(
            "polling_unit", "contest", "constituency"
        )
    }
    candidates: dict[int, set[str]] = defaultdict(set)
    for cons_id, code in Candidate.objects.filter(election=election).values_list("constituency_id", "code"):
        candidates[cons_id].add(code)
    seen: dict[tuple[str, str], str] = {}
    rows = []
    for path, obj in items:
        payload, problems = parse_tally(obj, path=path, with_keys=True)
        if problems:
            report.problems += problems
            continue
        assert payload is not None
        key = (payload.polling_unit, payload.contest)
        membership = memberships.get(key)
        if membership is None:
            units = {u for u, _ in memberships}
            what = "contest" if payload.polling_unit in units else "polling_unit"
            value = payload.contest if what == "contest" else payload.polling_unit
            report.problems.append(
                Problem(
                    f"{path}.{what}",
                    f'unknown {what.replace("_", " ")} "{value}"'
                    + (" for this polling unit" if what == "contest" else ""),
                )
            )
            continue
        if key in seen:
            report.problems.append(Problem(path, f"a second tally for {key[0]}/{key[1]} (first at {seen[key]})"))
            continue
        seen[key] = path
        problems = _candidate_problems(payload, candidates[membership.constituency_id], prefix=f"{path}.")
        if problems:
            report.problems += problems
            continue
        findings = checks.check_tally(_check_input(payload, membership.constituency.seats, None), rules=election.rules)
        broken = checks.errors(findings)
        if broken and not lenient:
            report.problems += [Problem(_at(path, f.fields), f.message) for f in broken]
            continue
        report.warnings += [Problem(_at(path, f.fields), f.message) for f in findings if f not in broken]
        rows.append(_Row(path, payload, membership, findings))
    return rows


def _at(path: str, fields: tuple[str, ...]) -> str:
    return f"{path}." + "+".join(fields)


def _write_rows(
    election: Election, rows: list[_Row], *, approve: bool, by: Any, source: str, report: TallyImportReport
) -> None:
    target = Status.APPROVED if approve else Status.SUBMITTED
    existing: dict[tuple[int, int], Tally] = {}
    # Only the constituencies' current rounds are imported into; the newest attempt of a unit wins.
    for t in (
        Tally.objects.select_for_update(of=("self",))
        .filter(election=election, round=F("constituency__current_round"))
        .order_by("polling_unit_id", "contest_id", "attempt")
    ):
        existing[(t.polling_unit_id, t.contest_id)] = t
    current_votes: dict[int, dict[str, int]] = defaultdict(dict)
    if existing:
        ids = [t.pk for t in existing.values()]
        for start in range(0, len(ids), 20000):
            for tally_id, code, votes in TallyVote.objects.filter(tally_id__in=ids[start : start + 20000]).values_list(
                "tally_id", "candidate__code", "votes"
            ):
                current_votes[tally_id][code] = votes
    ids_by_code = dict(Candidate.objects.filter(election=election).values_list("code", "id"))
    user = by if getattr(by, "pk", None) else None

    to_create: list[tuple[_Row, Tally]] = []
    to_update: list[tuple[_Row, Tally, dict[str, Any]]] = []
    for row in rows:
        m = row.membership
        old = existing.get((m.polling_unit_id, m.contest_id))
        if old is not None and old.status != Status.ANNULLED:
            old_content = {
                **{n: getattr(old, n) for n in FIGURES},
                "votes": dict(sorted(current_votes[old.pk].items())),
                "complaints": old.complaints,
            }
            if old_content == row.payload.canonical() and old.status == target:
                report.unchanged += 1
                continue
            if old.status == Status.APPROVED:
                report.problems.append(
                    Problem(
                        row.path,
                        f"{m.polling_unit.code}/{m.contest.code} is already approved with other "
                        "figures; correct it through the correction workflow",
                    )
                )
                continue
            to_update.append((row, old, {"status": old.status, "version": old.version, **old_content}))
        else:
            attempt = old.attempt + 1 if old is not None else 1
            to_create.append(
                (
                    row,
                    Tally(
                        election=election,
                        polling_unit_id=m.polling_unit_id,
                        contest_id=m.contest_id,
                        constituency_id=m.constituency_id,
                        round=m.constituency.current_round,
                        attempt=attempt,
                        status=target,
                        entered_by=user,
                        submitted_by=user,
                        approved_by=None,
                        imported=True,
                        **row.payload.figures,
                        complaints=row.payload.complaints,
                    ),
                )
            )
    if report.problems:
        transaction.set_rollback(True)
        return

    Tally.objects.bulk_create([t for _, t in to_create], batch_size=BATCH)
    if to_create and to_create[0][1].pk is None:  # backends without RETURNING
        keys = {(t.polling_unit_id, t.contest_id, t.round, t.attempt): t for _, t in to_create}
        for pk, u, c, r, a in Tally.objects.filter(election=election).values_list(
            "pk", "polling_unit_id", "contest_id", "round", "attempt"
        ):
            if (u, c, r, a) in keys:
                keys[(u, c, r, a)].pk = pk
    for row, tally, _before in to_update:
        for name, value in row.payload.figures.items():
            setattr(tally, name, value)
        tally.complaints = row.payload.complaints
        tally.status = target
        tally.version += 1
        tally.imported = True
        tally.submitted_by = user
    Tally.objects.bulk_update(
        [t for _, t, _ in to_update],
        [*FIGURES, "complaints", "status", "version", "imported", "submitted_by"],
        batch_size=BATCH,
    )
    updated_ids = [t.pk for _, t, _ in to_update]
    for start in range(0, len(updated_ids), 20000):
        TallyVote.objects.filter(tally_id__in=updated_ids[start : start + 20000]).delete()
        Flag.objects.filter(tally_id__in=updated_ids[start : start + 20000], status=Flag.Status.OPEN).delete()

    written = [(row, t) for row, t in to_create] + [(row, t) for row, t, _ in to_update]
    befores = {t.pk: before for _, t, before in to_update}
    TallyVote.objects.bulk_create(
        (
            TallyVote(tally_id=t.pk, candidate_id=ids_by_code[code], votes=n)
            for row, t in written
            for code, n in row.payload.votes.items()
        ),
        batch_size=10000,
    )
    TallyVersion.objects.bulk_create(
        (
            TallyVersion(
                tally_id=t.pk,
                version=t.version,
                status=t.status,
                figures=row.payload.canonical(),
                payload_hash=_hash(row.payload.canonical()),
                saved_by=user,
                action="imported",
            )
            for row, t in written
        ),
        batch_size=BATCH,
    )
    if approve:  # every written tally becomes approved now (already approved ones were refused or unchanged)
        totals_apply(
            tally_change(t, {ids_by_code[code]: n for code, n in row.payload.votes.items()}, +1) for row, t in written
        )
    flags = [
        Flag(
            election=election,
            polling_unit_id=t.polling_unit_id,
            constituency_id=t.constituency_id,
            tally_id=t.pk,
            code=f.code,
            severity=f.severity,
            message=f.message,
            params=f.params,
            source=f"check: {f.source}" + ("; lenient import" if f.severity == checks.ERROR else ""),
        )
        for row, t in written
        for f in row.findings
    ]
    Flag.objects.bulk_create(flags, batch_size=BATCH)
    report.flagged = len({f.tally_id for f in flags if f.severity == checks.ERROR})
    report.created, report.updated = len(to_create), len(to_update)
    if approve and written:
        publication.public_changed(election.pk, results=True)
        publication.sync_published(
            {row.membership.constituency_id for row, _t in written},
            change=publication.Change(publication.CAUSE_TALLY_APPROVED),
            by=by,
            source=source,
        )
    action = "results.tally.imported_approved" if approve else "results.tally.imported"
    audit_log_many(
        AuditRecord(
            action,
            user=by,
            election_slug=election.slug,
            object_type="tally",
            object_key=f"{row.membership.polling_unit.code}/{row.membership.contest.code}/r{t.round}.{t.attempt}",
            before=befores.get(t.pk),
            after={"status": t.status, "version": t.version, **row.payload.canonical()},
            source=source,
        )
        for row, t in written
    )
