"""The clerk's pages of election day: the counting minutes and turnout during the day (issue 16).

The minutes: "Save draft" always keeps what was typed, complete or not, and lists what is left to do;
"Review and submit" submits lawful minutes once the clerk has confirmed their warnings. Which check
refuses and which warns is the rule set's (results/rules/checks.py); the page's script gets that table
from here and never keeps a list of its own. Without JavaScript the same questions are asked by the
server: a refusal next to the buttons, the warnings listed with a box to confirm.
"""

import datetime as dt
from dataclasses import dataclass, field
from typing import Any

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.contrib.messages import get_messages
from django.core.exceptions import PermissionDenied
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _

from core.http import request_source
from core.law import article_words
from core.offline import offline_page
from elections.permissions import Action, access_polling_unit, can_polling_unit, grants_for
from office.tallies import double
from office.tallies.forms import FIELD_LABELS, TallyForm
from office.tallies.views import _entry_url, _initial
from results.models import FIGURES, Tally
from results.permissions import TallyScope, access_tally
from results.rules import checks
from results.tallies import double_entry, drafts, errors, records, selectors, turnout

SAVED_TAG = "draft-saved"  # a message with this tag tells the page's script the server holds the figures


@dataclass(frozen=True)
class Note:
    """A finding of the checks beside a line: "error" refuses, "warning" is confirmed; its article; its words."""

    severity: str
    article: str
    text: str


@dataclass(frozen=True)
class ProblemRow:
    """One thing left to do in a draft, for the list above the buttons: the line, the words, its severity."""

    anchor: str
    label: str
    text: str
    severity: str
    article: str = ""


@dataclass
class EntryState:
    """What the last request left to say beside the buttons."""

    save_refusal: str = ""
    submit_refusal: str = ""
    confirm: list[Note] = field(default_factory=list)  # warnings the clerk is asked to confirm
    status: int = 200  # a form shown again answers 200, as Django's forms do; a conflict 409


def _whole(text: str | None) -> int | None:
    return int(text) if text and text.isdigit() and len(text) < 10 else None


def _note(f: checks.Finding) -> Note:
    return Note(f.severity, article_words(f.source), f.message)


def _notes(form: TallyForm, findings: list[checks.Finding]) -> dict[str, list[Note]]:
    out: dict[str, list[Note]] = {}
    for f in findings:
        for path in f.fields:
            out.setdefault(form.field_for_path(path) or path, []).append(_note(f))
    return out


def _problem_rows(form: TallyForm, report: drafts.DraftReport) -> list[ProblemRow]:
    rows = []
    for p in report.problems:
        name = form.field_for_path(p.path) or p.path
        rows.append(ProblemRow(form.anchor_of(name), form.label_of(name), str(p.message), checks.ERROR))
    for f in report.findings:
        names = [form.field_for_path(path) or path for path in f.fields]
        label = ", ".join(form.label_of(n) for n in names)
        rows.append(ProblemRow(form.anchor_of(names[0]), label, f.message, f.severity, article_words(f.source)))
    return rows


def _check_rules(rules: str) -> dict[str, dict[str, str]]:
    """Each check of the minutes under the election's rule set, for the page's script: severity, article, words."""
    return {
        code: {"severity": severity, "article": article_words(source), "message": _(checks.MESSAGES[code])}
        for code, (severity, source) in checks.classification(rules).items()
    }


def _page_words() -> dict[str, str]:
    return {
        "error": _("Error"),
        "warning": _("Warning"),
        "empty": str(drafts.EMPTY),
        "not_whole": str(drafts.NOT_WHOLE),
        "refused": _("Correct the lines marked in red before submitting; save the draft to finish later."),
        "incomplete": _("Fill in every line before submitting; save the draft to finish later."),
        "tick": _("Tick the box to confirm the warnings."),
    }


