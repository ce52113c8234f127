"""The public site answered from the cache, with ETags and Cache-Control so a CDN can sit in front.

Every public answer (page, download, public API) is keyed on the election's `PublicRevision` counters,
which the services bump in the same transaction as the change they record (an approval, a publication,
a correction, a turnout report). The counters are read from the database on every request (one indexed
query), so any number of server processes see a change on their very next request: the cache itself may
be per process (the default) or one for every process on every machine (Redis, `KP_CACHE_URL`). Entries are
named by the release too, so two releases side by side during a deployment never take turns rebuilding one.

- The ETag is derived from the counters, the language, the address and the release, before anything is
  built: a conditional GET (`If-None-Match`) that still matches gets `304 Not Modified` after that one query.
- A miss builds the answer once and stores it. While one request rebuilds an entry whose counters moved,
  others in the same cache keep getting the previous answer (with its own ETag) instead of all rebuilding
  at once.
- Answers carry `Cache-Control: public, max-age=…` and never read the visitor's cookies or session, so
  they do not `Vary` on them.
"""

import datetime
import hashlib
from collections.abc import Callable, Iterable
from dataclasses import dataclass

from django.conf import settings
from django.core.cache import cache
from django.db import connection
from django.http import Http404, HttpRequest, HttpResponse, HttpResponseNotModified
from django.utils import translation
from django.utils.http import parse_etags

from core.cache import CACHE_ERRORS, cache_failed
from elections.models import Election
from public import revisions
from results.models import PublicRevision

TIMEOUT = 600  # seconds an entry lives without being asked for; the counters make it stale long before
# Seconds one process may keep the others answering the older page while it builds the new one; if it dies meanwhile,
# the next request after this builds it (a publication shows within a few seconds whatever happens).
BUILD_LOCK_SECONDS = 5


@dataclass(frozen=True)
class Revision:
    election_id: int
    slug: str
    results: int
    turnout: int
    created: str = ""  # when the election was created: tells apart two databases whose counters happen to match

    def tag(self, uses: Iterable[str]) -> str:
        return "-".join(f"{u[0]}{getattr(self, u)}" for u in uses) + f"-e{self.election_id}.{self.created}"


# The one query every public request makes, written out: the ORM would spend more time building it than
# PostgreSQL spends answering it (an indexed lookup of one row).
_REVISION_SQL = (
    f"SELECT e.id, r.results, r.turnout, e.created_at FROM {Election._meta.db_table} e "  # noqa: S608 - our own table names
    f"LEFT JOIN {PublicRevision._meta.db_table} r ON r.election_id = e.id WHERE e.slug = %s"
)


def revision(slug: str) -> Revision:
    """The election's public counters (404 for an unknown election): from memory, else one indexed query."""
    value, generation = revisions.kept(slug)
    if value is not None:
        return value
    value = _read_revision(slug)
    revisions.keep(slug, value, generation)
    return value


def _read_revision(slug: str) -> Revision:
    with connection.cursor() as cursor:
        cursor.execute(_REVISION_SQL, [slug])
        row = cursor.fetchone()
    if row is None:
        raise Http404("No such election")
    created = row[3]
    if isinstance(created, str):  # SQLite returns the text it stores
        created = datetime.datetime.fromisoformat(created)
    stamp = f"{created.timestamp():.6f}" if created else "0"
    return Revision(row[0], slug, row[1] or 0, row[2] or 0, stamp)


def _etag(rev: Revision, uses: Iterable[str], key: str) -> str:
    release = getattr(settings, "PUBLIC_CACHE_RELEASE", "")
    digest = hashlib.sha256(f"{release}|{key}".encode()).hexdigest()[:16]
    return f'"{rev.tag(uses)}-{digest}"'


