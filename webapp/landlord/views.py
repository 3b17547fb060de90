"""The questionnaire's steps and the plan page."""
from __future__ import annotations

import datetime as dt

from flask import abort, redirect, render_template, request, session, url_for
from flask_babel import gettext as _
from wtforms.fields.choices import SelectChoice

from webapp.landlord import answers, bp, context, steps
from webapp.letters.models import KINDS as LETTER_KINDS
from webapp.questionnaire import timeline
from webapp.triage import deadlines as dl
from webapp.triage.engine import national_number

# Longest list of communes offered for one query; beyond, ask to be more precise.
MAX_COMMUNE_CHOICES = 15


def _form_data() -> dict:
    return {k: v for k, v in request.form.items() if k not in ("csrf_token", "action")}


def _next_url(number: int) -> str:
    following = steps.next_number(number)
    if following is None:
        return url_for("landlord.plan_page")
    return url_for("landlord.step", number=following)


@bp.get("")
@bp.get("/")
def start():
    first = steps.first_incomplete()
    if first is None:
        return redirect(url_for("landlord.plan_page"))
    return redirect(url_for("landlord.step", number=first))


@bp.post("/recommencer")
def restart():
    from webapp.landlord.letter_views import SESSION_KEY as LETTERS_KEY
    steps.reset()
    session.pop(LETTERS_KEY, None)
    # The referral form must not pre-fill from answers the landlord just erased.
    if (session.get("triage_request") or {}).get("role") == "landlord":
        session.pop("triage_request", None)
    return redirect(url_for("landlord.step", number=1))


@bp.route("/etape/<int:number>", methods=["GET", "POST"])
def step(number: int):
    if not 1 <= number <= steps.TOTAL:
        abort(404)
    first = steps.first_incomplete()
    if first is not None and number > first:
        return redirect(url_for("landlord.step", number=first))
    current = steps.STEPS[number - 1]
    raw = _form_data() if request.method == "POST" else steps.raw_answers(current.slug)
    form = steps.bound_form(current, raw)
    candidates = []
    if current.slug == "commune":
        candidates = _commune_candidates(form, raw)

    if request.method == "POST":
        back = request.form.get("action") == "back"
        if current.slug == "commune":
            valid = _resolve_commune(form, raw, candidates, quiet=back)
        else:
            valid = form.validate()
        # Saved even when invalid or when going back: nothing typed is lost.
        steps.save_raw(current.slug, raw, done=valid)
        context.refresh_triage_request()
        if back:
            return redirect(url_for("landlord.step", number=max(1, number - 1)))
        if valid:
            return redirect(_next_url(number))
    prefilled = steps.prefilled()
    return render_template(
        "landlord/step.html", form=form, step=current, number=number, total=steps.TOTAL,
        candidates=candidates, prefilled=current.slug in prefilled,
        # On arrival from the chat: say why the landlord is here and what was reused.
        from_chat=request.args.get("depuis") == "assistant",
        reused=[s.title for s in steps.STEPS if s.slug in prefilled],
    )


def _commune_candidates(form, raw: dict) -> list:
    query = (raw.get("commune_query") or "").strip()
    found = context.directory().find_communes(query) if query else []
    choices = found[:MAX_COMMUNE_CHOICES]
    if len(found) > 1:
        form.insee.choices = [SelectChoice(c.insee, f"{c.name} ({', '.join(c.postcodes)})") for c in choices]
    return found


def _resolve_commune(form, raw: dict, found: list, quiet: bool = False) -> bool:
    """Pick the commune: the one match, or the visitor's choice among several."""
    if not form.validate():
        return False
    chosen = raw.get("insee")
    codes = [c.insee for c in found[:MAX_COMMUNE_CHOICES]]
    error = None
    if not found:
        error = (form.commune_query, _("Aucune commune du Territoire de Belfort ne correspond. "
                                       "Vérifiez l'orthographe ou indiquez le code postal."))
    elif len(found) > MAX_COMMUNE_CHOICES:
        error = (form.commune_query, _("Trop de communes correspondent : tapez le nom plus complet ou le code postal."))
    elif chosen in codes:
        return True
    elif len(found) == 1:
        raw["insee"] = found[0].insee
        return True
    else:
        error = (form.insee, _("Plusieurs communes correspondent : choisissez la vôtre dans la liste."))
    if not quiet:
        field, message = error
        field.errors = list(field.errors) + [message]
    raw.pop("insee", None)
    return False


