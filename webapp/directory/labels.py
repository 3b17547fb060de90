"""Translated labels for structure types and orientation kinds."""
from __future__ import annotations

from flask_babel import lazy_gettext as _l

TYPE_LABELS = {
    "esd": _l("Espace des solidarités départementales"),
    "esd_antenne": _l("Antenne d'un Espace des solidarités"),
    "cdad": _l("Accès au droit (CDAD)"),
    "point_justice": _l("Point-justice"),
    "fsl": _l("Fonds de solidarité pour le logement (FSL)"),
    "caf": _l("CAF"),
    "france_services": _l("France services"),
    "banque_de_france": _l("Banque de France (surendettement)"),
    "ccapex": _l("CCAPEX"),
    "prefecture": _l("Préfecture"),
    "departement": _l("Département"),
    "tribunal": _l("Tribunal"),
    "social_landlord": _l("Bailleur social"),
    "ccas": _l("CCAS"),
    "action_logement": _l("Action Logement"),
    "dalo": _l("Droit au logement opposable (DALO)"),
    "helpline": _l("Numéro d'aide national"),
}

CONTACT_LABELS = {
    "address": _l("Adresse"),
    "phone": _l("Téléphone"),
    "email": _l("Courriel"),
    "website": _l("Site internet"),
    "opening_hours": _l("Horaires"),
    "referral": _l("Comment la joindre"),
}
