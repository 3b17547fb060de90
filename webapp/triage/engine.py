"""The triage: a situation in, the same answer for every channel out.

Pure functions (no Flask): the API, both questionnaires and the chatbot call
`evaluate`, so a rule lives here once. Parameters and texts come from
content/rules/ through `Rules`; every contact detail, the national helplines'
numbers included, comes from the directory, so a staff correction there
shows in the next answer.
"""
from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field
from typing import Any

from webapp.triage import deadlines as dl
from webapp.triage.landlord_plan import action_plan
from webapp.triage.rules import Rules
from webapp.triage.situation import Directory, Situation

HIGH_STAGES = ("commandement_de_payer", "assignation", "jugement", "commandement_de_quitter")
BEFORE_JUDGMENT = ("arrears", "commandement_de_payer", "assignation")
AFTER_JUDGMENT = ("jugement", "commandement_de_quitter", "expulsion_scheduled")
# Services reached by a national number: no local directory entry to show.
NATIONAL_KINDS = ("police", "helpline")
# The directory entry holding each national number the answers quote. The
# police's 17 is not one (no directory entry by decision): Rules.police_phone.
HELPLINE_ENTRIES = {
    "allo_prevention_expulsion": "allo-prevention-expulsion",
    "sos_loyers_impayes": "sos-loyers-impayes",
    "point_justice": "point-justice-3039",
    "banque_de_france": "banque-de-france-3414",
}
ORIENTATION_KINDS = (
    "cdad", "social_worker", "fsl", "caf", "banque_de_france",
    "action_logement", "police", "dalo", "helpline",
)


@dataclass
class TriageResult:
    urgency: str
    orientations: list[dict]
    deadlines: list[dict]
    next_steps: list[dict]
    sources: list[dict]
    action_plan: list[dict] | None = None

    def to_dict(self) -> dict[str, Any]:
        data = {
            "urgency": self.urgency,
            "orientations": self.orientations,
            "deadlines": self.deadlines,
            "next_steps": self.next_steps,
            "sources": self.sources,
        }
        if self.action_plan is not None:
            data["action_plan"] = self.action_plan
        return data


@dataclass
class _Builder:
    situation: Situation
    rules: Rules
    directory: Directory
    lang: str
    orientations: list[dict] = field(default_factory=list)
    next_steps: list[dict] = field(default_factory=list)
    source_keys: list[str] = field(default_factory=list)
    # Sources of the directory's contact details quoted in the texts.
    contact_sources: list[dict] = field(default_factory=list)

    def cite(self, *keys: str) -> None:
        for key in keys:
            if key not in self.source_keys:
                self.source_keys.append(key)

    def orient(self, kind: str, reason_key: str, *, cite: tuple[str, ...] = (), extra: str = "", **values) -> None:
        reason = self.rules.text("reasons", reason_key, self.lang, **values)
        if extra:
            reason = f"{reason} {extra}"
        self.orientations.append({
            "kind": kind,
            "priority": len(self.orientations) + 1,
            "reason": reason,
            "structure": self._structure(kind),
            "page": self.rules.page("orientations", self.situation.role, kind),
        })
        self.cite(*cite)

    def step(self, key: str, link: str | None = None, **values) -> None:
        link = link or self.rules.page("next_steps", None, key)
        self.next_steps.append({"text": self.rules.text("next_steps", key, self.lang, **values), "link": link})

    def _structure(self, kind: str) -> dict | None:
        if kind in NATIONAL_KINDS or self.situation.commune is None:
            return None
        found = self.directory.nearest(self.situation.commune, kind)
        return found.public_dict(self.lang) if found is not None else None

    def helpline_call(self, name: str) -> dict | None:
        """{phone, notes} for a text's "au {phone}{notes}"; None when the directory has no number.

        The number and its notes are cited with the directory's sources for them.
        """
        number = national_number(self.directory, name, self.lang)
        if number is None:
            return None
        for url in (number["source"], number["free_source"]):
            if url:
                self.contact_sources.append({"title": number["name"], "url": url, "lang": self.lang})
        return {"phone": number["phone"], "notes": call_notes(self.rules, number, self.lang)}

    def sources(self) -> list[dict]:
        seen: set[str] = set()
        out = []
        cited = [source for key in self.source_keys for source in self.rules.sources(key)]
        for source in cited + self.contact_sources:
            if source["url"] not in seen:
                seen.add(source["url"])
                # The language of the title: the rule data cites French documents
                # by their French titles (an English page marks them lang="fr").
                out.append({"title": source["title"], "url": source["url"], "lang": source.get("lang", "fr")})
        return out


