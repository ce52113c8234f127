"""Every route, every role: no state-changing request succeeds without a write role (issue 14, point 2).

The role matrices of tests/elections/test_permissions.py and tests/office/ cover the pages that exist; this walk
covers whatever the URL configuration holds, so a page or API route added later is checked too. It reads every
URL pattern of the project (includes, namespaces and the public site's language prefixes), fills each address
from one counted election, and sends each person of the `world` (and the anonymous visitor):

- POST with an empty body and with a plausible one, PUT and PATCH with a plausible body, and DELETE: unless the
  table ALLOWED below names the route, the method and the person, the answer must not be 2xx and the database
  must not change;
- GET and HEAD: never a change to the database, for anyone.

Django's admin decides by is_staff, is_superuser and model permissions, never by an election role: its routes are
walked by one person of each kind (`ADMIN_PEOPLE`), which keeps the walk within a minute.

A change is any INSERT, UPDATE or DELETE other than the bookkeeping of sessions, login throttling (axes) and the
second factor's devices (otp), and the results cache that reads fill (`RESULTS_CACHE`), seen through a connection
wrapper. Each request runs in a transaction rolled back afterwards, so the requests do not affect each other. No
answer may be a server error.

A route that is not in ALLOWED fails with its name: classify it (who may change something through it) when you
add it. ALLOWED is an upper bound (who *may* succeed); the matrices elsewhere check that they do.
"""

import datetime as dt
import itertools
import json
import re
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from typing import Any
from urllib.parse import urlencode

import pytest
from django.conf import settings
from django.contrib import admin
from django.contrib.contenttypes.models import ContentType
from django.core.cache import cache
from django.core.files.uploadedfile import SimpleUploadedFile
from django.db import connection, transaction
from django.test import Client
from django.urls import URLPattern, URLResolver, get_resolver
from django.urls.resolvers import LocalePrefixPattern, RegexPattern, RoutePattern
from django.utils import timezone, translation
from django_otp.plugins.otp_totp.models import TOTPDevice

from elections.models import Election
from results.minutes import services as minutes_services
from results.models import Flag, MinutesJob, Tally
from results.permissions import tally_scope
from results.tallies import corrections
from results.tallies import services as tally_services
from tests.conftest import World, build_world
from tests.elections.test_permissions import USERS
from tests.results.conftest import good_qh, payload
from tests.results.result_helpers import load, minutes, qh_votes, xa_votes
from tests.voters.conftest import WORLD_ROWS, csv_text
from tests.voters.conftest import load as load_voters
from voters import services as voter_services
from voters.models import Complaint, VoterImport

# --- who may change what -------------------------------------------------------------------------------------

EVERYONE = frozenset(USERS)
SIGNED_IN = EVERYONE - {"anonymous"}
SUPERUSER = frozenset({"superuser"})
ADMIN_STAFF = frozenset({"staff", "superuser"})
CLERK_U1 = frozenset({"clerk_u1"}) | SUPERUSER  # enters U1's data
COMMITTEES_C1 = frozenset({"committee_p", "committee_d1", "committee_c1"}) | SUPERUSER  # manage C1 and its unit U1
REVIEW_U1_XA = COMMITTEES_C1 | {"board_xa1"}  # review U1's tally of XA (constituency XA1)
REVIEW_U1_QH = COMMITTEES_C1 | {"board_qh1"}  # review U1's tally of QH (constituency QH1)
MANAGE_QH1 = frozenset({"board_qh1", "committee_p"}) | SUPERUSER  # publish QH1, issue its minutes
TOP_COMMITTEE = frozenset({"committee_p"}) | SUPERUSER  # the election as a whole; QH1's further rounds

NOTHING: dict[str, frozenset[str]] = {}  # a page that only shows: no state-changing method succeeds for anyone


def post(users: frozenset[str]) -> dict[str, frozenset[str]]:
    return {"POST": users}


