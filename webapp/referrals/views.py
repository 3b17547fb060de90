"""Household pages: the form (with consent), the review step and the confirmation.

Nothing is stored before the consent box is ticked; the draft's id, then the
confirmed case's id, travel only in the server-side session, never in a URL.

The session also remembers the requests it sent in the last DUPLICATE_WINDOW: the
form then says the request is already sent (the back button after the confirmation
shows the form again), and the same request sent again (to the same structures or some
of them, with the same ways to reach the person) is not sent twice: the household gets
the first one's confirmation.
"""
from __future__ import annotations

import re
from datetime import timedelta

from babel.dates import format_time
from flask import abort, current_app, redirect, render_template, request, session, url_for
from flask_babel import get_locale

from webapp.db import get_session
from webapp.directory import POINT_JUSTICE, get_directory, line_of, national_line
from webapp.directory.store import LOCAL_TZ
from webapp.referrals import outbox, service
from webapp.referrals.consent import CONSENT_VERSION, consent_paragraphs, consent_text
from webapp.referrals.forms import ConfirmForm, ReferralForm
from webapp.referrals.models import Case, utcnow
from webapp.referrals.prefill import evaluate_request, session_request
from webapp.referrals.summary import URGENCY_LABELS, deadline_rows, situation_rows
from webapp.security import no_store

from . import bp

DRAFT_KEY = "referral_draft_id"
DONE_KEY = "referral_done_id"
# Ids of the cases this session sent lately, newest last.
SENT_KEY = "referral_sent_ids"
# The request sent again as a duplicate: which case it repeated, and a message typed
# anew that was therefore not sent (shown back on the confirmation, not lost).
DUPLICATE_KEY = "referral_duplicate"
SENT_KEPT = 10
# How long a request sent from this session counts as "just sent".
DUPLICATE_WINDOW = timedelta(hours=24)


no_store(bp)


def _lang() -> str:
    return str(get_locale().language)


def receiving_structures(lang: str) -> list[dict]:
    """Structures that take referrals online: id, name, role, commune served."""
    directory = get_directory(current_app)
    out = []
    for kind in current_app.config["REFERRAL_STRUCTURE_TYPES"]:
        for s in directory.structures(type=kind):
            out.append({"id": s.id, "name": s.text("name", lang), "serves": s.text("serves", lang)})
    return out


def _situation_from_form(form: ReferralForm) -> dict | None:
    """A triage request built from the three questions asked when the session holds none."""
    if not form.role.data:
        return None
    data = {"role": form.role.data}
    if form.stage.data:
        data["stage"] = form.stage.data
    if form.commune.data:
        data["commune"] = form.commune.data
    return data


def _build_form(structures: list[dict], proposed: list[str]) -> ReferralForm:
    form = ReferralForm()
    directory = get_directory(current_app)
    form.commune.choices = [("", "—")] + [(c.insee, c.name) for c in
                                           sorted(directory.communes(), key=lambda c: c.key)]
    ordered = sorted(structures, key=lambda s: (s["id"] not in proposed,
                                                proposed.index(s["id"]) if s["id"] in proposed else 0))
    form.structures.choices = [(s["id"], s["name"]) for s in ordered]
    if request.method == "GET":
        known = {s["id"] for s in structures}
        form.structures.data = [s for s in proposed if s in known]
    return form


