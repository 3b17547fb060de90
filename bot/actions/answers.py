"""Read the answers to the aid questions from a button or from what people type.

Each reader returns the value the triage API expects, or None when the text
does not say it clearly: the form then asks again rather than guess. Texts are
compared folded (lower case, no accents), because people type "verse au
proprio" as often as "versée au propriétaire".
"""
import re
import unicodedata
from typing import Any, Dict, Optional, Sequence, Tuple

from rasa_sdk import Tracker

HOUSING_BENEFIT = ("none", "paid_to_tenant", "paid_to_landlord")
DEBTS = ("none", "other_debts", "filed", "admissible")
EMPLOYEE = ("yes", "no")
LANDLORD_KINDS = ("private", "social")
RESUMED_RENT = ("yes", "no")
MAX_HOUSEHOLD_SIZE = 30  # the API's limit


def fold(text: str) -> str:
    decomposed = unicodedata.normalize("NFKD", text or "")
    plain = "".join(c for c in decomposed if not unicodedata.combining(c)).lower()
    plain = plain.replace("’", "'")
    return " ".join(plain.split())


def button_answer(tracker: Tracker) -> Optional[str]:
    """The value a button carried in its payload (entity ``answer``), if any."""
    for entity in tracker.latest_message.get("entities") or []:
        if entity.get("entity") == "answer" and entity.get("value"):
            return str(entity["value"])
    return None


def _has(pattern: str, text: str) -> bool:
    return re.search(pattern, text) is not None


def _first_match(text: str, readings: Sequence[Tuple[str, str]]) -> Optional[str]:
    """The value of the first pattern found in the folded text; the order is the reading's priority."""
    for pattern, value in readings:
        if _has(pattern, text):
            return value
    return None


_NEGATIVE = r"\b(non|nan|no|nope|none|aucune?|jamais|never|not|rien)\b|\bpas\b|\bn'|\bdon'?t\b"


# --- housing benefit -------------------------------------------------------------
_TO_LANDLORD = (r"\b(proprio|proprios|proprietaire|bailleur|landlord|owner|tiers payant|hlm|"
                r"territoire habitat|office)\b")
_TO_TENANT = (r"\b(locataire|tenant|lui|il la touche|elle la touche|il les touche|elle les touche|il touche|"
              r"elle touche|il recoit|elle recoit|he gets|she gets|he receives|she receives)\b")
_TO_ME = (r"\b(moi|me|mon compte|my account|je la touche|je l'ai|je touche|je recois|"
          r"m'est versee?|i get|i receive|i'm paid|paid to me)\b")


def read_housing_benefit(text: str, role: Optional[str]) -> Optional[str]:
    """none | paid_to_tenant | paid_to_landlord, from the answerer's point of view."""
    t = fold(text)
    if role == "landlord":
        other, other_value, me_value = _TO_TENANT, "paid_to_tenant", "paid_to_landlord"
    else:
        other, other_value, me_value = _TO_LANDLORD, "paid_to_landlord", "paid_to_tenant"
    to_other = _has(other, t)
    # A landlord's "directement" is "to me", unless the tenant is named as the
    # one who gets it ("il touche les apl directement").
    to_me = _has(_TO_ME, t) or (role == "landlord" and not to_other and _has(r"\b(directement|directly)\b", t))
    if to_other and to_me and not _has(_NEGATIVE, t):
        return None  # "moi et le proprio": ask again rather than guess
    if to_other:
        return other_value
    if _has(_NEGATIVE, t):
        return "none"
    if to_me:
        return me_value
    return None


# --- private-sector employee ----------------------------------------------------------
_NOT_EMPLOYEE = (r"\b(chomage|chomeur|chomeuse|sans emploi|sans travail|pas de travail|"
                 r"retraite|retraitee?|fonctionnaire|fonction publique|mairie|etudiante?|"
                 r"independante?|auto entrepreneur|auto-entrepreneur|artisan|commercante?|"
                 r"agricole|agriculteur|agricultrice|ferme|invalidite|rsa|au foyer|"
                 r"unemployed|retired|civil servant|public sector|student|self employed|"
                 r"self-employed|farm|farmer|no job|jobless)\b"
                 r"|\b(pas|plus|not|no longer)\s+(salarie|salariee|employee?)"
                 # "je travaille pas", "je ne travaille plus", "i don't work"
                 r"|\b(travaille|bosse)\s+(pas|plus)\b|\bne (travaille|bosse)\b|\b(don'?t|do not) work\b")
