"""Settings shared by every environment. Values that differ per machine come from the environment."""

import json
from pathlib import Path

import dj_database_url
from django.core.exceptions import ImproperlyConfigured
from django.utils.translation import gettext_lazy as _

from config.settings.env import env_bool, env_int, env_list, env_str

BASE_DIR = Path(__file__).resolve().parent.parent.parent

SECRET_KEY = env_str("KP_SECRET_KEY")
DEBUG = env_bool("KP_DEBUG", False)
ALLOWED_HOSTS = env_list("KP_ALLOWED_HOSTS", ["127.0.0.1", "localhost"])
CSRF_TRUSTED_ORIGINS = env_list("KP_CSRF_TRUSTED_ORIGINS", [])

INSTALLED_APPS = [
    "django.contrib.admin",
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "django.contrib.staticfiles",
    "django.contrib.humanize",
    "rest_framework",
    "rest_framework.authtoken",
    "drf_spectacular",
    "drf_spectacular_sidecar",
    "django_filters",
    "django_tables2",
    "axes",
    "django_otp",
    "django_otp.plugins.otp_totp",
    "core",
    "elections",
    "voters",
    "results",
    "public",
    "office",
    "api",
    "demo",
]

MIDDLEWARE = [
    "django.middleware.security.SecurityMiddleware",
    "csp.middleware.CSPMiddleware",
    "config.middleware.RejectNulMiddleware",
    "config.middleware.PageMethodsMiddleware",  # pages: GET, HEAD, POST; other methods are the API's
    "whitenoise.middleware.WhiteNoiseMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "config.middleware.ChosenLanguageMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "django_otp.middleware.OTPMiddleware",
    "config.middleware.SecondFactorMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    "axes.middleware.AxesMiddleware",  # last, as django-axes asks
]

# Login throttling (django-axes): ten wrong passwords for one account lock it for a while, whatever the address
# they come from; the counts are rows in the database, so every web process and machine shares them.
AUTHENTICATION_BACKENDS = ["axes.backends.AxesStandaloneBackend", "django.contrib.auth.backends.ModelBackend"]
AXES_FAILURE_LIMIT = env_int("KP_LOGIN_FAILURE_LIMIT", 10)
AXES_COOLOFF_TIME = env_int("KP_LOGIN_LOCKOUT_MINUTES", 15) / 60  # hours
AXES_LOCKOUT_PARAMETERS = ["username"]
AXES_RESET_ON_SUCCESS = True
AXES_LOCKOUT_CALLABLE = "config.lockout.locked_out"
AXES_VERBOSE = False
# axes.W006 warns that a count without the address can be dodged by changing browsers or cookies: ours counts per
# account only, whatever the address, browser or cookie, so there is nothing to dodge (and no address to rotate).
SILENCED_SYSTEM_CHECKS = ["axes.W006"]
# A second factor (TOTP, django-otp) for administrators, boards and committees (elections.permissions
# .needs_second_factor); the demo and the tests turn it off (dev.py, test.py).
SECOND_FACTOR_REQUIRED = env_bool("KP_SECOND_FACTOR", True)
OTP_TOTP_ISSUER = "Kiểm Phiếu"
# Staff sessions last a working day, not two weeks; closing the browser does not end them (a clerk's phone).
SESSION_COOKIE_AGE = env_int("KP_SESSION_HOURS", 8) * 3600

ROOT_URLCONF = "config.urls"
WSGI_APPLICATION = "config.wsgi.application"

TEMPLATES = [
    {
        "BACKEND": "django.template.backends.django.DjangoTemplates",
        "DIRS": [BASE_DIR / "templates"],
        "APP_DIRS": True,
        "OPTIONS": {
            "context_processors": [
                "django.template.context_processors.request",
                "django.template.context_processors.i18n",
                "django.contrib.auth.context_processors.auth",
                "django.contrib.messages.context_processors.messages",
            ],
        },
    },
]

