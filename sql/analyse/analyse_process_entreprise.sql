-- "analyse".process_entreprise: each pilot company's hiring process per v3 occupation x
-- period (each year of opening, and 'ensemble' for all years): volumes, time to fill,
-- funnel conversion, withdrawals, delays between stages, channels, its offers against
-- the market for the same occupation and département, and the qualified pool.
--
-- Market references are the "analyse".tension_marche medians for the requisition's v3
-- code, the site's département and the opening year. The qualified pool counts the
-- jobseeker profiles of the opening month (or the latest before) within reach of the
-- site (their mobility radius, else the configured default) who meet the requisition's
-- experience and diploma; the pool "on paper" counts every profile of the département
-- on that occupation.
create or replace table "analyse".process_entreprise as
with

recrutements as (
    select
        *,
        cast(year(date_ouverture) as varchar) as annee
    from int.recrutements
),

marche as (
    select
        code,
        code_territoire,
        periode,
        demandeurs_par_offre,
        entrees_a / nullif(offres, 0) as entrees_a_par_offre,
        niveau_tension,
        part_salaire_affiche,
        salaire_median,
        experience_mediane_mois,
        diplome_median,
        longueur_description_mediane,
        nb_competences_median
    from "analyse".tension_marche
    where niveau_code = 'rome3' and niveau_territoire = 'departement' and type_periode = 'annee'
),

mois_profils as (
    select distinct
        rome_code_parent,
        mois
    from prep.profils
),

mois_retenu as (
    select
        recrutements.entreprise,
        recrutements.reference,
        mois_profils.mois
    from recrutements
    asof inner join mois_profils
        on
            recrutements.rome_code_parent = mois_profils.rome_code_parent
            and cast(date_trunc('month', recrutements.date_ouverture) as date) >= mois_profils.mois
),

lieux as (
    -- the requisitions' places per occupation and retained month (a few sites per company)
    select distinct
        recrutements.rome_code_parent,
        mois_retenu.mois,
        recrutements.latitude,
        recrutements.longitude
    from recrutements
    inner join mois_retenu
        on recrutements.entreprise = mois_retenu.entreprise and recrutements.reference = mois_retenu.reference
),

profils_semblables as (
    -- profiles alike for the pool counted once (a million profiles fall into 42
    -- occupation x month cells: crossing each requisition with each profile made billions of pairs)
    select
        rome_code_parent,
        mois,
        latitude,
        longitude,
        rayon_mobilite_km,
        coalesce(experience_mois, 0) as experience_mois,
        coalesce(niveau_diplome, 0) as niveau_diplome,
        count(*) as profils
    from prep.profils
    group by all
),

a_portee as (
    -- per place: the profiles within their mobility radius of it, by experience and diploma
    select
        lieux.rome_code_parent,
        lieux.mois,
        lieux.latitude,
        lieux.longitude,
        profils.experience_mois,
        profils.niveau_diplome,
        sum(profils.profils) as profils
    from lieux
    inner join profils_semblables as profils
        on lieux.rome_code_parent = profils.rome_code_parent and lieux.mois = profils.mois
    where
        2 * 6371 * asin(sqrt(
            pow(sin((radians(profils.latitude) - radians(lieux.latitude)) / 2), 2)
            + cos(radians(lieux.latitude)) * cos(radians(profils.latitude))
            * pow(sin((radians(profils.longitude) - radians(lieux.longitude)) / 2), 2)
        )) <= coalesce(profils.rayon_mobilite_km, getvariable('vivier_rayon_defaut_km'))
    group by all
),

sur_le_papier as (
    select
        rome_code_parent,
        mois,
        departement,
        count(*) as profils
    from prep.profils
    group by all
),

