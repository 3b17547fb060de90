"""Tenant questionnaire: one question per screen, answers in the server-side
session (never in the URL), then the triage result with the timeline.
"""
from __future__ import annotations

import datetime as dt

from flask import abort, current_app, redirect, render_template, request, session, url_for
from flask_babel import get_locale
from flask_babel import gettext as _
from wtforms.fields.choices import SelectChoice

from webapp.questionnaire import bp, timeline
from webapp.questionnaire import steps as st
from webapp.questionnaire.forms import parse_user_date
from webapp.questionnaire.labels import KIND_LABELS
from webapp.triage.api import get_rules, get_triage_directory
from webapp.triage.engine import evaluate
from webapp.triage.situation import parse_situation

SESSION_KEY = "questionnaire_locataire"


def _answers() -> dict:
    return dict(session.get(SESSION_KEY) or {})


def _save(answers: dict) -> None:
    session[SESSION_KEY] = answers


def _lang() -> str:
    return str(get_locale().language) if get_locale() else "fr"


def _today() -> dt.date:
    # Tests and demos may pin the day; real use is the server's date.
    return current_app.config.get("TRIAGE_TODAY") or dt.date.today()


@bp.get("/locataire")
def tenant_start():
    answers = _answers()
    step = st.first_unanswered(answers) or st.TENANT_STEPS[0]
    return redirect(url_for("questionnaire.tenant_step", slug=step.slug))


@bp.post("/locataire/recommencer")
def tenant_restart():
    session.pop(SESSION_KEY, None)
    return redirect(url_for("questionnaire.tenant_step", slug=st.TENANT_STEPS[0].slug))


def _make_form(step: st.Step, answers: dict, formdata):
    """The step's form, pre-filled from the stored answers, worded for the stage."""
    stage = answers.get("stage")
    if step.slug in ("date", "bail"):
        key, unknown = st.answer_keys(step, stage)
        data = {"day": answers.get(key, ""), "unknown": answers.get(unknown) == "y"}
    elif step.slug == "dette":
        data = {"debt_eur": answers.get("debt_eur", ""), "unknown": answers.get("debt_unknown") == "y"}
    elif step.slug == "ressources":
        data = {"monthly_income_eur": answers.get("monthly_income_eur", ""),
                "household_size": answers.get("household_size", ""),
                "unknown": answers.get("income_unknown") == "y"}
    else:
        data = {key: answers.get(key) for key in step.keys}
    # formdata=None on GET: show the stored answers, not an empty submission.
    form = step.form(formdata=formdata, data=data)
    if step.slug == "commune":
        directory = get_triage_directory()
        communes = sorted(directory.communes(), key=lambda c: c.key) if directory else []
        form.commune.choices = [SelectChoice("", _("Choisissez votre commune"))] + [
            SelectChoice(c.insee, f"{c.name} ({', '.join(c.postcodes)})") for c in communes]
    if step.slug == "date" and stage in st.KEY_DATES:
        _field, question, past = st.KEY_DATES[stage]
        form.day.label.text = question
        form.must_be_past = past
        form.today = _today()
        rules = get_rules()
        wait = rules.format_duration(rules.duration("wait_after_commandement_de_quitter"), _lang())
        form.hint = str(st.KEY_DATE_HINTS[stage]) % {"period": wait} if stage == "commandement_de_quitter" \
            else st.KEY_DATE_HINTS[stage]
    if step.slug == "bail":
        form.day.label.text = _("Quand avez-vous signé votre bail, ou quand a-t-il été renouvelé pour la dernière fois ?")
        form.today = _today()
        rules, lang = get_rules(), _lang()
        form.hint = _("Regardez la date de signature sur votre bail. Pour un bail signé ou renouvelé depuis le %(cutoff)s, "
                      "le délai pour payer est de %(new)s ; avant, il peut être de %(old)s.",
                      cutoff=rules.format_date(rules.lease_cutoff, lang),
                      new=rules.format_duration(rules.duration("commandement_payment_period", "on_or_after_cutoff"), lang),
                      old=rules.format_duration(rules.duration("commandement_payment_period", "before_cutoff"), lang))
    return form