def national_number(directory: Directory, name: str, lang: str = "fr") -> dict | None:
    """A national number (key of HELPLINE_ENTRIES) as the directory holds it now; None when it has none.

    Gives the structure's name, the printed phone, its tel: URI, whether the
    directory says the call is free (`free_call`: never for a number staff
    changed), the opening hours, and the public sources of the number and of
    the free call (None for what the structure's staff declared: the directory
    page says so).
    """
    structure = directory.structure(HELPLINE_ENTRIES[name])
    phone = structure.contact("phone") if structure is not None else None
    if phone is None:
        return None
    free = structure.is_free_call
    hours = structure.contact("opening_hours")
    return {"name": structure.text("name", lang), "phone": phone.text(lang), "phone_uri": structure.phone_uri,
            "free_call": free, "hours": hours.text(lang) if hours else None,
            "source": phone.source if phone.source_is_url else None,
            "free_source": structure.free_call.source if free and structure.free_call.source_is_url else None}


def call_notes(rules: Rules, number: dict, lang: str) -> str:
    """What follows a number in a text: " (appel gratuit ; du lundi au vendredi)", or "" when nothing is known.

    "gratuit" only when the directory says so; the hours are the directory's,
    shaped to sit inside the parenthesis.
    """
    notes = [rules.text("calls", "free", lang)] if number["free_call"] else []
    hours = " ".join((number.get("hours") or "").split()).rstrip(". ")
    # "Du lundi au vendredi" after "appel gratuit ; ": French does not
    # capitalise there. English day names keep their capital; so does an acronym.
    if lang == "fr" and len(hours) > 1 and hours[0].isupper() and hours[1].islower():
        hours = hours[0].lower() + hours[1:]
    if hours:
        notes.append(hours)
    return f" ({rules.text('calls', 'separator', lang).join(notes)})" if notes else ""


def tel(phone: str) -> str:
    return "tel:" + "".join(ch for ch in phone if ch.isdigit() or ch == "+")


def evaluate(situation: Situation, rules: Rules, directory: Directory, lang: str | None = None) -> TriageResult:
    """Triage one situation: urgency, ordered orientations, deadlines, next steps, sources."""
    lang = lang or situation.lang
    b = _Builder(situation, rules, directory, lang)
    stage = situation.stage or "arrears"
    if situation.role == "tenant":
        _tenant_orientations(b, stage)
        _tenant_next_steps(b, stage)
    else:
        _landlord_orientations(b)
        _landlord_next_steps(b)
    return TriageResult(
        urgency=urgency(situation, rules),
        orientations=b.orientations,
        deadlines=deadline_list(situation, rules, lang, b),
        next_steps=b.next_steps,
        sources=b.sources(),
        action_plan=action_plan(situation, rules, lang) if situation.role == "landlord" else None,
    )


def urgency(situation: Situation, rules: Rules) -> str:
    stage = situation.stage or "arrears"
    if stage in ("expulsion_scheduled", "illegal_eviction"):
        return "immediate"
    threshold = rules.param("hearing_immediate_threshold")["days"]
    if stage == "assignation" and situation.hearing_date is not None:
        if (situation.hearing_date - situation.today).days <= threshold:
            return "immediate"
    if stage == "commandement_de_quitter" and situation.commandement_de_quitter_date is not None:
        # An eviction possible within the same days (or already) is as urgent
        # as a hearing that close: it read "high" two days before.
        earliest, _pushed = dl.earliest_eviction(rules, situation.commandement_de_quitter_date)
        if (earliest - situation.today).days <= threshold:
            return "immediate"
    if stage in HIGH_STAGES:
        return "high"
    return "normal"