def _save(request: HttpRequest, scope: TallyScope, form: TallyForm, state: EntryState) -> HttpResponse | None:
    """Keep the draft whatever it holds; say why beside the button when it cannot be kept."""
    try:
        _tally, _kept, report = double_entry.draft_save(
            scope=scope,
            typed=form.typed(),
            version=_whole(request.POST.get("version")),
            revision=_whole(request.POST.get("draft_revision")),
            by=request.user,
            source=request_source(request),
        )
    except errors.TallyError as exc:
        state.save_refusal = _("The draft was not saved: %(why)s Your figures are still in the form.") % {
            "why": exc.words(FIELD_LABELS)
        }
        state.status = exc.status
        return None
    if report.refused:
        messages.warning(
            request, _("Draft saved. It cannot be submitted yet: what is left to do is listed below."), SAVED_TAG
        )
    elif report.warnings:
        messages.success(
            request, _("Draft saved. Its warnings are marked; you confirm them when you submit."), SAVED_TAG
        )
    else:
        messages.success(request, _("Draft saved."), SAVED_TAG)
    return redirect(_entry_url(scope))


def _submit(
    request: HttpRequest, scope: TallyScope, tally: Tally | None, form: TallyForm, state: EntryState
) -> HttpResponse | None:
    """Submit lawful minutes; ask to confirm their warnings first (the field `confirm_warnings`)."""
    if not form.is_valid():
        state.submit_refusal = _page_words()["incomplete"]
        return None
    already = tally is not None and tally.status == Tally.Status.SUBMITTED
    payload: Any = form.payload()
    version = form.cleaned_data.get("version")
    try:
        if scope.election.double_entry and not already:
            # the figures are kept first, whatever the answer: a disagreement is then shown line by line
            saved, _kept, report = double_entry.draft_save(
                scope=scope,
                typed=form.typed(),
                version=version,
                revision=_whole(request.POST.get("draft_revision")),
                by=request.user,
                source=request_source(request),
            )
            if report.refused:
                state.submit_refusal = _page_words()["refused"]
                return None
            payload, version = None, saved.version if saved is not None else None
        double_entry.tally_submit(
            scope=scope,
            payload=payload,
            version=version,
            by=request.user,
            source=request_source(request),
            warnings_confirmed=request.POST.get("confirm_warnings") == "1",
        )
    except errors.WarningsUnconfirmed as exc:
        state.confirm = [_note(f) for f in exc.findings]
        return None
    except errors.TallyInvalid as exc:
        state.submit_refusal = f"{_page_words()['refused']} {exc.words(FIELD_LABELS)}"
        return None
    except errors.TallyError as exc:
        if scope.election.double_entry and exc.status == 409:
            # kept as typed: the page shows the disagreement (or what the other entry still lacks) after a reload
            words = exc.words(FIELD_LABELS)
            if exc.problems:  # the lines that differ, with both values, are in the table of the page
                words = _("Not submitted: the two entries do not agree yet on the lines listed below.")
            messages.warning(request, words, SAVED_TAG)
            return redirect(_entry_url(scope))
        state.submit_refusal, state.status = exc.words(FIELD_LABELS), exc.status
        return None
    if already:  # a retried submission: it counted once
        messages.info(request, _("These minutes were already submitted."), SAVED_TAG)
    else:
        messages.success(request, _("Submitted for review. Thank you."), SAVED_TAG)
    return redirect(_entry_url(scope))


def _shown_typed(form: TallyForm, tally: Tally | None, editable: bool) -> drafts.Typed | None:
    """The figures the page shows, to check them as the server would; None for an empty new form."""
    if form.is_bound:
        return form.typed()
    if tally is None or not editable or tally.status == Tally.Status.ANNULLED:
        return None
    figures = records.tally_figures(tally)
    return drafts.Typed(
        {name: str(figures[name]) for name in FIGURES},
        {code: str(n) for code, n in figures["votes"].items()},
        figures["complaints"],
    )


