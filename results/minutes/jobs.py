"""Every minute of an area as one ZIP, built in the background with progress.

1. The page's POST creates a `MinutesJob` row (status `queued`) and, once the transaction commits, sends the
   task `job_run(job id)` (core/tasks.py). The row is the source of truth: the page polls it.
2. `job_run` claims the row (an atomic queued -> running update: one runner per job).
   - Without a broker (the demo, one machine) it builds the whole ZIP where it runs (a thread of the web
     process), rendering in a pool of `MINUTES_WORKERS` processes (default: every core).
   - With a broker (`TASK_RUNNER == "celery"`) it writes one `MinutesJobPart` row per minute and sends one task
     per part (`part_render(part id)`), so every worker on every machine shares the ZIP. A worker claims a part
     with one atomic update (a repeated message renders nothing twice), keeps the PDF on the row and counts the
     job's `done`; the part that finds every part done sends `job_assemble(job id)`, which claims the job's
     assembly and writes the ZIP in the area's order from the parts (each once).
   Issued, current minutes are copied from their stored PDFs; the others are rendered as drafts.
3. A worker that dies leaves its claim behind and the job's heartbeat stops: `sweep` (celery beat every minute,
   `manage.py sweep_tasks`) sends the unfinished work of every job without progress for
   `TASK_STALE_SECONDS` again; a stale claim may be taken over.
"""

import datetime as dt
import hashlib
import io
import logging
import multiprocessing
import os
import socket
import time
import zipfile
from collections import deque
from collections.abc import Iterator
from concurrent.futures import Future, ProcessPoolExecutor
from dataclasses import dataclass
from functools import partial
from types import SimpleNamespace
from typing import Any

from django.conf import settings
from django.core.files.base import ContentFile
from django.db import transaction
from django.db.models import F, Q
from django.utils import timezone
from django.utils.translation import ngettext_lazy

from core import tasks
from core.errors import DomainError, lazy_format
from core.types import Actor
from elections.audit import audit_log
from elections.audit_codes import AuditAction
from elections.models import Area, Constituency, Contest, Election
from results.minutes import data as md
from results.minutes import rendering as documents
from results.minutes import services as svc
from results.minutes import worker as minutes_worker
from results.models import Minute, MinutesJob, MinutesJobPart, Tally
from results.permissions import tally_scope

log = logging.getLogger(__name__)
STALE_AFTER = dt.timedelta(minutes=2)  # the default of settings.TASK_STALE_SECONDS
JOB_TASK = "results.minutes.jobs.job_run"
PART_TASK = "results.minutes.jobs.part_render"
ASSEMBLE_TASK = "results.minutes.jobs.job_assemble"


def _stale_before() -> dt.datetime:
    """Claims and heartbeats older than this are a dead worker's."""
    return timezone.now() - dt.timedelta(seconds=getattr(settings, "TASK_STALE_SECONDS", STALE_AFTER.seconds))


def _split() -> bool:
    """Whether each minute is a task of its own (a broker and workers), or the whole ZIP is made in one place."""
    return bool(settings.TASK_RUNNER == "celery")


PROGRESS_EVERY = 0.5  # seconds between progress writes


@dataclass(frozen=True)
class Ref:
    """One minute of the area, named by ids; its data is read when the job reaches it."""

    kind: str
    a: int  # tally id / constituency id / contest id
    b: int = 0  # - / round / area id


