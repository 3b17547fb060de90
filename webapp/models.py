"""Imports every model module so that Base.metadata knows all tables."""
from webapp.sessions import WebSession  # noqa: F401
from webapp.referrals import models as referrals_models  # noqa: F401
from webapp.staff import models as staff_models  # noqa: F401
from webapp.directory import store as directory_store  # noqa: F401
from webapp.chat import turns as chat_turns  # noqa: F401
