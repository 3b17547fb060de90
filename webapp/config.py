"""Typed configuration read from the environment.

Every setting has a documented default that works on a developer machine with
nothing installed (SQLite, in-memory caches). Production must set SECRET_KEY.
"""
from __future__ import annotations

import os
import secrets
from dataclasses import dataclass, field, fields
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent


def _bool(value: str) -> bool:
    return value.strip().lower() in {"1", "true", "yes", "on"}


def shared_development_key(path: Path) -> str:
    """The key kept in `path`, made on first use (readable by its owner only).

    Two workers starting at once may both find no file: each writes a
    complete file of its own and links it into place, so the first link wins
    and neither ever reads a half-written key.
    """
    try:
        return _key_in(path)
    except FileNotFoundError:
        pass
    path.parent.mkdir(parents=True, exist_ok=True)
    draft = path.with_name(f".{path.name}.{os.getpid()}.{secrets.token_hex(4)}")
    descriptor = os.open(draft, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
    with os.fdopen(descriptor, "w", encoding="ascii") as file:
        file.write(secrets.token_hex(32) + "\n")
    try:
        os.link(draft, path)
    except FileExistsError:
        pass
    finally:
        draft.unlink()
    return _key_in(path)


def _key_in(path: Path) -> str:
    key = path.read_text(encoding="ascii").strip()
    if not key:
        raise RuntimeError(f"{path} is empty: delete it, or set SECRET_KEY")
    return key


@dataclass
class Config:
    """Settings; each field maps to the environment variable of the same name."""

    # development | testing | production
    RCS_ENV: str = "development"
    # Required in production. In development an empty key is replaced by the
    # one kept in SECRET_KEY_FILE, made on first use: every process must sign
    # with the same key, and `make run` serves the site with two gunicorn
    # workers (a key drawn per process failed the CSRF check of any form
    # posted to the other worker). Testing draws one per process.
    SECRET_KEY: str = ""
    SECRET_KEY_FILE: str = str(ROOT / "instance" / "secret_key")
    # SQLAlchemy URL. PostgreSQL in production: postgresql+psycopg://user:pw@host/db
    DATABASE_URL: str = f"sqlite:///{ROOT / 'instance' / 'rester-chez-soi.sqlite3'}"
    # Connections kept per process (PostgreSQL); SQLite opens one per use.
    DB_POOL_SIZE: int = 10
    DB_MAX_OVERFLOW: int = 20
    # Apply Alembic migrations when the app starts (off in production: run `make setup`).
    AUTO_MIGRATE: bool = True
    # Markdown pages and rule data.
    CONTENT_DIR: str = str(ROOT / "content")
    # Full-text index (SQLite FTS5, whatever the main database is).
    SEARCH_INDEX_PATH: str = str(ROOT / "instance" / "search.sqlite3")
    # A page whose review date is older than this fails the content checks.
    CONTENT_MAX_AGE_DAYS: int = 365
    # Keep rendered content pages in memory, per language and content version
    # (on by default in production, where the files do not change under the server).
    CONTENT_PAGE_CACHE: bool = False
    LANGUAGES: tuple[str, ...] = ("fr", "en")
    BABEL_DEFAULT_LOCALE: str = "fr"
    BABEL_TRANSLATION_DIRECTORIES: str = str(ROOT / "translations")
    # Server-side session lifetime (questionnaire answers, chat id), in minutes.
    SESSION_LIFETIME_MINUTES: int = 120
    # Largest accepted request body, in bytes.
    MAX_CONTENT_LENGTH: int = 1_000_000
    # Local Rasa server(s), REST channel: one URL, or several comma-separated
    # (each conversation always goes to the same one); timeout in seconds.
    RASA_URL: str = "http://127.0.0.1:5005"
    RASA_TIMEOUT: float = 5.0
    # Longest chat message accepted, in characters, and messages per minute per session.
    CHAT_MAX_MESSAGE_LENGTH: int = 500
    CHAT_RATE_LIMIT_PER_MINUTE: int = 20
    # Rasa's SQL tracker store (production), as an SQLAlchemy URL for the site's
    # drivers (postgresql+psycopg://…): its conversations are deleted
    # CHAT_RETENTION_HOURS after their last message (`flask retention
    # conversations`). Empty: the in-memory store, which deletes them itself
    # (bot/addons/idle_tracker_store.py; the launchers pass it this setting).
    RASA_TRACKER_DB_URL: str = ""
    CHAT_RETENTION_HOURS: int = 24
    # Outgoing e-mail.
    SMTP_HOST: str = "localhost"
    SMTP_PORT: int = 25
    MAIL_FROM: str = "ne-pas-repondre@rester-chez-soi.localhost"
    # --- referrals and staff back office (issue 6)
    # Seconds to wait for the SMTP server before giving up (the outbox retries later).
    SMTP_TIMEOUT: float = 10.0
    # SMTP login and STARTTLS, for a relay that requires them (empty user: no login).
    SMTP_USERNAME: str = ""
    SMTP_PASSWORD: str = ""
    SMTP_STARTTLS: bool = False
    # Try to send new e-mails right after a referral is confirmed; the outbox
    # command (cron) retries whatever failed, so turning this off loses nothing.
    OUTBOX_SEND_INLINE: bool = True
    # A message still failing after this many attempts is marked failed (kept, listed).
    OUTBOX_MAX_ATTEMPTS: int = 20
    # Sent messages are deleted after this many days (they hold the household's e-mail).
    OUTBOX_RETENTION_DAYS: int = 30
    # Public base URL put in e-mails sent to staff (link to the back office).
    PUBLIC_BASE_URL: str = "http://localhost:5000"
    # Directory structure types that receive referrals online (the charte's partners).
    REFERRAL_STRUCTURE_TYPES: tuple[str, ...] = ("cdad", "fsl", "esd", "esd_antenne")
    # A referral still "nouvelle" after this many hours triggers a reminder to its structure.
    REFERRAL_REMINDER_HOURS: int = 72
    # Closed or refused cases are anonymised this many months after their last closure.
    RETENTION_CLOSED_MONTHS: int = 24
    # A referral started (consent given) but never confirmed is deleted after this many hours.
    DRAFT_RETENTION_HOURS: int = 24
    # Audit-log entries are deleted after this many months.
    AUDIT_RETENTION_MONTHS: int = 12
    # Failed staff logins for one address within LOGIN_WINDOW_MINUTES before logins are refused.
    LOGIN_MAX_FAILURES: int = 5
    LOGIN_WINDOW_MINUTES: int = 15
    # A staff session ends after this many minutes without activity.
    STAFF_SESSION_MINUTES: int = 30
    WTF_CSRF_ENABLED: bool = True
    TESTING: bool = False
    extra: dict = field(default_factory=dict)

    @classmethod
    def from_env(cls, environ: dict | None = None) -> "Config":
        """Build the configuration from environment variables."""
        environ = os.environ if environ is None else environ
        values = {}
        for f in fields(cls):
            if f.name == "extra" or f.name not in environ:
                continue
            raw = environ[f.name]
            default = getattr(cls, f.name)
            if isinstance(default, bool):
                values[f.name] = _bool(raw)
            elif isinstance(default, int):
                values[f.name] = int(raw)
            elif isinstance(default, float):
                values[f.name] = float(raw)
            elif isinstance(default, tuple):
                values[f.name] = tuple(x.strip() for x in raw.split(",") if x.strip())
            else:
                values[f.name] = raw
        config = cls(**values)
        config.finish()
        return config

    def finish(self) -> None:
        if self.RCS_ENV == "production":
            if not self.SECRET_KEY:
                raise RuntimeError("SECRET_KEY must be set outside development")
            self.AUTO_MIGRATE = False
            self.CONTENT_PAGE_CACHE = True
        elif not self.SECRET_KEY and self.RCS_ENV == "development":
            self.SECRET_KEY = shared_development_key(Path(self.SECRET_KEY_FILE))
        elif not self.SECRET_KEY:
            self.SECRET_KEY = secrets.token_hex(32)

    def as_flask(self) -> dict:
        data = {f.name: getattr(self, f.name) for f in fields(self) if f.name != "extra"}
        data.update(self.extra)
        data["SESSION_COOKIE_HTTPONLY"] = True
        data["SESSION_COOKIE_SAMESITE"] = "Lax"
        data["SESSION_COOKIE_SECURE"] = self.RCS_ENV == "production"
        return data