# route -> {method: who may get a 2xx answer or change the database}. Not named: nobody. Addresses are filled from
# the walk's election: unit U1, area C1, contest XA (QH where a tally must be approved), constituency QH1 for
# results and XA1 for the structure pages (see `fill`).
ALLOWED: dict[str, dict[str, frozenset[str]]] = {
    # a person's own account and language
    "home": NOTHING,
    "favicon.ico": NOTHING,
    "manifest": NOTHING,
    "service-worker": NOTHING,
    "login": post(frozenset({"anonymous"})),  # the form again on a mistake; a signed-in person is sent on
    "second-factor": post(SIGNED_IN),
    "logout": NOTHING,  # ends the session (bookkeeping) and redirects
    "password_change": post(SIGNED_IN),
    "password_change_done": NOTHING,
    "password_reset": post(EVERYONE),
    "password_reset_done": NOTHING,
    "password_reset_confirm": post(EVERYONE),  # an invalid link answers its page
    "password_reset_complete": NOTHING,
    "set_language": NOTHING,  # a cookie and a redirect
    # the structure
    "elections:election-detail": NOTHING,
    "elections:election-checks": NOTHING,
    "elections:area-detail": NOTHING,
    "elections:constituency-detail": NOTHING,
    "elections:unit-detail": NOTHING,
    # voter lists (unit U1, area C1)
    "voters:lookup": post(EVERYONE),  # public: where do I vote
    "voters:import": post(COMMITTEES_C1),
    "voters:import-report": NOTHING,
    "voters:import-refused-csv": NOTHING,
    "voters:double-listings": NOTHING,
    "voters:double-listing-settle": post(COMMITTEES_C1),  # of those, who covers both units (voters/permissions.py)
    "voters:unit-list": NOTHING,
    "voters:unit-pdf": NOTHING,
    "voters:unit-post": post(COMMITTEES_C1),
    "voters:voter-add": post(COMMITTEES_C1),
    "voters:voter-detail": NOTHING,
    "voters:voter-remove": post(COMMITTEES_C1),
    "voters:voter-certificate": post(COMMITTEES_C1),
    "voters:certificate-accept": post(COMMITTEES_C1),
    "voters:complaints": post(COMMITTEES_C1),
    "voters:complaint-answer": post(COMMITTEES_C1),
    "voters:check-in": post(CLERK_U1),
    # election day (U1: XA submitted, QH approved with a correction waiting)
    "results:review-queue": NOTHING,
    "results:tally-entry": post(CLERK_U1),
    "results:tally-review": NOTHING,
    "results:tally-photo-add": post(CLERK_U1),
    "results:tally-photo-remove": post(CLERK_U1),  # the walk attaches none: the clerk is refused, nothing changes
    "results:tally-action[return]": post(REVIEW_U1_XA),
    "results:tally-action[approve]": post(REVIEW_U1_XA),
    "results:tally-action[annul]": post(COMMITTEES_C1),
    "results:tally-action[correct]": post(COMMITTEES_C1),
    "results:tally-action[correction-apply]": post(COMMITTEES_C1),
    "results:tally-action[correction-reject]": post(COMMITTEES_C1),
    "results:tally-action[no-such-action]": NOTHING,
    "results:turnout-entry": post(CLERK_U1),
    "results:flag-list": NOTHING,
    # results (QH1 counted, not published)
    "results:constituency-result": NOTHING,
    "results:round-open": post(TOP_COMMITTEE),
    "results:decision-record": post(TOP_COMMITTEE),
    "results:result-publish": post(MANAGE_QH1),
    "results:turnout-publish": post(TOP_COMMITTEE),
    "results:contest-result": NOTHING,
    "results:flag-resolve": post(COMMITTEES_C1),  # a flag of U1
    "results:deadlines": NOTHING,  # the deadlines board only shows (issue 15)
    # official minutes
    "results:minutes-counting": post(REVIEW_U1_QH),
    "results:minutes-counting-pdf": NOTHING,
    "results:minutes-constituency": post(MANAGE_QH1),
    "results:minutes-constituency-pdf": NOTHING,
    "results:minutes-area": post(COMMITTEES_C1),  # the area's ZIP: a committee, never an auditor
    "results:minutes-summary": post(COMMITTEES_C1),
    "results:minutes-summary-pdf": NOTHING,
    "results:minutes-job": NOTHING,
    "results:minutes-job-zip": NOTHING,
    "results:minutes-job-retry": post(COMMITTEES_C1),
    "minutes-verify": NOTHING,
    "minutes-verify-pdf": NOTHING,
    "verify/": NOTHING,
    "verify/<path:token>": NOTHING,
    # the API
    "api:tally": {"PUT": CLERK_U1},
    "api:tally-submit": post(CLERK_U1),
    "api:tally-return": post(REVIEW_U1_XA),
    "api:tally-approve": post(REVIEW_U1_XA),
    "api:tally-annul": post(COMMITTEES_C1),
    "api:tally-minutes-pdf": NOTHING,
    "api:tally-minutes": post(REVIEW_U1_QH),
    "api:tally-photos": post(CLERK_U1),  # a photo of the signed minutes (CONTRACT §12)
    "api:tally-photo": {"DELETE": CLERK_U1},  # removing a wrong photo; none is attached in the walk
    "api:turnout-report": {"PUT": CLERK_U1},
    "api:health": NOTHING,  # public, CONTRACT §11
    "api:me": NOTHING,
    "api:election-list": NOTHING,
    "api:election-detail": NOTHING,
    "api:polling-unit-detail": NOTHING,
    "api:constituency-detail": NOTHING,
    "api:voter-lookup": post(EVERYONE),  # public
    "api:constituency-result": NOTHING,
    "api:constituency-publish": post(MANAGE_QH1),
    "api:constituency-rounds": post(TOP_COMMITTEE),  # CONTRACT §10: a committee above the constituency
    "api:constituency-decisions": post(TOP_COMMITTEE),
    "api:turnout": NOTHING,
    "api:constituency-minutes-pdf": NOTHING,
    "api:constituency-minutes": post(MANAGE_QH1),
    "api:contest-result": NOTHING,
    "api:not-found": NOTHING,  # any other address under /api/v1/: a JSON 404
    "schema": NOTHING,
    "api-docs": NOTHING,
    # the public site (in each language)
    "public:elections": NOTHING,
    "public:audit": NOTHING,
    "public:audit-checkpoints": NOTHING,
    "public:audit-public-key": NOTHING,
    "public:audit-verifier": NOTHING,
    "public:election": NOTHING,
    "public:area": NOTHING,
    "public:contest": NOTHING,
    "public:constituency": NOTHING,
    "public:unit": NOTHING,
    "public:lookup": post(EVERYONE),
    "public:open-data": NOTHING,
    "public:nist": NOTHING,
    "public:download": NOTHING,
    # Django's admin, for set-up: its own pages; each model's pages are `ADMIN_MODEL_PAGES` below
    "admin:index": post(ADMIN_STAFF),  # the index shows the same page to a POST
    "admin:login": post(EVERYONE),
    "admin:logout": NOTHING,
    "admin:password_change": post(ADMIN_STAFF),
    "admin:password_change_done": NOTHING,
    "admin:autocomplete": NOTHING,
    "admin:jsi18n": NOTHING,
    "admin:view_on_site": NOTHING,
    "admin:app_list": post(SUPERUSER),
    "admin/(?P<url>.*)$": NOTHING,
}
# The pages Django's admin makes for each registered model are for superusers only (staff hold no model
# permission in the world): a model registered later is classified by the kind of its page.
ADMIN_MODEL_PAGES = re.compile(
    r"^(admin:\w+_(changelist|add|change|delete|history|password_change|config|qrcode)|admin/\w+/\w+/<path:object_id>/)$"
)

