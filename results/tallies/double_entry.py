"""Double entry (issue 16, CONTRACT §12): in an election that asks for it, every tally is typed twice.

The first user who enters a unit's minutes for a contest types the tally itself, as in any election. A second,
different user allowed to enter it types the same paper minutes again, blind: until the second entry is
complete, the second entrant is shown none of the first entry's figures (the entry page starts empty; the API
and the review page hide them). The second entry is kept as typed in a SecondEntry row, complete or not.

The two are compared line by line (the six figures and every candidate's votes; the complaints are free text
and are taken from the first entry). The tally is submitted, by either entrant, only when they agree; until
then the differences are listed, with both values, to both entrants and to the reviewer, and a submission is
refused naming the lines that differ. The reviewer who approves it must be neither entrant.

Everything here wraps the one workflow of `services` and `drafts`; without double entry each call is theirs.
"""

from dataclasses import dataclass, field
from typing import Any

from django.db import transaction
from django.db.models import Model
from django.utils.translation import gettext_lazy as _

from core.errors import Problem, lazy_format
from core.types import Actor
from elections.audit import audit_log
from elections.audit_codes import AuditAction
from elections.permissions import grants_for
from results.models import FIGURES, SecondEntry, Tally, TallyVersion
from results.permissions import TallyScope
from results.tallies import drafts, records, services
from results.tallies.errors import TallyConflict
from results.tallies.parsing import TallyPayload

Status = Tally.Status

FIRST, SECOND = 1, 2


@dataclass(frozen=True)
class Difference:
    """One line on which the two entries disagree: its path ("valid_ballots", "votes.QH1-01") and both values
    (None when that entry has no number on the line yet)."""

    path: str
    first: int | None
    second: int | None

    def as_json(self) -> dict[str, Any]:
        return {"field": self.path, "first": self.first, "second": self.second}


@dataclass(frozen=True)
class EntryInfo:
    """Who typed one of the two entries, and when it was last saved (never its figures)."""

    number: int
    by: str
    at: Any
    complete: bool

    def as_json(self) -> dict[str, Any]:
        return {"entry": self.number, "by": self.by, "at": self.at, "complete": self.complete}


@dataclass
class Standing:
    """Where a tally's double entry stands, as one user may see it."""

    on: bool
    role: int | None = None  # FIRST, SECOND, or None: this user is neither entrant (or may not enter)
    blind: bool = False  # this user is the second entrant and has not completed the second entry
    entries: list[EntryInfo] = field(default_factory=list)
    differences: list[Difference] = field(default_factory=list)
    second: SecondEntry | None = None

    @property
    def both_complete(self) -> bool:
        return len(self.entries) == 2 and all(e.complete for e in self.entries)

    @property
    def agreed(self) -> bool:
        return self.both_complete and not self.differences

    def as_json(self) -> dict[str, Any]:
        return {
            "entries": [e.as_json() for e in self.entries],
            "differences": [] if self.blind else [d.as_json() for d in self.differences],
        }


def _number(text: Any) -> int | None:
    text = str(text if text is not None else "").strip()
    return int(text) if text.isdigit() and len(text) < 10 else None


def differences(first: drafts.Typed, second: drafts.Typed, codes: list[str]) -> list[Difference]:
    """The lines on which two typings of the same minutes disagree, in the minutes' order: the six figures,
    then each candidate's votes. A line empty (or not a number) in either entry counts as a difference."""
    out = []
    for name in FIGURES:
        a, b = _number(first.figures.get(name)), _number(second.figures.get(name))
        if a is None or a != b:
            out.append(Difference(name, a, b))
    for code in codes:
        a, b = _number(first.votes.get(code)), _number(second.votes.get(code))
        if a is None or a != b:
            out.append(Difference(f"votes.{code}", a, b))
    return out


def _complete(typed: drafts.Typed, codes: list[str]) -> bool:
    return all(_number(typed.figures.get(n)) is not None for n in FIGURES) and all(
        _number(typed.votes.get(c)) is not None for c in codes
    )


def typed_of_tally(tally: Tally) -> drafts.Typed:
    figures = records.tally_figures(tally)
    return typed_of_content(figures)


def typed_of_content(content: dict[str, Any]) -> drafts.Typed:
    return drafts.Typed(
        {name: str(content[name]) for name in FIGURES},
        {code: str(n) for code, n in content["votes"].items()},
        content.get("complaints") or "",
    )


def typed_of_payload(payload: TallyPayload) -> drafts.Typed:
    return typed_of_content(payload.canonical())


def _place(scope: TallyScope, tally: Tally | None) -> tuple[int, int]:
    round_, attempt, _version = records.draft_place(tally, current_round=scope.constituency.current_round)
    return round_, attempt


def current_second(scope: TallyScope, tally: Tally | None, *, lock: bool = False) -> SecondEntry | None:
    round_, attempt = _place(scope, tally)
    qs = SecondEntry.objects.filter(polling_unit=scope.unit, contest=scope.contest, round=round_, attempt=attempt)
    if lock:
        qs = qs.select_for_update(of=("self",))
    return qs.select_related("entered_by").first()