def _tenant_orientations(b: _Builder, stage: str) -> None:
    s, rules = b.situation, b.rules
    jex = {
        "jex_min": rules.format_duration(rules.duration("jex_extra_time", "min"), b.lang),
        "jex_max": rules.format_duration(rules.duration("jex_extra_time", "max"), b.lang),
    }
    charter = ("departmental_charter",)

    if stage == "illegal_eviction":
        b.orient("police", "police.illegal_eviction", cite=("illegal_eviction_offence",), phone=rules.police_phone)
        b.orient("cdad", "cdad.illegal_eviction", cite=charter)
        b.orient("social_worker", "social_worker.illegal_eviction", cite=charter)
    elif stage == "expulsion_scheduled":
        b.orient("social_worker", "social_worker.expulsion_scheduled", cite=charter)
        b.orient("cdad", "cdad.expulsion_scheduled", cite=("jex_extra_time",))
        b.orient("dalo", "dalo", cite=("dalo_threatened_eviction",))
    elif stage == "arrears":
        b.orient("social_worker", "social_worker.arrears", cite=charter)
        if s.landlord_kind == "private":
            b.orient("cdad", "cdad.arrears_private", cite=charter)
    elif stage == "commandement_de_payer":
        b.orient("social_worker", "social_worker.procedure", cite=charter)
        b.orient("cdad", "cdad.commandement_de_payer", cite=("commandement_payment_period",))
    else:  # assignation, jugement, commandement_de_quitter: the court leads
        cdad_cite = {"assignation": ("payment_time_conditions",), "jugement": ("appeal_period",),
                     "commandement_de_quitter": ("jex_extra_time",)}[stage]
        passed = stage == "assignation" and s.hearing_passed
        b.orient("cdad", "cdad.assignation_hearing_passed" if passed else f"cdad.{stage}", cite=cdad_cite, **jex)
        b.orient("social_worker", "social_worker.after_judgment" if stage in AFTER_JUDGMENT
                 else "social_worker.procedure", cite=charter)
        # The rule data says from which stages a household may file (R.441-14-1).
        if stage in rules.param("dalo_threatened_eviction")["from_stages"]:
            b.orient("dalo", "dalo", cite=("dalo_threatened_eviction",))

    if stage != "illegal_eviction":
        _fsl(b, stage)
        if s.housing_benefit in ("paid_to_tenant", "paid_to_landlord"):
            b.orient("caf", "caf.tenant", cite=("caf_report",))
        if s.private_sector_employee:
            b.orient("action_logement", "action_logement", cite=("action_logement",))
        if s.overindebtedness in ("filed", "admissible"):
            b.orient("banque_de_france", f"banque_de_france.{s.overindebtedness}", cite=("banque_de_france",),
                     suspension_max=rules.format_duration(
                         rules.duration("banque_de_france", "expulsion_suspension_max"), b.lang))
        elif s.other_debts:
            bdf = b.helpline_call("banque_de_france")
            if bdf is None:
                b.orient("banque_de_france", "banque_de_france.other_debts_no_phone", cite=("banque_de_france",))
            else:
                b.orient("banque_de_france", "banque_de_france.other_debts", cite=("banque_de_france",),
                         phone=bdf["phone"])
    # A helpline is its number: without one in the directory, it is left out.
    ape = b.helpline_call("allo_prevention_expulsion")
    if ape is not None:
        b.orient("helpline", "helpline.tenant", **ape)


def fsl_assessment(situation: Situation, rules: Rules, stage: str) -> str | None:
    """within_scale | above_scale | income_unknown | after_judgment, or None when the FSL does not apply.

    The scale is from 2020 and the current rules are unknown, so an income
    above it is told so, never dropped (content/rules/aids.yaml).
    """
    scale = rules.param("fsl_income_scale")
    if situation.debt_eur is not None and situation.debt_eur <= 0:
        return None
    if stage in scale["stages_without_scale"]:
        return "after_judgment"
    if stage not in scale["stages"]:
        return None
    income = situation.monthly_income_eur
    if income is None:
        return "income_unknown"
    return "within_scale" if income <= _fsl_ceiling(scale, situation.household_size) else "above_scale"


def _fsl_ceiling(scale: dict, household_size: int | None) -> float:
    by_size = scale.get("by_household_size")
    if by_size and household_size is not None:
        sizes = sorted(int(k) for k in by_size)
        usable = [k for k in sizes if k <= household_size] or sizes[:1]
        return float(by_size[usable[-1]])
    return float(scale["monthly_ceiling_eur"])


def _fsl(b: _Builder, stage: str) -> None:
    assessment = fsl_assessment(b.situation, b.rules, stage)
    if assessment is None:
        return
    if assessment == "after_judgment":
        b.orient("fsl", "fsl.after_judgment", cite=("fsl_income_scale",))
        return
    scale = b.rules.param("fsl_income_scale")
    extra = "" if scale.get("by_household_size") else b.rules.text("reasons", "fsl.household_size_note", b.lang)
    ceiling = _fsl_ceiling(scale, b.situation.household_size)
    shown = f"{ceiling:,.0f}".replace(",", "\u202f" if b.lang == "fr" else ",")
    b.orient("fsl", f"fsl.{assessment}", cite=("fsl_income_scale",), extra=extra, ceiling=shown, year=scale["year"])


