"""Benchmark: a public result page through nginx beside a static file of the same size from the same nginx.

The deployment of docs/deploy.md on this one machine: a redis-server (KP_CACHE_URL), two gunicorn instances
(config.settings.bench: DEBUG off, collected static files) on the database of KP_DATABASE_URL with the demo loaded
(`manage.py load_demo`), and nginx with deploy/nginx/kiemphieu.conf in front of both (tests/multinode/web_nodes.py
starts them). `wrk` (Debian's package) then asks, in alternating rounds with 32 connections, for

- a published constituency's public page (`/public/<demo>/constituencies/<code>/`), which nginx keeps for
  KP_PUBLIC_PROXY_MAX_AGE seconds and then revalidates with the app's ETag, and
- a static file with the same bytes (written into the collected static folder), which nginx reads from disk,

and prints requests per second, p50 and p99 of each (medians of the rounds) and their ratio (issue 13's target:
page >= 0.5 x static, page p99 < 50 ms). Then it measures staleness: it publishes one more of the demo's decided but
unpublished commune results (through the publication service, as two committee members) while wrk loads the page,
and again with nothing else running, and prints the seconds until nginx first serves the page with its new ETag
(issue 13: within 5 s). It asserts nothing about time. Each run publishes two results: the demo leaves six.

    apt-get install wrk nginx redis-server
    KP_DATABASE_URL=postgres://kp@127.0.0.1:54392/kiemphieu DJANGO_SETTINGS_MODULE=config.settings.dev \\
        .venv/bin/python manage.py load_demo
    KP_DATABASE_URL=postgres://kp@127.0.0.1:54392/kiemphieu .venv/bin/python tools/bench_public_nginx.py
"""

import argparse
import os
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
sys.path.insert(0, str(ROOT / "tools"))

from bench_public import wrk  # noqa: E402 - the same wrk runner and parser as the gunicorn benchmark

from tests.multinode.web_nodes import Node, ask, collect_static, free_port, start_gunicorn, start_nginx  # noqa: E402
from tests.redis_server import RedisServer  # noqa: E402

POLL = 0.02  # seconds between two looks at the page while waiting for the new one
WAIT = 30  # seconds to wait for it at most


def setup_django(env: dict[str, str]) -> None:
    os.environ.update({k: env[k] for k in ("KP_DATABASE_URL", "KP_CACHE_URL", "DJANGO_SETTINGS_MODULE")})
    import django

    django.setup()


def demo_targets() -> tuple[str, str, list[int]]:
    """(the demo's slug, a published commune constituency's code, decided commune constituencies not published)."""
    from demo.elections import DEMO_SLUG
    from elections.models import Election
    from results.models import ResultPublication
    from results.outcomes import contests, rounds

    election = Election.objects.filter(slug=DEMO_SLUG).first()
    if election is None:
        sys.exit(f"No demo election {DEMO_SLUG!r} in KP_DATABASE_URL: run `manage.py load_demo` first.")
    published = set(
        ResultPublication.objects.filter(election=election, current=True).values_list("constituency_id", flat=True)
    )
    summaries = [s for s in contests.constituency_summaries(election) if s.constituency.code.startswith("XA-")]
    shown = next(s.constituency.code for s in summaries if s.constituency.pk in published)
    decided = [s.constituency.pk for s in summaries if s.status != rounds.INCOMPLETE]
    waiting = [pk for pk in decided if pk not in published]
    return DEMO_SLUG, shown, waiting


def publish_next(waiting: list[int]) -> str:
    """Publish the next waiting constituency as the demo's district and province committee members; its code."""
    from django.contrib.auth import get_user_model

    from elections.models import Constituency
    from results.publication import services as publication

    users = {u.username: u for u in get_user_model().objects.filter(username__in=["uyban.huyen", "uyban.tinh"])}
    while waiting:
        cons = Constituency.objects.select_related("election", "contest", "area").get(pk=waiting.pop(0))
        try:
            for name in ("uyban.huyen", "uyban.tinh"):
                publication.result_publish(constituency=cons, by=users[name], source="bench")
        except Exception as exc:  # noqa: BLE001 - a member who may not publish this one: try the next
            print(f"  ({cons.code} not published: {exc})")
            continue
        return cons.code
    sys.exit("No decided, unpublished commune result left to publish: load the demo into a fresh database.")


