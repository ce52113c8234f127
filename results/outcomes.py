"""Results of constituencies, areas and contests from the approved tallies (CONTRACT §3).

The database side of the results engine. Sums come from a few SQL `GROUP BY` queries over Tally and
TallyVote (never a Python loop over tallies); the law is applied by the pure `rules.decide` and the
percentages by `aggregation.percent`.

Counted units are those whose tally for the constituency's round is approved; an annulled unit is not
counted until its re-vote is approved. A constituency is `incomplete` while any of its units is not
counted.

Each constituency's result per round is cached in `ConstituencyResult.data` together with a
fingerprint of what it was computed from (the round, its seats and ballot, the rule set, the number of
units and candidates, and the count, version sum and newest id of the round's tallies). Every change of
a tally (approval, correction, annulment, a new attempt) bumps its version or adds a row, so it changes
the fingerprint, and the next read recomputes just the constituencies that changed.
"""

import dataclasses
import datetime as dt
import logging
import threading
from collections import defaultdict
from collections.abc import Iterable
from dataclasses import dataclass, field
from typing import Any

import orjson
from django.db import connection, transaction
from django.db.models import (
    Case,
    Count,
    F,
    IntegerField,
    OuterRef,
    Q,
    QuerySet,
    Subquery,
    Sum,
    TextField,
    Value,
    When,
)
from django.db.models.functions import Cast, Coalesce
from django.utils import timezone

from elections.models import Area, Candidate, Constituency, Contest, Election, PollingUnitConstituency

from . import margins, rules
from .aggregation import percent
from .models import FIGURES, ConstituencyResult, ConstituencyRound, Flag, RoundTotal, Tally

INCOMPLETE = "incomplete"
STATUSES = (
    INCOMPLETE,
    rules.RE_ELECTION_REQUIRED,
    rules.ADDITIONAL_ELECTION_REQUIRED,
    rules.TIE_UNRESOLVED,
    rules.DECIDED,
)
APPROVED = Tally.Status.APPROVED
log = logging.getLogger(__name__)
CACHE_FORMAT = "f2"  # part of every fingerprint: a new layout of the cached data recomputes the old rows
BACKGROUND_ROWS = 1000  # recomputations this large write their cache rows in the background
SMALL_SET = 500  # recompute at most this many constituencies by id; more, and one pass over everything is faster


# --- rounds -------------------------------------------------------------------------------------


def second_round_deadline(election: Election) -> dt.date:
    """The last day for a re-election or an additional election: election day + the configured days.

    Arts. 79(2), 80(2) (2015 text): within 15 days of the first election day; the 2025 text is unclear,
    so the number of days is the election's `second_round_deadline_days`.
    Example: 23 May 2021 + 15 days -> 7 June 2021.
    """
    return election.election_day + dt.timedelta(days=election.second_round_deadline_days)


def _kind(kind: str) -> str:
    """The kind of a round 2 set without a round row: as recorded if it is a further round, else a re-election."""
    return kind if kind in (rules.RE_ELECTION, rules.ADDITIONAL) else rules.RE_ELECTION


@dataclass(frozen=True)
class RoundInfo:
    number: int
    kind: str
    seats: int  # seats this round fills
    ballot: frozenset[int] | None  # candidate ids on this round's ballot; None: every candidate
    row: ConstituencyRound | None = None


def round_info(constituency: Constituency, number: int | None = None) -> RoundInfo:
    """The round `number` (the current one by default) of `constituency`: kind, seats and ballot."""
    number = number or constituency.current_round
    if number == 1:
        return RoundInfo(1, rules.REGULAR, constituency.seats, None)
    row = ConstituencyRound.objects.filter(constituency=constituency, number=number).first()
    if row is None:  # set by hand without a round row: a re-election of the whole list, the law's default
        return RoundInfo(number, _kind(constituency.current_round_kind), constituency.seats, None)
    return RoundInfo(number, row.kind, row.seats, frozenset(row.candidates.values_list("pk", flat=True)), row)


def _rounds_of(constituency_ids: Iterable[int] | None, election: Election) -> dict[tuple[int, int], RoundInfo]:
    qs = ConstituencyRound.objects.filter(election=election)
    if constituency_ids is not None:
        qs = qs.filter(constituency_id__in=list(constituency_ids))
    ballots: dict[int, set[int]] = defaultdict(set)
    rows = list(qs)
    through = ConstituencyRound.candidates.through
    for round_id, cand_id in through.objects.filter(constituencyround__in=[r.pk for r in rows]).values_list(
        "constituencyround_id", "candidate_id"
    ):
        ballots[round_id].add(cand_id)
    return {
        (r.constituency_id, r.number): RoundInfo(r.number, r.kind, r.seats, frozenset(ballots[r.pk]), r) for r in rows
    }


# --- computing and caching one round of many constituencies ---------------------------------------


