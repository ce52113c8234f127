"""Production: everything secret or site-specific comes from the environment; passes check --deploy."""

from django.core.exceptions import ImproperlyConfigured

from config.settings import public_keys
from config.settings.base import *  # noqa: F403
from config.settings.base import AUDIT_KEY, AUDIT_SIGNING_KEY, AUDIT_SIGNING_KEY_FILE, SECRET_KEY, VOTER_ID_KEY
from config.settings.env import env_bool, env_int, env_str

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


def _audit_signing_key_loads() -> None:
    """The checkpoints' Ed25519 key must load at start-up, not fail at the first publication (docs/audit.md).

    The same two forms as `elections.audit.signing_key`: PEM (PKCS#8) text or file, or base64 of the 32-byte seed.
    """
    import base64

    from cryptography.hazmat.primitives import serialization
    from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PrivateKey

    text = AUDIT_SIGNING_KEY
    if AUDIT_SIGNING_KEY_FILE:
        try:
            with open(AUDIT_SIGNING_KEY_FILE, encoding="ascii") as pem:
                text = pem.read()
        except (OSError, ValueError) as exc:
            raise ImproperlyConfigured(f"KP_AUDIT_SIGNING_KEY_FILE cannot be read: {exc}") from None
    text = text.strip()
    if not text:
        raise ImproperlyConfigured("KP_AUDIT_SIGNING_KEY or KP_AUDIT_SIGNING_KEY_FILE must give the audit signing key")
    try:
        if text.startswith("-----BEGIN"):
            key = serialization.load_pem_private_key(text.encode(), password=None)
        else:
            key = Ed25519PrivateKey.from_private_bytes(base64.b64decode(text, validate=True))
    except (ValueError, TypeError):  # binascii.Error is a ValueError
        key = None
    if not isinstance(key, Ed25519PrivateKey):
        raise ImproperlyConfigured("the audit signing key must be an Ed25519 private key (PEM, or base64 of 32 bytes)")


_audit_signing_key_loads()

DEBUG = False
SECURE_SSL_REDIRECT = env_bool("KP_SECURE_SSL_REDIRECT", True)
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
}
