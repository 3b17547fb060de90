"""Back-office pages. Every referral lookup is scoped to the staff member's
structure: another structure's referral is a 404, exactly like one that does
not exist, so ids cannot be probed. Every read and change is audited.
"""
from __future__ import annotations

from flask import abort, current_app, flash, redirect, render_template, request, url_for
from flask_babel import format_date, format_datetime, gettext as _
from sqlalchemy import select

from webapp.db import get_session
from webapp.directory import get_directory
from webapp.referrals import service
from webapp.referrals.models import ALLOWED_TRANSITIONS, STATUSES, Referral
from webapp.referrals.summary import (
    STAGE_LABELS, URGENCY_LABELS, commune_name, deadline_rows, situation_rows, structure_name,
)
from webapp.staff import audit, auth
from webapp.staff.export import to_csv
from webapp.staff.forms import (
    ContactCorrectionForm, EraseForm, LoginForm, NoteForm, ReorientForm, SimpleForm, StatusForm,
)
from webapp.staff.inbox import Filters, inbox, is_overdue
from webapp.staff.labels import EVENT_LABELS, OUTCOME_LABELS, REFUSAL_LABELS, STATUS_LABELS
from webapp.security import no_store
from webapp.staff.models import StaffUser
from webapp.triage.situation import STAGES

from . import bp

# Rows per inbox page; the CSV export holds every row the filters match.
PAGE_SIZE = 100
# The export's last column: why the contact columns of a row are empty.
PERSONAL_DATA_CSV = {"anonymised": "anonymisees_fin_de_conservation", "erased": "effacees_a_la_demande"}


no_store(bp)


@bp.context_processor
def _staff_context():
    return {"staff_user": auth.current_staff(), "STATUS_LABELS": STATUS_LABELS, "URGENCY_LABELS": URGENCY_LABELS,
            "STAGE_LABELS": STAGE_LABELS, "logout_form": SimpleForm()}


def _safe_next(target: str | None) -> str:
    if target and target.startswith("/staff/") and not target.startswith("//") and "\\" not in target:
        return target
    return url_for("staff.inbox_page")


@bp.route("/connexion", methods=["GET", "POST"])
def login():
    form = LoginForm()
    message = None
    status = 200
    if form.validate_on_submit():
        db = get_session()
        user, outcome = auth.authenticate(db, form.email.data, form.password.data)
        if outcome == "ok":
            auth.start_session(user)
            audit.record(db, "login", staff=user)
            db.commit()
            return redirect(_safe_next(request.args.get("next")))
        audit.record(db, "login_failed" if outcome == "invalid" else "login_throttled",
                     detail=auth.email_key(form.email.data))
        db.commit()
        if outcome == "throttled":
            message = _("Trop d'essais manqués pour cette adresse. Attendez %(minutes)s minutes puis réessayez.",
                        minutes=current_app.config["LOGIN_WINDOW_MINUTES"])
            status = 429
        else:
            message = _("Adresse e-mail ou mot de passe incorrect.")
            status = 401
    return render_template("staff/login.html", form=form, message=message), status


@bp.post("/deconnexion")
def logout():
    form = SimpleForm()
    user = auth.current_staff()
    if form.validate_on_submit() and user is not None:
        db = get_session()
        audit.record(db, "logout", staff=user)
        db.commit()
        auth.end_session()
    return redirect(url_for("staff.login"))


def _structure_label(structure_id: str) -> str:
    return structure_name(structure_id, "fr")


