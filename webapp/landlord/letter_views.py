"""The three letters: edit the pre-filled text, then print it or download it as PDF.

The edited text is kept in the server-side session, so the printable page and
the PDF are made from exactly what the landlord wrote.
"""
from __future__ import annotations

import datetime as dt
import hashlib
import json

from flask import Response, abort, current_app, redirect, render_template, request, session, url_for
from flask_babel import gettext as _, lazy_gettext as _l
from werkzeug.datastructures import MultiDict

from webapp.errors import render_error
from webapp.landlord import answers, bp, context, steps
from webapp.letters import models
from webapp.letters.forms import LetterForm, RepaymentLetterForm
from webapp.letters.formatting import amount_input, date_fr
from webapp.letters.pdf import DEFAULT_FONT_DIR, LetterFontMissing, render_pdf
from webapp.letters.schedule import ScheduleError, repayment_schedule
from webapp.triage.deadlines import add_months
from webapp.triage.engine import national_number

SESSION_KEY = "landlord_letters"
# Stored beside an edited letter: which answers it was written from.
ANSWERS_KEY = "_answers"
# Default length of a proposed plan: a year is a common amicable plan; the
# landlord changes it. Not a legal figure.
DEFAULT_PLAN_MONTHS = 12
TITLES = {
    "relance": _l("Relance amiable au locataire"),
    "echeancier": _l("Proposition d'échéancier (plan de remboursement)"),
    "signalement-caf": _l("Signalement de l'impayé à la CAF ou à la MSA"),
}
FILENAMES = {"relance": "relance-loyer-impaye.pdf", "echeancier": "proposition-echeancier.pdf",
             "signalement-caf": "signalement-impaye-caf-msa.pdf"}


def max_plan_months() -> int:
    # The longest payment time the law lets a judge grant: a plan beyond it
    # would be longer than anything a court could confirm.
    return context.rules().duration("payment_time_conditions", "max_payment_time").months


def _stored(kind: str) -> dict | None:
    return (session.get(SESSION_KEY) or {}).get(kind)


def _answers_fingerprint() -> str:
    """Changes whenever an answer changes, so an edited letter can say it predates them."""
    given = json.dumps(context.current_answers(), default=str, sort_keys=True)
    return hashlib.sha256(given.encode()).hexdigest()[:16]


def _store(kind: str, data: dict) -> None:
    letters = dict(session.get(SESSION_KEY) or {})
    letters[kind] = {**data, ANSWERS_KEY: _answers_fingerprint()}
    session[SESSION_KEY] = letters


def _is_stale(kind: str) -> bool:
    stored = _stored(kind)
    return bool(stored) and stored.get(ANSWERS_KEY) != _answers_fingerprint()


def _forget(kind: str) -> None:
    letters = dict(session.get(SESSION_KEY) or {})
    letters.pop(kind, None)
    session[SESSION_KEY] = letters


def _caf_address() -> str | None:
    caf = context.directory().structure("caf-90")
    return caf.public_dict("fr")["address"] if caf else None


def _sos_loyers() -> models.Helpline | None:
    """SOS Loyers impayés as the directory holds it now (letters are in French)."""
    sos = national_number(context.directory(), "sos_loyers_impayes", "fr")
    return models.Helpline(sos["phone"], free_call=sos["free_call"]) if sos else None


def _facts() -> models.LetterFacts:
    contacts_url = current_app.config["PUBLIC_BASE_URL"].rstrip("/") + url_for("directory.my_contacts")
    return answers.letter_facts(context.current_answers(), context.today(), _caf_address(),
                                sos_loyers=_sos_loyers(), contacts_url=contacts_url)


def default_schedule_input(facts: models.LetterFacts) -> dict:
    today = facts.today
    first = add_months(today.replace(day=1), 1)
    return {"amount": facts.debt, "months": min(DEFAULT_PLAN_MONTHS, max_plan_months()), "first_due": first}


def default_letter(kind: str, facts: models.LetterFacts, schedule_input: dict | None = None) -> models.LetterText:
    if kind == "relance":
        return models.reminder(facts)
    if kind == "signalement-caf":
        return models.caf_report(facts)
    given = schedule_input or default_schedule_input(facts)
    schedule = repayment_schedule(given["amount"], given["months"], given["first_due"],
                                  facts.rent_with_charges, max_plan_months())
    return models.repayment_plan(facts, schedule)


def _as_raw(letter: models.LetterText) -> dict:
    raw = letter.fields()
    if letter.kind == "echeancier":
        # The form's box, in the visitor's way of writing it (the letter's text stays French).
        raw["amount"] = amount_input(letter.extra["amount"], context.lang())
        raw["months"] = str(letter.extra["months"])
        raw["first_due"] = dt.date.fromisoformat(letter.extra["first_due"]).strftime("%d/%m/%Y")
    return raw


