"""JSON API of the référentiel: communes, structures, nearest structure for an orientation kind."""
from __future__ import annotations

from flask import current_app, jsonify, request, url_for
from flask_babel import force_locale, get_locale
from flask_babel import gettext as _

from . import bp, get_directory
from .model import KINDS, STRUCTURE_TYPES

MAX_QUERY_LENGTH = 100


class _BadRequest(Exception):
    """One or more invalid parameters; every one is reported, not just the first."""

    def __init__(self, field: str | None = None, message: str | None = None, status: int = 400,
                 errors: list[dict] | None = None):
        self.errors = errors if errors is not None else [{"field": field, "message": message}]
        self.status = status
        super().__init__(self.errors)


def _lang() -> str:
    lang = request.args.get("lang")
    if lang is None:
        return str(get_locale().language)
    if lang not in current_app.config["LANGUAGES"]:
        raise _BadRequest("lang", _("Langue inconnue : choisissez fr ou en."))
    return lang


@bp.errorhandler(_BadRequest)
def _bad_request(error: _BadRequest):
    return jsonify({"errors": error.errors}), error.status


def _with_lang(view):
    """Run the view in the requested language, so error messages match it."""
    def wrapper(*args, **kwargs):
        lang = _lang()
        with force_locale(lang):
            return view(lang, *args, **kwargs)
    wrapper.__name__ = view.__name__
    wrapper.__doc__ = view.__doc__
    return wrapper


def _structure_json(structure, lang: str) -> dict:
    data = structure.public_dict(lang)
    data["page"] = url_for("directory.structure_page", structure_id=structure.id, _external=False)
    return data


def _commune_param(directory, name: str = "commune", required: bool = False):
    value = (request.args.get(name) or "").strip()
    if not value:
        if required:
            raise _BadRequest(name, _("Indiquez le code INSEE d'une commune du Territoire de Belfort."))
        return None
    commune = directory.commune(value)
    if commune is None:
        raise _BadRequest(name, _("« %(value)s » n'est pas le code INSEE d'une commune du Territoire de Belfort.",
                                  value=value[:MAX_QUERY_LENGTH]))
    return commune


@bp.get("/api/communes")
@_with_lang
def api_communes(lang: str):
    query = (request.args.get("q") or "").strip()
    if not query:
        raise _BadRequest("q", _("Indiquez un code postal, un nom de commune ou un code INSEE."))
    if len(query) > MAX_QUERY_LENGTH:
        raise _BadRequest("q", _("La recherche est trop longue (%(max)d caractères au plus).", max=MAX_QUERY_LENGTH))
    communes = get_directory().find_communes(query)
    return jsonify({"communes": [c.as_dict() for c in communes]})


def _collect(*checks):
    """Run each parameter check; raise one _BadRequest listing all failures."""
    values, errors = [], []
    for check in checks:
        try:
            values.append(check())
        except _BadRequest as exc:
            errors.extend(exc.errors)
            values.append(None)
    if errors:
        raise _BadRequest(errors=errors)
    return values


def _type_param():
    type_ = (request.args.get("type") or "").strip() or None
    if type_ is not None and type_ not in STRUCTURE_TYPES:
        raise _BadRequest("type", _("Type de structure inconnu. Types possibles : %(types)s.",
                                    types=", ".join(STRUCTURE_TYPES)))
    return type_


def _kind_param():
    kind = (request.args.get("kind") or "").strip()
    if kind not in KINDS:
        raise _BadRequest("kind", _("Type d'orientation inconnu. Valeurs possibles : %(kinds)s.",
                                    kinds=", ".join(KINDS)))
    return kind


@bp.get("/api/structures")
@_with_lang
def api_structures(lang: str):
    directory = get_directory()
    type_, commune = _collect(_type_param, lambda: _commune_param(directory))
    structures = directory.structures(type=type_, commune=commune.insee if commune else None)
    return jsonify({"structures": [_structure_json(s, lang) for s in structures]})


@bp.get("/api/structures/<structure_id>")
@_with_lang
def api_structure(lang: str, structure_id: str):
    structure = get_directory().structure(structure_id)
    if structure is None:
        raise _BadRequest("id", _("Aucune structure ne porte cet identifiant."), status=404)
    return jsonify({"structure": _structure_json(structure, lang)})


@bp.get("/api/nearest")
@_with_lang
def api_nearest(lang: str):
    directory = get_directory()
    commune, kind = _collect(lambda: _commune_param(directory, required=True), _kind_param)
    structure = directory.nearest(commune.insee, kind)
    return jsonify({
        "commune": commune.as_dict(),
        "kind": kind,
        "structure": _structure_json(structure, lang) if structure else None,
        "sector_provisional": kind == "social_worker" and directory.sectors.provisional,
    })