@bp.route("/etre-recontacte", methods=["GET", "POST"])
def form():
    lang = _lang()
    stored = session_request()
    prefill = evaluate_request(stored, lang)
    structures = receiving_structures(lang)
    form = _build_form(structures, prefill.proposed)
    if request.method == "GET":
        _restore_draft(form)
    if form.validate_on_submit():
        if prefill.request is None:
            prefill = evaluate_request(_situation_from_form(form), lang)
        contact = service.Contact(**{name: (getattr(form, name).data or "").strip() or None
                                     for name in service.CONTACT_FIELDS})
        earlier = _sent_before(form.structures.data, contact)
        if earlier is not None:
            # The same request again (back button, a second tab): nothing more is sent.
            _discard_draft()
            _show_duplicate(earlier, contact.description)
            return redirect(url_for("referrals.done"))
        _discard_draft()
        session.pop(DUPLICATE_KEY, None)
        draft_id = service.create_draft(
            current_app.extensions["db_sessionmaker"], prefill=prefill, contact=contact,
            structures=form.structures.data, lang=lang,
            consent_version=CONSENT_VERSION, consent_text=consent_text())
        session[DRAFT_KEY] = draft_id
        return redirect(url_for("referrals.review"))
    return render_template(
        "referrals/form.html", form=form, prefill=prefill, has_triage=prefill.request is not None,
        situation=situation_rows(prefill.request), deadlines=deadline_rows(prefill.deadlines),
        urgency_label=URGENCY_LABELS.get(prefill.urgency), proposed=prefill.proposed,
        structure_info={s["id"]: s for s in structures}, consent=consent_paragraphs(),
        just_sent=_just_sent(lang),
    )


def _recently_sent() -> list[Case]:
    """The cases this session sent within DUPLICATE_WINDOW and still holding their data, newest first."""
    ids = [i for i in session.get(SENT_KEY) or [] if isinstance(i, int)]
    since = utcnow() - DUPLICATE_WINDOW
    db = get_session()
    cases = []
    for case_id in reversed(ids):
        case = db.get(Case, case_id)
        if case is not None and case.state == "submitted" and case.submitted_at and case.submitted_at >= since:
            cases.append(case)
    return cases


def _remember_sent(case_id: int) -> None:
    ids = [i for i in session.get(SENT_KEY) or [] if isinstance(i, int) and i != case_id]
    session[SENT_KEY] = (ids + [case_id])[-SENT_KEPT:]
    session[DONE_KEY] = case_id


def _name_key(value: str | None) -> str:
    return " ".join((value or "").split()).casefold()


def _phone_key(value: str | None) -> str:
    digits = re.sub(r"\D", "", value or "")
    # +33 6 12 34 56 78 and 06 12 34 56 78 are the same number.
    if digits.startswith("0033"):
        digits = "0" + digits[4:]
    elif digits.startswith("33") and len(digits) == 11:
        digits = "0" + digits[2:]
    return digits


# What makes a request the same one: every way of reaching the person and how.
# A changed time, language or accessibility need is a new request, not a
# duplicate dropped with "rien à refaire". A new message alone is shown back.
_SAME_FIELDS = ("contact_name", "contact_email", "preferred_times", "preferred_language", "accessibility_needs")


def _contact_key(source) -> tuple[str, ...]:
    return (_phone_key(getattr(source, "contact_phone")),
            *(_name_key(getattr(source, name)) for name in _SAME_FIELDS))


def _sent_before(structures, contact: service.Contact) -> Case | None:
    """A request this session sent lately to the same structures (or some of them), for the same person,
    to be reached the same way."""
    wanted = _contact_key(contact)
    chosen = set(structures or [])
    for case in _recently_sent():
        if chosen and chosen <= set(case.chosen_structures or []) and _contact_key(case) == wanted:
            return case
    return None


def _show_duplicate(case: Case, description: str | None) -> None:
    """Send the household to the first request's confirmation, keeping a new message it typed."""
    unsent = description if description and _name_key(description) != _name_key(case.description) else None
    session[DUPLICATE_KEY] = {"case": case.id, "unsent": unsent}
    session[DONE_KEY] = case.id


def _local(moment, lang: str) -> tuple[str, str]:
    # The site's one way to write a date ("24 novembre 2026", "24 November 2026").
    from webapp.triage.api import get_rules

    local = moment.astimezone(LOCAL_TZ)
    return get_rules().format_date(local.date(), lang), format_time(local, "HH:mm", locale=lang)


def _just_sent(lang: str) -> dict | None:
    """The request this session sent last, if lately: the form says so at the top."""
    cases = _recently_sent()
    if not cases:
        return None
    case = cases[0]
    date, time = _local(case.submitted_at, lang)
    return {"reference": case.reference, "date": date, "time": time, "id": case.id,
            "confirmation": session.get(DONE_KEY) == case.id}


