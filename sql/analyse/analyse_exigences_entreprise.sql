-- "analyse".exigences_entreprise: what each pilot company asks for, per v3 occupation,
-- against the market (France Travail offers of the same occupation and département in
-- the years the company recruited; for skills, among the offers that list skills) and
-- against the pool (jobseeker profiles of that occupation and département, latest
-- month): skills listed in its requisitions, and minimum diploma and experience as "at
-- least" thresholds. rare_sur_le_marche flags what the company often asks and few market
-- offers ask ([sql.competences]): a concrete input to the "analyse du besoin".
create or replace table "analyse".exigences_entreprise as
with

recrutements as (
    select
        entreprise,
        reference,
        rome_code_parent,
        departement,
        year(date_ouverture) as annee,
        diplome_requis,
        experience_requise_mois,
        competences
    from int.recrutements
),

-- the market and the pool are those of the département where the company recruited most
-- for the occupation (ties: the smaller code), the same from one build to the next
departement_principal as (
    select
        entreprise,
        rome_code_parent,
        departement
    from recrutements
    where departement is not null
    group by entreprise, rome_code_parent, departement
    qualify row_number() over (partition by entreprise, rome_code_parent order by count(*) desc, departement) = 1
),

perimetre as (
    select
        recrutements.entreprise,
        recrutements.rome_code_parent,
        any_value(departement_principal.departement) as departement,
        list(distinct recrutements.annee) as annees,
        count(*) as recrutements_total
    from recrutements
    left join departement_principal
        on
            recrutements.entreprise = departement_principal.entreprise
            and recrutements.rome_code_parent = departement_principal.rome_code_parent
    group by recrutements.entreprise, recrutements.rome_code_parent
),

seuils as (
    -- the "at least" thresholds, with a French label
    select
        'diplome' as categorie,
        niveau as seuil,
        libelle
    from (
        values
        (3, 'au moins CAP-BEP'), (4, 'au moins bac'), (5, 'au moins bac+2'),
        (6, 'au moins bac+3'), (7, 'au moins bac+5'), (8, 'doctorat')
    ) as niveaux (niveau, libelle)
    union all
    select
        'experience',
        mois,
        libelle
    from (
        values (12, 'au moins 1 an'), (24, 'au moins 2 ans'), (60, 'au moins 5 ans')
    ) as durees (mois, libelle)
),

exigences_recrutements as (
    select
        recrutements.entreprise,
        recrutements.rome_code_parent,
        recrutements.reference,
        seuils.categorie,
        seuils.libelle as element,
        seuils.seuil
    from recrutements
    inner join seuils
        on
            (seuils.categorie = 'diplome' and recrutements.diplome_requis >= seuils.seuil)
            or (seuils.categorie = 'experience' and recrutements.experience_requise_mois >= seuils.seuil)
    union all
    select distinct
        entreprise,
        rome_code_parent,
        reference,
        'competence',
        lower(strip_accents(trim(unnest(competences)))),
        null
    from recrutements
),

offres_marche as (
    -- every France Travail posting of the market's vacancies (reposts count), by its own
    -- occupation, département and year
    select
        perimetre.entreprise,
        perimetre.rome_code_parent,
        annonces.offre_id,
        annonces.niveau_diplome,
        annonces.experience_mois
    from perimetre
    inner join (
        select unnest(annonces_ft, max_depth := 2)
        from int.vacances
    ) as annonces
        on
            perimetre.rome_code_parent = annonces.rome_code_parent
            and perimetre.departement = annonces.departement
            and list_contains(perimetre.annees, year(annonces.date_creation))
),

competences_marche as (
    select
        offres_marche.entreprise,
        offres_marche.rome_code_parent,
        competences.libelle_comparable as element,
        count(distinct offres_marche.offre_id) as offres
    from offres_marche
    inner join int.offres_competences as competences on offres_marche.offre_id = competences.offre_id
    group by all
),

totaux_marche as (
    -- skills are compared with the offers that list skills at all
    select
        offres_marche.entreprise,
        offres_marche.rome_code_parent,
        count(*) as offres_total,
        count(*) filter (
            where offres_marche.offre_id in (select c.offre_id from int.offres_competences as c)
        ) as offres_avec_competences
    from offres_marche
    group by all
),

vivier as (
    -- profiles of the latest month, same occupation and département
    select
        perimetre.entreprise,
        perimetre.rome_code_parent,
        profils.niveau_diplome,
        profils.experience_mois
    from perimetre
    inner join prep.profils as profils
        on
            perimetre.rome_code_parent = profils.rome_code_parent
            and perimetre.departement = profils.departement
    where profils.mois = (select max(p.mois) from prep.profils as p)
),

par_element as (
    select
        entreprise,
        rome_code_parent,
        categorie,
        element,
        any_value(seuil) as seuil,
        count(distinct reference) as recrutements_avec
    from exigences_recrutements
    group by all
),

comparaison as (
    select
        par_element.entreprise,
        par_element.rome_code_parent,
        par_element.categorie,
        par_element.element,
        perimetre.recrutements_total,
        par_element.recrutements_avec,
        par_element.recrutements_avec / perimetre.recrutements_total as part_recrutements,
        totaux_marche.offres_total as offres_marche,
        case par_element.categorie
            when 'competence' then coalesce(competences_marche.offres, 0)
            else (
                select count(*)
                from offres_marche as o
                where
                    o.entreprise = par_element.entreprise
                    and o.rome_code_parent = par_element.rome_code_parent
                    and (
                        (par_element.categorie = 'diplome' and o.niveau_diplome >= par_element.seuil)
                        or (par_element.categorie = 'experience' and o.experience_mois >= par_element.seuil)
                    )
            )
        end / nullif(
            case
                when par_element.categorie = 'competence' then totaux_marche.offres_avec_competences
                else totaux_marche.offres_total
            end,
            0
        ) as part_marche,
        case when par_element.categorie <> 'competence' then (
            select
                avg(cast(
                    (par_element.categorie = 'diplome' and v.niveau_diplome >= par_element.seuil)
                    or (par_element.categorie = 'experience' and v.experience_mois >= par_element.seuil)
                    as double
                ))
            from vivier as v
            where v.entreprise = par_element.entreprise and v.rome_code_parent = par_element.rome_code_parent
        ) end as part_vivier
    from par_element
    inner join perimetre
        on par_element.entreprise = perimetre.entreprise and par_element.rome_code_parent = perimetre.rome_code_parent
    left join totaux_marche
        on
            par_element.entreprise = totaux_marche.entreprise
            and par_element.rome_code_parent = totaux_marche.rome_code_parent
    left join competences_marche
        on
            par_element.entreprise = competences_marche.entreprise
            and par_element.rome_code_parent = competences_marche.rome_code_parent
            and par_element.element = competences_marche.element
)

select
    entreprise,
    rome_code_parent,
    categorie,
    element,
    recrutements_total,
    recrutements_avec,
    part_recrutements,
    offres_marche,
    part_marche,
    part_vivier,
    part_recrutements - part_marche as ecart_marche,
    coalesce(
        part_marche < getvariable('competences_seuil_rare_marche')
        and part_recrutements >= getvariable('competences_seuil_frequent_entreprise'),
        false
    ) as rare_sur_le_marche
from comparaison
