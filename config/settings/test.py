"""Tests: only overrides. KP_DATABASE_URL selects PostgreSQL (as CI does); SQLite otherwise."""

from config.settings.base import *  # noqa: F403
from config.settings.env import env_str

SECRET_KEY = env_str("KP_SECRET_KEY", "test-secret-key-0123456789abcdef0123456789abcdef")
DEBUG = False
PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]
ALLOWED_HOSTS = ["testserver", "127.0.0.1", "localhost"]
STORAGES = {
    "default": {"BACKEND": "django.core.files.storage.InMemoryStorage"},
    "staticfiles": {"BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"},
}
# Serve static files from the apps' folders, without collectstatic, as in development.
WHITENOISE_USE_FINDERS = True
WHITENOISE_AUTOREFRESH = True
VOTER_ID_KEY = env_str("KP_VOTER_ID_KEY", "test-voter-id-key-0123456789abcdef0123456789abcdef")
# Keep the padded lookup quick in tests; the padding itself is tested.
VOTER_LOOKUP_MIN_SECONDS = 0.05
# Background jobs run inside the request in tests (a separate process cannot see the test database).
MINUTES_JOB_RUNNER = "inline"