def area_refs(area: Area) -> list[Ref]:
    """Every minute the committee of `area` oversees: counting minutes of its approved tallies (newest
    attempt of each round), constituency minutes of its counted constituencies (each round), and the
    summary minutes of each contest at each area below (or at) it where constituencies are placed."""
    refs: list[Ref] = []
    newest: dict[tuple[int, int, int], int] = {}
    for tally_id, unit, contest, rnd, status in (
        Tally.objects.filter(election_id=area.election_id, polling_unit__area__path__startswith=area.path)
        .order_by("polling_unit__code", "contest__position", "round", "attempt")
        .values_list("pk", "polling_unit_id", "contest_id", "round", "status")
    ):
        newest[(unit, contest, rnd)] = tally_id if status == Tally.Status.APPROVED else 0
    refs += [Ref(Minute.Kind.COUNTING, t) for t in newest.values() if t]
    constituencies = list(
        Constituency.objects.filter(election_id=area.election_id, area__path__startswith=area.path).order_by(
            "contest__position", "code"
        )
    )
    refs += [Ref(Minute.Kind.CONSTITUENCY, c.pk, n) for c in constituencies for n in range(1, c.current_round + 1)]
    pairs = sorted({(c.contest_id, c.area_id) for c in constituencies})
    refs += [Ref(Minute.Kind.SUMMARY, contest, area_id) for contest, area_id in pairs]
    return refs


def _document(ref: Ref) -> svc.Document:
    if ref.kind == Minute.Kind.COUNTING:
        tally = Tally.objects.select_related("polling_unit", "contest", "election").get(pk=ref.a)
        scope = tally_scope(tally.election.slug, tally.polling_unit.code, tally.contest.code)
        return svc.counting_document(scope, tally.round)
    if ref.kind == Minute.Kind.CONSTITUENCY:
        cons = Constituency.objects.select_related("election", "contest", "area").get(pk=ref.a)
        return svc.constituency_document(cons, ref.b)
    return svc.summary_document(Contest.objects.select_related("election").get(pk=ref.a), Area.objects.get(pk=ref.b))


def _settings_values(election_id: int) -> SimpleNamespace:
    s = md.settings_for(election_id)
    names = [f.attname for f in s._meta.concrete_fields]
    return SimpleNamespace(**{n: getattr(s, n) for n in names})


@dataclass
class Task:
    """What a worker renders: the data of one minute; or, for an issued current version, nothing (copied)."""

    name: str
    data: dict[str, Any] | None
    stored: int | None = None  # Minute id of an issued, current version
    unavailable: str = ""  # the minute that cannot be made yet (not counted), named for the manifest


def _unavailable_name(ref: Ref) -> tuple[str, str]:
    """(kind, name) of a minute that cannot be made yet, for the manifest: "BY-01/QH", "QH-1/r1", "QH/PT"."""
    if ref.kind == Minute.Kind.COUNTING:
        unit, contest = Tally.objects.filter(pk=ref.a).values_list("polling_unit__code", "contest__code").get()
        return ref.kind, f"{unit}/{contest}"
    if ref.kind == Minute.Kind.CONSTITUENCY:
        return ref.kind, f"{Constituency.objects.values_list('code', flat=True).get(pk=ref.a)}/r{ref.b}"
    contest = Contest.objects.values_list("code", flat=True).get(pk=ref.a)
    return ref.kind, f"{contest}/{Area.objects.values_list('code', flat=True).get(pk=ref.b)}"


def _tasks(refs: list[Ref], language: str) -> Iterator[Task]:
    for ref in refs:
        yield _task(ref, language)


def _task(ref: Ref, language: str) -> Task:
    try:
        doc = _document(ref)
    except md.MinutesUnavailable:  # not counted yet: no document, one line in the manifest
        kind, name = _unavailable_name(ref)
        return Task("", {"source": {"kind": kind}, "meta": {"key": name}}, unavailable=name)
    newest = svc.latest(doc.election, doc.kind, doc.key)
    if newest is not None and newest.data_sha256 == doc.data_sha256:
        data = newest.data
        return Task(documents.filename(data, language), data, stored=newest.pk)
    data = {"source": doc.source, "inputs": svc.default_inputs(doc), "meta": {"key": doc.key}}
    return Task("DU-THAO_" + documents.filename(data, language), data)


