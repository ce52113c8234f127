"""Settings of the Celery workers of tests/multinode: the test settings, with files on disk (KP_MEDIA_ROOT) so that
the test process reads the ZIP a worker wrote; the database (KP_DATABASE_URL) is the test's own."""

from config.settings.test import *  # noqa: F403

STORAGES = {
    "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
    "staticfiles": {"BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"},
}
