"""Writes to the election structure: the import of interfaces §1 and role grants of §6.

Each service runs in one transaction, locks what it changes and writes the audit log.
"""

from collections.abc import Callable, Hashable, Iterable
from dataclasses import dataclass, field
from typing import Any

from django.contrib.auth.models import AbstractBaseUser
from django.db import transaction

from core import bulk_rows
from core.errors import Conflict, Invalid
from core.types import Actor
from elections.audit import audit_log
from elections.audit_codes import AuditAction
from elections.models import (
    Area,
    Candidate,
    Constituency,
    Contest,
    Election,
    PollingUnit,
    PollingUnitConstituency,
    Role,
    RoleAssignment,
)
from elections.parsing import ElectionSpec

BATCH = 2000
_CODES_IN_AUDIT = 200  # codes listed per kind and change in the audit entry; the count is always exact


class ElectionLocked(Conflict):
    """The election already has tallies: its structure may no longer change by import."""


class RoleScopeError(Invalid):
    """A role was asked for with a scope that does not exist or does not fit the role."""


@dataclass
class KindChanges:
    created: list[str] = field(default_factory=list)
    updated: list[str] = field(default_factory=list)
    deleted: list[str] = field(default_factory=list)

    @property
    def any(self) -> bool:
        return bool(self.created or self.updated or self.deleted)

    def summary(self) -> dict[str, Any]:
        out: dict[str, Any] = {}
        for name in ("created", "updated", "deleted"):
            codes = getattr(self, name)
            if codes:
                out[name] = len(codes)
                out[f"{name}_codes"] = sorted(codes)[:_CODES_IN_AUDIT]
        return out


@dataclass
class ImportReport:
    election: Election | None
    created_election: bool = False
    election_fields: list[str] = field(default_factory=list)
    kinds: dict[str, KindChanges] = field(default_factory=dict)

    @property
    def changed(self) -> bool:
        return self.created_election or bool(self.election_fields) or any(k.any for k in self.kinds.values())

    def counts(self) -> dict[str, dict[str, int]]:
        return {
            kind: {n: len(getattr(ch, n)) for n in ("created", "updated", "deleted") if getattr(ch, n)}
            for kind, ch in self.kinds.items()
            if ch.any
        }


class _Plan:
    """Rows to create, update and delete for one kind, found by comparing codes and field values."""

    def __init__(self, existing: dict[str, Any], wanted: dict[str, tuple[Hashable, ...]], key: Callable[[Any], tuple]):
        # Ordered and hashed (dict keys): callers test `code in plan.create` for each of 100,000 units.
        self.create = dict.fromkeys(code for code in wanted if code not in existing)
        self.update = dict.fromkeys(code for code in wanted if code in existing and key(existing[code]) != wanted[code])
        self.delete = dict.fromkeys(code for code in existing if code not in wanted)

    def changes(self) -> KindChanges:
        return KindChanges(list(self.create), list(self.update), list(self.delete))


def _by_code(rows: Iterable[Any]) -> dict[str, Any]:
    return {row.code: row for row in rows}


