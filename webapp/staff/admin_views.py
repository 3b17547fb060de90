"""Admin pages: accounts of every structure (create, disable, reset a password). Admins only; others get 404."""
from __future__ import annotations

from flask import abort, current_app, flash, redirect, render_template, url_for
from flask_babel import gettext as _
from sqlalchemy import select

from webapp.db import get_session
from webapp.directory import get_directory
from webapp.staff import audit, auth
from webapp.staff.accounts import AccountError, add_account, set_password
from webapp.referrals.models import StructureMailbox
from webapp.staff.forms import AccountForm, MailboxForm, PasswordResetForm, SimpleForm
from webapp.staff.models import StaffUser
from webapp.staff.passwords import MIN_LENGTH

from . import bp


def _account_form(formdata=...):
    form = AccountForm() if formdata is ... else AccountForm(formdata=formdata)
    form.structure.choices = [(s.id, s.text("name", "fr")) for s in get_directory(current_app).structures()]
    return form


@bp.route("/comptes", methods=["GET", "POST"])
@auth.admin_required
def accounts():
    db = get_session()
    admin = auth.current_staff()
    form = _account_form()
    code = 200
    if form.validate_on_submit():
        try:
            user = add_account(db, form.email.data, form.structure.data, form.password.data,
                               is_admin=form.is_admin.data,
                               known_structures={s.id for s in get_directory(current_app).structures()})
        except AccountError as exc:
            form.email.errors = [str(exc)]
            code = 400
        else:
            audit.record(db, "account_add", staff=admin, detail=f"{user.email} {user.structure_id}")
            db.commit()
            flash(_("Compte créé : %(email)s.", email=user.email))
            return redirect(url_for("staff.accounts"))
    elif form.is_submitted():
        code = 400
    return _accounts_page(db, form=form, code=code)


def _reset_form(user: StaffUser, formdata=None) -> PasswordResetForm:
    # One form per account on the same page: the prefix keeps field ids and names apart.
    prefix = f"reset-{user.id}"
    form = (PasswordResetForm(prefix=prefix) if formdata is ...
            else PasswordResetForm(formdata=formdata, prefix=prefix))
    form.new_password.label.text = _("Nouveau mot de passe provisoire pour %(email)s", email=user.email)
    return form


def _accounts_page(db, *, form=None, mailbox_form=None, failed_reset=None, code=200):
    """The accounts page; the form that failed (if any) keeps its entries and errors."""
    users = db.scalars(select(StaffUser).order_by(StaffUser.structure_id, StaffUser.email)).all()
    reset_forms = {u.id: _reset_form(u) for u in users if u.active}
    if failed_reset is not None:
        reset_forms[failed_reset[0]] = failed_reset[1]
    return render_template("staff/accounts.html", users=users, disable_form=SimpleForm(), reset_forms=reset_forms,
                           form=form if form is not None else _account_form(formdata=None),
                           mailbox_form=mailbox_form if mailbox_form is not None else _mailbox_form(formdata=None),
                           mailboxes=_mailboxes(db), min_length=MIN_LENGTH), code


def _mailbox_form(formdata=...):
    form = MailboxForm() if formdata is ... else MailboxForm(formdata=formdata)
    form.mailbox_structure.choices = [(s.id, s.text("name", "fr"))
                                      for s in get_directory(current_app).structures()]
    return form


def _mailboxes(db):
    return db.scalars(select(StructureMailbox).order_by(StructureMailbox.structure_id)).all()


@bp.post("/comptes/boite")
@auth.admin_required
def set_mailbox():
    """Where a structure's new-referral notices go (default: its staff's own addresses)."""
    db = get_session()
    form = _mailbox_form()
    if not form.validate_on_submit():
        return _accounts_page(db, mailbox_form=form, code=400)
    structure_id = form.mailbox_structure.data
    box = db.get(StructureMailbox, structure_id) or StructureMailbox(structure_id=structure_id)
    box.email = form.mailbox_email.data.strip().lower()
    box.active = True
    db.add(box)
    audit.record(db, "mailbox_set", staff=auth.current_staff(), detail=f"{structure_id} {box.email}")
    db.commit()
    flash(_("Les avis de %(structure)s iront à %(email)s.", structure=structure_id, email=box.email))
    return redirect(url_for("staff.accounts"))


@bp.post("/comptes/<row_id:user_id>/desactiver")
@auth.admin_required
def disable(user_id: int):
    form = SimpleForm()
    db = get_session()
    user = db.get(StaffUser, user_id)
    if form.validate_on_submit() and user is not None and user.id != auth.current_staff().id:
        user.active = False
        audit.record(db, "account_disable", staff=auth.current_staff(), detail=user.email)
        db.commit()
        flash(_("Compte désactivé : %(email)s.", email=user.email))
    return redirect(url_for("staff.accounts"))


@bp.post("/comptes/<row_id:user_id>/mot-de-passe")
@auth.admin_required
def reset_password(user_id: int):
    """Give a colleague a temporary password; their sessions end and they must change it at sign-in."""
    db = get_session()
    admin = auth.current_staff()
    user = db.get(StaffUser, user_id)
    # Admins change their own password on the change page, which asks for the current one.
    if user is None or not user.active or user.id == admin.id:
        abort(404)
    form = _reset_form(user, formdata=...)
    if not form.validate_on_submit():
        return _accounts_page(db, failed_reset=(user.id, form), code=400)
    set_password(db, user, form.new_password.data, must_change=True)
    audit.record(db, "password_reset", staff=admin, detail=user.email)
    db.commit()
    flash(_("Mot de passe provisoire enregistré pour %(email)s. Transmettez-le de vive voix : "
            "il devra le changer à sa prochaine connexion.", email=user.email))
    return redirect(url_for("staff.accounts"))
