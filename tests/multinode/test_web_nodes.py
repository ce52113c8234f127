"""Issue 13, points 3 and 6: two web nodes (gunicorn) behind nginx, one Redis, one PostgreSQL, as on several machines.

Everything runs as real processes on this machine: a redis-server (tests/redis_server.py), gunicorn instances A and B
on two free ports with the test database and KP_CACHE_URL, and nginx with deploy/nginx/kiemphieu.conf in front of both
(tests/multinode/web_nodes.py). The nodes trust one proxy (KP_TRUSTED_PROXIES=1), as behind that nginx.

The processes must share the database, so this needs PostgreSQL (KP_DATABASE_URL, as `.ci/run` gives); on SQLite it is
skipped. Without nginx it is skipped, except in CI (`CI` set, as `.ci/run` does), where it fails.
"""

import json
import math
import os
import shutil
import time
from dataclasses import dataclass
from pathlib import Path
from urllib.parse import quote

import pytest
from django.core.management import call_command
from django.db import connection
from rest_framework.authtoken.models import Token

from tests.conftest import build_world
from tests.multinode.web_nodes import Nginx, Node, ask, collect_static, free_port, start_gunicorn, start_nginx
from tests.redis_server import RedisServer
from tests.results.result_helpers import load, minutes, xa_votes
from tests.voters.conftest import WORLD_ROWS
from tests.voters.conftest import load as load_voters

PAGE = "/en/public/world-2021/contests/XA/"
RESULT = "/api/v1/elections/world-2021/results/XA1/"
PUBLISH = RESULT + "publish/"
UNPUBLISHED = "/api/v1/elections/world-2021/results/XA2/"
LOOKUP = "/api/v1/elections/world-2021/voter-lookup/"
VISIBLE_WITHIN = 5.0  # seconds: a publication is seen through every node and through nginx by then (issue 13)
HASHED = "css/app.0123456789ab.css"  # a name as collectstatic's manifest storage writes it in production

# The mark makes pytest-django create the test database (it creates none for a session whose tests do not ask for
# one); each test then runs in a transaction of its own, rolled back, while the module's data stays committed.
pytestmark = pytest.mark.django_db


@dataclass
class Nodes:
    a: Node
    b: Node
    nginx: Nginx
    static: Path
    tokens: dict[str, str]


def _database_url() -> str:
    """The test database (test_<name>, per xdist worker), for the other processes."""
    s = connection.settings_dict
    credentials = quote(s["USER"] or "", safe="") + (f":{quote(s['PASSWORD'], safe='')}" if s["PASSWORD"] else "")
    return f"postgres://{credentials}@{s['HOST'] or '127.0.0.1'}:{s['PORT'] or 5432}/{s['NAME']}"


def _needs() -> None:
    if connection.vendor != "postgresql":
        pytest.skip("the web nodes share the test database with this process: PostgreSQL only (KP_DATABASE_URL)")
    for program, package in (("nginx", "nginx"), ("redis-server", "redis-server")):
        if shutil.which(program) is None:
            if os.environ.get("CI") or os.environ.get("KP_REQUIRE_REDIS"):
                pytest.fail(f"{program} is missing; install Debian's {package} package")
            pytest.skip(f"{program} is missing (apt-get install {package})")


