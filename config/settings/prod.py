"""Production: everything secret or site-specific comes from the environment; passes check --deploy."""

from django.core.exceptions import ImproperlyConfigured

from config.settings import public_keys
from config.settings.base import *  # noqa: F403
from config.settings.base import AUDIT_KEY, AUDIT_SIGNING_KEY, AUDIT_SIGNING_KEY_FILE, SECRET_KEY, VOTER_ID_KEY
from config.settings.env import env_bool, env_int, env_str
from core.keys import audit_signing_key

DATABASE_URL_GIVEN = bool(env_str("KP_DATABASE_URL"))

# The demo's and the tests' keys are public (config/settings/public_keys.py): never in production.
for _name, _value in (
    ("KP_SECRET_KEY", SECRET_KEY),
    ("KP_VOTER_ID_KEY", VOTER_ID_KEY),
    ("KP_AUDIT_KEY", AUDIT_KEY),
    ("KP_AUDIT_SIGNING_KEY", AUDIT_SIGNING_KEY),
):
    if _value and _value.strip() in public_keys.PUBLIC_KEYS:
        raise ImproperlyConfigured(f"{_name} is a public development key from this repository: set a secret one")
if not DATABASE_URL_GIVEN:
    raise ImproperlyConfigured("KP_DATABASE_URL must name the production database (PostgreSQL)")
if len(SECRET_KEY) < 50:
    raise ImproperlyConfigured("KP_SECRET_KEY must be set to a random string of 50 characters or more")
if len(VOTER_ID_KEY) < 32:
    raise ImproperlyConfigured("KP_VOTER_ID_KEY must be set to a random string of 32 characters or more")
if len(AUDIT_KEY) < 32:
    raise ImproperlyConfigured("KP_AUDIT_KEY must be set to a random string of 32 characters or more")


# The checkpoints' Ed25519 key must load at start-up, not fail at the first publication (docs/audit.md).
audit_signing_key(
    AUDIT_SIGNING_KEY,
    AUDIT_SIGNING_KEY_FILE,
    missing="KP_AUDIT_SIGNING_KEY or KP_AUDIT_SIGNING_KEY_FILE must give the audit signing key",
)

DEBUG = False
SECURE_SSL_REDIRECT = env_bool("KP_SECURE_SSL_REDIRECT", True)
# A load balancer asks each web process directly, over plain HTTP, whether it is well (CONTRACT §11).
SECURE_REDIRECT_EXEMPT = [r"^api/v1/health/$"]
SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https")
SESSION_COOKIE_SECURE = True
CSRF_COOKIE_SECURE = True
SESSION_COOKIE_HTTPONLY = True
SECURE_HSTS_SECONDS = env_int("KP_HSTS_SECONDS", 31536000)
SECURE_HSTS_INCLUDE_SUBDOMAINS = env_bool("KP_HSTS_INCLUDE_SUBDOMAINS", True)
SECURE_HSTS_PRELOAD = env_bool("KP_HSTS_PRELOAD", True)
SECURE_CONTENT_TYPE_NOSNIFF = True
SECURE_REFERRER_POLICY = "same-origin"
X_FRAME_OPTIONS = "DENY"
STORAGES = {
    "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
    "staticfiles": {"BACKEND": "whitenoise.storage.CompressedManifestStaticFilesStorage"},
    "photos": PHOTOS_STORAGE,  # noqa: F405
}
