"""Issue 14, point 5: production refuses the repository's public keys and a missing database address."""

import subprocess
import sys
from pathlib import Path

import pytest

from config.settings import public_keys
from tests.config.prod_env import production_env

ROOT = Path(__file__).resolve().parents[2]


def _check_deploy(env: dict[str, str]) -> subprocess.CompletedProcess[str]:
    command = [sys.executable, "manage.py", "check", "--deploy"]
    return subprocess.run(command, cwd=ROOT, env=env, capture_output=True, text=True, check=False)


def _load_settings(env: dict[str, str]) -> subprocess.CompletedProcess[str]:
    """Only import the production settings: what `check --deploy` does first, in a fraction of its time."""
    command = [sys.executable, "-c", "import config.settings.prod"]
    return subprocess.run(command, cwd=ROOT, env=env, capture_output=True, text=True, check=False)


@pytest.mark.parametrize(
    ("variable", "value"),
    [
        ("KP_SECRET_KEY", public_keys.DEV_SECRET_KEY),
        ("KP_VOTER_ID_KEY", public_keys.DEV_VOTER_ID_KEY),
        ("KP_AUDIT_KEY", public_keys.DEV_AUDIT_KEY),
        ("KP_AUDIT_SIGNING_KEY", public_keys.DEV_AUDIT_SIGNING_KEY),
        ("KP_VOTER_ID_KEY", public_keys.TEST_VOTER_ID_KEY),
        ("KP_AUDIT_SIGNING_KEY", public_keys.TEST_AUDIT_SIGNING_KEY),
    ],
)
def test_production_settings_refuse_a_development_key(tmp_path, variable, value):
    result = _load_settings(production_env(tmp_path) | {variable: value})
    assert result.returncode != 0
    assert f"{variable} is a public development key" in result.stderr


def test_production_settings_refuse_to_start_without_a_database_address(tmp_path):
    env = production_env(tmp_path)
    del env["KP_DATABASE_URL"]
    result = _load_settings(env)
    assert result.returncode != 0 and "KP_DATABASE_URL" in result.stderr


def test_check_deploy_fails_on_the_demos_voter_id_key(tmp_path):
    """The same settings with secret keys pass `check --deploy`: tests/api/test_schema.py."""
    refused = _check_deploy(production_env(tmp_path) | {"KP_VOTER_ID_KEY": public_keys.DEV_VOTER_ID_KEY})
    assert refused.returncode != 0 and "KP_VOTER_ID_KEY is a public development key" in refused.stderr
