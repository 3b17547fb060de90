"""Back-office pages where a structure's staff keep its directory entry current.

A staff member edits their own structure, an admin any; any other entry is a
404, exactly like one that does not exist, so ids cannot be probed.
"""
from __future__ import annotations

from flask import abort, current_app, flash, redirect, render_template, request, url_for
from flask_babel import get_locale
from flask_babel import gettext as _

from webapp.db import get_session
from webapp.staff import auth
from webapp.staff.forms import SimpleForm

from . import bp, get_directory
from .forms import StructureEditForm
from .labels import CONTACT_LABELS
from .store import LOCAL_TZ, forget_request_copy, history, save_edit

# Contact fields and the referral text, as the public page names them.
FIELD_LABELS = CONTACT_LABELS


def _editable_structure(structure_id: str):
    user = auth.current_staff()
    structure = get_directory(current_app).structure(structure_id)
    if structure is None or not (user.is_admin or user.structure_id == structure_id):
        abort(404)
    return user, structure


def _render(template: str, code: int = 200, **context):
    # The staff layout expects what the staff blueprint's context processor gives its own pages.
    response = current_app.make_response((render_template(
        template, staff_user=auth.current_staff(), logout_form=SimpleForm(), field_labels=FIELD_LABELS,
        lang=str(get_locale().language), **context), code))
    response.headers["Cache-Control"] = "no-store"
    return response


@bp.get("/staff/ma-structure")
@auth.staff_required
def edit_own_structure():
    return redirect(url_for("directory.edit_structure", structure_id=auth.current_staff().structure_id))


@bp.get("/staff/structures")
@auth.staff_required
def pick_structure():
    """Admins choose any entry from a list (a GET form, so it works without JavaScript)."""
    user = auth.current_staff()
    wanted = (request.args.get("structure") or "").strip()[:80] if user.is_admin else ""
    return redirect(url_for("directory.edit_structure", structure_id=wanted or user.structure_id))


@bp.route("/staff/structures/<structure_id>/modifier", methods=["GET", "POST"])
@auth.staff_required
def edit_structure(structure_id: str):
    user, structure = _editable_structure(structure_id)
    form = StructureEditForm()
    if form.validate_on_submit():
        db = get_session()
        changed = save_edit(db, structure, form.new_values(structure), user)
        db.commit()
        forget_request_copy()
        if changed:
            flash(_("Fiche enregistrée : %(fields)s. Elle est en ligne.",
                    fields=", ".join(str(FIELD_LABELS[f]) for f in changed)))
            after = get_directory(current_app).structure(structure_id)
            if structure.is_free_call and after and after.contact("phone") and not after.is_free_call:
                # "Free" was checked for the old number only; say why it is gone.
                flash(_("Le numéro a changé : le site ne le présente plus comme un appel gratuit, "
                        "tant que l'équipe du site n'a pas vérifié qu'il l'est."))
        else:
            flash(_("Aucun changement : la fiche est restée telle quelle."))
        return redirect(url_for("directory.edit_structure", structure_id=structure_id))
    code = 200
    if form.is_submitted():
        code = 400
    else:
        form.fill_from(structure)
    others = get_directory(current_app).structures() if user.is_admin else []
    return _render("staff/structure_edit.html", code, form=form, s=structure, all_structures=others)


@bp.get("/staff/structures/<structure_id>/historique")
@auth.staff_required
def structure_history(structure_id: str):
    _user, structure = _editable_structure(structure_id)
    changes = history(get_session(), structure_id)
    return _render("staff/structure_history.html", s=structure, changes=changes, local_tz=LOCAL_TZ)