def _manifest_line(task: Task, content: bytes) -> str:
    """The manifest line of a rendered minute, without its file name (given when the ZIP is written)."""
    meta = task.data.get("meta", {}) if task.data else {}
    kind = task.data["source"]["kind"] if task.data else ""
    status = "issued" if task.stored else "draft"
    digest = hashlib.sha256(content).hexdigest()
    return f"{kind},{meta.get('key', '')},{meta.get('version') or ''},{status},{digest}"


def _content(task: Task, language: str) -> bytes:
    if task.stored and language == "vi":
        return svc.minute_pdf(Minute.objects.get(pk=task.stored), "vi")
    return minutes_worker.render((task.data or {}, language))


def job_run(job_id: int, *, workers: int | None = None) -> MinutesJob | None:
    """Claim and run one queued job (or a stalled one); None when another runner has it. With a broker, the run
    writes the job's parts and sends their tasks (`_plan`); without one, it makes the whole ZIP."""
    stale = _stale_before()
    claimed = MinutesJob.objects.filter(pk=job_id, status=MinutesJob.Status.QUEUED).update(
        status=MinutesJob.Status.RUNNING, started_at=timezone.now(), heartbeat_at=timezone.now(), worker=_me()
    ) or MinutesJob.objects.filter(pk=job_id, status=MinutesJob.Status.RUNNING, heartbeat_at__lt=stale).update(
        heartbeat_at=timezone.now(), worker=_me(), done=0
    )
    if not claimed:
        return None
    job = MinutesJob.objects.select_related("election", "area").get(pk=job_id)
    try:
        if _split():
            _plan(job)
            return job
        _build(job, workers or getattr(settings, "MINUTES_WORKERS", 0) or os.cpu_count() or 1)
    except Exception as exc:  # a failed job says why on the page instead of spinning for ever
        log.exception("minutes job %s failed", job_id)
        MinutesJob.objects.filter(pk=job_id).update(
            status=MinutesJob.Status.FAILED, error=f"{type(exc).__name__}: {exc}"[:2000], finished_at=timezone.now()
        )
    job.refresh_from_db()
    return job


def _me() -> str:
    return f"{socket.gethostname()}:{os.getpid()}"[:100]


def _build(job: MinutesJob, workers: int) -> None:
    """Read each minute's data here, render in `workers` processes, write the ZIP in the area's order."""
    refs = area_refs(job.area)
    MinutesJob.objects.filter(pk=job.pk).update(total=len(refs))
    language = documents.language_of(job.language)
    values = _settings_values(job.election_id)
    minutes_worker._settings[0] = values
    pool = None
    if workers > 1 and len(refs) >= 4:
        # Fresh interpreters ("spawn"): forking a process that holds database connections is unsafe.
        pool = ProcessPoolExecutor(
            max_workers=workers,
            mp_context=multiprocessing.get_context("spawn"),
            initializer=minutes_worker.init,
            initargs=(values, settings.SETTINGS_MODULE),
        )
    buffer = io.BytesIO()
    manifest = ["file,kind,key,version,status,sha256"]
    names: set[str] = set()
    pending: deque[tuple[Task, Future[bytes]]] = deque()
    progress = {"done": 0, "not_counted": 0, "at": time.monotonic()}

    def tick(force: bool = False) -> None:
        if force or time.monotonic() - progress["at"] >= PROGRESS_EVERY:
            MinutesJob.objects.filter(pk=job.pk).update(
                done=progress["done"], not_counted=progress["not_counted"], heartbeat_at=timezone.now()
            )
            progress["at"] = time.monotonic()

    def write(zf: zipfile.ZipFile, task: Task, content: bytes) -> None:
        name = _unique(task.name, names)
        zf.writestr(name, content)
        manifest.append(f"{name},{_manifest_line(task, content)}")
        progress["done"] += 1
        tick()

    try:
        with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED) as zf:
            for task in _tasks(refs, language):
                if task.unavailable:
                    manifest.append(f",{task.data['source']['kind']},{task.unavailable},,not counted yet,")
                    progress["done"] += 1
                    progress["not_counted"] += 1
                    continue
                future: Future[bytes]
                if task.stored and language == "vi":
                    future = Future()
                    future.set_result(svc.minute_pdf(Minute.objects.get(pk=task.stored), "vi"))
                elif pool is not None:
                    future = pool.submit(minutes_worker.render, (task.data, language))
                else:
                    future = Future()
                    future.set_result(minutes_worker.render((task.data, language)))
                pending.append((task, future))
                while pending and (pending[0][1].done() or len(pending) > 4 * workers):
                    t, f = pending.popleft()
                    write(zf, t, f.result())
            while pending:
                t, f = pending.popleft()
                write(zf, t, f.result())
            zf.writestr("manifest.csv", "\n".join(manifest) + "\n")
    finally:
        if pool is not None:
            pool.shutdown(cancel_futures=True)
    tick(force=True)
    name = f"bien-ban_{job.election.slug}_{job.area.code}_{job.pk}.zip"
    job.file.save(name, ContentFile(buffer.getvalue()), save=False)
    MinutesJob.objects.filter(pk=job.pk).update(
        file=job.file.name,
        status=MinutesJob.Status.DONE,
        done=F("total"),
        not_counted=progress["not_counted"],
        finished_at=timezone.now(),
        heartbeat_at=timezone.now(),
    )


