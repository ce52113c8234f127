"""The canonical data of each official minute, read from the approved count (selectors, no writes).

Each builder returns plain JSON data (`source`): everything a minute prints that comes from the count,
in a fixed order, so that its SHA-256 names exactly what the minute says. Entered details (meeting
time, members, witnesses, notes) are `inputs`, kept beside it (`minutes.py`). Builders raise
`MinutesUnavailable` when the law does not allow the minute yet:

- counting minutes (Art. 76): the tally must be approved;
- constituency minutes (Art. 77): every polling unit of the round must be counted;
- summary minutes (Art. 85; Art. 83 for the National Assembly): every constituency of the contest in
  the area must be counted; issuing also waits for second rounds (NEC Q&A 2026, question 159).
"""

import hashlib
import json
import re
from collections import defaultdict
from dataclasses import dataclass
from typing import Any

from django.utils.translation import gettext

from core.errors import Conflict
from elections.models import Area, Candidate, Constituency, Contest, Election, Level
from results.models import (
    FIGURES,
    FORMS_2025,
    BodyMember,
    ConstituencyDecision,
    Minute,
    MinutesSettings,
    Tally,
    TallyVote,
)
from results.outcomes import constituency as outcomes
from results.outcomes import contests, rounds
from results.outcomes import revotes as unit_revotes
from results.permissions import TallyScope
from results.publication.record import decision_record
from results.rules import second_rounds
from results.rules import winners as rules
from results.rules.percentages import percent, percents_to_100

APPROVED = Tally.Status.APPROVED


class MinutesUnavailable(Conflict):
    """The minute cannot be made from the data as it stands (HTTP 409); `message` says why."""


def canonical(value: Any) -> str:
    return json.dumps(value, sort_keys=True, separators=(",", ":"), ensure_ascii=False)


def sha256_of(value: Any) -> str:
    return hashlib.sha256(canonical(value).encode()).hexdigest()


def settings_for(election_id: int) -> MinutesSettings:
    """The election's settings of the forms; unsaved defaults by the law in force on election day if none is kept."""
    found = MinutesSettings.objects.filter(election_id=election_id).first()
    if found is not None:
        return found
    defaults = MinutesSettings(election_id=election_id)  # the 2021 forms
    day = Election.objects.filter(pk=election_id).values_list("election_day", flat=True).first()
    if day is not None and day >= second_rounds.LAW_83_2025_IN_FORCE:
        for name, number in FORMS_2025.items():
            setattr(defaults, f"form_{name}", number)
    return defaults


def _areas(area: Area) -> list[dict[str, str]]:
    """The area and those above it, top first: [{"code", "name"}]."""
    ids = [int(part) for part in area.path.split("/") if part]
    by_id = {a.pk: a for a in Area.objects.filter(pk__in=ids)}
    return [{"code": by_id[i].code, "name": by_id[i].name} for i in ids if i in by_id]


def _election(e: Any) -> dict[str, Any]:
    return {"slug": e.slug, "name": e.name, "election_day": e.election_day.isoformat(), "rules": e.rules}


def _contest(c: Contest) -> dict[str, Any]:
    return {"code": c.code, "name": c.name, "level": c.level}


def _figures(source: Any) -> dict[str, Any]:
    """The six figures with the law's percentages: turnout over voters on the list; valid and invalid
    over ballots received, adjusted to total 100.00 as the NEC asks (aggregation.percents_to_100)."""
    f = {name: int(getattr(source, name) if not isinstance(source, dict) else source[name]) for name in FIGURES}
    valid_pct, invalid_pct = percents_to_100([f["valid_ballots"], f["invalid_ballots"]], f["ballots_received"])
    return {
        **f,
        "turnout_pct": percent(f["voters_voted"], f["voters_on_list"]),
        "valid_pct": valid_pct,
        "invalid_pct": invalid_pct,
    }


def _candidate(c: Candidate, votes: int, valid: int, **extra: Any) -> dict[str, Any]:
    return {
        "code": c.code,
        "name": c.full_name,
        "gender": c.gender,
        "born": c.date_of_birth_display,
        "affiliation": c.affiliation,
        "ballot_order": c.ballot_order,
        "votes": votes,
        "pct": percent(votes, valid),
        **extra,
    }


def members_of(*, unit_id: int | None = None, constituency_id: int | None = None, area_id: int | None = None) -> list:
    qs = BodyMember.objects.filter(polling_unit_id=unit_id, constituency_id=constituency_id, area_id=area_id)
    return [{"name": m.full_name, "gender": m.gender, "position": m.position} for m in qs.order_by("order", "pk")]


# --- Art. 76: counting minutes ------------------------------------------------------------------


