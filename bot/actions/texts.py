"""Sentences the actions compose themselves, French first, then English.

Phone numbers are the national ones of the domain brief (§5, CONFIRMED);
local contacts only ever come from the site's directory through the API.
"""
from typing import Any, Dict, List, Optional, Tuple

from rasa_sdk import Tracker

LANGS = ("fr", "en")

TEXTS: Dict[str, Dict[str, str]] = {
    "not_understood_role": {
        "fr": "Je n'ai pas compris : choisissez « locataire » ou « propriétaire ».",
        "en": "I did not understand: choose “tenant” or “landlord”.",
    },
    "not_understood_stage": {
        "fr": "Je n'ai pas compris. Choisissez l'étape qui ressemble le plus à votre situation, ou « je ne sais pas ».",
        "en": "I did not understand. Choose the step closest to your situation, or “I don't know”.",
    },
    "not_understood_date": {
        "fr": "Je n'ai pas compris cette date. Écrivez-la par exemple « le 3 octobre » ou « 15/09 », ou répondez « je ne sais pas ».",
        "en": "I did not understand that date. Write it for example “3 October” or “15/09”, or answer “I don't know”.",
    },
    "not_understood_amount": {
        "fr": "Je n'ai pas compris ce montant. Écrivez par exemple « 1800 € », ou répondez « je ne sais pas ».",
        "en": "I did not understand that amount. Write for example “€1,800”, or answer “I don't know”.",
    },
    "commune_not_found": {
        "fr": "Je ne trouve pas « {query} » parmi les communes du Territoire de Belfort. Vérifiez l'orthographe ou donnez le code postal (90…).",
        "en": "I cannot find “{query}” among the communes of the Territoire de Belfort. Check the spelling or give the postcode (90…).",
    },
    "commune_choose": {
        "fr": "Plusieurs communes correspondent. Laquelle ?",
        "en": "Several communes match. Which one?",
    },
    "commune_confirmed": {
        "fr": "Commune : {name}.",
        "en": "Commune: {name}.",
    },
    "api_unavailable": {
        "fr": "Je n'arrive pas à obtenir votre orientation pour le moment. Vous pouvez répondre au questionnaire du site (/questionnaire/locataire) ou appeler Allô Prévention Expulsion au 0 805 299 049 (gratuit).",
        "en": "I cannot get your orientation right now. You can fill in the site's questionnaire (/questionnaire/locataire) or call Allô Prévention Expulsion on 0 805 299 049 (free).",
    },
    "api_rejected": {
        "fr": "Une de vos réponses pose problème : {details}. Vous pouvez recommencer en décrivant votre situation.",
        "en": "One of your answers is a problem: {details}. You can start again by describing your situation.",
    },
    "result_intro_immediate": {
        "fr": "Votre situation est urgente. Agissez aujourd'hui : appelez Allô Prévention Expulsion au 0 805 299 049 (gratuit) ou le point-justice au 3039.",
        "en": "Your situation is urgent. Act today: call Allô Prévention Expulsion on 0 805 299 049 (free) or the point-justice on 3039.",
    },
    "result_intro_high": {
        "fr": "La procédure est engagée : il faut agir vite, mais vous avez encore des droits.",
        "en": "The procedure has started: you need to act quickly, but you still have rights.",
    },
    "result_intro_normal": {
        "fr": "Il n'y a pas encore de procédure : c'est le meilleur moment pour agir.",
        "en": "There is no procedure yet: this is the best time to act.",
    },
    "orientations_title": {"fr": "Qui contacter, dans cet ordre :", "en": "Whom to contact, in this order:"},
    "deadlines_title": {"fr": "Vos dates :", "en": "Your dates:"},
    "next_steps_title": {"fr": "Ce que vous pouvez faire maintenant :", "en": "What you can do now:"},
    "address": {"fr": "Adresse", "en": "Address"},
    "phone": {"fr": "Téléphone", "en": "Phone"},
    "contacts_to_confirm": {"fr": "coordonnées à confirmer", "en": "contact details to be confirmed"},
    "disclaimer": {
        "fr": "Je suis un assistant automatique, pas un avocat : ces informations ne remplacent pas un conseil juridique.",
        "en": "I am an automatic assistant, not a lawyer: this information does not replace legal advice.",
    },
    "button_referral": {
        "fr": "Être recontacté·e par le CDAD / le service social",
        "en": "Be contacted by the CDAD / social services",
    },
    "button_details": {"fr": "Voir ma situation détaillée", "en": "See my detailed situation"},
    "button_talk_now": {"fr": "Parler à quelqu'un maintenant", "en": "Talk to someone now"},
    "handoff": {
        "fr": "Vous pouvez parler à une personne :\n• Allô Prévention Expulsion : 0 805 299 049 (gratuit, du lundi au vendredi, 14 h – 17 h)\n• SOS Loyers impayés : 0 805 160 075 (gratuit, locataires et propriétaires)\n• Point-justice : 3039 (gratuit)\nVous pouvez aussi demander à être recontacté·e : vos coordonnées sont demandées dans un formulaire, avec votre accord, jamais dans cette conversation.",
        "en": "You can talk to a person:\n• Allô Prévention Expulsion: 0 805 299 049 (free, Monday to Friday, 2 pm – 5 pm)\n• SOS Loyers impayés: 0 805 160 075 (free, tenants and landlords)\n• Point-justice: 3039 (free)\nYou can also ask to be contacted: your details are asked in a form, with your consent, never in this conversation.",
    },
    "default": {
        "fr": "Je n'ai pas compris. Je peux vous aider si vous avez des loyers impayés, un papier du commissaire de justice (huissier), une convocation au tribunal, un jugement d'expulsion, ou une question sur la trêve hivernale, l'APL ou le surendettement.",
        "en": "I did not understand. I can help if you have rent arrears, a paper from the bailiff (commissaire de justice), a court summons, an eviction judgment, or a question about the winter truce, housing benefit or over-indebtedness.",
    },
    "fallback_twice": {
        "fr": "Je ne comprends toujours pas, désolé. Le mieux est peut-être de parler à une personne.",
        "en": "I still do not understand, sorry. It may be best to talk to a person.",
    },
}