# The admin's people: no login; the widest and the read-all election roles; staff; superuser.
ADMIN_PEOPLE = ("anonymous", "committee_p", "auditor", "staff", "superuser")

UNSAFE = ("POST", "PUT", "PATCH", "DELETE")
# Tables whose writes are bookkeeping, not a change of the election: sessions, login throttling, second factor.
BOOKKEEPING = re.compile(r'"?(django_session|axes_\w+|otp_\w+)"?$')
WRITE = re.compile(r'^\s*(INSERT\s+INTO|UPDATE|DELETE\s+FROM|REPLACE\s+INTO)\s+"?(\w+)"?', re.IGNORECASE)
# The results cache (results/outcomes/cache.py) is filled by reads, by design: its upsert keeps `published` as stored,
# so it never publishes anything. Publishing is an UPDATE of that table, which counts.
RESULTS_CACHE = re.compile(r'^\s*INSERT\s+INTO\s+"?results_constituencyresult"?', re.IGNORECASE)
LAST_LOGIN = re.compile(r'^\s*UPDATE\s+"?auth_user"?\s+SET\s+"?last_login"?\s*=\s*%s\s+WHERE', re.IGNORECASE)


def allowed_for(key: str) -> dict[str, frozenset[str]] | None:
    if key in ALLOWED:
        return ALLOWED[key]
    if ADMIN_MODEL_PAGES.match(key):
        return {"POST": SUPERUSER}
    return None


# --- the routes ----------------------------------------------------------------------------------------------

# Routes whose one pattern does different things by a path parameter: each value is walked as its own route.
VARIANTS = {
    ("results:tally-action", "action"): (
        "return",
        "approve",
        "annul",
        "correct",
        "correction-apply",
        "correction-reject",
        "no-such-action",
    ),
}


