"""A tally as it stands: reading the current one, checking a payload, keeping its versions, flags and audit entries."""

import hashlib
import json
from collections.abc import Iterable, Mapping
from typing import Any

from django.utils.translation import gettext_lazy as _

from core.errors import Problem, lazy_format
from core.types import Actor
from elections.audit import AuditRecord, audit_log_many
from elections.models import Candidate
from results.models import FIGURES, Flag, Tally, TallyDraft, TallyVersion, TallyVote
from results.outcomes import rounds
from results.permissions import TallyScope
from results.rules import checks
from results.tallies.errors import TallyConflict
from results.tallies.parsing import TallyPayload
from voters.selectors import voters_on_list

Status = Tally.Status


EDITABLE = (Status.DRAFT, Status.RETURNED)


def current_tally(scope: TallyScope, *, lock: bool = False) -> Tally | None:
    """The newest attempt of the constituency's current round for this unit and contest."""
    qs = Tally.objects.filter(
        polling_unit=scope.unit, contest=scope.contest, round=scope.constituency.current_round
    ).order_by("-attempt")
    if lock:
        qs = qs.select_for_update()
    return qs.first()


def draft_place(tally: Tally | None, *, current_round: int) -> tuple[int, int, int | None]:
    """(round, attempt, tally version) a draft typed now stands over: after an annulment, the re-vote's attempt."""
    if tally is None:
        return current_round, 1, None
    if tally.status == Status.ANNULLED:
        return tally.round, tally.attempt + 1, None
    return tally.round, tally.attempt, tally.version


def current_draft(scope: TallyScope, tally: Tally | None, *, lock: bool = False) -> TallyDraft | None:
    """The draft kept as typed over the current tally (or before the first), if any; one typed over an older
    version of the tally no longer applies."""
    round_, attempt, version = draft_place(tally, current_round=scope.constituency.current_round)
    qs = TallyDraft.objects.filter(polling_unit=scope.unit, contest=scope.contest, round=round_, attempt=attempt)
    # saved_by may be empty: PostgreSQL locks no row of an outer join's nullable side, so the lock is on the draft
    qs = qs.select_for_update(of=("self",)) if lock else qs
    draft = qs.select_related("saved_by").first()
    return draft if draft is not None and draft.based_on_version == version else None


def drafts_forget(scope: TallyScope) -> None:
    """The tally was saved or submitted whole: the drafts kept as typed for this unit and contest are done."""
    TallyDraft.objects.filter(polling_unit=scope.unit, contest=scope.contest).delete()


def tally_figures(tally: Tally) -> dict[str, Any]:
    """The content of a tally as plain data: six figures, votes by candidate code, complaints."""
    known = tally.__dict__.get("_kp_figures")
    if known is not None:  # written by this request (`figures_known`): no need to read the votes back
        return {**known, "votes": dict(known["votes"])}
    votes = dict(
        sorted(TallyVote.objects.filter(tally=tally).values_list("candidate__code", "votes"), key=lambda kv: kv[0])
    )
    return {**{name: getattr(tally, name) for name in FIGURES}, "votes": votes, "complaints": tally.complaints}


def figures_known(tally: Tally, content: Mapping[str, Any]) -> None:
    """`content` (a payload's canonical form) is what `tally` now holds: `tally_figures` answers it without a query
    for as long as this instance lives (one request)."""
    tally.__dict__["_kp_figures"] = {
        **{name: content[name] for name in FIGURES},
        "votes": dict(content["votes"]),
        "complaints": content["complaints"],
    }


def _hash(content: Mapping[str, Any]) -> str:
    return hashlib.sha256(json.dumps(content, sort_keys=True, ensure_ascii=False).encode()).hexdigest()


def loaded_list_count(scope: TallyScope) -> int | None:
    """The loaded voter list's count for this unit and contest, when the voters app has a list."""
    return voters_on_list(scope.unit, scope.contest)


