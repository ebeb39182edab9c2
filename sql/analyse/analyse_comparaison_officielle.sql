-- "analyse".comparaison_officielle: our yearly tension beside the official figures for
-- the same occupation and territory (département, region):
--  - DARES's published score and category (FAP-2009, latest published year not after ours),
--    for our rows at the FAP-2009 level;
--  - France Travail's "Marché du travail" indicator (PERSPECTIVE and its complementary
--    ranks 1-5, latest year not after ours), when loaded, for our rows at the v3 level.
create or replace view "analyse".comparaison_officielle as
with

nous as (
    select
        niveau_code,
        code,
        niveau_territoire,
        code_territoire,
        periode as annee,
        offres,
        demandeurs_a,
        ratio_tension,
        score_tension,
        niveau_tension,
        composantes
    from "analyse".tension_marche
    where
        type_periode = 'annee'
        and niveau_code in ('fap2009', 'rome3')
        and niveau_territoire in ('departement', 'region')
),

dares as (
    select
        fap,
        case niveau_geo when 'dep' then 'departement' when 'reg' then 'region' end as niveau_territoire,
        code_territoire,
        annee,
        tension as score_dares,
        categorie_tension as niveau_dares
    from prep.dares_tensions
    where niveau_fap = 'fap 225' and niveau_geo in ('dep', 'reg')
),

france_travail as (
    select
        code_activite as code_rome,
        case type_territoire when 'DEP' then 'departement' when 'REG' then 'region' end as niveau_territoire,
        code_territoire,
        cast(left(code_periode, 4) as integer) as annee,
        max(valeur_rang) filter (where code_nomenclature = 'PERSPECTIVE') as rang_perspective,
        max(valeur_rang) filter (where code_nomenclature = 'INT_EMB') as rang_intensite_embauches,
        max(valeur_rang) filter (where code_nomenclature = 'MAIN_OEUVRE') as rang_main_oeuvre,
        max(valeur_rang) filter (where code_nomenclature = 'ATTR_SALARIALE') as rang_attractivite_salariale,
        max(valeur_rang) filter (where code_nomenclature = 'COND_TRAVAIL') as rang_conditions_travail,
        max(valeur_rang) filter (where code_nomenclature = 'DUR_EMPL') as rang_durabilite_emploi,
        max(valeur_rang) filter (where code_nomenclature = 'MISMATCH_GEO') as rang_inadequation_geographique,
        max(valeur_rang) filter (where code_nomenclature = 'SPECIF_FORM_EMPL') as rang_lien_formation_emploi
    from prep.stat_marche
    where code_indicateur like 'PERSP%' and type_activite = 'ROME' and type_territoire in ('DEP', 'REG')
    group by all
)

select
    nous.niveau_code,
    nous.code,
    nous.niveau_territoire,
    nous.code_territoire,
    nous.annee,
    nous.offres,
    nous.demandeurs_a,
    nous.ratio_tension,
    nous.score_tension,
    nous.niveau_tension,
    nous.composantes,
    dares.annee as annee_dares,
    dares.score_dares,
    dares.niveau_dares,
    france_travail.annee as annee_france_travail,
    france_travail.rang_perspective,
    france_travail.rang_intensite_embauches,
    france_travail.rang_main_oeuvre,
    france_travail.rang_attractivite_salariale,
    france_travail.rang_conditions_travail,
    france_travail.rang_durabilite_emploi,
    france_travail.rang_inadequation_geographique,
    france_travail.rang_lien_formation_emploi
from nous
asof left join dares
    on
        nous.niveau_code = 'fap2009' and nous.code = dares.fap
        and nous.niveau_territoire = dares.niveau_territoire and nous.code_territoire = dares.code_territoire
        and cast(nous.annee as integer) >= dares.annee
asof left join france_travail
    on
        nous.niveau_code = 'rome3' and nous.code = france_travail.code_rome
        and nous.niveau_territoire = france_travail.niveau_territoire
        and nous.code_territoire = france_travail.code_territoire
        and cast(nous.annee as integer) >= france_travail.annee
