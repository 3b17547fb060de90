"""Words shown for statuses, refusal reasons and closure outcomes."""
from flask_babel import lazy_gettext as _l

STATUS_LABELS = {
    "nouvelle": _l("Nouvelle"),
    "prise_en_charge": _l("Prise en charge"),
    "cloturee": _l("Clôturée"),
    "refusee": _l("Refusée"),
}
REFUSAL_LABELS = {
    "hors_competence": _l("Hors de notre champ d'action"),
    "hors_territoire": _l("Hors de notre secteur"),
    "deja_accompagne": _l("Déjà accompagné·e ailleurs"),
    "demande_en_double": _l("Demande en double"),
    "autre": _l("Autre raison (à préciser)"),
}
OUTCOME_LABELS = {
    "plan_apurement_signe": _l("Plan d'apurement signé"),
    "fsl_accorde": _l("Aide du FSL accordée"),
    "fsl_refuse": _l("Aide du FSL refusée"),
    "aide_juridictionnelle_demandee": _l("Aide juridictionnelle demandée"),
    "audience_preparee": _l("Audience préparée, ménage présent ou représenté"),
    "dossier_surendettement_depose": _l("Dossier de surendettement déposé"),
    "information_donnee": _l("Information donnée, pas d'autre suite"),
    "reorientee": _l("Réorientée vers une autre structure"),
    "contact_impossible": _l("Contact impossible"),
    "autre": _l("Autre issue (à préciser)"),
    "donnees_effacees": _l("Données effacées à la demande de la personne"),
}
EVENT_LABELS = {
    "created": _l("Demande reçue"),
    "status": _l("Changement de statut"),
    "note": _l("Note"),
    "reoriented": _l("Réorientation"),
    "agreement": _l("Accord de la personne pour transmettre sa demande"),
    "erased": _l("Données personnelles effacées à la demande de la personne"),
    "corrected": _l("Coordonnées corrigées à la demande de la personne"),
}
