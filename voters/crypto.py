"""National IDs at rest: a keyed HMAC-SHA256 to find and compare them, AES-256-GCM to keep the value.

A database dump shows neither the ID nor anything a 12-digit guess could be checked against without the
key (KP_VOTER_ID_KEY). Two sub-keys are derived from it, one per purpose, so the lookup digest and the
cipher never share a key. The digest is bound into the cipher as associated data: a sealed value copied
onto another voter's row no longer opens.
"""

import hashlib
import hmac
import os
from dataclasses import dataclass
from functools import lru_cache

from cryptography.exceptions import InvalidTag
from cryptography.hazmat.primitives.ciphers.aead import AESGCM
from django.conf import settings
from django.core.exceptions import ImproperlyConfigured

NONCE_BYTES = 12
_NONCE_POOL = 4096  # nonces drawn from the OS in one call: one system call per 4,096 rows, not per row


class SealBroken(Exception):
    """A sealed national ID does not open with this key (wrong key, or the row was tampered with)."""


@dataclass
class IdCipher:
    lookup_key: bytes
    aead: AESGCM
    _pool: bytes = b""
    _at: int = 0

    def digest(self, national_id: str) -> bytes:
        return hmac.digest(self.lookup_key, national_id.encode("ascii"), hashlib.sha256)

    def seal(self, national_id: str, digest: bytes) -> bytes:
        if self._at >= len(self._pool):
            self._pool, self._at = os.urandom(NONCE_BYTES * _NONCE_POOL), 0
        nonce = self._pool[self._at : self._at + NONCE_BYTES]
        self._at += NONCE_BYTES
        return nonce + self.aead.encrypt(nonce, national_id.encode("ascii"), digest)

    def open(self, sealed: bytes, digest: bytes) -> str:
        try:
            return self.aead.decrypt(bytes(sealed[:NONCE_BYTES]), bytes(sealed[NONCE_BYTES:]), bytes(digest)).decode()
        except InvalidTag:
            raise SealBroken("the national ID does not open with this key") from None


def derive(key: str) -> IdCipher:
    if not key:
        raise ImproperlyConfigured("KP_VOTER_ID_KEY is not set: voter lists need it to protect national IDs")
    root = key.encode()
    lookup = hmac.digest(root, b"kiemphieu/voter-national-id/lookup", hashlib.sha256)
    sealing = hmac.digest(root, b"kiemphieu/voter-national-id/seal", hashlib.sha256)
    return IdCipher(lookup_key=lookup, aead=AESGCM(sealing))


@lru_cache(maxsize=4)
def _cipher_for(key: str) -> IdCipher:
    return derive(key)


def id_cipher() -> IdCipher:
    """The cipher for the configured key (one per key, reused)."""
    return _cipher_for(settings.VOTER_ID_KEY)
