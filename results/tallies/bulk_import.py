"""Loading many tallies from a file (interfaces §2), all or nothing, in batches."""

from collections import defaultdict
from collections.abc import Callable
from dataclasses import dataclass, field
from types import SimpleNamespace
from typing import Any

from django.db import transaction
from django.db.models import F

from core import bulk_rows
from core.errors import Problem
from core.types import Actor
from elections.audit import AuditRecord, audit_log_bulk
from elections.audit_codes import AuditAction
from elections.models import Candidate, Constituency, Election, PollingUnitConstituency
from results.flags import screening
from results.models import FIGURES, Flag, Tally, TallyVersion, TallyVote
from results.outcomes import rounds
from results.outcomes.totals import tally_change, totals_apply
from results.publication import services as publication
from results.rules import checks
from results.tallies.parsing import TallyPayload, parse_tally
from results.tallies.records import _candidate_problems, _check_input, _hash

Status = Tally.Status


BATCH = 2000
# Every column of a new tally but the two times, which the database write sets (core/bulk_rows.py).
_TALLY_COLUMNS = tuple(f.attname for f in Tally._meta.concrete_fields if f.attname not in ("created_at", "updated_at"))
_FLAG_COLUMNS = (
    "election_id",
    "polling_unit_id",
    "constituency_id",
    "tally_id",
    "code",
    "severity",
    "message",
    "params",
    "source",
)


@dataclass
class TallyImportReport:
    created: int = 0
    updated: int = 0
    unchanged: int = 0
    flagged: int = 0
    problems: list[Problem] = field(default_factory=list)
    warnings: list[Problem] = field(default_factory=list)


@dataclass(slots=True)
class _Member:
    """A unit's constituency for one contest, as the import needs it (plain values: 100,000 of them)."""

    polling_unit_id: int
    contest_id: int
    constituency_id: int
    constituency: Constituency
    unit_code: str
    contest_code: str


class _NewTally(SimpleNamespace):
    """A new tally written by COPY: the attributes of a Tally, without a model instance (100,000 of them)."""

    @classmethod
    def maker(cls) -> Callable[..., "_NewTally"]:
        """Make them with every column's default, as `Tally(...)` would."""
        base = {f.attname: f.get_default() for f in Tally._meta.concrete_fields if f.attname in _TALLY_COLUMNS}
        return lambda **values: cls(**{**base, **values})

    @property
    def pk(self) -> int | None:
        return self.id

    @pk.setter
    def pk(self, value: int) -> None:
        self.id = value


@dataclass
class _Row:
    path: str
    payload: TallyPayload
    membership: "_Member"
    findings: list[checks.Finding]


