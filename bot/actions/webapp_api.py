"""Client for the site's JSON API: the only place the bot learns rules and contacts from.

The bot never computes a deadline or a stage itself; it sends what the
household said to ``POST /api/triage`` and relays the answer. Contact details
come from the directory (``GET /api/structures/<id>``).
"""
import os
from typing import Any, Dict, List, Optional
from urllib.parse import quote

import requests

DEFAULT_BASE_URL = "http://127.0.0.1:5000"
# Rasa waits for the action server; a slow site must not freeze the chat.
DEFAULT_TIMEOUT_S = 4.0


class WebappUnavailable(Exception):
    """The site did not answer, or answered something unusable."""


class TriageRejected(Exception):
    """The site refused the request (HTTP 400) and said which field is wrong."""

    def __init__(self, errors: List[Dict[str, str]]):
        super().__init__("; ".join(f"{e.get('field')}: {e.get('message')}" for e in errors))
        self.errors = errors


class WebappApi:
    def __init__(self, base_url: Optional[str] = None, timeout: float = DEFAULT_TIMEOUT_S):
        self.base_url = (base_url or os.environ.get("WEBAPP_API_URL") or DEFAULT_BASE_URL).rstrip("/")
        self.timeout = timeout

    def triage(self, situation: Dict[str, Any]) -> Dict[str, Any]:
        """Return the site's orientation for this situation."""
        try:
            response = requests.post(
                f"{self.base_url}/api/triage", json=situation, timeout=self.timeout
            )
        except requests.RequestException as exc:
            raise WebappUnavailable(str(exc)) from exc
        if response.status_code == 400:
            raise TriageRejected(_json(response).get("errors") or [])
        if response.status_code != 200:
            raise WebappUnavailable(f"HTTP {response.status_code}")
        return _json(response)

    def find_communes(self, query: str) -> List[Dict[str, Any]]:
        """Return the communes of the département matching a name or postcode."""
        try:
            response = requests.get(
                f"{self.base_url}/api/communes", params={"q": query}, timeout=self.timeout
            )
        except requests.RequestException as exc:
            raise WebappUnavailable(str(exc)) from exc
        if response.status_code != 200:
            raise WebappUnavailable(f"HTTP {response.status_code}")
        communes = _json(response).get("communes")
        if not isinstance(communes, list):
            raise WebappUnavailable("no 'communes' list in the answer")
        return communes

    def structure(self, structure_id: str, lang: str) -> Optional[Dict[str, Any]]:
        """One structure of the directory in ``lang``; None when the directory has no such id."""
        try:
            response = requests.get(
                f"{self.base_url}/api/structures/{quote(structure_id, safe='')}",
                params={"lang": lang}, timeout=self.timeout,
            )
        except requests.RequestException as exc:
            raise WebappUnavailable(str(exc)) from exc
        if response.status_code == 404:
            return None
        if response.status_code != 200:
            raise WebappUnavailable(f"HTTP {response.status_code}")
        structure = _json(response).get("structure")
        if not isinstance(structure, dict):
            raise WebappUnavailable("no 'structure' object in the answer")
        return structure


def _json(response: requests.Response) -> Dict[str, Any]:
    try:
        body = response.json()
    except ValueError as exc:
        raise WebappUnavailable("answer is not JSON") from exc
    if not isinstance(body, dict):
        raise WebappUnavailable("answer is not a JSON object")
    return body
