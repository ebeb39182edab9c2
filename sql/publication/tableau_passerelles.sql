-- The v3 passerelles per département or region and year, of the occupations the
-- dashboard lets one choose (those with offers or jobseekers somewhere): a code reached
-- only as a neighbour's mobility has no pool of its own to look at.
with

choisis as (
    select code
    from "analyse".tension_marche
    where
        niveau_code = 'rome3'
        and type_periode = 'annee'
        and niveau_territoire in ('departement', 'region')
)

select
    code as metier,
    libelle,
    niveau_territoire || ':' || code_territoire as territoire,
    periode as annee,
    offres,
    demandeurs_a,
    code_voisin,
    libelle_voisin,
    metiers_sources,
    rang,
    offres_voisin,
    demandeurs_a_voisin,
    demandeurs_abc_voisin,
    niveau_tension_voisin,
    voisin_en_tension,
    vivier_passerelles_a,
    voisins_en_tension
from "analyse".passerelles
where
    niveau_code = 'rome3'
    and niveau_territoire in ('departement', 'region')
    and type_periode = 'annee'
    and code in (select code from choisis)
order by metier, territoire, annee, rang, code_voisin