def counting_tally(scope: TallyScope, round_number: int | None = None) -> Tally:
    """The tally the counting minutes of `scope` are about: the newest attempt of the round."""
    number = round_number or scope.constituency.current_round
    tally = (
        Tally.objects.filter(polling_unit=scope.unit, contest=scope.contest, round=number).order_by("-attempt").first()
    )
    if tally is None:
        raise MinutesUnavailable(gettext("No counting minutes have been entered for this polling unit and contest."))
    if tally.status != APPROVED:
        raise MinutesUnavailable(
            gettext("The counting minutes are %(status)s: official minutes are made only from an approved tally.")
            % {"status": tally.get_status_display()}
        )
    return tally


def counting_key(scope: TallyScope, tally: Tally) -> str:
    return f"{scope.unit.code}/{scope.contest.code}/r{tally.round}.{tally.attempt}"


def counting_source(scope: TallyScope, tally: Tally) -> dict[str, Any]:
    """Art. 76(2), in the law's order: the six figures, votes for each candidate, complaints."""
    votes = dict(TallyVote.objects.filter(tally=tally).values_list("candidate_id", "votes"))
    candidates = list(scope.constituency.candidates.order_by("ballot_order"))
    ballot = _ballot(scope.constituency, tally.round)
    figures = _figures(tally)
    return {
        "kind": Minute.Kind.COUNTING,
        "election": _election(scope.election),
        "contest": _contest(scope.contest),
        "constituency": {
            "code": scope.constituency.code,
            "name": scope.constituency.name,
            "seats": scope.constituency.seats,
            "area": scope.constituency.area.name,  # the council's area, which names its level
        },
        "unit": {"code": scope.unit.code, "name": scope.unit.name},
        "areas": _areas(scope.unit.area),
        "round": tally.round,
        "round_kind": rounds.round_info(scope.constituency, tally.round).kind,
        "attempt": tally.attempt,
        "tally_version": tally.version,
        "status": tally.status,
        "figures": figures,
        "candidates": [
            _candidate(c, votes.get(c.pk, 0), figures["valid_ballots"])
            for c in candidates
            if ballot is None or c.pk in ballot
        ],
        "complaints": tally.complaints.strip(),
    }


def _ballot(constituency: Constituency, round_number: int) -> frozenset[int] | None:
    return rounds.round_info(constituency, round_number).ballot if round_number > 1 else None


# --- Art. 77: constituency result minutes -----------------------------------------------------------


def constituency_key(constituency: Constituency, round_number: int) -> str:
    return f"{constituency.code}/r{round_number}"


def _round_of(outcome: outcomes.ConstituencyOutcome, number: int) -> outcomes.RoundResult:
    for rr in [*outcome.earlier, outcome.current]:
        if rr.number == number:
            return rr
    raise MinutesUnavailable(gettext("Round %(n)s has not been held in this constituency.") % {"n": number})


def constituency_source(constituency: Constituency, round_number: int | None = None) -> dict[str, Any]:
    """Art. 77 and form 21/HĐBC-QH: seats, candidates, the figures with percentages, votes per candidate,
    the table of polling units, and what the rules conclude (turnout, winners, seats, further round)."""
    outcome = outcomes.constituency_outcome(constituency, with_margin=False)
    number = round_number or outcome.current.number
    rr = _round_of(outcome, number)
    if rr.status == rounds.INCOMPLETE:
        missing = rr.polling_units - rr.polling_units_counted
        raise MinutesUnavailable(
            gettext(
                "%(missing)s of %(units)s polling units are not counted yet: the constituency minutes are made "
                "once every unit's counting minutes are approved."
            )
            % {"missing": missing, "units": rr.polling_units}
        )
    cands = {c.pk: c for c in constituency.candidates.all()}
    valid = rr.figures.valid_ballots
    elected, tied = set(rr.elected), set(rr.tied)
    ballot = [cid for cid in sorted(rr.ballot, key=lambda i: cands[i].ballot_order) if cid in cands]
    candidates = [
        _candidate(cands[cid], rr.votes.get(cid, 0), valid, elected=cid in elected, tied=cid in tied) for cid in ballot
    ]
    # Winners from most votes down; equal votes: the order the rules elected them in (older first).
    winners = [_candidate(cands[cid], rr.votes.get(cid, 0), valid, elected=True) for cid in rr.elected if cid in cands]
    earlier_winners = []
    if rr.kind == rules.ADDITIONAL:
        earlier_winners = [
            {"code": x.code, "name": x.full_name, "gender": cands[x.id].gender, "votes": x.votes, "pct": x.pct_of_valid}
            for x in outcome.elected_earlier
        ]
    reasons = outcomes._reasons(constituency.election.rules, constituency.contest.level, rr, cands, outcome.decisions)
    seats_total = constituency.seats
    seats_filled = len(earlier_winners) + rr.seats_filled
    units, complaints = _unit_rows(constituency, number, ballot)
    return {
        "kind": Minute.Kind.CONSTITUENCY,
        "election": _election(constituency.election),
        "contest": _contest(constituency.contest),
        "constituency": {"code": constituency.code, "name": constituency.name, "seats": seats_total},
        "areas": _areas(constituency.area),
        "communes": list(dict.fromkeys(u["area"] for u in units)),  # in the order of the units
        "round": number,
        "round_kind": rr.kind,
        "round_seats": rr.seats,
        "status": rr.status,
        "figures": _figures(rr.figures.as_dict()),
        "candidates": candidates,
        "winners": winners,
        "earlier_winners": earlier_winners,
        "seats": seats_total,
        "seats_filled": seats_filled,
        "seats_unfilled": max(0, seats_total - seats_filled),
        "reasons": [
            {"code": r.code, "article": r.article, "params": _plain(r.params, {k: c.code for k, c in cands.items()})}
            for r in reasons
        ],
        "units": units,
        "unit_complaints": complaints,
        "revotes": revotes(constituency, number),
        # a second round's minute cites the decision that set it (Arts. 79(2)-(3), 80(2)-(4), 81)
        "opened_by": next(
            (
                decision_record(d)
                for d in outcome.decisions
                if d.kind not in ConstituencyDecision.CLOSING and d.round == number - 1
            ),
            None,
        ),
    }


