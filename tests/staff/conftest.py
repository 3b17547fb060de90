"""Back-office tests: the same app set-up as the referral tests (SMTP on a port nobody uses)."""
from tests.referrals.conftest import app, mail_app, smtp  # noqa: F401  (fixtures shared with the referral tests)
