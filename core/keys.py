"""The audit log's keys as the settings give them (docs/audit.md), read in one place.

The log (elections/audit.py) reads them when it writes or signs; the production settings (config/settings/prod.py)
read the signing key once at start-up, so a bad key stops the server instead of the first publication.
"""

import base64
import functools

from cryptography.hazmat.primitives import serialization
from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PrivateKey
from django.core.exceptions import ImproperlyConfigured


def audit_key(value: str) -> bytes:
    """KP_AUDIT_KEY, the key of every entry's HMAC, as bytes."""
    if not value:
        raise ImproperlyConfigured("KP_AUDIT_KEY is not set: the audit log can be neither written nor verified")
    return value.encode()


def audit_signing_key(value: str, file: str, *, missing: str) -> Ed25519PrivateKey:
    """The checkpoints' Ed25519 key: the PEM file `file` (KP_AUDIT_SIGNING_KEY_FILE) when it is named, else
    `value` (KP_AUDIT_SIGNING_KEY), PEM (PKCS#8) text or base64 of the 32-byte seed. `missing` is the refusal
    when neither gives a key."""
    text = value
    if file:
        try:
            with open(file, encoding="ascii") as pem:
                text = pem.read()
        except (OSError, ValueError) as exc:
            raise ImproperlyConfigured(f"KP_AUDIT_SIGNING_KEY_FILE cannot be read: {exc}") from None
    if not text.strip():
        raise ImproperlyConfigured(missing)
    return _ed25519_private_key(text.strip())


@functools.lru_cache(maxsize=4)
def _ed25519_private_key(text: str) -> Ed25519PrivateKey:
    key: object = None
    try:
        if text.startswith("-----BEGIN"):
            key = serialization.load_pem_private_key(text.encode(), password=None)
        else:
            key = Ed25519PrivateKey.from_private_bytes(base64.b64decode(text, validate=True))
    except (ValueError, TypeError):  # binascii.Error is a ValueError
        key = None
    if not isinstance(key, Ed25519PrivateKey):
        raise ImproperlyConfigured("the audit signing key must be an Ed25519 private key (PEM, or base64 of 32 bytes)")
    return key
