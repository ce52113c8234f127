"""Anomaly screening on the database, and resolving flags.

`screen_anomalies` reads the approved tallies of every constituency's current round with two queries
per contest, runs the pure screenings of `results.flags`, and keeps the screening flags in step: a new
finding becomes an open flag, a finding already flagged is left as it is (a resolved flag stays
resolved), and an open screening flag that no longer holds is removed. Running it twice changes
nothing the second time. A committee member above a flag resolves it with a note.
"""

from collections import Counter, defaultdict
from collections.abc import Hashable, Iterable
from dataclasses import dataclass, field

from django.db import transaction
from django.db.models import F, Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from core.errors import Conflict
from core.types import Actor
from elections.audit import AuditRecord, audit_log, audit_log_many
from elections.audit_codes import AuditAction
from elections.models import Election
from results.models import FIGURES, Flag, Tally, TallyVote
from results.rules import anomalies as flags

SOURCE_PREFIX = "screening:"
GROUP_CODES = {"last_digit"}  # findings about a constituency, not a unit


class FlagRefused(Conflict):
    """The flag cannot be resolved so (HTTP 409)."""


# --- who may see and resolve a flag ---------------------------------------------------------------


@transaction.atomic
def flag_resolve(*, flag: Flag, note: str, by: Actor, source: str = "") -> Flag:
    """Open -> resolved, with the committee member's note (required)."""
    note = (note or "").strip()
    if not note:
        raise FlagRefused(_("A note is required: say what was checked and found."))
    locked = Flag.objects.select_for_update(of=("self",)).select_related("election", "polling_unit").get(pk=flag.pk)
    if locked.status != Flag.Status.OPEN:
        raise FlagRefused(_("This flag is already resolved."))
    locked.status, locked.resolved_by, locked.resolved_at, locked.resolution_note = (
        Flag.Status.RESOLVED,
        by,
        timezone.now(),
        note[:4000],
    )
    locked.save(update_fields=["status", "resolved_by", "resolved_at", "resolution_note"])
    audit_log(
        AuditAction.FLAG_RESOLVED,
        user=by,
        election_slug=locked.election.slug,
        object_type="flag",
        object_key=f"{locked.pk} {locked.code} {locked.polling_unit.code if locked.polling_unit_id else ''}".strip(),
        before={"status": Flag.Status.OPEN},
        after={"status": Flag.Status.RESOLVED},
        data={"note": locked.resolution_note, "message": locked.message, "source": locked.source},
        source=source,
    )
    return locked


def annulments_revoted(tallies: Iterable[Tally], *, by: Actor, source: str = "") -> int:
    """Close the annulment flags (Art. 81) of the units whose re-vote is among `tallies`, just approved: the flag
    said "re-vote required", and the re-vote is now counted. Each closing is audited; returns how many closed."""
    keys = {(t.polling_unit_id, t.contest_id, t.round) for t in tallies if t.attempt > 1}
    if not keys:
        return 0
    match = Q()
    for unit, contest, number in keys:
        match |= Q(tally__polling_unit_id=unit, tally__contest_id=contest, tally__round=number)
    flags = list(
        Flag.objects.select_for_update(of=("self",))
        .filter(match, code="unit_annulled", status=Flag.Status.OPEN)
        .select_related("election", "polling_unit", "tally")
        .order_by("pk")
    )
    now, actor = timezone.now(), by if getattr(by, "pk", None) else None
    for f in flags:
        f.status, f.resolved_by, f.resolved_at = Flag.Status.RESOLVED, actor, now
        f.resolution_note = str(_("The re-vote is counted and approved (Art. 81)."))
    Flag.objects.bulk_update(flags, ["status", "resolved_by", "resolved_at", "resolution_note"])
    audit_log_many(
        AuditRecord(
            AuditAction.FLAG_RESOLVED,
            user=by,
            election_slug=f.election.slug,
            object_type="flag",
            object_key=f"{f.pk} {f.code} {f.polling_unit.code if f.polling_unit_id else ''}".strip(),
            before={"status": Flag.Status.OPEN},
            after={"status": Flag.Status.RESOLVED},
            data={"note": f.resolution_note, "message": f.message, "source": f.source, "article": "Art. 81(2)"},
            source=source,
        )
        for f in flags
    )
    return len(flags)


# --- screening ------------------------------------------------------------------------------------


@dataclass
class ScreeningReport:
    units: int = 0
    found: Counter = field(default_factory=Counter)
    created: int = 0
    kept: int = 0
    removed: int = 0