@dataclass(frozen=True)
class Route:
    key: str  # the name with its namespace ("results:tally-entry"), or the pattern when unnamed
    pattern: str  # the full pattern, language prefix included
    language: str  # "" outside i18n_patterns
    params: tuple[str, ...]  # the converters' names, in order
    regex: bool = False
    variant: dict[str, str] = field(default_factory=dict, hash=False, compare=False)

    @property
    def id(self) -> str:
        return f"{self.key}[{self.language}]" if self.language else self.key


CONVERTER = re.compile(r"<(?:(?P<converter>[^>:]+):)?(?P<parameter>[^>]+)>")


def _walk(resolver: URLResolver, prefix: str, namespace: str, language: str) -> Iterator[Route]:
    for entry in resolver.url_patterns:
        if isinstance(entry, URLResolver):
            if isinstance(entry.pattern, LocalePrefixPattern):
                for code, _name in settings.LANGUAGES:
                    with translation.override(code):
                        here = str(entry.pattern)
                    yield from _walk(entry, prefix + here, namespace, code)
                continue
            inner = f"{namespace}{entry.namespace}:" if entry.namespace else namespace
            yield from _walk(entry, prefix + str(entry.pattern), inner, language)
        elif isinstance(entry, URLPattern):
            text = prefix + str(entry.pattern)
            key = f"{namespace}{entry.name}" if entry.name else text
            regex = isinstance(entry.pattern, RegexPattern) and not isinstance(entry.pattern, RoutePattern)
            params = tuple(m["parameter"] for m in CONVERTER.finditer(text))
            base = Route(key, text, language, params, regex)
            names = [(p, VARIANTS[(key, p)]) for p in params if (key, p) in VARIANTS]
            if not names:
                yield base
                continue
            for values in itertools.product(*(v for _p, v in names)):
                chosen = dict(zip((p for p, _v in names), values, strict=True))
                label = ",".join(values)
                yield Route(f"{key}[{label}]", text, language, params, regex, chosen)


def _reachable(routes: Iterator[Route]) -> list[Route]:
    """Every route once: a pattern repeated later (Django's own login after ours) is never reached."""
    kept, seen = [], set()
    for route in routes:
        if not route.variant and (route.pattern, route.language) in seen:
            continue
        seen.add((route.pattern, route.language))
        kept.append(route)
    return sorted(kept, key=lambda r: (r.key, r.language))


ROUTES = _reachable(_walk(get_resolver(), "", "", ""))


# --- the election the walk runs in ---------------------------------------------------------------------------


@dataclass
class Walk:
    world: World
    sessions: dict[str, str]
    flag: int
    job: int
    voter_import: int
    complaint: int
    token: str
    object_ids: dict[str, str]


class _StubPDF:
    """WeasyPrint's HTML, without the seconds of layout each PDF costs: the walk checks access, not documents."""

    def __init__(self, string: str = "", **kwargs: Any) -> None:
        self.string = string

    def write_pdf(self, *args: Any, **kwargs: Any) -> bytes:
        return b"%PDF-1.7\n% stub of the route walk\n%%EOF\n"


def _xa(cons: str, a: int, b: int, c: int) -> dict[str, Any]:
    return good_qh(votes=xa_votes(cons, a, b, c), valid_ballots=690, invalid_ballots=10)