def _landlord_orientations(b: _Builder) -> None:
    s, rules = b.situation, b.rules
    b.orient("cdad", "cdad.landlord", cite=("departmental_charter",))
    if s.housing_benefit in ("paid_to_tenant", "paid_to_landlord"):
        caf = rules.param("caf_report")
        b.orient("caf", "caf.landlord", cite=("caf_report",),
                 period=rules.format_duration(rules.duration("caf_report"), b.lang),
                 months_of_rent=caf["constituted_at_months_of_rent"])
    sos = b.helpline_call("sos_loyers_impayes")
    if sos is not None:
        b.orient("helpline", "helpline.landlord", **sos)


def _tenant_next_steps(b: _Builder, stage: str) -> None:
    s, rules = b.situation, b.rules
    jex = {
        "jex_min": rules.format_duration(rules.duration("jex_extra_time", "min"), b.lang),
        "jex_max": rules.format_duration(rules.duration("jex_extra_time", "max"), b.lang),
    }
    legal_aid = rules.param("legal_aid")["simulator_url"]
    if stage in AFTER_JUDGMENT and dl.in_winter_truce(rules, s.today):
        # First: a household told of an eviction in winter must read that
        # none can take place by force before April, and use the months.
        b.step("tenant.winter_truce_now", truce=truce_text(rules, b.lang),
               truce_end_next=rules.format_date(dl.truce_end_after(rules, s.today), b.lang))
        b.cite("winter_truce")
    if stage == "illegal_eviction":
        b.step("tenant.call_police", tel(rules.police_phone), phone=rules.police_phone)
        b.step("tenant.keep_evidence")
    elif stage == "arrears":
        b.step("tenant.keep_paying")
        b.step("tenant.write_to_landlord")
    elif stage == "commandement_de_payer":
        safe_passed = s.commandement_date is not None and dl.payment_deadline(
            rules, s.commandement_date, s.lease_date, s.lease_date_precision) < s.today
        period, case = dl.payment_period(rules, s.lease_date, s.lease_date_precision)
        latest = dl.latest_payment_deadline(rules, s.commandement_date) if s.commandement_date else None
        if safe_passed and case != "on_or_after_cutoff" and latest >= s.today:
            # The safe date has gone by, but an older lease (or one of unknown
            # date) may give the long period: paying by its end may still
            # save the lease. "Le délai est passé" would make the household
            # give up on it.
            long = rules.duration("commandement_payment_period", "before_cutoff")
            b.step("tenant.payment_period_maybe_over", period=rules.format_duration(period, b.lang),
                   old_period=rules.format_duration(long, b.lang), long_date=rules.format_date(latest, b.lang))
        elif safe_passed:
            # "Pay before the deadline" once it has gone by: the landlord may
            # now assign (brief §1.1 row 4); what still helps is the rent.
            b.step("tenant.payment_period_over", max_payment_time=rules.format_duration(
                rules.duration("payment_time_conditions", "max_payment_time"), b.lang))
            b.cite("payment_time_conditions")
        else:
            b.step("tenant.pay_before_deadline")
        b.step("tenant.write_to_landlord")
    elif stage == "assignation" and s.hearing_passed:
        # "Go to the hearing" is wrong once its day has gone by: a decision
        # may exist, and the time to appeal may be running.
        b.step("tenant.hearing_passed",
               appeal_period=rules.format_duration(rules.duration("appeal_period"), b.lang),
               refere_period=rules.format_duration(rules.duration("appeal_period", "refere_period"), b.lang))
        b.step("tenant.legal_aid", legal_aid)
        b.cite("legal_aid", "appeal_period")
    elif stage == "assignation":
        b.step("tenant.attend_hearing")
        # Paying each month's rent again before the hearing is a condition
        # of the judge's payment time: said unless the household said it does.
        if s.resumed_rent is not True:
            b.step("tenant.resume_rent_not_yet")
        else:
            b.step("tenant.keep_paying")
        b.step("tenant.legal_aid", legal_aid)
        b.cite("legal_aid")
    elif stage == "jugement":
        b.step("tenant.respect_schedule")
        b.step("tenant.legal_aid", legal_aid)
        b.step("tenant.dalo")
        b.cite("legal_aid")
    else:  # commandement_de_quitter, expulsion_scheduled
        b.step("tenant.jex", **jex)
        b.step("tenant.dalo")
    if s.landlord_kind == "social" and stage in AFTER_JUDGMENT:
        b.step("tenant.protocole")
        b.cite("protocole_cohesion_sociale")
    for name, key in (("point_justice", "point_justice"), ("allo_prevention_expulsion", "helpline.tenant")):
        call = b.helpline_call(name)
        if call is not None:
            b.step(key, tel(call["phone"]), **call)