# SQLite is the embedded default for the quick start; production sets KP_DATABASE_URL to PostgreSQL.
# var/ is not in the repository: made here, so `manage.py migrate` works on a bare clone with no other step.
DATABASE_URL = env_str("KP_DATABASE_URL")
if not DATABASE_URL:
    (BASE_DIR / "var").mkdir(exist_ok=True)
    DATABASE_URL = f"sqlite:///{BASE_DIR / 'var' / 'db.sqlite3'}"
DATABASES = {
    "default": dj_database_url.parse(
        DATABASE_URL,
        conn_max_age=env_int("KP_DB_CONN_MAX_AGE", 60),
    )
}
DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"

AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "django.contrib.auth.password_validation.UserAttributeSimilarityValidator"},
    {"NAME": "django.contrib.auth.password_validation.MinimumLengthValidator"},
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
    {"NAME": "django.contrib.auth.password_validation.NumericPasswordValidator"},
]
LOGIN_URL = "login"
LOGIN_REDIRECT_URL = "home"
LOGOUT_REDIRECT_URL = "login"

# Vietnamese first; English one click away (LocaleMiddleware + the set_language view).
LANGUAGE_CODE = "vi"
LANGUAGES = [("vi", _("Vietnamese")), ("en", _("English"))]
# KP_LOCALE_DIR lets bin/test extract the messages into a copy of the catalogue and check it is complete.
LOCALE_PATHS = [Path(env_str("KP_LOCALE_DIR", str(BASE_DIR / "locale")))]
USE_I18N = True
USE_TZ = True
TIME_ZONE = "Asia/Ho_Chi_Minh"
USE_THOUSAND_SEPARATOR = True
FORMAT_MODULE_PATH = ["config.formats"]

STATIC_URL = "static/"
STATIC_ROOT = Path(env_str("KP_STATIC_ROOT", str(BASE_DIR / "staticfiles")))
STATICFILES_DIRS = [BASE_DIR / "static"]
MEDIA_ROOT = Path(env_str("KP_MEDIA_ROOT", str(BASE_DIR / "var" / "media")))
# Where a voter import spills the good rows of its file: a folder of this user's only (voters/importing/spill.py).
VOTER_IMPORT_SPILL_DIR = Path(env_str("KP_VOTER_IMPORT_SPILL_DIR", str(BASE_DIR / "var" / "spill")))
MEDIA_URL = "media/"
# Photos of the signed paper minutes (results/tallies/photos.py): a storage of their own, never served from MEDIA_URL
# (a view checks who may see them). KP_PHOTOS_STORAGE names another backend (for example an S3-compatible one of
# django-storages) and KP_PHOTOS_STORAGE_OPTIONS its options as JSON; see docs/deploy.md.
PHOTOS_STORAGE = {
    "BACKEND": env_str("KP_PHOTOS_STORAGE", "django.core.files.storage.FileSystemStorage"),
    "OPTIONS": json.loads(
        env_str("KP_PHOTOS_STORAGE_OPTIONS", json.dumps({"location": str(BASE_DIR / "var" / "photos")}))
    ),
}
STORAGES = {
    "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
    "staticfiles": {"BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"},
    "photos": PHOTOS_STORAGE,
}

REST_FRAMEWORK = {
    "DEFAULT_AUTHENTICATION_CLASSES": [
        # Token first, so a script without valid credentials gets 401 with WWW-Authenticate: Token.
        "rest_framework.authentication.TokenAuthentication",
        "rest_framework.authentication.SessionAuthentication",
    ],
    "DEFAULT_PERMISSION_CLASSES": ["rest_framework.permissions.IsAuthenticated"],
    # JSON refused with a 400 before parsing when too large, not UTF-8 or too deep (api/parsers.py).
    "DEFAULT_PARSER_CLASSES": [
        "api.parsers.SafeJSONParser",
        "rest_framework.parsers.FormParser",
        "rest_framework.parsers.MultiPartParser",
    ],
    "DEFAULT_SCHEMA_CLASS": "drf_spectacular.openapi.AutoSchema",
    "DEFAULT_VERSIONING_CLASS": None,
    # Domain refusals (core.errors.DomainError) answer 400/403/409 with their message in the request's language.
    "EXCEPTION_HANDLER": "api.errors.exception_handler",
}
API_MAX_BODY_BYTES = env_int("KP_API_MAX_BODY_BYTES", 1024 * 1024)  # a whole constituency's tallies fit
API_MAX_JSON_DEPTH = 32  # the deepest body the interfaces define nests 4 levels

