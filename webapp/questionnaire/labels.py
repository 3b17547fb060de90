"""Headings for each orientation kind on the result pages."""
from flask_babel import lazy_gettext as _l

KIND_LABELS = {
    "cdad": _l("CDAD (accès au droit)"),
    "social_worker": _l("Assistante sociale du Département"),
    "fsl": _l("Fonds de solidarité pour le logement (FSL)"),
    "caf": _l("CAF (aide au logement)"),
    "banque_de_france": _l("Banque de France (surendettement)"),
    "action_logement": _l("Action Logement"),
    "police": _l("Police ou gendarmerie : 17"),
    "dalo": _l("Recours DALO (droit au logement opposable)"),
    "helpline": _l("Ligne d'écoute gratuite"),
}