# --- starting jobs ----------------------------------------------------------------------------------------


class TooManyMinutesJobs(DomainError):
    """The person has started as many ZIPs in the last hour as `MINUTES_JOBS_PER_USER_PER_HOUR` allows."""

    status = 429
    code = "too_many_requests"


def job_create(
    *, election: Election, area: Area, language: str, by: Actor, base_url: str = "", source: str = ""
) -> tuple[MinutesJob, bool]:
    """The ZIP of `area`'s minutes in `language`, and whether it is a new job.

    A job of the same area and language that is queued or running is handed back instead of a second one (two
    clicks, or two members of the committee, share one job; a stalled one is started again). A new job counts
    against the person's `MINUTES_JOBS_PER_USER_PER_HOUR` (`TooManyMinutesJobs`), is audit-logged and starts once
    the transaction commits. Who may start one is `results.permissions.can_build_minutes_zip`, for the caller."""
    language = documents.language_of(language)
    now = timezone.now()
    with transaction.atomic():
        Area.objects.select_for_update().filter(pk=area.pk).exists()  # one request of an area at a time
        current = (
            MinutesJob.objects.filter(
                area=area, language=language, status__in=(MinutesJob.Status.QUEUED, MinutesJob.Status.RUNNING)
            )
            .order_by("-created_at")
            .first()
        )
        if current is not None:
            if (current.heartbeat_at or current.created_at) < _stale_before():  # its runner died or never came
                transaction.on_commit(partial(job_start, current.pk))
            return current, False
        limit = settings.MINUTES_JOBS_PER_USER_PER_HOUR
        started = MinutesJob.objects.filter(requested_by=by, created_at__gte=now - dt.timedelta(hours=1)).count()
        if started >= limit:
            raise TooManyMinutesJobs(
                lazy_format(
                    ngettext_lazy(
                        "You have started %(n)d ZIP of minutes in the last hour, the most allowed: wait a while, "
                        "or download one already made.",
                        "You have started %(n)d ZIPs of minutes in the last hour, the most allowed: wait a while, "
                        "or download one already made.",
                        limit,
                    ),
                    n=limit,
                )
            )
        job = MinutesJob.objects.create(
            election=election, area=area, language=language, requested_by=by, base_url=base_url
        )
        audit_log(
            AuditAction.MINUTES_ZIP_REQUESTED,
            user=by,
            election_slug=election.slug,
            object_type="minutes_job",
            object_key=str(job.pk),
            data={"area": area.code, "language": language},
            source=source,
        )
        transaction.on_commit(partial(job_start, job.pk))
    return job, True


