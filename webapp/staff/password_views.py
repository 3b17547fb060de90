"""A signed-in staff member changes their own password."""
from __future__ import annotations

from flask import current_app, flash, redirect, render_template, url_for
from flask_babel import gettext as _

from webapp.db import get_session
from webapp.staff import audit, auth
from webapp.staff.accounts import set_password
from webapp.staff.forms import PasswordChangeForm
from webapp.staff.passwords import MIN_LENGTH

from . import bp


@bp.route("/mot-de-passe", methods=["GET", "POST"])
@auth.staff_required
def change_password():
    user = auth.current_staff()
    form = PasswordChangeForm()
    code = 200
    if form.is_submitted():
        code = 400
        valid = form.validate()
        # The password is checked only when typed, and each miss counts towards the throttle;
        # never for a forged request (no CSRF token), which could otherwise lock the account out.
        if "csrf_token" not in form.errors and not form.current_password.errors:
            db = get_session()
            outcome = auth.check_current_password(db, user, form.current_password.data)
            if outcome != "ok":
                # Like failed sign-ins: a run of these in the log is someone guessing on an open session.
                audit.record(db, "password_change_failed", staff=user, detail=outcome)
                db.commit()
            if outcome == "throttled":
                form.current_password.errors.append(_(
                    "Trop d'essais manqués. Attendez %(minutes)s minutes puis réessayez.",
                    minutes=current_app.config["LOGIN_WINDOW_MINUTES"]))
                code = 429
            elif outcome == "invalid":
                form.current_password.errors.append(_("Ce n'est pas votre mot de passe actuel."))
            elif valid:
                set_password(db, user, form.new_password.data, must_change=False)
                audit.record(db, "password_change", staff=user)
                db.commit()
                # A new session id with the new epoch: this browser stays signed in, a copy of
                # the old cookie and every other session of the account are signed out.
                auth.start_session(user)
                flash(_("Votre mot de passe a été changé."))
                return redirect(url_for("staff.inbox_page"))
    return render_template("staff/password.html", form=form, forced=user.must_change_password,
                           min_length=MIN_LENGTH), code
