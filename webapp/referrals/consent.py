"""The consent text the household agrees to, versioned.

The stored case keeps the version and the exact text shown, in the language
shown, so that what was agreed can be proved later even after the wording
changes. Change CONSENT_VERSION whenever the wording changes.
"""
from __future__ import annotations

from flask import current_app
from flask_babel import gettext as _

CONSENT_VERSION = "2026-11-24.1"


def consent_paragraphs() -> list[str]:
    months = current_app.config["RETENTION_CLOSED_MONTHS"]
    return [
        _("Qui verra vos informations : uniquement les personnes des structures que vous cochez ci-dessus "
          "(par exemple le CDAD, le FSL ou l'Espace des solidarités départementales), avec un compte personnel. "
          "Si l'une d'elles pense qu'une autre structure partenaire peut mieux vous aider, elle vous demande "
          "votre accord avant de lui transmettre votre demande. Personne d'autre, et jamais votre propriétaire."),
        _("Pour quoi faire : vous rappeler, comprendre votre situation sans vous la faire répéter, "
          "et vous aider à agir avant vos échéances."),
        _("Pendant combien de temps : tant que votre demande est suivie, puis %(months)s mois après sa clôture. "
          "Ensuite votre nom, vos coordonnées et votre récit sont effacés ; seules restent des données "
          "anonymes pour les statistiques.", months=months),
        _("Vous pouvez demander à voir, corriger ou effacer vos informations en donnant votre numéro "
          "de demande à la structure qui vous accompagne."),
    ]


def consent_text() -> str:
    return "\n".join(consent_paragraphs())
