"""Production refuses to start without the audit log's keys (config/settings/prod.py, docs/audit.md)."""

import base64
import secrets
import subprocess
import sys

import pytest
from cryptography.hazmat.primitives import serialization
from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PrivateKey
from django.conf import settings

from tests.config.prod_env import production_env


def start(tmp_path, **audit_env):
    """Production with the audit keys of `audit_env` only."""
    env = {k: v for k, v in production_env(tmp_path).items() if not k.startswith("KP_AUDIT_")} | audit_env
    return subprocess.run(
        [sys.executable, "-c", "import django; django.setup()"],
        cwd=settings.BASE_DIR,
        env=env,
        capture_output=True,
        text=True,
        check=False,
    )


@pytest.fixture
def pem_file(tmp_path):
    path = tmp_path / "audit-signing.pem"
    key = Ed25519PrivateKey.generate()
    path.write_bytes(
        key.private_bytes(serialization.Encoding.PEM, serialization.PrivateFormat.PKCS8, serialization.NoEncryption())
    )
    return path


@pytest.mark.parametrize(
    ("audit_env", "message"),
    [
        ({}, "KP_AUDIT_KEY must be set"),
        ({"KP_AUDIT_KEY": "short"}, "KP_AUDIT_KEY must be set"),
        ({"KP_AUDIT_KEY": "k" * 40}, "KP_AUDIT_SIGNING_KEY or KP_AUDIT_SIGNING_KEY_FILE must give"),
        ({"KP_AUDIT_KEY": "k" * 40, "KP_AUDIT_SIGNING_KEY": "bm90IGEga2V5"}, "must be an Ed25519 private key"),
        ({"KP_AUDIT_KEY": "k" * 40, "KP_AUDIT_SIGNING_KEY_FILE": "/nonexistent.pem"}, "cannot be read"),
    ],
)
def test_production_refuses_to_start_without_good_audit_keys(tmp_path, audit_env, message):
    result = start(tmp_path, **audit_env)
    assert result.returncode != 0
    assert message in result.stderr


def test_production_starts_with_both_audit_keys(tmp_path, pem_file):
    seed = Ed25519PrivateKey.generate().private_bytes(
        serialization.Encoding.Raw, serialization.PrivateFormat.Raw, serialization.NoEncryption()
    )
    for signing in (
        {"KP_AUDIT_SIGNING_KEY_FILE": str(pem_file)},
        {"KP_AUDIT_SIGNING_KEY": base64.b64encode(seed).decode()},
    ):
        result = start(tmp_path, KP_AUDIT_KEY=secrets.token_urlsafe(32), **signing)
        assert result.returncode == 0, result.stderr
