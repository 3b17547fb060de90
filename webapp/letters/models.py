"""The three letter models, filled with the landlord's answers.

Letters are in French whatever the site language: the tenancy, the tenant and
the CAF work in French. Every unknown (names, addresses, allocataire number)
stays a visible [placeholder] for the landlord to fill in, never a guess.
"""
from __future__ import annotations

import datetime as dt
from dataclasses import asdict, dataclass, field
from decimal import Decimal

from webapp.letters.formatting import date_fr, money_fr
from webapp.letters.schedule import Schedule

KINDS = ("relance", "echeancier", "signalement-caf")
TEXT_FIELDS = ("sender", "recipient", "place_date", "subject", "body")
# Longest accepted text per field (characters): a letter fits on two pages.
MAX_LENGTHS = {"sender": 600, "recipient": 600, "place_date": 200, "subject": 300, "body": 12000}

DISCLAIMER_FR = ("Modèle de courrier à adapter, proposé par le service « Rester chez soi » "
                 "(Territoire de Belfort). Ce n'est pas un conseil juridique.")


@dataclass(frozen=True)
class Helpline:
    """A national line as the directory holds it when the letter is written.

    The letters write no number themselves: the directory is the one place
    for contact details, and a number its staff changed is no longer said to
    be free ("numéro vert", "appel gratuit") until someone checks it.
    """

    phone: str
    free_call: bool = False


@dataclass(frozen=True)
class LetterFacts:
    """What the questionnaire knows, in the shape the letters need."""

    today: dt.date
    debt: Decimal
    rent: Decimal
    charges: Decimal
    months_unpaid: int
    landlord_entity: str = "individual"
    commune_name: str | None = None
    lease_date: dt.date | None = None
    housing_benefit: str | None = None  # none | paid_to_tenant | paid_to_landlord | unknown
    tenant_contact: str | None = None   # none | letter | talked | plan_not_kept
    commandement_date: dt.date | None = None
    caf_address: str | None = None
    # SOS Loyers impayés from the directory; None when it has no number now.
    sos_loyers: Helpline | None = None
    # The site's "Trouver mes contacts" page, full URL, for a letter without that number.
    contacts_url: str | None = None

    @property
    def rent_with_charges(self) -> Decimal:
        return self.rent + self.charges


@dataclass
class LetterText:
    kind: str
    sender: str
    recipient: str
    place_date: str
    subject: str
    body: str
    extra: dict = field(default_factory=dict)

    def fields(self) -> dict[str, str]:
        return {k: getattr(self, k) for k in TEXT_FIELDS}

    def as_dict(self) -> dict:
        return asdict(self)


def _sender(facts: LetterFacts) -> str:
    if facts.landlord_entity == "individual":
        return "[Vos prénom et nom]\n[Votre adresse]\n[Votre téléphone]"
    return "[Nom de la société ou de la SCI]\n[Représentée par : prénom, nom, qualité]\n[Adresse]\n[Téléphone]"


def _tenant_recipient(facts: LetterFacts) -> str:
    commune = facts.commune_name or "[Commune]"
    return f"[Prénom et nom du locataire]\n[Adresse du logement]\n{commune}"


def _place_date(facts: LetterFacts) -> str:
    return f"À [ville], le {date_fr(facts.today)}"


def _signature(facts: LetterFacts) -> str:
    if facts.landlord_entity == "individual":
        return "[Votre signature]"
    return "[Nom, qualité et signature du représentant]"


def _sos_loyers(line: Helpline, free_note: bool) -> str:
    """ "le numéro vert SOS Loyers impayés (<numéro>, appel gratuit)"; without "vert" and "gratuit" unless free."""
    if line.free_call:
        return f"le numéro vert SOS Loyers impayés ({line.phone}{', appel gratuit' if free_note else ''})"
    return f"SOS Loyers impayés ({line.phone})"


def _contacts_page(facts: LetterFacts) -> str:
    where = f" ({facts.contacts_url})" if facts.contacts_url else ""
    return f"la page « Trouver mes contacts » du site « Rester chez soi »{where}"