def _area_groups(paths: list[str]) -> list[tuple[int, int]]:
    """For each unit's area path: (the deepest area holding at least MIN_GROUP units, its depth-1 area)."""
    split = [[int(p) for p in path.strip("/").split("/") if p] for path in paths]
    counts: Counter = Counter()
    for ids in split:
        for i in range(len(ids)):
            counts[ids[i]] += 1
    out = []
    for ids in split:
        area = next((a for a in reversed(ids) if counts[a] >= flags.MIN_GROUP), ids[0] if ids else 0)
        region = ids[1] if len(ids) > 1 else (ids[0] if ids else 0)
        out.append((area, region))
    return out


def _units_of(election: Election) -> tuple[list[flags.UnitFigures], dict[int, tuple[int, int]]]:
    """Every approved tally of a current round as UnitFigures; and tally id -> (unit id, constituency id)."""
    units: list[flags.UnitFigures] = []
    where: dict[int, tuple[int, int]] = {}
    for contest in election.contests.all():
        rows = list(
            Tally.objects.filter(
                contest=contest, status=Tally.Status.APPROVED, round=F("constituency__current_round")
            ).values_list(
                "id", "polling_unit_id", "polling_unit__code", "polling_unit__area__path", "constituency_id", *FIGURES
            )
        )
        if not rows:
            continue
        votes: dict[int, dict[int, int]] = defaultdict(dict)
        totals: Counter = Counter()
        cons_of_tally = {r[0]: r[4] for r in rows}
        for tally_id, cand_id, n in TallyVote.objects.filter(
            tally__contest=contest,
            tally__status=Tally.Status.APPROVED,
            tally__round=F("tally__constituency__current_round"),
        ).values_list("tally_id", "candidate_id", "votes"):
            votes[tally_id][cand_id] = n
            totals[(cons_of_tally.get(tally_id), cand_id)] += n
        leader: dict[Hashable, int] = {}
        best: dict[Hashable, int] = {}
        for (cons_id, cand_id), n in totals.items():
            if n > best.get(cons_id, -1):
                best[cons_id], leader[cons_id] = n, cand_id
        groups = _area_groups([r[3] for r in rows])
        for r, (area, region) in zip(rows, groups, strict=True):
            tally_id, unit_id, code, _path, cons_id = r[:5]
            figures = dict(zip(FIGURES, r[5:], strict=True))
            mine = votes.get(tally_id, {})
            units.append(
                flags.UnitFigures(
                    key=tally_id,
                    code=code,
                    area=area,
                    region=(contest.pk, region),
                    constituency=cons_id,
                    voters_on_list=figures["voters_on_list"],
                    voters_voted=figures["voters_voted"],
                    valid_ballots=figures["valid_ballots"],
                    leader_votes=mine.get(leader.get(cons_id, 0), 0),
                    votes=tuple(mine.values()),
                )
            )
            where[tally_id] = (unit_id, cons_id)
    return units, where


def screen_anomalies(
    *, election: Election, by: Actor = None, source: str = "", dry_run: bool = False
) -> ScreeningReport:
    """Run every screening on the election's counted units and keep its flags in step (idempotent)."""
    units, where = _units_of(election)
    found = flags.screen(units)
    report = ScreeningReport(units=len(units), found=Counter(a.code for a in found))
    wanted: dict[tuple[str, int | None, int | None], tuple[flags.Anomaly, int | None]] = {}
    for a in found:
        if a.code in GROUP_CODES:
            wanted[(a.code, None, int(a.key))] = (a, None)  # type: ignore[call-overload]
        else:
            unit_id, cons_id = where[a.key]  # type: ignore[index]
            wanted[(a.code, unit_id, cons_id)] = (a, a.key)  # type: ignore[assignment]
    if dry_run:
        return report
    with transaction.atomic():
        existing = {
            (f.code, f.polling_unit_id, f.constituency_id): f
            for f in Flag.objects.select_for_update().filter(election=election, source__startswith=SOURCE_PREFIX)
        }
        stale = [f.pk for key, f in existing.items() if key not in wanted and f.status == Flag.Status.OPEN]
        Flag.objects.filter(pk__in=stale).delete()
        report.removed = len(stale)
        new = []
        for key, (a, tally_id) in wanted.items():
            if key in existing:
                report.kept += 1
                continue
            new.append(
                Flag(
                    election=election,
                    polling_unit_id=key[1],
                    constituency_id=key[2],
                    tally_id=tally_id,
                    code=a.code,
                    severity=a.severity,
                    message=a.message,
                    params=a.params,
                    source=a.source,
                )
            )
        Flag.objects.bulk_create(new, batch_size=2000)
        report.created = len(new)
        if not (report.created or report.removed):
            return report  # nothing changed: nothing to log either
        audit_log(
            AuditAction.SCREENING_RAN,
            user=by,
            election_slug=election.slug,
            object_type="election",
            object_key=election.slug,
            data={
                "units": report.units,
                "found": dict(report.found),
                "created": report.created,
                "kept": report.kept,
                "removed": report.removed,
            },
            source=source,
        )
    return report