def _build() -> Walk:
    """The world, counted: every tally approved but U1's of XA (submitted); QH1 complete and not published; U1's
    QH tally with a correction waiting and an open flag; the lists loaded and U1's posted, with a complaint; a
    finished ZIP of C1; U2's counting minutes issued."""
    w = build_world()
    e = w.election
    e.election_day = timezone.localdate() + dt.timedelta(days=60)  # the lists are still open for changes
    e.save(update_fields=["election_day"])
    users = w.users
    load_voters(e, *WORLD_ROWS)
    u1 = w.units["U1"]
    voter_services.voter_list_post(unit=u1, posted_on=timezone.localdate(), by=users["committee_c1"])
    complaint = voter_services.complaint_receive(
        unit=u1, kind=Complaint.Kind.OMITTED, complainant="Ngô Văn Tỵ", text="Thiếu tên.", voter=None,
        by=users["committee_c1"],
    )  # fmt: skip
    load(
        e,
        *(minutes(u, "QH", qh_votes(600, 550, 500, 300, 100)) for u in ("U1", "U2", "U3")),
        minutes("U2", "XA", xa_votes("XA2", 600, 550, 200)),
        minutes("U3", "XA", xa_votes("XA3", 600, 550, 200)),
    )
    u1_xa = tally_scope(e.slug, "U1", "XA")
    tally_services.tally_save(
        scope=u1_xa, payload=payload(_xa("XA1", 600, 550, 200)), version=None, by=users["clerk_u1"]
    )
    tally_services.tally_submit(scope=u1_xa, by=users["clerk_u1"])
    u1_qh = tally_scope(e.slug, "U1", "QH")
    corrections.correction_propose(
        scope=u1_qh, payload=payload(good_qh(invalid_ballots=11, valid_ballots=689, voters_voted=700)),
        reason="Nhầm một phiếu.", by=users["committee_p"],
    )  # fmt: skip
    qh_tally = Tally.objects.filter(polling_unit=u1, contest__code="QH").latest("pk")
    flag = Flag.objects.create(
        election=e, polling_unit=u1, tally=qh_tally, code="walk", severity=Flag.Severity.WARNING, message="walk"
    )
    job = MinutesJob.objects.create(
        election=e, area=w.areas["C1"], requested_by=users["committee_c1"], status=MinutesJob.Status.DONE
    )
    job.file.save(f"walk-{job.pk}.zip", SimpleUploadedFile("walk.zip", b"PK\x05\x06" + bytes(18)))
    document = minutes_services.counting_document(tally_scope(e.slug, "U2", "QH"))
    minute = minutes_services.minutes_issue(
        document=document, inputs=minutes_services.default_inputs(document), by=users["committee_p"],
        base_url="http://testserver/",
    )  # fmt: skip
    TOTPDevice.objects.create(user=users["superuser"], name="walk", confirmed=False)  # for the admin's device pages
    sessions = {}
    for name, user in users.items():
        client = Client()
        client.force_login(user)
        sessions[name] = client.cookies[settings.SESSION_COOKIE_NAME].value
    object_ids = {}
    for model in admin.site._registry:
        pk = model._default_manager.order_by("pk").values_list("pk", flat=True).first()
        object_ids[f"{model._meta.app_label}_{model._meta.model_name}"] = str(pk or 1)
    return Walk(
        world=w,
        sessions=sessions,
        flag=flag.pk,
        job=job.pk,
        voter_import=VoterImport.objects.filter(election=e).values_list("pk", flat=True).get(),
        complaint=complaint.pk,
        token=minute.token,
        object_ids=object_ids,
    )


@pytest.fixture(scope="module")
def walk(django_db_setup, django_db_blocker) -> Iterator[Walk]:
    """One election for the whole module, in a transaction rolled back at its end (building it per route would
    cost more than the walk itself)."""
    with django_db_blocker.unblock(), pytest.MonkeyPatch.context() as patch:
        patch.setattr("results.minutes.rendering.HTML", _StubPDF)
        patch.setattr("voters.printing.HTML", _StubPDF)
        outer = transaction.atomic()
        outer.__enter__()
        try:
            yield _build()
        finally:
            transaction.set_rollback(True)
            outer.__exit__(None, None, None)
            cache.clear()


# --- filling an address --------------------------------------------------------------------------------------

# A `code` takes its meaning from the word before it.
CODES = {
    "areas": "C1",
    "constituencies": "XA1",
    "units": "U1",
    "polling-units": "U1",
    "results": "QH1",
    "contests": "XA",
}
# Routes that need another object than the defaults.
OVERRIDES: dict[str, dict[str, str]] = {
    "results:tally-action[annul]": {"contest": "QH"},
    "results:tally-action[correct]": {"contest": "QH"},
    "results:tally-action[correction-apply]": {"contest": "QH"},
    "results:tally-action[correction-reject]": {"contest": "QH"},
    "results:minutes-counting": {"contest": "QH"},
    "results:minutes-counting-pdf": {"contest": "QH"},
    "api:tally-minutes": {"contest": "QH"},
    "api:tally-minutes-pdf": {"contest": "QH"},
    "public:download": {"name": "results-constituencies", "fmt": "csv"},
}


