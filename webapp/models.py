"""Imports every model module so that Base.metadata knows all tables."""
from webapp.sessions import WebSession  # noqa: F401