@transaction.atomic
def election_import(
    *, spec: ElectionSpec, by: AbstractBaseUser | None = None, source: str = "", dry_run: bool = False
) -> ImportReport:
    """Create or update an election so that it matches `spec` exactly, all or nothing.

    Importing the same spec again changes nothing. Once a tally exists, any change is refused with
    ElectionLocked. With `dry_run` the changes are computed and reported but not written.
    """
    election = Election.objects.select_for_update().filter(slug=spec.slug).first()
    report = ImportReport(election=election, created_election=election is None)
    election_values = {
        "name": spec.name,
        "election_day": spec.election_day,
        "rules": spec.rules,
        "time_zone": spec.time_zone,
        "voting_opens": spec.voting_opens,
        "voting_closes": spec.voting_closes,
        "double_entry": spec.double_entry,
    }
    if election is not None:
        report.election_fields = [k for k, v in election_values.items() if getattr(election, k) != v]

    existing = _load_existing(election)
    plans = _plan(spec, existing)
    report.kinds = {kind: plan.changes() for kind, plan in plans.items()}
    if not report.changed:
        return report
    if election is not None and election.tallies.exists():
        raise ElectionLocked(
            f'election "{spec.slug}" already has tallies; its structure can no longer be changed by import '
            f"(the file would change: {', '.join(k for k, ch in report.kinds.items() if ch.any) or 'election fields'})"
        )
    if dry_run:
        return report

    if election is None:
        election = Election.objects.create(slug=spec.slug, **election_values)
        report.election = election
    elif report.election_fields:
        for k, v in election_values.items():
            setattr(election, k, v)
        election.save(update_fields=[*report.election_fields, "updated_at"])
    _apply(election, spec, existing, plans)
    audit_log(
        AuditAction.ELECTION_IMPORTED,
        user=by,
        election_slug=election.slug,
        object_type="election",
        object_key=election.slug,
        data={
            "created_election": report.created_election,
            "election_fields": report.election_fields,
            "changes": {kind: ch.summary() for kind, ch in report.kinds.items() if ch.any},
        },
        source=source,
    )
    return report


@dataclass
class _Existing:
    areas: dict[str, Area] = field(default_factory=dict)
    contests: dict[str, Contest] = field(default_factory=dict)
    constituencies: dict[str, Constituency] = field(default_factory=dict)
    units: dict[str, PollingUnit] = field(default_factory=dict)
    memberships: dict[str, PollingUnitConstituency] = field(default_factory=dict)
    candidates: dict[str, Candidate] = field(default_factory=dict)


def _load_existing(election: Election | None) -> _Existing:
    if election is None:
        return _Existing()
    memberships = PollingUnitConstituency.objects.filter(polling_unit__election=election).select_related(
        "polling_unit", "constituency"
    )
    return _Existing(
        areas=_by_code(election.areas.select_related("parent")),
        contests=_by_code(election.contests.all()),
        constituencies=_by_code(election.constituencies.select_related("contest", "area")),
        units=_by_code(election.polling_units.select_related("area")),
        memberships={f"{m.polling_unit.code}\t{m.constituency.code}": m for m in memberships},
        candidates=_by_code(election.candidates.select_related("constituency")),
    )


def _plan(spec: ElectionSpec, ex: _Existing) -> dict[str, _Plan]:
    return {
        "areas": _Plan(
            ex.areas,
            {a.code: (a.name, a.parent) for a in spec.areas},
            lambda r: (r.name, r.parent.code if r.parent else None),
        ),
        "contests": _Plan(
            ex.contests,
            {c.code: (c.name, c.level, c.position) for c in spec.contests},
            lambda r: (r.name, r.level, r.position),
        ),
        "constituencies": _Plan(
            ex.constituencies,
            {c.code: (c.contest, c.name, c.seats, c.area) for c in spec.constituencies},
            lambda r: (r.contest.code, r.name, r.seats, r.area.code),
        ),
        "polling_units": _Plan(
            ex.units,
            {u.code: (u.name, u.area, u.registered_voters) for u in spec.polling_units},
            lambda r: (r.name, r.area.code, r.registered_voters),
        ),
        "unit_constituencies": _Plan(
            ex.memberships,
            {f"{u.code}\t{c}": () for u in spec.polling_units for c in u.constituencies},
            lambda r: (),
        ),
        "candidates": _Plan(
            ex.candidates,
            {
                c.code: (
                    c.constituency,
                    c.full_name,
                    c.date_of_birth,
                    c.date_of_birth_precision,
                    c.gender,
                    c.affiliation,
                    c.ballot_order,
                )
                for c in spec.candidates
            },
            lambda r: (
                r.constituency.code,
                r.full_name,
                r.date_of_birth,
                r.date_of_birth_precision,
                r.gender,
                r.affiliation,
                r.ballot_order,
            ),
        ),
    }


