"""Translated messages for validation errors of a situation (API and forms)."""
from __future__ import annotations

from flask_babel import gettext as _

from webapp.triage.situation import FieldError


def _expected(kind: str) -> str:
    return {
        "string": _("du texte"),
        "boolean": _("true ou false"),
        "number": _("un nombre"),
        "integer": _("un nombre entier"),
        "date": _("une date au format AAAA-MM-JJ"),
    }.get(kind, kind)


def message(error: FieldError) -> str:
    p = error.params
    code = error.code
    if code == "required":
        return _("Ce champ est obligatoire.")
    if code == "unknown_field":
        return _("Champ inconnu : « %(field)s ». Retirez-le de la demande.", field=error.field)
    if code == "wrong_type":
        return _("Type incorrect : ce champ attend %(expected)s.", expected=_expected(p.get("expected", "")))
    if code == "invalid_choice":
        return _("Valeur inconnue. Valeurs possibles : %(choices)s.", choices=p.get("choices", ""))
    if code == "invalid_date":
        return _("Date impossible : écrivez une date qui existe, au format AAAA-MM-JJ (par exemple 2026-03-31).")
    if code == "out_of_range":
        return _("Valeur hors limites : elle doit être comprise entre %(min)s et %(max)s.",
                 min=p.get("min"), max=p.get("max"))
    if code == "date_in_future":
        return _("Cette date est dans le futur. Indiquez une date passée ou celle d'aujourd'hui.")
    if code == "invalid_insee":
        return _("Code commune invalide : indiquez le code INSEE à 5 chiffres (par exemple 90010 pour Belfort).")
    if code == "outside_departement":
        return _("Cette commune n'est pas dans le Territoire de Belfort. Ce service couvre les 101 communes du département (codes INSEE commençant par 90).")
    if code == "not_an_object":
        return _("Le corps de la demande doit être un objet JSON.")
    if code == "invalid_json":
        return _("Le corps de la demande n'est pas du JSON valide (en-tête Content-Type: application/json).")
    return _("Valeur incorrecte.")
