"""The posted voter list (Mẫu số 31/HĐBC, Art. 31-32) as a printable PDF: template -> HTML -> PDF (WeasyPrint).

The document is the official Vietnamese form, so it is rendered in Vietnamese whatever the page language.
It prints no national ID: the form does not ask for one and the list is posted in public places.

A list of a few thousand voters takes seconds to lay out, so pages never render it in the request: the task
`voter_list_render` renders it in the background (core/tasks.py) into a `VoterListRendering`, with its progress,
and the PDF is kept while the list stays as it was (`voter_list_fingerprint`); the page serves the kept file.
"""

import datetime as dt
import hashlib
import logging
import math
import threading
import time
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from typing import Any

from django.core.files import File
from django.core.files.base import ContentFile
from django.db import DatabaseError
from django.db.models import Count, Max, Q, Sum
from django.template.loader import render_to_string
from django.utils import timezone, translation
from weasyprint import HTML

from core import tasks
from elections.models import Area, PollingUnit
from voters import rules, selectors
from voters.models import ACTIVE_STATUSES, Voter, VoterCategory, VoterList, VoterListRendering, VoterStatus

log = logging.getLogger(__name__)

FORM_NUMBER = "Mẫu số 31/HĐBC"
# Part of every fingerprint: raise it when the printed form changes (templates/pdf/voter_list.html), so the
# lists rendered before are rendered again.
LAYOUT = "2"  # 2: the category of Art. 29(3), (5) and the ballots of those voters in the notes
# The pages a list will take, for the progress shown while the layout runs (the exact count replaces it at the
# end): rows on an A4 page of the form, and the rows the heading and the totals take on the first and last.
ROWS_PER_PAGE = 41
ROWS_OF_HEADING = 12
STALE_AFTER = dt.timedelta(minutes=2)  # a running rendering whose heartbeat stopped this long ago has died
PROGRESS_EVERY = 0.3  # seconds between two progress writes
TASK = "voters.printing.voter_list_render"
Status = VoterListRendering.Status


def _areas_upwards(area: Area) -> list[Area]:
    ids = [int(part) for part in area.path.split("/") if part]
    by_id = {a.pk: a for a in Area.objects.filter(pk__in=ids)}
    return [by_id[i] for i in reversed(ids) if i in by_id]


# The form is Vietnamese whatever the page language: these are its words, not translations.
_LEVEL_ON_FORM = {
    "national_assembly": "ĐBQH",
    "provincial_council": "HĐND cấp tỉnh",
    "district_council": "HĐND cấp huyện",
    "commune_council": "HĐND cấp xã",
}
_CATEGORY_ON_FORM = {
    VoterCategory.ARMED_FORCES: "Quân nhân (khoản 3 Điều 29)",
    VoterCategory.DETENTION: "Đang bị tạm giam, tạm giữ (khoản 5 Điều 29)",
    VoterCategory.COMPULSORY_FACILITY: "Cơ sở giáo dục, cai nghiện bắt buộc (khoản 5 Điều 29)",
}


def ballots_note(voter: Voter, levels: list[str]) -> str:
    """The note of a voter listed apart (Art. 29(3), (5)): who they are and the only ballots they receive, of the
    unit's contest `levels`; empty for an ordinary voter (a short temporary resident has the template's note)."""
    if voter.category == VoterCategory.ORDINARY:
        return ""
    voted = rules.levels_voted(voter.residence, voter.category, levels)
    return f"{_CATEGORY_ON_FORM[VoterCategory(voter.category)]}: chỉ bầu " + ", ".join(
        _LEVEL_ON_FORM.get(level, level) for level in voted
    )


def voter_list_context(unit: PollingUnit) -> dict[str, object]:
    voters = list(selectors.voters_for_posting(unit))
    active = [v for v in voters if v.status in ACTIVE_STATUSES]
    levels = list(dict.fromkeys(c.level for c in selectors.contests_of_unit(unit)))
    return {
        "rows": [(v, ballots_note(v, levels)) for v in voters],
        "unit": unit,
        "election": unit.election,
        "form_number": FORM_NUMBER,
        "areas": _areas_upwards(unit.area),
        "voters": voters,
        "total": len(active),
        "men": sum(1 for v in active if v.gender == "male"),
        "women": sum(1 for v in active if v.gender == "female"),
        "struck": len(voters) - len(active),
        "statuses": VoterStatus,
        "voter_list": selectors.voter_list_of_unit(unit),
    }


