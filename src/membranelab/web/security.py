"""Personal tokens and CSRF tokens.

* A personal token is 32 random bytes from :mod:`secrets` (URL-safe text).  Only its SHA-256
  hash is stored; a presented token is hashed and the hashes compared with
  :func:`hmac.compare_digest` (constant time).  A random 256-bit token needs no slow hash: there
  is nothing to guess from its hash.
* A CSRF token is HMAC-SHA256(server secret, session id): a form or ``fetch`` carries it back
  (field ``csrf`` or header ``X-CSRF-Token``) and it is checked in constant time.  Another site can
  neither read it nor compute it.
* A submission id comes from the client (the page makes one per answer, so a re-sent request is
  recorded once); :func:`scoped_uid` stores it as SHA-256 of (student, id), so an id borrowed
  from another student names nothing of theirs: it is a fresh id of the borrower's own.
* Signing in by link (``GET /login?token=``) only shows a confirmation form; its POST carries a
  sign-in CSRF token, HMAC(server secret, nonce) where the nonce is a SameSite=Strict cookie set
  with the form (:func:`login_nonce`, :func:`login_csrf`), so another site can neither submit
  it nor sign a visitor in to an account of its choosing.
"""

from __future__ import annotations

import hashlib
import hmac
import secrets

from membranelab.service.spreadsheet import FORMULA_START

__all__ = [
    "csrf_token",
    "csrf_valid",
    "hash_token",
    "login_csrf",
    "login_nonce",
    "new_secret",
    "new_token",
    "same_hash",
    "scoped_uid",
]

_TOKEN_BYTES = 32


def new_token() -> str:
    """A fresh personal token (43 URL-safe characters, about 256 random bits), never starting
    with ``-``: a spreadsheet opening the tokens file would read such a cell as a formula, and
    the file escapes it (:mod:`membranelab.service.spreadsheet`), which would change the token."""
    while True:
        token = secrets.token_urlsafe(_TOKEN_BYTES)
        if token[0] not in FORMULA_START:
            return token


def new_secret() -> bytes:
    """A fresh server secret for CSRF tokens."""
    return secrets.token_bytes(_TOKEN_BYTES)


def hash_token(token: str) -> str:
    """The stored form of a token: hex SHA-256 of its UTF-8 bytes."""
    return hashlib.sha256(token.encode("utf-8", "surrogatepass")).hexdigest()


def same_hash(a: str, b: str) -> bool:
    """Constant-time comparison of two stored hashes."""
    return hmac.compare_digest(a.encode("ascii", "replace"), b.encode("ascii", "replace"))


def csrf_token(secret: bytes, session: str) -> str:
    """The CSRF token of a session (hex HMAC-SHA256)."""
    return hmac.new(secret, f"csrf\x1f{session}".encode(), hashlib.sha256).hexdigest()


def csrf_valid(secret: bytes, session: str, presented: str | None) -> bool:
    """True when ``presented`` is the session's CSRF token (constant time)."""
    if not presented or len(presented) > 128:
        return False
    expected = csrf_token(secret, session)
    return hmac.compare_digest(expected.encode(), presented.encode("utf-8", "replace"))


def scoped_uid(student: str, uid: str) -> str:
    """The stored id of a client's submission id ``uid`` for ``student`` (hex SHA-256, 64
    characters): the same student re-sending the same id finds their submission, nobody else
    does."""
    return hashlib.sha256(f"uid\x1f{student}\x1f{uid}".encode("utf-8", "surrogatepass")
                          ).hexdigest()


def login_nonce() -> str:
    """A fresh nonce for the sign-in form's cookie."""
    return secrets.token_urlsafe(_TOKEN_BYTES)


def login_csrf(secret: bytes, nonce: str) -> str:
    """The sign-in form's CSRF token for the nonce in its cookie (hex HMAC-SHA256)."""
    return hmac.new(secret, f"login\x1f{nonce}".encode("utf-8", "replace"),
                    hashlib.sha256).hexdigest()
