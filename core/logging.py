"""Logging helpers named in settings.LOGGING."""

import logging


class RefusalsWithoutTraceback(logging.Filter):
    """Keep a refused or missing page (4xx) to one line: its traceback is the expected path, not a fault.

    Django logs `PermissionDenied` and `Http404` through `django.request` with the exception attached, which
    prints a whole traceback on the console for every ordinary "not allowed". Server errors (5xx) keep theirs.
    """

    def filter(self, record: logging.LogRecord) -> bool:
        if getattr(record, "status_code", 500) < 500:
            record.exc_info = None
            record.exc_text = None
        return True