def _debt_sentence(facts: LetterFacts) -> str:
    # "mois" is the same in the singular and the plural.
    return (f"À ce jour, {facts.months_unpaid} mois de loyer et de charges restent impayés, "
            f"pour un montant total de {money_fr(facts.debt)} (loyer et charges : "
            f"{money_fr(facts.rent_with_charges)} par mois).")


def reminder(facts: LetterFacts) -> LetterText:
    """A friendly first reminder proposing a conversation."""
    body = "\n\n".join([
        "Madame, Monsieur,",
        "Sauf erreur de ma part, je n'ai pas reçu le paiement complet du loyer et des charges "
        "du logement que vous occupez. " + _debt_sentence(facts),
        "Chacun peut traverser une période difficile. Je vous propose d'en parler ensemble, "
        "par téléphone ou de vive voix, pour trouver une solution, par exemple un étalement "
        "de cette somme en plus du loyer courant. Vous pouvez me joindre au [votre numéro de "
        "téléphone] ou me répondre par écrit dès que possible.",
        _reminder_help(facts),
        "Je vous prie d'agréer, Madame, Monsieur, l'expression de mes salutations distinguées.",
        _signature(facts),
    ])
    return LetterText("relance", _sender(facts), _tenant_recipient(facts), _place_date(facts),
                      "Loyer impayé : proposition d'en parler", body)


def _reminder_help(facts: LetterFacts) -> str:
    start = ("Si vous avez des difficultés à payer votre loyer, vous pouvez aussi vous faire aider "
             "gratuitement : par une assistante sociale de l'Espace des solidarités départementales "
             "de votre secteur, ")
    if facts.sos_loyers is None:
        return start + f"ou par un des contacts de {_contacts_page(facts)}."
    return start + f"ou par {_sos_loyers(facts.sos_loyers, free_note=True)}."


def _plan_help(facts: LetterFacts) -> str:
    start = ("Une assistante sociale de l'Espace des solidarités départementales de votre secteur peut "
             "vous aider à construire votre budget.")
    if facts.sos_loyers is None:
        return start + f" D'autres contacts sont sur {_contacts_page(facts)}."
    sos = _sos_loyers(facts.sos_loyers, free_note=False)
    return f"{start} {sos[0].upper()}{sos[1:]} renseigne gratuitement locataires et propriétaires."


def schedule_lines(schedule: Schedule) -> str:
    return "\n".join(
        f"{i.number}. {date_fr(i.due)} : {money_fr(i.amount)} (reste dû après paiement : {money_fr(i.remaining)})"
        for i in schedule.instalments)


