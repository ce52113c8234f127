"""The clerk's draft of the minutes, saved whenever the clerk asks, complete or not (issue 16).

Figures that are complete and pass the refusing checks are saved as the tally (`services.tally_save`);
anything else, a line still empty or a check that refuses, is kept as typed in a TallyDraft, with the
problems that keep it from being submitted. Either way nothing the clerk typed is lost, and the page
lists what is left to do.
"""

import re
from collections.abc import Mapping
from dataclasses import dataclass, field
from typing import Any

from django.db import transaction
from django.utils.translation import gettext_lazy as _

from core.errors import Problem
from core.types import Actor
from elections.audit import audit_log
from elections.audit_codes import AuditAction
from results.models import FIGURES, Tally, TallyDraft
from results.permissions import TallyScope
from results.rules import checks
from results.tallies import services
from results.tallies.errors import TallyConflict, TallyInvalid
from results.tallies.parsing import MAX_COMPLAINTS, MAX_COUNT, TallyPayload
from results.tallies.records import (
    EDITABLE,
    _stale,
    candidate_ids,
    current_draft,
    current_tally,
    draft_place,
    drafts_forget,
    loaded_list_count,
    validate,
)

Status = Tally.Status

MAX_TYPED = 32  # characters kept of one typed figure: enough for any count, and for what was mistyped
MAX_KEPT_COMPLAINTS = 10 * MAX_COMPLAINTS  # beyond this a draft is refused rather than kept
_WHOLE = re.compile(r"[0-9]+")
# The words of a line that is not a count yet; the entry form uses the same (office/tallies/forms.py).
EMPTY = _("This line is still empty.")
NOT_WHOLE = _("Enter a whole number, 0 or more.")
TOO_LARGE = _("This number is too large.")


@dataclass(frozen=True)
class Typed:
    """The minutes as typed: every figure and vote as text ("" when empty), complaints as written."""

    figures: dict[str, str]
    votes: dict[str, str]  # candidate code -> text
    complaints: str = ""

    def as_json(self) -> dict[str, Any]:
        return {"figures": self.figures, "votes": self.votes, "complaints": self.complaints}

    @classmethod
    def from_json(cls, data: Mapping[str, Any]) -> "Typed":
        return cls(dict(data.get("figures") or {}), dict(data.get("votes") or {}), str(data.get("complaints") or ""))


@dataclass
class DraftReport:
    """What keeps a draft from being submitted: lines empty or not a number (`problems`), then the findings of
    the checks once every line is a number (errors refuse, warnings ask the clerk to confirm)."""

    problems: list[Problem] = field(default_factory=list)
    findings: list[checks.Finding] = field(default_factory=list)
    payload: TallyPayload | None = None  # the figures as numbers, when every line is one

    @property
    def errors(self) -> list[checks.Finding]:
        return checks.errors(self.findings)

    @property
    def warnings(self) -> list[checks.Finding]:
        return checks.warnings(self.findings)

    @property
    def refused(self) -> bool:
        """True when the draft cannot be submitted as it stands."""
        return bool(self.problems or self.errors)


def _number(text: str, path: str, problems: list[Problem]) -> int | None:
    text = text.strip()
    if not text:
        problems.append(Problem(path, EMPTY))
        return None
    if not _WHOLE.fullmatch(text):
        problems.append(Problem(path, NOT_WHOLE))
        return None
    value = int(text)
    if value > MAX_COUNT:
        problems.append(Problem(path, TOO_LARGE))
        return None
    return value


def draft_report(scope: TallyScope, typed: Typed, *, loaded: int | None = None) -> DraftReport:
    """Read the typed minutes as the law's checks would: each line a whole number, then the checks.

    An empty "voters who took part" gives one problem on `voters_voted`; complete figures where valid +
    invalid miss ballots received give the check's error on both lines, with its article.
    """
    problems: list[Problem] = []
    figures = {name: _number(typed.figures.get(name, ""), name, problems) for name in FIGURES}
    codes = candidate_ids(scope)
    votes = {code: _number(typed.votes.get(code, ""), f"votes.{code}", problems) for code in codes}
    if len(typed.complaints) > MAX_COMPLAINTS:
        problems.append(Problem("complaints", _("The complaints are too long: attach a longer account on paper.")))
    if problems:
        return DraftReport(problems)
    payload = TallyPayload(
        {k: v for k, v in figures.items() if v is not None},
        {k: v for k, v in votes.items() if v is not None},
        typed.complaints.strip(),
    )
    _problems, findings = validate(scope, payload, loaded=loaded, candidates=codes)
    return DraftReport([], findings, payload)


