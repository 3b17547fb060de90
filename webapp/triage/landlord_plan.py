"""The landlord's dated action plan: what to do, by when, on what legal basis.

Steps come in the order a landlord meets them; a step whose date depends on a
date the landlord did not give keeps a null date rather than a guess.
"""
from __future__ import annotations

import datetime as dt

from webapp.triage import deadlines as dl
from webapp.triage.rules import Rules
from webapp.triage.situation import Situation


def _truce_start_for(rules: Rules, today: dt.date) -> dt.date:
    """Start of the truce running today, or of the next one."""
    if dl.in_winter_truce(rules, today):
        start = dl.next_truce_start(rules, today)
        return start if start <= today else dt.date(start.year - 1, start.month, start.day)
    return dl.next_truce_start(rules, today)


def action_plan(situation: Situation, rules: Rules, lang: str) -> list[dict]:
    s = situation
    fmt = rules.format_duration
    steps: list[dict] = []

    def step(kind: str, day: dt.date | None, rule_key: str | None, text_key: str | None = None, **values) -> None:
        node = rules.param(rule_key) if rule_key else {}
        steps.append({
            "kind": kind,
            "order": len(steps) + 1,
            "date": day.isoformat() if day else None,
            "label": rules.text("action_plan", text_key or kind, lang, **values),
            "legal_basis": node.get("legal_basis"),
            "sources": [{"title": x["title"], "url": x["url"], "lang": x.get("lang", "fr")}
                        for x in node.get("sources") or []],
        })

    step("contact_tenant", s.today, None)

    # Visale's own contract rule, not the law's: only a landlord who says the
    # lease is covered gets it. Undated: the questionnaire does not ask for the
    # first unpaid rent's date, and the step is counted from it.
    if s.has_visale is True:
        notice = rules.duration("visale", "notice_after_first_unpaid")
        step("visale_notice", None, "visale", period=fmt(notice, lang))

    if s.housing_benefit is None:
        # "Je ne sais pas": the duty depends on it, so the plan says to find out.
        step("caf_report", None, "caf_report", "caf_report.unknown",
             period=fmt(rules.duration("caf_report"), lang),
             months_of_rent=rules.param("caf_report")["constituted_at_months_of_rent"])
    if s.housing_benefit in ("paid_to_tenant", "paid_to_landlord"):
        caf = rules.param("caf_report")
        months = caf["constituted_at_months_of_rent"]
        # Reached on the rent and charges, the threshold is reached; below it, with
        # the aid paid to the landlord, it may be reached net of the aid, an
        # amount not asked: the step says how to count, not "not yet".
        constituted = s.debt_eur is not None and s.rent_eur is not None and s.rent_eur > 0 \
            and s.debt_eur >= months * s.rent_eur
        key = "caf_report.constituted" if constituted else \
            "caf_report.net_of_aid" if s.housing_benefit == "paid_to_landlord" else "caf_report"
        step("caf_report", s.today if constituted else None, "caf_report", key,
             period=fmt(rules.duration("caf_report"), lang), months_of_rent=months)

    payment_deadline = None
    if s.commandement_date is not None:
        payment_deadline = dl.payment_deadline(rules, s.commandement_date, s.lease_date, s.lease_date_precision,
                                               "landlord")
    guarantor = rules.duration("guarantor_notice")
    # Unknown (None) keeps the step: only a landlord who says "no guarantor" drops it.
    if s.has_guarantor is not False:
        step("guarantor_notice", dl.add(s.commandement_date, guarantor) if s.commandement_date else None,
             "guarantor_notice", period=fmt(guarantor, lang))

    # Individuals and family SCIs are not bound by art. 24 II; unknown keeps the step.
    if s.landlord_entity in (None, "legal_person"):
        ccapex = rules.duration("ccapex_referral_legal_person", "before_assignation")
        ccapex_day = None
        if payment_deadline is not None:
            # The assignation may be served the day after the payment period ends.
            ccapex_day = dl.add(payment_deadline + dt.timedelta(days=1), ccapex, sign=-1)
        step("ccapex_referral", ccapex_day, "ccapex_referral_legal_person", period=fmt(ccapex, lang))

    period, case = dl.payment_period(rules, s.lease_date, s.lease_date_precision, "landlord")
    step("payment_deadline", payment_deadline, "commandement_payment_period", f"payment_deadline.{case}",
         period=fmt(period, lang), cutoff=rules.format_date(rules.lease_cutoff, lang),
         new_period=fmt(rules.duration("commandement_payment_period", "on_or_after_cutoff"), lang))

    if s.hearing_date is not None:
        notice = rules.duration("prefect_notice_before_hearing")
        step("prefect_notice", dl.add(s.hearing_date, notice, sign=-1), "prefect_notice_before_hearing",
             period=fmt(notice, lang))
        step("hearing", s.hearing_date, "payment_time_conditions")
    if s.judgment_served_date is not None:
        step("appeal_deadline", dl.appeal_deadline(rules, s.judgment_served_date), "appeal_period",
             period=fmt(rules.duration("appeal_period"), lang),
             refere_period=fmt(rules.duration("appeal_period", "refere_period"), lang))
    if s.commandement_de_quitter_date is not None:
        day, _ = dl.earliest_eviction(rules, s.commandement_de_quitter_date)
        step("earliest_eviction", day, "wait_after_commandement_de_quitter",
             period=fmt(rules.duration("wait_after_commandement_de_quitter"), lang))

    truce = rules.param("winter_truce")
    step("winter_truce", _truce_start_for(rules, s.today), "winter_truce",
         start=rules.format_day_month(truce["start"]["month"], truce["start"]["day"], lang),
         end=rules.format_day_month(truce["end"]["month"], truce["end"]["day"], lang))
    step("no_self_help", None, "illegal_eviction_offence")
    return steps