def _first_entry(scope: TallyScope, tally: Tally | None) -> tuple[Any, drafts.Typed | None, Any]:
    """(user, typed figures, when) of the first entry: the tally's first author and its figures (or the draft
    kept as typed over it), else the draft typed before the first tally; (None, None, None) when nobody has."""
    editable = tally is not None and tally.status != Status.ANNULLED
    draft = records.current_draft(scope, tally)
    if editable:
        assert tally is not None
        first = TallyVersion.objects.filter(tally=tally).order_by("version").select_related("saved_by").first()
        user = first.saved_by if first is not None else tally.entered_by
        typed = drafts.Typed.from_json(draft.typed) if draft is not None else typed_of_tally(tally)
        return user, typed, draft.saved_at if draft is not None else tally.updated_at
    if draft is not None:
        return draft.saved_by, drafts.Typed.from_json(draft.typed), draft.saved_at
    return None, None, None


def _pk(user: Any) -> Any:
    return getattr(user, "pk", None)


def _enters(scope: TallyScope, user: Any) -> bool:
    """Whether `user` is one of the unit's entrants (its clerks), as opposed to a reviewer or an administrator."""
    return scope.unit.pk in grants_for(user, scope.election).clerk_units


def standing(scope: TallyScope, tally: Tally | None, user: Any = None) -> Standing:
    """The double entry of the current tally as `user` may see it (CONTRACT §12)."""
    if not scope.election.double_entry:
        return Standing(on=False, role=FIRST)
    codes = list(records.candidate_ids(scope, tally.round if tally is not None else None))
    first_user, first_typed, first_at = _first_entry(scope, tally)
    second = current_second(scope, tally)
    out = Standing(on=True, second=second)
    if first_user is not None and first_typed is not None:
        out.entries.append(EntryInfo(FIRST, first_user.get_username(), first_at, _complete(first_typed, codes)))
    second_typed = drafts.Typed.from_json(second.typed) if second is not None else None
    if second is not None and second_typed is not None:
        out.entries.append(
            EntryInfo(SECOND, second.entered_by.get_username(), second.saved_at, _complete(second_typed, codes))
        )
    if first_typed is not None and second_typed is not None:
        out.differences = differences(first_typed, second_typed, codes)
    out.role = _role(_pk(first_user), second, _pk(user))
    submitted = tally is not None and tally.status not in (*records.EDITABLE, Status.ANNULLED)
    second_done = second_typed is not None and _complete(second_typed, codes)
    out.blind = out.role == SECOND and not submitted and not second_done and _enters(scope, user)
    return out


def _role(first: Any, second: SecondEntry | None, user: Any) -> int | None:
    if user is None:
        return None
    if first is None or first == user:
        return FIRST
    if second is None or second.entered_by_id == user:
        return SECOND
    return None


def _entrant(
    scope: TallyScope, tally: Tally | None, user: Actor, *, lock: bool = False
) -> tuple[int, SecondEntry | None]:
    """(FIRST or SECOND, the second entry so far) for `user`; TallyConflict when both entries are others'."""
    first_user, _typed, _at = _first_entry(scope, tally)
    second = current_second(scope, tally, lock=lock)
    role = _role(_pk(first_user), second, _pk(user))
    if role is None:
        raise TallyConflict(
            lazy_format(
                _("Both entries of these minutes are being typed, by %(first)s and %(second)s; a third is not taken."),
                first=first_user.get_username() if first_user else "-",
                second=second.entered_by.get_username() if second else "-",
            )
        )
    return role, second


@transaction.atomic
def second_entry_save(
    *, scope: TallyScope, typed: drafts.Typed, revision: int | None = None, by: Actor, source: str = ""
) -> tuple[SecondEntry, drafts.DraftReport]:
    """Keep the second entrant's typing, complete or not; returns it and what keeps it from being submitted.

    `revision` is the revision the entrant's page was loaded with (None from the API: only its own author
    writes a second entry, so a newer save simply replaces it)."""
    tally = records.current_tally(scope, lock=True)
    if tally is not None and tally.status not in (*records.EDITABLE, Status.ANNULLED):
        raise TallyConflict(
            _("These minutes were submitted meanwhile and can no longer be changed here; reload the page.")
        )
    role, second = _entrant(scope, tally, by, lock=True)
    if role != SECOND:
        raise TallyConflict(_("You typed the first entry of these minutes: the second is another member's."))
    if second is not None and revision is not None and revision != second.revision:
        raise TallyConflict(_("You saved this entry meanwhile from another page; reload the page to see it."))
    report = drafts.draft_report(scope, typed, loaded=records.loaded_list_count(scope))
    kept = drafts.kept_typed(typed).as_json()
    round_, attempt = _place(scope, tally)
    before = None if second is None else {"revision": second.revision, **second.typed}
    if second is None:
        second = SecondEntry.objects.create(
            polling_unit=scope.unit, contest=scope.contest, round=round_, attempt=attempt, typed=kept, entered_by=by
        )
    else:
        second.typed, second.revision = kept, second.revision + 1
        second.save(update_fields=["typed", "revision", "saved_at"])
    audit_log(
        AuditAction.TALLY_SECOND_ENTRY_SAVED,
        user=by,
        election_slug=scope.election.slug,
        object_type="tally",
        object_key=f"{scope.unit.code}/{scope.contest.code}/r{round_}.{attempt}",
        before=before,
        after={"revision": second.revision, **kept},
        data={"problems": [p.path for p in report.problems] + [f.code for f in report.errors]},
        source=source,
    )
    return second, report