@dataclass(frozen=True)
class _Target:
    constituency_id: int
    level: str
    info: RoundInfo


def _fingerprint(rule_set: str, t: _Target, units: int, cands: int, revision: int) -> str:
    ballot = "all" if t.info.ballot is None else str(len(t.info.ballot))
    return (
        f"{rule_set}|{t.level}|r{t.info.number}|{t.info.kind}|s{t.info.seats}|b{ballot}|u{units}|c{cands}|rev{revision}"
    )


def _compute(
    rule_set: str,
    t: _Target,
    units: int,
    sums: dict[str, int] | None,
    votes: dict[int, int],
    candidates: list[tuple[int, dt.date, int, str]],
) -> dict[str, Any]:
    """The cached data of one constituency and round, from its sums: pure apart from the rules.

    Beside the figures and decision it keeps the round's votes per affiliation and the affiliation of each
    one elected, so a contest's affiliations add up constituency rows, not every candidate.
    """
    counted = sums["counted"] if sums else 0
    figures = {name: int((sums or {}).get(name) or 0) for name in FIGURES}
    ballot = [c for c in candidates if t.info.ballot is None or c[0] in t.info.ballot]
    data: dict[str, Any] = {
        "round": t.info.number,
        "round_kind": t.info.kind,
        "round_seats": t.info.seats,
        "polling_units": units,
        "polling_units_counted": counted,
        "figures": figures,
        "votes": {cid: votes.get(cid, 0) for cid, _born, _order, _aff in ballot},  # keys made text when stored
        "affiliations": _by_affiliation(ballot, votes),
        "elected_affiliations": [],
        "status": INCOMPLETE,
        "elected": [],
        "tied": [],
        "seats_filled": 0,
    }
    if units == 0 or counted < units:
        return data
    contest_input = rules.ContestInput(
        level=t.level,
        seats=t.info.seats,
        voters_on_list=figures["voters_on_list"],
        voters_voted=figures["voters_voted"],
        valid_ballots=figures["valid_ballots"],
        candidates=tuple(rules.CandidateInput(cid, votes.get(cid, 0), born, order) for cid, born, order, _a in ballot),
        round_kind=t.info.kind,
    )
    decision = rules.decide(rule_set, contest_input, explain=False)
    affiliation_of = {cid: aff for cid, _born, _order, aff in ballot}
    data.update(
        status=decision.status,
        elected=list(decision.elected),
        elected_affiliations=[affiliation_of[cid] for cid in decision.elected],
        tied=list(decision.tied),
        seats_filled=decision.seats_filled,
    )  # the reasons are worded again from these sums when one constituency is shown: they are not cached
    return data


def _by_affiliation(ballot: list[tuple[int, dt.date, int, str]], votes: dict[int, int]) -> dict[str, int]:
    out: dict[str, int] = {}
    for cid, _born, _order, affiliation in ballot:
        out[affiliation] = out.get(affiliation, 0) + votes.get(cid, 0)
    return out


def _loaded(text: str) -> dict[str, Any]:
    """Cached data as stored (JSON), with its votes keyed by candidate id again, as `_compute` makes them."""
    data = orjson.loads(text)
    data["votes"] = {int(cid): n for cid, n in data["votes"].items()}
    return data


def _count_of(model: type[PollingUnitConstituency] | type[Candidate]) -> Coalesce:
    """The number of `model` rows of the constituency in hand, as a subquery (0 when there are none)."""
    per = model.objects.filter(constituency=OuterRef("pk")).order_by().values("constituency")
    return Coalesce(Subquery(per.annotate(n=Count("pk")).values("n")), 0)


@dataclass(frozen=True)
class _Cached:
    data: dict[str, Any]
    published: bool