def voter_list_pdf(unit: PollingUnit, *, on_progress: "Listener | None" = None) -> bytes:
    """The list as a PDF, now. `on_progress(message, args)` hears WeasyPrint's steps (see `_LayoutProgress`)."""
    with translation.override("vi"):
        html = render_to_string("pdf/voter_list.html", voter_list_context(unit))
    with _progress_heard_by(on_progress):
        return HTML(string=html).write_pdf()


# --- progress ------------------------------------------------------------------------------------------------

Listener = Callable[[str, Any], None]


class _LayoutProgress(logging.Handler):
    """WeasyPrint tells its documented `weasyprint.progress` logger each page it lays out ("Step 5 - Creating
    layout - Page %d") and when it starts writing the file ("Step 6 - Creating PDF"). This handler passes those of
    a thread to the listener that thread registered, so renderings in parallel threads each hear their own."""

    def __init__(self) -> None:
        super().__init__(level=logging.INFO)
        self.listeners: dict[int, Listener] = {}

    def emit(self, record: logging.LogRecord) -> None:
        listener = self.listeners.get(record.thread or 0)
        if listener is not None:
            listener(str(record.msg), record.args)


_progress = _LayoutProgress()
_progress_lock = threading.Lock()


@contextmanager
def _progress_heard_by(listener: Listener | None) -> Iterator[None]:
    if listener is None:
        yield
        return
    logger = logging.getLogger("weasyprint.progress")
    with _progress_lock:
        if _progress not in logger.handlers:
            # The settings quiet WeasyPrint's loggers at WARNING; its progress lines are read here, not printed.
            logger.addHandler(_progress)
            logger.setLevel(logging.INFO)
            logger.propagate = False
    thread = threading.get_ident()
    _progress.listeners[thread] = listener
    try:
        yield
    finally:
        _progress.listeners.pop(thread, None)


def _pages_estimate(rows: int) -> int:
    return max(1, math.ceil((rows + ROWS_OF_HEADING) / ROWS_PER_PAGE))


class _ProgressWriter:
    """Writes a running rendering's progress (and so its heartbeat) to its row: each new step of WeasyPrint, and
    the pages as they are laid out, at most every PROGRESS_EVERY seconds."""

    def __init__(self, pk: int, estimate: int) -> None:
        self.pk = pk
        self.step = 0
        self.done = 0  # pages laid out
        self.total = estimate  # pages, estimated until the layout is over
        self.written_at = time.monotonic()

    def __call__(self, message: str, args: Any) -> None:
        step = int(message[5]) if message.startswith("Step ") and message[5:6].isdigit() else 0
        if step == 5 and message.startswith("Step 5 - Creating layout - Page") and "up-to-date" not in message:
            self.done = max(self.done, int(args[0]) - 1)  # told before page N is laid out
            self.total = max(self.total, self.done + 1)
        elif step == 6:
            self.done = self.total = self.done + 1  # the last page is laid out; the file is written now
        if step > self.step or time.monotonic() - self.written_at >= PROGRESS_EVERY:
            self.step = max(self.step, step)
            self._write()

    def _write(self) -> None:
        self.written_at = time.monotonic()
        try:
            VoterListRendering.objects.filter(pk=self.pk, status=Status.RUNNING).update(
                step=self.step, pages_done=self.done, pages_total=self.total, updated_at=timezone.now()
            )
        except DatabaseError:  # progress is a courtesy: a busy database must not stop the rendering
            log.warning("Could not record the progress of printable list %s", self.pk, exc_info=True)


# --- the kept rendering --------------------------------------------------------------------------------------


def voter_list_fingerprint(unit: PollingUnit) -> str:
    """What the printed list shows, in one hash: the form's heading (election, day, unit and its areas), the
    posting date, and the rows, by their count, the last row's id and the sum of the rows' versions. Every
    service that changes a voter's printed status raises its `version` (voters/services.py); a voter added,
    loaded or accepted on a certificate adds a row; voters are never deleted. Check-ins change none of these:
    the form does not print them, so election day does not render lists again."""
    figures = Voter.objects.of_unit(unit).aggregate(rows=Count("pk"), last=Max("pk"), versions=Sum("version"))
    posted_on = VoterList.objects.filter(polling_unit=unit).values_list("posted_on", flat=True).first()
    election = unit.election
    heading = [election.name, election.election_day, unit.name, unit.code, *(a.name for a in _areas_upwards(unit.area))]
    parts = [LAYOUT, *heading, posted_on, figures["rows"], figures["last"], figures["versions"]]
    return hashlib.sha256("\x1f".join(str(part) for part in parts).encode()).hexdigest()