@pytest.fixture(scope="module")
def nodes(django_db_setup, django_db_blocker, tmp_path_factory):
    """XA1 and XA2 counted, nothing published, the voter lists loaded, committed; then Redis, A, B and nginx."""
    _needs()
    folder = tmp_path_factory.mktemp("web-nodes")
    with django_db_blocker.unblock():
        assert connection.settings_dict["NAME"].startswith("test_"), "not the test database: it is flushed at the end"
        world = build_world()
        load(world.election, minutes("U1", "XA", xa_votes("XA1", 600, 500, 100)))
        load(world.election, minutes("U2", "XA", xa_votes("XA2", 600, 500, 100)))
        load_voters(world.election, *WORLD_ROWS)
        tokens = {
            name: Token.objects.create(user=world.users[name]).key
            for name in ("board_xa1", "committee_c1", "committee_p")
        }
        env = {
            **os.environ,
            "DJANGO_SETTINGS_MODULE": "config.settings.test",
            "KP_DATABASE_URL": _database_url(),
            "KP_TRUSTED_PROXIES": "1",
            "KP_VOTER_LOOKUP_PER_CLIENT": "5",
            "KP_LOG_LEVEL": "WARNING",
        }
        env.pop("KP_BROKER_URL", None)  # no background work here; the health answer (readiness) would ask a broker
        started: list[Node] = []
        redis = RedisServer(free_port(), folder)
        try:
            redis.start()
            env["KP_CACHE_URL"] = redis.url()
            static = folder / "static"
            collect_static(static, env)
            (static / HASHED).write_bytes((static / "css" / "app.css").read_bytes())
            a = start_gunicorn(free_port(), env, folder / "a.log")
            started.append(a)
            b = start_gunicorn(free_port(), env, folder / "b.log")
            started.append(b)
            proxy = start_nginx(folder / "nginx", port=free_port(), upstreams=[a.port, b.port], static_root=static)
            started.append(proxy)
            yield Nodes(a, b, proxy, static, tokens)
        finally:
            for node in reversed(started):
                node.stop()
            redis.stop()
            call_command("flush", interactive=False, verbosity=0)  # as a transactional test leaves the database


def lookup(port: int, born: str = "1970-01-09", *, forwarded: str = "", source: str = "") -> int:
    """One voter lookup: a miss unless `born` is the voter's date (1970-01-02)."""
    body = json.dumps({"national_id": "079090000001", "date_of_birth": born}).encode()
    headers = {"Content-Type": "application/json"} | ({"X-Forwarded-For": forwarded} if forwarded else {})
    return ask(port, LOOKUP, method="POST", body=body, headers=headers, source=source)[0]


def test_five_lookups_through_node_a_leave_none_for_node_b(nodes):
    # given a client behind nginx (the address nginx writes last) that asked five times through node A
    assert [lookup(nodes.a.port, forwarded="198.51.100.7") for _ in range(5)] == [404] * 5
    # when it asks node B, even with the right date
    # then B refuses it: one count for both nodes
    assert lookup(nodes.b.port, "1970-01-02", forwarded="198.51.100.7") == 429
    # while another client is served by B
    assert lookup(nodes.b.port, "1970-01-02", forwarded="198.51.100.8") == 200


def test_through_nginx_a_forged_forwarded_address_gives_no_fresh_count(nodes):
    # given a client (127.0.0.2) asking through nginx five times, each time with a new X-Forwarded-For of its own
    asked = [lookup(nodes.nginx.port, forwarded=f"203.0.113.{i}", source="127.0.0.2") for i in range(5)]
    assert asked == [404] * 5
    # then its sixth is refused, whatever it writes, through nginx and by either node
    assert lookup(nodes.nginx.port, "1970-01-02", forwarded="203.0.113.99", source="127.0.0.2") == 429
    assert lookup(nodes.nginx.port, "1970-01-02", source="127.0.0.2") == 429
    assert lookup(nodes.a.port, "1970-01-02", forwarded="127.0.0.2") == 429
    assert lookup(nodes.b.port, "1970-01-02", forwarded="127.0.0.2") == 429
    # while another client behind the same nginx is served, even when it claims to be the refused one
    assert lookup(nodes.nginx.port, "1970-01-02", forwarded="127.0.0.2", source="127.0.0.3") == 200


def _fresh(port: int, path: str) -> bool:
    status, _headers, body = ask(port, path)
    if path == PAGE:
        assert status == 200, status
        assert b"0 / 3" in body or b"1 / 3" in body  # the page as it was, or as it is now
        return b"1 / 3" in body
    assert status in (200, 404), status
    return status == 200 and json.loads(body)["publication"] is not None


