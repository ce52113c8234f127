"""Web nodes as on several machines, started on this one: gunicorn instances and nginx in front of them.

Used by tests/multinode/test_web_nodes.py and tools/bench_public_nginx.py. nginx runs with the site of
deploy/nginx/kiemphieu.conf, rendered for 127.0.0.1 (`nginx_site`): the web nodes, the cache folder and the static
folder replaced, TLS and the HTTP redirect left out; everything else is the file as deployed. It runs as a
subprocess with a prefix of its own (`nginx -p DIR -c DIR/nginx.conf -g 'daemon off;'`), writing nothing outside it.
"""

import http.client
import os
import re
import shutil
import signal
import socket
import subprocess
import time
from collections.abc import Mapping
from dataclasses import dataclass, field
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
SITE = ROOT / "deploy" / "nginx" / "kiemphieu.conf"
START_TIMEOUT = 40  # seconds for a process to answer: a bound for a busy machine, not an expectation


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


def _replace_block(text: str, name: str, new: str) -> str:
    pattern = re.compile(rf"^[ \t]*# BEGIN {name}\b.*?^[ \t]*# END {name}\n", re.MULTILINE | re.DOTALL)
    text, n = pattern.subn(lambda _m: new, text)
    if n != 1:
        raise ValueError(f"{SITE.name}: expected one '# BEGIN {name}' ... '# END {name}' block, found {n}")
    return text


def _replace_once(text: str, old: str, new: str) -> str:
    if text.count(old) != 1:
        raise ValueError(f"{SITE.name}: expected {old!r} once, found it {text.count(old)} times")
    return text.replace(old, new)


def nginx_site(*, port: int, upstreams: list[int], static_root: Path, cache_dir: Path) -> str:
    """deploy/nginx/kiemphieu.conf for nginx on 127.0.0.1:`port` in front of gunicorn on `upstreams` (ports)."""
    text = SITE.read_text(encoding="utf-8")
    text = _replace_block(text, "web nodes", "".join(f"    server 127.0.0.1:{p};\n" for p in upstreams))
    text = _replace_block(
        text,
        "cache path",
        f"proxy_cache_path {cache_dir} levels=1:2 keys_zone=kiemphieu_public:20m max_size=256m inactive=10m "
        "use_temp_path=off;\n",
    )
    text = _replace_block(text, "redirect", "")
    text = _replace_block(text, "listen", f"    listen 127.0.0.1:{port};\n")
    return _replace_once(text, "/srv/kiemphieu/staticfiles/", f"{static_root}/")


def nginx_main(prefix: Path, *, workers: int = 1) -> str:
    """The main nginx.conf of a private prefix: every path in it, none of Debian's log or temporary folders."""
    # As root, nginx's workers would become `nobody`, who may not read a test's temporary folder.
    user = "user root root;\n" if os.geteuid() == 0 else ""
    kinds = ("client_body", "proxy", "fastcgi", "uwsgi", "scgi")
    temp = "".join(f"    {kind}_temp_path {prefix / 'temp' / kind};\n" for kind in kinds)
    return (
        f"{user}worker_processes {workers};\npid {prefix}/nginx.pid;\nerror_log {prefix}/error.log warn;\n"
        "events { worker_connections 4096; }\n"
        "http {\n    include /etc/nginx/mime.types;\n    default_type application/octet-stream;\n"
        "    sendfile on;\n    tcp_nopush on;\n    access_log off;\n    server_tokens off;\n"
        f"{temp}    include {prefix}/kiemphieu.conf;\n}}\n"
    )


def ask(
    port: int,
    path: str,
    *,
    method: str = "GET",
    body: bytes | None = None,
    headers: Mapping[str, str] | None = None,
    source: str = "",
) -> tuple[int, dict[str, str], bytes]:
    """One request to 127.0.0.1:`port`, from the address `source` of the loopback (127.0.0.2, ...) if given."""
    conn = http.client.HTTPConnection("127.0.0.1", port, timeout=30, source_address=(source, 0) if source else None)
    try:
        conn.request(method, path, body=body, headers=dict(headers or {}))
        response = conn.getresponse()
        return response.status, {k.lower(): v for k, v in response.getheaders()}, response.read()
    finally:
        conn.close()