# The form's questions. They live here rather than in domain.yml because
# `rasa data validate --fail-on-warnings` counts a form's utter_ask_* replies
# as unused; the action_ask_* actions (actions/ask.py) send them.
ASK: Dict[str, Dict[str, str]] = {
    "role": {
        "fr": "Êtes-vous locataire ou propriétaire (bailleur) ?",
        "en": "Are you the tenant or the landlord?",
    },
    "stage": {
        "fr": "Où en est la procédure ? Choisissez le dernier papier reçu.",
        "en": "Where is the procedure? Choose the last paper you received.",
    },
    "commune": {
        "fr": "Dans quelle commune du Territoire de Belfort est le logement ? (nom ou code postal)",
        "en": "In which commune of the Territoire de Belfort is the home? (name or postcode)",
    },
    "lease_date": {
        "fr": "Quand le bail a-t-il été signé ou renouvelé pour la dernière fois ? Une date approximative suffit (par exemple « mars 2021 »). Vous pouvez répondre « je ne sais pas ».",
        "en": "When was the lease signed or last renewed? An approximate date is enough (for example “March 2021”). You can answer “I don't know”.",
    },
    "commandement_date": {
        "fr": "Quel jour le commandement de payer vous a-t-il été remis ? (par exemple « le 3 octobre » ou « 15/09 »)",
        "en": "On what day was the order to pay (commandement de payer) served on you? (for example “3 October” or “15/09”)",
    },
    "hearing_date": {
        "fr": "Quelle est la date de l'audience écrite sur l'assignation ?",
        "en": "What is the hearing date written on the summons?",
    },
    "judgment_served_date": {
        "fr": "Quel jour le jugement vous a-t-il été remis (signifié) par le commissaire de justice ?",
        "en": "On what day was the judgment served on you by the commissaire de justice (bailiff)?",
    },
    "commandement_de_quitter_date": {
        "fr": "Quel jour avez-vous reçu le commandement de quitter les lieux ?",
        "en": "On what day did you receive the order to leave (commandement de quitter les lieux)?",
    },
    "debt_eur": {
        "fr": "Quel est le montant de la dette de loyer, à peu près ? (par exemple « 1800 € ») Vous pouvez répondre « je ne sais pas ».",
        "en": "Roughly how much rent is owed? (for example “€1,800”) You can answer “I don't know”.",
    },
}

