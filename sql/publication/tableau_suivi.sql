-- The agreed actions of every pilot company and their measured effect (dashboard).
select
    entreprise,
    action,
    date_debut,
    libelle_indicateur,
    valeur_avant,
    valeur_apres,
    effet,
    ic_bas,
    ic_haut,
    verdict
from "analyse".suivi_pilote
order by entreprise, date_debut, action