def test_a_publication_through_node_a_is_seen_through_node_b_and_through_nginx_within_5_seconds(nodes):
    proxy = nodes.nginx.port
    # given the contest page answered by both nodes and kept by nginx, XA1 not yet published
    for port in (nodes.a.port, nodes.b.port, proxy, proxy):
        assert not _fresh(port, PAGE)
    assert ask(proxy, PAGE)[1]["x-proxy-cache"] not in ("MISS", "BYPASS")  # kept: HIT, or EXPIRED after 2 s
    assert ask(proxy, RESULT)[0] == 404
    # when two members publish XA1 through node A
    for member in ("board_xa1", "committee_c1"):
        status = ask(nodes.a.port, PUBLISH, method="POST", headers={"Authorization": f"Token {nodes.tokens[member]}"})
        assert status[0] in (200, 202), status
    published = time.monotonic()
    # then node B and nginx answer the new page and the result, each within 5 s
    targets = {("B", PAGE): nodes.b.port, ("B", RESULT): nodes.b.port, ("nginx", PAGE): proxy, ("nginx", RESULT): proxy}
    seen: dict[tuple[str, str], float] = {}
    while len(seen) < len(targets) and time.monotonic() - published < 2 * VISIBLE_WITHIN:
        for target, port in targets.items():
            if target not in seen and _fresh(port, target[1]):
                seen[target] = time.monotonic() - published
        time.sleep(0.05)
    print("seen after (s):", {f"{who} {path}": round(after, 2) for (who, path), after in seen.items()})
    late = {target: seen.get(target) for target in targets if seen.get(target, math.inf) > VISIBLE_WITHIN}
    assert not late, f"seen after more than {VISIBLE_WITHIN} s (None: not within {2 * VISIBLE_WITHIN} s): {late}"
    # and no answer after that is the old one
    assert all(_fresh(port, path) for (_who, path), port in targets.items() for _ in range(3))


def test_nginx_never_keeps_an_answer_given_to_a_login(nodes):
    proxy = nodes.nginx.port
    # given a committee member's live result of XA2 (counted, not published) asked through nginx
    member = {"Authorization": f"Token {nodes.tokens['committee_p']}"}
    status, headers, _body = ask(proxy, UNPUBLISHED, headers=member)
    assert status == 200 and headers["x-proxy-cache"] == "BYPASS" and "private" in headers["cache-control"]
    # then the public still gets no result for XA2: the member's answer was not kept
    assert [ask(proxy, UNPUBLISHED)[0] for _ in range(2)] == [404, 404]
    # and a request with a session cookie is passed to a node, never answered from the cache
    assert ask(proxy, PAGE, headers={"Cookie": "sessionid=anything"})[1]["x-proxy-cache"] == "BYPASS"
    # while the public page is kept
    ask(proxy, PAGE)
    assert ask(proxy, PAGE)[1]["x-proxy-cache"] not in ("MISS", "BYPASS")


def test_nginx_serves_static_files_from_the_collected_folder(nodes):
    proxy = nodes.nginx.port
    # a file that only collectstatic's folder holds (no node could answer it), with a hashed name: kept a year
    status, headers, body = ask(proxy, "/static/" + HASHED)
    assert status == 200 and body == (nodes.static / HASHED).read_bytes()
    assert headers["cache-control"] == "public, max-age=31536000, immutable"
    assert headers["content-type"].startswith("text/css")
    # a name without a hash: kept an hour
    status, headers, body = ask(proxy, "/static/css/app.css")
    assert status == 200 and body == (nodes.static / "css" / "app.css").read_bytes()
    assert headers["cache-control"] == "public, max-age=3600"
    assert ask(proxy, "/static/css/no-such-file.css")[0] == 404
