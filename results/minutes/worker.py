"""The rendering side of a minutes job, run in worker processes ("spawn": fresh interpreters).

This module imports nothing of Django at import time: a spawned worker unpickles `init` and `render`
before Django is set up, and `init` sets it up. Workers only turn data into PDF bytes; they never touch
the database, so they need no connection and see no transaction.
"""

import os
from typing import Any

_settings: dict[int, Any] = {}


def init(values: Any, settings_module: str) -> None:
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", settings_module)
    import django

    django.setup()
    _settings[0] = values


def render(item: tuple[dict[str, Any], str]) -> bytes:
    from results.minutes import rendering as documents

    data, language = item
    return documents.render_pdf(data, language, settings=_settings[0])
