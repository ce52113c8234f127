"""Benchmark: the public results page and API under load, beside a bare Django view, on PostgreSQL.

A province-sized election (by default 1,800 polling units in 180 communes, 3 contests, 379 constituencies,
5,400 approved tallies, 80 % of the results published, turnout reported five times by every unit) is
built through the real import and publication services in a fresh database `<name>_pubbench` beside
KP_DATABASE_URL. gunicorn then serves it on 127.0.0.1 with 2 workers (config.settings.bench: DEBUG off,
the site's middleware, plus /bench/bare/ returning a fixed 2 KB JSON), and `wrk` (Debian's package, C,
one thread driving all connections) sends each address for a fixed time with 32 connections. It prints
requests per second and latency percentiles for each, and the ratio to the bare view; it asserts no timing.

Unlike the other benchmarks it does not use the shared builder (bench_world.py), on purpose: what it measures
is the public side as the product leaves it, so its world goes the way a real one does: an election document
through `parse_election` and `election_import`, tallies through `tallies_import` (approval keeps the running
sums), publication by two committee members through the publication service (whose invalidation of the public
caches and ETags is under test), turnout reports made public by the service. Its world also has shapes the
builder does not make (the units of a commune split between two commune constituencies, seats + 3 candidates,
two affiliations). At a province's size (1,800 units) all of that takes seconds: the speed of set-based SQL is
not needed here.

Then it checks invalidation across workers: one more result is published through the service (another
process) and every following request, whichever worker answers, must carry the new ETag.

    apt-get install wrk
    KP_DATABASE_URL=postgres://kp@127.0.0.1:54402/kiemphieu .venv/bin/python tools/bench_public.py
"""

import argparse
import http.client
import os
import random
import re
import shutil
import statistics
import subprocess
import sys
import time
from pathlib import Path
from urllib.parse import urlparse

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
SLUG = "bench-province"