def _apply(election: Election, spec: ElectionSpec, ex: _Existing, plans: dict[str, _Plan]) -> None:  # noqa: C901
    # Areas: create the new ones, then set every parent and path (ids are known only after creation).
    areas = dict(ex.areas)
    new_areas = [Area(election=election, code=a.code, name=a.name, path="") for a in spec.areas if a.code not in areas]
    copy = bulk_rows.copying()  # PostgreSQL: new rows by COPY, with their ids taken first (core/bulk_rows.py)
    if copy:
        for row, pk in zip(new_areas, bulk_rows.take_ids(Area, len(new_areas)), strict=True):
            row.pk = pk
    else:
        Area.objects.bulk_create(new_areas, batch_size=BATCH)
    if new_areas and new_areas[0].pk is None:  # backends that do not return ids from bulk inserts
        new_areas = list(election.areas.filter(code__in=[a.code for a in new_areas]))
    areas.update(_by_code(new_areas))
    parent_of = {a.code: a.parent for a in spec.areas}
    paths: dict[str, tuple[str, int]] = {}

    def path_of(code: str) -> tuple[str, int]:
        if code not in paths:
            parent = parent_of[code]
            base, depth = path_of(parent) if parent else ("/", -1)
            paths[code] = (f"{base}{areas[code].pk}/", depth + 1)
        return paths[code]

    to_update = []
    for a in spec.areas:
        row = areas[a.code]
        new_parent = areas[a.parent] if a.parent else None
        path, depth = path_of(a.code)
        if (row.name, row.parent_id, row.path, row.depth) != (a.name, getattr(new_parent, "pk", None), path, depth):
            row.name, row.parent, row.path, row.depth = a.name, new_parent, path, depth
            to_update.append(row)
    if copy:  # the new areas are written whole, with their parent and path; only older ones are updated
        bulk_rows.insert_rows(
            Area,
            ("id", "election_id", "code", "name", "parent_id", "path", "depth"),
            ((r.pk, election.pk, r.code, r.name, r.parent_id, r.path, r.depth) for r in new_areas),
        )
        created = {r.pk for r in new_areas}
        to_update = [r for r in to_update if r.pk not in created]
    Area.objects.bulk_update(to_update, ["name", "parent", "path", "depth"], batch_size=BATCH)

    contests = dict(ex.contests)
    spec_contests = {c.code: c for c in spec.contests}
    new_contests = [
        Contest(election=election, code=c.code, name=c.name, level=c.level, position=c.position)
        for c in spec.contests
        if c.code in plans["contests"].create
    ]
    contests.update(_by_code(_bulk_create(Contest, new_contests, election.contests)))
    changed = []
    for code in plans["contests"].update:
        row, c = contests[code], spec_contests[code]
        row.name, row.level, row.position = c.name, c.level, c.position
        changed.append(row)
    Contest.objects.bulk_update(changed, ["name", "level", "position"], batch_size=BATCH)

    constituencies = dict(ex.constituencies)
    spec_cons = {c.code: c for c in spec.constituencies}
    new_cons = [
        Constituency(
            election=election,
            code=c.code,
            contest=contests[c.contest],
            name=c.name,
            seats=c.seats,
            area=areas[c.area],
        )
        for c in spec.constituencies
        if c.code in plans["constituencies"].create
    ]
    constituencies.update(_by_code(_bulk_create(Constituency, new_cons, election.constituencies)))
    changed = []
    for code in plans["constituencies"].update:
        row, c = constituencies[code], spec_cons[code]
        row.contest, row.name, row.seats, row.area = contests[c.contest], c.name, c.seats, areas[c.area]
        changed.append(row)
    Constituency.objects.bulk_update(changed, ["contest", "name", "seats", "area"], batch_size=BATCH)

    units = dict(ex.units)
    spec_units = {u.code: u for u in spec.polling_units}
    unit_ids = {code: row.pk for code, row in units.items()}
    # New units and memberships: their foreign keys checked once per statement, if allowed (core/bulk_rows.py).
    unchecked = bulk_rows.references_unchecked()
    new_unit_ids = _insert_coded(
        PollingUnit,
        election,
        ("code", "name", "area_id", "registered_voters"),
        [
            (u.code, u.name, areas[u.area].pk, u.registered_voters)
            for u in spec.polling_units
            if u.code in plans["polling_units"].create
        ],
    )
    if unchecked:
        bulk_rows.references_checked()
        bulk_rows.check_references(PollingUnit, "id", list(new_unit_ids.values()))
    unit_ids.update(new_unit_ids)
    changed = []
    for code in plans["polling_units"].update:
        row, u = units[code], spec_units[code]
        row.name, row.area, row.registered_voters = u.name, areas[u.area], u.registered_voters
        changed.append(row)
    PollingUnit.objects.bulk_update(changed, ["name", "area", "registered_voters"], batch_size=BATCH)

    # Memberships: removals first, so a unit may move to another constituency of the same contest.
    _delete_in_batches(PollingUnitConstituency, [ex.memberships[key].pk for key in plans["unit_constituencies"].delete])
    links = []
    for key in plans["unit_constituencies"].create:
        unit_code, cons_code = key.split("\t")
        cons = constituencies[cons_code]
        links.append((unit_ids[unit_code], cons.pk, cons.contest_id))
    unchecked = bulk_rows.references_unchecked()
    bulk_rows.insert_rows(
        PollingUnitConstituency, ("polling_unit_id", "constituency_id", "contest_id"), links, batch_size=BATCH
    )
    if unchecked:
        bulk_rows.references_checked()
        bulk_rows.check_references(PollingUnitConstituency, "polling_unit_id", sorted({u for u, _c, _k in links}))

    # Candidates: ballot order is unique per constituency, so moved rows park on free numbers first.
    spec_cands = {c.code: c for c in spec.candidates}
    _delete_in_batches(Candidate, [ex.candidates[code].pk for code in plans["candidates"].delete])
    moved = [ex.candidates[code] for code in plans["candidates"].update]
    for i, row in enumerate(moved):
        row.ballot_order = 30000 + i % 2000
        row.constituency = constituencies[spec_cands[row.code].constituency]
    Candidate.objects.bulk_update(moved, ["ballot_order", "constituency"], batch_size=BATCH)
    new_cands = [
        Candidate(
            election=election,
            constituency=constituencies[c.constituency],
            code=c.code,
            ballot_order=c.ballot_order,
            full_name=c.full_name,
            date_of_birth=c.date_of_birth,
            date_of_birth_precision=c.date_of_birth_precision,
            gender=c.gender,
            affiliation=c.affiliation,
        )
        for c in spec.candidates
        if c.code in plans["candidates"].create
    ]
    Candidate.objects.bulk_create(new_cands, batch_size=BATCH)
    for row in moved:
        c = spec_cands[row.code]
        row.ballot_order, row.full_name, row.gender, row.affiliation = (
            c.ballot_order,
            c.full_name,
            c.gender,
            c.affiliation,
        )
        row.date_of_birth, row.date_of_birth_precision = c.date_of_birth, c.date_of_birth_precision
    Candidate.objects.bulk_update(
        moved,
        ["ballot_order", "full_name", "gender", "affiliation", "date_of_birth", "date_of_birth_precision"],
        batch_size=BATCH,
    )

    for model, rows, plan in (
        (PollingUnit, ex.units, plans["polling_units"]),
        (Constituency, ex.constituencies, plans["constituencies"]),
        (Contest, ex.contests, plans["contests"]),
    ):
        _delete_in_batches(model, [rows[code].pk for code in plan.delete])
    # Deepest first: a removed area's children are removed with it or have moved elsewhere already.
    for row in sorted((ex.areas[code] for code in plans["areas"].delete), key=lambda r: -r.depth):
        Area.objects.filter(pk=row.pk).delete()


