-- "analyse".passerelles_competences: the training that bridges a neighbouring occupation
-- to the target of a passerelle, read in the offers (France Travail skills of
-- "analyse".competences_demandees, required or wished): per passerelle x territory
-- (département, region) x period (quarter, year), each skill asked by at least
-- passerelles_competence_part_cible_min of the target's offers and by at most
-- passerelles_competence_part_voisin_max of the neighbour's (0 when none of them asks for
-- it), when the neighbour has at least passerelles_competence_offres_voisin_min offers in
-- the cell: below that, a share says nothing and no gap is claimed. Skills are matched by
-- label (element_code is the lower-case label). rang_competence orders the skills of a
-- passerelle from the most asked by the target's offers.
create or replace table "analyse".passerelles_competences as
with

liens as (
    select distinct
        niveau_code,
        code,
        code_voisin
    from "analyse".passerelles
),

offres as (
    -- every offer has an experience band: its count is the cell's number of offers
    select
        niveau_code,
        code,
        niveau_territoire,
        code_territoire,
        type_periode,
        periode,
        max(offres_total) as offres_total
    from "analyse".competences_demandees
    where categorie = 'experience' and exigence = 'tous'
    group by all
),

competences as (
    -- a skill is known by its label: France Travail may give one label several codes (one
    -- per occupation's repository), and the neighbour's offers must be read on the same skill
    select
        niveau_code,
        code,
        niveau_territoire,
        code_territoire,
        type_periode,
        periode,
        lower(element_libelle) as element_code,
        min(element_libelle) as element_libelle,
        max(part) as part
    from "analyse".competences_demandees
    where categorie = 'competence' and exigence = 'tous' and element_libelle is not null
    group by all
),

ecarts as (
    select
        liens.niveau_code,
        liens.code,
        liens.code_voisin,
        cible.niveau_territoire,
        cible.code_territoire,
        cible.type_periode,
        cible.periode,
        cible.element_code,
        cible.element_libelle,
        cible.part as part_cible,
        coalesce(voisin.part, 0) as part_voisin,
        offres_voisin.offres_total as offres_voisin
    from liens
    inner join competences as cible on liens.niveau_code = cible.niveau_code and liens.code = cible.code
    inner join offres as offres_voisin
        on
            liens.niveau_code = offres_voisin.niveau_code and liens.code_voisin = offres_voisin.code
            and cible.niveau_territoire = offres_voisin.niveau_territoire
            and cible.code_territoire = offres_voisin.code_territoire
            and cible.type_periode = offres_voisin.type_periode and cible.periode = offres_voisin.periode
    left join competences as voisin
        on
            liens.niveau_code = voisin.niveau_code and liens.code_voisin = voisin.code
            and cible.niveau_territoire = voisin.niveau_territoire
            and cible.code_territoire = voisin.code_territoire
            and cible.type_periode = voisin.type_periode and cible.periode = voisin.periode
            and cible.element_code = voisin.element_code
    where
        cible.part >= getvariable('passerelles_competence_part_cible_min')
        and offres_voisin.offres_total >= getvariable('passerelles_competence_offres_voisin_min')
)

select
    niveau_code,
    code,
    code_voisin,
    niveau_territoire,
    code_territoire,
    type_periode,
    periode,
    element_code,
    element_libelle,
    part_cible,
    part_voisin,
    offres_voisin,
    row_number() over (
        partition by niveau_code, code, code_voisin, niveau_territoire, code_territoire, type_periode, periode
        order by part_cible desc, part_voisin asc, element_libelle asc
    ) as rang_competence
from ecarts
where part_voisin <= getvariable('passerelles_competence_part_voisin_max')
