# ruff: noqa: S603 - the children are this project's own commands
"""Benchmark: one area's ZIP of minutes made by Celery workers, one worker process against two (issue 13).

Issue 13's target: two worker processes on the two cores make the same area's ZIP at least 1.7 x as fast as one.
The run makes a PostgreSQL database of its own on the server of KP_DATABASE_URL (`DB_bench_minutes_workers`,
through the `postgres` database; dropped at the end unless --keep), migrates it and builds with bench_world.py an
election of N polling units (default 200) in one province of communes of 10 units, two contests as in
bench_minutes.py (constituencies of 100 and of 10 units), every tally approved: 2 N counting minutes, N/100 + N/10
constituency minutes and 2 summary minutes in the province's ZIP (424 with 200 units). Then, in the same run:

1. the per-minute time in this one process without Celery (read the data, template, QR code, WeasyPrint), for scale;
2. for each round, for 1 and then 2 worker processes: flush the broker, delete every job of the election (nothing
   is reused: no part, no PDF, no ZIP), start the workers (`celery -A config worker --concurrency N`, or with
   `--layout processes` N workers of `--concurrency 1` as tests/multinode does), warm them up with the ZIP of one
   commune, then send the province's job as a web process does (the job row, then `core.tasks.run(job_run, id)`
   through the broker) and time it from the message sent until the row says `done`; stop the workers.
   Each ZIP is checked: every minute of the area (its file name from `jobs.area_refs`, computed here) is in
   it exactly once, every file is a PDF, and `manifest.csv` lists each once;
3. where the time went, from the workers' logs (Celery's "succeeded in" line of each task) and the job's row:
   queued -> claimed, planning the parts (`job_run`), rendering the parts (the sum of the task times and how busy
   the N processes were), the assembly of the ZIP (`job_assemble`, one task: serial), the rest (messages, waits);
   the workers' CPU seconds during the job (/proc) and the share of the N cores they got, which shows when other
   work on the machine slows the run; and the speed-up 2 processes would give if only the 1-process job's time
   outside its part_render tasks stayed serial (Amdahl).

It prints the figures (minutes per second with 1 and 2 processes, their ratio) and asserts nothing about time.

    apt-get install redis-server
    KP_DATABASE_URL=postgres://kp@127.0.0.1:54391/kp [KP_BROKER_URL=redis://127.0.0.1:6391/0] \\
        .venv/bin/python tools/bench_minutes_workers.py [--units 200] [--rounds 1] [--layout concurrency] [--keep]

Without KP_BROKER_URL it starts a redis-server of its own on a free port (tests/redis_server.py); with it, the
benchmark flushes that Redis database before each run: give it one of its own.
"""

import argparse
import io
import os
import re
import shutil
import signal
import statistics
import subprocess
import sys
import tempfile
import time
import zipfile
from dataclasses import dataclass, field
from pathlib import Path
from urllib.parse import urlsplit, urlunsplit

import psycopg

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
sys.path.insert(0, str(ROOT / "tools"))

import bench_world  # noqa: E402

SLUG = "bench-minutes-workers"
DEADLINE = 1800  # seconds for one job at most: a bound, not an expectation
POLL = 0.02  # seconds between two looks at the job's row
LINE = r"Task core\.tasks\.run\[(?P<id>[^\]]+)\] "  # Celery's INFO lines (no time: Django's log format)
SUCCEEDED = re.compile(LINE + r"succeeded in (?P<s>[\d.e-]+)s")
RECEIVED = re.compile(LINE + "received")


def with_db(url: str, name: str) -> str:
    parts = urlsplit(url)
    return urlunsplit(parts._replace(path=f"/{name}"))


@dataclass
class Run:
    processes: int
    minutes: int
    seconds: float
    claimed: float = 0.0  # message sent -> job claimed (row's started_at)
    planned: float = 0.0  # job_run's own time (the parts written and their messages sent)
    parts: list[float] = field(default_factory=list)  # each part_render task's own time
    assemble: float = 0.0  # job_assemble's own time
    renderers: int = 0  # pool processes that rendered parts
    zip_mb: float = 0.0
    cpu: float = 0.0  # CPU seconds of the workers' processes during the job
    load: float = 0.0  # the machine's load average (1 min) when the job was sent

    @property
    def rate(self) -> float:
        return self.minutes / self.seconds


def build(units: int) -> None:
    bench_world.build_minutes_area(SLUG, units)


