"""Tests: only overrides. KP_DATABASE_URL selects PostgreSQL (as CI does); SQLite otherwise."""

from config.settings import public_keys
from config.settings.base import *  # noqa: F403
from config.settings.env import env_str

SECRET_KEY = env_str("KP_SECRET_KEY", public_keys.TEST_SECRET_KEY)
DEBUG = False
PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]
ALLOWED_HOSTS = ["testserver", "127.0.0.1", "localhost"]
STORAGES = {
    "default": {"BACKEND": "django.core.files.storage.InMemoryStorage"},
    "staticfiles": {"BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"},
    "photos": {"BACKEND": "django.core.files.storage.InMemoryStorage"},
}
# Serve static files from the apps' folders, without collectstatic, as in development.
WHITENOISE_USE_FINDERS = True
WHITENOISE_AUTOREFRESH = True
VOTER_ID_KEY = env_str("KP_VOTER_ID_KEY", public_keys.TEST_VOTER_ID_KEY)
# Keep the padded lookup quick in tests; the padding itself is tested.
VOTER_LOOKUP_MIN_SECONDS = 0.05
# core/tasks.py: tasks run when the test's transaction commits (or its callbacks are run); the Celery workers of
# tests/multinode set KP_TASK_RUNNER=celery.
TASK_RUNNER = env_str("KP_TASK_RUNNER", "inline")
# Fixed audit keys (docs/audit.md): the signing key is base64 of "test-only-audit-signing-key-0000".
AUDIT_KEY = env_str("KP_AUDIT_KEY", public_keys.TEST_AUDIT_KEY)
AUDIT_SIGNING_KEY = env_str("KP_AUDIT_SIGNING_KEY", public_keys.TEST_AUDIT_SIGNING_KEY)
# Off by default; the tests of the second factor turn it on.
SECOND_FACTOR_REQUIRED = False
