-- One company's passerelles (all its roles, over the whole period), with the verdict and
-- the threshold of the diagnosis's rule « vivier_passerelles », and the département's name.
with

passerelles as (
    select *
    from "analyse".passerelles_entreprise
    where entreprise = $entreprise and type_periode = 'ensemble'
),

preuves as (
    select *
    from "analyse".diagnostic_preuves
    where regle = 'vivier_passerelles'
),

departements as (
    select
        code_territoire,
        libelle
    from "analyse".territoires
    where niveau_territoire = 'departement'
)

select
    passerelles.rome_code_parent as metier,
    passerelles.departement,
    departements.libelle as departement_libelle,
    passerelles.annee,
    passerelles.code_voisin,
    passerelles.libelle_voisin,
    passerelles.metiers_sources,
    passerelles.rang,
    passerelles.demandeurs_a_voisin,
    passerelles.demandeurs_abc_voisin,
    passerelles.offres_voisin,
    passerelles.niveau_tension_voisin,
    passerelles.voisin_en_tension,
    passerelles.competences_a_acquerir,
    passerelles.vivier_qualifie_par_poste,
    passerelles.vivier_passerelles_par_poste,
    passerelles.voisins_en_tension,
    preuves.declenchee,
    preuves.seuil
from passerelles
left join preuves
    on
        passerelles.entreprise = preuves.entreprise
        and passerelles.rome_code_parent = preuves.rome_code_parent
        and passerelles.type_periode = preuves.type_periode
        and passerelles.periode = preuves.periode
left join departements
    on passerelles.departement = departements.code_territoire
order by
    passerelles.rome_code_parent asc,
    passerelles.rang asc,
    passerelles.demandeurs_a_voisin desc nulls last,
    passerelles.code_voisin asc
