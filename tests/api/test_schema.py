"""The OpenAPI schema is a valid OpenAPI 3 document, and the docs page works offline."""

import pytest
import yaml
from django.test import Client
from drf_spectacular.validation import validate_schema


@pytest.mark.django_db
def test_schema_is_valid_openapi_3():
    response = Client().get("/api/schema/", HTTP_ACCEPT="application/vnd.oai.openapi+json")
    assert response.status_code == 200
    schema = response.json() if response["Content-Type"].endswith("json") else yaml.safe_load(response.content)
    assert schema["openapi"].startswith("3.")
    validate_schema(schema)  # raises on an invalid document
    assert "/api/v1/elections/{election}/polling-units/{code}/" in schema["paths"]


@pytest.mark.django_db
def test_docs_page_loads_nothing_from_outside():
    html = Client().get("/api/docs/").content.decode()
    assert "swagger-ui" in html
    assert "cdn" not in html.lower()
    assert "https://" not in html


def test_production_settings_pass_check_deploy(tmp_path):
    import os
    import secrets
    import subprocess
    import sys

    env = {k: v for k, v in os.environ.items() if k != "DJANGO_ALLOW_ASYNC_UNSAFE"}
    env |= {
        "DJANGO_SETTINGS_MODULE": "config.settings.prod",
        "KP_SECRET_KEY": secrets.token_urlsafe(50),
        "KP_VOTER_ID_KEY": secrets.token_urlsafe(32),
        "KP_ALLOWED_HOSTS": "kiemphieu.example",
        "KP_DATABASE_URL": f"sqlite:///{tmp_path / 'db.sqlite3'}",
    }
    result = subprocess.run(
        [sys.executable, "manage.py", "check", "--deploy", "--fail-level", "WARNING"],
        env=env,
        capture_output=True,
        text=True,
        check=False,
    )
    assert result.returncode == 0, result.stdout + result.stderr
    assert "no issues" in result.stdout