def staleness(port: int, path: str, waiting: list[int]) -> tuple[str, float]:
    """Publish one result, then the seconds until nginx serves `path` with a new ETag."""
    before = ask(port, path)[1].get("etag", "")
    code = publish_next(waiting)
    start = time.monotonic()
    while time.monotonic() - start < WAIT:
        status, headers, _body = ask(port, path)
        if status == 200 and headers.get("etag", "") != before:
            return code, time.monotonic() - start
        time.sleep(POLL)
    return code, float("inf")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--seconds", type=int, default=10, help="duration of each wrk run")
    parser.add_argument("--rounds", type=int, default=3, help="runs of each address, alternating; medians printed")
    parser.add_argument("--connections", type=int, default=32)
    parser.add_argument("--nginx-workers", type=int, default=2)
    parser.add_argument("--gunicorn-threads", type=int, default=4, help="threads of each gunicorn instance")
    args = parser.parse_args()
    for program in ("wrk", "nginx", "redis-server"):
        if not shutil.which(program):
            sys.exit(f"{program} is missing: apt-get install {program}")
    url = os.environ.get("KP_DATABASE_URL", "")
    if not url.startswith("postgres"):
        sys.exit("Set KP_DATABASE_URL to a PostgreSQL database with the demo loaded (manage.py load_demo).")

    folder = Path(tempfile.mkdtemp(prefix="kp-bench-nginx-"))
    env = {**os.environ, "DJANGO_SETTINGS_MODULE": "config.settings.bench", "KP_TRUSTED_PROXIES": "1"}
    env["KP_LOG_LEVEL"] = "ERROR"
    env.pop("KP_BROKER_URL", None)  # no background work here; the health answer (readiness) would ask a broker
    redis = RedisServer(free_port(), folder)
    nodes: list[Node] = []
    try:
        redis.start()
        env["KP_CACHE_URL"] = redis.url()
        setup_django(env)
        slug, shown, waiting = demo_targets()
        static = folder / "static"
        collect_static(static, env)
        nodes += [start_gunicorn(free_port(), env, folder / f"{n}.log", threads=args.gunicorn_threads) for n in "ab"]
        proxy = start_nginx(
            folder / "nginx",
            port=free_port(),
            upstreams=[n.port for n in nodes],
            static_root=static,
            workers=args.nginx_workers,
        )
        nodes.append(proxy)
        page = f"/public/{slug}/constituencies/{shown}/"
        status, _headers, body = ask(proxy.port, page)
        assert status == 200, (page, status)
        (static / "bench").mkdir()
        (static / "bench" / "page.html").write_bytes(body)
        targets = [
            ("public result page via nginx", page),
            ("static file, same bytes, same nginx", "/static/bench/page.html"),
        ]
        for _label, path in targets:  # warm both caches (the app's Redis, nginx's)
            for _ in range(5):
                assert ask(proxy.port, path)[0] == 200, path

        runs: dict[str, list[dict]] = {label: [] for label, _path in targets}
        for _round in range(args.rounds):
            for label, path in targets:
                runs[label].append(wrk(proxy.port, path, args.seconds, args.connections))

        # Staleness while wrk loads the page, then with nothing else running.
        load = subprocess.Popen(  # noqa: S603 - our own load generator against our own nginx
            ["wrk", "-t1", f"-c{args.connections}", "-d12s", f"http://127.0.0.1:{proxy.port}{page}"],  # noqa: S607
            stdout=subprocess.DEVNULL,
        )
        time.sleep(3)
        loaded = staleness(proxy.port, page, waiting)
        load.wait(timeout=60)
        time.sleep(3)
        idle = staleness(proxy.port, page, waiting)
        from django.db import connections

        connections.close_all()
    finally:
        for node in reversed(nodes):
            node.stop()
        redis.stop()

    results = {
        label: {key: statistics.median(m[key] for m in measured) for key in ("rps", "p50", "p99")}
        | {"errors": sum(m["non2xx"] for m in measured), "all": [round(m["rps"]) for m in measured]}
        for label, measured in runs.items()
    }
    print(
        f"\nnginx ({args.nginx_workers} workers) in front of 2 gunicorn instances (1 worker x {args.gunicorn_threads} "
        f"threads each), one Redis, PostgreSQL; wrk 1 thread, {args.connections} connections, {args.rounds} rounds of "
        f"{args.seconds} s per address, alternating (medians); {os.cpu_count()} cores shared by all of them"
    )
    print(f"{'address':<38} {'bytes':>7} {'req/s':>8} {'p50 ms':>8} {'p99 ms':>8}  errors  (req/s of each round)")
    for label, r in results.items():
        print(
            f"{label:<38} {len(body):>7,} {r['rps']:>8.0f} {r['p50']:>8.2f} {r['p99']:>8.2f}  {r['errors']:>6}"
            f"  {r['all']}"
        )
    page_r, static_r = results[targets[0][0]], results[targets[1][0]]
    print(
        f"\npage / static: {page_r['rps'] / static_r['rps']:.2f} x the rate (target >= 0.5); "
        f"page p99 {page_r['p99']:.1f} ms (target < 50 ms)"
    )
    kept = os.environ.get("KP_PUBLIC_PROXY_MAX_AGE", "2")
    for when, (code, seconds) in (("while wrk loads the page", loaded), ("with nothing else running", idle)):
        print(
            f"staleness, {when}: {code} published, the page's new ETag served through nginx after {seconds:.2f} s "
            f"(bound: 5 s; nginx keeps a page KP_PUBLIC_PROXY_MAX_AGE = {kept} s)"
        )
    shutil.rmtree(folder, ignore_errors=True)


if __name__ == "__main__":
    main()
