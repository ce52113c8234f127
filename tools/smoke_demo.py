"""Smoke test of the running demo: every demo login reaches its own home page.

    .venv/bin/python tools/smoke_demo.py http://127.0.0.1:8799

Waits up to two minutes for the server, then logs in as each demo user over real HTTP and checks
that the home page shows the user's scope. Exits non-zero on any failure. `.ci/run` uses it on the
README's demo command.
"""

import http.cookiejar
import os
import sys
import time
import urllib.error
import urllib.parse
import urllib.request
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "config.settings.dev")


def main(base: str) -> int:
    import django

    django.setup()
    from demo.elections import DEMO_SLUG, DEMO_USERS

    deadline = time.monotonic() + 120
    while True:
        try:
            urllib.request.urlopen(f"{base}/accounts/login/", timeout=5)  # noqa: S310 - our own server
            break
        except (urllib.error.URLError, ConnectionError):
            if time.monotonic() > deadline:
                print(f"the demo server did not answer at {base}")
                return 1
            time.sleep(1)
    failures = 0
    for user in DEMO_USERS:
        jar = http.cookiejar.CookieJar()
        opener = urllib.request.build_opener(urllib.request.HTTPCookieProcessor(jar))
        opener.open(f"{base}/accounts/login/", timeout=30)
        token = next(c.value for c in jar if c.name == "csrftoken")
        form = urllib.parse.urlencode(
            {"username": user["username"], "password": user["password"], "csrfmiddlewaretoken": token}
        ).encode()
        request = urllib.request.Request(  # noqa: S310 - our own server, http only
            f"{base}/accounts/login/", data=form, headers={"Referer": base + "/"}
        )
        page = opener.open(request, timeout=30)
        html = page.read().decode()
        expected = user["scope"] or (DEMO_SLUG if user["role"] != "admin" else "/admin/")
        ok = page.url.rstrip("/") == base.rstrip("/") and expected in html and user["username"] in html
        print(f"{'ok  ' if ok else 'FAIL'} {user['username']:<14} home page shows {expected}")
        failures += not ok
    return 1 if failures else 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1] if len(sys.argv) > 1 else "http://127.0.0.1:8000"))