vivier as (
    select
        recrutements.entreprise,
        recrutements.reference,
        coalesce(any_value(sur_le_papier.profils), 0) as vivier_papier,
        cast(coalesce(sum(a_portee.profils), 0) as bigint) as vivier_a_portee,
        cast(coalesce(sum(a_portee.profils) filter (
            where a_portee.experience_mois >= coalesce(recrutements.experience_requise_mois, 0)
            and a_portee.niveau_diplome >= coalesce(recrutements.diplome_requis, 0)
        ), 0) as bigint) as vivier_qualifie
    from recrutements
    inner join mois_retenu
        on recrutements.entreprise = mois_retenu.entreprise and recrutements.reference = mois_retenu.reference
    left join sur_le_papier
        on
            recrutements.rome_code_parent = sur_le_papier.rome_code_parent
            and mois_retenu.mois = sur_le_papier.mois
            and recrutements.departement = sur_le_papier.departement
    left join a_portee
        on
            recrutements.rome_code_parent = a_portee.rome_code_parent
            and mois_retenu.mois = a_portee.mois
            and recrutements.latitude = a_portee.latitude
            and recrutements.longitude = a_portee.longitude
    group by recrutements.entreprise, recrutements.reference
),

candidatures_par_recrutement as (
    select
        entreprise,
        reference,
        count(*) as candidatures,
        count(*) filter (where preselectionnee) as preselectionnees,
        count(*) filter (where entretien) as entretiens,
        count(*) filter (where proposition) as propositions,
        count(*) filter (where embauchee) as embauches,
        count(*) filter (where desistement) as desistements,
        count(*) filter (where desistement and etape_avant_issue in ('entretien', 'proposition'))
            as desistements_avances,
        count(*) filter (where desistement and etape_avant_issue = 'proposition') as desistements_apres_proposition
    from prep.candidatures
    group by all
),

par_recrutement as (
    select
        recrutements.*,
        coalesce(c.candidatures, 0) as candidatures,
        coalesce(c.preselectionnees, 0) as preselectionnees,
        coalesce(c.entretiens, 0) as entretiens,
        coalesce(c.propositions, 0) as propositions,
        coalesce(c.embauches, 0) as embauches,
        coalesce(c.desistements, 0) as desistements,
        coalesce(c.desistements_avances, 0) as desistements_avances,
        coalesce(c.desistements_apres_proposition, 0) as desistements_apres_proposition,
        marche.demandeurs_par_offre as demandeurs_par_offre_marche,
        marche.entrees_a_par_offre as entrees_a_par_offre_marche,
        marche.niveau_tension as niveau_tension_marche,
        marche.part_salaire_affiche as part_salaire_affiche_marche,
        marche.salaire_median as salaire_marche,
        marche.experience_mediane_mois as experience_marche_mois,
        marche.diplome_median as diplome_marche,
        marche.longueur_description_mediane as longueur_description_marche,
        marche.nb_competences_median as nb_competences_marche,
        vivier.vivier_papier,
        vivier.vivier_a_portee,
        vivier.vivier_qualifie
    from recrutements
    left join candidatures_par_recrutement as c
        on recrutements.entreprise = c.entreprise and recrutements.reference = c.reference
    left join marche
        on
            recrutements.rome_code_parent = marche.code
            and recrutements.departement = marche.code_territoire
            and recrutements.annee = marche.periode
    left join vivier
        on recrutements.entreprise = vivier.entreprise and recrutements.reference = vivier.reference
),

par_periode as (
    select
        *,
        'annee' as type_periode,
        annee as periode
    from par_recrutement
    union all
    select
        *,
        'ensemble',
        'ensemble'
    from par_recrutement
),

delais_etapes as (
    select
        r.entreprise,
        r.rome_code_parent,
        r.type_periode,
        r.periode,
        median(c.delai_preselection_jours) as delai_preselection_median_jours,
        median(c.delai_entretien_jours) as delai_entretien_median_jours,
        median(c.delai_proposition_jours) as delai_proposition_median_jours,
        median(c.delai_embauche_jours) as delai_embauche_median_jours,
        median(c.delai_reception_proposition_jours) as delai_reception_proposition_median_jours
    from par_periode as r
    inner join prep.candidatures as c on r.entreprise = c.entreprise and r.reference = c.reference
    group by all
)