def _refresh(
    election: Election,
    targets: list[_Target],
    *,
    contest: Contest | None = None,
    constituency: Constituency | None = None,
) -> dict[tuple[int, int], _Cached]:
    """Cached results of `targets` (constituency, round), recomputing those whose fingerprint changed.

    Either every constituency's current round of the election or `contest`, or every round of one
    `constituency`. The sums come from the running totals (RoundTotal, kept by the services as tallies
    are approved, corrected or annulled), one row per constituency and round: no tally is summed here.
    """
    cons_scope = Q(constituency__election=election)
    if contest is not None:
        cons_scope &= Q(constituency__contest=contest)
    if constituency is not None:
        cons_scope &= Q(constituency=constituency)
    round_totals = RoundTotal.objects.filter(cons_scope)
    if constituency is None:  # every constituency, its current round only
        round_totals = round_totals.filter(round=F("constituency__current_round"))
    # First only what the fingerprints need; the sums, votes and candidates later, for the stale ones only.
    revisions = {(c, r): rev for c, r, rev in round_totals.values_list("constituency_id", "round", "revision")}
    # Units and candidates of each constituency, counted through their constituency index in one query (twice
    # as fast as grouping the whole election's unit and candidate rows).
    structure = Constituency.objects.filter(election=election).order_by()
    if contest is not None:
        structure = structure.filter(contest=contest)
    if constituency is not None:
        structure = structure.filter(pk=constituency.pk)
    units, candidate_counts = {}, {}
    for cons_id, n_units, n_candidates in structure.annotate(
        n_units=_count_of(PollingUnitConstituency), n_candidates=_count_of(Candidate)
    ).values_list("pk", "n_units", "n_candidates"):
        units[cons_id], candidate_counts[cons_id] = n_units, n_candidates
    result_scope = Q(election=election)
    if contest is not None:
        result_scope &= Q(constituency__contest=contest)
    if constituency is not None:
        result_scope &= Q(constituency=constituency)
    # The cached data as text, decoded with orjson and only when fresh (thousands of documents).
    cached = {
        (cons_id, rnd): (fingerprint, published, data)
        for cons_id, rnd, fingerprint, published, data in ConstituencyResult.objects.filter(result_scope)
        .annotate(text=Cast("data", TextField()))
        .values_list("constituency_id", "round", "fingerprint", "published", "text")
    }

    fingerprints = {
        (t.constituency_id, t.info.number): _fingerprint(
            election.rules,
            t,
            units.get(t.constituency_id, 0),
            candidate_counts.get(t.constituency_id, 0),
            revisions.get((t.constituency_id, t.info.number), 0),
        )
        for t in targets
    }
    stale = [
        t
        for t in targets
        if (row := cached.get((t.constituency_id, t.info.number))) is None
        or row[0] != fingerprints[(t.constituency_id, t.info.number)]
    ]
    stale_keys = {(t.constituency_id, t.info.number) for t in stale}
    found = {
        key: _Cached(_loaded(row[2]), row[1])
        for key, row in cached.items()
        if key in fingerprints and key not in stale_keys
    }
    if not stale:
        return found

    if len(stale) < len(targets):
        ids = sorted({t.constituency_id for t in stale})
        round_totals = round_totals.filter(constituency_id__in=ids) if len(ids) <= SMALL_SET else round_totals
        candidate_scope = Q(constituency_id__in=ids) if len(ids) <= SMALL_SET else cons_scope
    else:
        candidate_scope = cons_scope
    sums, votes = {}, {}
    for cons_id, rnd, *figures, text in round_totals.annotate(text=Cast("votes", TextField())).values_list(
        "constituency_id", "round", "counted", *FIGURES, "text"
    ):
        sums[(cons_id, rnd)] = dict(zip(("counted", *FIGURES), figures, strict=True))
        votes[(cons_id, rnd)] = {int(cid): n for cid, n in orjson.loads(text).items()}
    candidates: dict[int, list[tuple[int, dt.date, int, str]]] = defaultdict(list)
    for cid, cons_id, born, order, affiliation in (
        Candidate.objects.filter(candidate_scope)
        .order_by("ballot_order")
        .values_list("id", "constituency_id", "date_of_birth", "ballot_order", "affiliation")
    ):
        candidates[cons_id].append((cid, born, order, affiliation))
    now = timezone.now()
    rows = []
    for t in stale:
        key = (t.constituency_id, t.info.number)
        data = _compute(
            election.rules,
            t,
            units.get(t.constituency_id, 0),
            sums.get(key),
            votes.get(key, {}),
            candidates[t.constituency_id],
        )
        old = cached.get(key)
        published = bool(old and old[1])
        # A row even for a cached one: one upsert writes them all and keeps `published` as stored.
        rows.append(
            (election.pk, t.constituency_id, t.info.number, fingerprints[key], data["status"], data, now, published)
        )
        found[key] = _Cached(data, published)
    if _may_write_later(rows):
        _write_later(rows)
    else:
        _write(rows)
    return found


_COLUMNS = ("election_id", "constituency_id", "round", "fingerprint", "status", "data", "computed_at", "published")


# Cache rows of a large recomputation are written by a thread with its own connection while the caller goes
# on with them: the results are in hand already, the cache only spares the next reader the work. Only outside
# any transaction (a command, an autocommit request): inside one, another connection could not see its rows.
_pending: list[threading.Thread] = []


def _may_write_later(rows: list[tuple[Any, ...]]) -> bool:
    return connection.vendor == "postgresql" and len(rows) >= BACKGROUND_ROWS and not connection.in_atomic_block


def _write_later(rows: list[tuple[Any, ...]]) -> None:
    def write() -> None:
        try:
            _write(rows)
        except Exception:  # a cache write that fails costs a recomputation, never an answer
            log.exception("writing %d cached results failed", len(rows))
        finally:
            connection.close()  # this thread's own connection

    thread = threading.Thread(target=write, name="kp-results-cache", daemon=False)
    _pending[:] = [t for t in _pending if t.is_alive()]
    _pending.append(thread)
    thread.start()