_EMPLOYEE = (r"\b(salarie|salariee|cdi|cdd|interim|interimaire|employee?|ouvriere?|"
             r"je travaille|je bosse|i work|i'm employed|private company|entreprise privee|"
             r"boite privee|dans le prive|temp work)\b")


def read_employee(text: str) -> Optional[str]:
    """yes | no from a job described in words ("je suis au chomage", "en cdi")."""
    # "pas salarie" is a no before "salarie" can be a yes.
    return _first_match(fold(text), [(_NOT_EMPLOYEE, "no"), (_EMPLOYEE, "yes")])


# --- other debts ----------------------------------------------------------------
_NEGATED_DEBT = (r"\b(pas|plus|aucune?|sans|no|not any|none)\s+(d'|de |des |of |d )?"
                 r"(autres? |other )?(dettes?|debts?|credits?|loans?|factures?|bills?|"
                 r"impots?|taxes?|dossiers?|files?)\b")
_ADMISSIBLE = r"\b(recevable|admissible|accepte|acceptee|admis|declared)\b"
_FILED = r"\b(depose|deposee|deposer|dossier|filed|file)\b"
_OTHER_DEBTS = (r"\b(oui|ouais|yes|yeah|credits?|dettes?|factures?|impots?|prets?|"
                r"loans?|debts?|bills?|taxes?|surendette|surendettee|surendettement|"
                r"huissiers?|banque)\b")


def read_debts(text: str) -> Optional[str]:
    """none | other_debts | filed | admissible."""
    t = fold(text)
    negated = _has(_NEGATED_DEBT, t)
    t = re.sub(_NEGATED_DEBT, " ", t)
    found = _first_match(t, [(_ADMISSIBLE, "admissible"), (_FILED, "filed"), (_OTHER_DEBTS, "other_debts")])
    if found is None and (negated or _has(_NEGATIVE, t)):
        return "none"
    return found


# --- landlord kind -------------------------------------------------------------
# Social: HLM, an office public (OPH), the département's main social landlord
# named in the domain brief (Territoire Habitat). Private: a person, a company
# or an agency letting for an owner.
_SOCIAL_WORDS = (r"hlm|h l m|office|oph|opac|territoire habitat|bailleur social|bailleurs sociaux|"
                 r"logement social|logements sociaux|logement sociale|social|sociale|"
                 r"council|housing association|public housing|social housing|social landlord")
# "proprio" is also the everyday word for any landlord ("mon proprio c'est
# Territoire Habitat"): it means private only when nothing says social.
_GENERIC_WORDS = r"proprio|proprios|proprietaire|proprietaires|landlord|owner"
_PRIVATE_WORDS = (r"particulier|particuliere|prive|privee|agence|agences|immobiliere|immo|sci|"
                  r"monsieur|madame|dame|private|privately|individual|agency|agent|letting|"
                  r"landlady|person")
_SOCIAL = r"\b(" + _SOCIAL_WORDS + r")\b"
_PRIVATE = r"\b(" + _PRIVATE_WORDS + r")\b"
_GENERIC = r"\b(" + _GENERIC_WORDS + r")\b"
_NOT_BEFORE = r"\b(pas|non|not|no|ni)\s+(un |une |a |an |de |d'|du |en |chez )?(le |la |l')?"


# A landlord speaking: "mon locataire", "je suis (le) bailleur". A tenant says
# "mon bailleur", "mon proprio": those name the other side.
_LANDLORD_SPEAKING = (r"\b(mon|ma|mes|notre|nos) locataires?\b|\bje suis (le |la |un |une )?"
                      r"(bailleur|bailleresse|proprietaire|proprio)\b|\bmy tenants?\b"
                      r"|\bi'?m (the |a )?landlord\b|\bi am (the |a )?landlord\b")