def tallies_import(
    *,
    election: Election,
    items: list[tuple[str, Any]],
    approve: bool = False,
    lenient: bool = False,
    by: Actor = None,
    source: str = "",
    dry_run: bool = False,
) -> TallyImportReport:
    """Load tallies as a committee would receive them, all or nothing (interfaces §2).

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
    constituencies = {c.pk: c for c in Constituency.objects.filter(election=election)}
    memberships = {
        (unit_code, contest_code): _Member(
            unit_id, contest_id, cons_id, constituencies[cons_id], unit_code, contest_code
        )
        for unit_id, contest_id, cons_id, unit_code, contest_code in PollingUnitConstituency.objects.filter(
            polling_unit__election=election
        ).values_list("polling_unit_id", "contest_id", "constituency_id", "polling_unit__code", "contest__code")
    }
    later = rounds.current_ballots(election)  # constituencies past round 1: that round's ballot and seats
    candidates: dict[int, set[str]] = defaultdict(set)
    for cons_id, cand_id, code in Candidate.objects.filter(election=election).values_list(
        "constituency_id", "pk", "code"
    ):
        ballot = later[cons_id].ballot if cons_id in later else None
        if ballot is None or cand_id in ballot:
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
        current = later.get(membership.constituency_id)
        number, seats = (current.number, current.seats) if current else (1, membership.constituency.seats)
        problems = _candidate_problems(
            payload, candidates[membership.constituency_id], prefix=f"{path}.", round_number=number
        )
        if problems:
            report.problems += problems
            continue
        findings = checks.check_tally(_check_input(payload, seats, None), rules=election.rules)
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
    election: Election, rows: list[_Row], *, approve: bool, by: Actor, source: str, report: TallyImportReport
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
    user_id = user.pk if user is not None else None

    to_create: list[tuple[_Row, Any]] = []  # Tally, or _NewTally with COPY
    new_tally = _NewTally.maker() if bulk_rows.copying() else Tally
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
                        f"{m.unit_code}/{m.contest_code} is already approved with other "
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
                    new_tally(  # ids, not instances: setting a relation 100,000 times costs seconds
                        election_id=election.pk,
                        polling_unit_id=m.polling_unit_id,
                        contest_id=m.contest_id,
                        constituency_id=m.constituency_id,
                        round=m.constituency.current_round,
                        attempt=attempt,
                        status=target,
                        entered_by_id=user_id,
                        submitted_by_id=user_id,
                        approved_by_id=None,
                        imported=True,
                        **row.payload.figures,
                        complaints=row.payload.complaints,
                    ),
                )
            )
    if report.problems:
        transaction.set_rollback(True)
        return

    # The new rows' foreign keys are checked once per statement, not row by row (core/bulk_rows.py), if allowed.
    unchecked = bulk_rows.references_unchecked()
    if bulk_rows.copying():  # COPY, with ids taken from the sequence first
        for tally, pk in zip((t for _, t in to_create), bulk_rows.take_ids(Tally, len(to_create)), strict=True):
            tally.pk = pk
        bulk_rows.insert_rows(
            Tally, _TALLY_COLUMNS, (tuple(getattr(t, c) for c in _TALLY_COLUMNS) for _, t in to_create)
        )
    else:
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
    if unchecked:  # updates and deletions go through the triggers
        bulk_rows.references_checked()
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
    if unchecked:
        bulk_rows.references_unchecked()
    # Plain rows: on PostgreSQL they go by COPY, without a model instance each (core/bulk_rows.py).
    bulk_rows.insert_rows(
        TallyVote,
        ("tally_id", "candidate_id", "votes"),
        ((t.pk, ids_by_code[code], n) for row, t in written for code, n in row.payload.votes.items()),
        batch_size=10000,
    )
    bulk_rows.insert_rows(
        TallyVersion,
        ("tally_id", "version", "status", "figures", "payload_hash", "saved_by_id", "action"),
        (
            (t.pk, t.version, t.status, content, _hash(content), user_id, "imported")
            for row, t in written
            for content in (row.payload.canonical(),)
        ),
        batch_size=BATCH,
    )
    flags = [
        (
            election.pk,
            t.polling_unit_id,
            t.constituency_id,
            t.pk,
            f.code,
            f.severity,
            str(f.message),
            f.params,
            f"check: {f.source}" + ("; lenient import" if f.severity == checks.ERROR else ""),
        )
        for row, t in written
        for f in row.findings
    ]
    bulk_rows.insert_rows(Flag, _FLAG_COLUMNS, flags, batch_size=BATCH)
    report.flagged = len({f[3] for f in flags if f[5] == checks.ERROR})
    if unchecked:  # the foreign keys of every row written since `references_unchecked`, one statement each
        bulk_rows.references_checked()
        written_ids = [t.pk for _, t in written]
        bulk_rows.check_references(Tally, "id", [t.pk for _, t in to_create])
        for model in (TallyVote, TallyVersion, Flag):
            bulk_rows.check_references(model, "tally_id", written_ids)
    if approve:  # every written tally becomes approved now (already approved ones were refused or unchanged)
        totals_apply(
            tally_change(t, {ids_by_code[code]: n for code, n in row.payload.votes.items()}, +1) for row, t in written
        )
    report.created, report.updated = len(to_create), len(to_update)
    if approve:  # a re-vote after an annulment is counted: its flag closes (Art. 81)
        screening.annulments_revoted([t for _row, t in written], by=by, source=source)
    if approve and written:
        publication.public_changed(election.pk, results=True)
        publication.sync_published(
            {row.membership.constituency_id for row, _t in written},
            change=publication.Change(publication.CAUSE_TALLY_APPROVED),
            by=by,
            source=source,
        )
    action = AuditAction.TALLY_IMPORTED_APPROVED if approve else AuditAction.TALLY_IMPORTED
    audit_log_bulk(
        AuditRecord(
            action,
            user=by,
            election_slug=election.slug,
            object_type="tally",
            object_key=f"{row.membership.unit_code}/{row.membership.contest_code}/r{t.round}.{t.attempt}",
            before=befores.get(t.pk),
            after={"status": t.status, "version": t.version, **row.payload.canonical()},
            source=source,
        )
        for row, t in written
    )