ID_PARAMS = ("candidate", "last_elected")
ID_LIST_PARAMS = ("candidates", "winners", "losers")


def _plain(params: dict[str, Any], code_of: dict[int, str]) -> dict[str, Any]:
    """A reason's figures as plain JSON, with candidate codes for database ids: the data (and so its hash)
    must not depend on how rows happen to be numbered in one database."""
    out = dict(params)
    for key in ID_PARAMS:
        if key in out:
            out[key] = code_of.get(out[key], str(out[key]))
    for key in ID_LIST_PARAMS:
        if key in out:
            out[key] = [code_of.get(i, str(i)) for i in out[key]]
    return json.loads(canonical(out))


def _unit_rows(constituency: Constituency, number: int, ballot: list[int]) -> tuple[list[dict], list[dict]]:
    """Each counted unit's figures and votes (ballot order), sorted by unit code; the units' complaints."""
    tallies = {}
    for t in (
        Tally.objects.filter(constituency=constituency, round=number, status=APPROVED)
        .select_related("polling_unit__area")
        .order_by("polling_unit__code", "attempt")
    ):
        tallies[t.polling_unit_id] = t  # the newest approved attempt last
    votes: dict[int, dict[int, int]] = defaultdict(dict)
    for tally_id, cand_id, n in TallyVote.objects.filter(tally__in=[t.pk for t in tallies.values()]).values_list(
        "tally_id", "candidate_id", "votes"
    ):
        votes[tally_id][cand_id] = n
    rows, complaints = [], []
    for t in sorted(tallies.values(), key=lambda t: t.polling_unit.code):
        rows.append(
            {
                "code": t.polling_unit.code,
                "name": t.polling_unit.name,
                "area": t.polling_unit.area.name,
                **{name: getattr(t, name) for name in FIGURES},
                "votes": [votes[t.pk].get(cid, 0) for cid in ballot],
            }
        )
        if t.complaints.strip():
            complaints.append({"unit": t.polling_unit.code, "text": t.complaints.strip()})
    return rows, complaints


def revotes(constituency: Constituency, number: int | None = None) -> list[dict[str, Any]]:
    """The polling units that voted again after the NEC annulled their result (Art. 81(1)) and whose re-vote is
    counted (approved), in round `number` (None: every round): the unit, its attempt, the turnout of the re-vote
    and why the earlier result was annulled."""
    return [
        {
            "code": r.code,
            "name": r.name,
            "round": r.round,
            "attempt": r.attempt,
            "voters_on_list": r.voters_on_list,
            "voters_voted": r.voters_voted,
            "reason": r.reason,
        }
        for r in unit_revotes.revotes(constituency, number)
    ]


# --- Arts. 83 and 85: summary minutes of a contest in an area ---------------------------------------------


def summary_key(contest: Contest, area: Area) -> str:
    return f"{contest.code}@{area.code}"


def natural_key(code: str) -> list[Any]:
    """ "HD-2" before "HD-10": digits compare as numbers."""
    return [int(part) if part.isdigit() else part for part in re.split(r"(\d+)", code)]