ASK_BUTTONS: Dict[str, List[Tuple[str, Dict[str, str]]]] = {
    "role": [
        ('/choisir_role{"role": "tenant"}', {"fr": "Je suis locataire", "en": "I am the tenant"}),
        ('/choisir_role{"role": "landlord"}', {"fr": "Je suis propriétaire", "en": "I am the landlord"}),
    ],
    "stage": [
        ('/choisir_etape{"stage": "arrears"}', {"fr": "Loyers en retard, pas encore de papier officiel", "en": "Rent arrears, no official paper yet"}),
        ('/choisir_etape{"stage": "commandement_de_payer"}', {"fr": "Commandement de payer (commissaire de justice)", "en": "Order to pay (commandement de payer)"}),
        ('/choisir_etape{"stage": "assignation"}', {"fr": "Assignation : convocation au tribunal", "en": "Court summons (assignation)"}),
        ('/choisir_etape{"stage": "jugement"}', {"fr": "Jugement d'expulsion", "en": "Eviction judgment"}),
        ('/choisir_etape{"stage": "commandement_de_quitter"}', {"fr": "Commandement de quitter les lieux", "en": "Order to leave (commandement de quitter les lieux)"}),
        ('/choisir_etape{"stage": "unknown"}', {"fr": "Je ne sais pas", "en": "I don't know"}),
    ],
}

KIND_LABELS: Dict[str, Dict[str, str]] = {
    "cdad": {"fr": "Aide juridique gratuite (CDAD)", "en": "Free legal help (CDAD)"},
    "social_worker": {"fr": "Service social du Département", "en": "Département social services"},
    "fsl": {"fr": "Fonds de solidarité pour le logement (FSL)", "en": "Housing solidarity fund (FSL)"},
    "caf": {"fr": "CAF", "en": "CAF (family benefits office)"},
    "banque_de_france": {"fr": "Banque de France (surendettement)", "en": "Banque de France (over-indebtedness)"},
    "action_logement": {"fr": "Action Logement", "en": "Action Logement"},
    "police": {"fr": "Police ou gendarmerie : 17", "en": "Police or gendarmerie: 17"},
    "dalo": {"fr": "Recours DALO (droit au logement opposable)", "en": "DALO application (enforceable right to housing)"},
    "helpline": {"fr": "Ligne d'écoute nationale", "en": "National helpline"},
}

# Links the chat page resolves: it keeps the triage answers server-side and
# hands them to the referral form and the questionnaire's result page.
REFERRAL_URL = "/chat/suite/recontact"
DETAILS_URL = "/chat/suite/situation"


def lang_of(tracker: Tracker) -> str:
    """Language of the page the user is typing on (metadata), else the slot."""
    metadata = (tracker.latest_message or {}).get("metadata") or {}
    lang = metadata.get("lang") if isinstance(metadata, dict) else None
    if lang in LANGS:
        return lang
    slot = tracker.get_slot("lang")
    return slot if slot in LANGS else "fr"


def text(key: str, lang: str, **values: Any) -> str:
    template = TEXTS[key].get(lang) or TEXTS[key]["fr"]
    return template.format(**values) if values else template


def kind_label(kind: str, lang: str) -> str:
    labels: Optional[Dict[str, str]] = KIND_LABELS.get(kind)
    if not labels:
        return kind
    return labels.get(lang) or labels["fr"]
