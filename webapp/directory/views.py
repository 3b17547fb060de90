"""Public pages of the directory: list with filters, one page per structure, "find my contacts".

Server-rendered GET forms only: everything works without JavaScript.
"""
from __future__ import annotations

from flask import abort, render_template, request
from flask_babel import get_locale
from flask_babel import gettext as _

from . import NATIONAL_HELPLINES, bp, get_directory
from .labels import CONTACT_LABELS, TYPE_LABELS
from .model import CONTACT_FIELDS, STRUCTURE_TYPES

MAX_QUERY_LENGTH = 100


def _lang() -> str:
    return str(get_locale().language)


def _resolve_commune(directory, raw: str, insee: str | None = None):
    """(commune or None, choices, error) for what the visitor typed, or the INSEE code picked.

    A picked choice comes back as ``insee``, never as text: "90100" is both a
    postcode and an INSEE code, and typing it again would list the choices again.
    """
    if insee:
        picked = directory.commune(insee.strip()[:10])
        if picked is not None:
            return picked, [], None
    raw = (raw or "").strip()[:MAX_QUERY_LENGTH]
    if not raw:
        return None, [], None
    matches = directory.find_communes(raw)
    if len(matches) == 1:
        return matches[0], [], None
    if not matches:
        return None, [], _("Aucune commune du Territoire de Belfort ne correspond à « %(q)s ». "
                           "Vérifiez l'orthographe ou indiquez le code postal.", q=raw)
    return None, matches, None


def _view_context(directory):
    return {
        "type_labels": TYPE_LABELS,
        "contact_labels": CONTACT_LABELS,
        "contact_fields": CONTACT_FIELDS,
        "lang": _lang(),
        "directory": directory,
    }


@bp.get("/annuaire")
def index():
    directory = get_directory()
    type_ = request.args.get("type") or ""
    type_error = None
    if type_ and type_ not in STRUCTURE_TYPES:
        type_error = _("Ce type de structure n'existe pas. Choisissez dans la liste.")
        type_ = ""
    commune_query = request.args.get("commune") or ""
    commune, choices, commune_error = _resolve_commune(directory, commune_query, request.args.get("insee"))
    structures = [] if (choices or commune_error) else directory.structures(
        type=type_ or None, commune=commune.insee if commune else None)
    return render_template(
        "directory/index.html",
        structures=structures,
        types=[t for t in STRUCTURE_TYPES if directory.structures(type=t)],
        selected_type=type_,
        commune_query=(commune.name if commune and not commune_query else commune_query).strip()[:MAX_QUERY_LENGTH],
        commune=commune,
        choices=choices,
        type_error=type_error,
        commune_error=commune_error,
        **_view_context(directory),
    )


@bp.get("/annuaire/mes-contacts")
def my_contacts():
    directory = get_directory()
    query = request.args.get("q") or ""
    commune, choices, error = _resolve_commune(directory, query, request.args.get("insee"))
    contacts = []
    if commune is not None:
        social = directory.nearest(commune.insee, "social_worker")
        contacts = [
            ("social_worker", _("Travailleur social du Département"), [social]),
            ("cdad", _("Aide juridique"),
             [directory.nearest(commune.insee, "cdad"), directory.nearest(commune.insee, "point_justice")]),
            ("fsl", _("Aide financière pour le loyer (FSL)"), [directory.nearest(commune.insee, "fsl")]),
            ("caf", _("CAF (aide au logement)"),
             [directory.nearest(commune.insee, "caf"),
              *[s for s in directory.structures(type="france_services") if s.commune == commune.insee]]),
        ]
        contacts = [(key, title, [s for s in items if s is not None]) for key, title, items in contacts]
    # National numbers need no commune: shown before one is chosen too (the
    # assistant sends here for them). A line whose number staff removed is left out.
    helplines = [s for s in map(directory.structure, NATIONAL_HELPLINES)
                 if s is not None and s.contact("phone") is not None]
    return render_template(
        "directory/contacts.html",
        query=(commune.name if commune and not query else query).strip()[:MAX_QUERY_LENGTH],
        commune=commune,
        choices=choices,
        error=error,
        contacts=contacts,
        helplines=helplines,
        **_view_context(directory),
    )


@bp.get("/annuaire/secteurs")
def sectors():
    """The provisional commune -> social-work site table, with its method, for partners to check."""
    directory = get_directory()
    method = directory.sectors.method or {}
    lang = _lang()
    rows = [(c, directory.sector_site(c.insee)) for c in sorted(directory.communes(), key=lambda c: c.key)]
    return render_template(
        "directory/sectors.html",
        rows=rows,
        method_text=method.get(f"method_{lang}") or method.get("method_fr"),
        derived_on=directory.sectors.derived_on,
        provisional=directory.sectors.provisional,
        **_view_context(directory),
    )


@bp.get("/annuaire/<structure_id>")
def structure_page(structure_id: str):
    directory = get_directory()
    structure = directory.structure(structure_id)
    if structure is None:
        abort(404)
    sector = directory.sector_communes(structure.id) if structure.communes_served == "sector" else []
    served_list = []
    if isinstance(structure.communes_served, tuple):
        served_list = [directory.commune(i) for i in structure.communes_served]
    return render_template(
        "directory/structure.html",
        s=structure,
        sector=sector,
        served_list=served_list,
        location=directory.commune(structure.commune) if structure.commune else None,
        parent=directory.structure(structure.parent) if structure.parent else None,
        **_view_context(directory),
    )