def _wait(port: int, path: str, process: subprocess.Popen[bytes], what: str, log: Path) -> None:
    deadline = time.monotonic() + START_TIMEOUT
    while True:
        if process.poll() is not None:
            raise RuntimeError(f"{what} stopped (exit {process.returncode}): {log.read_text(errors='replace')[-2000:]}")
        try:
            if ask(port, path)[0] < 500:
                return
        except OSError:
            pass
        if time.monotonic() > deadline:
            raise RuntimeError(f"{what} did not answer on port {port}: {log.read_text(errors='replace')[-2000:]}")
        time.sleep(0.1)


@dataclass
class Node:
    """A process of ours: stopped by its own id (and its own session's group: gunicorn's workers)."""

    process: subprocess.Popen[bytes]
    port: int
    log: Path
    quick_stop: int = signal.SIGINT

    def stop(self) -> None:
        if self.process.poll() is None:
            self.process.send_signal(self.quick_stop)
            try:
                self.process.wait(timeout=10)
            except subprocess.TimeoutExpired:
                os.killpg(self.process.pid, signal.SIGKILL)
                self.process.wait(timeout=10)


def start_gunicorn(
    port: int, env: Mapping[str, str], log: Path, *, workers: int = 1, threads: int = 4, ready: str = "/api/v1/health/"
) -> Node:
    """gunicorn serving config.wsgi on 127.0.0.1:`port` with `env` (DJANGO_SETTINGS_MODULE, KP_...)."""
    command = [str(ROOT / ".venv" / "bin" / "gunicorn"), "config.wsgi", "--bind", f"127.0.0.1:{port}"]
    command += ["--workers", str(workers), "--worker-class", "gthread", "--threads", str(threads)]
    command += ["--log-level", "warning", "--graceful-timeout", "5"]
    with log.open("ab") as out:
        process = subprocess.Popen(  # noqa: S603 - our own server
            command, cwd=ROOT, env=dict(env), stdout=out, stderr=subprocess.STDOUT, start_new_session=True
        )
    node = Node(process, port, log, signal.SIGINT)  # gunicorn: SIGINT is the quick shutdown
    try:
        _wait(port, ready, process, "gunicorn", log)
    except RuntimeError:
        node.stop()
        raise
    return node


@dataclass
class Nginx(Node):
    prefix: Path = field(default_factory=Path)


def start_nginx(
    prefix: Path, *, port: int, upstreams: list[int], static_root: Path, workers: int = 1, ready: str = "/static/"
) -> Nginx:
    """nginx on 127.0.0.1:`port` with its files in `prefix` (made here), in front of gunicorn on `upstreams`."""
    binary = shutil.which("nginx") or "/usr/sbin/nginx"
    for folder in ("temp", "cache"):
        (prefix / folder).mkdir(parents=True, exist_ok=True)
    site = nginx_site(port=port, upstreams=upstreams, static_root=static_root, cache_dir=prefix / "cache")
    (prefix / "kiemphieu.conf").write_text(site, encoding="utf-8")
    (prefix / "nginx.conf").write_text(nginx_main(prefix, workers=workers), encoding="utf-8")
    log = prefix / "error.log"
    command = [binary, "-p", str(prefix), "-c", str(prefix / "nginx.conf"), "-e", str(log), "-g", "daemon off;"]
    check = subprocess.run([*command, "-t"], capture_output=True, text=True, check=False)  # noqa: S603
    if check.returncode != 0:
        raise RuntimeError(f"nginx -t refused the configuration: {check.stderr}")
    process = subprocess.Popen(  # noqa: S603 - our own server
        command, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL, start_new_session=True
    )
    node = Nginx(process, port, log, signal.SIGQUIT, prefix)  # nginx: SIGQUIT lets the workers finish and leave
    try:
        _wait(port, ready, process, "nginx", log)
    except RuntimeError:
        node.stop()
        raise
    return node


def collect_static(target: Path, env: Mapping[str, str]) -> None:
    """`manage.py collectstatic` into `target`, as a deployment does (KP_STATIC_ROOT)."""
    subprocess.run(  # noqa: S603 - our own command
        [str(ROOT / ".venv" / "bin" / "python"), "manage.py", "collectstatic", "--noinput", "-v0"],
        cwd=ROOT,
        env={**env, "KP_STATIC_ROOT": str(target)},
        check=True,
    )