def cache_writes_finish() -> None:
    """Wait for the cache writes started in the background (commands and benchmarks call it before they end)."""
    for thread in _pending:
        thread.join()
    _pending.clear()


def _write(rows: list[tuple[Any, ...]]) -> None:
    """Upsert recomputed rows (values in `_COLUMNS` order), keeping `published` as stored.

    On PostgreSQL thousands of rows go through COPY into a temporary table and one INSERT ... ON
    CONFLICT (several times faster than a bulk insert of JSON values); elsewhere, a bulk upsert.
    """
    if connection.vendor != "postgresql" or len(rows) < 200:
        ConstituencyResult.objects.bulk_create(
            [ConstituencyResult(**dict(zip(_COLUMNS, row, strict=True))) for row in rows],
            batch_size=2000,
            update_conflicts=True,
            unique_fields=["constituency", "round"],
            update_fields=["fingerprint", "status", "data", "computed_at"],
        )
        return
    table = ConstituencyResult._meta.db_table
    columns = ", ".join(_COLUMNS)
    with transaction.atomic(), connection.cursor() as cur:
        # IF NOT EXISTS and TRUNCATE: an outer transaction (a test, a request) may write twice before it commits
        cur.execute(
            "CREATE TEMPORARY TABLE IF NOT EXISTS kp_result_load (election_id bigint, constituency_id bigint, "
            "round smallint, fingerprint text, status text, data jsonb, computed_at timestamptz, published boolean) "
            "ON COMMIT DROP"
        )
        cur.execute("TRUNCATE kp_result_load")
        with cur.copy(f"COPY kp_result_load ({columns}) FROM STDIN") as copy:
            for row in rows:
                copy.write_row((*row[:5], orjson.dumps(row[5], option=orjson.OPT_NON_STR_KEYS).decode(), *row[6:]))
        cur.execute(
            f"INSERT INTO {table} ({columns}) SELECT {columns} FROM kp_result_load "  # noqa: S608 (our own names)
            "ON CONFLICT (constituency_id, round) DO UPDATE SET fingerprint = EXCLUDED.fingerprint, "
            "status = EXCLUDED.status, data = EXCLUDED.data, computed_at = EXCLUDED.computed_at"
        )


def _targets(constituencies: Iterable["ConstituencyRef"], rounds: dict[tuple[int, int], RoundInfo]) -> list[_Target]:
    targets = []
    for c in constituencies:
        if c.current_round == 1:
            info = RoundInfo(1, rules.REGULAR, c.seats, None)
        else:
            info = rounds.get((c.pk, c.current_round)) or RoundInfo(
                c.current_round, _kind(c.current_round_kind), c.seats, None
            )
        targets.append(_Target(c.pk, c.level, info))
    return targets


# --- what pages and the API show ------------------------------------------------------------------


@dataclass
class CandidateResult:
    id: int
    code: str
    full_name: str
    date_of_birth: str
    affiliation: str
    ballot_order: int
    votes: int
    pct_of_valid: str
    elected: bool
    tied: bool = False
    round: int = 1  # the round the figures are from (earlier winners of an additional election: 1)


@dataclass
class Figures:
    voters_on_list: int = 0
    voters_voted: int = 0
    ballots_issued: int = 0
    ballots_received: int = 0
    valid_ballots: int = 0
    invalid_ballots: int = 0

    @property
    def turnout_pct(self) -> str:
        return percent(self.voters_voted, self.voters_on_list)

    @property
    def valid_pct(self) -> str:
        return percent(self.valid_ballots, self.ballots_received)

    @property
    def invalid_pct(self) -> str:
        return percent(self.invalid_ballots, self.ballots_received)

    def add(self, other: "Figures") -> None:
        for name in FIGURES:
            setattr(self, name, getattr(self, name) + getattr(other, name))

    def as_dict(self) -> dict[str, Any]:
        return {
            "voters_on_list": self.voters_on_list,
            "voters_voted": self.voters_voted,
            "turnout_pct": self.turnout_pct,
            "ballots_issued": self.ballots_issued,
            "ballots_received": self.ballots_received,
            "valid_ballots": self.valid_ballots,
            "invalid_ballots": self.invalid_ballots,
            "valid_pct": self.valid_pct,
            "invalid_pct": self.invalid_pct,
        }


@dataclass
class RoundResult:
    """One round of one constituency as counted (the cached data, with names)."""

    number: int
    kind: str
    seats: int
    polling_units: int
    polling_units_counted: int
    figures: Figures
    status: str
    elected: list[int]
    tied: list[int]
    seats_filled: int
    reasons: list[rules.Reason]
    votes: dict[int, int]
    ballot: list[int]


