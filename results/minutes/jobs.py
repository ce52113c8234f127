"""Every minute of an area as one ZIP, built in the background with progress (no Celery or Redis needed).

Design, chosen to work the same on the demo's runserver and under gunicorn:

1. The page's POST creates a `MinutesJob` row (status `queued`) and, once the transaction commits,
   starts a separate process: `manage.py run_minutes_jobs --job ID`, in its own session, so it
   outlives the request and is not killed with a gunicorn worker (`MINUTES_JOB_RUNNER = "process"`).
2. That process claims the row (an atomic queued -> running update: one runner per job), lists the
   area's minutes, reads each one's data from the database, and hands the rendering to a pool of
   `MINUTES_WORKERS` processes (default: every core). Issued, current minutes are copied from their
   stored PDFs; the others are rendered as drafts. It writes `done` and a heartbeat every half second.
3. The page polls the job's JSON status and offers the ZIP when it is `done`.
4. Fallback: `manage.py run_minutes_jobs` (cron or a systemd timer) runs every queued job and takes over
   a running one whose heartbeat stopped (its process died); `--loop` keeps it running as a service.

Tests use `MINUTES_JOB_RUNNER = "inline"` (the job runs inside the request); `"thread"` runs it in a
thread of the web process, for hosts that do not allow starting processes.
"""

import datetime as dt
import hashlib
import io
import logging
import multiprocessing
import os
import socket
import subprocess
import sys
import threading
import time
import zipfile
from collections import deque
from collections.abc import Iterator
from concurrent.futures import Future, ProcessPoolExecutor
from dataclasses import dataclass
from functools import partial
from pathlib import Path
from types import SimpleNamespace
from typing import Any

from django.conf import settings
from django.core.files.base import ContentFile
from django.db import connection, transaction
from django.db.models import F
from django.utils import timezone
from django.utils.translation import ngettext_lazy

from core.errors import DomainError, lazy_format
from core.types import Actor
from elections.audit import audit_log
from elections.audit_codes import AuditAction
from elections.models import Area, Constituency, Contest, Election
from results.minutes import data as md
from results.minutes import rendering as documents
from results.minutes import services as svc
from results.minutes import worker as minutes_worker
from results.models import Minute, MinutesJob, Tally
from results.permissions import tally_scope

log = logging.getLogger(__name__)
STALE_AFTER = dt.timedelta(minutes=2)
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
        try:
            doc = _document(ref)
        except md.MinutesUnavailable:  # not counted yet: no document, one line in the manifest
            kind, name = _unavailable_name(ref)
            yield Task("", {"source": {"kind": kind}, "meta": {"key": name}}, unavailable=name)
            continue
        newest = svc.latest(doc.election, doc.kind, doc.key)
        if newest is not None and newest.data_sha256 == doc.data_sha256:
            data = newest.data
            yield Task(documents.filename(data, language), data, stored=newest.pk)
        else:
            data = {"source": doc.source, "inputs": svc.default_inputs(doc), "meta": {"key": doc.key}}
            yield Task("DU-THAO_" + documents.filename(data, language), data)


def job_run(job_id: int, *, workers: int | None = None) -> MinutesJob | None:
    """Claim and run one queued job (or a stalled one); None when another runner has it."""
    stale = timezone.now() - STALE_AFTER
    claimed = MinutesJob.objects.filter(pk=job_id, status=MinutesJob.Status.QUEUED).update(
        status=MinutesJob.Status.RUNNING, started_at=timezone.now(), heartbeat_at=timezone.now(), worker=_me()
    ) or MinutesJob.objects.filter(pk=job_id, status=MinutesJob.Status.RUNNING, heartbeat_at__lt=stale).update(
        heartbeat_at=timezone.now(), worker=_me(), done=0
    )
    if not claimed:
        return None
    job = MinutesJob.objects.select_related("election", "area").get(pk=job_id)
    try:
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
        name = task.name
        while name in names:
            name = "_" + name
        names.add(name)
        zf.writestr(name, content)
        meta = task.data.get("meta", {}) if task.data else {}
        kind = task.data["source"]["kind"] if task.data else ""
        status = "issued" if task.stored else "draft"
        digest = hashlib.sha256(content).hexdigest()
        manifest.append(f"{name},{kind},{meta.get('key', '')},{meta.get('version') or ''},{status},{digest}")
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
            if (current.heartbeat_at or current.created_at) < now - STALE_AFTER:  # its runner died or never came
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
    """Start the job outside the request, the way MINUTES_JOB_RUNNER says."""
    mode = getattr(settings, "MINUTES_JOB_RUNNER", "process")
    if mode == "inline":
        job_run(job_id, workers=1)
    elif mode == "thread":
        threading.Thread(target=_in_thread, args=(job_id,), name=f"minutes-job-{job_id}", daemon=True).start()
    else:
        manage = Path(settings.BASE_DIR) / "manage.py"
        env = {**os.environ, "DJANGO_SETTINGS_MODULE": settings.SETTINGS_MODULE}
        log_path = Path(settings.MEDIA_ROOT).parent / "minutes-jobs.log"
        log_path.parent.mkdir(parents=True, exist_ok=True)
        with open(log_path, "ab") as out:  # the child keeps its own copy of the handle
            subprocess.Popen(  # noqa: S603 (our own command, no shell)
                [sys.executable, str(manage), "run_minutes_jobs", "--job", str(job_id)],
                cwd=str(settings.BASE_DIR),
                env=env,
                stdin=subprocess.DEVNULL,
                stdout=out,
                stderr=out,
                start_new_session=True,
            )


def _in_thread(job_id: int) -> None:
    try:
        job_run(job_id)
    finally:
        connection.close()


def pending_jobs() -> list[int]:
    """Queued jobs and running ones whose runner stopped sending heartbeats."""
    stale = timezone.now() - STALE_AFTER
    return list(MinutesJob.objects.filter(status=MinutesJob.Status.QUEUED).values_list("pk", flat=True)) + list(
        MinutesJob.objects.filter(status=MinutesJob.Status.RUNNING, heartbeat_at__lt=stale).values_list("pk", flat=True)
    )