# The paper named, as people type it: "commandemant", "comandement", "commandemen".
_COMMANDEMENT_DE_PAYER = (r"\bcomm?ande?m[ae]n\w*\b(?!\s+de\s+quitt)|\bcdt de pay|\border to pay\b"
                          r"|\bdemand (for|to) pay(ment)?\b|\bcommandment to pay\b")


def names_commandement_de_payer(text: str) -> bool:
    """True when the message names the paper itself, not just "un papier"."""
    return _has(_COMMANDEMENT_DE_PAYER, fold(text))


# The papers of the procedure named in words, latest stage first. Only read
# when the message was classified as plain arrears ("retard de loyer… et
# commandement de payer reçu le 20 octobre"): the arrears intent must not
# hide the paper that sets the deadline.
_STAGES_IN_WORDS = (
    ("commandement_de_quitter", r"\bquitt?er? les lieux\b|\bcdt de quitt|\bcql\b|\border to leave\b"),
    ("jugement", r"\bjugement\b|\bjugemen\b|\bjugment\b|\bjudge?ment\b|\bordonnance\b|\bcondamne\b"),
    ("assignation", r"\bassignation\b|\bassigne\b|\bconvocation\b|\bconvoque\b|\baudience\b"
                    r"|\btribunal\b|\bsummons\b|\bcourt date\b|\bhearing\b"),
)

# Just before a paper's name, words that say it has not come: "je sais pas
# si je vais avoir un jugement", "il menace de m'envoyer au tribunal", "il
# allait porter plainte au tribunal", "pour éviter le tribunal", "pas encore
# d'assignation". Unless the household then says it came: "pas de travail
# et j'ai reçu une assignation" is a summons.
_NOT_YET = re.compile(r"\b(si|(?:vais|va|vas) (?:avoir|recevoir|etre|m'|m |me |porter)|allait|allais|risque|risquer|"
                      r"menace|menacer|veut|voudrait|pourrait|compte|eviter|peur|pas encore|pas de|pas d|sans|"
                      r"aucune?|jamais|if|will|would|might|avoid|afraid|no|not yet|threaten\w*|going to|"
                      r"wants? to)\b")
_RECEIVED = re.compile(r"\b(recu|recue|recus|eu|ai|j'ai|jai|got|received|have|has|had)\b")


def _feared(before: str) -> bool:
    """True when the words just before a paper's name (same sentence, 50
    characters) say it has not come."""
    window = re.split(r"[.!?]", before)[-1][-50:]
    last = None
    for last in _NOT_YET.finditer(window):
        pass
    return last is not None and not _RECEIVED.search(window[last.end():])
# A question about a word, not a fact: "c'est quoi une assignation ?".
_ASKS_WHAT = (r"\b(c'?est quoi|c est quoi|cest quoi|qu'?est ce que?|qu est ce|que veut dire|ca veut dire quoi|"
              r"what is|what's|what does|what do .* mean)\b")


def asks_what_a_word_means(text: str) -> bool:
    return _has(_ASKS_WHAT, fold(text))


def paper_only_feared(text: str) -> bool:
    """True when the message names a court paper only as feared, threatened or
    asked about ("il menace de m'envoyer au tribunal", "c'est quoi un jugement")."""
    t = fold(text)
    named = [m for _, pattern in _STAGES_IN_WORDS for m in re.finditer(pattern, t)]
    return bool(named) and (asks_what_a_word_means(t) or all(_feared(t[:m.start()]) for m in named))


# A court paper named only as a paper: "lettre du tribunal", "j'ai des
# papiers du tribunal", "court papers". It may be a summons (go to the
# hearing) or a judgment (appeal, DALO): the form asks which, as it does for
# "un papier de l'huissier".
_SOME_PAPER = r"\b(lettre|lettres|papier|papiers|courrier|courriers|document|documents|letter|letters|papers)\b"
_COURT_PAPER_NAMED = (r"\b(assignation|assigne|convocation|convoque|audience|summons|hearing|court date|jugement|"
                      r"jugemen|juge|judge?ment|judge|ordonnance|condamne|decision|decide|ruling)\b")