def _round_result(data: dict[str, Any]) -> RoundResult:
    return RoundResult(
        number=data["round"],
        kind=data["round_kind"],
        seats=data["round_seats"],
        polling_units=data["polling_units"],
        polling_units_counted=data["polling_units_counted"],
        figures=Figures(**data["figures"]),
        status=data["status"],
        elected=list(data["elected"]),
        tied=list(data["tied"]),
        seats_filled=data["seats_filled"],
        reasons=[],
        votes=dict(data["votes"]),
        ballot=list(data["votes"]),
    )


@dataclass
class ConstituencyOutcome:
    """The result of a constituency as CONTRACT §3 gives it, with what the committee pages add."""

    constituency: Constituency
    current: RoundResult
    earlier: list[RoundResult]
    candidates: list[CandidateResult]  # the current round's ballot, most votes first, then ballot order
    elected_earlier: list[CandidateResult]  # winners of round 1 who stay elected after an additional election
    seats_filled: int
    published: bool
    flags: list[Flag] = field(default_factory=list)
    pending: list[margins.PendingUnit] = field(default_factory=list)
    margin: margins.MarginCheck | None = None
    deadline: dt.date | None = None
    round_row: ConstituencyRound | None = None
    next_round: str | None = None  # the kind of round the result calls for and that may be opened now

    @property
    def status(self) -> str:
        return self.current.status

    @property
    def elected(self) -> list[CandidateResult]:
        return self.elected_earlier + [c for c in self.candidates if c.elected]

    @property
    def names(self) -> dict[int, str]:
        return {c.id: c.full_name for c in [*self.candidates, *self.elected_earlier]}

    def as_api(self) -> dict[str, Any]:
        c = self.constituency
        return {
            "election": c.election.slug,
            "contest": c.contest.code,
            "constituency": c.code,
            "name": c.name,
            "seats": c.seats,
            "round": self.current.number,
            "round_kind": self.current.kind,
            "round_seats": self.current.seats,
            "polling_units": self.current.polling_units,
            "polling_units_counted": self.current.polling_units_counted,
            **self.current.figures.as_dict(),
            "candidates": [_candidate_api(x) for x in self.candidates],
            "elected_in_earlier_rounds": [_candidate_api(x) | {"round": x.round} for x in self.elected_earlier],
            "seats_filled": self.seats_filled,
            "status": self.status,
            "published": self.published,
            "flags": [
                {
                    "code": f.code,
                    "severity": f.severity,
                    "polling_unit": f.polling_unit.code if f.polling_unit_id else None,
                    "message": f.message,
                    "source": f.source,
                }
                for f in self.flags
            ],
            "reasons": [{"code": r.code, "article": r.article, "message": r.message} for r in self.current.reasons],
            "second_round_deadline": self.deadline.isoformat() if self.deadline else None,
            "margin": _margin_api(self.margin),
        }


def _candidate_api(x: CandidateResult) -> dict[str, Any]:
    return {
        "code": x.code,
        "full_name": x.full_name,
        "date_of_birth": x.date_of_birth,
        "affiliation": x.affiliation,
        "votes": x.votes,
        "pct_of_valid": x.pct_of_valid,
        "elected": x.elected,
    }


def _margin_api(m: margins.MarginCheck | None) -> dict[str, Any] | None:
    if m is None:
        return None
    return {
        "can_change": m.can_change,
        "polling_units": list(m.pending_units),
        "pending_voters": m.pending_voters,
        "reasons": [{"code": r.code, "message": r.message} for r in m.reasons],
    }


def _candidate_rows(rr: RoundResult, cands: dict[int, Candidate], ids: Iterable[int]) -> list[CandidateResult]:
    valid = rr.figures.valid_ballots
    elected, tied = set(rr.elected), set(rr.tied)
    rows = [
        CandidateResult(
            id=cid,
            code=cands[cid].code,
            full_name=cands[cid].full_name,
            date_of_birth=cands[cid].date_of_birth_display,
            affiliation=cands[cid].affiliation,
            ballot_order=cands[cid].ballot_order,
            votes=rr.votes.get(cid, 0),
            pct_of_valid=percent(rr.votes.get(cid, 0), valid),
            elected=cid in elected,
            tied=cid in tied,
            round=rr.number,
        )
        for cid in ids
        if cid in cands
    ]
    rows.sort(key=lambda x: (-x.votes, x.ballot_order))
    return rows


def _contest_input(level: str, rr: RoundResult, cands: dict[int, Candidate]) -> rules.ContestInput:
    return rules.ContestInput(
        level=level,
        seats=rr.seats,
        voters_on_list=rr.figures.voters_on_list,
        voters_voted=rr.figures.voters_voted,
        valid_ballots=rr.figures.valid_ballots,
        candidates=tuple(
            rules.CandidateInput(cid, rr.votes.get(cid, 0), cands[cid].date_of_birth, cands[cid].ballot_order)
            for cid in rr.ballot
            if cid in cands
        ),
        round_kind=rr.kind,
    )


