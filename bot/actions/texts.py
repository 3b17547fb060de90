"""Sentences the actions compose themselves, French first, then English.

No phone number is written here: every contact comes from the site's
directory through the API. The national helplines enter a sentence as
``{call_<helpline>}``, a clause built by actions/helplines.py that follows
"appelez <name>" / "call <name>" ("au <numéro> (gratuit)"). A text naming
helplines also has ``{numbers_page}`` (after a sentence) or
``{numbers_page_line}`` (after a list), where helplines.say puts the one
sentence sending to the site's contacts page for the lines that have no
number; it is empty when they all have one.
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
    "not_understood_choice": {
        "fr": "Je n'ai pas compris. Choisissez une des réponses proposées, ou « je ne sais pas ».",
        "en": "I did not understand. Choose one of the answers offered, or “I don't know”.",
    },
    "not_understood_household_size": {
        "fr": "Je n'ai pas compris. Écrivez le nombre de personnes (entre 1 et 30), par exemple « 3 », ou répondez « je ne sais pas ».",
        "en": "I did not understand. Write the number of people (between 1 and 30), for example “3”, or answer “I don't know”.",
    },
    # "oui" to "bailleur social ou propriétaire privé ?" says neither.
    "not_understood_landlord_kind": {
        "fr": "Je n'ai pas compris. Choisissez « bailleur social » (un HLM) ou « propriétaire privé » (un particulier, une agence), ou répondez « je ne sais pas ».",
        "en": "I did not understand. Choose “social landlord” (social housing) or “private landlord” (a person, an agency), or answer “I don't know”.",
    },
    # "oui" alone to the housing-benefit question: the API needs to know who
    # receives it, and guessing would put a wrong fact in the referral.
    "housing_benefit_who.tenant": {
        "fr": "D'accord. Est-elle versée à vous, ou directement à votre propriétaire ?",
        "en": "All right. Is it paid to you, or directly to your landlord?",
    },
    "housing_benefit_who.landlord": {
        "fr": "D'accord. Est-elle versée directement à vous, ou à votre locataire ?",
        "en": "All right. Is it paid directly to you, or to your tenant?",
    },
    # Dates on the wrong side of today: said at the question, before the site
    # would refuse them. A past hearing is kept, with a word at once: the
    # site's answer then says what a passed hearing means (the triage engine,
    # tenant.hearing_passed); the stage is the household's own answer and
    # stays as it is.
    "date_in_future.lease_date": {
        "fr": "Le {date} n'est pas encore arrivé : le bail a forcément été signé avant aujourd'hui. Vérifiez l'année, ou répondez « je ne sais pas ».",
        "en": "{date} has not come yet: the lease was signed before today. Check the year, or answer “I don't know”.",
    },
    "date_in_future.commandement_date": {
        "fr": "Le {date} n'est pas encore arrivé : la date d'un commandement de payer déjà reçu est passée. Vérifiez la date écrite sur le papier, ou répondez « je ne sais pas ».",
        "en": "{date} has not come yet: a formal demand for payment you have already received has a past date. Check the date written on the paper, or answer “I don't know”.",
    },
    "date_in_future.judgment_served_date": {
        "fr": "Le {date} n'est pas encore arrivé : donnez le jour où le jugement vous a été remis, qui est passé, ou répondez « je ne sais pas ».",
        "en": "{date} has not come yet: give the day the judgment was served on you, which is past, or answer “I don't know”.",
    },
    "date_in_future.commandement_de_quitter_date": {
        "fr": "Le {date} n'est pas encore arrivé : donnez la date écrite sur le commandement de quitter les lieux que vous avez reçu, ou répondez « je ne sais pas ».",
        "en": "{date} has not come yet: give the date written on the order to leave you received, or answer “I don't know”.",
    },
    "hearing_date_past": {
        "fr": "Le {date} est déjà passé : si l'audience a eu lieu, le juge a peut-être déjà rendu sa décision (le jugement). Je le note : à la fin, je vous dirai qui contacter vite, dont le CDAD (accès au droit). Pour en parler dès maintenant, appelez le point-justice {call_point_justice}.{numbers_page}",
        "en": "{date} has already passed: if the hearing took place, the judge may already have given a decision (the judgment). I am noting it: at the end I will tell you whom to contact quickly, the CDAD (access to law) among them. To talk about it now, call the point-justice {call_point_justice}.{numbers_page}",
    },
    "commune_outside": {
        "fr": "Ce service couvre seulement les communes du Territoire de Belfort (codes postaux en 90…). Votre logement est ailleurs ? Appelez le point-justice {call_point_justice} : il vous met en relation avec le plus proche. Ou appelez SOS Loyers impayés {call_sos_loyers} : il vous oriente vers l'ADIL la plus proche (le service d'information sur le logement).{numbers_page} Le logement est bien dans le Territoire de Belfort ? Donnez son code postal, ou répondez « je ne sais pas ».",
        "en": "This service covers only the communes of the Territoire de Belfort (postcodes 90…). Is your home elsewhere? Call the point-justice {call_point_justice}: it puts you through to the nearest one. Or call SOS Loyers impayés {call_sos_loyers}: it directs you to the nearest ADIL (the housing information service).{numbers_page} Is the home in the Territoire de Belfort after all? Give its postcode, or answer “I don't know”.",
    },
    "commune_not_found": {
        "fr": "Je ne trouve pas « {query} » parmi les communes du Territoire de Belfort. Vérifiez l'orthographe ou donnez le code postal (90…).",
        "en": "I cannot find “{query}” among the communes of the Territoire de Belfort. Check the spelling or give the postcode (90…).",
    },
    "commune_choose": {
        "fr": "Plusieurs communes correspondent. Laquelle ?",
        "en": "Several communes match. Which one?",
    },
    "date_passed": {"fr": "date passée", "en": "date passed"},
    "contact_details_not_here": {
        "fr": "N'écrivez pas ici votre numéro, votre adresse ou votre e-mail : cette conversation ne les transmet à personne. Pour être rappelé·e, choisissez « Être recontacté·e » : un formulaire vous les demande, avec votre accord.",
        "en": "Do not write your number, address or e-mail here: this conversation passes them to no one. To be called back, choose “Be contacted”: a form asks for them, with your consent.",
    },
    "date_noted": {"fr": "Date notée : {date}.", "en": "Date noted: {date}."},
    # The lease date, said back as given (a month, a year): "04/21" misread
    # went unseen, and it decides the payment period.
    "lease_noted": {"fr": "Bail noté : {date}.", "en": "Lease noted: {date}."},
    "what_a_word_means": {
        "fr": "Les mots de la procédure sont expliqués simplement dans le glossaire : /infos/glossaire. Vous pouvez aussi me répondre « je ne sais pas ».",
        "en": "The words of the procedure are explained simply in the glossary: /infos/glossaire. You can also answer “I don't know”.",
    },
    "date_needs_day": {
        "fr": "Il me faut le jour exact : les délais se comptent à partir de lui. Il est écrit sur le papier (par exemple « 15/10 »). Si vous ne le trouvez pas, répondez « je ne sais pas ».",
        "en": "I need the exact day: the time limits are counted from it. It is written on the paper (for example “15/10”). If you cannot find it, answer “I don't know”.",
    },
    "commune_confirmed": {
        "fr": "Commune : {name}.",
        "en": "Commune: {name}.",
    },
    "api_unavailable": {
        "fr": "Je n'arrive pas à obtenir votre orientation pour le moment. Vous pouvez répondre au questionnaire du site (/questionnaire/locataire) ou appeler Allô Prévention Expulsion {call_allo}.{numbers_page}",
        "en": "I cannot get your orientation right now. You can fill in the site's questionnaire (/questionnaire/locataire) or call Allô Prévention Expulsion {call_allo}.{numbers_page}",
    },
    "api_rejected": {
        "fr": "Une de vos réponses pose problème : {details}. Vous pouvez recommencer en décrivant votre situation.",
        "en": "One of your answers is a problem: {details}. You can start again by describing your situation.",
    },
    # Source: domain brief §5 (helplines; numbers and hours from the directory).
    # The urgent answer to an eviction already scheduled, before any question.
    "urgent_expulsion": {
        "fr": "C'est urgent. Ne restez pas seul·e : appelez dès que possible Allô Prévention Expulsion {call_allo} ou le point-justice {call_point_justice}.{numbers_page} Ensuite, je vous dis où trouver l'assistante sociale du Département.",
        "en": "This is urgent. Do not stay alone with it: call Allô Prévention Expulsion {call_allo} or the point-justice {call_point_justice} as soon as you can.{numbers_page} Then I will tell you where to find the Département's social worker.",
    },
    # Said as soon as a key date makes the situation urgent (the site's
    # answer), before the remaining questions.
    "urgent_early": {
        "fr": "C'est urgent. Appelez dès que possible Allô Prévention Expulsion {call_allo} ou le point-justice {call_point_justice}.{numbers_page} Je vous pose encore quelques questions pour trouver les aides : à chacune, vous pouvez répondre « je ne sais pas ».",
        "en": "This is urgent. Call Allô Prévention Expulsion {call_allo} or the point-justice {call_point_justice} as soon as you can.{numbers_page} I will ask a few more questions to find the aid you can get: you can answer “I don't know” to each.",
    },
    "result_intro_immediate": {
        "fr": "Votre situation est urgente. Agissez aujourd'hui : appelez Allô Prévention Expulsion {call_allo} ou le point-justice {call_point_justice}.{numbers_page}",
        "en": "Your situation is urgent. Act today: call Allô Prévention Expulsion {call_allo} or the point-justice {call_point_justice}.{numbers_page}",
    },
    "result_intro_high": {
        "fr": "La procédure est engagée : il faut agir vite, mais vous avez encore des droits.",
        "en": "The procedure has started: you need to act quickly, but you still have rights.",
    },
    "result_intro_normal_stage_unknown": {
        "fr": "Voici qui contacter et ce que vous pouvez faire. Plus vous agissez tôt, plus il y a de solutions.",
        "en": "Here is whom to contact and what you can do. The sooner you act, the more solutions there are.",
    },
    "result_intro_landlord": {
        "fr": "Voici qui contacter et les démarches à faire. Pour un plan avec les dates de votre procédure, choisissez « Voir ma situation détaillée » : le questionnaire propriétaire vous demande où elle en est.",
        "en": "Here is whom to contact and the steps to take. For a plan with your procedure's dates, choose “See my detailed situation”: the landlord questionnaire asks where it stands.",
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
        "fr": "Vous pouvez parler à une personne :\n• Allô Prévention Expulsion {call_allo}\n• SOS Loyers impayés {call_sos_loyers}, pour les locataires et les propriétaires\n• Point-justice {call_point_justice}{numbers_page_line}\nVous pouvez aussi demander à être recontacté·e : vos coordonnées sont demandées dans un formulaire, avec votre accord, jamais dans cette conversation.",
        "en": "You can talk to a person:\n• Allô Prévention Expulsion {call_allo}\n• SOS Loyers impayés {call_sos_loyers}, for tenants and landlords\n• Point-justice {call_point_justice}{numbers_page_line}\nYou can also ask to be contacted: your details are asked in a form, with your consent, never in this conversation.",
    },
    "default": {
        "fr": "Je n'ai pas compris. Je peux vous aider si vous avez des loyers impayés, un papier du commissaire de justice (huissier), une convocation au tribunal, un jugement d'expulsion, ou une question sur la trêve hivernale, l'APL ou le surendettement.",
        "en": "I did not understand. I can help if you have rent arrears, a paper from a court officer (commissaire de justice, the former huissier), a court summons, an eviction judgment, or a question about the winter truce, housing benefit or over-indebtedness.",
    },
    # The parts of a helpline's call clause (actions/helplines.py).
    "call_number": {"fr": "au {phone}", "en": "on {phone}"},
    "call_free": {"fr": "gratuit", "en": "free"},
    "call_no_number": {
        "fr": "son numéro est sur la page « Trouver mes contacts » du site, /annuaire/mes-contacts",
        "en": "its number is on the site's “Find my contacts” page, /annuaire/mes-contacts",
    },
    # Said once in a text naming helplines, for those without a number
    # (helplines.say): "{names}" is NUMBER_OF's words, joined.
    "numbers_page.one": {
        "fr": "Le numéro {names} est sur la page « Trouver mes contacts » du site : /annuaire/mes-contacts.",
        "en": "The number for {names} is on the site's “Find my contacts” page: /annuaire/mes-contacts.",
    },
    "numbers_page.several": {
        "fr": "Les numéros {names} sont sur la page « Trouver mes contacts » du site : /annuaire/mes-contacts.",
        "en": "The numbers for {names} are on the site's “Find my contacts” page: /annuaire/mes-contacts.",
    },
    # None of the lines just named has a number (the site is down).
    "numbers_page.all": {
        "fr": "Leurs numéros sont sur la page « Trouver mes contacts » du site : /annuaire/mes-contacts.",
        "en": "Their numbers are on the site's “Find my contacts” page: /annuaire/mes-contacts.",
    },
    "fallback_twice": {
        "fr": "Je ne comprends toujours pas, désolé. Le mieux est peut-être de parler à une personne.",
        "en": "I still do not understand, sorry. It may be best to talk to a person.",
    },
}

# Between the notes of a call clause: "(gratuit ; du lundi au vendredi)".
CALL_NOTES_SEPARATOR: Dict[str, str] = {"fr": " ; ", "en": "; "}

# Each helpline (actions/helplines.py's keys) as it follows "le numéro" /
# "the number for" in the numbers_page sentences.
NUMBER_OF: Dict[str, Dict[str, str]] = {
    "allo": {"fr": "d'Allô Prévention Expulsion", "en": "Allô Prévention Expulsion"},
    "sos_loyers": {"fr": "de SOS Loyers impayés", "en": "SOS Loyers impayés"},
    "point_justice": {"fr": "du point-justice", "en": "the point-justice"},
    "banque_de_france": {"fr": "de la Banque de France", "en": "the Banque de France"},
}
# Before the last of several names: "A, B et C".
LIST_JOINERS: Dict[str, str] = {"fr": " et ", "en": " and "}


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
        "fr": "Quelle date est écrite sur le commandement de payer ? C'est le jour où le commissaire de justice l'a remis ou déposé, pas celui où vous êtes allé·e le chercher. (par exemple « le 3 octobre » ou « 15/09 »)",
        "en": "What date is written on the formal demand for payment (commandement de payer)? It is the day the court officer handed it over or left it, not the day you collected it. (for example “3 October” or “15/09”)",
    },
    "hearing_date": {
        "fr": "Quelle est la date de l'audience écrite sur l'assignation ?",
        "en": "What is the hearing date written on the summons?",
    },
    "judgment_served_date": {
        "fr": "Quelle date est écrite sur le papier du commissaire de justice qui vous a apporté le jugement ? (pas la date du jugement lui-même, ni le jour où vous êtes allé·e le chercher)",
        "en": "What date is written on the court officer's paper that brought you the judgment? (not the date of the judgment itself, nor the day you collected it)",
    },
    "commandement_de_quitter_date": {
        "fr": "Quelle date est écrite sur le commandement de quitter les lieux ? (le jour où le commissaire de justice l'a remis ou déposé)",
        "en": "What date is written on the order to leave (commandement de quitter les lieux)? (the day the court officer handed it over or left it)",
    },
    # Asked early: the API's orientations differ for a social landlord's tenant.
    # Territoire Habitat is the département's main social landlord (domain
    # brief §4, CONFIRMED); no other organisation is named.
    "landlord_kind": {
        "fr": "Votre logement appartient-il à un bailleur social (HLM, office public, par exemple Territoire Habitat) ou à un propriétaire privé (un particulier, ou une agence qui loue pour lui) ?",
        "en": "Is your home owned by a social landlord (HLM, public housing office, for example Territoire Habitat) or by a private landlord (a person, or an agency letting for them)?",
    },
    # Before the hearing: the judge grants payment time only if the full
    # current rent is paid again (domain brief §0 fact 3).
    "resumed_rent": {
        "fr": "Avez-vous recommencé à payer le loyer en entier chaque mois (le loyer du mois, sans compter la dette) ?",
        "en": "Have you started paying the full rent again every month (the monthly rent, not counting the debt)?",
    },
    "debt_eur": {
        "fr": "Quel est le montant de la dette de loyer, à peu près ? (par exemple « 1800 € ») Vous pouvez répondre « je ne sais pas ».",
        "en": "Roughly how much rent is owed? (for example “€1,800”) You can answer “I don't know”.",
    },
    # The aid questions (questions_by_stage.yml says when each is asked).
    "monthly_income_eur": {
        "fr": "Combien votre foyer gagne-t-il par mois, à peu près ? (par exemple « 1200 € ») C'est pour savoir si le Fonds de solidarité pour le logement (FSL) peut vous aider. Vous pouvez répondre « je ne sais pas ».",
        "en": "Roughly how much does your household earn per month? (for example “€1,200”) This is to know whether the housing solidarity fund (FSL) can help you. You can answer “I don't know”.",
    },
    "household_size": {
        "fr": "Combien de personnes vivent dans le logement, vous compris·e ? (par exemple « 3 »)",
        "en": "How many people live in the home, including you? (for example “3”)",
    },
    "housing_benefit": {
        "fr": "Recevez-vous une aide au logement de la CAF ou de la MSA (APL ou allocation logement) ?",
        "en": "Do you receive housing benefit from the CAF or MSA (APL or allocation logement)?",
    },
    # The landlord answers about the tenant's benefit (the CAF report).
    "housing_benefit.landlord": {
        "fr": "Votre locataire reçoit-il une aide au logement de la CAF ou de la MSA (APL ou allocation logement) ?",
        "en": "Does your tenant receive housing benefit from the CAF or MSA (APL or allocation logement)?",
    },
    "private_sector_employee": {
        "fr": "Êtes-vous salarié·e d'une entreprise privée (pas agricole) ?",
        "en": "Are you an employee of a private company (not in farming)?",
    },
    "debts": {
        "fr": "Avez-vous d'autres dettes (crédits, factures, impôts…) ?",
        "en": "Do you have other debts (loans, bills, taxes…)?",
    },
}

DONT_KNOW_BUTTON = ("/ne_sais_pas", {"fr": "Je ne sais pas", "en": "I don't know"})

ASK_BUTTONS: Dict[str, List[Tuple[str, Dict[str, str]]]] = {
    "role": [
        ('/choisir_role{"role": "tenant"}', {"fr": "Je suis locataire", "en": "I am the tenant"}),
        ('/choisir_role{"role": "landlord"}', {"fr": "Je suis propriétaire", "en": "I am the landlord"}),
    ],
    "stage": [
        ('/choisir_etape{"stage": "arrears"}', {"fr": "Loyers en retard, pas encore de papier officiel", "en": "Rent arrears, no official paper yet"}),
        ('/choisir_etape{"stage": "commandement_de_payer"}', {"fr": "Commandement de payer (commissaire de justice)", "en": "Formal demand for payment (commandement de payer)"}),
        ('/choisir_etape{"stage": "assignation"}', {"fr": "Assignation : convocation au tribunal", "en": "Court summons (assignation)"}),
        ('/choisir_etape{"stage": "jugement"}', {"fr": "Jugement d'expulsion", "en": "Eviction judgment"}),
        ('/choisir_etape{"stage": "commandement_de_quitter"}', {"fr": "Commandement de quitter les lieux", "en": "Order to leave (commandement de quitter les lieux)"}),
        # The two urgent situations, as the questionnaire's stage step offers
        # them: a household that did not say them in words can still choose them.
        ('/choisir_etape{"stage": "expulsion_scheduled"}', {"fr": "Une date d'expulsion est fixée", "en": "An eviction date is set"}),
        ('/choisir_etape{"stage": "illegal_eviction"}', {"fr": "Mon propriétaire m'a mis·e dehors lui-même (serrure changée, affaires sorties)", "en": "My landlord put me out himself (locks changed, belongings removed)"}),
        ('/choisir_etape{"stage": "unknown"}', {"fr": "Je ne sais pas", "en": "I don't know"}),
    ],
    # Choices carry their value in the `answer` entity; "Je ne sais pas"
    # leaves the field out of the API call.
    "housing_benefit": [
        ('/affirmer{"answer": "paid_to_tenant"}', {"fr": "Oui, elle m'est versée", "en": "Yes, it is paid to me"}),
        ('/affirmer{"answer": "paid_to_landlord"}', {"fr": "Oui, elle est versée à mon propriétaire", "en": "Yes, it is paid to my landlord"}),
        ('/nier{"answer": "none"}', {"fr": "Non", "en": "No"}),
        DONT_KNOW_BUTTON,
    ],
    "housing_benefit.landlord": [
        ('/affirmer{"answer": "paid_to_landlord"}', {"fr": "Oui, elle m'est versée directement", "en": "Yes, it is paid directly to me"}),
        ('/affirmer{"answer": "paid_to_tenant"}', {"fr": "Oui, elle est versée au locataire", "en": "Yes, it is paid to the tenant"}),
        ('/nier{"answer": "none"}', {"fr": "Non", "en": "No"}),
        DONT_KNOW_BUTTON,
    ],
    "landlord_kind": [
        ('/affirmer{"answer": "social"}', {"fr": "Un bailleur social (HLM, office public)", "en": "A social landlord (HLM, public housing office)"}),
        ('/affirmer{"answer": "private"}', {"fr": "Un propriétaire privé ou une agence", "en": "A private landlord or an agency"}),
        DONT_KNOW_BUTTON,
    ],
    "resumed_rent": [
        ('/affirmer{"answer": "yes"}', {"fr": "Oui, je paye à nouveau le loyer en entier", "en": "Yes, I pay the full rent again"}),
        ('/nier{"answer": "no"}', {"fr": "Pas encore, ou pas en entier", "en": "Not yet, or not in full"}),
        DONT_KNOW_BUTTON,
    ],
    "private_sector_employee": [
        ("/affirmer", {"fr": "Oui", "en": "Yes"}),
        ("/nier", {"fr": "Non", "en": "No"}),
        DONT_KNOW_BUTTON,
    ],
    "debts": [
        ('/nier{"answer": "none"}', {"fr": "Non", "en": "No"}),
        ('/affirmer{"answer": "other_debts"}', {"fr": "Oui, sans dossier de surendettement", "en": "Yes, but no over-indebtedness file"}),
        ('/affirmer{"answer": "filed"}', {"fr": "J'ai déposé un dossier de surendettement", "en": "I filed an over-indebtedness case"}),
        ('/affirmer{"answer": "admissible"}', {"fr": "Mon dossier de surendettement est recevable", "en": "My over-indebtedness file was declared admissible"}),
        DONT_KNOW_BUTTON,
    ],
}

KIND_LABELS: Dict[str, Dict[str, str]] = {
    # Not "gratuite": the brief gives no source for it (§4.1).
    "cdad": {"fr": "Aide juridique (CDAD)", "en": "Legal help (CDAD)"},
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


# A landlord is not put out of the home: the stage question without that choice.
ASK_BUTTONS["stage.landlord"] = [choice for choice in ASK_BUTTONS["stage"] if "illegal_eviction" not in choice[0]]


def question(slot: str, role: Optional[str], lang: str) -> Tuple[str, List[Dict[str, str]]]:
    """The form's question for ``slot`` and its buttons, worded for the role."""
    texts = ASK.get(f"{slot}.{role}") or ASK[slot]
    choices = ASK_BUTTONS.get(f"{slot}.{role}", ASK_BUTTONS.get(slot, []))
    buttons = [{"title": titles.get(lang) or titles["fr"], "payload": payload}
               for payload, titles in choices]
    return texts.get(lang) or texts["fr"], buttons


def text(key: str, lang: str, **values: Any) -> str:
    template = TEXTS[key].get(lang) or TEXTS[key]["fr"]
    return template.format(**values) if values else template


def kind_label(kind: str, lang: str) -> str:
    labels: Optional[Dict[str, str]] = KIND_LABELS.get(kind)
    if not labels:
        return kind
    return labels.get(lang) or labels["fr"]
