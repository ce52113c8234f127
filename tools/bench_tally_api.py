"""Benchmark: tally submissions per second through the API, on PostgreSQL, with a real HTTP server.

Each polling unit's clerk (own user, own token) sends the unit's counting minutes. With `--mode one`
(the default) a submission is one `POST .../submit/` carrying the figures (save and submit at once);
with `--mode two` it is a `PUT` of the draft followed by `POST .../submit/`. The script prints its
figures and asserts no timing.

The yardstick, measured first in the same run by the same gunicorn (same workers, threads and settings, the same
clients and tokens, the same body): `POST /bench/drf/`, a bare DRF view with the API's authentication and
permission classes returning a small JSON (tools/bench_tally_urls.py, loaded only through the bench-only settings
tools/bench_tally_settings.py). It prints both rates and their ratio, then checks in the database that every
submission was counted (a submitted tally per unit) and audited (a `results.tally.submitted` entry per unit, the
chain unbroken); `--waits` samples pg_stat_activity's wait events during the submissions.

    KP_DATABASE_URL=postgres://kp@127.0.0.1:54392/kiemphieu \\
        .venv/bin/python tools/bench_tally_api.py --units 3000 --clients 16 --workers 4 --threads 1 --port 8792

It creates (and at the end drops) a database named `<name>_bench` beside the one in KP_DATABASE_URL, and builds
there (bench_world.py) an election `bench` of N units in one contest of N/500 constituencies, with no tallies.
"""

import argparse
import collections
import http.client
import json
import os
import statistics
import subprocess
import sys
import threading
import time
from pathlib import Path
from queue import Empty, Queue
from typing import Any
from urllib.parse import urlparse

import bench_world

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))


def pct(values: list[float], q: float) -> float:
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, int(q * len(ordered)))] if ordered else float("nan")


def setup_database(url: str, units: int) -> list[tuple[str, str, str, int]]:
    """A fresh election of `units` polling units, one clerk with a token each.

    Returns (unit code, token, constituency code, registered voters) for each unit."""
    os.environ["KP_DATABASE_URL"] = url
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "config.settings.dev")
    import django

    django.setup()
    from django.core.management import call_command
    from django.db import connection

    call_command("migrate", verbosity=0)
    world = bench_world.build(
        "bench",
        units,
        contests=[bench_world.ContestPlan("QH", "national_assembly", 500, seats=3, candidates=5)],
        clerks=True,
    )
    connection.close()
    return [(c.unit, c.token, c.constituencies["QH"], c.voters) for c in world.clerks]