def _store(step: st.Step, form, answers: dict) -> None:
    if step.slug in ("date", "bail"):
        key, unknown = st.answer_keys(step, answers.get("stage"))
        text = (form.day.data or "").strip()
        day = parse_user_date(text) if text else None
        answers[key] = day.isoformat() if day else ""
        answers[unknown] = "y" if not day else ""
    elif step.slug == "dette":
        answers["debt_eur"] = (form.debt_eur.data or "").strip()
        answers["debt_unknown"] = "" if answers["debt_eur"] else "y"
    elif step.slug == "ressources":
        answers["monthly_income_eur"] = (form.monthly_income_eur.data or "").strip()
        answers["household_size"] = (form.household_size.data or "").strip()
        answers["income_unknown"] = "" if answers["monthly_income_eur"] else "y"
    else:
        for key in step.keys:
            answers[key] = getattr(form, key).data


@bp.route("/locataire/<slug>", methods=["GET", "POST"])
def tenant_step(slug: str):
    step = st.BY_SLUG.get(slug)
    if step is None:
        abort(404)
    answers = _answers()
    path = st.applicable(answers)
    if step not in path:
        # A step the chosen stage does not need (or no stage yet).
        return redirect(url_for("questionnaire.tenant_start"))
    index = path.index(step)
    missing = st.first_unanswered(answers)
    if missing is not None and path.index(missing) < index:
        return redirect(url_for("questionnaire.tenant_step", slug=missing.slug))

    if request.method == "POST":
        form = _make_form(step, answers, request.form)
        going_back = request.form.get("action") == "back"
        if form.validate():
            _store(step, form, answers)
            _save(answers)
        elif not going_back:
            return _render_step(step, form, answers, index, path), 400
        if going_back:
            previous = path[index - 1] if index > 0 else None
            target = url_for("questionnaire.tenant_step", slug=previous.slug) if previous else url_for("main.tenant_hub")
            return redirect(target)
        # Walk on in order (answers already given are shown pre-filled), on
        # the path of the stage just chosen, which may differ from before.
        path = st.applicable(answers)
        position = path.index(step)
        if position + 1 < len(path):
            return redirect(url_for("questionnaire.tenant_step", slug=path[position + 1].slug))
        return redirect(url_for("questionnaire.tenant_result"))

    form = _make_form(step, answers, None)
    return _render_step(step, form, answers, index, path)


def _render_step(step, form, answers, index, path):
    previous = path[index - 1] if index > 0 else None
    return render_template(
        "questionnaire/step.html",
        step=step, form=form, number=index + 1, total=len(path), previous=previous,
        hint=getattr(form, "hint", None),
    )


def _situation(answers: dict):
    body = st.triage_request(answers, _today(), _lang())
    situation, errors = parse_situation(body, get_triage_directory(), _today())
    if not errors:
        # The referral form pre-fills from the last triage request of this
        # session, whatever channel produced it (questionnaire, chat, landlord).
        session["triage_request"] = body
    return situation, errors


@bp.get("/locataire/resultat")
def tenant_result():
    answers = _answers()
    if st.first_unanswered(answers) is not None:
        return redirect(url_for("questionnaire.tenant_start"))
    situation, errors = _situation(answers)
    if errors:
        # Each step checks what the engine checks, so this is a rule changed
        # under a session: back to the answer's step, every answer kept.
        current_app.logger.warning("questionnaire answers rejected by triage: %s", errors)
        return redirect(url_for("questionnaire.tenant_step", slug=st.step_for_field(errors[0].field)))
    return render_triage_result(situation, _lang())


def render_triage_result(situation, lang: str):
    """The result page for a checked situation: used by the questionnaire and the chat."""
    rules = get_rules()
    result = evaluate(situation, rules, get_triage_directory(), lang)
    picture = timeline.build(situation.stage, result.deadlines, situation.today)
    return render_template(
        "questionnaire/result.html",
        result=result, situation=situation, picture=picture, today=situation.today,
        # The rules' format, as in the deadlines' labels: "2 January 2027", "2 janvier 2027".
        fmt_date=lambda iso: rules.format_date(dt.date.fromisoformat(iso), lang),
        first_step=st.TENANT_STEPS[0], kind_labels=KIND_LABELS,
    )
