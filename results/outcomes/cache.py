"""The cache of results: each constituency's result per round, kept with a fingerprint of what it was computed from.

A read recomputes just the constituencies whose fingerprint changed (`_refresh`), in one pass of a few SQL
GROUP BY queries, and writes their rows before it answers (with COPY on PostgreSQL when there are many). No thread
of its own: `manage.py compute_results` warms the whole cache after a large import, as a command or a task.
"""

import datetime as dt
from collections import defaultdict
from collections.abc import Iterable
from dataclasses import dataclass
from typing import Any

import orjson
from django.db import connection, transaction
from django.db.models import (
    Count,
    F,
    OuterRef,
    Q,
    Subquery,
    TextField,
)
from django.db.models.functions import Cast, Coalesce
from django.utils import timezone

from elections.models import Candidate, Constituency, Contest, Election, PollingUnitConstituency
from results.models import FIGURES, ConstituencyDecision, ConstituencyResult, RoundTotal
from results.outcomes.rounds import INCOMPLETE, RoundInfo, _kind
from results.rules import closing as closing_rules
from results.rules import winners as rules

CACHE_FORMAT = "f3"  # part of every fingerprint: a new layout of the cached data (or rule) recomputes the old rows


SMALL_SET = 500  # recompute at most this many constituencies by id; more, and one pass over everything is faster


@dataclass(frozen=True)
class _Target:
    constituency_id: int
    level: str
    info: RoundInfo


@dataclass(frozen=True)
class _Closing:
    """A recorded decision closing a round (results/rules/closing.py): its row, kind and the candidates it elects."""

    pk: int
    kind: str
    elected: tuple[int, ...] = ()


# A candidate as the rules need it: id, date of birth, how much of it is known, ballot order, affiliation.
_Cand = tuple[int, dt.date, str, int, str]


def _fingerprint(
    rule_set: str, t: _Target, units: int, cands: int, revision: int, closing: _Closing | None = None
) -> str:
    ballot = "all" if t.info.ballot is None else str(len(t.info.ballot))
    decided = f"|d{closing.pk}" if closing else ""
    return (
        f"{CACHE_FORMAT}|{rule_set}|{t.level}|r{t.info.number}|{t.info.kind}|s{t.info.seats}|b{ballot}|u{units}"
        f"|c{cands}|rev{revision}{decided}"
    )


def _compute(
    rule_set: str,
    t: _Target,
    units: int,
    sums: dict[str, int] | None,
    votes: dict[int, int],
    candidates: list[_Cand],
    closing: _Closing | None = None,
) -> dict[str, Any]:
    """The cached data of one constituency and round, from its sums: pure apart from the rules.

    Beside the figures and decision it keeps the round's votes per affiliation and the affiliation of each
    one elected, so a contest's affiliations add up constituency rows, not every candidate. A recorded
    decision that closes the round (`closing`) is applied to the rules' decision (CONTRACT §10).
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
        "votes": {cid: votes.get(cid, 0) for cid, *_rest in ballot},  # keys made text when stored
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
        candidates=tuple(
            rules.CandidateInput(cid, votes.get(cid, 0), born, order, precision)
            for cid, born, precision, order, _a in ballot
        ),
        round_kind=t.info.kind,
    )
    decision = rules.decide(rule_set, contest_input, explain=False)
    if closing is not None:
        decision = closing_rules.apply_closing(
            decision, closing.kind, closing.elected, seats=t.info.seats, round_number=t.info.number
        )
    affiliation_of = {cid: aff for cid, *_rest, aff in ballot}
    data.update(
        status=decision.status,
        elected=list(decision.elected),
        elected_affiliations=[affiliation_of[cid] for cid in decision.elected],
        tied=list(decision.tied),
        seats_filled=decision.seats_filled,
    )  # the reasons are worded again from these sums when one constituency is shown: they are not cached
    return data


def _by_affiliation(ballot: list[_Cand], votes: dict[int, int]) -> dict[str, int]:
    out: dict[str, int] = {}
    for cid, *_rest, affiliation in ballot:
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

    closings = _closings(election, contest=contest, constituency=constituency)
    fingerprints = {
        (t.constituency_id, t.info.number): _fingerprint(
            election.rules,
            t,
            units.get(t.constituency_id, 0),
            candidate_counts.get(t.constituency_id, 0),
            revisions.get((t.constituency_id, t.info.number), 0),
            closings.get((t.constituency_id, t.info.number)),
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
    candidates: dict[int, list[_Cand]] = defaultdict(list)
    for cid, cons_id, born, precision, order, affiliation in (
        Candidate.objects.filter(candidate_scope)
        .order_by("ballot_order")
        .values_list("id", "constituency_id", "date_of_birth", "date_of_birth_precision", "ballot_order", "affiliation")
    ):
        candidates[cons_id].append((cid, born, precision, order, affiliation))
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
            closings.get(key),
        )
        old = cached.get(key)
        published = bool(old and old[1])
        # A row even for a cached one: one upsert writes them all and keeps `published` as stored.
        rows.append(
            (election.pk, t.constituency_id, t.info.number, fingerprints[key], data["status"], data, now, published)
        )
        found[key] = _Cached(data, published)
    _write(rows)
    return found


def _closings(
    election: Election, *, contest: Contest | None = None, constituency: Constituency | None = None
) -> dict[tuple[int, int], _Closing]:
    """The recorded decisions closing a round (at most one per constituency and round), by (constituency, round):
    one query, and one more for the candidates of settled ties when there are any."""
    qs = ConstituencyDecision.objects.filter(election=election, kind__in=ConstituencyDecision.CLOSING)
    if contest is not None:
        qs = qs.filter(constituency__contest=contest)
    if constituency is not None:
        qs = qs.filter(constituency=constituency)
    rows = list(qs.values_list("pk", "constituency_id", "round", "kind"))
    if not rows:
        return {}
    elected: dict[int, list[int]] = defaultdict(list)
    settled = [pk for pk, _c, _r, kind in rows if kind == ConstituencyDecision.Kind.TIE_SETTLED]
    if settled:
        through = ConstituencyDecision.elected.through
        for decision_id, candidate_id in (
            through.objects.filter(constituencydecision_id__in=settled)
            .order_by("candidate_id")
            .values_list("constituencydecision_id", "candidate_id")
        ):
            elected[decision_id].append(candidate_id)
    return {(cons, rnd): _Closing(pk, kind, tuple(elected[pk])) for pk, cons, rnd, kind in rows}


_COLUMNS = ("election_id", "constituency_id", "round", "fingerprint", "status", "data", "computed_at", "published")


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