def body(constituency: str, n: int, listed: int) -> dict[str, object]:
    voted = listed - 10 - n % 40
    valid = voted - 6
    return {
        "voters_on_list": listed,
        "voters_voted": voted,
        "ballots_issued": voted,
        "ballots_received": voted,
        "valid_ballots": valid,
        "invalid_ballots": 6,
        "votes": {f"{constituency}-{j:02d}": valid // 2 + j * 7 for j in range(1, 6)},
        "complaints": "",
    }


BARE = "/bench/drf/"
TICK = os.sysconf("SC_CLK_TCK")


def _stat(pid: int) -> list[str]:
    """The fields of /proc/PID/stat after the command name (state first); empty when the process is gone."""
    try:
        return Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()
    except OSError:
        return []


def _children(pid: int) -> list[int]:
    try:
        return [int(p) for p in Path(f"/proc/{pid}/task/{pid}/children").read_text().split()]
    except OSError:
        return []


def tree_cpu(root: int) -> float:
    """CPU seconds (user + system) of `root`, of its children that have ended (reaped by it) and of those alive."""
    fields = _stat(root)
    if not fields:
        return 0.0
    total = sum(int(f) for f in fields[11:15])  # utime, stime, cutime, cstime
    for child in _children(root):
        child_fields = _stat(child)
        total += sum(int(f) for f in child_fields[11:13]) if child_fields else 0
    return total / TICK


def postmaster(url: str) -> int | None:
    """The PostgreSQL server's main process, when it runs on this machine: the parent of our backend."""
    import psycopg

    with psycopg.connect(url.replace("postgres://", "postgresql://"), autocommit=True) as conn:
        row = conn.execute("SELECT pg_backend_pid()").fetchone()
    fields = _stat(row[0]) if row else []
    return int(fields[1]) if fields else None


def phase(server: int, database: int | None, run: Any) -> tuple[Any, float, float, float]:
    """`run()`'s result, its seconds, and the CPU seconds gunicorn and the PostgreSQL server spent meanwhile."""
    before = tree_cpu(server), tree_cpu(database) if database else 0.0
    t0 = time.perf_counter()
    result = run()
    elapsed = time.perf_counter() - t0
    after = tree_cpu(server), tree_cpu(database) if database else 0.0
    return result, elapsed, after[0] - before[0], after[1] - before[1]


def run_load(
    port: int, jobs: list[tuple[str, str, str, int]], clients: int, mode: str, keys: bool = False
) -> dict[str, list[float]]:
    """Each job once over `clients` connections; `mode` "bare" sends the job's body to the bare DRF view."""
    queue: Queue = Queue()
    for n, job in enumerate(jobs):
        queue.put((n, job))
    lat: dict[str, list[float]] = {"put": [], "submit": [], "submission": []}
    failures: list[str] = []
    lock = threading.Lock()

    def worker() -> None:
        conn = http.client.HTTPConnection("127.0.0.1", port, timeout=30)
        while True:
            try:
                n, (unit, token, constituency, listed) = queue.get_nowait()
            except Empty:
                break
            headers = {"Authorization": f"Token {token}", "Content-Type": "application/json"}
            if keys:
                headers["Idempotency-Key"] = f"{mode}-{n}"
            base = f"/api/v1/elections/bench/tallies/{unit}/QH/"
            t0 = time.perf_counter()
            if mode == "bare":
                ok1, t1 = True, t0
                conn.request("POST", BARE, json.dumps(body(constituency, n, listed)), headers)
            elif mode == "two":
                conn.request("PUT", base, json.dumps(body(constituency, n, listed)), headers)
                r1 = conn.getresponse()
                r1.read()
                ok1 = r1.status == 201
                t1 = time.perf_counter()
                conn.request("POST", base + "submit/", "{}", headers)
            else:
                ok1, t1 = True, t0
                conn.request("POST", base + "submit/", json.dumps(body(constituency, n, listed)), headers)
            r2 = conn.getresponse()
            r2.read()
            t2 = time.perf_counter()
            with lock:
                if not ok1 or r2.status != 200:
                    failures.append(f"{unit}: {r2.status} {r2.reason}")
                lat["put"].append(t1 - t0)
                lat["submit"].append(t2 - t1)
                lat["submission"].append(t2 - t0)
        conn.close()

    threads = [threading.Thread(target=worker) for _ in range(clients)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    if failures:
        print(f"FAILURES: {len(failures)}, first: {failures[:5]}")
    return lat


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--units", type=int, default=3000)
    parser.add_argument("--clients", type=int, default=16, help="concurrent HTTP connections")
    parser.add_argument("--workers", type=int, default=2, help="gunicorn worker processes")
    parser.add_argument("--threads", type=int, default=4, help="threads per gunicorn worker")
    parser.add_argument("--port", type=int, default=8765)
    parser.add_argument("--mode", choices=["one", "two"], default="one", help="requests per submission")
    parser.add_argument("--waits", action="store_true", help="sample pg_stat_activity wait events (every 10 ms)")
    parser.add_argument("--keep", action="store_true", help="keep the benchmark database afterwards")
    parser.add_argument("--idempotency", action="store_true", help="send an Idempotency-Key with each request")
    args = parser.parse_args()

    base_url = os.environ.get("KP_DATABASE_URL", "")
    if not base_url.startswith("postgres"):
        sys.exit("Set KP_DATABASE_URL to a PostgreSQL database (the benchmark creates <name>_bench beside it).")
    parsed = urlparse(base_url)
    bench_db = parsed.path.lstrip("/") + "_bench"
    admin = f"{parsed.scheme}://{parsed.netloc}/postgres"
    import psycopg

    with psycopg.connect(admin.replace("postgres://", "postgresql://"), autocommit=True) as conn:
        conn.execute(f'DROP DATABASE IF EXISTS "{bench_db}"')
        conn.execute(f'CREATE DATABASE "{bench_db}"')
    url = parsed._replace(path=f"/{bench_db}").geturl()
    t0 = time.perf_counter()
    jobs = setup_database(url, args.units)
    print(f"set-up: {args.units} units, clerks and tokens in {time.perf_counter() - t0:.1f} s")

    env = {
        **os.environ,
        "KP_DATABASE_URL": url,
        "DJANGO_SETTINGS_MODULE": "bench_tally_settings",
        "KP_DEBUG": "0",
        "KP_LOG_LEVEL": "ERROR",
    }
    server = subprocess.Popen(  # noqa: S603 - our own server
        [
            str(ROOT / ".venv" / "bin" / "gunicorn"),
            "config.wsgi",
            "--workers",
            str(args.workers),
            "--threads",
            str(args.threads),
            "--bind",
            f"127.0.0.1:{args.port}",
            "--log-level",
            "error",
            "--pythonpath",
            str(ROOT / "tools"),
            "--env",
            "DJANGO_SETTINGS_MODULE=bench_tally_settings",
        ],
        cwd=ROOT,
        env=env,
    )
    try:
        for _ in range(100):
            try:
                http.client.HTTPConnection("127.0.0.1", args.port, timeout=1).request("GET", "/api/v1/elections/")
                break
            except OSError:
                time.sleep(0.2)
        warm = jobs[: args.clients * 2]
        rest = jobs[len(warm) :]
        run_load(args.port, warm, args.clients, "bare", args.idempotency)
        database = postmaster(url)
        bare_lat, bare_elapsed, bare_py, bare_db = phase(
            server.pid, database, lambda: run_load(args.port, rest, args.clients, "bare", args.idempotency)
        )
        bare = bare_lat["submission"]
        run_load(args.port, warm, args.clients, args.mode, args.idempotency)
        sampler = WaitSampler(url) if args.waits else None
        lat, elapsed, sub_py, sub_db = phase(
            server.pid, database, lambda: run_load(args.port, rest, args.clients, args.mode, args.idempotency)
        )
        waits = sampler.stop() if sampler else None
    finally:
        server.terminate()
        server.wait(timeout=10)
    n = len(lat["submission"])
    bare_rate = len(bare) / bare_elapsed
    print(
        f"gunicorn {args.workers} workers x {args.threads} threads, {args.clients} concurrent clients, "
        f"{os.cpu_count()} cores shared by server, database and load generator"
    )
    how = "PUT + POST submit/" if args.mode == "two" else "one POST submit/ with the figures"
    per = 2 if args.mode == "two" else 1
    print(
        f"bare DRF view (POST {BARE}, token auth, same body): {len(bare)} in {bare_elapsed:.1f} s = "
        f"{bare_rate:.0f} per second   p50 {statistics.median(bare) * 1000:.1f} ms"
        f"   p95 {pct(bare, 0.95) * 1000:.1f} ms   p99 {pct(bare, 0.99) * 1000:.1f} ms"
    )
    if args.idempotency:
        how += ", each request with an Idempotency-Key"
    print(f"submissions ({how}): {n} in {elapsed:.1f} s = {n / elapsed:.0f} per second")
    print(f"requests: {per * n / elapsed:.0f} per second = {per * n / elapsed / bare_rate:.3f} x the bare DRF view")
    for name in ("put", "submit", "submission") if args.mode == "two" else ("submission",):
        values = lat[name]
        print(
            f"  {name:<10} p50 {statistics.median(values) * 1000:6.1f} ms   p95 {pct(values, 0.95) * 1000:6.1f} ms"
            f"   p99 {pct(values, 0.99) * 1000:6.1f} ms"
        )
    nigeria = 176_846
    print(f"at this rate Nigeria's {nigeria:,} units take {nigeria / (n / elapsed) / 60:.1f} minutes")
    print(
        f"CPU per request (gunicorn + the whole PostgreSQL server): bare view {bare_py / len(bare) * 1000:.2f} + "
        f"{bare_db / len(bare) * 1000:.2f} ms; submission {sub_py / n * 1000:.2f} + {sub_db / n * 1000:.2f} ms"
    )
    if waits is not None:
        print(f"wait events of the other sessions, {waits[0]} samples every 10 ms (sessions x samples):")
        for (kind, event), count in waits[1].most_common(12):
            print(f"  {kind}/{event}: {count}")
    verify(url, len(jobs))
    if not args.keep:
        with psycopg.connect(admin.replace("postgres://", "postgresql://"), autocommit=True) as conn:
            conn.execute(f'DROP DATABASE IF EXISTS "{bench_db}"')


class WaitSampler:
    """Counts the wait events of active sessions (other than its own) in pg_stat_activity every 10 ms."""

    def __init__(self, url: str) -> None:
        self.counts: collections.Counter[tuple[str, str]] = collections.Counter()
        self.samples = 0
        self.done = threading.Event()
        self.url = url.replace("postgres://", "postgresql://")
        self.thread = threading.Thread(target=self.run)
        self.thread.start()

    def run(self) -> None:
        import psycopg

        with psycopg.connect(self.url, autocommit=True) as conn:
            while not self.done.wait(0.01):
                rows = conn.execute(
                    "SELECT coalesce(wait_event_type, 'CPU'), coalesce(wait_event, 'running') FROM pg_stat_activity "
                    "WHERE state = 'active' AND pid <> pg_backend_pid() AND backend_type = 'client backend'"
                ).fetchall()
                self.samples += 1
                self.counts.update((str(a), str(b)) for a, b in rows)

    def stop(self) -> tuple[int, collections.Counter[tuple[str, str]]]:
        self.done.set()
        self.thread.join()
        return self.samples, self.counts


def verify(url: str, expected: int) -> None:
    """Every submission counted (a submitted tally per unit) and audited (one entry each, the chain unbroken)."""
    import django
    from django.db import connection

    django.setup()
    from elections.audit import entry_breaks
    from elections.audit_codes import AuditAction
    from elections.models import AuditEntry, AuditHead
    from results.models import Tally

    connection.close()  # the set-up's connection may have timed out meanwhile
    tallies = Tally.objects.filter(election__slug="bench", status=Tally.Status.SUBMITTED)
    submitted = tallies.count()
    units = tallies.values("polling_unit").distinct().count()
    audited = AuditEntry.objects.filter(election_slug="bench", action=AuditAction.TALLY_SUBMITTED.value)
    entries = audited.count()
    keys = audited.values("object_key").distinct().count()
    breaks = list(
        entry_breaks(AuditEntry.objects.order_by("seq").iterator(), head=AuditHead.objects.first(), anchors=[])
    )
    connection.close()  # so that the database can be dropped
    ok = submitted == units == entries == keys == expected and not breaks
    print(
        f"check: {expected} units sent; {submitted} submitted tallies ({units} units); {entries} audit entries "
        f"'{AuditAction.TALLY_SUBMITTED.value}' ({keys} tallies); audit chain "
        f"{'unbroken' if not breaks else f'BROKEN: {breaks[:3]}'}: {'OK' if ok else 'MISMATCH'}"
    )
    if not ok:
        sys.exit(1)


if __name__ == "__main__":
    main()