def structure(communes: int, units_per_commune: int) -> dict:
    rng = random.Random(7)
    districts = max(1, communes // 15)
    doc: dict = {
        "slug": SLUG,
        "name": "Bầu cử đại biểu Quốc hội và HĐND tỉnh, xã (benchmark)",
        "election_day": "2026-03-15",
        "rules": "vn-2015",
        "areas": [{"code": "P", "name": "Tỉnh Benchmark", "parent": None}],
        "contests": [
            {"code": "QH", "name": "Đại biểu Quốc hội", "level": "national_assembly"},
            {"code": "TINH", "name": "Đại biểu HĐND tỉnh", "level": "provincial_council"},
            {"code": "XA", "name": "Đại biểu HĐND xã", "level": "commune_council"},
        ],
        "constituencies": [],
        "polling_units": [],
        "candidates": [],
    }
    units = communes * units_per_commune
    qh = max(1, units // 450)
    tinh = max(1, communes // 12)
    for i in range(qh):
        doc["constituencies"].append(
            {"code": f"QH-{i + 1}", "contest": "QH", "name": f"Đơn vị số {i + 1}", "seats": 3, "area": "P"}
        )
    for i in range(tinh):
        doc["constituencies"].append(
            {"code": f"TINH-{i + 1}", "contest": "TINH", "name": f"Đơn vị số {i + 1}", "seats": 4, "area": "P"}
        )
    for d in range(districts):
        doc["areas"].append({"code": f"D{d + 1}", "name": f"Khu vực {d + 1}", "parent": "P"})
    n = 0
    for c in range(communes):
        commune = f"C{c + 1:03d}"
        doc["areas"].append({"code": commune, "name": f"Xã {c + 1}", "parent": f"D{c % districts + 1}"})
        for k in (1, 2):
            doc["constituencies"].append(
                {"code": f"XA-{commune}-{k}", "contest": "XA", "name": f"Đơn vị số {k}", "seats": 5, "area": commune}
            )
        for u in range(units_per_commune):
            doc["polling_units"].append(
                {
                    "code": f"U{n:05d}",
                    "name": f"Khu vực bỏ phiếu số {u + 1}",
                    "area": commune,
                    "registered_voters": rng.randint(700, 1200),
                    "constituencies": [f"QH-{n % qh + 1}", f"TINH-{c % tinh + 1}", f"XA-{commune}-{u % 2 + 1}"],
                }
            )
            n += 1
    for cons in doc["constituencies"]:
        for j in range(cons["seats"] + 3):
            doc["candidates"].append(
                {
                    "code": f"{cons['code']}-{j + 1:02d}",
                    "constituency": cons["code"],
                    "full_name": f"Ứng cử viên {cons['code']} {j + 1}",
                    "date_of_birth": f"{1960 + j}-0{1 + j % 9}-1{j % 9}",
                    "affiliation": "Đảng Cộng sản Việt Nam" if j % 3 else "Ngoài Đảng",
                }
            )
    return doc


def tallies(doc: dict) -> list[tuple[str, dict]]:
    rng = random.Random(11)
    seats = {c["code"]: c["seats"] for c in doc["constituencies"]}
    cands: dict[str, list[str]] = {}
    for c in doc["candidates"]:
        cands.setdefault(c["constituency"], []).append(c["code"])
    items = []
    for u in doc["polling_units"]:
        listed = u["registered_voters"]
        for cons in u["constituencies"]:
            voted = listed - rng.randint(5, listed // 20)
            invalid = rng.randint(0, 15)
            valid = voted - invalid
            codes = cands[cons]
            weights = [rng.uniform(0.5, 1.0) for _ in codes]
            scale = seats[cons] * 0.9 / sum(weights)
            votes = {code: min(valid, int(valid * w * scale)) for code, w in zip(codes, weights, strict=True)}
            body = {
                "polling_unit": u["code"],
                "contest": cons.split("-")[0],
                "voters_on_list": listed,
                "voters_voted": voted,
                "ballots_issued": voted,
                "ballots_received": voted,
                "valid_ballots": valid,
                "invalid_ballots": invalid,
                "votes": votes,
            }
            items.append((f"{u['code']}/{cons}", body))
    return items


def setup_database(url: str, communes: int, units_per_commune: int) -> dict:
    os.environ["KP_DATABASE_URL"] = url
    os.environ["DJANGO_SETTINGS_MODULE"] = "config.settings.bench"
    import django

    django.setup()
    from django.contrib.auth import get_user_model
    from django.core.management import call_command
    from django.db import connection

    from elections.models import Election, Role, RoleAssignment
    from elections.parsing import parse_election
    from elections.services import election_import
    from results.models import ResultPublication, TurnoutReport
    from results.outcomes import contests, rounds
    from results.publication import services as publication
    from results.tallies import bulk_import

    call_command("migrate", verbosity=0)
    t0 = time.perf_counter()
    doc = structure(communes, units_per_commune)
    parsed = parse_election(doc)
    assert not parsed.errors, parsed.errors[:3]
    election_import(spec=parsed.spec, source="bench")
    election = Election.objects.get(slug=SLUG)
    print(
        f"  structure: {len(doc['polling_units']):,} units, {len(doc['constituencies'])} constituencies, "
        f"{len(doc['candidates']):,} candidates in {time.perf_counter() - t0:.1f} s"
    )
    t0 = time.perf_counter()
    items = tallies(doc)
    report = bulk_import.tallies_import(election=election, items=items, approve=True, source="bench")
    assert not report.problems, report.problems[:3]
    print(f"  {report.created:,} approved tallies in {time.perf_counter() - t0:.1f} s")
    User = get_user_model()
    a, b = (User.objects.create(username=name) for name in ("bench.a", "bench.b"))
    top = election.areas.get(code="P")
    for user in (a, b):
        RoleAssignment.objects.create(user=user, election=election, role=Role.COMMITTEE, area=top)
    t0 = time.perf_counter()
    summaries = contests.constituency_summaries(election)
    ready = [s.constituency.pk for s in summaries if s.status != rounds.INCOMPLETE]
    left = ready[int(len(ready) * 0.8) :]
    for pk in ready[: int(len(ready) * 0.8)]:
        cons = election.constituencies.select_related("election", "contest", "area").get(pk=pk)
        publication.result_publish(constituency=cons, by=a, source="bench")
        publication.result_publish(constituency=cons, by=b, source="bench")
    print(
        f"  {ResultPublication.objects.count()} results published (two members each)"
        f" in {time.perf_counter() - t0:.1f} s"
    )
    reports = []
    rng = random.Random(3)
    times = election.report_times()
    for unit in election.polling_units.all():
        for at, share in zip(times, (0.3, 0.55, 0.75, 0.9, 0.97), strict=False):
            reports.append(
                TurnoutReport(
                    election=election,
                    polling_unit=unit,
                    at=at,
                    source="import",
                    voters_voted=int(unit.registered_voters * (share + rng.uniform(-0.03, 0.02))),
                )
            )
    TurnoutReport.objects.bulk_create(reports, batch_size=5000)
    publication.turnout_publish(election=election, publish=True, by=a, source="bench")
    print(f"  {len(reports):,} turnout reports, turnout public")
    published = ResultPublication.objects.filter(election=election, current=True).select_related("constituency")
    page_code = next(p.constituency.code for p in published if p.constituency.code.startswith("XA-"))
    api_code = next(p.constituency.code for p in published if p.constituency.code.startswith("TINH-"))
    connection.close()
    return {"page": page_code, "api": api_code, "left": left, "users": (a.pk, b.pk)}


def wrk(port: int, path: str, seconds: int, connections: int) -> dict:
    out = subprocess.run(  # noqa: S603 - our own load generator against our own server on 127.0.0.1
        ["wrk", "-t1", f"-c{connections}", f"-d{seconds}s", "--latency", f"http://127.0.0.1:{port}{path}"],  # noqa: S607
        capture_output=True,
        text=True,
        check=True,
    ).stdout
    rps = float(re.search(r"Requests/sec:\s+([\d.]+)", out).group(1))

    def ms(label: str) -> float:
        m = re.search(rf"{label}\s+([\d.]+)(us|ms|s)\b", out)
        value, unit = float(m.group(1)), m.group(2)
        return value / 1000 if unit == "us" else value * 1000 if unit == "s" else value

    errors = re.search(r"Non-2xx or 3xx responses: (\d+)", out)
    sock = re.search(r"Socket errors: (.*)", out)
    return {
        "rps": rps,
        "p50": ms("50%"),
        "p99": ms("99%"),
        "non2xx": int(errors.group(1)) if errors else 0,
        "socket": sock.group(1) if sock else "",
    }


def get(port: int, path: str) -> tuple[int, str, str]:
    conn = http.client.HTTPConnection("127.0.0.1", port, timeout=10)
    conn.request("GET", path)
    r = conn.getresponse()
    r.read()
    conn.close()
    return r.status, r.getheader("ETag") or "", r.getheader("X-Cache") or ""


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--communes", type=int, default=180)
    parser.add_argument("--units-per-commune", type=int, default=10)
    parser.add_argument("--seconds", type=int, default=10, help="duration of each wrk run")
    parser.add_argument("--rounds", type=int, default=3, help="runs of every address, reported as medians")
    parser.add_argument("--connections", type=int, default=32)
    parser.add_argument("--workers", type=int, default=2, help="gunicorn worker processes")
    parser.add_argument("--threads", type=int, default=4, help="threads per worker (gthread, keep-alive)")
    parser.add_argument("--port", type=int, default=8121)
    parser.add_argument("--keep", action="store_true", help="keep the benchmark database afterwards")
    args = parser.parse_args()
    if not shutil.which("wrk"):
        sys.exit("wrk is missing: apt-get install wrk")
    base_url = os.environ.get("KP_DATABASE_URL", "")
    if not base_url.startswith("postgres"):
        sys.exit("Set KP_DATABASE_URL to a PostgreSQL database (the benchmark creates <name>_pubbench beside it).")
    parsed = urlparse(base_url)
    bench_db = parsed.path.lstrip("/") + "_pubbench"
    admin = parsed._replace(path="/postgres").geturl().replace("postgres://", "postgresql://")
    import psycopg

    with psycopg.connect(admin, autocommit=True) as conn:
        conn.execute(f'DROP DATABASE IF EXISTS "{bench_db}"')
        conn.execute(f'CREATE DATABASE "{bench_db}"')
    url = parsed._replace(path=f"/{bench_db}").geturl()
    print("set-up (through the import and publication services):")
    t0 = time.perf_counter()
    info = setup_database(url, args.communes, args.units_per_commune)
    print(f"  done in {time.perf_counter() - t0:.0f} s")

    env = {
        **os.environ,
        "KP_DATABASE_URL": url,
        "DJANGO_SETTINGS_MODULE": "config.settings.bench",
        "KP_LOG_LEVEL": "ERROR",
    }
    cmd = [
        str(ROOT / ".venv" / "bin" / "gunicorn"),
        "config.wsgi",
        "--workers",
        str(args.workers),
        "--bind",
        f"127.0.0.1:{args.port}",
        "--log-level",
        "error",
        "--env",
        "DJANGO_SETTINGS_MODULE=config.settings.bench",
    ]
    if args.threads > 1:
        cmd += ["--worker-class", "gthread", "--threads", str(args.threads)]
    server = subprocess.Popen(cmd, cwd=ROOT, env=env)  # noqa: S603 - our own server
    targets = [
        ("bare Django view, fixed 2 KB JSON", "/bench/bare/"),
        ("public result page (constituency)", f"/public/{SLUG}/constituencies/{info['page']}/"),
        ("public election home page", f"/public/{SLUG}/"),
        ("public result API (constituency)", f"/api/v1/elections/{SLUG}/results/{info['api']}/"),
        ("public turnout API", f"/api/v1/elections/{SLUG}/turnout/"),
    ]
    results = {}
    try:
        for _ in range(100):
            try:
                if get(args.port, "/bench/bare/")[0] == 200:
                    break
            except OSError:
                time.sleep(0.2)
        for _label, path in targets:  # fill each worker's cache before measuring
            for _ in range(8):
                assert get(args.port, path)[0] == 200, path
        # Rounds over every address, reported as medians: on a small shared machine throughput jumps between two
        # levels for tens of seconds at a time (the bare view's too), so one run per address is luck.
        runs: dict[str, list[dict]] = {label: [] for label, _path in targets}
        for _round in range(args.rounds):
            for label, path in targets:
                runs[label].append(wrk(args.port, path, args.seconds, args.connections))
        for label, measured in runs.items():
            results[label] = {key: statistics.median(m[key] for m in measured) for key in ("rps", "p50", "p99")} | {
                "non2xx": sum(m["non2xx"] for m in measured),
                "socket": "; ".join(m["socket"] for m in measured if m["socket"]),
            }
            results[label]["all"] = [round(m["rps"]) for m in measured]
        # invalidation across workers: publish one more result from this process, then ask again
        _status, before, _state = get(args.port, f"/public/{SLUG}/")
        from django.contrib.auth import get_user_model

        from elections.models import Constituency
        from results.publication import services as publication

        a, b = (get_user_model().objects.get(pk=pk) for pk in info["users"])
        cons = Constituency.objects.select_related("election", "contest", "area").get(pk=info["left"][0])
        publication.result_publish(constituency=cons, by=a)
        publication.result_publish(constituency=cons, by=b)
        after = [get(args.port, f"/public/{SLUG}/") for _ in range(20)]
        fresh = sum(1 for _s, etag, _c in after if etag != before)
        from django.db import connections

        connections.close_all()
    finally:
        server.terminate()
        server.wait(timeout=10)

    bare = results[targets[0][0]]["rps"]
    print(
        f"\ngunicorn {args.workers} workers"
        + (f" x {args.threads} threads (gthread)" if args.threads > 1 else " (sync)")
        + f"; wrk 1 thread, {args.connections} connections, {args.rounds} rounds of {args.seconds} s per address "
        f"(medians); {os.cpu_count()} cores "
        "shared by gunicorn, PostgreSQL and wrk"
    )
    print(f"{'address':<36} {'req/s':>8} {'vs bare':>8} {'p50 ms':>8} {'p99 ms':>8}  errors")
    for label, r in results.items():
        print(
            f"{label:<36} {r['rps']:>8.0f} {r['rps'] / bare:>7.0%} {r['p50']:>8.1f} {r['p99']:>8.1f}  "
            f"{r['non2xx']} non-2xx {r['socket']}  (req/s of each round: {r['all']})"
        )
    print(
        f"\ninvalidation across workers: {fresh} of 20 answers after a publication carry the new ETag "
        f"({'ok' if fresh == 20 else 'STALE ANSWERS'})"
    )
    if not args.keep:
        with psycopg.connect(admin, autocommit=True) as conn:
            conn.execute(f'DROP DATABASE IF EXISTS "{bench_db}"')


if __name__ == "__main__":
    main()
