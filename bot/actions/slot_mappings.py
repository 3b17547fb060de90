"""Slots read from every message, inside or outside the form."""
from typing import Any, Dict, List, Optional, Text

from rasa_sdk import Tracker
from rasa_sdk.executor import CollectingDispatcher
from rasa_sdk.forms import ValidationAction
from rasa_sdk.types import DomainDict

from . import answers, dialogue, helplines
from .amounts import parse_amount
from .communes import resolve_commune_entity
from .texts import REFERRAL_URL, lang_of, text

# Answers typed to an aid question that the NLU reads as a question on the same
# topic ("je touche l'apl", "j'ai un dossier a la banque de france"): the form
# leaves interruption intents to the rules, so the answer is read here, before
# the form runs. The slot filled, the form is not rejected and goes on to the
# next question; a real question ("c'est quoi l'apl ?") fills nothing, so the
# form rejects it and the interruption rule answers it.
_ANSWERS_READ_AS_QUESTIONS = {
    "housing_benefit": frozenset({"question_apl", "demander_aide_financiere"}),
    "debts": frozenset({"question_surendettement", "demander_aide_financiere"}),
}


class ValidateSlotMappings(ValidationAction):
    """Keep the page language, and catch facts told before they are asked."""

    async def run(self, dispatcher: CollectingDispatcher, tracker: Tracker,
                  domain: DomainDict) -> List[Dict[Text, Any]]:
        events = await super().run(dispatcher, tracker, domain)
        if lang_of(tracker) == "fr" and answers.written_in_english(tracker.latest_message.get("text") or "") \
                and not _english_pointed_out(tracker):
            # English typed on the French page: where the English version is,
            # once; the answer itself follows, in the page's language.
            dispatcher.utter_message(response="utter_english_available")
        if answers.gives_contact_details(tracker.latest_message.get("text") or ""):
            # The chat never asks for them and passes them to no one: say so,
            # and where a call back is asked for, with consent.
            lang = lang_of(tracker)
            dispatcher.utter_message(text=text("contact_details_not_here", lang))
            dispatcher.utter_message(json_message={
                "kind": "handoff", "links": [{"title": text("button_referral", lang), "url": REFERRAL_URL}]})
        # The helplines' call clauses, in this message's language: all four on
        # the first message (this runs before the prediction, so its replies
        # see them), then only one that differs: the page's language changed,
        # or a staff edit of the directory once the cache expired (a minute).
        # Every event stays in the tracker and costs Rasa time on each later
        # message, so an unchanged clause is not set again.
        return events + await helplines.slot_events(tracker, lang_of(tracker))

    def extract_lang(self, dispatcher: CollectingDispatcher, tracker: Tracker,
                     domain: DomainDict) -> Dict[Text, Any]:
        lang = lang_of(tracker)
        return {} if lang == tracker.get_slot("lang") else {"lang": lang}

    def extract_debt_eur(self, dispatcher: CollectingDispatcher, tracker: Tracker,
                         domain: DomainDict) -> Dict[Text, Any]:
        # "jai recu un papier de l'huissier je dois 2000e": keep the 2000 so the
        # form does not ask again. The form reads answers to its own question,
        # and an amount given to an aid question ("je gagne 1200e", "300e
        # d'apl") is not the rent debt.
        if tracker.get_slot("requested_slot") in dialogue.ANSWER_SLOTS:
            return {}
        amount = parse_amount(tracker.latest_message.get("text") or "", require_currency=True)
        return {"debt_eur": amount} if amount is not None else {}

    def extract_commune(self, dispatcher: CollectingDispatcher, tracker: Tracker,
                        domain: DomainDict) -> Dict[Text, Any]:
        if tracker.active_loop.get("name") or tracker.get_slot("commune"):
            # "non j'habite à Delle, pas Belfort": a home said in so many
            # words corrects the commune at any point, but the commune
            # question itself reads its own answer.
            if tracker.get_slot("requested_slot") == "commune" or tracker.get_slot("role") == "landlord":
                # A landlord's own home is not the let home.
                return {}
            found = resolve_commune_entity(tracker, home_only=True)
            if not found or found["commune"] == tracker.get_slot("commune"):
                return {}
        else:
            found = resolve_commune_entity(tracker)
        if found:
            # Named in passing, never asked: say which commune was understood,
            # since it decides the social-work site the answer names.
            dispatcher.utter_message(text=text("commune_confirmed", lang_of(tracker), name=found["commune_name"]))
        return found

    def extract_housing_benefit(self, dispatcher: CollectingDispatcher, tracker: Tracker,
                                domain: DomainDict) -> Dict[Text, Any]:
        value = self._answer_read_as_question(tracker, "housing_benefit")
        if value is None:
            return {}
        read = answers.read_housing_benefit(value, tracker.get_slot("role"))
        return {"housing_benefit": read} if read is not None else {}

    def extract_debts(self, dispatcher: CollectingDispatcher, tracker: Tracker,
                      domain: DomainDict) -> Dict[Text, Any]:
        value = self._answer_read_as_question(tracker, "debts")
        if value is None:
            return {}
        read = answers.read_debts(value)
        return {"debts": read} if read is not None else {}

    def extract_landlord_kind(self, dispatcher: CollectingDispatcher, tracker: Tracker,
                              domain: DomainDict) -> Dict[Text, Any]:
        # "je suis en hlm" told before the question: keep it, the form then
        # does not ask. The answer to the question itself is the form's.
        intent = (tracker.latest_message.get("intent") or {}).get("name")
        if intent != "donner_bailleur" or tracker.get_slot("requested_slot") == "landlord_kind":
            return {}
        read = answers.read_landlord_kind(tracker.latest_message.get("text") or "")
        return {"landlord_kind": read} if read is not None else {}

    # A household answering about money or work ("je dois 3 mois", "c'est
    # verse au proprio", "je suis au chomage") can trigger an intent or an
    # entity that maps to the role or the stage; it must not change them.
    def validate_role(self, value: Any, dispatcher: CollectingDispatcher, tracker: Tracker,
                      domain: DomainDict) -> Dict[Text, Any]:
        # The intents map to a role ("commandement de payer": the tenant;
        # "loyers impayés" may read as the landlord's intent). Words that say
        # who speaks win: "je suis locataire", "mon locataire".
        # They also correct a role taken wrongly, even mid-questions ("mais non
        # je suis le locataire").
        said = answers.role_said(tracker.latest_message.get("text") or "")
        if said is not None:
            return {"role": said}
        return self._keep_while_answering(tracker, "role", value)

    def validate_stage(self, value: Any, dispatcher: CollectingDispatcher, tracker: Tracker,
                       domain: DomainDict) -> Dict[Text, Any]:
        # "un papier de l'huissier", "un courrier recommandé": some paper, not
        # necessarily the commandement (a summons comes the same way, a formal
        # notice by post), and its deadline would be told as the law's. The
        # form then asks which paper, with buttons and "je ne sais pas".
        intent = (tracker.latest_message.get("intent") or {}).get("name")
        if value == "commandement_de_payer" and intent == "commandement_payer" and not \
                answers.names_commandement_de_payer(tracker.latest_message.get("text") or ""):
            value = value_before_this_message(tracker, "stage")
        message = tracker.latest_message.get("text") or ""
        if value in ("assignation", "jugement", "commandement_de_quitter") and answers.paper_only_feared(message):
            # "c'est quoi une assignation ?", "il menace de m'envoyer au
            # tribunal": no paper received. The stage stays as it was (asked
            # when nothing was said yet).
            return {"stage": answers.stage_said(message) or value_before_this_message(tracker, "stage")}
        if value in ("assignation", "jugement") and intent in ("assignation_tribunal", "jugement_expulsion") \
                and answers.vague_court_paper(message):
            # "lettre du tribunal": a summons or a judgment? Asked, not guessed.
            value = value_before_this_message(tracker, "stage")
        if value == "commandement_de_quitter" and intent == "commandement_quitter" \
                and not answers.names_order_to_leave(message):
            # "I got an eviction notice": which paper? Asked, not guessed.
            value = value_before_this_message(tracker, "stage")
        if value == "arrears" and intent == "loyer_impaye":
            # "Je dois 3 mois de loyer" beside a paper, or in answer to a
            # date: the debt is not news, the paper is. The stage goes back
            # to arrears only when no paper was named, now or before; "il
            # veut m'expulser" says no stage at all: the form asks it.
            before = value_before_this_message(tracker, "stage")
            value = (answers.stage_said(message)
                     or (before if before not in (None, "unknown") else None if answers.eviction_wanted(message)
                         else value))
        if value == "expulsion_scheduled" and intent == "choisir_etape" \
                and value_before_this_message(tracker, "stage") != value:
            # The stage question's button: the urgent answer first, as when
            # the household says it in words (rules "urgent.yml").
            lang = lang_of(tracker)
            dispatcher.utter_message(text=helplines.say("urgent_expulsion", lang, helplines.calls(tracker, lang)))
        return self._keep_while_answering(tracker, "stage", value)

    # --- helpers -----------------------------------------------------------------
    @staticmethod
    def _answer_read_as_question(tracker: Tracker, slot: str) -> Optional[str]:
        """The text of this message when it answers ``slot`` under a question intent."""
        intent = (tracker.latest_message.get("intent") or {}).get("name")
        if slot == "role" and intent == "donner_bailleur":
            # "mon proprio est un particulier": the tenant speaking of the
            # landlord, whose "proprio" must not make them the landlord.
            return {slot: value_before_this_message(tracker, slot)}
        if (tracker.active_loop.get("name") != "triage_form"
                or tracker.get_slot("requested_slot") != slot
                or intent not in _ANSWERS_READ_AS_QUESTIONS[slot]):
            return None
        return tracker.latest_message.get("text") or ""

    @staticmethod
    def _keep_while_answering(tracker: Tracker, slot: str, value: Any) -> Dict[Text, Any]:
        intent = (tracker.latest_message.get("intent") or {}).get("name")
        if slot == "role" and intent == "donner_bailleur":
            # "mon proprio est un particulier": the tenant speaking of the
            # landlord, whose "proprio" must not make them the landlord.
            return {slot: value_before_this_message(tracker, slot)}
        if (tracker.active_loop.get("name") != "triage_form"
                or tracker.get_slot("requested_slot") not in dialogue.ANSWER_SLOTS
                or intent in dialogue.URGENT_INTENTS):
            return {slot: value}
        before = value_before_this_message(tracker, slot)
        return {slot: before if before is not None else value}


def _english_pointed_out(tracker: Tracker) -> bool:
    # The opening of utter_english_available (domain.yml), in both its versions.
    return dialogue.bot_said(tracker.events, "This service is also in English") or \
        dialogue.bot_said(tracker.events, "You are on the English version")


def value_before_this_message(tracker: Tracker, slot: str) -> Any:
    """The slot's value before the latest user message was read."""
    events = tracker.events or []
    last_user = max((i for i, e in enumerate(events) if e.get("event") == "user"), default=len(events))
    for event in reversed(events[:last_user]):
        if event.get("event") == "slot" and event.get("name") == slot:
            return event.get("value")
    return None