def _headers(response: HttpResponse, etag: str, state: str) -> HttpResponse:
    response["ETag"] = etag
    # nginx in front (deploy/nginx/kiemphieu.conf) keeps an answer as long as this says, not max-age, so a
    # publication shows through it within seconds; it reads this before Cache-Control and never passes it on. An
    # answer that is already the previous one (STALE: another process is building the new one) is not kept.
    response["X-Accel-Expires"] = "0" if state == "STALE" else str(settings.PUBLIC_PROXY_MAX_AGE)
    response["Cache-Control"] = (
        f"public, max-age={settings.PUBLIC_MAX_AGE}, stale-while-revalidate={settings.PUBLIC_MAX_AGE * 4}"
    )
    response["X-Cache"] = state
    return response


def _matches(request: HttpRequest, etag: str) -> bool:
    header = request.META.get("HTTP_IF_NONE_MATCH", "")
    if not header:
        return False
    tags = parse_etags(header)
    return "*" in tags or etag in tags or etag.strip('"') in (t.strip('"').removeprefix("W/") for t in tags)


def respond(
    request: HttpRequest,
    rev: Revision,
    build: Callable[[], tuple[bytes, str]],
    *,
    uses: Iterable[str] = ("results", "turnout"),
    headers: dict[str, str] | None = None,
) -> HttpResponse:
    """The answer for `request` from the cache, or `build()` -> (body, content type) on a miss.

    `uses` names the counters the answer depends on (a results page does not change with turnout).
    """
    uses = tuple(uses)
    key = f"{translation.get_language()}|{request.get_full_path()}"
    etag = _etag(rev, uses, key)
    if _matches(request, etag):
        return _headers(HttpResponseNotModified(), etag, "HIT")
    cache_key = "kp:public:" + hashlib.sha256(f"{settings.PUBLIC_CACHE_RELEASE}|{key}".encode()).hexdigest()
    try:
        entry, state = _through_cache(cache_key, etag, build)
    except CACHE_ERRORS as exc:  # the shared cache is down: build the answer, right but slower
        cache_failed("public pages", exc)
        body, content_type = build()
        entry, state = (etag, body, content_type), "BYPASS"
    if entry[0] != etag and _matches(request, entry[0]):
        return _headers(HttpResponseNotModified(), entry[0], state)
    response = HttpResponse(entry[1], content_type=entry[2])
    for name, value in (headers or {}).items():
        response[name] = value
    return _headers(response, entry[0], state)


def _through_cache(
    cache_key: str, etag: str, build: Callable[[], tuple[bytes, str]]
) -> tuple[tuple[str, bytes, str], str]:
    """The cached (etag, body, content type) and how it was found: HIT, MISS (built now) or STALE (another process
    is building the new one; at most BUILD_LOCK_SECONDS, so no answer stays stale for long after a publication)."""
    entry = cache.get(cache_key)
    if entry is not None and entry[0] == etag:
        return entry, "HIT"
    lock = cache_key + ":building"
    if entry is not None and not cache.add(lock, 1, timeout=BUILD_LOCK_SECONDS):
        return entry, "STALE"  # someone else is rebuilding it: answer what we have
    try:
        body, content_type = build()
        entry = (etag, body, content_type)
        cache.set(cache_key, entry, timeout=TIMEOUT)
    finally:
        cache.delete(lock)
    return entry, "MISS"


def cached_value(rev: Revision, name: str, build: Callable[[], object], *, uses: Iterable[str]) -> object:
    """A computed value shared by several answers (turnout sums), kept under the same counters."""
    key = f"kp:public:value:{settings.PUBLIC_CACHE_RELEASE}:{rev.election_id}:{name}:{rev.tag(uses)}"
    try:
        value = cache.get(key)
    except CACHE_ERRORS as exc:
        cache_failed("public values", exc)
        return build()
    if value is None:
        value = build()
        try:
            cache.set(key, value, timeout=TIMEOUT)
        except CACHE_ERRORS as exc:
            cache_failed("public values", exc)
    return value


def private(response: HttpResponse) -> HttpResponse:
    """Answers that depend on who asks (a committee member's live result) must never be stored by a CDN."""
    response["Cache-Control"] = "private, no-store"
    return response