# "Eviction notice", "lettre d'expulsion": the order to leave, or any paper
# of the procedure as the household calls it. Only the order's own words
# ("quitter les lieux", "to leave", "vacate") name it.
_ORDER_TO_LEAVE_NAMED = r"quitt|\bleave\b|\bvacate\b|\bcql\b|\bpartir\b|\bsortir\b"


def names_order_to_leave(text: str) -> bool:
    return _has(_ORDER_TO_LEAVE_NAMED, fold(text))


def vague_court_paper(text: str) -> bool:
    """True when the message speaks of a paper from the court without saying which."""
    t = fold(text)
    return _has(_SOME_PAPER, t) and not _has(_COURT_PAPER_NAMED, t)


# "Mon proprio veut m'expulser": the landlord's wish, not yet a stage, and
# not an eviction without a judgment either (brief §2.5): the form asks the stage.
_EVICTION_WANTED = (r"\b(veut|veux|voudrait|va|menace de|menace|cherche a|compte)\s+(m'|me |m |nous |les )?"
                    r"(expulser|mettre dehors|mettre a la porte|virer|faire partir|jeter)\b"
                    r"|\bwants? to (evict|kick|throw)|\btrying to (evict|kick)|\bthreaten\w* to (evict|kick)")


def eviction_wanted(text: str) -> bool:
    return _has(_EVICTION_WANTED, fold(text))


def stage_said(text: str) -> Optional[str]:
    """The latest stage a message names by its paper (never "arrears"), or None."""
    t = fold(text)
    if asks_what_a_word_means(t):
        return None
    for stage, pattern in _STAGES_IN_WORDS:
        # "il menace de m'envoyer au tribunal": a threat, not a summons;
        # "je sais pas si je vais avoir un jugement": not a judgment.
        if any(not _feared(t[:m.start()]) for m in re.finditer(pattern, t)):
            return stage
    return "commandement_de_payer" if _has(_COMMANDEMENT_DE_PAYER, t) else None


# English written on the French page: a few of the commonest English words
# and none of the French ones. Only to point to the English version.
_ENGLISH_WORDS = frozenset("i i'm my the a to from got have has is and please landlord rent owe paper "
                           "court bailiff evict eviction help what how do don't speak".split())
_FRENCH_WORDS = frozenset("je j'ai j'ai mon ma mes le la les un une de du des et est pas loyer proprio "
                          "propriétaire proprietaire huissier papier tribunal aide bonjour merci".split())


def written_in_english(text: str) -> bool:
    words = re.findall(r"[a-zà-ÿ']+", (text or "").lower())
    return sum(w in _ENGLISH_WORDS for w in words) >= 3 and not any(w in _FRENCH_WORDS for w in words)


# A phone number, an e-mail address, or a call back asked for in words.
_CONTACT_DETAILS = (r"(?<!\d)(?:\+33\s?|0)[1-9](?:[\s.-]?\d{2}){4}(?!\d)"
                    r"|[\w.+-]+@[\w-]+\.[\w.-]+"
                    r"|\brappel+ez[\s-]?(?:moi|nous)\b|\bcall me back\b")


def gives_contact_details(text: str) -> bool:
    """True when a message holds a phone number or an e-mail, or asks to be called back."""
    return _has(_CONTACT_DETAILS, fold(text))


# A tenant speaking: "je suis locataire", "mon proprio", "my landlord".
_TENANT_SPEAKING = (r"\bje suis (le |la |un |une )?locataire\b|\b(mon|ma|notre) (proprio|proprietaire|bailleur|"
                    r"bailleresse)\b|\bi'?m (the |a )?tenant\b|\bi am (the |a )?tenant\b"
                    r"|\bmy landlord\b")