SPECTACULAR_SETTINGS = {
    "TITLE": "Kiểm Phiếu API",
    "DESCRIPTION": "Election structure, tallies, results and publication. See README.md.",
    "VERSION": "1",
    "SERVE_INCLUDE_SCHEMA": False,
    "SWAGGER_UI_DIST": "SIDECAR",
    "SWAGGER_UI_FAVICON_HREF": "SIDECAR",
    "REDOC_DIST": "SIDECAR",
    # Slugs in paths are Django's slug converter: say so in the schema, so a client (and the fuzz run) knows.
    "PATH_CONVERTER_OVERRIDES": {"slug": {"type": "string", "pattern": "^[-a-zA-Z0-9_]+$"}},
}

# Content-Security-Policy (django-csp): scripts, styles, images and fonts come from this site only, never inline;
# no plugins, no framing, forms post here only. The pages keep their scripts in static/js and their styles in
# static/css; the API documentation is served the same way (config/api_docs.py).
CONTENT_SECURITY_POLICY = {
    "DIRECTIVES": {
        "default-src": ["'self'"],
        "script-src": ["'self'"],
        "style-src": ["'self'"],
        "img-src": ["'self'", "data:"],  # data: for the second factor's QR code
        "font-src": ["'self'"],
        "connect-src": ["'self'"],
        "object-src": ["'none'"],
        "base-uri": ["'none'"],
        "frame-ancestors": ["'none'"],
        "form-action": ["'self'"],
    },
}


# django-filter: every filter's "no choice" reads the same, in the reader's language (not "---------").
FILTERS_EMPTY_CHOICE_LABEL = _("all")

LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "filters": {"refusals_without_traceback": {"()": "core.logging.RefusalsWithoutTraceback"}},
    "handlers": {"console": {"class": "logging.StreamHandler", "filters": ["refusals_without_traceback"]}},
    "root": {"handlers": ["console"], "level": env_str("KP_LOG_LEVEL", "INFO")},
    "loggers": {
        # Django's own console handler (DEBUG only) would print what reaches the root's handler a second time.
        "django": {"handlers": [], "level": "INFO"},
        # WeasyPrint narrates every rendering step at INFO.
        "weasyprint": {"level": "WARNING"},
        "fontTools": {"level": "WARNING"},
        "axes": {"level": "WARNING"},  # one line per login otherwise
    },
}