def _check_input(payload: TallyPayload, seats: int, loaded: int | None) -> checks.TallyInput:
    return checks.TallyInput(**payload.figures, votes=payload.votes, seats=seats, loaded_list=loaded)


def _candidate_problems(
    payload: TallyPayload, codes: Iterable[str], prefix: str = "", round_number: int = 1
) -> list[Problem]:
    codes = set(codes)
    given = set(payload.votes)
    # Art. 79: an additional election's ballot holds only the candidates not yet elected.
    outside = "is not a candidate of this constituency"
    if round_number > 1:
        outside = f"is not on round {round_number}'s ballot"
    problems = [Problem(f"{prefix}votes.{c}", outside) for c in sorted(given - codes)]
    problems += [
        Problem(f"{prefix}votes.{c}", "is missing: every candidate needs a number") for c in sorted(codes - given)
    ]
    return problems


def validate(
    scope: TallyScope, payload: TallyPayload, *, loaded: int | None = None, candidates: Mapping[str, int] | None = None
) -> tuple[list[Problem], list[checks.Finding]]:
    """Problems that refuse the tally (unknown candidates, failed checks) and every finding of the checks.

    The ballot and the seats are those of the constituency's current round (Arts. 79, 80): an additional
    election for 1 seat allows at most one name per valid ballot.
    """
    info = rounds.round_info(scope.constituency)
    if candidates is None:
        candidates = candidate_ids(scope)
    problems = _candidate_problems(payload, candidates, round_number=info.number)
    if problems:
        return problems, []
    findings = checks.check_tally(_check_input(payload, info.seats, loaded), rules=scope.election.rules)
    problems = [Problem(", ".join(f.fields), f.message) for f in checks.errors(findings)]
    return problems, findings


def ballot_of(scope: TallyScope, tally: Tally | None = None) -> tuple[rounds.RoundInfo, list[Candidate]]:
    """The round of `tally` (else the constituency's current round) and the candidates on its ballot."""
    return rounds.ballot(scope.constituency, tally.round if tally is not None else None)


def candidate_ids(scope: TallyScope, round_number: int | None = None) -> dict[str, int]:
    """The codes and ids of the candidates on the ballot of the round (the current one by default)."""
    _info, candidates = rounds.ballot(scope.constituency, round_number)
    return {c.code: c.pk for c in candidates}


ENTERING = ("saved", "submitted", "imported")  # versions whose author took part in entering the figures


def _snapshot(tally: Tally, content: dict[str, Any], by: Actor, action: str, note: str = "") -> TallyVersion:
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


def _replace_check_flags(tally: Tally, findings: Iterable[checks.Finding], *, created: bool = False) -> None:
    """The tally's open flags from checks mirror its current findings (a tally just `created` has none yet)."""
    if not created:
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


def _record(action: str, scope: TallyScope, tally: Tally, by: Actor, source: str, **kwargs: Any) -> AuditRecord:
    return AuditRecord(
        action,
        user=by,
        election_slug=scope.election.slug,
        object_type="tally",
        object_key=_key(scope, tally),
        source=source,
        **kwargs,
    )


def _audit(action: str, scope: TallyScope, tally: Tally, by: Actor, source: str, **kwargs: Any) -> None:
    audit_log_many([_record(action, scope, tally, by, source, **kwargs)])


def _state(tally: Tally) -> dict[str, Any]:
    return {"status": tally.status, "version": tally.version}


def _stale(current: int, given: int | None) -> Any:
    if given is None:
        return lazy_format(
            _("The tally was saved meanwhile (now version %(current)s); reload the page to see it."), current=current
        )
    return lazy_format(
        _("The tally changed meanwhile: it is at version %(current)s, not %(given)s."), current=current, given=given
    )


def _locked(scope: TallyScope, version: int | None) -> Tally:
    tally = current_tally(scope, lock=True)
    if tally is None:
        raise TallyConflict(_("There is no tally for this polling unit and contest yet."))
    if version is not None and version != tally.version:
        raise TallyConflict(_stale(tally.version, version))
    return tally
