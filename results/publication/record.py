"""The record of a constituency's result (interfaces §3) that a publication keeps: the figures, the candidates,
the law's reasons; not the committees' working notes (flags, margin check), which the API adds for them."""

from typing import Any

from results.models import ConstituencyDecision
from results.outcomes.constituency import CandidateResult, ConstituencyOutcome


def result_record(outcome: ConstituencyOutcome) -> dict[str, Any]:
    c = outcome.constituency
    return {
        "election": c.election.slug,
        "contest": c.contest.code,
        "constituency": c.code,
        "name": c.name,
        "seats": c.seats,
        "round": outcome.current.number,
        "round_kind": outcome.current.kind,
        "round_seats": outcome.current.seats,
        "polling_units": outcome.current.polling_units,
        "polling_units_counted": outcome.current.polling_units_counted,
        **outcome.current.figures.as_dict(),
        "candidates": [candidate_record(x) for x in outcome.candidates],
        "elected_in_earlier_rounds": [candidate_record(x) | {"round": x.round} for x in outcome.elected_earlier],
        "seats_filled": outcome.seats_filled,
        "status": outcome.status,
        "published": outcome.published,
        "flags": [],  # the committees' working notes are not part of the record
        "reasons": [{"code": r.code, "article": r.article, "message": r.message} for r in outcome.current.reasons],
        "second_round_deadline": outcome.deadline.isoformat() if outcome.deadline else None,
        "deadline": outcome.round_deadline.isoformat() if outcome.round_deadline else None,
        "decisions": [decision_record(d) for d in outcome.decisions],
    }


def decision_record(d: ConstituencyDecision) -> dict[str, Any]:
    """A recorded decision as CONTRACT §10 gives it (+ its round and article; `elected` for a settled tie; `consent`,
    the NEC's, for a council re-election under the 2025 text)."""
    out: dict[str, Any] = {
        "kind": d.kind,
        "body": d.body,
        "reference": d.reference,
        "date": d.date.isoformat(),
        "reason": d.reason,
        "round": d.round,
        "article": d.article,
    }
    if d.kind == ConstituencyDecision.Kind.TIE_SETTLED:
        out["elected"] = [c.code for c in sorted(d.elected.all(), key=lambda c: c.ballot_order)]
    if d.consent_reference:  # Art. 80(3) as amended: the NEC's consent to a council re-election
        out["consent"] = {
            "body": d.consent_body,
            "reference": d.consent_reference,
            "date": d.consent_date.isoformat() if d.consent_date else None,
        }
    return out


def candidate_record(x: CandidateResult) -> dict[str, Any]:
    return {
        "code": x.code,
        "full_name": x.full_name,
        "date_of_birth": x.date_of_birth,
        "affiliation": x.affiliation,
        "votes": x.votes,
        "pct_of_valid": x.pct_of_valid,
        "elected": x.elected,
    }
