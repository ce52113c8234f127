"""The environment of a production start that passes (config/settings/prod.py), for tests that run it in a subprocess.

Shared by tests/config/test_production_refuses_public_keys.py, tests/config/test_prod_audit_keys.py and
tests/api/test_schema.py (`check --deploy` passes with it).
"""

import base64
import os
import secrets
from pathlib import Path


def production_env(tmp_path: Path) -> dict[str, str]:
    """This process's environment without its own KP_ and DJANGO_ settings, plus fresh secret keys, a host and a
    database in `tmp_path`."""
    env = {k: v for k, v in os.environ.items() if not k.startswith(("KP_", "DJANGO_"))}
    env |= {
        "DJANGO_SETTINGS_MODULE": "config.settings.prod",
        "KP_SECRET_KEY": secrets.token_urlsafe(50),
        "KP_VOTER_ID_KEY": secrets.token_urlsafe(32),
        "KP_AUDIT_KEY": secrets.token_urlsafe(32),
        "KP_AUDIT_SIGNING_KEY": base64.b64encode(secrets.token_bytes(32)).decode(),
        "KP_ALLOWED_HOSTS": "kiemphieu.example",
        "KP_DATABASE_URL": f"sqlite:///{tmp_path / 'db.sqlite3'}",
    }
    return env