@offline_page
@login_required
def tally_entry(request: HttpRequest, slug: str, unit: str, contest: str) -> HttpResponse:
    """The clerk's counting minutes for one contest: save the draft, or review, confirm the warnings and submit."""
    scope = access_tally(request.user, slug, unit, contest, need=Action.ENTER)
    tally = records.current_tally(scope)
    round_, candidates = records.ballot_of(scope, tally)
    standing = double_entry.standing(scope, tally, request.user)
    editable = tally is None or tally.status in (*records.EDITABLE, Tally.Status.ANNULLED)
    if standing.role == double_entry.SECOND:
        draft = standing.second  # the second entrant's own typing; the tally's figures stay out of the form
        shown_tally = None
    else:
        draft = records.current_draft(scope, tally)
        shown_tally = tally
    editable = editable and standing.role is not None
    state = EntryState()
    if request.method == "POST":
        form = TallyForm(request.POST, candidates=candidates)
        if request.POST.get("action") == "submit":
            answer = _submit(request, scope, tally, form, state)
        else:
            answer = _save(request, scope, form, state)
        if answer is not None:
            return answer
    elif draft is not None:
        typed = drafts.Typed.from_json(draft.typed)
        based_on = tally.version if standing.role == double_entry.SECOND and tally else draft.based_on_version
        data = TallyForm.data_of(typed, candidates, version=based_on or "", draft_revision=draft.revision)
        form = TallyForm(data, candidates=candidates)
    else:
        form = TallyForm(candidates=candidates, initial=_initial(scope, shown_tally))
    loaded = records.loaded_list_count(scope)
    shown = _shown_typed(form, shown_tally, editable)
    report = drafts.draft_report(scope, shown, loaded=loaded) if shown is not None else drafts.DraftReport()
    if form.is_bound:
        form.is_valid()  # each line's own problem (empty, not a number) beside it
    form.notes = _notes(form, report.findings)
    status = Tally.Status.DRAFT if draft and (tally is None or tally.status == Tally.Status.ANNULLED) else None
    if standing.role == double_entry.SECOND and draft is not None and tally is None:
        status = None  # the second entry is not the tally: the unit has no saved tally yet
    status = status or (tally.status if tally else selectors.NOT_REPORTED)
    context = {
        "scope": scope,
        "election": scope.election,
        "tally": tally,
        "draft": draft,
        "status": status,
        "status_label": Tally.Status(status).label if status != selectors.NOT_REPORTED else _("not yet reported"),
        "editable": editable,
        "form": form,
        "flags": selectors.open_flags(tally) if tally and not standing.blind else [],
        "double": standing,
        "differences": double.difference_rows(form, standing),
        "problems": _problem_rows(form, report) if draft is not None and request.method != "POST" else [],
        "entry_role": standing.role,
        "state": state,
        "saved_now": any(SAVED_TAG in (m.extra_tags or "") for m in get_messages(request)),
        "check_rules": _check_rules(scope.election.rules),
        "page_words": _page_words(),
        "seats": round_.seats,
        "round": round_,
        "loaded_list": loaded,
    }
    return render(request, "results/tally_entry.html", context, status=state.status)


@offline_page
@login_required
def turnout_entry(request: HttpRequest, slug: str, unit: str) -> HttpResponse:
    """The clerk reports voters who have voted so far at each of the day's reporting times.

    A report the server refuses is shown again in its input, with the reason beside it.
    """
    polling_unit = access_polling_unit(request.user, slug, unit, need=Action.VIEW)
    constituency_ids = set(polling_unit.memberships.values_list("constituency_id", flat=True))
    grants = grants_for(request.user, polling_unit.election)
    may_enter = can_polling_unit(grants, polling_unit, Action.ENTER, constituency_ids=constituency_ids)
    refused: dict[str, Any] = {}
    if request.method == "POST":
        if not may_enter:
            raise PermissionDenied(_("Only the unit's polling team reports its turnout."))
        at_text, voted = request.POST.get("at", ""), request.POST.get("voters_voted", "")
        try:
            at = dt.time.fromisoformat(at_text)
            count = int(voted)
            if count < 0:
                raise ValueError(voted)
        except ValueError:
            refused = {"at": at_text, "value": voted[:32], "why": _("Enter a whole number of voters.")}
        else:
            try:
                _report, found = turnout.turnout_report_save(
                    unit=polling_unit, at=at, voters_voted=count, by=request.user, source=request_source(request)
                )
            except errors.TallyError as exc:
                why = "; ".join(str(p.message) for p in exc.problems) or str(exc.message)
                refused = {"at": at_text, "value": voted[:32], "why": why}
            else:
                messages.success(request, _("Turnout at %(at)s saved.") % {"at": at_text})
                for f in found:
                    messages.warning(request, f.message)
                return redirect("results:turnout-entry", slug, unit)
    series = selectors.turnout_series(polling_unit)
    for slot in series:
        if refused and slot["at"].strftime("%H:%M") == refused["at"][:5]:
            slot["refused"], refused["shown"] = refused, True
    if refused and not refused.get("shown"):  # not a time of the day's series: say it at the top
        messages.error(request, refused["why"])
    context = {"election": polling_unit.election, "unit": polling_unit, "series": series, "may_enter": may_enter}
    return render(request, "results/turnout_entry.html", context)