def _reasons(rule_set: str, level: str, rr: RoundResult, cands: dict[int, Candidate]) -> list[rules.Reason]:
    """The rules' reasons for a counted round, from its cached sums (the same decision, worded)."""
    if rr.status == INCOMPLETE:
        return []
    return list(rules.decide(rule_set, _contest_input(level, rr, cands)).reasons)


def constituency_flags(constituency: Constituency) -> QuerySet[Flag]:
    """Open flags on the constituency, its tallies and its units (a unit's own flags, such as turnout)."""
    units = PollingUnitConstituency.objects.filter(constituency=constituency).values("polling_unit_id")
    severity = Case(
        When(severity=Flag.Severity.ERROR, then=Value(0)),
        When(severity=Flag.Severity.WARNING, then=Value(1)),
        default=Value(2),
        output_field=IntegerField(),
    )
    return (
        Flag.objects.filter(election_id=constituency.election_id, status=Flag.Status.OPEN)
        .filter(Q(constituency=constituency) | Q(constituency__isnull=True, polling_unit_id__in=units))
        .select_related("polling_unit")
        .order_by(severity, "polling_unit__code", "pk")
    )


def pending_units(constituency: Constituency, round_number: int) -> list[margins.PendingUnit]:
    """Units of the round not counted yet, with their voters on the list (a tally's figure, else the unit's)."""
    tallies: dict[int, tuple[str, int]] = {}
    for unit_id, status, listed in (
        Tally.objects.filter(constituency=constituency, round=round_number)
        .order_by("polling_unit_id", "attempt")
        .values_list("polling_unit_id", "status", "voters_on_list")
    ):
        tallies[unit_id] = (status, listed)  # the newest attempt last
    pending = []
    for unit_id, code, registered in (
        PollingUnitConstituency.objects.filter(constituency=constituency)
        .order_by("polling_unit__code")
        .values_list("polling_unit_id", "polling_unit__code", "polling_unit__registered_voters")
    ):
        status, listed = tallies.get(unit_id, ("", None))
        if status != APPROVED:
            voters = listed if listed is not None else registered
            pending.append(margins.PendingUnit(code, voters, annulled=status == Tally.Status.ANNULLED))
    return pending


def constituency_outcome(constituency: Constituency, *, with_margin: bool = True) -> ConstituencyOutcome:
    """The result of `constituency` for its current round, with earlier rounds as the law combines them.

    A re-election's result replaces round 1's (Art. 80); after an additional election the winners of
    round 1 stay elected and the round fills only the seats left (Art. 79).
    """
    election = constituency.election
    rounds = _rounds_of([constituency.pk], election)
    infos = [
        RoundInfo(1, rules.REGULAR, constituency.seats, None)
        if n == 1
        else rounds.get((constituency.pk, n))
        or RoundInfo(n, _kind(constituency.current_round_kind), constituency.seats, None)
        for n in range(1, constituency.current_round + 1)
    ]
    targets = [_Target(constituency.pk, constituency.contest.level, info) for info in infos]
    cached = _refresh(election, targets, constituency=constituency)
    results = [_round_result(cached[(constituency.pk, info.number)].data) for info in infos]
    current, earlier = results[-1], results[:-1]
    cands = {c.pk: c for c in constituency.candidates.all()}
    for rr in results:
        rr.reasons = _reasons(election.rules, constituency.contest.level, rr, cands)
    info = infos[-1]
    candidates = _candidate_rows(current, cands, current.ballot)
    elected_earlier: list[CandidateResult] = []
    if info.kind == rules.ADDITIONAL and earlier:
        # The winners of round 1 are exactly the candidates left off the additional election's ballot.
        stay = [cid for cid in cands if info.ballot is not None and cid not in info.ballot]
        elected_earlier = _candidate_rows(earlier[0], cands, stay)
        for x in elected_earlier:
            x.elected = True
    seats_filled = len(elected_earlier) + current.seats_filled
    outcome = ConstituencyOutcome(
        constituency=constituency,
        current=current,
        earlier=earlier,
        candidates=candidates,
        elected_earlier=elected_earlier,
        seats_filled=seats_filled,
        published=cached[(constituency.pk, info.number)].published,
        flags=list(constituency_flags(constituency)),
        deadline=second_round_deadline(election),
        round_row=info.row,
    )
    if current.number == 1 and current.status in (rules.RE_ELECTION_REQUIRED, rules.ADDITIONAL_ELECTION_REQUIRED):
        outcome.next_round = rules.RE_ELECTION if current.status == rules.RE_ELECTION_REQUIRED else rules.ADDITIONAL
    if with_margin and current.status == INCOMPLETE:
        outcome.pending = pending_units(constituency, current.number)
        counted = _contest_input(constituency.contest.level, current, cands)
        outcome.margin = margins.margin_check(election.rules, counted, outcome.pending)
    return outcome