def role_said(text: str) -> Optional[str]:
    """"tenant" or "landlord" when the words say who speaks (one side only); else None."""
    t = fold(text)
    tenant, landlord = _has(_TENANT_SPEAKING, t), _has(_LANDLORD_SPEAKING, t)
    if tenant == landlord:
        return None
    return "tenant" if tenant else "landlord"


def read_landlord_kind(text: str) -> Optional[str]:
    """private | social, from the tenant's words ("un hlm", "un particulier")."""
    t = fold(text)
    # "pas un hlm, un particulier": not social is private (the question has
    # two answers). "pas un particulier" alone could still be an agency: no guess.
    not_social = _has(_NOT_BEFORE + r"(" + _SOCIAL_WORDS + r")\b", t)
    t = re.sub(_NOT_BEFORE + r"(" + _SOCIAL_WORDS + "|" + _PRIVATE_WORDS + "|" + _GENERIC_WORDS + r")\b",
               " ", t)
    social = _has(_SOCIAL, t)
    private = _has(_PRIVATE, t) or not_social or (not social and _has(_GENERIC, t))
    if social and private:
        return None  # "un particulier ou l'office": ask again rather than guess
    if social:
        return "social"
    if private:
        return "private"
    return None


# --- resumed rent ----------------------------------------------------------------
# The judge's condition is the full current rent ("versement intégral du loyer
# courant"): a part of it is not yet a yes.
_NEVER_STOPPED = (r"\b(jamais arrete|jamais cesse|toujours paye|toujours payee|never stopped|"
                  r"always paid|still pay|still paying)\b")
_NOT_RESUMED = (r"\b(pas encore|pas tout|pas en entier|pas entierement|pas completement|pas le loyer entier|"
                r"une partie|partie du loyer|partiellement|en partie|la moitie|moitie|"
                r"not yet|part of|partly|partially|half|not the full|not all|not in full|"
                r"non|nan|no|nope|jamais|never|pas|peux pas|can't|cannot|unable|not)\b"
                r"|\bn'|\bdon'?t\b")
_RESUMED = (r"\b(oui|ouais|yes|yeah|yep|je paye|je paie|je repaye|je repaie|j'ai repris|"
            r"repris|reprise|recommence|a nouveau|de nouveau|tous les mois|chaque mois|"
            r"en entier|integralement|tout le loyer|loyer complet|i pay|i'm paying|paying again|"
            r"resumed|started again|again|every month|in full|the full rent)\b")


def read_resumed_rent(text: str) -> Optional[str]:
    """yes | no: is the full current rent paid again ("oui je paye a nouveau", "pas encore")."""
    # "je n'ai jamais arrete" is a yes before its "jamais" can be a no.
    return _first_match(fold(text), [(_NEVER_STOPPED, "yes"), (_NOT_RESUMED, "no"), (_RESUMED, "yes")])


# --- income ------------------------------------------------------------------
_NO_INCOME = (r"^(rien|rien du tout|zero|nothing|none|aucun|aucun revenu)$"
              r"|\b(aucun revenu|aucune ressource|pas de revenus?|pas de ressources?|"
              r"sans revenus?|sans ressources?|je (ne )?gagne rien|no income|i earn nothing|"
              r"i have no income)\b")


def reads_as_no_income(text: str) -> bool:
    """"rien", "aucun revenu": an income of 0, which the API reads, not an unknown."""
    return _has(_NO_INCOME, fold(text).strip(" .!"))


