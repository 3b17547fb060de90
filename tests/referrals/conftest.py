"""Referral tests run against an app whose SMTP port is a real local server (or nothing)."""
from __future__ import annotations

import pytest

from tests.helpers import make_test_app
from tests.referrals.smtp_server import SMTPServer, free_port


@pytest.fixture
def smtp():
    server = SMTPServer().start()
    yield server
    server.stop()


@pytest.fixture
def app(tmp_path):
    # Nothing listens on this port: e-mails stay queued unless a test starts a server.
    return make_test_app(tmp_path, SMTP_HOST="127.0.0.1", SMTP_PORT=free_port(), SMTP_TIMEOUT=5.0,
                         OUTBOX_SEND_INLINE=False)


@pytest.fixture
def mail_app(tmp_path, smtp):
    """An app that sends straight to the local SMTP server."""
    return make_test_app(tmp_path, SMTP_HOST="127.0.0.1", SMTP_PORT=smtp.port, SMTP_TIMEOUT=5.0,
                         OUTBOX_SEND_INLINE=True)