def _delete_in_batches(model: Any, ids: list[int]) -> None:
    for start in range(0, len(ids), BATCH):
        model.objects.filter(pk__in=ids[start : start + BATCH]).delete()


def _insert_coded(
    model: Any, election: Election, columns: tuple[str, ...], rows: list[tuple[Any, ...]]
) -> dict[str, int]:
    """Insert rows of an election's coded model (`columns` start with "code"); return {code: id}.

    PostgreSQL: ids from the sequence, then COPY, without a model instance each; elsewhere `bulk_create`.
    """
    if not rows:
        return {}
    if bulk_rows.copying():
        ids = bulk_rows.take_ids(model, len(rows))
        bulk_rows.insert_rows(
            model,
            ("id", "election_id", *columns),
            ((pk, election.pk, *row) for pk, row in zip(ids, rows, strict=True)),
            batch_size=BATCH,
        )
        return {row[0]: pk for pk, row in zip(ids, rows, strict=True)}
    objs = [model(election=election, **dict(zip(columns, row, strict=True))) for row in rows]
    return {r.code: r.pk for r in _bulk_create(model, objs, model.objects.filter(election=election))}


def _bulk_create(model: Any, rows: list[Any], queryset: Any) -> list[Any]:
    model.objects.bulk_create(rows, batch_size=BATCH)
    if rows and rows[0].pk is None:  # backends that do not return ids from bulk inserts
        return list(queryset.filter(code__in=[r.code for r in rows]))
    return rows