# --- household size ---------------------------------------------------------------
_NUMBER_WORDS = {
    "un": 1, "une": 1, "one": 1, "deux": 2, "two": 2, "trois": 3, "three": 3,
    "quatre": 4, "four": 4, "cinq": 5, "five": 5, "six": 6, "sept": 7, "seven": 7,
    "huit": 8, "eight": 8, "neuf": 9, "nine": 9, "dix": 10, "ten": 10,
}
_ARTICLES = ("un", "une", "one")
_NUMBER = r"\b(\d{1,2}|%s)\b" % "|".join(_NUMBER_WORDS)
_ALONE = r"\b(seule?|tout seul|toute seule|juste moi|que moi|moi seule?|alone|just me|only me|myself)\b"
_COUPLE = r"\b(couple|a deux)\b"
# One more person each, when not counted by a number before them ("mon mari").
_RELATIVE_WORDS = (r"mari|femme|epouse|epoux|conjointe?|compagne|compagnon|copine|copain|"
                   r"concubine?|fils|fille|bebe|mere|pere|maman|papa|frere|soeur|"
                   r"husband|wife|partner|son|daughter|baby|mother|father|mum|mom|dad|"
                   r"boyfriend|girlfriend|brother|sister")
_RELATIVE = r"\b(" + _RELATIVE_WORDS + r")\b"
_PEOPLE_WORDS = (r"enfants?|gosses?|petits|kids?|children|child|adultes?|adults?|personnes?|"
                 r"people|persons?")
_PEOPLE = r"\b(" + _PEOPLE_WORDS + r"|moi|me|nous|on est|we|we're)\b"
# The number already counts the person answering.
_TOTAL = (r"\b(on est|on vit a|nous sommes|we are|we're|there are|il y a|avec moi|"
          r"moi compris|moi inclus|y compris moi|en me comptant|including me|with me|"
          r"adultes?|adults?|personnes?|people|persons?|foyer de|family of)\b")


def read_household_size(text: str) -> Optional[int]:
    """How many people live in the home, counting the person answering."""
    t = fold(text)
    numbers = [int(m.group(1)) if m.group(1).isdigit() else _NUMBER_WORDS[m.group(1)]
               for m in re.finditer(_NUMBER, t)
               # "un", "une" count only before a person ("un enfant"), else
               # "dans un appart" would add one.
               if m.group(1) not in _ARTICLES or t == m.group(1)
               or re.match(r"\s+(" + _RELATIVE_WORDS + "|" + _PEOPLE_WORDS + r")\b", t[m.end():])]
    # "on est 2 avec mon mari": the number after "on est" is already the total;
    # the people named after it are in it (it made 3).
    stated = re.search(r"\b(?:on est|nous sommes|on vit a|we are|we're)\s+" + _NUMBER, t)
    if stated:
        size = int(stated.group(1)) if stated.group(1).isdigit() else _NUMBER_WORDS.get(stated.group(1))
        return size if size is not None and 1 <= size <= MAX_HOUSEHOLD_SIZE else None
    alone, couple = _has(_ALONE, t), _has(_COUPLE, t)
    relatives = len([m for m in re.finditer(_RELATIVE, t)
                     if not re.search(_NUMBER + r"\s*$", t[:m.start()])])
    described = numbers or alone or couple or relatives
    if not described:
        return None
    if not (alone or couple or _has(_RELATIVE, t) or _has(_PEOPLE, t)):
        # A bare number ("3", "trois"); two of them ("3 ou 4") say nothing sure.
        size = numbers[0] if len(numbers) == 1 else None
    else:
        size = sum(numbers) + relatives + (2 if couple else 0)
        if not (couple or _has(_TOTAL, t)):
            size += 1  # "moi et mes 2 enfants", "seule avec 1 enfant"
    if size is None or not 1 <= size <= MAX_HOUSEHOLD_SIZE:
        return None
    return size


def to_request(slots: Dict[str, Any]) -> Dict[str, Any]:
    """The API fields for the answers kept in slots (employee, debts, rent resumed)."""
    out: Dict[str, Any] = {}
    resumed = slots.get("resumed_rent")
    if resumed in RESUMED_RENT:
        out["resumed_rent"] = resumed == "yes"
    employee = slots.get("private_sector_employee")
    if employee in EMPLOYEE:
        out["private_sector_employee"] = employee == "yes"
    debts = slots.get("debts")
    if debts == "none":
        out["other_debts"] = False
        out["overindebtedness"] = "none"
    elif debts == "other_debts":
        out["other_debts"] = True
    elif debts in ("filed", "admissible"):
        out["overindebtedness"] = debts
    return out