def _value(route: Route, name: str, before: str, walk: Walk) -> str:
    special = {**OVERRIDES.get(route.key, {}), **route.variant}
    if name in special:
        return special[name]
    w = walk.world
    plain = {
        "slug": w.election.slug,
        "election": w.election.slug,
        "unit": "U1",
        "contest": "XA",
        "constituency": "QH1",
        "area": "C1",
        "flag_id": str(walk.flag),
        "job_id": str(walk.job),
        "number": "1",
        "photo": "1",  # api:tally-photo: none is attached in the walk, so it only shows
        "token": walk.token,
        "at": "09:00",
        "uidb64": "MQ",
        "content_type_id": str(ContentType.objects.get_for_model(Election).pk),
        "app_label": "elections",
        "url": "no-such-page/",
    }
    if name == "code":
        return CODES[before]
    if name == "pk":
        if before == "imports":
            return str(walk.voter_import)
        if before == "complaints":
            return str(walk.complaint)
        return walk.object_ids.get(route.key.removeprefix("admin:").rsplit("_", 1)[0], "1")
    if name in ("object_id", "id"):
        if route.key == "admin:view_on_site":
            return str(w.election.pk)
        match = re.search(r"admin/(\w+)/(\w+)/", route.pattern)
        model = f"{match[1]}_{match[2]}" if match else route.key.removeprefix("admin:").rsplit("_", 1)[0]
        return walk.object_ids.get(model, walk.object_ids.get(model.rsplit("_", 1)[0], "1"))
    if name == "token" and route.key == "password_reset_confirm":
        return "set-password"
    return plain[name]


def fill(route: Route, walk: Walk) -> str:
    if route.regex:
        text = re.sub(r"\^|\$", "", route.pattern)
        text = re.sub(r"\(\?P<(\w+)>[^)]*\)", lambda m: _value(route, m[1], "", walk), text)
        return "/" + text

    def one(match: re.Match[str]) -> str:
        before = route.pattern[: match.start()].rstrip("/").rsplit("/", 1)[-1]
        return _value(route, match["parameter"], before, walk)

    return "/" + CONVERTER.sub(one, route.pattern)


# --- plausible bodies: what the page's own form or the API's documented body would send --------------------------


def _tally_form(walk: Walk, contest: str) -> dict[str, Any]:
    scope = tally_scope(walk.world.election.slug, "U1", contest)
    body = _xa("XA1", 600, 550, 200) if contest == "XA" else good_qh()
    data: dict[str, Any] = {k: v for k, v in body.items() if k not in ("votes", "complaints")}
    for candidate in scope.constituency.candidates.all():
        data[f"votes_{candidate.pk}"] = body["votes"][candidate.code]
    return {**data, "complaints": "", "action": "submit"}


def _voter_file() -> SimpleUploadedFile:
    rows = csv_text("079090000009,Vũ Văn Gia,1960-01-01,male,U1,")
    return SimpleUploadedFile("walk.csv", rows.encode(), content_type="text/csv")


DECISION_FORM = {"body": "Hội đồng bầu cử quốc gia", "reference": "Nghị quyết số 1/NQ-HĐBCQG", "date": "26/05/2021",
                 "reason": "walk"}  # fmt: skip
ISSUE = {"place": "Nhà văn hóa", "m-TOTAL_FORMS": "1", "m-INITIAL_FORMS": "0", "m-0-name": "Hoàng Văn Lợi",
         "m-0-position": "head"}  # fmt: skip
