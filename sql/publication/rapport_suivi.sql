-- One company's agreed actions and their measured effect.
select
    action,
    date_debut,
    indicateur_cible,
    libelle_indicateur,
    recrutements_avant,
    recrutements_apres,
    valeur_avant,
    valeur_apres,
    effet,
    ic_bas,
    ic_haut,
    verdict
from "analyse".suivi_pilote
where entreprise = $entreprise
order by date_debut, action
