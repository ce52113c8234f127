"""Benchmark: tally submissions per second through the API, on PostgreSQL, with a real HTTP server.

Each polling unit's clerk (own user, own token) sends the unit's counting minutes. With `--mode one`
(the default) a submission is one `POST .../submit/` carrying the figures (save and submit at once);
with `--mode two` it is a `PUT` of the draft followed by `POST .../submit/`. The script prints its
figures and asserts no timing.

    KP_DATABASE_URL=postgres://kp@127.0.0.1:54350/kiemphieu \\
        .venv/bin/python tools/bench_tally_api.py --units 3000 --clients 16 --workers 2 --threads 4

It creates (and at the end drops) a database named `<name>_bench` beside the one in KP_DATABASE_URL, and builds
there (bench_world.py) an election `bench` of N units in one contest of N/500 constituencies, with no tallies.
"""

import argparse
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


def run_load(port: int, jobs: list[tuple[str, str, str, int]], clients: int, mode: str) -> dict[str, list[float]]:
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
            base = f"/api/v1/elections/bench/tallies/{unit}/QH/"
            t0 = time.perf_counter()
            if mode == "two":
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
        "DJANGO_SETTINGS_MODULE": "config.settings.dev",
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
            "--env",
            "DJANGO_SETTINGS_MODULE=config.settings.dev",
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
        run_load(args.port, warm, args.clients, args.mode)
        t0 = time.perf_counter()
        lat = run_load(args.port, jobs[len(warm) :], args.clients, args.mode)
        elapsed = time.perf_counter() - t0
    finally:
        server.terminate()
        server.wait(timeout=10)
    n = len(lat["submission"])
    print(
        f"gunicorn {args.workers} workers x {args.threads} threads, {args.clients} concurrent clients, "
        f"{os.cpu_count()} cores shared by server, database and load generator"
    )
    how = "PUT + POST submit/" if args.mode == "two" else "one POST submit/ with the figures"
    print(f"submissions ({how}): {n} in {elapsed:.1f} s = {n / elapsed:.0f} per second")
    per = 2 if args.mode == "two" else 1
    print(f"requests: {per * n / elapsed:.0f} per second")
    for name in ("put", "submit", "submission") if args.mode == "two" else ("submission",):
        values = lat[name]
        print(
            f"  {name:<10} p50 {statistics.median(values) * 1000:6.1f} ms   p95 {pct(values, 0.95) * 1000:6.1f} ms"
            f"   p99 {pct(values, 0.99) * 1000:6.1f} ms"
        )
    nigeria = 176_846
    print(f"at this rate Nigeria's {nigeria:,} units take {nigeria / (n / elapsed) / 60:.1f} minutes")
    with psycopg.connect(admin.replace("postgres://", "postgresql://"), autocommit=True) as conn:
        conn.execute(f'DROP DATABASE IF EXISTS "{bench_db}"')


if __name__ == "__main__":
    main()
