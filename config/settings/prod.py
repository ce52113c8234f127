"""Production: everything secret or site-specific comes from the environment; passes check --deploy."""

from django.core.exceptions import ImproperlyConfigured

from config.settings.base import *  # noqa: F403
from config.settings.base import SECRET_KEY, VOTER_ID_KEY
from config.settings.env import env_bool, env_int

if len(SECRET_KEY) < 50:
    raise ImproperlyConfigured("KP_SECRET_KEY must be set to a random string of 50 characters or more")
if len(VOTER_ID_KEY) < 32:
    raise ImproperlyConfigured("KP_VOTER_ID_KEY must be set to a random string of 32 characters or more")

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