@bp.get("/plan")
def plan_page():
    first = steps.first_incomplete()
    if first is not None:
        return redirect(url_for("landlord.step", number=first))
    lang = context.lang()
    rules, directory = context.rules(), context.directory()
    given = context.current_answers()
    body = context.refresh_triage_request()
    result, errors = answers.plan(body, rules, directory, context.today(), lang)
    if errors:
        # An answer that no longer holds (a date now in the future…): back to its step.
        slug = answers.FIELD_STEP.get(errors[0].field, "qui")
        number = next(i for i, s in enumerate(steps.STEPS, start=1) if s.slug == slug)
        return redirect(url_for("landlord.step", number=number))

    def fmt_date(iso: str) -> str:
        return rules.format_date(dt.date.fromisoformat(iso), lang)

    today = context.today()
    plan_steps = [_dated_step(item, rules, today, fmt_date) for item in result.action_plan or []]
    stage = body.get("stage") or "arrears"
    cdad = directory.structure("cdad-90")
    # The number, "appel gratuit" and the hours as the directory holds them now
    # (staff correct the number there, and a changed number is not called free).
    sos = national_number(directory, "sos_loyers_impayes", lang)
    return render_template(
        "landlord/plan.html",
        answers=given, result=result, plan_steps=plan_steps,
        cdad=cdad.public_dict(lang) if cdad else None,
        sos=sos,
        pages=_landlord_pages(lang), summary=_summary(given, rules, lang),
        picture=timeline.build(stage, result.deadlines, today), fmt_date=fmt_date, stage=stage,
        today_text=rules.format_date(today, lang),
        letter_kinds=LETTER_KINDS, letter_titles=_letter_titles(),
    )


# Steps that last a while, dated by their first day: the day before the next
# day outside the period, from the rule data (the truce's end, not written here).
PERIOD_ENDS = {
    "winter_truce": lambda rules, start: dl.truce_end_after(rules, start) - dt.timedelta(days=1),
}


def _dated_step(item: dict, rules, today: dt.date, fmt_date) -> dict:
    """The step with its date in words, and whether that date is past or its period under way.

    A period that has started but not ended is not past: it is under way until its
    last day (the winter truce from 1 November, on 24 November).
    """
    step = dict(item, date_text=None, past=False, until_text=None)
    if not item["date"]:
        return step
    start = dt.date.fromisoformat(item["date"])
    step["date_text"] = fmt_date(item["date"])
    if start >= today:
        return step
    end_of = PERIOD_ENDS.get(item["kind"])
    end = end_of(rules, start) if end_of else start
    if end >= today:
        step["until_text"] = fmt_date(end.isoformat())
    else:
        step["past"] = True
    return step


def _letter_titles() -> dict:
    from webapp.landlord.letter_views import TITLES
    return TITLES


def _landlord_pages(lang: str) -> list:
    from webapp.content import get_content
    try:
        return [p for p in get_content().listing(lang, "proprietaire") if p.audience == "proprietaire"]
    except Exception:  # noqa: BLE001  (a broken content tree must not hide the plan)
        return []


def _choice_label(form_field, value) -> str:
    for choice in form_field.choices:
        if choice.value == value:
            return str(choice.label)
    return str(value or "")


def _summary(given: dict, rules, lang: str) -> list[tuple[int, object, str]]:
    """(step number, step title, what was answered) for the recap."""
    from webapp.letters.formatting import money
    out = []
    for number, step in enumerate(steps.STEPS, start=1):
        form = steps.bound_form(step, steps.raw_answers(step.slug))
        if step.slug == "qui":
            text = _choice_label(form.landlord_entity, given.get("landlord_entity"))
        elif step.slug == "commune":
            text = given.get("commune_name") or ""
        elif step.slug == "bail":
            lease = given.get("lease_date")
            parts = [_("Bail du %(date)s", date=rules.format_date(lease, lang)) if lease else _("Date du bail inconnue")]
            parts.append(_("loyer %(rent)s, charges %(charges)s", rent=money(given["rent"], lang),
                           charges=money(given.get("charges") or 0, lang)))
            text = " · ".join(parts)
        elif step.slug == "impayes":
            text = _("%(debt)s impayés, sur %(months)s mois", debt=money(given["debt"], lang), months=given["months_unpaid"])
        elif step.slug == "aides":
            text = _choice_label(form.housing_benefit, given.get("housing_benefit"))
        elif step.slug == "garanties":
            chosen = [str(getattr(form, n).label.text) for n in ("has_guarantor", "has_gli", "has_visale") if given.get(n)]
            text = " · ".join(chosen) or _("Aucune garantie")
        elif step.slug == "contacts":
            text = _choice_label(form.tenant_contact, given.get("tenant_contact"))
        else:
            text = _choice_label(form.stage, given.get("stage"))
            dates = [_("%(label)s : %(value)s", label=getattr(form, n).label.text,
                       value=rules.format_date(given[n], lang))
                     for n in ("commandement_date", "hearing_date", "judgment_served_date",
                               "commandement_de_quitter_date") if given.get(n)]
            text = " · ".join([text] + dates)
        out.append((number, step.title, text))
    return out
