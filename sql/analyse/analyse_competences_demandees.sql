-- "analyse".competences_demandees: what employers ask for, per occupation (ROME 4.0 and
-- v3 parent) x territory (département, region) x period (quarter, year): the share of
-- offers asking for each skill, diploma level, training field, driving licence, language
-- and experience band, split by requirement (exigence 'E' required, 'S' wished, 'tous'
-- either), with its change against the previous period of the same type and its rank
-- among the fastest-rising elements.
--
-- Offers are France Travail offers (the only source listing skills), one per duplicate
-- cluster; a share is the number of offers asking for the element over all offers of the
-- cell. Experience bands cover every offer ('non précisée' when unknown).
create or replace table "analyse".competences_demandees as
with

offres as (
    -- one France Travail offer per duplicate cluster
    select
        offre_id,
        rome_code,
        rome_code_parent,
        departement,
        region,
        date_creation,
        experience_mois
    from int.offres
    where source = 'france-travail' and date_creation is not null
    qualify row_number() over (partition by doublon_de order by date_creation, offre_id) = 1
),

elements as (
    select
        offre_id,
        'competence' as categorie,
        coalesce(code, lower(libelle)) as element_code,
        libelle as element_libelle,
        exigence
    from brut.offres_ft_competences
    union all
    select
        offre_id,
        'diplome',
        niveau_libelle,
        niveau_libelle as libelle_niveau,
        exigence
    from brut.offres_ft_formations
    where niveau_libelle is not null
    union all
    select
        offre_id,
        'domaine_formation',
        coalesce(code_formation, lower(domaine_libelle)),
        domaine_libelle,
        exigence
    from brut.offres_ft_formations
    where domaine_libelle is not null
    union all
    select
        offre_id,
        'permis',
        libelle,
        libelle as libelle_permis,
        exigence
    from brut.offres_ft_permis
    union all
    select
        offre_id,
        'langue',
        libelle,
        libelle as libelle_langue,
        exigence
    from brut.offres_ft_langues
    union all
    select
        offre_id,
        'experience',
        tranche,
        tranche as tranche_libelle,
        'E'
    from (
        select
            offre_id,
            case
                when experience_mois is null then 'non précisée'
                when experience_mois = 0 then 'débutant accepté'
                when experience_mois < 12 then 'moins d''un an'
                when experience_mois < 24 then '1 à 2 ans'
                when experience_mois < 60 then '2 à 5 ans'
                else '5 ans et plus'
            end as tranche
        from offres
    ) as tranches
),

-- each element under the label most offers give it (ties: alphabetical), the same in
-- every territory and period and from one build to the next ("GMAO" and "gmao" are one)
libelles as (
    select
        categorie,
        element_code,
        element_libelle
    from elements
    where element_libelle is not null
    group by categorie, element_code, element_libelle
    qualify row_number() over (partition by categorie, element_code order by count(*) desc, element_libelle) = 1
),

exigences as (
    -- each element once per offer and requirement, plus 'tous' (required or wished)
    select distinct
        offre_id,
        categorie,
        element_code,
        element_libelle,
        coalesce(exigence, 'S') as exigence
    from elements
    union
    select distinct
        offre_id,
        categorie,
        element_code,
        element_libelle,
        'tous'
    from elements
),

cles as (
    select
        offres.offre_id,
        codes.niveau_code,
        codes.code,
        territoires.niveau_territoire,
        territoires.code_territoire,
        calendrier.type_periode,
        calendrier.periode,
        calendrier.periode_precedente
    from offres
    cross join
        lateral (
            select
                'rome4' as niveau_code,
                offres.rome_code as code
            union all
            select
                'rome3',
                offres.rome_code_parent
        ) as codes
    cross join
        lateral (
            select
                'departement' as niveau_territoire,
                offres.departement as code_territoire
            union all
            select
                'region',
                offres.region
        ) as territoires
    inner join prep.calendrier as calendrier
        on cast(date_trunc('month', offres.date_creation) as date) = calendrier.mois
    where
        codes.code is not null
        and territoires.code_territoire is not null
        and calendrier.type_periode in ('trimestre', 'annee')
),

totaux as (
    select
        niveau_code,
        code,
        niveau_territoire,
        code_territoire,
        type_periode,
        periode,
        any_value(periode_precedente) as periode_precedente,
        count(*) as offres_total
    from cles
    group by all
),

comptes as (
    select
        cles.niveau_code,
        cles.code,
        cles.niveau_territoire,
        cles.code_territoire,
        cles.type_periode,
        cles.periode,
        exigences.categorie,
        exigences.element_code,
        exigences.exigence,
        libelles.element_libelle,
        count(*) as offres
    from cles
    inner join exigences on cles.offre_id = exigences.offre_id
    left join libelles on exigences.categorie = libelles.categorie and exigences.element_code = libelles.element_code
    group by all
),

parts as (
    select
        comptes.*,
        totaux.periode_precedente,
        totaux.offres_total,
        comptes.offres / totaux.offres_total as part
    from comptes
    inner join totaux
        on
            comptes.niveau_code = totaux.niveau_code
            and comptes.code = totaux.code
            and comptes.niveau_territoire = totaux.niveau_territoire
            and comptes.code_territoire = totaux.code_territoire
            and comptes.type_periode = totaux.type_periode
            and comptes.periode = totaux.periode
),

avec_precedent as (
    -- the previous period of the same type: NULL when it had no offer in the cell, 0 when
    -- it had offers but none asking for the element
    select
        parts.*,
        case
            when totaux_precedents.offres_total is null then null
            else coalesce(precedentes.part, 0)
        end as part_precedente
    from parts
    left join totaux as totaux_precedents
        on
            parts.niveau_code = totaux_precedents.niveau_code
            and parts.code = totaux_precedents.code
            and parts.niveau_territoire = totaux_precedents.niveau_territoire
            and parts.code_territoire = totaux_precedents.code_territoire
            and parts.type_periode = totaux_precedents.type_periode
            and parts.periode_precedente = totaux_precedents.periode
    left join parts as precedentes
        on
            parts.niveau_code = precedentes.niveau_code
            and parts.code = precedentes.code
            and parts.niveau_territoire = precedentes.niveau_territoire
            and parts.code_territoire = precedentes.code_territoire
            and parts.type_periode = precedentes.type_periode
            and parts.periode_precedente = precedentes.periode
            and parts.categorie = precedentes.categorie
            and parts.element_code = precedentes.element_code
            and parts.exigence = precedentes.exigence
)

select
    niveau_code,
    code,
    niveau_territoire,
    code_territoire,
    type_periode,
    periode,
    categorie,
    element_code,
    element_libelle,
    exigence,
    offres,
    offres_total,
    part,
    periode_precedente,
    part_precedente,
    part - part_precedente as evolution,
    rank() over (
        partition by niveau_code, code, niveau_territoire, code_territoire, type_periode, periode, categorie, exigence
        order by part - part_precedente desc nulls last
    ) as rang_progression
from avec_precedent