@bp.get("/")
@auth.staff_required
def inbox_page():
    user = auth.current_staff()
    filters = Filters.from_args(request.args)
    db = get_session()
    hours = current_app.config["REFERRAL_REMINDER_HOURS"]
    matching = inbox(db, user.structure_id, filters, hours)
    pages = max(1, -(-len(matching) // PAGE_SIZE))
    page = min(max(request.args.get("page", 1, type=int) or 1, 1), pages)
    referrals = matching[(page - 1) * PAGE_SIZE: page * PAGE_SIZE]
    audit.record(db, "inbox", staff=user, detail=f"filters={filters.as_args()} page={page} rows={len(referrals)}")
    db.commit()
    directory = get_directory(current_app)
    communes = sorted(directory.communes(), key=lambda c: c.key)  # accent-insensitive: Étueffont among the E
    return render_template(
        "staff/inbox.html", referrals=referrals, total=len(matching), page=page, pages=pages,
        filters=filters, statuses=STATUSES, stages=STAGES,
        communes=communes, structure=_structure_label(user.structure_id),
        overdue={r.id for r in referrals if is_overdue(r, hours)}, commune_name=commune_name,
        export_url=url_for("staff.export_csv", **filters.as_args()),
        page_url=lambda n: url_for("staff.inbox_page", page=n, **filters.as_args()),
    )


@bp.get("/export.csv")
@auth.staff_required
def export_csv():
    user = auth.current_staff()
    filters = Filters.from_args(request.args)
    db = get_session()
    referrals = inbox(db, user.structure_id, filters, current_app.config["REFERRAL_REMINDER_HOURS"])
    header = ["reference", "recue_le", "urgence", "prochaine_echeance", "statut", "etape", "commune",
              "nom", "telephone", "email", "moments_preferes", "langue", "accessibilite", "raison_refus", "issue",
              "donnees_personnelles"]
    rows = []
    for r in referrals:
        c = r.case
        rows.append([c.reference, r.created_at.strftime("%Y-%m-%d %H:%M"), c.urgency,
                     c.next_deadline.isoformat() if c.next_deadline else "", r.status, c.stage or "",
                     commune_name(c.commune) or "", c.contact_name, c.contact_phone, c.contact_email,
                     c.preferred_times, c.preferred_language, c.accessibility_needs,
                     r.refusal_reason or "", r.outcome or "", PERSONAL_DATA_CSV.get(c.state, "")])
    audit.record(db, "export", staff=user, detail=f"filters={filters.as_args()} rows={len(rows)} "
                 f"references={','.join(r.case.reference for r in referrals)}"[:5000])
    db.commit()
    response = current_app.response_class(to_csv(header, rows), mimetype="text/csv")
    response.headers["Content-Disposition"] = 'attachment; filename="demandes.csv"'
    return response


def _own_referral(referral_id: int) -> Referral:
    """The referral if it belongs to the staff member's structure; 404 otherwise (no hint either way)."""
    user = auth.current_staff()
    referral = get_session().get(Referral, referral_id)
    if referral is None or referral.structure_id != user.structure_id or referral.case.state == "draft":
        abort(404)
    return referral


def _page(referral: Referral, *, status_form=None, note_form=None, reorient_form=None, erase_form=None,
          contact_form=None, code=200):
    user = auth.current_staff()
    allowed = ALLOWED_TRANSITIONS.get(referral.status, ())
    status_form = status_form or StatusForm(formdata=None).fill(allowed)
    note_form = note_form or NoteForm(formdata=None)
    erase_form = erase_form or EraseForm(formdata=None)
    reorient_form = reorient_form or _reorient_form(referral, formdata=None)
    db = get_session()
    case = referral.case
    # Pre-filled with the details on record; after a refused correction, with what was typed.
    contact_form = contact_form or ContactCorrectionForm(formdata=None, obj=case)
    staff_emails = dict(db.execute(select(StaffUser.id, StaffUser.email)).all())
    origin = db.get(Referral, referral.reoriented_from_id) if referral.reoriented_from_id else None
    return render_template(
        "staff/referral.html", referral=referral, case=case, situation=situation_rows(case.situation),
        deadlines=deadline_rows(case.deadlines), orientations=(case.triage or {}).get("orientations", []),
        status_form=status_form, note_form=note_form, reorient_form=reorient_form, erase_form=erase_form,
        contact_form=contact_form,
        allowed=allowed, has_personal_data=case.state == "submitted",
        events=referral.events, staff_emails=staff_emails, EVENT_LABELS=EVENT_LABELS,
        REFUSAL_LABELS=REFUSAL_LABELS, OUTCOME_LABELS=OUTCOME_LABELS, stages=STAGES,
        commune=commune_name(case.commune), origin=origin, structure_label=_structure_label,
        overdue=is_overdue(referral, current_app.config["REFERRAL_REMINDER_HOURS"]),
        format_datetime=format_datetime, format_date=format_date, user=user,
    ), code


def _reorient_form(referral: Referral, formdata=None) -> ReorientForm:
    form = ReorientForm(formdata=formdata) if formdata is not None else ReorientForm(formdata=None)
    directory = get_directory(current_app)
    choices = []
    for kind in current_app.config["REFERRAL_STRUCTURE_TYPES"]:
        for s in directory.structures(type=kind):
            if s.id != referral.structure_id:
                choices.append((s.id, s.text("name", "fr")))
    form.structure.choices = choices
    return form


@bp.get("/demandes/<row_id:referral_id>")
@auth.staff_required
def referral_page(referral_id: int):
    referral = _own_referral(referral_id)
    db = get_session()
    audit.record(db, "view", staff=auth.current_staff(), referral=referral)
    db.commit()
    return _page(referral)


@bp.get("/demandes/<row_id:referral_id>/imprimer")
@auth.staff_required
def print_page(referral_id: int):
    referral = _own_referral(referral_id)
    db = get_session()
    audit.record(db, "print", staff=auth.current_staff(), referral=referral)
    db.commit()
    case = referral.case
    return render_template("staff/print.html", referral=referral, case=case,
                           situation=situation_rows(case.situation), deadlines=deadline_rows(case.deadlines),
                           commune=commune_name(case.commune), structure=_structure_label(referral.structure_id),
                           format_datetime=format_datetime)


@bp.post("/demandes/<row_id:referral_id>/statut")
@auth.staff_required
def change_status(referral_id: int):
    referral = _own_referral(referral_id)
    allowed = ALLOWED_TRANSITIONS.get(referral.status, ())
    form = StatusForm().fill(allowed)
    if not form.validate_on_submit():
        return _page(referral, status_form=form, code=400)
    db = get_session()
    user = auth.current_staff()
    before = referral.status
    service.change_status(db, referral, form.to_status.data, staff_id=user.id, reason=form.reason_code,
                          text=(form.text.data or "").strip() or None)
    audit.record(db, "status", staff=user, referral=referral,
                 detail=f"{before} -> {referral.status} ({form.reason_code or '-'})")
    db.commit()
    flash(_("Statut enregistré : %(status)s.", status=STATUS_LABELS[referral.status]))
    return redirect(url_for("staff.referral_page", referral_id=referral.id))


@bp.post("/demandes/<row_id:referral_id>/note")
@auth.staff_required
def add_note(referral_id: int):
    referral = _own_referral(referral_id)
    form = NoteForm()
    valid = form.validate_on_submit()
    if referral.case.state != "submitted":
        # The household's data is gone: a new note must not bring some back.
        form.note.errors = [_("Les données de cette demande sont effacées : on ne peut plus y ajouter de note.")]
        valid = False
    if not valid:
        return _page(referral, note_form=form, code=400)
    db = get_session()
    user = auth.current_staff()
    service.add_note(db, referral, staff_id=user.id, text=form.note.data.strip())
    audit.record(db, "note", staff=user, referral=referral)
    db.commit()
    flash(_("Note ajoutée."))
    return redirect(url_for("staff.referral_page", referral_id=referral.id))


@bp.post("/demandes/<row_id:referral_id>/reorienter")
@auth.staff_required
def reorient(referral_id: int):
    """Pass the request on to another structure, once the household has agreed to it."""
    referral = _own_referral(referral_id)
    form = _reorient_form(referral, formdata=request.form)
    valid = form.validate_on_submit()
    if referral.status not in ("nouvelle", "prise_en_charge"):
        form.structure.errors = [_("Seule une demande ouverte peut être réorientée.")]
        valid = False
    if not valid:
        return _page(referral, reorient_form=form, code=400)
    db = get_session()
    user = auth.current_staff()
    case = referral.case
    to_structure = form.structure.data
    try:
        new = service.reorient(db, referral, to_structure, staff_id=user.id,
                               text=(form.explanation.data or "").strip() or None,
                               base_url=current_app.config["PUBLIC_BASE_URL"],
                               household_agreed=bool(form.agreement.data),
                               structure_names={sid: structure_name(sid, case.lang)
                                                for sid in (referral.structure_id, to_structure)})
    except service.TransitionError:
        # Closed or erased by a colleague between the page and this request.
        db.rollback()
        form.structure.errors = [_("Seule une demande ouverte peut être réorientée.")]
        return _page(referral, reorient_form=form, code=409)
    audit.record(db, "reorient", staff=user, referral=referral,
                 detail=f"to {to_structure} (referral {new.id}); household's agreement confirmed by the staff member")
    db.commit()
    flash(_("Demande réorientée vers %(name)s, avec l'accord de la personne. Elle est clôturée ici.",
            name=_structure_label(new.structure_id)))
    return redirect(url_for("staff.referral_page", referral_id=referral.id))


@bp.post("/demandes/<row_id:referral_id>/effacer")
@auth.staff_required
def erase(referral_id: int):
    """Erase the household's data at its request (RGPD): the retention rule, applied now."""
    referral = _own_referral(referral_id)
    form = EraseForm()
    if not form.validate_on_submit():
        return _page(referral, erase_form=form, code=400)
    db = get_session()
    user = auth.current_staff()
    try:
        closed = service.erase_on_request(db, referral.case, staff_id=user.id)
    except service.TransitionError:
        # Already erased (a second click, a colleague) or anonymised: nothing left to erase.
        db.rollback()
        flash(_("Les données de cette demande étaient déjà effacées."))
        return redirect(url_for("staff.referral_page", referral_id=referral_id))
    # Ids only: the audit log must not keep what was just erased.
    audit.record(db, "erase", staff=user, referral=referral,
                 detail=f"at the person's request; referrals closed: {','.join(map(str, closed)) or '-'}")
    db.commit()
    flash(_("Les données personnelles de la demande ont été effacées."))
    return redirect(url_for("staff.referral_page", referral_id=referral.id))


@bp.post("/demandes/<row_id:referral_id>/coordonnees")
@auth.staff_required
def correct_contact(referral_id: int):
    """Correct the household's contact details at its request (RGPD art. 16), for every structure."""
    referral = _own_referral(referral_id)
    if referral.case.state != "submitted":
        # Erased or anonymised: nothing to correct, and what was typed is not shown back.
        flash(_("Les données de cette demande sont effacées : il n'y a plus de coordonnées à corriger."))
        return _page(referral, code=409)
    form = ContactCorrectionForm()
    if not form.validate_on_submit():
        return _page(referral, contact_form=form, code=400)
    db = get_session()
    user = auth.current_staff()
    try:
        changed = service.correct_contact(db, referral.case, form.values(), staff_id=user.id)
    except service.TransitionError:
        # Erased by a colleague between the page and this request.
        db.rollback()
        flash(_("Les données de cette demande sont effacées : il n'y a plus de coordonnées à corriger."))
        return _page(referral, code=409)
    if not changed:
        flash(_("Rien n'a changé : les coordonnées saisies sont celles déjà enregistrées."))
        return redirect(url_for("staff.referral_page", referral_id=referral.id))
    # Field names only: the audit log keeps neither the old details nor the new ones.
    audit.record(db, "correct_contact", staff=user, referral=referral,
                 detail=f"at the person's request; fields: {','.join(changed)}")
    db.commit()
    flash(_("Coordonnées corrigées. Toutes les structures qui suivent la demande voient les nouvelles."))
    return redirect(url_for("staff.referral_page", referral_id=referral.id))


from webapp.staff import admin_views  # noqa: E402,F401
from webapp.staff import password_views  # noqa: E402,F401
