"""Several Celery workers share one area's ZIP of minutes (CONTRACT §11, docs/deploy.md "Workers").

Real processes, as on several machines: a redis-server (tests/redis_server.py), two `celery -A config worker
--concurrency 1` against the test's PostgreSQL database. Every minute is in the ZIP once, both workers rendered some,
and a worker killed with SIGKILL in the middle of the job leaves nothing missing: the sweep (`manage.py sweep_tasks`,
as celery beat runs it) sends its work again once its claim is stale.
"""

import io
import os
import signal
import subprocess
import sys
import time
import zipfile
from pathlib import Path

import pytest
from celery import Celery
from django.conf import settings
from django.db import connection

from results.minutes import jobs as minutes_jobs
from results.models import MinutesJob, MinutesJobPart

pytestmark = pytest.mark.django_db(transaction=True)  # the workers must see the test's rows
STALE_SECONDS = 3  # the workers' and the sweep's KP_TASK_STALE_SECONDS: a killed worker's claim goes stale soon
DEADLINE = 60  # seconds for anything here to happen: a bound, not an expectation


@pytest.fixture
def shared_database():
    if connection.vendor != "postgresql":
        pytest.skip("worker processes share the test database: run with KP_DATABASE_URL=postgres://... (as CI does)")
    s = connection.settings_dict
    password = f":{s['PASSWORD']}" if s.get("PASSWORD") else ""
    return f"postgres://{s['USER']}{password}@{s['HOST'] or '127.0.0.1'}:{s['PORT'] or 5432}/{s['NAME']}"


@pytest.fixture
def cluster(shared_database, redis_server, tmp_path):
    """Start workers on demand (`cluster.start("a")`); every process started is killed at the end."""
    env = {
        **os.environ,
        "DJANGO_SETTINGS_MODULE": "tests.multinode.worker_settings",
        "KP_DATABASE_URL": shared_database,
        "KP_BROKER_URL": redis_server.url(1),
        "KP_TASK_RUNNER": "celery",
        "KP_TASK_STALE_SECONDS": str(STALE_SECONDS),
        "KP_MEDIA_ROOT": str(tmp_path / "media"),
    }
    env.pop("KP_CACHE_URL", None)
    celery = Path(sys.executable).with_name("celery")
    processes: dict[str, subprocess.Popen[bytes]] = {}

    class Cluster:
        media = tmp_path / "media"
        broker = redis_server.url(1)

        def start(self, name: str) -> subprocess.Popen[bytes]:
            log = tmp_path / f"worker-{name}.log"
            with log.open("wb") as out:  # the worker keeps its own copy of the handle
                process = subprocess.Popen(  # noqa: S603 - our own command
                    [str(celery), "-A", "config", "worker", "--concurrency", "1", "-n", f"{name}@%h", "-l", "INFO"],
                    cwd=settings.BASE_DIR,
                    env=env,
                    stdout=out,
                    stderr=subprocess.STDOUT,
                    start_new_session=True,  # its own process group: SIGKILL takes the worker and its pool child
                )
            processes[name] = process
            wait_for(lambda: b" ready." in log.read_bytes() or process.poll() is not None, f"worker {name} to start")
            assert process.poll() is None, log.read_text()
            return process

        def sweep(self) -> None:
            subprocess.run(  # noqa: S603 - what celery beat runs every minute
                [sys.executable, "manage.py", "sweep_tasks"], cwd=settings.BASE_DIR, env=env, check=True
            )

        def logs(self) -> str:
            return "\n".join(p.read_text(errors="replace")[-3000:] for p in tmp_path.glob("worker-*.log"))

    yield Cluster()
    for process in processes.values():
        if process.poll() is None:
            os.killpg(process.pid, signal.SIGKILL)
        process.wait(timeout=10)


def wait_for(condition, what: str) -> None:
    deadline = time.monotonic() + DEADLINE
    while not condition():
        if time.monotonic() > deadline:
            raise AssertionError(f"waited {DEADLINE} s for {what}")
        time.sleep(0.05)


def start_job(world, broker: str) -> MinutesJob:
    """The job row, and its message sent as a web process with KP_BROKER_URL sends it (core.tasks.send)."""
    job = MinutesJob.objects.create(
        election=world.election, area=world.areas["P"], requested_by=world.users["committee_p"]
    )
    client = Celery("web", broker=broker)
    client.send_task("core.tasks.run", args=(minutes_jobs.JOB_TASK, job.pk))
    client.close()
    return job


def parent_of(pid: int) -> int:
    return int(Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()[1])


def pids(job: MinutesJob, **filters) -> set[int]:
    return {
        int(by.rsplit(":", 1)[1])
        for by in MinutesJobPart.objects.filter(job=job, **filters).values_list("rendered_by", flat=True)
        if by
    }


def expected_files(world) -> list[str]:
    refs = minutes_jobs.area_refs(world.areas["P"])
    return sorted(t.name for t in minutes_jobs._tasks(refs, "vi") if not t.unavailable)


def zip_files(job: MinutesJob, media: Path) -> list[str]:
    archive = zipfile.ZipFile(io.BytesIO((media / job.file.name).read_bytes()))
    names = archive.namelist()
    assert names.count("manifest.csv") == 1
    for name in names:
        if name != "manifest.csv":
            assert archive.read(name).startswith(b"%PDF"), name
    manifest = archive.read("manifest.csv").decode().splitlines()[1:]
    assert sorted(line.split(",")[0] for line in manifest if line.split(",")[0]) == sorted(
        n for n in names if n != "manifest.csv"
    )
    return sorted(n for n in names if n != "manifest.csv")


def finished(job: MinutesJob) -> bool:
    job.refresh_from_db()
    return job.status in ("done", "failed")


def test_two_workers_share_an_areas_zip_every_minute_once(counted, cluster):
    a, b = cluster.start("a"), cluster.start("b")
    job = start_job(counted, cluster.broker)
    wait_for(lambda: finished(job), "the ZIP")
    assert job.status == "done", (job.error, cluster.logs())
    assert job.done == job.total == 14
    assert zip_files(job, cluster.media) == expected_files(counted)  # none missing, none twice
    parents = {parent_of(pid) for pid in pids(job)}  # the pool process of each worker renders
    assert parents == {a.pid, b.pid}, cluster.logs()


def test_a_worker_killed_mid_job_leaves_no_minute_missing(counted, cluster):
    a = cluster.start("a")
    cluster.start("b")
    job = start_job(counted, cluster.broker)
    wait_for(
        lambda: any(parent_of(pid) == a.pid for pid in pids(job, status="running") if Path(f"/proc/{pid}").exists()),
        "worker a to render a minute",
    )
    os.killpg(a.pid, signal.SIGKILL)  # the worker and its pool process, mid-minute: its message is never acknowledged
    a.wait(timeout=10)
    deadline = time.monotonic() + DEADLINE
    while not finished(job):  # celery beat sends the sweep every minute; here, as often as it takes
        assert time.monotonic() < deadline, cluster.logs()
        time.sleep(1)
        cluster.sweep()
    assert job.status == "done", (job.error, cluster.logs())
    assert job.done == job.total == 14
    assert zip_files(job, cluster.media) == expected_files(counted)