def _landlord_next_steps(b: _Builder) -> None:
    b.step("landlord.contact_tenant")
    b.step("landlord.no_self_help")
    b.cite("illegal_eviction_offence")
    sos = b.helpline_call("sos_loyers_impayes")
    if sos is not None:
        b.step("helpline.landlord", tel(sos["phone"]), **sos)


def deadline_list(situation: Situation, rules: Rules, lang: str, b: _Builder | None = None) -> list[dict]:
    """Every deadline the known dates allow, earliest first."""
    out: list[tuple[dt.date, dict]] = []
    fmt = rules.format_duration
    cutoff = rules.format_date(rules.lease_cutoff, lang)

    def add(kind: str, day: dt.date, label: str, *cite: str) -> None:
        # "passed": the one place that says a date has gone by, for the
        # result page, the chat and the API's other users alike.
        out.append((day, {"kind": kind, "date": day.isoformat(), "passed": day < situation.today, "label": label,
                          "link": rules.page("deadlines", situation.role, kind)}))
        if b is not None:
            b.cite(*cite)

    if situation.commandement_date is not None:
        period, case = dl.payment_period(rules, situation.lease_date, situation.lease_date_precision,
                                         situation.role)
        old = rules.duration("commandement_payment_period", "before_cutoff")
        new = rules.duration("commandement_payment_period", "on_or_after_cutoff")
        # A lease signed before the cut-off and renewed since may have the
        # short period (debated, brief §1.2): the text says so. A landlord
        # reads when to wait until, not when to pay by.
        key = f"payment_deadline.{case}" + (".landlord" if situation.role == "landlord" else "")
        # The tenant's date is the safe one; its text also gives the long
        # period's end, until which paying may still save an older lease.
        long_date = rules.format_date(dl.latest_payment_deadline(rules, situation.commandement_date), lang)
        label = rules.text("deadlines", key, lang, period=fmt(period, lang), long_date=long_date,
                           cutoff=cutoff, old_period=fmt(old, lang), new_period=fmt(new, lang))
        add("payment_deadline", dl.add(situation.commandement_date, period), label, "commandement_payment_period")
    if situation.hearing_date is not None:
        if situation.hearing_passed:
            label = rules.text("deadlines", "hearing.past", lang)
        elif situation.role == "landlord":
            max_time = fmt(rules.duration("payment_time_conditions", "max_payment_time"), lang)
            label = rules.text("deadlines", "hearing.landlord", lang, max_payment_time=max_time)
        else:
            label = rules.text("deadlines", "hearing", lang, max_payment_time=fmt(
                rules.duration("payment_time_conditions", "max_payment_time"), lang))
        add("hearing", situation.hearing_date, label, "payment_time_conditions")
    if situation.judgment_served_date is not None:
        refere = rules.duration("appeal_period", "refere_period")
        label = rules.text("deadlines", "appeal_deadline", lang, period=fmt(rules.duration("appeal_period"), lang),
                           refere_period=fmt(refere, lang),
                           refere_date=rules.format_date(dl.add(situation.judgment_served_date, refere), lang))
        add("appeal_deadline", dl.appeal_deadline(rules, situation.judgment_served_date), label, "appeal_period")
    if situation.commandement_de_quitter_date is not None:
        day, pushed = dl.earliest_eviction(rules, situation.commandement_de_quitter_date)
        period = fmt(rules.duration("wait_after_commandement_de_quitter"), lang)
        if day < situation.today and dl.in_winter_truce(rules, situation.today):
            # The 2 months ended before this winter: "26 octobre (date
            # passée)" read as "any day now", when no forced eviction can
            # take place before the truce ends.
            day = dl.truce_end_after(rules, situation.today)
            label = rules.text("deadlines", "earliest_eviction.truce_now", lang, period=period,
                               truce=truce_text(rules, lang), truce_end_next=rules.format_date(day, lang))
        elif pushed:
            label = rules.text("deadlines", "earliest_eviction.truce", lang, period=period,
                               truce=truce_text(rules, lang), truce_end_next=rules.format_date(day, lang))
        else:
            label = rules.text("deadlines", "earliest_eviction", lang, period=period)
        add("earliest_eviction", day, label, "wait_after_commandement_de_quitter", "winter_truce")
    out.sort(key=lambda pair: pair[0])
    return [entry for _, entry in out]


def truce_text(rules: Rules, lang: str) -> str:
    node = rules.param("winter_truce")
    start = rules.format_day_month(node["start"]["month"], node["start"]["day"], lang)
    end = rules.format_day_month(node["end"]["month"], node["end"]["day"], lang)
    return f"{start} – {end}"
