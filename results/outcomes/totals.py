"""The running sums of approved tallies per constituency and round (RoundTotal).

A tally counts in its constituency's sums exactly while it is approved. The services call `totals_apply`
in the same transaction as the change: +1 when a tally becomes approved, -1 when an approved one is
annulled, -1 then +1 (old figures, new figures) when a correction changes an approved one. Rows are
locked in a fixed order, so two approvals in one constituency queue up instead of losing an update.
`totals_rebuild` sums everything afresh from the tallies; `totals_mismatches` compares the two.
"""

from collections import defaultdict
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field

from django.db import transaction
from django.db.models import Count, Sum

from elections.models import Election
from results.models import FIGURES, RoundTotal, Tally, TallyVote

APPROVED = Tally.Status.APPROVED


@dataclass
class Delta:
    counted: int = 0
    figures: dict[str, int] = field(default_factory=lambda: dict.fromkeys(FIGURES, 0))
    votes: dict[int, int] = field(default_factory=dict)

    def add(self, figures: Mapping[str, int], votes: Mapping[int, int], sign: int) -> None:
        self.counted += sign
        for name in FIGURES:
            self.figures[name] += sign * int(figures[name])
        for candidate, n in votes.items():
            self.votes[candidate] = self.votes.get(candidate, 0) + sign * int(n)


Change = tuple[int, int, Mapping[str, int], Mapping[int, int], int]  # constituency, round, figures, votes, sign


def totals_apply(changes: Iterable[Change]) -> None:
    """Add (sign +1) or take away (sign -1) tallies' figures and votes {candidate id: n} from the sums."""
    deltas: dict[tuple[int, int], Delta] = defaultdict(Delta)
    for constituency_id, rnd, figures, votes, sign in changes:
        deltas[(constituency_id, rnd)].add(figures, votes, sign)
    if not deltas:
        return
    with transaction.atomic():
        keys = sorted(deltas)
        RoundTotal.objects.bulk_create(
            [RoundTotal(constituency_id=c, round=r) for c, r in keys], ignore_conflicts=True, batch_size=2000
        )
        rows = []
        for start in range(0, len(keys), 2000):
            chunk = keys[start : start + 2000]
            cons = sorted({c for c, _r in chunk})
            rows += [
                row
                for row in RoundTotal.objects.select_for_update()
                .filter(constituency_id__in=cons)
                .order_by("constituency_id", "round")
                if (row.constituency_id, row.round) in deltas
            ]
        for row in rows:
            delta = deltas[(row.constituency_id, row.round)]
            row.counted += delta.counted
            for name in FIGURES:
                setattr(row, name, getattr(row, name) + delta.figures[name])
            votes = dict(row.votes)
            for candidate, n in delta.votes.items():
                votes[str(candidate)] = votes.get(str(candidate), 0) + n
            row.votes = votes
            row.revision += 1
            assert row.counted >= 0 and all(v >= 0 for v in votes.values()), row  # a broken sum must not commit
        RoundTotal.objects.bulk_update(rows, ["counted", *FIGURES, "votes", "revision"], batch_size=2000)


def tally_change(tally: Tally, votes: Mapping[int, int], sign: int) -> Change:
    return (tally.constituency_id, tally.round, {n: getattr(tally, n) for n in FIGURES}, votes, sign)


def tally_votes(tally_ids: list[int]) -> dict[int, dict[int, int]]:
    """{tally id: {candidate id: votes}} as stored."""
    out: dict[int, dict[int, int]] = defaultdict(dict)
    for start in range(0, len(tally_ids), 20000):
        for tally_id, candidate_id, n in TallyVote.objects.filter(
            tally_id__in=tally_ids[start : start + 20000]
        ).values_list("tally_id", "candidate_id", "votes"):
            out[tally_id][candidate_id] = n
    return out


def _sums_from_tallies(election: Election) -> dict[tuple[int, int], RoundTotal]:
    rows: dict[tuple[int, int], RoundTotal] = {}
    approved = Tally.objects.filter(election=election, status=APPROVED)
    for row in approved.values("constituency_id", "round").annotate(
        counted_=Count("id"), **{f"{n}_": Sum(n) for n in FIGURES}
    ):
        rows[(row["constituency_id"], row["round"])] = RoundTotal(
            constituency_id=row["constituency_id"],
            round=row["round"],
            counted=row["counted_"],
            **{n: row[f"{n}_"] or 0 for n in FIGURES},
            votes={},
        )
    for constituency_id, rnd, candidate_id, n in (
        TallyVote.objects.filter(tally__election=election, tally__status=APPROVED)
        .values("tally__constituency_id", "tally__round", "candidate_id")
        .annotate(v=Sum("votes"))
        .values_list("tally__constituency_id", "tally__round", "candidate_id", "v")
        .order_by()
    ):
        rows[(constituency_id, rnd)].votes[str(candidate_id)] = n
    return rows


@transaction.atomic
def totals_rebuild(election: Election) -> int:
    """Sum every approved tally of the election afresh into its RoundTotal rows; return how many rows."""
    fresh = _sums_from_tallies(election)
    old = {(r.constituency_id, r.round): r.revision for r in RoundTotal.objects.filter(constituency__election=election)}
    RoundTotal.objects.filter(constituency__election=election).delete()
    for key, row in fresh.items():
        row.revision = old.get(key, 0) + 1  # a rebuilt row is a change: cached results are recomputed
    RoundTotal.objects.bulk_create(fresh.values(), batch_size=2000)
    return len(fresh)


def _fields(row: RoundTotal | None) -> tuple[object, ...]:
    if row is None:
        return (0, *(0 for _ in FIGURES), {})
    return (row.counted, *(getattr(row, n) for n in FIGURES), {k: v for k, v in row.votes.items() if v})


def totals_mismatches(election: Election) -> list[str]:
    """Where the running sums differ from the tallies (empty when they agree)."""
    fresh = _sums_from_tallies(election)
    kept = {(r.constituency_id, r.round): r for r in RoundTotal.objects.filter(constituency__election=election)}
    problems = []
    for key in sorted(set(fresh) | set(kept)):
        a, b = fresh.get(key), kept.get(key)
        fields_a, fields_b = _fields(a), _fields(b)
        if fields_a != fields_b:
            problems.append(f"constituency {key[0]} round {key[1]}: tallies {fields_a}, running sums {fields_b}")
    return problems