select
    r.entreprise,
    r.rome_code_parent,
    r.type_periode,
    r.periode,
    count(*) as recrutements,
    count(*) filter (where r.statut = 'pourvu') as pourvus,
    count(*) filter (where r.statut = 'abandonne') as abandonnes,
    count(*) filter (where r.statut = 'ouvert') as en_cours,
    sum(r.nombre_postes) as postes,
    count(*) filter (where r.statut = 'abandonne')
    / nullif(count(*) filter (where r.statut in ('pourvu', 'abandonne')), 0) as taux_abandon,
    median(r.delai_pourvoi_jours) as delai_pourvoi_median_jours,
    quantile_cont(r.delai_pourvoi_jours, 0.75) as delai_pourvoi_p75_jours,
    sum(r.candidatures) as candidatures,
    avg(r.candidatures) as candidatures_par_recrutement,
    sum(r.preselectionnees) / nullif(sum(r.candidatures), 0) as taux_preselection,
    sum(r.entretiens) / nullif(sum(r.preselectionnees), 0) as taux_entretien,
    sum(r.propositions) / nullif(sum(r.entretiens), 0) as taux_proposition,
    sum(r.embauches) / nullif(sum(r.propositions), 0) as taux_acceptation,
    sum(r.embauches) / nullif(sum(r.candidatures), 0) as taux_embauche,
    sum(r.desistements) as desistements,
    sum(r.desistements_avances) as desistements_apres_entretien,
    sum(r.desistements_apres_proposition) as desistements_apres_proposition,
    sum(r.desistements_avances) / nullif(sum(r.entretiens), 0) as taux_desistement_apres_entretien,
    any_value(d.delai_preselection_median_jours) as delai_preselection_median_jours,
    any_value(d.delai_entretien_median_jours) as delai_entretien_median_jours,
    any_value(d.delai_proposition_median_jours) as delai_proposition_median_jours,
    any_value(d.delai_embauche_median_jours) as delai_embauche_median_jours,
    any_value(d.delai_reception_proposition_median_jours) as delai_reception_proposition_median_jours,
    avg(r.nb_canaux) as nb_canaux_moyen,
    list_sort(list_distinct(flatten(list(r.canaux)))) as canaux,
    avg(cast(r.salaire_affiche as double)) as part_salaire_affiche,
    median(r.part_salaire_affiche_marche) as part_salaire_affiche_marche,
    median(r.salaire_mensuel) as salaire_median,
    median(r.salaire_marche) as salaire_marche,
    median(r.salaire_mensuel) / nullif(median(r.salaire_marche), 0) - 1 as ecart_salaire_marche,
    median(r.experience_requise_mois) as experience_requise_mediane_mois,
    median(r.experience_marche_mois) as experience_marche_mois,
    median(r.diplome_requis) as diplome_requis_median,
    median(r.diplome_marche) as diplome_marche,
    median(r.longueur_description) as longueur_description_mediane,
    median(r.longueur_description_marche) as longueur_description_marche,
    median(r.nb_competences) as nb_competences_median,
    median(r.nb_competences_marche) as nb_competences_marche,
    median(r.demandeurs_par_offre_marche) as demandeurs_par_offre_marche,
    median(r.entrees_a_par_offre_marche) as entrees_a_par_offre_marche,
    median(r.niveau_tension_marche) as niveau_tension_marche,
    median(r.vivier_papier) as vivier_papier,
    median(r.vivier_a_portee) as vivier_a_portee,
    median(r.vivier_qualifie) as vivier_qualifie,
    median(r.vivier_qualifie) / nullif(median(r.vivier_papier), 0) as part_vivier_qualifie
from par_periode as r
left join delais_etapes as d
    on
        r.entreprise = d.entreprise and r.rome_code_parent = d.rome_code_parent
        and r.type_periode = d.type_periode and r.periode = d.periode
group by r.entreprise, r.rome_code_parent, r.type_periode, r.periode