BODIES: dict[str, Callable[[Walk], dict[str, Any]]] = {
    "login": lambda w: {"username": "outsider", "password": "pw-for-tests"},
    "admin:login": lambda w: {"username": "outsider", "password": "pw-for-tests"},
    "second-factor": lambda w: {"code": "123456"},
    "password_change": lambda w: {
        "old_password": "pw-for-tests",
        "new_password1": "a-new-Pass-0f-walk",
        "new_password2": "a-new-Pass-0f-walk",
    },  # fmt: skip
    "admin:password_change": lambda w: BODIES["password_change"](w),
    "password_reset": lambda w: {"email": "nobody@example.org"},
    "set_language": lambda w: {"language": "en", "next": "/"},
    "voters:lookup": lambda w: {"national_id": "079090000001", "date_of_birth": "02/01/1970"},
    "public:lookup": lambda w: BODIES["voters:lookup"](w),
    "voters:import": lambda w: {"file": _voter_file(), "skip_invalid": "on"},
    "voters:unit-post": lambda w: {"posted_on": timezone.localdate().strftime("%d/%m/%Y")},
    "voters:voter-add": lambda w: {
        "national_id": "079090000010",
        "full_name": "Vũ Văn Hải",
        "date_of_birth": "01/01/1960",
        "gender": "male",
        "residence": "permanent",
        "note": "walk",
    },  # fmt: skip
    "voters:voter-remove": lambda w: {"reason": "moved", "note": "", "version": "1"},
    "voters:voter-certificate": lambda w: {"version": "1"},
    "voters:certificate-accept": lambda w: {"number": "1", "national_id": "079090000004", "note": ""},
    "voters:complaints": lambda w: {
        "kind": "omitted",
        "complainant": "Ngô Văn Tỵ",
        "text": "Thiếu tên.",
        "received_on": timezone.localdate().strftime("%d/%m/%Y"),
    },  # fmt: skip
    "voters:complaint-answer": lambda w: {"decision": "upheld", "answer": "Đã sửa.", "version": "1"},
    "voters:check-in": lambda w: {"voter": "1"},
    "results:tally-entry": lambda w: _tally_form(w, "XA"),
    "results:tally-action[return]": lambda w: {"reason": "Thiếu chữ ký."},
    "results:tally-action[approve]": lambda w: {},
    "results:tally-action[annul]": lambda w: {"reason": "Vi phạm nghiêm trọng.", "confirm": "yes"},
    "results:tally-action[correct]": lambda w: {**_tally_form(w, "QH"), "reason": "Nhầm."},
    "results:tally-action[correction-apply]": lambda w: {"correction": "1", "note": "Đồng ý."},
    "results:tally-action[correction-reject]": lambda w: {"correction": "1", "note": "Không."},
    "results:turnout-entry": lambda w: {"at": "09:00", "voters_voted": "100"},
    "results:round-open": lambda w: {
        "kind": "annulment",  # opens a round whatever the result (Art. 81)
        "voting_day": (w.world.election.election_day + dt.timedelta(days=7)).strftime("%d/%m/%Y"),
        **DECISION_FORM,
    },  # fmt: skip
    "results:decision-record": lambda w: {"kind": "seats_left_vacant", **DECISION_FORM},
    "results:turnout-publish": lambda w: {"publish": "1"},
    "results:flag-resolve": lambda w: {"note": "Đã kiểm tra."},
    "results:minutes-counting": lambda w: ISSUE,
    "results:minutes-constituency": lambda w: ISSUE,
    "results:minutes-summary": lambda w: ISSUE,
    "results:minutes-area": lambda w: {"lang": "vi"},
    "api:tally": lambda w: _xa("XA1", 600, 550, 200),
    "api:tally-submit": lambda w: _xa("XA1", 600, 550, 200),
    "api:tally-return": lambda w: {"reason": "Thiếu chữ ký."},
    "api:tally-annul": lambda w: {"reason": "Vi phạm nghiêm trọng."},
    "api:tally-minutes": lambda w: {"place": "Nhà văn hóa", "members": [{"name": "Hoàng Văn Lợi", "position": "head"}]},
    "api:constituency-minutes": lambda w: BODIES["api:tally-minutes"](w),
    "api:turnout-report": lambda w: {"voters_voted": 100},
    "api:constituency-rounds": lambda w: {
        "kind": "re_election",
        "annulment": True,
        "voting_day": (w.world.election.election_day + dt.timedelta(days=7)).isoformat(),
        "decision": {k: v if k != "date" else "2021-05-26" for k, v in DECISION_FORM.items()},
    },  # fmt: skip
    "api:constituency-decisions": lambda w: {
        "kind": "seats_left_vacant",
        "body": "Hội đồng bầu cử quốc gia",
        "reference": "Nghị quyết số 1/NQ-HĐBCQG",
        "date": "2021-05-26",
        "reason": "walk",
    },  # fmt: skip
    "api:voter-lookup": lambda w: {"national_id": "079090000001", "date_of_birth": "1970-01-02"},
}


def requests_of(route: Route, walk: Walk) -> Iterator[tuple[str, str, dict[str, Any]]]:
    """(method, label, arguments of the test client's call) for one person on `route`."""
    api = route.pattern.startswith("api/")
    plausible = BODIES.get(route.key, lambda w: {"note": "walk"})
    yield "GET", "", {}
    yield "HEAD", "", {}
    yield "POST", "empty", {}
    if api:
        yield "POST", "plausible", {"data": json.dumps(plausible(walk)), "content_type": "application/json"}
        for method in ("PUT", "PATCH"):
            yield method, "plausible", {"data": json.dumps(plausible(walk)), "content_type": "application/json"}
    else:
        yield "POST", "plausible", {"data": plausible(walk)}
        form = urlencode({k: v for k, v in plausible(walk).items() if isinstance(v, str | int)})
        for method in ("PUT", "PATCH"):
            yield method, "plausible", {"data": form, "content_type": "application/x-www-form-urlencoded"}
    yield "DELETE", "", {}


# --- sending -------------------------------------------------------------------------------------------------


@dataclass
class Answer:
    status: int
    writes: list[str]
    error: str = ""


