"""National IDs at rest: each ID is kept only as a token, one AES-256 block under a key the database lacks.

token = AES-256(K, b"KPID" + the 12 ASCII digits)

A single block under a block cipher is a keyed permutation, which gives everything the lists need:
- deterministic: the same ID always gives the same token, so an index on the token finds a person and a
  unique index keeps them on one list (Art. 29);
- without K a token reveals nothing but equality with another token (what any lookup digest reveals);
  a database dump holds no ID and nothing a 12-digit guess can be checked against;
- with K it opens again (`reveal`), and the fixed "KPID" prefix tells a wrong key or a damaged token
  from a good one (a wrong key gives a random block: its prefix matches once in 2**32).
K is derived from KP_VOTER_ID_KEY for this one purpose. Because every token is one block, a whole file's
IDs are sealed in one cipher call (`tokens`): the import never encrypts row by row.
"""

import hashlib
import hmac
from dataclasses import dataclass
from functools import lru_cache

import numpy as np
from cryptography.hazmat.primitives.ciphers import Cipher, algorithms, modes
from django.conf import settings
from django.core.exceptions import ImproperlyConfigured

from core.errors import Conflict

TOKEN_BYTES = 16
PREFIX = b"KPID"
# The ASCII digits of 000-999: an ID is four such groups, so its 12 digits come from four table look-ups.
_TRIPLES = np.frombuffer("".join(f"{i:03d}" for i in range(1000)).encode(), dtype=np.uint8).reshape(1000, 3)
_HEX = np.frombuffer(b"0123456789abcdef", dtype=np.uint8)


class SealBroken(Conflict):
    """A token does not open with this key (wrong key, or the stored value was damaged): the operator's to fix."""


@dataclass(frozen=True)
class IdCipher:
    key: bytes

    def _ecb(self, blocks: bytes, *, decrypt: bool = False) -> bytes:
        # ECB over independent one-block messages: each block is its own message (see the module docstring).
        cipher = Cipher(algorithms.AES(self.key), modes.ECB())  # noqa: S305
        worker = cipher.decryptor() if decrypt else cipher.encryptor()
        return worker.update(blocks) + worker.finalize()

    def token(self, national_id: str) -> bytes:
        """The token of one well-formed ID (12 ASCII digits)."""
        if len(national_id) != 12 or not national_id.isascii() or not national_id.isdigit():
            raise ValueError("a national ID is 12 digits")
        return self._ecb(PREFIX + national_id.encode("ascii"))

    def tokens(self, ids: np.ndarray) -> np.ndarray:
        """Tokens of many IDs at once: `ids` as int64 (each below 10**12), result an (n, 16) uint8 array."""
        ids = np.asarray(ids, dtype=np.int64)
        blocks = np.empty((len(ids), TOKEN_BYTES), dtype=np.uint8)
        blocks[:, :4] = np.frombuffer(PREFIX, dtype=np.uint8)
        for group, scale in enumerate((10**9, 10**6, 10**3, 1)):
            blocks[:, 4 + 3 * group : 7 + 3 * group] = _TRIPLES[(ids // scale) % 1000]
        return np.frombuffer(self._ecb(blocks.tobytes()), dtype=np.uint8).reshape(-1, TOKEN_BYTES)

    def reveal(self, token: bytes) -> str:
        """The ID a token holds; SealBroken when it does not open with this key."""
        block = self._ecb(bytes(token), decrypt=True) if len(token) == TOKEN_BYTES else b""
        if not block.startswith(PREFIX) or not block[4:].isdigit():
            raise SealBroken("the national ID does not open with this key")
        return block[4:].decode("ascii")


def token_sort(tokens: np.ndarray) -> np.ndarray:
    """The indices that put tokens in byte order (the order of the database index on tokens)."""
    halves = tokens.view(">u8")  # (n, 2): the first and the last 8 bytes, compared as numbers
    order = np.argsort(halves[:, 0])  # twice as fast as sorting on both halves
    first = halves[order, 0]
    if len(first) > 1 and bool((first[1:] == first[:-1]).any()):  # equal first halves: order by the second too
        order = np.lexsort((halves[:, 1], halves[:, 0]))
    return order


def token_order(tokens: np.ndarray) -> np.ndarray:
    """The rank of each token in byte order."""
    order = token_sort(tokens)
    rank = np.empty(len(tokens), dtype=np.int64)
    rank[order] = np.arange(len(tokens))
    return rank


def hex_tokens(tokens: np.ndarray) -> np.ndarray:
    """(n, 16) tokens as n lower-case hex strings (numpy bytes, 32 characters), for COPY and comparisons."""
    out = np.empty((len(tokens), 2 * TOKEN_BYTES), dtype=np.uint8)
    out[:, 0::2] = _HEX[tokens >> 4]
    out[:, 1::2] = _HEX[tokens & 15]
    return out.view(f"S{2 * TOKEN_BYTES}").ravel()


def derive(key: str) -> IdCipher:
    if not key:
        raise ImproperlyConfigured("KP_VOTER_ID_KEY is not set: voter lists need it to protect national IDs")
    return IdCipher(key=hmac.digest(key.encode(), b"kiemphieu/voter-national-id/token", hashlib.sha256))


@lru_cache(maxsize=4)
def _cipher_for(key: str) -> IdCipher:
    return derive(key)


def id_cipher() -> IdCipher:
    """The cipher for the configured key (one per key, reused)."""
    return _cipher_for(settings.VOTER_ID_KEY)