class Workers:
    """`processes` Celery pool processes: one worker of that concurrency, or that many workers of one."""

    def __init__(self, env: dict[str, str], processes: int, layout: str, folder: Path) -> None:
        self.env, self.folder, self.procs = env, folder, []
        celery = str(Path(sys.executable).with_name("celery"))
        names = [("w", processes)] if layout == "concurrency" else [(f"w{i}", 1) for i in range(processes)]
        for name, concurrency in names:
            log = folder / f"{name}-{processes}.log"
            with log.open("wb") as out:
                command = [celery, "-A", "config", "worker", "--concurrency", str(concurrency), "-n", f"{name}@%h"]
                process = subprocess.Popen(
                    [*command, "-l", "INFO", "--without-gossip", "--without-mingle", "--without-heartbeat"],
                    cwd=ROOT, env=env, stdout=out, stderr=subprocess.STDOUT, start_new_session=True,
                )  # fmt: skip
            self.procs.append((process, log))
        for process, log in self.procs:
            wait_for(lambda p=process, lg=log: b" ready." in lg.read_bytes() or p.poll() is not None, "a worker")
            if process.poll() is not None:
                sys.exit(log.read_text(errors="replace")[-3000:])

    def cpu_seconds(self) -> float:
        """CPU time (user + system) of every process of the workers' process groups so far (Linux /proc)."""
        groups, tick, total = {p.pid for p, _log in self.procs}, os.sysconf("SC_CLK_TCK"), 0
        for stat in Path("/proc").glob("[0-9]*/stat"):
            try:
                fields = stat.read_text().rsplit(")", 1)[1].split()
            except OSError:
                continue  # gone meanwhile
            if int(fields[2]) in groups:  # pgrp
                total += int(fields[11]) + int(fields[12])  # utime, stime
        return total / tick

    def log_text(self) -> str:
        return "\n".join(log.read_text(errors="replace") for _p, log in self.procs)

    def stop(self) -> None:
        for process, _log in self.procs:
            if process.poll() is None:
                os.killpg(process.pid, signal.SIGTERM)
        for process, _log in self.procs:
            try:
                process.wait(timeout=30)
            except subprocess.TimeoutExpired:
                os.killpg(process.pid, signal.SIGKILL)
                process.wait()


def wait_for(condition, what: str) -> None:  # type: ignore[no-untyped-def]
    deadline = time.monotonic() + DEADLINE
    while not condition():
        if time.monotonic() > deadline:
            sys.exit(f"waited {DEADLINE} s for {what}")
        time.sleep(POLL)


def run_job(area, broker: str):  # type: ignore[no-untyped-def]
    """Send the ZIP of `area` as a web process does; (the finished job row, seconds from sending to done)."""
    from celery import Celery

    from results.minutes import jobs as minutes_jobs
    from results.models import MinutesJob

    job = MinutesJob.objects.create(election=area.election, area=area, requested_by=_user())
    client = Celery("bench", broker=broker)
    start = time.perf_counter()
    client.send_task("core.tasks.run", args=(minutes_jobs.JOB_TASK, job.pk))
    sent_at = time.time()
    wait_for(
        lambda: MinutesJob.objects.filter(pk=job.pk, status__in=("done", "failed")).exists(), f"the ZIP of {area.code}"
    )
    seconds = time.perf_counter() - start
    client.close()
    job.refresh_from_db()
    if job.status != "done":
        sys.exit(f"job {job.pk} failed: {job.error}")
    job.sent_at = sent_at  # type: ignore[attr-defined]
    return job, seconds


def check_zip(job, media: Path, expected: list[str]) -> float:  # type: ignore[no-untyped-def]
    """Every expected minute once, each a PDF, the manifest naming each once; the ZIP's size in MB."""
    path = media / job.file.name
    archive = zipfile.ZipFile(io.BytesIO(path.read_bytes()))
    names = [n for n in archive.namelist() if n != "manifest.csv"]
    problems = []
    if archive.namelist().count("manifest.csv") != 1:
        problems.append("manifest.csv not there once")
    if sorted(names) != expected:
        twice = sorted({n for n in names if names.count(n) > 1})
        missing = sorted(set(expected) - set(names))
        extra = sorted(set(names) - set(expected))
        problems.append(f"twice {twice[:5]}, missing {missing[:5]}, unexpected {extra[:5]}")
    not_pdf = [n for n in names if not archive.read(n).startswith(b"%PDF")]
    if not_pdf:
        problems.append(f"not PDFs: {not_pdf[:5]}")
    listed = [line.split(",")[0] for line in archive.read("manifest.csv").decode().splitlines()[1:]]
    if sorted(n for n in listed if n) != sorted(names):
        problems.append("the manifest does not list each file once")
    if problems:
        sys.exit(f"ZIP of job {job.pk}: " + "; ".join(problems))
    return path.stat().st_size / 1e6