_SCOPE_FIELD = {Role.CLERK: "polling_unit", Role.BOARD: "constituency", Role.COMMITTEE: "area", Role.AUDITOR: None}
_SCOPE_MODEL = {Role.CLERK: PollingUnit, Role.BOARD: Constituency, Role.COMMITTEE: Area}


def _resolve_scope(election: Election, role: Role, scope_code: str | None) -> dict[str, Any]:
    scope_field = _SCOPE_FIELD[role]
    if scope_field is None:
        if scope_code:
            raise RoleScopeError("an auditor reads the whole election and takes no scope")
        return {}
    if not scope_code:
        option = scope_field.replace("_", "-")
        raise RoleScopeError(f"the {role.value} role needs --{option} CODE")
    model = _SCOPE_MODEL[role]
    try:
        return {scope_field: model.objects.get(election=election, code=scope_code)}
    except model.DoesNotExist:
        kind = scope_field.replace("_", " ")
        raise RoleScopeError(f'no {kind} "{scope_code}" in election "{election.slug}"') from None


@transaction.atomic
def role_grant(
    *, user: Any, election: Election, role: Role, scope_code: str | None, by: Actor = None, source: str = ""
) -> tuple[RoleAssignment, bool]:
    """Give `user` a role; granting the same role twice changes nothing (returns created=False)."""
    scope = _resolve_scope(election, role, scope_code)
    assignment, created = RoleAssignment.objects.get_or_create(user=user, election=election, role=role, **scope)
    if created:
        audit_log(
            AuditAction.ROLE_GRANTED,
            user=by,
            election_slug=election.slug,
            object_type="role",
            object_key=f"{user.get_username()}:{role.value}:{scope_code or ''}",
            after={"user": user.get_username(), "role": role.value, "scope": scope_code or ""},
            source=source,
        )
    return assignment, created


@transaction.atomic
def role_revoke(
    *, user: Any, election: Election, role: Role, scope_code: str | None, by: Actor = None, source: str = ""
) -> bool:
    """Take a role away; returns False when the user did not have it."""
    scope = _resolve_scope(election, role, scope_code)
    deleted, _ = RoleAssignment.objects.filter(user=user, election=election, role=role, **scope).delete()
    if deleted:
        audit_log(
            AuditAction.ROLE_REVOKED,
            user=by,
            election_slug=election.slug,
            object_type="role",
            object_key=f"{user.get_username()}:{role.value}:{scope_code or ''}",
            before={"user": user.get_username(), "role": role.value, "scope": scope_code or ""},
            source=source,
        )
    return bool(deleted)