def kept_typed(typed: Typed) -> Typed:
    """The typed text, each figure cut to MAX_TYPED characters, only the constituency's candidates."""
    return Typed(
        {name: str(typed.figures.get(name, ""))[:MAX_TYPED] for name in FIGURES},
        {code: str(text)[:MAX_TYPED] for code, text in typed.votes.items()},
        typed.complaints,
    )


@transaction.atomic
def tally_draft_save(
    *,
    scope: TallyScope,
    typed: Typed,
    version: int | None,
    revision: int | None = None,
    by: Actor,
    source: str = "",
) -> tuple[Tally | None, TallyDraft | None, DraftReport]:
    """Save the clerk's draft whatever it holds. Returns (tally, kept draft, report): the tally when the figures
    were complete and lawful (saved as the tally's draft), the kept draft otherwise; the report lists what keeps
    it from being submitted.

    Refused (TallyConflict) only when it cannot be kept: the tally is no longer the clerk's to edit, or it (or the
    kept draft, `revision`) changed since the clerk's page was loaded.
    """
    tally = current_tally(scope, lock=True)
    if tally is not None and tally.status not in (*EDITABLE, Status.ANNULLED):
        raise TallyConflict(
            _("These minutes were submitted meanwhile and can no longer be changed here; reload the page.")
        )
    if len(typed.complaints) > MAX_KEPT_COMPLAINTS:
        raise TallyInvalid(
            _("The complaints are too long to keep: attach a longer account on paper."),
            [Problem("complaints", _("The complaints are too long: attach a longer account on paper."))],
        )
    report = draft_report(scope, typed, loaded=loaded_list_count(scope))
    if report.payload is not None and not report.refused:
        # complete and lawful: it is the tally's draft, through the one save of the workflow
        if tally is None or tally.status == Status.ANNULLED or not services.same_content(tally, report.payload):
            tally, _created = services.tally_save(
                scope=scope, payload=report.payload, version=version, by=by, source=source
            )
        elif version != tally.version:
            raise TallyConflict(_stale(tally.version, version))
        else:
            drafts_forget(scope)  # the figures are back to the saved ones
        return tally, None, report
    round_, attempt, based_on = draft_place(tally, current_round=scope.constituency.current_round)
    if version != based_on:
        raise TallyConflict(_stale(tally.version if tally else 0, version))
    draft = current_draft(scope, tally, lock=True)
    if draft is not None and revision != draft.revision:
        raise TallyConflict(_("Someone saved another draft of these minutes meanwhile; reload the page to see it."))
    kept = kept_typed(typed).as_json()
    before = None if draft is None else {"revision": draft.revision}
    if draft is None:
        draft, _created = TallyDraft.objects.update_or_create(
            polling_unit=scope.unit,
            contest=scope.contest,
            round=round_,
            attempt=attempt,
            defaults={"based_on_version": based_on, "revision": 1, "typed": kept, "saved_by": by},
        )
    else:
        draft.typed, draft.saved_by, draft.revision = kept, by, draft.revision + 1
        draft.save()
    audit_log(
        AuditAction.TALLY_DRAFT_KEPT,
        user=by,
        election_slug=scope.election.slug,
        object_type="tally",
        object_key=f"{scope.unit.code}/{scope.contest.code}/r{round_}.{attempt}",  # the key its tally will have
        before=before,
        after={"revision": draft.revision, "based_on_version": based_on, **kept},
        data={"problems": [p.path for p in report.problems] + [f.code for f in report.errors]},
        source=source,
    )
    return tally, draft, report