def _current_draft() -> Case | None:
    draft_id = session.get(DRAFT_KEY)
    if not isinstance(draft_id, int):
        return None
    case = get_session().get(Case, draft_id)
    return case if case is not None and case.state == "draft" else None


def _restore_draft(form: ReferralForm) -> None:
    """Back from the review page: the form shows what was typed, nothing to retype."""
    case = _current_draft()
    if case is None:
        return
    for name in service.CONTACT_FIELDS:
        getattr(form, name).data = getattr(case, name)
    form.structures.data = list(case.chosen_structures or [])
    # The three situation questions, when they were asked instead of a questionnaire.
    form.role.data, form.stage.data, form.commune.data = case.role, case.stage or "", case.commune or ""


def _discard_draft() -> None:
    case = _current_draft()
    if case is not None:
        db = get_session()
        db.delete(case)
        db.commit()
    session.pop(DRAFT_KEY, None)


@bp.route("/etre-recontacte/verifier", methods=["GET", "POST"])
def review():
    case = _current_draft()
    if case is None:
        if request.method == "POST" and _recently_sent() and isinstance(session.get(DONE_KEY), int):
            # A second tab's "Envoyer" after the first tab sent the draft: that one is the request.
            return redirect(url_for("referrals.done"))
        # The form says so if this session has just sent a request (the back button after sending).
        return redirect(url_for("referrals.form"))
    lang = _lang()
    confirm_form = ConfirmForm()
    if confirm_form.validate_on_submit():
        db = get_session()
        names = {sid: _structure_name(sid, case.lang) for sid in case.chosen_structures or []}
        try:
            ids = service.confirm(db, case, base_url=current_app.config["PUBLIC_BASE_URL"],
                                  structure_names=names,
                                  emergency_line=national_line(current_app, POINT_JUSTICE, case.lang))
        except service.TransitionError:
            # The same confirmation arrived twice at once: the other request did the work.
            session.pop(DRAFT_KEY, None)
            _remember_sent(case.id)
            return redirect(url_for("referrals.done"))
        db.commit()
        session.pop(DRAFT_KEY, None)
        _remember_sent(case.id)
        if current_app.config["OUTBOX_SEND_INLINE"]:
            # Best effort: whatever fails here stays queued for `flask outbox send`.
            outbox.send_pending(current_app.extensions["db_sessionmaker"], current_app.config, ids=ids)
        return redirect(url_for("referrals.done"))
    return render_template(
        "referrals/review.html", case=case, form=confirm_form,
        situation=situation_rows(case.situation), deadlines=deadline_rows(case.deadlines),
        urgency_label=URGENCY_LABELS.get(case.urgency),
        structures=[_structure_name(s, lang) for s in case.chosen_structures or []],
    )


def _structure_name(structure_id: str, lang: str) -> str:
    s = get_directory(current_app).structure(structure_id)
    return s.text("name", lang) if s else structure_id


@bp.get("/etre-recontacte/confirmation")
def done():
    case_id = session.get(DONE_KEY)
    case = get_session().get(Case, case_id) if isinstance(case_id, int) else None
    if case is None or case.state != "submitted":
        abort(404)
    lang = _lang()
    directory = get_directory(current_app)
    structures = []
    for referral in case.referrals:
        s = directory.structure(referral.structure_id)
        if s is not None:
            structures.append(s.public_dict(lang))
    # Shown once: the message typed anew is the household's words, not kept in the session.
    duplicate = session.pop(DUPLICATE_KEY, None)
    repeated = None
    if isinstance(duplicate, dict) and duplicate.get("case") == case.id:
        date, time = _local(case.submitted_at, lang)
        repeated = {"date": date, "time": time, "unsent": duplicate.get("unsent")}
    return render_template("referrals/done.html", case=case, structures=structures,
                           point_justice=line_of(directory, POINT_JUSTICE, lang), repeated=repeated)
