"""The situation snapshot in words, for the household's review and the staff page."""
from __future__ import annotations

import datetime as dt

from flask import current_app
from flask_babel import get_locale, gettext as _, lazy_gettext as _l

from webapp.directory import get_directory
from webapp.triage.rules import load_rules

STAGE_LABELS = {
    "arrears": _l("Impayés, pas encore de commandement de payer"),
    "commandement_de_payer": _l("Commandement de payer délivré"),
    "assignation": _l("Assignation devant le tribunal (audience prévue)"),
    "jugement": _l("Jugement rendu"),
    "commandement_de_quitter": _l("Commandement de quitter les lieux délivré"),
    "expulsion_scheduled": _l("Expulsion programmée"),
    "illegal_eviction": _l("Expulsion sans jugement (serrure changée, affaires sorties…)"),
}
ROLE_LABELS = {"tenant": _l("Locataire"), "landlord": _l("Propriétaire bailleur")}
LANDLORD_KIND_LABELS = {"private": _l("Bailleur privé"), "social": _l("Bailleur social")}
HOUSING_BENEFIT_LABELS = {"none": _l("Pas d'aide au logement"), "paid_to_tenant": _l("Versée au locataire"),
                          "paid_to_landlord": _l("Versée au propriétaire")}
OVERINDEBTEDNESS_LABELS = {"none": _l("Pas de dossier"), "filed": _l("Dossier déposé"),
                           "admissible": _l("Dossier recevable")}
URGENCY_LABELS = {"immediate": _l("Immédiate"), "high": _l("Élevée"), "normal": _l("Normale")}


def commune_name(insee: str | None) -> str | None:
    if not insee:
        return None
    commune = get_directory(current_app).commune(insee)
    return commune.name if commune else insee


def structure_name(structure_id: str, lang: str) -> str:
    structure = get_directory(current_app).structure(structure_id)
    return structure.text("name", lang) if structure else structure_id


def _lang() -> str:
    # The page's language, or French under force_locale("fr") (the e-mails to partners).
    locale = get_locale()
    return str(locale.language) if locale else "fr"


def get_rules():
    # As webapp.triage.api.get_rules, which imports this module's labels (a cycle).
    return load_rules(current_app.config["CONTENT_DIR"])


def _date(value) -> str | None:
    try:
        day = dt.date.fromisoformat(value)
    except (TypeError, ValueError):
        return None
    # The site's one date format ("2 January 2027", "1er janvier 2027"), from the rules' month names.
    return get_rules().format_date(day, _lang())


def _lease_date(request: dict) -> str | None:
    """The lease date as the household gave it: "juillet 2023 (mois seulement)", never a day it did not say."""
    precision = request.get("lease_date_precision", "day")
    if precision == "day":
        return _date(request.get("lease_date"))
    try:
        day = dt.date.fromisoformat(request.get("lease_date"))
    except (TypeError, ValueError):
        return None
    if precision == "year":
        return _("%(year)s (année seulement)", year=day.year)
    return _("%(month_year)s (mois seulement)", month_year=get_rules().format_month_year(day, _lang()))


def _euros(value) -> str | None:
    """Whole euros in the page's language: '1 800 €' in French, '€1,800' in English."""
    if isinstance(value, (int, float)) and not isinstance(value, bool):
        if _lang() == "en":
            return f"€{value:,.0f}"
        return f"{value:,.0f} €".replace(",", "\u202f")
    return None


def _yes_no(value) -> str | None:
    if value is None:
        return None
    return _("Oui") if value else _("Non")


def situation_rows(request: dict | None) -> list[tuple[str, str]]:
    """(label, value) pairs for every answer given; unanswered questions are left out."""
    if not request:
        return []
    r = request
    rows = [
        (_("Vous êtes"), ROLE_LABELS.get(r.get("role"))),
        (_("Type de bailleur"), LANDLORD_KIND_LABELS.get(r.get("landlord_kind"))),
        (_("Étape de la procédure"), STAGE_LABELS.get(r.get("stage"))),
        (_("Commune"), commune_name(r.get("commune"))),
        (_("Date du bail"), _lease_date(r)),
        (_("Date du commandement de payer"), _date(r.get("commandement_date"))),
        (_("Date de l'audience"), _date(r.get("hearing_date"))),
        (_("Jugement signifié le"), _date(r.get("judgment_served_date"))),
        (_("Commandement de quitter les lieux du"), _date(r.get("commandement_de_quitter_date"))),
        (_("Dette de loyer"), _euros(r.get("debt_eur"))),
        (_("Loyer mensuel"), _euros(r.get("rent_eur"))),
        (_("Revenus mensuels du foyer"), _euros(r.get("monthly_income_eur"))),
        (_("Personnes dans le foyer"), str(r["household_size"]) if r.get("household_size") else None),
        (_("Loyer courant repris en entier"), _yes_no(r.get("resumed_rent"))),
        (_("Aide au logement (APL/AL)"), HOUSING_BENEFIT_LABELS.get(r.get("housing_benefit"))),
        (_("Salarié·e du secteur privé"), _yes_no(r.get("private_sector_employee"))),
        (_("Autres dettes"), _yes_no(r.get("other_debts"))),
        (_("Surendettement"), OVERINDEBTEDNESS_LABELS.get(r.get("overindebtedness"))),
    ]
    return [(label, str(value)) for label, value in rows if value]


def deadline_rows(deadlines: list[dict] | None) -> list[tuple[str, str, str, bool]]:
    """(iso date, long date, label, gone by) for each computed deadline, earliest first.

    "Gone by" is judged on the day the page is read: staff open a request
    days after it was sent, and a date passed since then must say so.
    """
    from webapp.referrals.prefill import server_today

    today = server_today().isoformat()
    out = []
    for item in deadlines or []:
        shown = _date(item.get("date"))
        if shown:
            out.append((item["date"], shown, item.get("label", ""), item["date"] < today))
    return out
