"""Triage: the engine (pure Python) and its JSON API blueprint `bp`."""
from webapp.triage.api import bp

__all__ = ["bp"]