# --- many constituencies: a contest, an election ----------------------------------------------------


@dataclass(frozen=True)
class ConstituencyRef:
    """What a contest's list needs of a constituency (read as values: thousands of them)."""

    pk: int
    code: str
    name: str
    seats: int
    current_round: int
    current_round_kind: str
    level: str
    contest_id: int = 0


@dataclass
class ConstituencySummary:
    constituency: ConstituencyRef
    round: int
    round_kind: str
    status: str
    seats: int
    seats_filled: int
    polling_units: int
    polling_units_counted: int
    figures: Figures
    votes: dict[int, int]
    elected: list[int]  # every round combined
    published: bool
    affiliation_votes: dict[str, int]  # this round's votes per affiliation
    elected_affiliations: list[str]  # the affiliation of each one elected in this round
    earlier_elected: list[int]  # winners of an earlier round (after an additional election)


def constituency_summaries(
    election: Election, *, contest: Contest | None = None, constituencies: QuerySet[Constituency] | None = None
) -> list[ConstituencySummary]:
    """Every constituency's current result, for a contest (or the whole election), in a handful of queries.

    `constituencies` narrows what is returned (for example to those a committee oversees); the sums are
    computed for the whole contest either way, so the cache serves everyone.
    """
    qs = Constituency.objects.filter(election=election)
    if contest is not None:
        qs = qs.filter(contest=contest)
    all_cons = [
        ConstituencyRef(*row)
        for row in qs.order_by("contest__position", "code").values_list(
            "pk", "code", "name", "seats", "current_round", "current_round_kind", "contest__level", "contest_id"
        )
    ]
    in_round_two = [c.pk for c in all_cons if c.current_round > 1]
    rounds = _rounds_of(in_round_two, election) if in_round_two else {}
    cached = _refresh(election, _targets(all_cons, rounds), contest=contest)
    # After an additional election the winners of round 1 are exactly the candidates left off its ballot.
    earlier_winners: dict[int, list[int]] = {}
    additional = {
        c.pk: rounds[(c.pk, c.current_round)].ballot or frozenset()
        for c in all_cons
        if (c.pk, c.current_round) in rounds and rounds[(c.pk, c.current_round)].kind == rules.ADDITIONAL
    }
    if additional:
        for cid, cons_id in Candidate.objects.filter(constituency_id__in=list(additional)).values_list(
            "id", "constituency_id"
        ):
            if cid not in additional[cons_id]:
                earlier_winners.setdefault(cons_id, []).append(cid)
    wanted = None if constituencies is None else set(constituencies.values_list("pk", flat=True))
    out = []
    for c in all_cons:
        if wanted is not None and c.pk not in wanted:
            continue
        row = cached[(c.pk, c.current_round)]
        rr = row.data
        earlier = earlier_winners.get(c.pk, [])
        out.append(
            ConstituencySummary(
                constituency=c,
                round=c.current_round,
                round_kind=rr["round_kind"],
                status=rr["status"],
                seats=c.seats,
                seats_filled=len(earlier) + rr["seats_filled"],
                polling_units=rr["polling_units"],
                polling_units_counted=rr["polling_units_counted"],
                figures=Figures(**rr["figures"]),
                votes=rr["votes"],
                elected=earlier + list(rr["elected"]),
                published=row.published,
                affiliation_votes=rr["affiliations"],
                elected_affiliations=rr["elected_affiliations"],
                earlier_elected=earlier,
            )
        )
    return out


@dataclass
class AffiliationResult:
    name: str
    votes: int
    pct_of_valid: str
    seats_won: int


@dataclass
class ContestOutcome:
    contest: Contest
    constituencies: list[ConstituencySummary]
    figures: Figures
    polling_units: int
    polling_units_counted: int
    seats: int
    seats_filled: int
    affiliations: list[AffiliationResult]
    status_counts: dict[str, int]

    @property
    def published(self) -> bool:
        return bool(self.constituencies) and all(c.published for c in self.constituencies)

    def as_api(self) -> dict[str, Any]:
        return {
            "election": self.contest.election.slug,
            "contest": self.contest.code,
            "name": self.contest.name,
            "level": self.contest.level,
            "seats": self.seats,
            "seats_filled": self.seats_filled,
            "polling_units": self.polling_units,
            "polling_units_counted": self.polling_units_counted,
            **self.figures.as_dict(),
            "published": self.published,
            "status_counts": self.status_counts,
            "constituencies": [
                {
                    "code": c.constituency.code,
                    "name": c.constituency.name,
                    "status": c.status,
                    "seats": c.seats,
                    "seats_filled": c.seats_filled,
                    "round": c.round,
                    "round_kind": c.round_kind,
                    "polling_units": c.polling_units,
                    "polling_units_counted": c.polling_units_counted,
                    "published": c.published,
                }
                for c in self.constituencies
            ],
            "affiliations": [dataclasses.asdict(a) for a in self.affiliations],
        }