# Voter lists (voters/): the key that hides national IDs at rest (each ID encrypted as one AES block, voters/crypto.py).
# Required in production (prod.py); dev and test set a fixed, public default.
VOTER_ID_KEY = env_str("KP_VOTER_ID_KEY")
# The audit log (elections/audit.py, docs/audit.md). KP_AUDIT_KEY keys the HMAC-SHA256 of every entry; it must
# never be stored in the database or its backups. KP_AUDIT_SIGNING_KEY is the Ed25519 private key that signs the
# checkpoints published on the public site: base64 of its 32-byte seed, or PEM text; or KP_AUDIT_SIGNING_KEY_FILE
# names a PEM file (PKCS#8). Required in production (prod.py); dev and test set fixed, public defaults.
AUDIT_KEY = env_str("KP_AUDIT_KEY")
AUDIT_SIGNING_KEY = env_str("KP_AUDIT_SIGNING_KEY")
AUDIT_SIGNING_KEY_FILE = env_str("KP_AUDIT_SIGNING_KEY_FILE")
# Voter files a user may upload on the staff pages within an hour (voters/importing/uploads.py), counted in the
# audit log so every web process shares the count; the command import_voters is not limited.
VOTER_UPLOADS_PER_HOUR = env_int("KP_VOTER_UPLOADS_PER_HOUR", 20)
# The public "where do I vote" lookup: guesses per client per minute, the election-wide alarm threshold per
# minute, and the fixed floor (seconds) every answer is padded to, so a hit and a miss take the same time.
VOTER_LOOKUP_PER_CLIENT_PER_MINUTE = env_int("KP_VOTER_LOOKUP_PER_CLIENT", 5)
VOTER_LOOKUP_ALARM_PER_MINUTE = env_int("KP_VOTER_LOOKUP_ALARM", 600)
VOTER_LOOKUP_MIN_SECONDS = 0.4
# The client's address (core/http.py client_address): with 0, REMOTE_ADDR; behind N reverse proxies of our own, the
# N-th address from the right of X-Forwarded-For, the one the farthest of them saw (never the leftmost: the client's).
TRUSTED_PROXIES = env_int("KP_TRUSTED_PROXIES", 0)
if TRUSTED_PROXIES < 0:
    raise ImproperlyConfigured("KP_TRUSTED_PROXIES must be 0 or a number of proxies")
# Shared state (docs/deploy.md): Django's cache holds the public pages and open data, the lookup's counters and its
# alarm. Unset, each process has a cache of its own (right for one process); KP_CACHE_URL (redis://HOST:PORT/N) gives
# every web process on every machine one cache in Redis. KP_BROKER_URL, Redis too, is checked by the health answer.
_REDIS_SCHEMES = ("redis://", "rediss://", "unix://")
CACHE_URL = env_str("KP_CACHE_URL")
BROKER_URL = env_str("KP_BROKER_URL")
for _name, _url in (("KP_CACHE_URL", CACHE_URL), ("KP_BROKER_URL", BROKER_URL)):
    if _url and not _url.startswith(_REDIS_SCHEMES):
        raise ImproperlyConfigured(f"{_name} must be a Redis URL: redis://HOST:PORT/N")
for _old, _new in (
    ("KP_CACHE_BACKEND", "KP_CACHE_URL"),
    ("KP_CACHE_LOCATION", "KP_CACHE_URL"),
    ("KP_VOTER_LOOKUP_CLIENT_HEADER", "KP_TRUSTED_PROXIES"),
):
    if env_str(_old):  # left set, it would quietly leave each process counting on its own
        raise ImproperlyConfigured(f"{_old} is no longer read: set {_new} (README, Production deployment)")
CACHES = {
    "default": (
        {
            "BACKEND": "django.core.cache.backends.redis.RedisCache",
            "LOCATION": CACHE_URL,
            # A Redis that does not answer costs a request a second, not a hung worker (public pages are then built
            # without it, lookups refused: core/cache.py); health says which part.
            "OPTIONS": {"socket_connect_timeout": 1, "socket_timeout": 1},
        }
        if CACHE_URL
        else {"BACKEND": "django.core.cache.backends.locmem.LocMemCache", "LOCATION": "kiemphieu"}
    )
}