def job_start(job_id: int) -> None:
    """Start the job outside the request: a background task (core/tasks.py; a Celery worker with a broker)."""
    tasks.send(JOB_TASK, job_id)


def pending_jobs() -> list[int]:
    """Queued jobs and running ones whose runner stopped sending heartbeats."""
    stale = _stale_before()
    return list(MinutesJob.objects.filter(status=MinutesJob.Status.QUEUED).values_list("pk", flat=True)) + list(
        MinutesJob.objects.filter(status=MinutesJob.Status.RUNNING, heartbeat_at__lt=stale).values_list("pk", flat=True)
    )


def _unique(name: str, names: set[str]) -> str:
    while name in names:
        name = "_" + name
    names.add(name)
    return name


# --- with a broker: one task per minute, then one that writes the ZIP ----------------------------------------


def _plan(job: MinutesJob) -> None:
    """Write the job's parts, one per minute in the area's order (once: a second run finds them), then send the
    task of each part not rendered yet, or the assembly when none is left."""
    with transaction.atomic():
        MinutesJob.objects.select_for_update().filter(pk=job.pk).exists()
        if not MinutesJobPart.objects.filter(job=job).exists():
            refs = area_refs(job.area)
            MinutesJobPart.objects.bulk_create(
                [MinutesJobPart(job=job, position=i, kind=r.kind, a=r.a, b=r.b) for i, r in enumerate(refs)],
                batch_size=1000,
            )
            MinutesJob.objects.filter(pk=job.pk).update(total=len(refs))
        done = MinutesJobPart.objects.filter(job=job, status=MinutesJobPart.Status.DONE).count()
        MinutesJob.objects.filter(pk=job.pk).update(done=done, heartbeat_at=timezone.now())
    _send_unfinished(job.pk)


def _send_unfinished(job_id: int) -> None:
    parts = list(
        MinutesJobPart.objects.filter(job_id=job_id)
        .exclude(status=MinutesJobPart.Status.DONE)
        .order_by("position")
        .values_list("pk", flat=True)
    )
    for part_id in parts:
        tasks.send(PART_TASK, part_id)
    if not parts:
        tasks.send(ASSEMBLE_TASK, job_id)


def part_render(part_id: int) -> None:
    """Render one minute of a running job (a task: idempotent). The part is claimed with one atomic update, so
    only one worker renders it (another may take it over once the claim is stale: its worker died); the first to
    finish keeps its PDF. The job's `done` is the count of its parts done; the last one sends the assembly."""
    me = _me()
    claimable = Q(status=MinutesJobPart.Status.PENDING) | Q(
        status=MinutesJobPart.Status.RUNNING, claimed_at__lt=_stale_before()
    )
    claimed = MinutesJobPart.objects.filter(claimable, pk=part_id, job__status=MinutesJob.Status.RUNNING).update(
        status=MinutesJobPart.Status.RUNNING, claimed_at=timezone.now(), rendered_by=me
    )
    if not claimed:
        return  # done, being rendered, or its job ended
    part = MinutesJobPart.objects.select_related("job").defer("content").get(pk=part_id)
    job = part.job
    language = documents.language_of(job.language)
    minutes_worker._settings[0] = _settings_values(job.election_id)
    task = _task(Ref(part.kind, part.a, part.b), language)
    if task.unavailable:
        name, line, content = (
            "",
            f"{task.data['source']['kind'] if task.data else ''},{task.unavailable},,not counted yet,",
            None,
        )
    else:
        content = _content(task, language)
        name, line = task.name, _manifest_line(task, content)
    finished = (
        MinutesJobPart.objects.filter(pk=part_id)
        .exclude(status=MinutesJobPart.Status.DONE)
        .update(status=MinutesJobPart.Status.DONE, name=name, manifest=line, content=content, rendered_by=me)
    )
    if not finished:
        return  # a worker that took the part over finished first
    parts = MinutesJobPart.objects.filter(job_id=job.pk)
    done = parts.filter(status=MinutesJobPart.Status.DONE).count()
    MinutesJob.objects.filter(pk=job.pk, status=MinutesJob.Status.RUNNING).update(
        done=done, heartbeat_at=timezone.now()
    )
    if not parts.exclude(status=MinutesJobPart.Status.DONE).exists():
        tasks.send(ASSEMBLE_TASK, job.pk)


