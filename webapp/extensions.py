"""Extensions created once and bound to each app in create_app."""
from __future__ import annotations

import functools
import hmac
import logging
import time

from flask import current_app, g, request, session
from flask_babel import Babel
from flask_wtf.csrf import CSRFProtect, same_origin
from itsdangerous import BadData, URLSafeTimedSerializer

# Flask-WTF's salt for its tokens (flask_wtf/csrf.py): the same tokens, signed
# by generate_csrf, are read here.
CSRF_SALT = "wtf-csrf-token"
# Flask-WTF's own logger, which its refusals went to.
logger = logging.getLogger("flask_wtf.csrf")


@functools.lru_cache(maxsize=4096)
def _verified(secret_key: str, signed: str) -> tuple[str, int]:
    """(the session's raw token, when it was signed) for a signed CSRF token.

    Raises BadData when the signature is wrong: an exception is never kept,
    so only tokens this site signed fill the cache, and a forged one is
    checked again each time. A page's token is sent with each of its chat
    messages: its signature (a key derivation, an HMAC, base64 and JSON) is
    checked once per process, not on every message.
    """
    raw, signed_at = URLSafeTimedSerializer(secret_key, salt=CSRF_SALT).loads(signed, return_timestamp=True)
    return raw, int(signed_at.timestamp())


class HeaderFirstCSRFProtect(CSRFProtect):
    """Flask-WTF's CSRF check, with the token looked for in the headers first
    and each token's signature checked once per process.

    Flask-WTF looks in the form first, so each JSON post (the chat widget's
    messages, with the token in X-CSRFToken) had its body run through the
    form parser for nothing: a twentieth of the chat message's CPU. A form
    post carries no such header and is looked up as before.

    `protect` makes the checks of Flask-WTF's `protect` and `validate_csrf`
    (1.3.0, pinned in requirements.lock) in the same order and with the same
    reasons; only the signature's verification is kept (`_verified`). The
    token's age and its match with this session's token are judged on every
    request.
    """

    def _get_csrf_token(self):
        for header_name in current_app.config["WTF_CSRF_HEADERS"]:
            token = request.headers.get(header_name)
            if token:
                return token
        return super()._get_csrf_token()

    def protect(self, apply_exemptions=False):
        if apply_exemptions and (not request.endpoint or self._is_exempt()):
            return
        config = current_app.config
        if request.method not in config["WTF_CSRF_METHODS"]:
            return
        reason = self._refusal(self._get_csrf_token(), config)
        if reason:
            logger.info(reason)
            self._error_response(reason)
        if request.is_secure and config["WTF_CSRF_SSL_STRICT"]:
            if not request.referrer:
                self._error_response("The referrer header is missing.")
            if not same_origin(request.referrer, f"https://{request.host}/"):
                self._error_response("The referrer does not match the host.")
        g.csrf_valid = True

    @staticmethod
    def _refusal(signed: str | None, config) -> str | None:
        """Why this token is refused (Flask-WTF's reasons), or None when it is good."""
        if not signed:
            return "The CSRF token is missing."
        field_name = config["WTF_CSRF_FIELD_NAME"]
        if field_name not in session:
            return "The CSRF session token is missing."
        try:
            raw, signed_at = _verified(config.get("WTF_CSRF_SECRET_KEY") or current_app.secret_key, signed)
        except BadData:
            return "The CSRF token is invalid."
        time_limit = config["WTF_CSRF_TIME_LIMIT"]
        if time_limit is not None:
            age = int(time.time()) - signed_at
            # itsdangerous's rule: too old, or signed in the future.
            if age > time_limit or age < 0:
                return "The CSRF token has expired."
        expected = session[field_name]
        if not (isinstance(raw, str) and isinstance(expected, str) and hmac.compare_digest(expected, raw)):
            return "The CSRF tokens do not match."
        return None


babel = Babel()
csrf = HeaderFirstCSRFProtect()