# The public site (public/): seconds a browser or CDN may keep a public answer before asking again
# (with If-None-Match, answered 304 while nothing changed); a release name that invalidates cached pages
# when templates change; the issuer named in the NIST SP 1500-100 export.
PUBLIC_MAX_AGE = env_int("KP_PUBLIC_MAX_AGE", 15)
# Seconds nginx in front (deploy/nginx/kiemphieu.conf) keeps a public answer (X-Accel-Expires; 0: never): short, so a
# publication is seen through it within 5 s (docs/deploy.md, "nginx"); it asks again with If-None-Match after that.
PUBLIC_PROXY_MAX_AGE = env_int("KP_PUBLIC_PROXY_MAX_AGE", 2)
PUBLIC_CACHE_RELEASE = env_str("KP_RELEASE", "0.1.0")
OPEN_DATA_ISSUER = env_str("KP_OPEN_DATA_ISSUER")
OPEN_DATA_ISSUER_ABBREVIATION = env_str("KP_OPEN_DATA_ISSUER_ABBREVIATION")
# Official minutes (results/minutes.py): the public address printed in their QR codes (empty: the address the
# issuing request came in on).
PUBLIC_BASE_URL = env_str("KP_PUBLIC_BASE_URL")
if env_str("KP_MINUTES_JOB_RUNNER"):  # ZIPs are background tasks now (TASK_RUNNER below)
    raise ImproperlyConfigured("KP_MINUTES_JOB_RUNNER is no longer read: set KP_BROKER_URL or KP_TASK_RUNNER")
# Rendering processes of a ZIP made in the web process (no broker); 0: one per core. With a broker each minute is a
# task of its own, shared by every worker.
MINUTES_WORKERS = env_int("KP_MINUTES_WORKERS", 0)
# ZIPs of an area's minutes one person may start in an hour (results/minutes/jobs.py job_create): each costs minutes
# of every core; a second request for an area and language already being zipped reuses that job and is not counted.
MINUTES_JOBS_PER_USER_PER_HOUR = env_int("KP_MINUTES_JOBS_PER_HOUR", 10)
# Background tasks (core/tasks.py): the printable voter list, the ZIPs of minutes. With KP_BROKER_URL, "celery": sent
# to Celery workers (`celery -A config worker`, config/celery.py, docs/deploy.md); without it "thread" runs them in a
# small pool of threads of the web process (KP_TASK_THREADS of them), "inline" in the request once it commits (tests).
TASK_RUNNER = env_str("KP_TASK_RUNNER", "celery" if BROKER_URL else "thread")
if TASK_RUNNER not in ("celery", "thread", "inline"):
    raise ImproperlyConfigured("KP_TASK_RUNNER must be celery, thread or inline")
if TASK_RUNNER == "celery" and not BROKER_URL:
    raise ImproperlyConfigured("KP_TASK_RUNNER=celery needs KP_BROKER_URL")
TASK_THREADS = env_int("KP_TASK_THREADS", 2)
# Work claimed by a worker that has shown no progress for this many seconds is taken to be lost (its worker died)
# and is sent again by the sweep (core.tasks.sweep: celery beat, or `manage.py sweep_tasks`).
TASK_STALE_SECONDS = env_int("KP_TASK_STALE_SECONDS", 120)
TASK_SWEEPS = ["results.minutes.jobs.sweep"]
# Celery (config/celery.py reads the CELERY_ names). A task's message is acknowledged once it has run (acks_late) and
# given back when its worker process dies (reject_on_worker_lost), so a killed worker's task runs again elsewhere; a
# worker takes one message at a time. Redis gives an unacknowledged message to another worker after the visibility
# timeout: longer than any one task (a minute renders in under a second, a whole ZIP without a broker is not a task
# of its own), short enough that a message held by a dead machine is not lost for long; the sweep is quicker still.
CELERY_BROKER_URL = BROKER_URL
CELERY_BROKER_CONNECTION_RETRY_ON_STARTUP = True
CELERY_BROKER_TRANSPORT_OPTIONS = {"visibility_timeout": env_int("KP_BROKER_VISIBILITY_TIMEOUT", 900)}
CELERY_TASK_ACKS_LATE = True
CELERY_TASK_REJECT_ON_WORKER_LOST = True
CELERY_WORKER_PREFETCH_MULTIPLIER = 1
CELERY_TASK_IGNORE_RESULT = True  # the database row says how the work went
CELERY_TASK_SERIALIZER = CELERY_RESULT_SERIALIZER = "json"
CELERY_ACCEPT_CONTENT = ["json"]
CELERY_WORKER_HIJACK_ROOT_LOGGER = False
CELERY_TIMEZONE = "UTC"