def profile(run: Run, job, before: str, log: str) -> None:  # type: ignore[no-untyped-def]
    """Split the job's time with the workers' log lines and the rows. The tasks received after the warm-up (`before`:
    the logs then; each log only grows) are the job's, in the order received: job_run first, then one part_render
    per minute, then job_assemble (more than once if two last parts both sent it: the one that wrote the ZIP took
    longest)."""
    from results.models import MinutesJobPart

    done = {m["id"]: float(m["s"]) for m in SUCCEEDED.finditer(log)}
    warm_up = set(RECEIVED.findall(before))
    ids = [m["id"] for m in RECEIVED.finditer(log) if m["id"] not in warm_up]
    run.planned = done[ids[0]]
    run.parts = [done[t] for t in ids[1 : 1 + run.minutes]]
    run.assemble = max(done[t] for t in ids[1 + run.minutes :])
    run.claimed = job.started_at.timestamp() - job.sent_at
    run.renderers = len(set(MinutesJobPart.objects.filter(job=job).values_list("rendered_by", flat=True)))


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--units", type=int, default=200, help="polling units (2 counting minutes each)")
    parser.add_argument("--rounds", type=int, default=1, help="runs of 1 then 2 processes; medians printed")
    parser.add_argument(
        "--layout", choices=("concurrency", "processes"), default="concurrency",
        help="one worker with --concurrency N, or N workers with --concurrency 1",
    )  # fmt: skip
    parser.add_argument("--sample", type=int, default=20, help="minutes timed in this process, without Celery")
    parser.add_argument("--keep", action="store_true", help="keep the benchmark database and the workers' logs")
    args = parser.parse_args()
    url = os.environ.get("KP_DATABASE_URL", "")
    if not url.startswith("postgres"):
        sys.exit("KP_DATABASE_URL must name a PostgreSQL database (its server gets a database of the benchmark's)")
    if not shutil.which("redis-server") and not os.environ.get("KP_BROKER_URL"):
        sys.exit("redis-server is missing: apt-get install redis-server (or set KP_BROKER_URL)")
    name = urlsplit(url).path.lstrip("/") + "_bench_minutes_workers"
    admin = psycopg.connect(with_db(url, "postgres"), autocommit=True)
    admin.execute(f'DROP DATABASE IF EXISTS "{name}"')
    admin.execute(f'CREATE DATABASE "{name}"')
    folder = Path(tempfile.mkdtemp(prefix="kp-bench-minutes-workers-"))
    redis_server = None
    broker = os.environ.get("KP_BROKER_URL", "")
    if not broker:
        from tests.redis_server import RedisServer, _free_port

        redis_server = RedisServer(_free_port(), folder)
        redis_server.start()
        broker = redis_server.url(0)
    env = {
        **os.environ,
        "KP_DATABASE_URL": with_db(url, name),
        "DJANGO_SETTINGS_MODULE": "config.settings.dev",
        "KP_DEBUG": "0",  # as in production: DEBUG would keep every query of a worker in memory
        "KP_BROKER_URL": broker,
        "KP_TASK_RUNNER": "celery",
        "KP_MEDIA_ROOT": str(folder / "media"),
    }
    env.pop("KP_CACHE_URL", None)
    os.environ.update(env)
    try:
        measure(args, env, folder, broker, name)
    finally:
        if redis_server is not None:
            redis_server.stop()
        from django.db import connections

        connections.close_all()
        if not args.keep:
            admin.execute(f'DROP DATABASE IF EXISTS "{name}"')
        admin.close()
        if not args.keep:
            shutil.rmtree(folder, ignore_errors=True)