def summary_constituencies(contest: Contest, area: Area) -> list[Constituency]:
    found = Constituency.objects.filter(contest=contest, area__path__startswith=area.path).select_related(
        "election", "contest", "area"
    )
    return sorted(found, key=lambda c: natural_key(c.code))


def summary_areas(contest: Contest) -> list[Area]:
    """The areas whose committee makes the contest's summary minutes: where its constituencies are placed."""
    ids = set(Constituency.objects.filter(contest=contest).values_list("area_id", flat=True))
    return list(Area.objects.filter(pk__in=ids).order_by("path"))


@dataclass(frozen=True)
class SummaryState:
    counted: bool  # every constituency counted: the minute can be drafted
    final: bool  # and none waits for a further round or a tie decision: the minute can be issued
    waiting: list[str]  # codes of constituencies that hold it back


def summary_state(contest: Contest, area: Area) -> SummaryState:
    """Whether the summary can be drafted and issued, from the constituencies' current statuses."""
    cons = Constituency.objects.filter(contest=contest, area__path__startswith=area.path)
    summaries = contests.constituency_summaries(contest.election, contest=contest, constituencies=cons)
    incomplete = [s.constituency.code for s in summaries if s.status == rounds.INCOMPLETE]
    pending = [s.constituency.code for s in summaries if s.status not in (rounds.INCOMPLETE, rules.DECIDED)]
    return SummaryState(
        bool(summaries) and not incomplete, bool(summaries) and not incomplete and not pending, incomplete or pending
    )


def summary_source(contest: Contest, area: Area) -> dict[str, Any]:
    """Art. 85 (form 27/HĐBC-HĐND in 2021), or Art. 83 for the National Assembly in a province: seats and
    candidates; a table per constituency (voters, turnout, valid and invalid ballots with percentages);
    re-elections and additional elections with their results; votes per candidate; the winners."""
    constituencies = summary_constituencies(contest, area)
    if not constituencies:
        raise MinutesUnavailable(gettext("No constituency of this contest lies in this area."))
    rows = []
    totals = outcomes.Figures()
    n_candidates = 0
    for cons in constituencies:
        outcome = outcomes.constituency_outcome(cons, with_margin=False)
        first = outcome.earlier[0] if outcome.earlier else outcome.current
        if outcome.current.status == rounds.INCOMPLETE or first.status == rounds.INCOMPLETE:
            raise MinutesUnavailable(
                gettext(
                    "Constituency %(code)s is not counted yet: the summary minutes are made once every "
                    "constituency of the contest in the area is counted."
                )
                % {"code": cons.code}
            )
        totals.add(first.figures)
        cands = {c.pk: c for c in cons.candidates.all()}
        n_candidates += len(cands)
        round_rows = []
        for rr in [*outcome.earlier, outcome.current]:
            valid = rr.figures.valid_ballots
            ids = sorted(rr.ballot, key=lambda i: (-rr.votes.get(i, 0), cands[i].ballot_order if i in cands else 0))
            round_rows.append(
                {
                    "number": rr.number,
                    "kind": rr.kind,
                    "seats": rr.seats,
                    "status": rr.status,
                    "figures": _figures(rr.figures.as_dict()),
                    "candidates": [
                        _candidate(cands[i], rr.votes.get(i, 0), valid, elected=i in set(rr.elected))
                        for i in ids
                        if i in cands
                    ],
                }
            )
        rows.append(
            {
                "code": cons.code,
                "name": cons.name,
                "seats": cons.seats,
                "candidates": len(cands),
                "status": outcome.current.status,
                "seats_filled": outcome.seats_filled,
                "rounds": round_rows,
                "decisions": [decision_record(d) for d in outcome.decisions],
                "revotes": revotes(cons),
                # Item 4: from the most votes to the fewest (form 27/HĐBC-HĐND, 20/HĐBC-QH), whatever the round.
                "winners": [
                    {
                        "name": x.full_name,
                        "gender": cands[x.id].gender,
                        "votes": x.votes,
                        "pct": x.pct_of_valid,
                        "round": x.round,
                    }
                    for x in sorted(outcome.elected, key=lambda x: -x.votes)
                ],
            }
        )
    seats = sum(c.seats for c in constituencies)
    filled = sum(r["seats_filled"] for r in rows)
    return {
        "kind": Minute.Kind.SUMMARY,
        "article": "83" if contest.level == Level.NATIONAL_ASSEMBLY else "85",
        "election": _election(contest.election),
        "contest": _contest(contest),
        "area": {"code": area.code, "name": area.name},
        "areas": _areas(area),
        "seats": seats,
        "seats_filled": filled,
        "candidates": n_candidates,
        "figures": _figures(totals.as_dict()),
        "constituencies": rows,
    }