def _form_class(kind: str):
    return RepaymentLetterForm if kind == "echeancier" else LetterForm


def _letter_from_raw(kind: str, raw: dict) -> models.LetterText:
    return models.LetterText(kind, *(raw.get(f, "") for f in models.TEXT_FIELDS))


def _current_raw(kind: str) -> dict:
    stored = _stored(kind)
    if stored:
        return stored
    return _as_raw(default_letter(kind, _facts()))


def _guard(kind: str):
    if kind not in models.KINDS:
        abort(404)
    first = steps.first_incomplete()
    if first is not None:
        return redirect(url_for("landlord.step", number=first))
    return None


@bp.route("/courriers/<kind>", methods=["GET", "POST"])
def letter(kind: str):
    blocked = _guard(kind)
    if blocked:
        return blocked
    form_class = _form_class(kind)
    if request.method == "GET":
        raw = _current_raw(kind)
        form = form_class(formdata=MultiDict(list(raw.items())), meta={"csrf": False})
        return _render_edit(kind, form)

    raw = {k: v for k, v in request.form.items() if k not in ("csrf_token", "action")}
    action = request.form.get("action", "pdf")
    if action == "reset":
        _forget(kind)
        return redirect(url_for("landlord.letter", kind=kind))
    form = form_class(formdata=MultiDict(list(raw.items())), meta={"csrf": False})
    valid = form.validate()
    if kind == "echeancier":
        valid = form.check_months(max_plan_months()) and valid
        if action == "recalculate" and not (form.amount.errors or form.months.errors or form.first_due.errors):
            try:
                fresh = default_letter(kind, _facts(), {"amount": form.amount.data, "months": form.months.data,
                                                        "first_due": form.first_due.data})
            except ScheduleError as error:
                _schedule_error(form, error)
            else:
                # Recalculating rewrites the body only; the rest stays as typed.
                raw["body"] = fresh.body
                _store(kind, raw)
                return redirect(url_for("landlord.letter", kind=kind, _anchor="texte"))
    # Kept even when invalid: nothing typed is lost.
    _store(kind, raw)
    if not valid or action == "recalculate":
        return _render_edit(kind, form)
    if action == "print":
        return redirect(url_for("landlord.letter_print", kind=kind))
    return _pdf_response(kind, _letter_from_raw(kind, raw))


def _schedule_error(form, error: ScheduleError) -> None:
    messages = {
        "more_than_cents": _("Trop de mensualités pour cette somme : chaque mensualité doit être d'au moins 0,01 €."),
        "too_many": _("Indiquez un nombre de mensualités entre 1 et %(max)s.", max=max_plan_months()),
        "too_few": _("Indiquez un nombre de mensualités entre 1 et %(max)s.", max=max_plan_months()),
        "not_positive": _("Le montant doit être supérieur à 0 €."),
    }
    field = form.months if error.field == "months" else form.amount
    field.errors = list(field.errors) + [messages.get(error.code, _("Valeur incorrecte."))]


def _render_edit(kind: str, form):
    return render_template("letters/edit.html", kind=kind, title=TITLES[kind], form=form,
                           max_months=max_plan_months(), kinds=models.KINDS, titles=TITLES,
                           stale=_is_stale(kind))


@bp.get("/courriers/<kind>/imprimer")
def letter_print(kind: str):
    blocked = _guard(kind)
    if blocked:
        return blocked
    letter = _letter_from_raw(kind, _current_raw(kind))
    return render_template("letters/print.html", kind=kind, title=TITLES[kind], letter=letter,
                           disclaimer=models.DISCLAIMER_FR, paragraphs=_paragraphs(letter.body))


@bp.get("/courriers/<kind>.pdf")
def letter_pdf(kind: str):
    blocked = _guard(kind)
    if blocked:
        return blocked
    return _pdf_response(kind, _letter_from_raw(kind, _current_raw(kind)))


def _paragraphs(body: str) -> list[str]:
    text = body.replace("\r\n", "\n").strip()
    return [p.strip("\n") for p in text.split("\n\n") if p.strip()]


def _pdf_response(kind: str, letter: models.LetterText):
    font_dir = current_app.config.get("LETTERS_FONT_DIR") or DEFAULT_FONT_DIR
    try:
        pdf = render_pdf(letter, font_dir)
    except LetterFontMissing as error:
        current_app.logger.error("%s", error)
        return render_error(503, _("PDF indisponible"),
                            _("Le PDF ne peut pas être créé sur ce serveur (police de caractères manquante). "
                              "Utilisez la version imprimable en attendant : vos textes sont conservés."))
    response = Response(pdf, mimetype="application/pdf")
    response.headers["Content-Disposition"] = f'attachment; filename="{FILENAMES[kind]}"'
    return response
