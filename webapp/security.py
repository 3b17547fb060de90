"""Security headers on every response.

The Content-Security-Policy allows no inline script or style: every script and
stylesheet is a file served by the app itself, nothing from a CDN.
"""
from flask import Flask

CSP = "; ".join([
    "default-src 'self'",
    "script-src 'self'",
    "style-src 'self'",
    "img-src 'self' data:",
    "font-src 'self'",
    "connect-src 'self'",
    "object-src 'none'",
    "base-uri 'none'",
    "form-action 'self'",
    "frame-ancestors 'none'",
])


# Every response's security headers, unless the view set its own.
HEADERS = (
    ("Content-Security-Policy", CSP),
    ("X-Content-Type-Options", "nosniff"),
    ("Referrer-Policy", "same-origin"),
    ("X-Frame-Options", "DENY"),
    ("Permissions-Policy", "camera=(), microphone=(), geolocation=()"),
)
PRODUCTION_HEADERS = HEADERS + (("Strict-Transport-Security", "max-age=31536000"),)


def no_store(blueprint) -> None:
    """Every answer of `blueprint` shows a household's own data (answers, a
    conversation, a letter, a referral) or a staff page: no browser or proxy
    cache keeps it, and Back asks the server again (with a fresh form token)."""
    @blueprint.after_request
    def _no_store(response):
        response.headers["Cache-Control"] = "no-store"
        return response


def init_app(app: Flask) -> None:
    headers = PRODUCTION_HEADERS if app.config.get("RCS_ENV") == "production" else HEADERS

    @app.after_request
    def _headers(response):
        # One pass over the response's headers, not one setdefault per header:
        # each setdefault scanned them three times and raised KeyError when the
        # header was absent, which it nearly always is (every request pays this).
        present = {name.lower() for name, _value in response.headers}
        response.headers.extend([(name, value) for name, value in headers if name.lower() not in present])
        if response.mimetype == "text/html":
            # Every page speaks the language of the cookie or the browser: a
            # shared cache must not give one visitor's language to the next.
            response.vary.add("Accept-Language")
            response.vary.add("Cookie")
        return response