def _claimable(now: dt.datetime, *, retry: bool) -> Q:
    """The renderings a task may take: waiting ones, running ones whose runner died, and failed ones on request."""
    claimable = Q(status=Status.QUEUED) | Q(status=Status.RUNNING, updated_at__lt=now - STALE_AFTER)
    return claimable | Q(status=Status.FAILED) if retry else claimable


def _file_lost(rendering: VoterListRendering) -> bool:
    if rendering.status != Status.DONE:
        return False
    return not (rendering.file and rendering.file.storage.exists(rendering.file.name))


def voter_list_rendering(unit: PollingUnit, *, retry: bool = False) -> VoterListRendering:
    """The rendering of the unit's list as it stands now, sent to the background when it has not begun, has died,
    or (`retry`) has failed. Writes nothing itself, as a GET must not: the task makes the row. Until it does,
    an unsaved rendering with the status `queued` stands for it; a rendering sent again shows as `queued` too."""
    fingerprint = voter_list_fingerprint(unit)
    rendering = VoterListRendering.objects.filter(polling_unit=unit, fingerprint=fingerprint).first()
    if rendering is None:
        tasks.send(TASK, unit.pk)
        return VoterListRendering(polling_unit=unit, fingerprint=fingerprint)
    claimable = VoterListRendering.objects.filter(pk=rendering.pk).filter(_claimable(timezone.now(), retry=retry))
    if rendering.status != Status.DONE and claimable.exists():
        tasks.send(TASK, unit.pk, retry=retry)
        if rendering.status == Status.FAILED:
            rendering.status = Status.QUEUED
    return rendering


def voter_list_file(rendering: VoterListRendering) -> "File[bytes] | None":
    """The kept PDF of a finished rendering, open; None if its file is gone (then it is rendered again)."""
    if rendering.status != Status.DONE or not rendering.file:
        return None
    try:
        return rendering.file.storage.open(rendering.file.name, "rb")
    except OSError:
        log.warning("The file of printable list %s is gone; rendering it again", rendering.pk)
        tasks.send(TASK, rendering.polling_unit_id, retry=True)
        return None


def voter_list_render(unit_id: int, retry: bool = False) -> None:
    """The task: render the unit's list as it stands, unless it is rendered already or being rendered; keep the
    PDF and delete the renderings of earlier states of the list. Idempotent: the row is claimed with one UPDATE
    (queued -> running), so two runs of the same task render once."""
    unit = PollingUnit.objects.select_related("election", "area").filter(pk=unit_id).first()
    if unit is None:
        return
    fingerprint = voter_list_fingerprint(unit)  # before reading the rows: a list changed meanwhile renders again
    rendering, _created = VoterListRendering.objects.get_or_create(polling_unit=unit, fingerprint=fingerprint)
    now = timezone.now()
    claimable = _claimable(now, retry=retry) | (Q(status=Status.DONE) if _file_lost(rendering) else Q(pk__in=[]))
    rows = Voter.objects.of_unit(unit).count()
    estimate = _pages_estimate(rows)
    claimed = (
        VoterListRendering.objects.filter(pk=rendering.pk)
        .filter(claimable)
        .update(
            status=Status.RUNNING,
            started_at=now,
            updated_at=now,
            finished_at=None,
            step=0,
            pages_done=0,
            pages_total=estimate,
            rows=rows,
            error="",
        )
    )
    if not claimed:
        return  # done, or being rendered by another run
    progress = _ProgressWriter(rendering.pk, estimate)
    try:
        pdf = voter_list_pdf(unit, on_progress=progress)
    except Exception as exc:
        log.exception("The printable list of polling unit %s failed", unit_id)
        VoterListRendering.objects.filter(pk=rendering.pk, status=Status.RUNNING).update(
            status=Status.FAILED, error=type(exc).__name__[:200], finished_at=timezone.now(), updated_at=timezone.now()
        )
        return
    rendering.file.save(f"{fingerprint[:24]}.pdf", ContentFile(pdf), save=False)
    pages = progress.done
    now = timezone.now()
    finished = VoterListRendering.objects.filter(pk=rendering.pk, status=Status.RUNNING).update(
        status=Status.DONE,
        file=rendering.file.name,
        pages_done=pages,
        pages_total=pages,
        finished_at=now,
        updated_at=now,
    )
    if not finished:  # deleted meanwhile, for a later state of the list
        rendering.file.storage.delete(rendering.file.name)
        return
    for older in VoterListRendering.objects.filter(polling_unit=unit, pk__lt=rendering.pk):
        if older.file:
            older.file.storage.delete(older.file.name)
        older.delete()