def send(walk: Walk, user: str, method: str, url: str, arguments: dict[str, Any]) -> Answer:
    """One request as `user`, in a transaction rolled back afterwards; the writes it made, bookkeeping aside."""
    client = Client()
    if user != "anonymous":
        client.cookies[settings.SESSION_COOKIE_NAME] = walk.sessions[user]
    writes: list[str] = []

    def watch(execute: Any, sql: str, params: Any, many: bool, context: Any) -> Any:
        found = WRITE.match(sql)
        if found and not (BOOKKEEPING.match(found[2]) or LAST_LOGIN.match(sql) or RESULTS_CACHE.match(sql)):
            writes.append(f"{found[1].split()[0].upper()} {found[2]}")
        return execute(sql, params, many, context)

    with transaction.atomic():
        try:
            with connection.execute_wrapper(watch):
                response = getattr(client, method.lower())(url, **arguments)
        except Exception as exc:  # noqa: BLE001 - reported with the route, the person and the method
            return Answer(500, writes, f"{type(exc).__name__}: {exc}")
        finally:
            transaction.set_rollback(True)
    return Answer(response.status_code, writes)


def _problems(route: Route, walk: Walk, may: dict[str, frozenset[str]]) -> list[str]:
    url = fill(route, walk)
    found = []
    for user in ADMIN_PEOPLE if route.pattern.startswith("admin/") else USERS:
        for method, label, arguments in requests_of(route, walk):
            answer = send(walk, user, method, url, arguments)
            what = f"{user} {method}{' (' + label + ' body)' if label else ''} {url} -> {answer.status}"
            if answer.status >= 500:
                found.append(f"{what}: server error {answer.error}")
            elif method in UNSAFE and user not in may.get(method, frozenset()):
                if 200 <= answer.status < 300:
                    found.append(f"{what}: succeeded without a write role")
                if answer.writes:
                    found.append(f"{what}: wrote {sorted(set(answer.writes))} without a write role")
            elif method in ("GET", "HEAD") and answer.writes:
                found.append(f"{what}: a {method} wrote {sorted(set(answer.writes))}")
    return found


@pytest.mark.parametrize("route", ROUTES, ids=lambda r: r.id)
def test_no_route_changes_anything_without_a_write_role(route, walk, db):
    # given the route's entry in the table: who may change something through it
    may = allowed_for(route.key)
    assert may is not None, (
        f"the route {route.key!r} ({route.pattern}) is not in ALLOWED of {__name__}: say who may POST, PUT, PATCH "
        "or DELETE on it (NOTHING when it only shows)"
    )
    cache.clear()
    # when every person sends every method to it; then nobody else succeeds or writes, and GET never writes
    try:
        problems = _problems(route, walk, may)
    finally:
        cache.clear()
    if problems:
        pytest.fail(f"{route.id}: {len(problems)} problems\n" + "\n".join(problems), pytrace=False)


def test_the_walk_reaches_every_part_of_the_site():
    keys = {r.key for r in ROUTES}
    assert {"results:minutes-area", "api:tally", "public:lookup", "admin:index", "voters:check-in"} <= keys
    assert {r.language for r in ROUTES if r.key == "public:election"} == {code for code, _ in settings.LANGUAGES}
    assert len([r for r in ROUTES if r.key.startswith("results:tally-action[")]) == len(
        VARIANTS[("results:tally-action", "action")]
    )


def test_every_entry_of_the_table_names_a_route():
    keys = {r.key for r in ROUTES}
    assert sorted(set(ALLOWED) - keys) == []


def test_the_walk_sees_a_write_and_a_success(walk, db):
    # given a committee of C1 starting the area's ZIP, which the table allows
    route = next(r for r in ROUTES if r.key == "results:minutes-area")
    url = fill(route, walk)
    # when it posts
    answer = send(walk, "committee_c1", "POST", url, {"data": {"lang": "vi"}})
    # then the walk sees the job written, and the same request by a clerk would be reported
    assert answer.status == 302 and "INSERT results_minutesjob" in answer.writes
    assert _problems(route, walk, {"POST": frozenset()}) != []


@pytest.mark.parametrize("method", ["PUT", "PATCH", "DELETE", "OPTIONS"])
def test_a_page_answers_only_get_head_and_post(client, db, method):
    # a page never treats another method as a GET; the API's views decide for themselves
    page = client.generic(method, "/public/")
    assert page.status_code == 405 and page["Allow"] == "GET, HEAD, POST"
    api = client.generic(method, "/api/v1/elections/")
    assert api.status_code == (200 if method == "OPTIONS" else 405) and "OPTIONS" in api["Allow"]  # DRF's answer