def repayment_plan(facts: LetterFacts, schedule: Schedule) -> LetterText:
    """A proposal of a repayment plan with its computed schedule."""
    s = schedule
    if s.months == 1:
        terms = (f"Cette somme serait réglée en une seule fois, le {date_fr(s.first_due)}, "
                 f"en plus du loyer et des charges du mois ({money_fr(s.rent_with_charges)}), "
                 f"soit {money_fr(s.last_payment)} ce mois-là.")
    elif s.regular == s.last:
        terms = (f"Le remboursement se ferait en {s.months} mensualités de "
                 f"{money_fr(s.regular)}, du {date_fr(s.first_due)} au {date_fr(s.last_due)}, "
                 f"en plus du loyer et des charges courants ({money_fr(s.rent_with_charges)} par mois). "
                 f"Vous verserez donc {money_fr(s.monthly_payment)} chaque mois pendant {s.months} mois.")
    else:
        terms = (f"Le remboursement se ferait en {s.months} mensualités, du "
                 f"{date_fr(s.first_due)} au {date_fr(s.last_due)}, en plus du loyer et des charges "
                 f"courants ({money_fr(s.rent_with_charges)} par mois) : {s.months - 1} mensualités de "
                 f"{money_fr(s.regular)}, puis une dernière de {money_fr(s.last)}. Vous verserez donc "
                 f"{money_fr(s.monthly_payment)} par mois, et {money_fr(s.last_payment)} le dernier mois.")
    body = "\n\n".join([
        "Madame, Monsieur,",
        "Comme suite à [notre échange du … / mon courrier du …], je vous propose un plan de "
        f"remboursement (échéancier) de la dette de loyers et de charges, qui s'élève à "
        f"{money_fr(s.debt)} à ce jour.",
        terms,
        "Échéancier proposé :\n" + schedule_lines(s),
        f"Total remboursé : {money_fr(s.total)}.",
        "Le paiement complet du loyer et des charges de chaque mois reste indispensable, en plus "
        "des mensualités. Si cette proposition vous convient, merci de me renvoyer un exemplaire "
        "de ce courrier, daté et signé, avec la mention « Bon pour accord ». Si elle est trop lourde "
        "pour votre budget, dites-le-moi : nous pouvons en parler et l'adapter.",
        _plan_help(facts),
        "Je vous prie d'agréer, Madame, Monsieur, l'expression de mes salutations distinguées.",
        _signature(facts),
        "Bon pour accord, le locataire (date et signature) :",
    ])
    return LetterText("echeancier", _sender(facts), _tenant_recipient(facts), _place_date(facts),
                      "Proposition d'échéancier pour la dette de loyers", body,
                      extra={"amount": str(s.debt), "months": s.months, "first_due": s.first_due.isoformat()})


_BENEFIT_FR = {
    "paid_to_landlord": "L'aide au logement m'est versée directement (tiers payant) : "
                        "le montant indiqué est la dette restante, aide déduite.",
    "paid_to_tenant": "L'aide au logement est versée à mon locataire.",
}
_CONTACT_FR = {
    "none": "[Indiquez les démarches déjà faites, par exemple : relance écrite du …]",
    "letter": "Une relance écrite a été adressée au locataire le [date].",
    "talked": "J'ai échangé avec le locataire le [date] au sujet de cette dette.",
    "plan_not_kept": "Un accord de remboursement a été conclu le [date], mais il n'est pas respecté.",
}


def caf_report(facts: LetterFacts) -> LetterText:
    """The report of arrears to the CAF or the MSA."""
    lease = date_fr(facts.lease_date) if facts.lease_date else "[date de signature du bail]"
    recipient = "Caisse d'allocations familiales du Territoire de Belfort\n[ou MSA, si votre locataire en dépend]\n" + (
        facts.caf_address or "[Adresse de la CAF ou de la MSA]")
    paragraphs = [
        "Madame, Monsieur,",
        "Je vous signale un impayé de loyer de mon locataire, [prénom et nom], "
        "[numéro d'allocataire, s'il est connu], qui perçoit une aide personnelle au logement.",
        f"Logement : [adresse du logement], {facts.commune_name or '[commune]'}.\n"
        f"Bail signé le {lease}.\n"
        f"Loyer mensuel : {money_fr(facts.rent)} hors charges, charges : {money_fr(facts.charges)}, "
        f"soit {money_fr(facts.rent_with_charges)} par mois.\n"
        f"Dette à ce jour : {money_fr(facts.debt)}, soit {facts.months_unpaid} mois d'impayés.",
    ]
    benefit = _BENEFIT_FR.get(facts.housing_benefit or "")
    if benefit:
        paragraphs.append(benefit)
    paragraphs += [
        "Démarches déjà engagées : " + _CONTACT_FR.get(facts.tenant_contact or "none", _CONTACT_FR["none"]),
        "Je joins un décompte des sommes dues (dates et montants) et reste à votre disposition "
        "pour mettre en place un plan d'apurement avec mon locataire.",
        "Je vous prie d'agréer, Madame, Monsieur, l'expression de mes salutations distinguées.",
        _signature(facts),
        "Pièce jointe : décompte des sommes dues.",
    ]
    return LetterText("signalement-caf", _sender(facts), recipient, _place_date(facts),
                      "Signalement d'un impayé de loyer (aide au logement)", "\n\n".join(paragraphs))