def measure(args: argparse.Namespace, env: dict[str, str], folder: Path, broker: str, name: str) -> None:
    import django

    django.setup()
    import redis
    from django.core.management import call_command

    from elections.models import Area, Election
    from results.minutes import jobs as minutes_jobs
    from results.models import MinutesJob

    call_command("migrate", verbosity=0)
    start = time.perf_counter()
    build(args.units)
    election = Election.objects.get(slug=SLUG)
    province = Area.objects.get(election=election, depth=0)
    commune = Area.objects.filter(election=election, depth=1).order_by("code").first()
    refs = minutes_jobs.area_refs(province)
    print(f"database {name}; {args.units:,} units built in {time.perf_counter() - start:.1f} s; "
          f"{len(refs):,} minutes in the ZIP of {province.code}; {os.cpu_count()} CPU(s); "
          f"workers: {args.layout}")  # fmt: skip

    # The expected names, and the per-minute time in this one process (no Celery, no parts, no ZIP).
    language = "vi"
    minutes_jobs.minutes_worker._settings[0] = minutes_jobs._settings_values(election.pk)
    expected = sorted(t.name for t in minutes_jobs._tasks(refs, language) if not t.unavailable)
    counting = [r for r in refs if r.kind == "counting"][: args.sample + 1]
    minutes_jobs._content(minutes_jobs._task(counting[0], language), language)  # warm up: fonts, templates
    seconds = []
    for ref in counting[1:]:
        t0 = time.perf_counter()
        minutes_jobs._content(minutes_jobs._task(ref, language), language)
        seconds.append(time.perf_counter() - t0)
    in_process = statistics.median(seconds)
    print(f"one counting minute in this process, no Celery (median of {len(seconds)}): {in_process:.3f} s")

    runs: dict[int, list[Run]] = {1: [], 2: []}
    media = Path(env["KP_MEDIA_ROOT"])
    for rnd in range(args.rounds):
        for processes in (1, 2):
            redis.Redis.from_url(broker).flushdb()
            MinutesJob.objects.filter(election=election).delete()  # parts too: nothing reused
            shutil.rmtree(media, ignore_errors=True)
            workers = Workers(env, processes, args.layout, folder)
            try:
                run_job(commune, broker)  # warm up: each pool process loads fonts and templates once
                before, cpu, load = workers.log_text(), workers.cpu_seconds(), os.getloadavg()[0]
                job, seconds_taken = run_job(province, broker)
                cpu = workers.cpu_seconds() - cpu
                time.sleep(0.5)  # the last task's "succeeded" line comes after the row says done
                log = workers.log_text()
            finally:
                workers.stop()
            run = Run(processes, job.total, seconds_taken, cpu=cpu, load=load, zip_mb=check_zip(job, media, expected))
            profile(run, job, before, log)
            runs[processes].append(run)
            busy = sum(run.parts) / (processes * run.seconds)
            rest = run.seconds - run.claimed - run.planned - sum(run.parts) / processes - run.assemble
            print(f"round {rnd + 1}, {processes} process(es): {run.minutes} minutes in {run.seconds:.1f} s = "
                  f"{run.rate:.2f} minutes/s; ZIP {run.zip_mb:.1f} MB, every minute once "
                  f"(rendered by {run.renderers} pool process(es)); workers' CPU {run.cpu:.1f} s = "
                  f"{run.cpu / run.minutes:.3f} s per minute, {run.cpu / (processes * run.seconds):.0%} of {processes} "
                  f"core(s); load average before {run.load:.2f}")  # fmt: skip
            print(f"    sent -> claimed {run.claimed:.2f} s; job_run (plan {run.minutes} parts) {run.planned:.2f} s; "
                  f"parts: sum {sum(run.parts):.1f} s, median {statistics.median(run.parts):.3f} s, "
                  f"max {max(run.parts):.2f} s, processes busy {busy:.0%}; "
                  f"job_assemble {run.assemble:.2f} s; the rest (messages, waits, idle) {rest:.2f} s")  # fmt: skip

    one, two = (statistics.median(r.seconds for r in runs[n]) for n in (1, 2))
    minutes = runs[1][0].minutes
    print(f"\nthe ZIP of {minutes} minutes, queued -> done (median of {args.rounds} round(s)), {args.layout}:")
    cpu1, cpu2 = (statistics.median(r.cpu for r in runs[n]) / minutes for n in (1, 2))
    print("| worker processes | seconds | minutes/s | s per minute | workers' CPU s per minute | speed-up |")
    print("|---|---|---|---|---|---|")
    print(f"| 1 | {one:.1f} | {minutes / one:.2f} | {one / minutes:.3f} | {cpu1:.3f} | 1.00 x |")
    print(f"| 2 | {two:.1f} | {minutes / two:.2f} | {two / minutes:.3f} | {cpu2:.3f} | {one / two:.2f} x (>= 1.7) |")
    part = statistics.median(s for r in runs[1] for s in r.parts)
    print("(other work on the machine shows as a low share of the cores; the CPU seconds per minute vary less)")
    serial = statistics.median(r.seconds - sum(r.parts) for r in runs[1])  # planning, assembly, messages, waits
    print(
        f"the 1-process job's time outside part_render tasks: {serial:.2f} s of {one:.1f} s; with only that serial, "
        f"2 processes would take {serial + (one - serial) / 2:.1f} s = {one / (serial + (one - serial) / 2):.2f} x"
    )
    print(f"one minute: {in_process:.3f} s in one process without Celery; {part:.3f} s as a part_render task "
          f"(median, 1 process); {one / minutes:.3f} s of the 1-process job's wall time per minute")  # fmt: skip


def _user():  # type: ignore[no-untyped-def]
    from django.contrib.auth import get_user_model

    user, _created = get_user_model().objects.get_or_create(username="bench-minutes-workers")
    return user


if __name__ == "__main__":
    main()