ASSEMBLING = "zip "  # the job's `worker` while a worker writes its ZIP


def job_assemble(job_id: int) -> None:
    """Write the ZIP of a job whose parts are all rendered (a task: idempotent). One worker claims the assembly
    (another may take over once its heartbeat is stale); it writes every part once, in the area's order, with the
    manifest, marks the job done and drops the parts' PDFs."""
    parts = MinutesJobPart.objects.filter(job_id=job_id)
    if not parts.exists() and not MinutesJob.objects.filter(pk=job_id, total=0).exists():
        return
    if parts.exclude(status=MinutesJobPart.Status.DONE).exists():
        return  # not yet: the last part sends the assembly again
    me = ASSEMBLING + _me()
    claimed = (
        MinutesJob.objects.filter(pk=job_id, status=MinutesJob.Status.RUNNING)
        .filter(~Q(worker__startswith=ASSEMBLING) | Q(heartbeat_at__lt=_stale_before()))
        .update(worker=me[:100], heartbeat_at=timezone.now())
    )
    if not claimed:
        return
    job = MinutesJob.objects.select_related("election", "area").get(pk=job_id)
    try:
        buffer = io.BytesIO()
        manifest = ["file,kind,key,version,status,sha256"]
        names: set[str] = set()
        not_counted = 0
        with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED) as zf:
            for name, line, content in (
                parts.order_by("position").values_list("name", "manifest", "content").iterator(chunk_size=100)
            ):
                if not name:
                    manifest.append(f",{line}")
                    not_counted += 1
                    continue
                name = _unique(name, names)
                zf.writestr(name, bytes(content))
                manifest.append(f"{name},{line}")
            zf.writestr("manifest.csv", "\n".join(manifest) + "\n")
        job.file.save(
            f"bien-ban_{job.election.slug}_{job.area.code}_{job.pk}.zip", ContentFile(buffer.getvalue()), save=False
        )
    except Exception as exc:
        log.exception("minutes job %s failed", job_id)
        MinutesJob.objects.filter(pk=job_id, worker=me[:100]).update(
            status=MinutesJob.Status.FAILED, error=f"{type(exc).__name__}: {exc}"[:2000], finished_at=timezone.now()
        )
        return
    finished = MinutesJob.objects.filter(pk=job_id, status=MinutesJob.Status.RUNNING, worker=me[:100]).update(
        file=job.file.name,
        status=MinutesJob.Status.DONE,
        done=F("total"),
        not_counted=not_counted,
        finished_at=timezone.now(),
        heartbeat_at=timezone.now(),
    )
    if finished:
        parts.update(content=None)


def sweep() -> None:
    """Send again what a dead worker left (settings.TASK_SWEEPS; celery beat, `manage.py sweep_tasks`): a queued
    job nobody took, a running one without progress for TASK_STALE_SECONDS (its unrendered parts, or its assembly;
    without parts, the whole job). Work a live worker holds is left alone: every task claims its row first."""
    stale = _stale_before()
    queued = MinutesJob.objects.filter(status=MinutesJob.Status.QUEUED, created_at__lt=stale)
    for job_id in queued.values_list("pk", flat=True):
        job_start(job_id)
    running = MinutesJob.objects.filter(status=MinutesJob.Status.RUNNING, heartbeat_at__lt=stale)
    for job_id in running.values_list("pk", flat=True):
        if MinutesJobPart.objects.filter(job_id=job_id).exists():
            _send_unfinished(job_id)
        else:
            job_start(job_id)