def tally_save(
    *, scope: TallyScope, payload: TallyPayload, version: int | None, by: Actor, source: str = ""
) -> tuple[Tally | None, bool]:
    """The API's PUT: the first entrant saves the tally (services.tally_save); the second, the second entry.
    Returns (tally, created) as services.tally_save does; created is False for a second entry."""
    if scope.election.double_entry:
        with transaction.atomic():
            tally = records.current_tally(scope, lock=True)
            if _entrant(scope, tally, by)[0] == SECOND:
                second_entry_save(scope=scope, typed=typed_of_payload(payload), by=by, source=source)
                return tally, False
    return services.tally_save(scope=scope, payload=payload, version=version, by=by, source=source)


def draft_save(
    *,
    scope: TallyScope,
    typed: drafts.Typed,
    version: int | None,
    revision: int | None = None,
    by: Actor,
    source: str = "",
) -> tuple[Tally | None, Model | None, drafts.DraftReport]:
    """The entry page's "Save draft": the first entrant's as drafts.tally_draft_save; the second's kept as the
    second entry (`revision` is then the second entry's)."""
    if scope.election.double_entry:
        with transaction.atomic():
            tally = records.current_tally(scope, lock=True)
            if _entrant(scope, tally, by)[0] == SECOND:
                second, report = second_entry_save(scope=scope, typed=typed, revision=revision, by=by, source=source)
                return tally, second, report
    return drafts.tally_draft_save(scope=scope, typed=typed, version=version, revision=revision, by=by, source=source)


def _disagreement(found: list[Difference]) -> TallyConflict:
    problems = [
        Problem(
            d.path,
            lazy_format(
                _("the two entries differ: %(first)s in the first, %(second)s in the second"),
                first="-" if d.first is None else d.first,
                second="-" if d.second is None else d.second,
            ),
        )
        for d in found
    ]
    message = lazy_format(
        _("The two entries of these minutes do not agree yet on: %(fields)s."), fields=", ".join(d.path for d in found)
    )
    return TallyConflict(message, problems)


def tally_submit(
    *,
    scope: TallyScope,
    by: Actor,
    version: int | None = None,
    source: str = "",
    payload: TallyPayload | None = None,
    warnings_confirmed: bool = True,
) -> Tally:
    """Submit (services.tally_submit) once both entries agree; otherwise TallyConflict (409) naming the lines.

    The second entrant's figures, when given, are saved as the second entry first; the tally submitted is then
    the first entry, which they match. A refusal writes nothing (the entry page saves the figures first)."""
    if not scope.election.double_entry:  # services.tally_submit is a transaction of its own: no savepoint in one
        return services.tally_submit(
            scope=scope, by=by, version=version, source=source, payload=payload, warnings_confirmed=warnings_confirmed
        )
    return _double_submit(
        scope=scope, by=by, version=version, source=source, payload=payload, warnings_confirmed=warnings_confirmed
    )


@transaction.atomic
def _double_submit(
    *,
    scope: TallyScope,
    by: Actor,
    version: int | None,
    source: str,
    payload: TallyPayload | None,
    warnings_confirmed: bool,
) -> Tally:
    tally = records.current_tally(scope, lock=True)
    role, second = _entrant(scope, tally, by)
    if role == SECOND:
        if payload is not None:
            second, _report = second_entry_save(scope=scope, typed=typed_of_payload(payload), by=by, source=source)
        if tally is None or tally.status == Status.ANNULLED:
            raise TallyConflict(_("The first entry of these minutes has not been saved yet."))
        if tally.status == Status.SUBMITTED:
            return tally  # submitted already (by the first entrant, or a retry): nothing to do
        payload, version = None, tally.version
    if tally is not None and tally.status == Status.SUBMITTED and payload is None:
        return services.tally_submit(scope=scope, by=by, version=version, source=source)  # a retry: its answer
    current = tally is not None and tally.status != Status.ANNULLED
    codes = list(records.candidate_ids(scope, tally.round if tally is not None and current else None))
    first = typed_of_payload(payload) if payload is not None else (typed_of_tally(tally) if tally and current else None)
    if second is None or first is None:
        raise TallyConflict(
            _("These minutes are entered twice in this election: the second entry has not been saved yet."),
        )
    found = differences(first, drafts.Typed.from_json(second.typed), codes)
    if found:
        raise _disagreement(found)
    return services.tally_submit(
        scope=scope, by=by, version=version, source=source, payload=payload, warnings_confirmed=warnings_confirmed
    )
