-- "analyse".seuils: the thresholds of config/parametres.toml ([sql.*]) that this
-- transformation used, one row per threshold. The publication prints these, never the
-- TOML of the day it publishes: edit the TOML between `transformer` and `publier` and
-- the reports still state the thresholds their diagnosis applied.
-- Only the thresholds a page prints are kept: the diagnosis's cut-offs, the
-- statistical-secrecy rule applied by "analyse".benchmark, the default mobility radius,
-- the passerelles' skill shares and the tension levels' bounds. The Python model of the
-- layer (flows/suivi.py) adds the level of its intervals ([suivi] niveau_confiance).
create or replace table "analyse".seuils as
with

seuils (section, cle, valeur) as (
    values
    ('diagnostic', 'penurie_entrees_par_offre', getvariable('diagnostic_penurie_entrees_par_offre')),
    ('diagnostic', 'difficulte_delai_jours', getvariable('diagnostic_difficulte_delai_jours')),
    ('diagnostic', 'difficulte_taux_abandon', getvariable('diagnostic_difficulte_taux_abandon')),
    ('diagnostic', 'besoin_ratio_experience', getvariable('diagnostic_besoin_ratio_experience')),
    ('diagnostic', 'besoin_ecart_experience_mois', getvariable('diagnostic_besoin_ecart_experience_mois')),
    ('diagnostic', 'besoin_ecart_diplome', getvariable('diagnostic_besoin_ecart_diplome')),
    (
        'diagnostic', 'qualification_vivier_qualifie_par_poste',
        getvariable('diagnostic_qualification_vivier_qualifie_par_poste')
    ),
    (
        'diagnostic', 'qualification_vivier_papier_par_poste',
        getvariable('diagnostic_qualification_vivier_papier_par_poste')
    ),
    ('diagnostic', 'contenu_ratio_description', getvariable('diagnostic_contenu_ratio_description')),
    ('diagnostic', 'contenu_part_salaire_affiche', getvariable('diagnostic_contenu_part_salaire_affiche')),
    ('diagnostic', 'contenu_ecart_salaire', getvariable('diagnostic_contenu_ecart_salaire')),
    ('diagnostic', 'sourcing_canaux_max', getvariable('diagnostic_sourcing_canaux_max')),
    ('diagnostic', 'sourcing_ratio_candidatures', getvariable('diagnostic_sourcing_ratio_candidatures')),
    ('diagnostic', 'procedure_ratio_delai', getvariable('diagnostic_procedure_ratio_delai')),
    ('diagnostic', 'procedure_taux_desistement', getvariable('diagnostic_procedure_taux_desistement')),
    ('secret', 'min_entreprises', getvariable('secret_min_entreprises')),
    ('secret', 'part_max_dominante', getvariable('secret_part_max_dominante')),
    ('vivier', 'rayon_defaut_km', getvariable('vivier_rayon_defaut_km')),
    ('passerelles', 'vivier_par_poste_min', getvariable('passerelles_vivier_par_poste_min')),
    ('passerelles', 'competence_part_cible_min', getvariable('passerelles_competence_part_cible_min')),
    ('passerelles', 'competence_part_voisin_max', getvariable('passerelles_competence_part_voisin_max')),
    ('tension', 'seuil_niveau_2', getvariable('tension_seuil_niveau_2')),
    ('tension', 'seuil_niveau_3', getvariable('tension_seuil_niveau_3')),
    ('tension', 'seuil_niveau_4', getvariable('tension_seuil_niveau_4')),
    ('tension', 'seuil_niveau_5', getvariable('tension_seuil_niveau_5'))
)

select
    section,
    cle,
    cast(valeur as double) as valeur
from seuils