def election_outcome(election: Election) -> list[ContestOutcome]:
    """Every constituency's result and every contest's totals, from one pass over the election's tallies."""
    summaries = constituency_summaries(election)
    by_contest: dict[int, list[ConstituencySummary]] = defaultdict(list)
    for s in summaries:
        by_contest[s.constituency.contest_id].append(s)
    return [
        contest_outcome(contest, summaries=by_contest.get(contest.pk, []))
        for contest in election.contests.order_by("position")
    ]


def contest_outcome(
    contest: Contest,
    *,
    constituencies: QuerySet[Constituency] | None = None,
    summaries: list[ConstituencySummary] | None = None,
) -> ContestOutcome:
    """Totals of the contest over its constituencies' current rounds, with affiliations (CONTRACT §3).

    Each constituency contributes the figures of the round it is counting (so a constituency holding a
    re-election contributes the re-election's figures), and its winners of every round to `seats_won`.
    `summaries`: the contest's constituency summaries when the caller has them already (`election_outcome`).
    """
    if summaries is None:
        summaries = constituency_summaries(contest.election, contest=contest, constituencies=constituencies)
    figures = Figures()
    units = counted = seats = filled = 0
    status_counts = dict.fromkeys(STATUSES, 0)
    for s in summaries:
        figures.add(s.figures)
        units += s.polling_units
        counted += s.polling_units_counted
        seats += s.seats
        filled += s.seats_filled
        status_counts[s.status] = status_counts.get(s.status, 0) + 1
    votes: dict[str, int] = defaultdict(int)
    won: dict[str, int] = defaultdict(int)
    # Each constituency's own sums by affiliation; candidates are looked up only for winners of an earlier round.
    earlier = [cid for s in summaries for cid in s.earlier_elected]
    affiliation_of = dict(Candidate.objects.filter(pk__in=earlier).values_list("id", "affiliation")) if earlier else {}
    for s in summaries:
        for name, v in s.affiliation_votes.items():
            votes[name] += v
        for name in s.elected_affiliations:
            won[name] += 1
        for cid in s.earlier_elected:
            won[affiliation_of.get(cid, "")] += 1
    names = set(votes) | set(won)
    affiliations = sorted(
        (
            AffiliationResult(
                name, votes.get(name, 0), percent(votes.get(name, 0), figures.valid_ballots), won.get(name, 0)
            )
            for name in names
        ),
        key=lambda a: (-a.votes, -a.seats_won, a.name),
    )
    return ContestOutcome(
        contest=contest,
        constituencies=summaries,
        figures=figures,
        polling_units=units,
        polling_units_counted=counted,
        seats=seats,
        seats_filled=filled,
        affiliations=affiliations,
        status_counts=status_counts,
    )


def area_breakdown(contest: Contest, *, depth: int = 1) -> list[tuple[Area, Figures, int, int]]:
    """The contest's approved figures of the current rounds summed per area at `depth` (0 = top).

    One GROUP BY per unit area, rolled up the area tree by path: (area, figures, units, counted).
    """
    election = contest.election
    per_area = (
        Tally.objects.filter(contest=contest, status=APPROVED, round=F("constituency__current_round"))
        .values("polling_unit__area_id")
        .annotate(counted=Count("id"), **{name: Sum(name) for name in FIGURES})
    )
    units = dict(
        PollingUnitConstituency.objects.filter(contest=contest)
        .values("polling_unit__area_id")
        .annotate(n=Count("id"))
        .values_list("polling_unit__area_id", "n")
    )
    areas = {a.pk: a for a in Area.objects.filter(election=election)}
    targets = {a.pk: a for a in areas.values() if a.depth == depth}

    def target_of(area_id: int) -> int | None:
        area = areas.get(area_id)
        if area is None:
            return None
        ids = [int(p) for p in area.path.strip("/").split("/") if p]
        return ids[depth] if len(ids) > depth else None

    totals: dict[int, Figures] = defaultdict(Figures)
    counts: dict[int, list[int]] = defaultdict(lambda: [0, 0])
    for row in per_area:
        target = target_of(row["polling_unit__area_id"])
        if target is None:
            continue
        totals[target].add(Figures(**{name: int(row[name] or 0) for name in FIGURES}))
        counts[target][1] += row["counted"]
    for area_id, n in units.items():
        target = target_of(area_id)
        if target is not None:
            counts[target][0] += n
    return [
        (targets[pk], totals[pk], counts[pk][0], counts[pk][1])
        for pk in sorted(counts, key=lambda pk: targets[pk].code if pk in targets else "")
        if pk in targets
    ]
