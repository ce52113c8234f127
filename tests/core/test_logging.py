"""Issue 17, point 9: an expected refusal (403/404) is one line on the console, a server error keeps its traceback."""

import logging
import sys

from core.logging import RefusalsWithoutTraceback


def _record(status: int) -> logging.LogRecord:
    try:
        raise PermissionError("refused")
    except PermissionError:
        info = sys.exc_info()
    record = logging.LogRecord("django.request", logging.WARNING, __file__, 1, "Forbidden: %s", ("/x/",), info)
    record.status_code = status
    return record


def test_a_refusal_is_logged_without_its_traceback():
    record = _record(403)
    assert RefusalsWithoutTraceback().filter(record) is True
    assert record.exc_info is None
    assert "Traceback" not in logging.Formatter().format(record)


def test_a_server_error_keeps_its_traceback():
    record = _record(500)
    RefusalsWithoutTraceback().filter(record)
    assert "Traceback" in logging.Formatter().format(record)


def test_the_console_handler_uses_the_filter(settings):
    assert "refusals_without_traceback" in settings.LOGGING["handlers"]["console"]["filters"]
