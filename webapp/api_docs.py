"""GET /api/openapi.json: one OpenAPI document merged from every area's part.

Each area describes its own endpoints in webapp/<area>/openapi.yaml, so no one
edits a shared file; the first part found gives `info`, the others add paths
and schemas.
"""
from __future__ import annotations

from functools import lru_cache
from pathlib import Path

import yaml
from flask import Blueprint, jsonify

bp = Blueprint("api_docs", __name__)
WEBAPP = Path(__file__).resolve().parent


@lru_cache(maxsize=1)
def merged_document() -> dict:
    doc: dict = {"openapi": "3.1.0", "info": None, "paths": {}, "components": {"schemas": {}}}
    for part in sorted(WEBAPP.glob("*/openapi.yaml")):
        data = yaml.safe_load(part.read_text(encoding="utf-8")) or {}
        if doc["info"] is None and data.get("info"):
            doc["info"] = data["info"]
        for path, item in (data.get("paths") or {}).items():
            if path in doc["paths"]:
                raise ValueError(f"{part}: path {path} already described")
            doc["paths"][path] = item
        for name, schema in ((data.get("components") or {}).get("schemas") or {}).items():
            if name in doc["components"]["schemas"] and doc["components"]["schemas"][name] != schema:
                raise ValueError(f"{part}: schema {name} differs from another part's")
            doc["components"]["schemas"][name] = schema
    doc["info"] = doc["info"] or {"title": "Rester chez soi API", "version": "1.0"}
    return doc


@bp.get("/api/openapi.json")
def openapi():
    return jsonify(merged_document())
