"""The assistant in the site: blueprint `bp` (/chat), a proxy to Rasa's REST channel.

The conversation id is random, made here and kept in the server-side session:
never taken from the client. The conversation log is kept server-side too, so
the page works as a plain form without JavaScript and survives a reload.
"""
from flask import Blueprint

from webapp.security import no_store

bp = Blueprint("chat", __name__, url_prefix="/chat")
no_store(bp)   # the conversation; Back reloads the page with a fresh form token

from webapp.chat import views  # noqa: E402,F401  (routes attach to bp)
from webapp.chat import cli  # noqa: E402,F401  (`flask retention conversations`)
