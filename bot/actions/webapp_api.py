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
        response = self._call("post", "/api/triage", json=situation)
        if response.status_code == 400:
            raise TriageRejected(_json(response).get("errors") or [])
        return _part(response, None, dict)

    def find_communes(self, query: str) -> List[Dict[str, Any]]:
        """Return the communes of the département matching a name or postcode."""
        return _part(self._call("get", "/api/communes", params={"q": query}), "communes", list)

    def structure(self, structure_id: str, lang: str) -> Optional[Dict[str, Any]]:
        """One structure of the directory in ``lang``; None when the directory has no such id."""
        response = self._call("get", f"/api/structures/{quote(structure_id, safe='')}",
                              params={"lang": lang})
        if response.status_code == 404:
            return None
        return _part(response, "structure", dict)

    def _call(self, method: str, path: str, **kwargs: Any) -> requests.Response:
        try:
            return requests.request(method, f"{self.base_url}{path}", timeout=self.timeout, **kwargs)
        except requests.RequestException as exc:
            raise WebappUnavailable(str(exc)) from exc


def _part(response: requests.Response, name: Optional[str], kind: type) -> Any:
    """The answer (or its `name` member) of a 200 response, checked to be a `kind`."""
    if response.status_code != 200:
        raise WebappUnavailable(f"HTTP {response.status_code}")
    value = _json(response)
    if name is not None:
        value = value.get(name)
    if not isinstance(value, kind):
        raise WebappUnavailable(f"no '{name}' {kind.__name__} in the answer")
    return value


def _json(response: requests.Response) -> Dict[str, Any]:
    try:
        body = response.json()
    except ValueError as exc:
        raise WebappUnavailable("answer is not JSON") from exc
    if not isinstance(body, dict):
        raise WebappUnavailable("answer is not a JSON object")
    return body
